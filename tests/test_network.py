"""The actor and co-detention networks: known answers on small graphs, the real data, invariants."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import load_all
from analysis.network import (
    actor_graph,
    centrality,
    co_detention,
    communities,
    detention_graph,
    layout,
    relation_counts,
)
from conftest import ROOT

# ----------------------------------------------------------------------------- hand-made frames

NO_CHILDREN = pd.DataFrame({"actor_id": pd.Series([], dtype=object), "is_minor": pd.Series([], dtype=bool)})


def actors_frame(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"actor_id": ids, "name": [i.upper() for i in ids], "kind": ["person"] * len(ids),
                         "country": [None] * len(ids), "is_minor": [False] * len(ids)})


def relations_frame(rows: list[tuple[str, str] | tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame({
        "relation_id": [f"r{i}" for i in range(1, len(rows) + 1)],
        "source_actor_id": [r[0] for r in rows],
        "target_actor_id": [r[1] for r in rows],
        "relation": [r[2] if len(r) > 2 else "met" for r in rows],
        "date": [None] * len(rows),
        "event_id": [None] * len(rows),
        "source_id": ["doc"] * len(rows),
        "locator": [f"¶{i}" for i in range(1, len(rows) + 1)],
    })


def graph_of(rows: list[tuple[str, str] | tuple[str, str, str]], extra: tuple[str, ...] = ()) -> nx.MultiDiGraph:
    ids = sorted({a for r in rows for a in r[:2]} | set(extra))
    return actor_graph(actors_frame(ids), relations_frame(rows))


def detentions_frame(rows: list[tuple[str | None, str | None]]) -> pd.DataFrame:
    return pd.DataFrame({"detention_id": [f"d{i}" for i in range(1, len(rows) + 1)],
                         "actor_id": [r[0] for r in rows], "event_id": [r[1] for r in rows]})


def events_frame(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"event_id": ids, "title": [f"Event {i}" for i in ids],
                         "date": pd.to_datetime(["2020-10-01"] * len(ids)), "category": ["protest"] * len(ids)})


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
        "relation": "blamed", "date": pd.Timestamp("2020-07-12"), "event_id": None,
        "source_id": "doc-a", "locator": "Lead ¶2"}
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
    assert c["degree"].to_dict() == {"azerbaijan": 1, "court-tabriz": 1, "ali-example": 1, "armenia": 1,
                                     "minor-16-tabriz-1": 0, "oryx": 0, "reza-example": 0}
    assert (c["betweenness"] == 0).all()
    assert c.loc["court-tabriz", "name"] == "Tabriz Revolutionary Court" and c.loc["court-tabriz", "kind"] == "court"


def test_mini_communities(mini_tables: dict[str, pd.DataFrame]) -> None:
    g = actor_graph(mini_tables["actors"], mini_tables["relations"])
    com = communities(g)
    assert com.to_dict("records") == [
        {"actor_id": "ali-example", "community": 0}, {"actor_id": "court-tabriz", "community": 0},
        {"actor_id": "armenia", "community": 1}, {"actor_id": "azerbaijan", "community": 1},
        {"actor_id": "minor-16-tabriz-1", "community": 2}, {"actor_id": "oryx", "community": 3},
        {"actor_id": "reza-example", "community": 4}]


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
        ("ali-example", "reza-example", 1)]
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
    assert relation_counts(g).to_dict("records") == [{"relation": "met", "edges": 3},
                                                     {"relation": "blamed", "edges": 1}]
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
    only_people = co_detention(detention_graph(detentions_frame([("p1", None), ("p2", None)]), events_frame([]),
                                               NO_CHILDREN))
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
        assert (u, v, data["relation"], data["source_id"]) == tuple(str(by_id.at[key, c]) for c in (
            "source_actor_id", "target_actor_id", "relation", "source_id")), key
    assert relation_counts(real_graph).set_index("relation")["edges"].to_dict() == \
        rel["relation"].astype(str).value_counts().to_dict()


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
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True)
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
relation_rows = st.lists(st.tuples(st.sampled_from(IDS), st.sampled_from(IDS),
                                   st.sampled_from(["met", "blamed", "supported"])), max_size=15)


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


detention_rows = st.lists(st.tuples(st.one_of(st.none(), st.sampled_from(["p1", "p2", "p3", "p4", "p5"])),
                                    st.one_of(st.none(), st.sampled_from(["e1", "e2", "e3", "e4"]))), max_size=20)


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
