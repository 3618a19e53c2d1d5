"""The actor and co-detention networks: known answers on small graphs, the real data, invariants."""

from __future__ import annotations

import itertools
import json
import math
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from conftest import DATA, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import charts, load_all
from analysis import network as net
from analysis.network import (
    actor_graph,
    centrality,
    co_detention,
    communities,
    detention_graph,
    layout,
    relation_counts,
)
from analysis.schema import read_package
from analysis.sentencing import person_labels

# ----------------------------------------------------------------------------- hand-made frames

NO_CHILDREN = pd.DataFrame({"actor_id": pd.Series([], dtype=object), "is_minor": pd.Series([], dtype=bool)})


def actors_frame(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "actor_id": ids,
            "name": [i.upper() for i in ids],
            "kind": ["person"] * len(ids),
            "country": [None] * len(ids),
            "is_minor": [False] * len(ids),
        }
    )


def relations_frame(rows: Sequence[tuple[str, str] | tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "relation_id": [f"r{i}" for i in range(1, len(rows) + 1)],
            "source_actor_id": [r[0] for r in rows],
            "target_actor_id": [r[1] for r in rows],
            "relation": [r[2] if len(r) > 2 else "met" for r in rows],
            "date": [None] * len(rows),
            "event_id": [None] * len(rows),
            "source_id": ["doc"] * len(rows),
            "locator": [f"¶{i}" for i in range(1, len(rows) + 1)],
        }
    )


def graph_of(rows: Sequence[tuple[str, str] | tuple[str, str, str]], extra: tuple[str, ...] = ()) -> nx.MultiDiGraph:
    ids = sorted({a for r in rows for a in r[:2]} | set(extra))
    return actor_graph(actors_frame(ids), relations_frame(rows))


def detentions_frame(rows: list[tuple[str | None, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "detention_id": [f"d{i}" for i in range(1, len(rows) + 1)],
            "actor_id": [r[0] for r in rows],
            "event_id": [r[1] for r in rows],
        }
    )


def events_frame(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": ids,
            "title": [f"Event {i}" for i in ids],
            "date": pd.to_datetime(["2020-10-01"] * len(ids)),
            "category": ["protest"] * len(ids),
        }
    )


# ----------------------------------------------------------------------------- the mini fixture


@pytest.fixture
def mini_tables(mini: Path) -> dict[str, pd.DataFrame]:
    return load_all(mini)


def test_mini_actor_graph(mini_tables: dict[str, pd.DataFrame]) -> None:
    g = actor_graph(mini_tables["actors"], mini_tables["relations"])
    assert g.number_of_nodes() == 7 and g.number_of_edges() == 2
    assert g.nodes["ali-example"] == {"name": "Ali Example", "kind": "person", "country": "IR", "is_minor": False}
    assert g.nodes["oryx"]["country"] is None  # actors without relations are still nodes
    assert g.nodes["minor-16-tabriz-1"]["is_minor"] is True
    assert g.edges["armenia", "azerbaijan", "r1"] == {
        "relation": "blamed",
        "date": pd.Timestamp("2020-07-12"),
        "event_id": None,
        "source_id": "doc-a",
        "locator": "Lead ¶2",
    }
    assert g.edges["ali-example", "court-tabriz", "r2"]["event_id"] == "2020-11-01-trial"
    assert not g.has_edge("azerbaijan", "armenia")  # directed


def test_mini_relation_counts_and_edges_frame(mini_tables: dict[str, pd.DataFrame]) -> None:
    g = actor_graph(mini_tables["actors"], mini_tables["relations"])
    counts = relation_counts(g)
    assert counts.to_dict("records") == [{"relation": "blamed", "edges": 1}, {"relation": "sentenced-by", "edges": 1}]
    assert sorted(k for _, _, k in g.edges(keys=True)) == ["r1", "r2"]


def test_mini_centrality_known_pagerank(mini_tables: dict[str, pd.DataFrame]) -> None:
    # Two edges among 7 nodes; by symmetry sources (and isolated nodes) get 1/(7 + 2a),
    # targets (1 + a)/(7 + 2a), with damping a = 0.85 and dangling mass spread evenly.
    c = centrality(actor_graph(mini_tables["actors"], mini_tables["relations"]))
    assert list(c.columns) == ["name", "kind", "degree", "betweenness", "pagerank"]
    assert c.index.name == "actor_id"
    assert list(c.index[:2]) == ["azerbaijan", "court-tabriz"]  # tie broken by actor_id
    assert c.loc["azerbaijan", "pagerank"] == pytest.approx(1.85 / 8.7, abs=1e-12)
    assert c.loc["oryx", "pagerank"] == pytest.approx(1 / 8.7, abs=1e-12)
    assert c["pagerank"].sum() == pytest.approx(1.0)
    assert c["degree"].to_dict() == {
        "azerbaijan": 1,
        "court-tabriz": 1,
        "ali-example": 1,
        "armenia": 1,
        "minor-16-tabriz-1": 0,
        "oryx": 0,
        "reza-example": 0,
    }
    assert (c["betweenness"] == 0).all()
    assert c.loc["court-tabriz", "name"] == "Tabriz Revolutionary Court" and c.loc["court-tabriz", "kind"] == "court"


