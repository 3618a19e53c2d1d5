"""The 'Actor networks' chapter's views: sides, families, sub-views, tables, layouts and drawings.

Known answers on hand-made graphs, invariants, and on the real data the facts the chapter's prose
states (so a change in data that would falsify a sentence fails here first).
"""

from __future__ import annotations

import json
import math

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
import plotly.graph_objects as go
import pytest

from analysis import charts
from analysis import network as net
from analysis.schema import read_package
from analysis.sentencing import person_labels
from conftest import DATA

# ----------------------------------------------------------------------------- hand-made frames


def actors(rows: list[tuple[str, str, str | None]], minors: tuple[str, ...] = ()) -> pd.DataFrame:
    """(actor_id, kind, country) rows; description empty; the ids in ``minors`` are children."""
    return pd.DataFrame({
        "actor_id": [r[0] for r in rows],
        "name": ["Minor, Town (1)" if r[0] in minors else r[0].upper() for r in rows],
        "kind": [r[1] for r in rows], "country": [r[2] for r in rows],
        "is_minor": [r[0] in minors for r in rows], "description": [None] * len(rows),
    })


def relations(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """(source, target, relation, source_id) rows."""
    return pd.DataFrame({
        "relation_id": [f"r{i:02d}" for i in range(1, len(rows) + 1)],
        "source_actor_id": [r[0] for r in rows], "target_actor_id": [r[1] for r in rows],
        "relation": [r[2] for r in rows], "date": [None] * len(rows), "event_id": [None] * len(rows),
        "source_id": [r[3] for r in rows], "locator": [f"Section ¶{i}" for i in range(1, len(rows) + 1)],
    })


ACTORS = actors([
    ("az", "state", "AZ"), ("am", "state", "AM"), ("ru", "state", "RU"), ("un", "organisation", None),
    ("police", "armed-force", "IR"), ("court", "court", "IR"), ("p1", "person", "IR"), ("p2", "person", "IR"),
    ("kid", "person", "IR"), ("party", "party", "AZ"), ("m1", "person", "AZ"), ("lonely", "person", "TR"),
], minors=("kid",))
RELATIONS = relations([
    ("az", "am", "fought", "wiki"), ("am", "az", "fought", "wiki"), ("am", "az", "blamed", "wiki"),
    ("ru", "am", "mediated", "wiki"), ("ru", "az", "mediated", "news"), ("un", "az", "called-on", "wiki"),
    ("p1", "police", "detained-by", "activist"), ("p2", "police", "detained-by", "activist"),
    ("kid", "police", "detained-by", "activist"), ("p1", "court", "sentenced-by", "activist"),
    ("p1", "az", "supported", "activist"), ("m1", "party", "member-of", "wiki"),
])


@pytest.fixture
def small() -> nx.MultiDiGraph:
    return net.actor_graph(ACTORS, RELATIONS)


@pytest.fixture
def sides() -> pd.Series:
    return net.actor_sides(ACTORS)


@pytest.fixture
def labels() -> pd.Series:
    return person_labels(ACTORS)


# ----------------------------------------------------------------------------- vocabularies and sides


def test_every_relation_of_the_schema_is_in_exactly_one_family() -> None:
    field = read_package(DATA).resource("relations").field("relation")
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
    frame = pd.DataFrame({
        "actor_id": ["a", "b", "c", "d", "e", "f", "g"], "country": ["AZ", "AZ", "AM", "IR", "RU", "TR", None],
        "description": ["A ministry.", "Its army (country AZ by international recognition).", None, None, None,
                        None, "An international body."],
    })
    got = net.actor_sides(frame)
    assert got.to_dict() == {"a": "azerbaijan", "b": "artsakh", "c": "armenia", "d": "iran", "e": "russia",
                             "f": "other", "g": "other"}
    colours = net.side_colours()
    assert list(colours) == list(net.SIDE_ORDER)
    assert all(colours[s] == charts.SIDE_COLOURS[s] for s in net.SIDE_ORDER if s != "other")
    assert colours["other"] != colours["russia"]
    assert set(net.SIDE_NAMES) == set(net.SIDE_SHORT) == set(net.SIDE_ORDER)


def test_every_actor_kind_of_the_schema_has_a_shape() -> None:
    field = read_package(DATA).resource("actors").field("kind")
    assert set(net.KIND_GROUPS) == set(field.enum)
    assert set(net.KIND_GROUPS.values()) == set(net.KIND_MARKERS)


# ----------------------------------------------------------------------------- sub-views


def test_giant_component_and_its_tie_break() -> None:
    g = net.actor_graph(actors([(x, "person", None) for x in "abcdef"]),
                        relations([("a", "b", "met", "s"), ("c", "d", "met", "s"), ("d", "e", "met", "s")]))
    assert set(net.giant_component(g)) == {"c", "d", "e"}
    tie = net.actor_graph(actors([(x, "person", None) for x in "abcd"]),
                          relations([("d", "c", "met", "s"), ("b", "a", "met", "s")]))
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


# ----------------------------------------------------------------------------- tables


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


def test_centrality_ranking_is_a_union_of_tops_with_safe_labels(small: nx.MultiDiGraph, sides: pd.Series,
                                                                labels: pd.Series) -> None:
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


# ----------------------------------------------------------------------------- layouts and labels


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
        for b in boxes[i + 1:]:
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
    assert all(net._overlap(a, b) == 0 for i, a in enumerate(boxes) for b in boxes[i + 1:])
    plt.close(fig)


def test_text_helpers() -> None:
    assert net.short_label("Urmia General and Revolutionary Prosecutor's Office", 22) == \
        "Urmia General and\nRevolutionary\nProsecutor's Office"
    assert net.short_label("Iran") == "Iran"


# ----------------------------------------------------------------------------- people detained together


def detention_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    detentions = pd.DataFrame({
        "detention_id": [f"d{i}" for i in range(1, 11)],
        "actor_id": ["p1", "p2", "kid", "p1", "p2", "p3", "p4", None, "p5", "p6"],
        "event_id": ["e1", "e1", "e1", "e2", "e2", "e3", "e3", "e3", None, "e1"],
        "source_id": ["activist"] * 8 + ["news", "activist"],
    })
    events = pd.DataFrame({"event_id": ["e1", "e2", "e3"], "title": ["Rally", "Raid", "Summons"],
                           "date": pd.to_datetime(["2020-10-18", "2020-10-01", "2020-01-01"]),
                           "date_precision": ["day", "month", "year"], "category": ["protest", "detention", "detention"]})
    return detentions, events


def test_detention_tables_and_summary() -> None:
    detentions, events = detention_case()
    people = actors([(p, "person", "IR") for p in ("p1", "p2", "p3", "p4", "p5", "p6", "kid")], minors=("kid",))
    labels = person_labels(people)
    bipartite = net.detention_graph(detentions, events, people)
    assert "kid" not in bipartite  # a child is never drawn or listed beside the adults held with them
    together = net.co_detention(bipartite)
    assert net.co_detention_summary(bipartite, together) == {
        "people": 6, "events": 3, "pairs": 4, "groups": 2, "largest_group": 3, "alone": 1,
        "repeated_pairs": 1, "several_events": 2,
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
    assert by_source.to_dict("records") == [{"source_id": "activist", "rows": 8, "share": 8 / 9},
                                            {"source_id": "news", "rows": 1, "share": 1 / 9}]


# ----------------------------------------------------------------------------- drawings


def _all_text(fig: plt.Figure) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(plt.Text))


def test_figures_carry_title_source_and_only_safe_labels(small: nx.MultiDiGraph, sides: pd.Series,
                                                         labels: pd.Series) -> None:
    core = net.core_figure(small, sides, labels, "A finding", "Source: somewhere", size=10)
    families = net.family_figure(small, sides, labels, "Three stories", "Sources: here; there", min_group=2)
    detentions, events = detention_case()
    people = net.detention_graph(detentions, events, ACTORS)
    detained = net.detention_figure(people, events, sides.reindex(["p1"], fill_value="iran"), labels,
                                    "Groups", "Source: activist")
    for fig, title, source in ((core, "A finding", "Source: somewhere"), (families, "Three stories", "here; there"),
                               (detained, "Groups", "Source: activist")):
        text = _all_text(fig)
        assert fig._suptitle.get_text() == title
        assert source in text.replace("\n", " ")
        assert "KID" not in text
        plt.close(fig)


def test_draw_network_labels_only_what_it_is_told(small: nx.MultiDiGraph, sides: pd.Series,
                                                  labels: pd.Series) -> None:
    fig, ax = plt.subplots()
    net.draw_network(small, net.layout(small), sides, labels, ["az", "kid"], ax)
    assert sorted(t.get_text() for t in ax.texts) == ["AZ", "Minor, Town (1)"]
    plt.close(fig)


def test_plotly_network_hover_cites_every_relation(small: nx.MultiDiGraph, sides: pd.Series,
                                                   labels: pd.Series) -> None:
    positions = net.layout(small)
    fig = net.network_plotly(small, positions, sides, labels, ["az"], "Title", "Source: x",
                             community={"az": 0})
    assert isinstance(fig, go.Figure)
    hover = "\n".join(h for t in fig.data if t.hovertext is not None for h in t.hovertext)
    assert hover.count("<i>") == small.number_of_edges()  # one citation per relation row
    assert "wiki, Section ¶1" in hover and "was detained by" in hover and "community 0" in hover
    assert "KID" not in hover and "Minor, Town (1)" in hover
    names = [t.name for t in fig.data if t.showlegend is not False]
    assert "Tie: detention and courts" in names and net.SIDE_NAMES["iran"] in names
    again = net.network_plotly(small, positions, sides, labels, ["az"], "Title", "Source: x", community={"az": 0})
    assert json.dumps(fig.to_plotly_json(), sort_keys=True, default=str) == \
        json.dumps(again.to_plotly_json(), sort_keys=True, default=str)


# ----------------------------------------------------------------------------- the real data: what the prose says


@pytest.fixture(scope="module")
def real_graph(real: dict[str, pd.DataFrame]) -> nx.MultiDiGraph:
    return net.actor_graph(real["actors"], real["relations"])


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
    assert net.layout(giant, spread=2.0, weighted=False, iterations=50) == \
        net.layout(giant, spread=2.0, weighted=False, iterations=50)
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