def test_mini_communities(mini_tables: dict[str, pd.DataFrame]) -> None:
    g = actor_graph(mini_tables["actors"], mini_tables["relations"])
    com = communities(g)
    assert com.to_dict("records") == [
        {"actor_id": "ali-example", "community": 0},
        {"actor_id": "court-tabriz", "community": 0},
        {"actor_id": "armenia", "community": 1},
        {"actor_id": "azerbaijan", "community": 1},
        {"actor_id": "minor-16-tabriz-1", "community": 2},
        {"actor_id": "oryx", "community": 3},
        {"actor_id": "reza-example", "community": 4},
    ]


def test_mini_detentions(mini_tables: dict[str, pd.DataFrame]) -> None:
    b = detention_graph(mini_tables["detentions"], mini_tables["events"], mini_tables["actors"])
    rally = "2020-10-01-tabriz-rally"
    persons = {"ali-example", "reza-example"}  # the child held at the same rally is left out
    assert {v for v, s in b.nodes(data="bipartite") if s == "person"} == persons
    assert {v for v, s in b.nodes(data="bipartite") if s == "event"} == {rally}
    assert b.nodes[rally]["title"] == "Rally in Tabriz" and b.nodes[rally]["date"] == pd.Timestamp("2020-10-01")
    assert b.number_of_edges() == 2 and b.edges["ali-example", rally]["detention_ids"] == ("d2",)
    assert nx.is_bipartite(b)
    co = co_detention(b)
    assert set(co) == persons
    assert sorted(tuple(sorted(e[:2])) + (e[2],) for e in co.edges(data="weight")) == [
        ("ali-example", "reza-example", 1)
    ]
    with_child = detention_graph(mini_tables["detentions"], mini_tables["events"], NO_CHILDREN)
    assert "minor-16-tabriz-1" in with_child  # it is the actors' is_minor that leaves the child out


def test_mini_layout(mini_tables: dict[str, pd.DataFrame]) -> None:
    g = actor_graph(mini_tables["actors"], mini_tables["relations"])
    pos = layout(g, seed=3)
    assert set(pos) == set(g)
    for x, y in pos.values():
        assert isinstance(x, float) and isinstance(y, float)
        assert x == round(x, 6) and y == round(y, 6)
    assert layout(g, seed=3) == pos
    # The co-detention graph (a plain Graph) can be laid out too.
    co = co_detention(detention_graph(mini_tables["detentions"], mini_tables["events"], mini_tables["actors"]))
    assert set(layout(co)) == set(co)


# ----------------------------------------------------------------------------- hand-made graphs


def test_unknown_endpoint_names_the_relation() -> None:
    rel = relations_frame([("a", "b"), ("a", "ghost"), ("phantom", "b")])
    with pytest.raises(ValueError, match=r"r2 \('ghost'\); r3 \('phantom'\)"):
        actor_graph(actors_frame(["a", "b"]), rel)


def test_parallel_edges_count_in_degree_and_relations() -> None:
    g = graph_of([("a", "b", "met"), ("a", "b", "met"), ("b", "a", "blamed"), ("b", "c", "met")])
    assert g.number_of_edges() == 4
    assert sorted(k for _, _, k in g.edges(keys=True)) == ["r1", "r2", "r3", "r4"]
    assert relation_counts(g).to_dict("records") == [
        {"relation": "met", "edges": 3},
        {"relation": "blamed", "edges": 1},
    ]
    c = centrality(g)
    assert c["degree"].sort_index().to_dict() == {"a": 3, "b": 4, "c": 1}
    assert c.loc["b", "betweenness"] == 1.0 and c.loc["a", "betweenness"] == 0.0  # a - b - c path


def test_pagerank_matches_the_exact_solution() -> None:
    rows = [("a", "b"), ("a", "b"), ("a", "c"), ("b", "c"), ("c", "a"), ("d", "c")]
    g = graph_of(rows, extra=("e",))  # e has no relations: a dangling node
    nodes = sorted(g)
    n, alpha = len(nodes), 0.85
    # Column-stochastic transition matrix, weight = number of parallel edges; dangling columns uniform.
    m = np.zeros((n, n))
    for u, v in [r[:2] for r in rows]:
        m[nodes.index(v), nodes.index(u)] += 1
    out = m.sum(axis=0)
    m = np.where(out > 0, m / np.where(out > 0, out, 1), 1 / n)
    exact = np.linalg.solve(np.eye(n) - alpha * m, np.full(n, (1 - alpha) / n))
    got = centrality(g)["pagerank"]
    for i, node in enumerate(nodes):
        assert got[node] == pytest.approx(exact[i], abs=1e-10)
    assert got.is_monotonic_decreasing and got.index[0] == "c"


def test_sampled_betweenness_is_seeded_and_approximate() -> None:
    # A path of 40 actors plus 480 without relations: 520 nodes, so k = min(500, n) = 500 sources.
    path = [(f"n{i:02d}", f"n{i + 1:02d}") for i in range(39)]
    g = graph_of(path, extra=tuple(f"x{i:03d}" for i in range(480)))
    exact = centrality(g)["betweenness"]
    assert exact["n19"] == pytest.approx(exact.max())  # the middle of the path
    sampled = centrality(g, sample_above=100)["betweenness"]
    assert sampled.equals(centrality(g, sample_above=100, seed=0)["betweenness"])
    assert not sampled.equals(centrality(g, sample_above=100, seed=1)["betweenness"])
    assert not np.allclose(sampled.sort_index(), exact.sort_index(), rtol=0, atol=1e-12)
    assert np.allclose(sampled.sort_index(), exact.sort_index(), atol=exact.max() / 4)
    assert (sampled[[f"x{i:03d}" for i in range(480)]] == 0).all()


def test_detention_graph_edge_cases() -> None:
    rows = [("p1", "e1"), ("p1", "e1"), ("p2", "e1"), ("p2", "e2"), ("p3", None), (None, "e1"), ("p1", "e2")]
    b = detention_graph(detentions_frame(rows), events_frame(["e1", "e2", "e3"]), NO_CHILDREN)
    assert set(b) == {"p1", "p2", "p3", "e1", "e2"}  # group counts and events without named people left out
    assert b.edges["p1", "e1"]["detention_ids"] == ("d1", "d2")
    assert b.degree("p3") == 0
    co = co_detention(b)
    assert co["p1"]["p2"]["weight"] == 2 and co.degree("p3") == 0
    only_people = co_detention(
        detention_graph(detentions_frame([("p1", None), ("p2", None)]), events_frame([]), NO_CHILDREN)
    )
    assert set(only_people) == {"p1", "p2"} and only_people.number_of_edges() == 0
    with pytest.raises(ValueError, match="d1: event_id 'e9' is not in the events table"):
        detention_graph(detentions_frame([("p1", "e9")]), events_frame(["e1"]), NO_CHILDREN)
    with pytest.raises(ValueError, match="d2: 'e1' is both a person and an event"):
        detention_graph(detentions_frame([("e1", None), ("p1", "e1")]), events_frame(["e1"]), NO_CHILDREN)


def test_empty_graph() -> None:
    g = actor_graph(actors_frame([]), relations_frame([]))
    assert g.number_of_nodes() == 0
    assert relation_counts(g).empty and list(relation_counts(g).columns) == ["relation", "edges"]
    assert centrality(g).empty
    assert communities(g).empty
    assert layout(g) == {}


# ----------------------------------------------------------------------------- the real data


@pytest.fixture(scope="module")
def real_graph(real: dict[str, pd.DataFrame]) -> nx.MultiDiGraph:
    return actor_graph(real["actors"], real["relations"])


def test_real_graph_has_every_actor_and_relation(real: dict[str, pd.DataFrame], real_graph: nx.MultiDiGraph) -> None:
    rel = real["relations"]
    assert real_graph.number_of_nodes() == len(real["actors"])
    assert real_graph.number_of_edges() == len(rel)
    by_id = rel.set_index("relation_id")
    edges = {k: (u, v, d) for u, v, k, d in real_graph.edges(keys=True, data=True)}
    assert sorted(edges) == sorted(by_id.index)
    for key, (u, v, data) in edges.items():
        assert (u, v, data["relation"], data["source_id"]) == tuple(
            str(by_id.at[key, c]) for c in ("source_actor_id", "target_actor_id", "relation", "source_id")
        ), key
    assert (
        relation_counts(real_graph).set_index("relation")["edges"].to_dict()
        == rel["relation"].astype(str).value_counts().to_dict()
    )


def test_real_central_actors(real: dict[str, pd.DataFrame], real_graph: nx.MultiDiGraph) -> None:
    # Checkable in relations.csv: Azerbaijan is the actor named in the most relation rows.
    c = centrality(real_graph)
    rel = real["relations"]
    mentions = pd.concat([rel["source_actor_id"], rel["target_actor_id"]]).value_counts()
    assert c["degree"].sort_index().to_dict() == {a: int(mentions.get(a, 0)) for a in sorted(c.index)}
    assert "azerbaijan" in c.index[:5]
    assert "azerbaijan" in c["degree"].nlargest(5).index
    assert c["pagerank"].sum() == pytest.approx(1.0)
    assert c["pagerank"].is_monotonic_decreasing
    # The sampled path with k = min(500, n) = n sources is the exact computation.
    sampled = centrality(real_graph, sample_above=10, seed=7)
    assert np.allclose(sampled["betweenness"].sort_index(), c["betweenness"].sort_index(), atol=1e-12)


def test_real_determinism(real_graph: nx.MultiDiGraph) -> None:
    com = communities(real_graph)
    assert com.equals(communities(real_graph))
    assert sorted(com["actor_id"]) == sorted(real_graph)
    sizes = com["community"].value_counts().sort_index()
    assert list(sizes.index) == list(range(len(sizes))) and sizes.is_monotonic_decreasing
    pos = layout(real_graph)
    assert pos == layout(real_graph) and set(pos) == set(real_graph)


def test_real_results_do_not_depend_on_string_hashing(real_graph: nx.MultiDiGraph) -> None:
    script = (
        "import json; from analysis import load_all; from analysis.network import actor_graph, communities, layout\n"
        "t = load_all(); g = actor_graph(t['actors'], t['relations'])\n"
        "print(json.dumps([communities(g).values.tolist(), sorted(layout(g).items())]))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    here = json.loads(json.dumps([communities(real_graph).values.tolist(), sorted(layout(real_graph).items())]))
    assert json.loads(done.stdout) == here


def test_real_co_detention(real: dict[str, pd.DataFrame]) -> None:
    det = real["detentions"]
    b = detention_graph(det, real["events"], real["actors"])
    children = set(real["actors"].loc[real["actors"]["is_minor"].fillna(False).astype(bool), "actor_id"])
    assert len(children) >= 5 and not children & set(b)
    named = det[det["actor_id"].notna() & ~det["actor_id"].isin(children)]
    assert {v for v, s in b.nodes(data="bipartite") if s == "person"} == set(named["actor_id"])
    linked = named[named["event_id"].notna()]
    assert b.number_of_edges() == len(linked[["actor_id", "event_id"]].drop_duplicates())
    assert nx.is_bipartite(b)


# ----------------------------------------------------------------------------- properties

IDS = ["a", "b", "c", "d", "e", "f"]
relation_rows = st.lists(
    st.tuples(st.sampled_from(IDS), st.sampled_from(IDS), st.sampled_from(["met", "blamed", "supported"])), max_size=15
)


@settings(max_examples=60, deadline=None)
@given(rows=relation_rows, extra=st.sets(st.sampled_from(IDS)))
def test_graph_construction_invariants(rows: list[tuple[str, str, str]], extra: set[str]) -> None:
    ids = sorted({a for r in rows for a in r[:2]} | extra)
    g = actor_graph(actors_frame(ids), relations_frame(rows))
    assert g.number_of_edges() == len(rows)
    assert set(g) == set(ids)
    assert all(u in g and v in g for u, v, _ in rows)
    assert relation_counts(g)["edges"].sum() == len(rows)
    c = centrality(g)
    assert c["degree"].sum() == 2 * len(rows)
    if ids:
        assert c["pagerank"].sum() == pytest.approx(1.0)
    com = communities(g)
    assert sorted(com["actor_id"]) == ids
    assert com["community"].value_counts().sort_index().is_monotonic_decreasing


detention_rows = st.lists(
    st.tuples(
        st.one_of(st.none(), st.sampled_from(["p1", "p2", "p3", "p4", "p5"])),
        st.one_of(st.none(), st.sampled_from(["e1", "e2", "e3", "e4"])),
    ),
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(rows=detention_rows)
def test_co_detention_weights_are_shared_events(rows: list[tuple[str | None, str | None]]) -> None:
    co = co_detention(detention_graph(detentions_frame(rows), events_frame(["e1", "e2", "e3", "e4"]), NO_CHILDREN))
    events: dict[str, set[str]] = {}
    for person, event in rows:
        if person is not None:
            events.setdefault(person, set())
            if event is not None:
                events[person].add(event)
    assert set(co) == set(events)
    for p, q in itertools.combinations(sorted(events), 2):
        shared = len(events[p] & events[q])
        assert (co[p][q]["weight"] if co.has_edge(p, q) else 0) == shared


def actors(rows: list[tuple[str, str, str | None]], minors: tuple[str, ...] = ()) -> pd.DataFrame:
    """(actor_id, kind, country) rows; description empty; the ids in ``minors`` are children."""
    return pd.DataFrame(
        {
            "actor_id": [r[0] for r in rows],
            "name": ["Minor, Town (1)" if r[0] in minors else r[0].upper() for r in rows],
            "kind": [r[1] for r in rows],
            "country": [r[2] for r in rows],
            "is_minor": [r[0] in minors for r in rows],
            "description": [None] * len(rows),
        }
    )


def relations(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """(source, target, relation, source_id) rows."""
    return pd.DataFrame(
        {
            "relation_id": [f"r{i:02d}" for i in range(1, len(rows) + 1)],
            "source_actor_id": [r[0] for r in rows],
            "target_actor_id": [r[1] for r in rows],
            "relation": [r[2] for r in rows],
            "date": [None] * len(rows),
            "event_id": [None] * len(rows),
            "source_id": [r[3] for r in rows],
            "locator": [f"Section ¶{i}" for i in range(1, len(rows) + 1)],
        }
    )


ACTORS = actors(
    [
        ("az", "state", "AZ"),
        ("am", "state", "AM"),
        ("ru", "state", "RU"),
        ("un", "organisation", None),
        ("police", "armed-force", "IR"),
        ("court", "court", "IR"),
        ("p1", "person", "IR"),
        ("p2", "person", "IR"),
        ("kid", "person", "IR"),
        ("party", "party", "AZ"),
        ("m1", "person", "AZ"),
        ("lonely", "person", "TR"),
    ],
    minors=("kid",),
)

RELATIONS = relations(
    [
        ("az", "am", "fought", "wiki"),
        ("am", "az", "fought", "wiki"),
        ("am", "az", "blamed", "wiki"),
        ("ru", "am", "mediated", "wiki"),
        ("ru", "az", "mediated", "news"),
        ("un", "az", "called-on", "wiki"),
        ("p1", "police", "detained-by", "activist"),
        ("p2", "police", "detained-by", "activist"),
        ("kid", "police", "detained-by", "activist"),
        ("p1", "court", "sentenced-by", "activist"),
        ("p1", "az", "supported", "activist"),
        ("m1", "party", "member-of", "wiki"),
    ]
)


@pytest.fixture
def small() -> nx.MultiDiGraph:
    return net.actor_graph(ACTORS, RELATIONS)


@pytest.fixture
def sides() -> pd.Series:
    return net.actor_sides(ACTORS)


@pytest.fixture
def labels() -> pd.Series:
    return person_labels(ACTORS)


def test_every_relation_of_the_schema_is_in_exactly_one_family() -> None:
    field = read_package(DATA).resource("relations").field("relation")
    assert field.enum is not None
    vocabulary = set(field.enum)
    members = [r for family in net.RELATION_FAMILIES.values() for r in family]
    assert sorted(members) == sorted(set(members)), "a relation is in two families"
    assert set(members) == vocabulary
    assert set(net.RELATION_READING) == vocabulary
    assert set(charts.FAMILY_COLOURS) == set(net.RELATION_FAMILIES)
    assert net.relation_family("detained-by") == "Detention and courts"
    with pytest.raises(ValueError, match="no family"):
        net.relation_family("hugged")


def test_sides_by_country_with_artsakh_apart() -> None:
    frame = pd.DataFrame(
        {
            "actor_id": ["a", "b", "c", "d", "e", "f", "g"],
            "country": ["AZ", "AZ", "AM", "IR", "RU", "TR", None],
            "description": [
                "A ministry.",
                "Its army (country AZ by international recognition).",
                None,
                None,
                None,
                None,
                "An international body.",
            ],
        }
    )
    got = net.actor_sides(frame)
    assert got.to_dict() == {
        "a": "azerbaijan",
        "b": "artsakh",
        "c": "armenia",
        "d": "iran",
        "e": "russia",
        "f": "other",
        "g": "other",
    }
    colours = net.side_colours()
    assert list(colours) == list(net.SIDE_ORDER)
    assert all(colours[s] == charts.SIDE_COLOURS[s] for s in net.SIDE_ORDER if s != "other")
    assert colours["other"] != colours["russia"]
    assert set(net.SIDE_NAMES) == set(net.SIDE_SHORT) == set(net.SIDE_ORDER)


def test_every_actor_kind_of_the_schema_has_a_shape() -> None:
    field = read_package(DATA).resource("actors").field("kind")
    assert field.enum is not None
    assert set(net.KIND_GROUPS) == set(field.enum)
    assert set(net.KIND_GROUPS.values()) == set(net.KIND_MARKERS)


def test_giant_component_and_its_tie_break() -> None:
    g = net.actor_graph(
        actors([(x, "person", None) for x in "abcdef"]),
        relations([("a", "b", "met", "s"), ("c", "d", "met", "s"), ("d", "e", "met", "s")]),
    )
    assert set(net.giant_component(g)) == {"c", "d", "e"}
    tie = net.actor_graph(
        actors([(x, "person", None) for x in "abcd"]), relations([("d", "c", "met", "s"), ("b", "a", "met", "s")])
    )
    assert set(net.giant_component(tie)) == {"a", "b"}
    assert net.giant_component(nx.MultiDiGraph()).number_of_nodes() == 0


def test_central_core_keeps_the_best_connected_and_drops_those_left_alone(small: nx.MultiDiGraph) -> None:
    core = net.central_core(small, size=3)  # az, am, then police (ties with p1 on degree, wins on PageRank)
    assert set(core) == {"az", "am"}  # police has no tie to az or am, so it is left out
    assert core.number_of_edges() == 3  # fought, fought, blamed
    assert set(net.central_core(small, size=100)) == {v for v in small if small.degree(v) > 0}
    assert net.by_degree(small)[:4] == ["az", "am", "p1", "police"]  # ties of degree by id


def test_family_subgraph_and_view(small: nx.MultiDiGraph) -> None:
    part = net.family_subgraph(small, "Detention and courts")
    assert {r for _, _, r in part.edges(data="relation")} == {"detained-by", "sentenced-by"}
    assert set(part) == {"p1", "p2", "kid", "police", "court"}
    assert part.nodes["kid"]["is_minor"] is True
    membership = net.family_subgraph(small, "Membership and office")
    assert set(membership) == {"m1", "party"}
    assert net.family_view(small, "Membership and office", min_group=3).number_of_nodes() == 0
    assert set(net.family_view(small, "Membership and office", min_group=2)) == {"m1", "party"}
    with pytest.raises(ValueError, match="unknown relation family"):
        net.family_subgraph(small, "Friendship")


def test_relation_table_counts_reads_and_sources(small: nx.MultiDiGraph) -> None:
    table = net.relation_table(small).set_index("relation")
    assert table["edges"].sum() == small.number_of_edges()
    assert table.at["detained-by", "edges"] == 3 and table.at["detained-by", "sources"] == 1
    assert table.at["mediated", "sources"] == 2
    assert table.at["detained-by", "reads as"] == "A was detained by B"
    assert table.at["fought", "family"] == "Conflict and diplomacy"
    assert list(net.relation_table(small).columns) == ["relation", "family", "reads as", "edges", "sources"]


def test_family_by_source_adds_up(small: nx.MultiDiGraph) -> None:
    table = net.family_by_source(small)
    assert list(table.index) == [*net.RELATION_FAMILIES, "all families"]
    assert list(table.columns) == ["activist", "news", "wiki", "all sources"]
    assert table.at["all families", "all sources"] == small.number_of_edges()
    assert table.at["Detention and courts", "activist"] == 4
    assert (table.drop(columns="all sources").sum(axis=1) == table["all sources"]).all()


def test_side_coverage_and_crossing_ties(small: nx.MultiDiGraph, sides: pd.Series) -> None:
    iran = net.side_coverage(small, sides, "iran")
    assert iran.to_dict("records") == [{"source_id": "activist", "edges": 5, "share": 1.0}]
    crossing = net.side_coverage(small, sides, "iran", crossing=True)
    assert crossing["edges"].tolist() == [1]  # p1 supported az
    both = net.side_coverage(small, sides, "azerbaijan")
    assert both["edges"].sum() == 7 and both["share"].sum() == pytest.approx(1.0)
    assert net.side_coverage(small, sides, "syria").empty
    assert net.edges_touching(small, ["az", "am"]) == 7


def test_centrality_ranking_is_a_union_of_tops_with_safe_labels(
    small: nx.MultiDiGraph, sides: pd.Series, labels: pd.Series
) -> None:
    ranking = net.centrality_ranking(small, labels, sides, top=2)
    tops = {m: set(ranking.index[ranking[f"{m} rank"] <= 2]) for m in ("degree", "betweenness", "PageRank")}
    assert set(ranking.index) == set().union(*tops.values())
    assert ranking["pagerank"].is_monotonic_decreasing
    assert ranking.loc["az", "degree rank"] == 1 and ranking.loc["az", "side"] == "Azerbaijan"
    everyone = net.centrality_ranking(small, labels, sides, top=100)
    assert len(everyone) == small.number_of_nodes()
    assert everyone.loc["kid", "actor"].startswith("Minor")
    gap = net.biggest_rank_gap(everyone, top=3)
    assert gap["PageRank rank"] <= 3
    assert gap["degree rank"] == everyone.loc[everyone["PageRank rank"] <= 3, "degree rank"].max()
    with pytest.raises(ValueError):
        net.biggest_rank_gap(everyone.iloc[0:0])


def test_community_table(small: nx.MultiDiGraph, sides: pd.Series, labels: pd.Series) -> None:
    table = net.community_table(small, labels, sides, min_size=2)
    found = net.communities(small)
    sizes = found["community"].value_counts()
    assert table["actors"].tolist() == sorted(sizes[sizes >= 2].tolist(), reverse=True)
    assert table["community"].is_monotonic_increasing
    assert all(len(m.split("; ")) <= 3 for m in table["most central members"])
    assert not table["most central members"].str.contains("KID").any()
    assert net.community_table(small, labels, sides, min_size=100).empty
    assert net.community_table(small, labels, sides).equals(net.community_table(small, labels, sides))


def test_layout_defaults_are_networkx_own_and_options_are_seeded(small: nx.MultiDiGraph) -> None:
    simple = nx.Graph()
    simple.add_nodes_from(sorted(small))
    simple.add_weighted_edges_from(sorted(net._simple(small, directed=False).edges(data="weight")))
    plain = nx.spring_layout(simple, seed=0, weight="weight")
    assert net.layout(small) == {v: (round(float(x), 6), round(float(y), 6)) for v, (x, y) in plain.items()}
    spread = net.layout(small, spread=2.0, weighted=False, iterations=300)
    assert spread == net.layout(small, spread=2.0, weighted=False, iterations=300)
    assert spread != net.layout(small)


def test_packed_layout_keeps_pieces_apart() -> None:
    g = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("f", "g"), ("g", "h"), ("h", "i")])
    g.add_node("z")
    pos = net.packed_layout(g)
    assert set(pos) == set(g) and pos == net.packed_layout(g)
    boxes = []
    for piece in nx.connected_components(g):
        xs = [pos[v][0] for v in piece]
        ys = [pos[v][1] for v in piece]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1], (a, b)
    assert net.packed_layout(nx.Graph()) == {}


def test_fisheye_keeps_directions_and_distance_order() -> None:
    pos = {"c": (0.0, 0.0), "a": (4.0, 0.0), "b": (0.0, -1.0), "d": (9.0, 0.0), "e": (0.0, 16.0)}
    got = net.fisheye(pos, power=0.5)
    assert got["c"] == (0.0, 0.0)  # the median centre
    assert got["a"] == (2.0, 0.0) and got["e"] == (0.0, 4.0) and got["b"] == (0.0, -1.0)
    order = sorted(pos, key=lambda v: math.hypot(*pos[v]))
    assert order == sorted(got, key=lambda v: math.hypot(*got[v]))
    assert net.fisheye({}) == {}


def test_labels_are_placed_without_overlap_when_there_is_room() -> None:
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    positions = {"a": (5.0, 5.0), "b": (5.2, 5.0), "c": (5.0, 5.2)}
    texts = {"a": "First label", "b": "Second label", "c": "Third"}
    offsets = net.place_labels(ax, positions, {v: 4.0 for v in positions}, texts, 9)
    assert offsets == net.place_labels(ax, positions, {v: 4.0 for v in positions}, texts, 9)
    scale = 72 / fig.dpi
    boxes = []
    for v, (dx, dy) in offsets.items():
        x, y = (c * scale for c in ax.transData.transform(positions[v]))
        w, h = len(texts[v]) * 9 * 0.6 + 2, 9 * 1.25 + 1
        boxes.append((x + dx - w / 2, y + dy - h / 2, x + dx + w / 2, y + dy + h / 2))
    assert all(net._overlap(a, b) == 0 for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    plt.close(fig)


def test_text_helpers() -> None:
    assert (
        charts.wrap_lines("Urmia General and Revolutionary Prosecutor's Office", 22)
        == "Urmia General and\nRevolutionary\nProsecutor's Office"
    )
    assert charts.wrap_lines("Iran") == "Iran"


def detention_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    detentions = pd.DataFrame(
        {
            "detention_id": [f"d{i}" for i in range(1, 11)],
            "actor_id": ["p1", "p2", "kid", "p1", "p2", "p3", "p4", None, "p5", "p6"],
            "event_id": ["e1", "e1", "e1", "e2", "e2", "e3", "e3", "e3", None, "e1"],
            "source_id": ["activist"] * 8 + ["news", "activist"],
        }
    )
    events = pd.DataFrame(
        {
            "event_id": ["e1", "e2", "e3"],
            "title": ["Rally", "Raid", "Summons"],
            "date": pd.to_datetime(["2020-10-18", "2020-10-01", "2020-01-01"]),
            "date_precision": ["day", "month", "year"],
            "category": ["protest", "detention", "detention"],
        }
    )
    return detentions, events


def test_detention_tables_and_summary() -> None:
    detentions, events = detention_case()
    people = actors([(p, "person", "IR") for p in ("p1", "p2", "p3", "p4", "p5", "p6", "kid")], minors=("kid",))
    labels = person_labels(people)
    bipartite = net.detention_graph(detentions, events, people)
    assert "kid" not in bipartite  # a child is never drawn or listed beside the adults held with them
    together = net.co_detention(bipartite)
    assert net.co_detention_summary(bipartite, together) == {
        "people": 6,
        "events": 3,
        "pairs": 4,
        "groups": 2,
        "largest_group": 3,
        "alone": 1,
        "repeated_pairs": 1,
        "several_events": 2,
    }
    table = net.detention_event_table(bipartite, events, labels)
    assert table["event_id"].tolist() == ["e1", "e3", "e2"]  # most people first, then by date
    assert table["named people"].tolist() == [3, 2, 2]
    assert table["date"].tolist() == ["18 Oct 2020", "2020", "Oct 2020"]
    assert table.at[0, "people"] == "P1; P2; P6"
    pairs = net.repeat_pairs(bipartite, together, labels)
    assert pairs.to_dict("records") == [{"person": "P1", "with": "P2", "shared events": 2, "events": "Raid; Rally"}]
    assert set(net.detention_view(bipartite, min_people=3)) == {"p1", "p2", "p6", "e1", "e2"}
    assert net.detention_sources(bipartite, detentions) == ["activist"]
    by_source = net.named_detentions_by_source(detentions)
    assert by_source.to_dict("records") == [
        {"source_id": "activist", "rows": 8, "share": 8 / 9},
        {"source_id": "news", "rows": 1, "share": 1 / 9},
    ]


def _all_text(fig: plt.Figure) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(plt.Text))


def test_figures_carry_title_source_and_only_safe_labels(
    small: nx.MultiDiGraph, sides: pd.Series, labels: pd.Series
) -> None:
    core = net.core_figure(small, sides, labels, "A finding", "Source: somewhere", size=10)
    families = net.family_figure(small, sides, labels, "Three stories", "Sources: here; there", min_group=2)
    detentions, events = detention_case()
    people = net.detention_graph(detentions, events, ACTORS)
    detained = net.detention_figure(
        people, events, sides.reindex(["p1"], fill_value="iran"), labels, "Groups", "Source: activist"
    )
    for fig, title, source in (
        (core, "A finding", "Source: somewhere"),
        (families, "Three stories", "here; there"),
        (detained, "Groups", "Source: activist"),
    ):
        text = _all_text(fig)
        assert fig.get_suptitle() == title
        assert source in text.replace("\n", " ")
        assert "KID" not in text
        plt.close(fig)


def test_draw_network_labels_only_what_it_is_told(small: nx.MultiDiGraph, sides: pd.Series, labels: pd.Series) -> None:
    fig, ax = plt.subplots()
    net.draw_network(small, net.layout(small), sides, labels, ["az", "kid"], ax)
    assert sorted(t.get_text() for t in ax.texts) == ["AZ", "Minor, Town (1)"]
    plt.close(fig)


def test_plotly_network_hover_cites_every_relation(small: nx.MultiDiGraph, sides: pd.Series, labels: pd.Series) -> None:
    positions = net.layout(small)
    fig = net.network_plotly(small, positions, sides, labels, ["az"], "Title", "Source: x", community={"az": 0})
    assert isinstance(fig, go.Figure)
    hover = "\n".join(h for t in fig.data if t.hovertext is not None for h in t.hovertext)
    assert hover.count("<i>") == small.number_of_edges()  # one citation per relation row
    assert "wiki, Section ¶1" in hover and "was detained by" in hover and "community 0" in hover
    assert "KID" not in hover and "Minor, Town (1)" in hover
    names = [t.name for t in fig.data if t.showlegend is not False]
    assert "Tie: detention and courts" in names and net.SIDE_NAMES["iran"] in names
    again = net.network_plotly(small, positions, sides, labels, ["az"], "Title", "Source: x", community={"az": 0})
    assert json.dumps(fig.to_plotly_json(), sort_keys=True, default=str) == json.dumps(
        again.to_plotly_json(), sort_keys=True, default=str
    )


def test_real_prose_claims_about_centrality(real: dict[str, pd.DataFrame], real_graph: nx.MultiDiGraph) -> None:
    sides = net.actor_sides(real["actors"])
    ranking = net.centrality_ranking(real_graph, person_labels(real["actors"]), sides, top=10)
    # "Azerbaijan leads on all three"
    assert ranking.loc["azerbaijan", ["degree rank", "betweenness rank", "PageRank rank"]].tolist() == [1, 1, 1]
    # the second by betweenness is cited by three documents, on the war, the Baku protests and detainees in Iran
    second = ranking.sort_values("betweenness rank", kind="mergesort").index[1]
    cited = {s for u, v, s in real_graph.edges(data="source_id") if second in (u, v)}
    assert {"wp-karabakh-war-2020", "wp-protests-2020", "hasanbayli-south-az"} <= cited
    # the biggest rank gap: most of its ties point to it
    gap = net.biggest_rank_gap(ranking)["actor_id"]
    assert real_graph.in_degree(gap) > real_graph.out_degree(gap)
    # Artsakh actors are told apart from Azerbaijan's
    assert sides["artsakh"] == "artsakh" and sides["azerbaijan"] == "azerbaijan"
    assert (sides == "artsakh").sum() >= 5


def test_real_prose_claims_about_coverage(real: dict[str, pd.DataFrame], real_graph: nx.MultiDiGraph) -> None:
    sides = net.actor_sides(real["actors"])
    for crossing in (False, True):
        iran = net.side_coverage(real_graph, sides, "iran", crossing=crossing)
        assert iran.at[0, "source_id"] == "hasanbayli-south-az" and iran.at[0, "share"] > 0.9
    by_source = net.family_by_source(real_graph)
    detention = by_source.loc["Detention and courts"]
    assert detention["hasanbayli-south-az"] > 0.9 * detention["all sources"]
    named = net.named_detentions_by_source(real["detentions"])
    assert named.at[0, "source_id"] == "hasanbayli-south-az"


def test_real_views_are_readable_and_stable(real: dict[str, pd.DataFrame], real_graph: nx.MultiDiGraph) -> None:
    core = net.central_core(real_graph, size=40)
    assert 20 <= core.number_of_nodes() <= 40 and {"azerbaijan", "armenia"} <= set(core)
    giant = net.giant_component(real_graph)
    assert giant.number_of_nodes() < real_graph.number_of_nodes()
    assert net.layout(giant, spread=2.0, weighted=False, iterations=50) == net.layout(
        giant, spread=2.0, weighted=False, iterations=50
    )
    for family in net.RELATION_FAMILIES:
        assert net.family_view(real_graph, family).number_of_nodes() > 0
    table = net.community_table(real_graph, person_labels(real["actors"]), net.actor_sides(real["actors"]), min_size=5)
    assert {"Azerbaijan", "Armenia"} <= set(table.at[0, "most central members"].split("; "))


def test_real_detention_network_names_no_child(real: dict[str, pd.DataFrame]) -> None:
    labels = person_labels(real["actors"])
    bipartite = net.detention_graph(real["detentions"], real["events"], real["actors"])
    table = net.detention_event_table(bipartite, real["events"], labels)
    minors = real["actors"].loc[real["actors"]["is_minor"].fillna(False).astype(bool)]
    shown = "; ".join(table["people"])
    assert len(minors) and all(labels[a].startswith("Minor") for a in minors["actor_id"])
    held = set(real["detentions"]["actor_id"].dropna())
    assert set(minors["actor_id"]) & held  # children are among the detainees, and yet:
    assert not [a for a in minors["actor_id"] if a in bipartite] and "Minor" not in shown
    summary = net.co_detention_summary(bipartite, net.co_detention(bipartite))
    assert summary["people"] == len(held - set(minors["actor_id"]))
    assert summary["largest_group"] >= table.at[0, "named people"]
