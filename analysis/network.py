"""Networks of the actors and of the people detained together.

The actor graph is a :class:`networkx.MultiDiGraph` with one node per row of ``actors.csv``
(keyed by ``actor_id``) and one edge per row of ``relations.csv`` (keyed by ``relation_id``),
directed from ``source_actor_id`` to ``target_actor_id``, so every edge keeps the citation of
the row it comes from. Measures that need a simple graph use one of two projections:

* the *directed weighted projection*: one edge u -> v whose ``weight`` is the number of
  relation rows from u to v (PageRank);
* the *undirected weighted projection*: one edge u - v whose ``weight`` is the number of
  relation rows between u and v in either direction (betweenness, communities, layout).

Everything here is a pure function of its arguments: no I/O, no global state, and seeded
randomness only, so the same input gives the same output in every run. Communities and the
layout do not depend on Python's string hashing (``PYTHONHASHSEED``) either.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

from .schema import value_labels
from .sources import activist_source, most_rows
from .words import date_text, literal_text, plotly_text

if TYPE_CHECKING:  # only for annotations: drawing libraries are imported where a drawing is made
    import plotly.graph_objects as go
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "actor_graph",
    "actor_sides",
    "biggest_rank_gap",
    "by_degree",
    "central_core",
    "centrality",
    "centrality_ranking",
    "co_detention",
    "co_detention_summary",
    "communities",
    "community_table",
    "core_figure",
    "detention_event_table",
    "detention_figure",
    "detention_graph",
    "detention_sources",
    "detention_view",
    "draw_labels",
    "draw_network",
    "edge_sources",
    "edges_touching",
    "family_by_source",
    "family_figure",
    "family_subgraph",
    "family_view",
    "fisheye",
    "giant_component",
    "layout",
    "legend_handles",
    "minor_ids",
    "named_detentions_by_source",
    "network_plotly",
    "packed_layout",
    "place_labels",
    "relation_counts",
    "relation_family",
    "relation_table",
    "repeat_pairs",
    "side_colours",
    "side_coverage",
]


def _value(value: object) -> object:
    """A cell as a plain Python value: None for missing values, str for text and categories."""
    if value is None or pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    return str(value)


def actor_graph(actors: pd.DataFrame, relations: pd.DataFrame) -> nx.MultiDiGraph:
    """Actors as nodes and every relation row as its own directed edge (key = relation_id)."""
    graph = nx.MultiDiGraph()
    for actor_id, name, kind, country, is_minor in zip(
        actors["actor_id"], actors["name"], actors["kind"], actors["country"], actors["is_minor"]
    ):
        graph.add_node(
            str(actor_id), name=_value(name), kind=_value(kind), country=_value(country), is_minor=_value(is_minor)
        )

    ends = relations[["relation_id", "source_actor_id", "target_actor_id"]].astype(object)
    unknown = [
        f"{rid} ({', '.join(repr(str(a)) for a in (src, tgt) if str(a) not in graph)})"
        for rid, src, tgt in ends.itertuples(index=False)
        if str(src) not in graph or str(tgt) not in graph
    ]
    if unknown:
        raise ValueError("relations with an endpoint that is not an actor: " + "; ".join(unknown))

    for rid, src, tgt, relation, date, event_id, source_id, locator in zip(
        relations["relation_id"],
        relations["source_actor_id"],
        relations["target_actor_id"],
        relations["relation"],
        relations["date"],
        relations["event_id"],
        relations["source_id"],
        relations["locator"],
    ):
        graph.add_edge(
            str(src),
            str(tgt),
            key=str(rid),
            relation=_value(relation),
            date=_value(date),
            event_id=_value(event_id),
            source_id=_value(source_id),
            locator=_value(locator),
        )
    return graph


def relation_counts(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """How many edges (relation rows) the graph has of each relation type, most frequent first."""
    counts = pd.Series([str(r) for _, _, r in graph.edges(data="relation")], dtype=object).value_counts()
    frame = pd.DataFrame({"relation": counts.index.astype(str), "edges": counts.to_numpy(dtype="int64")})
    return frame.sort_values(["edges", "relation"], ascending=[False, True], ignore_index=True)


def _simple(graph: nx.Graph, directed: bool) -> nx.Graph:
    """The simple projection: one edge per (ordered if directed) pair, weight = number of edges it merges."""
    simple: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    simple.add_nodes_from(graph)
    for u, v in graph.edges():
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += 1
        else:
            simple.add_edge(u, v, weight=1)
    return simple


def _pagerank(graph: nx.Graph, alpha: float = 0.85, tol: float = 1e-12) -> dict[Hashable, float]:
    """PageRank by power iteration, as networkx defines it (weighted, dangling mass spread evenly).

    networkx's own ``pagerank`` needs SciPy, which this package does not depend on. The iteration
    is a contraction with factor ``alpha`` in the L1 norm, so a fixed number of steps bounds the
    error by ``tol``; there is no convergence failure to handle.
    """
    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    edges = list(graph.edges(data="weight", default=1))
    src = np.array([index[u] for u, _, _ in edges], dtype=np.int64)
    dst = np.array([index[v] for _, v, _ in edges], dtype=np.int64)
    weight = np.array([float(w) for _, _, w in edges], dtype=float)
    out_weight = np.bincount(src, weights=weight, minlength=n)
    dangling = out_weight == 0
    share = weight / out_weight[src]
    rank = np.full(n, 1.0 / n)
    for _ in range(math.ceil(math.log(tol / 2) / math.log(alpha))):
        flow = np.bincount(dst, weights=rank[src] * share, minlength=n)
        rank = alpha * flow + (alpha * rank[dangling].sum() + 1.0 - alpha) / n
    return {v: float(rank[i]) for v, i in index.items()}


def centrality(graph: nx.MultiDiGraph, sample_above: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Per actor: degree (relation rows in or out), betweenness and PageRank; highest PageRank first.

    * ``degree``: number of relation rows the actor is an endpoint of (in + out).
    * ``betweenness``: normalised shortest-path betweenness on the undirected simple projection,
      ignoring weights (every pair of related actors is one step apart). Exact for graphs of up to
      ``sample_above`` nodes; above that, networkx's sampled approximation from
      ``k = min(500, n)`` source nodes drawn with ``seed`` (reproducible, but an estimate).
    * ``pagerank``: PageRank (damping 0.85) on the directed simple projection whose edge weight is
      the number of relation rows from one actor to the other.
    """
    undirected = _simple(graph, directed=False)
    n = undirected.number_of_nodes()
    if n > sample_above:
        between = nx.betweenness_centrality(undirected, k=min(500, n), seed=seed)
    else:
        between = nx.betweenness_centrality(undirected)
    rank = _pagerank(_simple(graph, directed=True))
    nodes = list(graph)
    frame = pd.DataFrame(
        {
            "name": pd.Series([graph.nodes[v].get("name") for v in nodes], dtype="string"),
            "kind": pd.Series([graph.nodes[v].get("kind") for v in nodes], dtype=object),
            "degree": pd.Series([graph.degree(v) for v in nodes], dtype="int64"),
            "betweenness": pd.Series([between[v] for v in nodes], dtype=float),
            "pagerank": pd.Series([rank[v] for v in nodes], dtype=float),
        }
    )
    frame.index = pd.Index(nodes, name="actor_id", dtype=object)
    frame = frame.sort_index(kind="mergesort")
    return frame.sort_values("pagerank", ascending=False, kind="mergesort")


def communities(graph: nx.MultiDiGraph, seed: int = 0) -> pd.DataFrame:
    """Each actor's Louvain community (0 = the largest) in the undirected weighted projection.

    Louvain (networkx ``louvain_communities``, resolution 1) runs with ``seed`` on a copy whose nodes
    are renumbered in actor_id order, so the result is the same in every run. Communities are
    numbered by size, largest first, ties broken by their alphabetically first actor_id; an actor
    with no relations is a community of its own.
    """
    simple = _simple(graph, directed=False)
    order = sorted(simple, key=str)
    index = {v: i for i, v in enumerate(order)}
    renumbered = nx.Graph()
    renumbered.add_nodes_from(range(len(order)))
    renumbered.add_weighted_edges_from(
        sorted((min(index[u], index[v]), max(index[u], index[v]), w) for u, v, w in simple.edges(data="weight"))
    )
    found = nx.community.louvain_communities(renumbered, weight="weight", seed=seed)
    groups = sorted((sorted(order[i] for i in group) for group in found), key=lambda g: (-len(g), str(g[0])))
    rows = [(actor, number) for number, group in enumerate(groups) for actor in group]
    frame = pd.DataFrame(rows, columns=["actor_id", "community"])
    frame["community"] = frame["community"].astype("int64")
    return frame.sort_values(["community", "actor_id"], ignore_index=True)


def minor_ids(actors: pd.DataFrame) -> frozenset[str]:
    """The actor_ids of the children (``is_minor`` true) in an actors frame."""
    minor = actors["is_minor"].astype("boolean").fillna(False).astype(bool)
    return frozenset(actors.loc[minor, "actor_id"].astype(str))


def detention_graph(detentions: pd.DataFrame, events: pd.DataFrame, actors: pd.DataFrame) -> nx.Graph:
    """Bipartite graph: named adult detainees (bipartite="person") linked to the events they were detained at.

    Person nodes are the ``actor_id`` of every named detention row (group counts are left out);
    event nodes (bipartite="event", with title, date, category from ``events``) are the events of
    those rows. An edge person - event lists the ``detention_ids`` behind it. A named detention
    without an event_id gives an isolated person node. Children (``is_minor`` in ``actors``) are
    left out altogether: a child linked to the adults held at the same event would be identifiable
    through them, so no view built from this graph may show one. Raise ValueError for an event_id
    not in ``events`` or an id that is both a person and an event.
    """
    children = minor_ids(actors)
    named = detentions[detentions["actor_id"].notna() & ~detentions["actor_id"].astype(str).isin(children)]
    info = events.astype(object).set_index("event_id")
    graph = nx.Graph()
    for actor_id in named["actor_id"]:
        graph.add_node(str(actor_id), bipartite="person")
    persons = set(graph)
    for detention_id, actor_id, event_id in zip(named["detention_id"], named["actor_id"], named["event_id"]):
        if pd.isna(event_id):
            continue
        event = str(event_id)
        if event not in info.index:
            raise ValueError(f"detention {detention_id}: event_id {event!r} is not in the events table")
        if event in persons:
            raise ValueError(f"detention {detention_id}: {event!r} is both a person and an event")
        graph.add_node(
            event,
            bipartite="event",
            title=_value(info.at[event, "title"]),
            date=_value(info.at[event, "date"]),
            category=_value(info.at[event, "category"]),
        )
        person = str(actor_id)
        if graph.has_edge(person, event):
            graph[person][event]["detention_ids"] += (str(detention_id),)
        else:
            graph.add_edge(person, event, detention_ids=(str(detention_id),))
    return graph


def co_detention(bipartite: nx.Graph) -> nx.Graph:
    """People linked when detained at the same event; edge ``weight`` = number of events they share."""
    persons = [v for v, side in bipartite.nodes(data="bipartite") if side == "person"]
    if len(persons) == len(bipartite):  # no events at all: networkx refuses to project
        alone = nx.Graph()
        alone.add_nodes_from(bipartite.nodes(data=True))
        return alone
    return nx.bipartite.weighted_projected_graph(bipartite, persons)


def layout(
    graph: nx.Graph, seed: int = 0, spread: float = 1.0, weighted: bool = True, iterations: int = 50
) -> dict[str, tuple[float, float]]:
    """Reproducible 2-D positions (spring layout, seeded, rounded to 6 decimals) keyed by node id.

    Computed on the undirected simple projection with edge weight = number of edges between two
    nodes (or 1 for every pair if not ``weighted``), with the nodes in id order. ``spread``
    multiplies networkx's default optimal distance 1/sqrt(n) (larger values space the nodes out);
    the defaults give networkx's own layout. networkx needs SciPy for graphs of 500 nodes or more.
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph, key=str))
    edges = _simple(graph, directed=False).edges(data="weight")
    simple.add_weighted_edges_from(sorted(edges, key=lambda e: (str(e[0]), str(e[1]))))
    if simple.number_of_nodes() == 0:
        return {}
    if spread == 1.0 and weighted and iterations == 50:
        pos = nx.spring_layout(simple, seed=seed, weight="weight")
    else:
        pos = nx.spring_layout(
            simple,
            seed=seed,
            weight="weight" if weighted else None,
            k=spread / math.sqrt(simple.number_of_nodes()),
            iterations=iterations,
        )
    return {str(v): (round(float(x), 6), round(float(y), 6)) for v, (x, y) in pos.items()}


# ----------------------------------------------------------------------------- the chapter's views
#
# What follows turns the graphs above into what the "Actor networks" chapter shows: sides and kinds
# of actors, relation families, readable sub-views (the giant component, the most connected actors,
# one relation family), ranked tables, and the drawings. Still pure functions: figures are returned,
# never shown or saved.

SIDE_ORDER: tuple[str, ...] = ("azerbaijan", "artsakh", "armenia", "iran", "russia", "other")
"""Sides an actor is drawn in, in legend order (keys of :data:`analysis.charts.SIDE_COLOURS`, plus 'other')."""

SIDE_NAMES: dict[str, str] = {
    "azerbaijan": "Azerbaijan",
    "artsakh": "Artsakh (self-declared)",
    "armenia": "Armenia",
    "iran": "Iran (state bodies and people in Iran)",
    "russia": "Russia",
    "other": "Other states and international bodies",
}
SIDE_SHORT: dict[str, str] = {
    **{
        side: label
        for side, label in value_labels("casualties", "side").items()
        if side in SIDE_ORDER and side != "other"
    },
    "other": "other",
}
"""Side names for table cells: the descriptor's labels; 'other' here is every actor of no side drawn apart."""
_COUNTRY_SIDE = {"AZ": "azerbaijan", "AM": "armenia", "IR": "iran", "RU": "russia"}
_ARTSAKH_MARK = "by international recognition"  # actors.csv's wording for Artsakh bodies coded AZ

KIND_GROUPS: dict[str, str] = {
    "person": "People",
    "state": "States and armed forces",
    "armed-force": "States and armed forces",
    "government-body": "Government bodies and courts",
    "court": "Government bodies and courts",
    "organisation": "Organisations, parties and media",
    "party": "Organisations, parties and media",
    "media": "Organisations, parties and media",
}
"""Actor kinds grouped into the four marker shapes of the drawings."""
KIND_MARKERS: dict[str, tuple[str, str]] = {  # group -> (matplotlib marker, plotly symbol)
    "People": ("o", "circle"),
    "States and armed forces": ("s", "square"),
    "Government bodies and courts": ("D", "diamond"),
    "Organisations, parties and media": ("^", "triangle-up"),
}

RELATION_FAMILIES: dict[str, tuple[str, ...]] = {
    "Conflict and diplomacy": (
        "fought",
        "supported",
        "supplied",
        "blamed",
        "condemned",
        "called-on",
        "mediated",
        "signed",
        "met",
    ),
    "Detention and courts": ("detained-by", "sentenced-by", "summoned-by"),
    "Membership and office": ("member-of", "leader-of", "part-of", "represented", "dismissed"),
}
"""The relation vocabulary of relations.csv in three families, one panel each in the chapter."""
RELATION_READING: dict[str, str] = {
    "fought": "fought",
    "supported": "supported",
    "supplied": "supplied arms or goods to",
    "blamed": "blamed",
    "condemned": "condemned",
    "called-on": "called on",
    "mediated": "mediated with",
    "signed": "signed with",
    "met": "met",
    "detained-by": "was detained by",
    "sentenced-by": "was sentenced by",
    "summoned-by": "was summoned by",
    "member-of": "is a member of",
    "leader-of": "is the leader of",
    "part-of": "is part of",
    "represented": "spoke for or represented",
    "dismissed": "dismissed",
}
"""How to read one edge: 'source <reading> target'."""


def relation_family(relation: str) -> str:
    """The family (a key of RELATION_FAMILIES) a relation type belongs to; ValueError for an unknown type."""
    for family, members in RELATION_FAMILIES.items():
        if relation in members:
            return family
    raise ValueError(f"relation {relation!r} is in no family of RELATION_FAMILIES")


def actor_sides(actors: pd.DataFrame) -> pd.Series:
    """Side per actor_id for colouring: by home country; Artsakh bodies (coded AZ) apart; the rest 'other'.

    An actor coded AZ whose description says it is coded so "by international recognition" is an
    Artsakh actor (that is how actors.csv marks the self-declared republic's bodies and officials).
    """
    sides = []
    for country, description in zip(actors["country"].astype(object), actors["description"].astype(object)):
        side = _COUNTRY_SIDE.get(str(country), "other") if not pd.isna(country) else "other"
        if side == "azerbaijan" and isinstance(description, str) and _ARTSAKH_MARK in description:
            side = "artsakh"
        sides.append(side)
    return pd.Series(sides, index=actors["actor_id"].astype(str).to_numpy(), dtype=object, name="side")


def side_colours() -> dict[str, str]:
    """Colour per side key of SIDE_ORDER: the book's SIDE_COLOURS, light grey for 'other'."""
    from . import charts

    return {side: charts.SIDE_COLOURS[side] if side != "other" else charts.OTHER_COLOUR for side in SIDE_ORDER}


def _kind_group(kind: object) -> str:
    return KIND_GROUPS.get(str(kind), "Organisations, parties and media")


def giant_component(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The largest group of actors linked to each other by relations (ties read in either direction)."""
    if graph.number_of_nodes() == 0:
        return graph.copy()
    parts = sorted(nx.weakly_connected_components(graph), key=lambda c: (-len(c), min(map(str, c))))
    return graph.subgraph(parts[0]).copy()


def _ranked(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Degree and PageRank (as in centrality()), ordered by degree, then PageRank, then actor_id (a total order)."""
    rank = _pagerank(_simple(graph, directed=True))
    frame = pd.DataFrame(
        {
            "actor_id": pd.Series(list(graph), dtype=object),
            "degree": pd.Series([graph.degree(v) for v in graph], dtype="int64"),
            "pagerank": pd.Series([rank[v] for v in graph], dtype=float),
        }
    )
    frame = frame.sort_values(["degree", "pagerank", "actor_id"], ascending=[False, False, True], kind="mergesort")
    return frame.set_index("actor_id")


def central_core(graph: nx.MultiDiGraph, size: int = 30) -> nx.MultiDiGraph:
    """The ``size`` actors with most relation rows (ties by PageRank, then id) and every edge among them.

    Actors of that top group that have no tie to another member are left out, so the view may hold
    fewer than ``size`` actors.
    """
    top = list(_ranked(graph).index[:size])
    core = graph.subgraph(top).copy()
    alone = [v for v in core if not (set(core.successors(v)) | set(core.predecessors(v))) - {v}]
    core.remove_nodes_from(alone)
    return core


def family_subgraph(graph: nx.MultiDiGraph, family: str) -> nx.MultiDiGraph:
    """Only the edges of one relation family, with the actors at their ends (node attributes kept)."""
    if family not in RELATION_FAMILIES:
        raise ValueError(f"unknown relation family {family!r}; expected one of {sorted(RELATION_FAMILIES)}")
    members = set(RELATION_FAMILIES[family])
    edges = [(u, v, k) for u, v, k, r in graph.edges(keys=True, data="relation") if r in members]
    return graph.edge_subgraph(edges).copy()


def relation_table(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Per relation type: its family, how to read an edge, the number of edges and of source documents."""
    counts = relation_counts(graph)
    per_source: dict[str, set[str]] = {}
    for _, _, data in graph.edges(data=True):
        per_source.setdefault(str(data.get("relation")), set()).add(str(data.get("source_id")))
    counts.insert(1, "family", [relation_family(r) for r in counts["relation"]])
    counts.insert(2, "reads as", [f"A {RELATION_READING.get(r, r)} B" for r in counts["relation"]])
    counts["sources"] = pd.Series([len(per_source[r]) for r in counts["relation"]], index=counts.index, dtype="int64")
    return counts


def family_by_source(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Edges per relation family (rows) and source document (columns), with totals; families in fixed order."""
    rows = [(relation_family(str(d.get("relation"))), str(d.get("source_id"))) for _, _, d in graph.edges(data=True)]
    frame = pd.DataFrame(rows, columns=["family", "source_id"])
    table = pd.crosstab(frame["family"], frame["source_id"]) if rows else pd.DataFrame()
    table = table.reindex(index=[f for f in RELATION_FAMILIES if f in table.index])
    table = table.reindex(columns=sorted(table.columns))
    table["all sources"] = table.sum(axis=1)
    table.loc["all families"] = table.sum(axis=0)
    table.index.name = "family"
    table.columns.name = None
    return table.astype("int64")


def side_coverage(graph: nx.MultiDiGraph, sides: pd.Series, side: str, crossing: bool = False) -> pd.DataFrame:
    """Edges with at least one end on ``side``, per source document: count and share (0-1), largest first.

    With ``crossing``, only the edges with exactly one end on ``side`` (the ties between that side
    and everyone else) are counted.
    """

    def counted(u: object, v: object) -> bool:
        ends = (sides.get(str(u)) == side) + (sides.get(str(v)) == side)
        return ends == 1 if crossing else ends >= 1

    sources = [str(d.get("source_id")) for u, v, d in graph.edges(data=True) if counted(u, v)]
    counts = pd.Series(sources, dtype=object).value_counts()
    frame = pd.DataFrame({"source_id": counts.index.astype(str), "edges": counts.to_numpy(dtype="int64")})
    frame["share"] = frame["edges"] / frame["edges"].sum() if len(frame) else pd.Series(dtype=float)
    return frame.sort_values(["edges", "source_id"], ascending=[False, True], ignore_index=True)


def edges_touching(graph: nx.MultiDiGraph, actor_ids: list[str]) -> int:
    """Number of edges (relation rows) with at least one end among ``actor_ids``."""
    chosen = set(actor_ids)
    return sum(1 for u, v in graph.edges() if str(u) in chosen or str(v) in chosen)


def centrality_ranking(
    graph: nx.MultiDiGraph, labels: pd.Series, sides: pd.Series, top: int = 10, measures: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The actors in the top ``top`` by degree, betweenness or PageRank, with all three measures and ranks.

    Ranks are 1 for the highest value (ties share the better rank, 'min' method); rows are ordered by
    PageRank. ``labels`` (e.g. sentencing.person_labels) gives the names shown, so minors stay unnamed.
    ``measures`` is centrality(graph) when the caller has it already (betweenness is the slow part).
    """
    frame = centrality(graph) if measures is None else measures
    ranks = pd.DataFrame(
        {m: frame[m].rank(ascending=False, method="min").astype("int64") for m in ("degree", "betweenness", "pagerank")}
    )
    chosen = ranks.index[(ranks <= top).any(axis=1)]
    out = pd.DataFrame(
        {
            "actor": [str(labels.get(a, frame.at[a, "name"])) for a in chosen],
            "kind": [str(frame.at[a, "kind"]) for a in chosen],
            "side": [SIDE_SHORT[str(sides.get(a, "other"))] for a in chosen],
            "degree": frame.loc[chosen, "degree"].to_numpy(dtype="int64"),
            "betweenness": frame.loc[chosen, "betweenness"].to_numpy(dtype=float),
            "pagerank": frame.loc[chosen, "pagerank"].to_numpy(dtype=float),
            "degree rank": ranks.loc[chosen, "degree"].to_numpy(),
            "betweenness rank": ranks.loc[chosen, "betweenness"].to_numpy(),
            "PageRank rank": ranks.loc[chosen, "pagerank"].to_numpy(),
        },
        index=pd.Index(chosen, name="actor_id"),
    )
    return out.sort_values(["pagerank", "actor"], ascending=[False, True], kind="mergesort")


def community_table(
    graph: nx.MultiDiGraph,
    labels: pd.Series,
    sides: pd.Series,
    min_size: int = 2,
    members: int = 3,
    seed: int = 0,
    found: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Louvain communities of at least ``min_size`` actors: size, most central members, main side/family/source.

    'most central' is by PageRank on the whole graph; 'main side' is the most common side among the
    members, 'main family' and 'main source' the most common relation family and source document of
    the edges inside the community (ties broken alphabetically). ``found`` is communities(graph, seed)
    when the caller has it already.
    """
    found = communities(graph, seed=seed) if found is None else found
    rank = _ranked(graph)["pagerank"]
    rows = []
    for number, group in found.groupby("community", sort=True):
        ids = [str(a) for a in group["actor_id"]]
        if len(ids) < min_size:
            continue
        top = sorted(ids, key=lambda a: (-rank[a], a))[:members]
        inner = graph.subgraph(ids)
        families = pd.Series([relation_family(str(r)) for _, _, r in inner.edges(data="relation")], dtype=object)
        sources = pd.Series([str(s) for _, _, s in inner.edges(data="source_id")], dtype=object)
        side_counts = pd.Series([str(sides.get(a, "other")) for a in ids], dtype=object)
        rows.append(
            {
                "community": int(number),
                "actors": len(ids),
                "ties": inner.number_of_edges(),
                "most central members": "; ".join(str(labels.get(a, a)) for a in top),
                "main side": SIDE_SHORT[_mode(side_counts)],
                "main relation family": _mode(families) if len(families) else "–",
                "main source": _mode(sources) if len(sources) else "–",
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "community",
            "actors",
            "ties",
            "most central members",
            "main side",
            "main relation family",
            "main source",
        ],
    )
    return frame.astype({"community": "int64", "actors": "int64", "ties": "int64"})


def _mode(values: pd.Series) -> str:
    """Most frequent value (missing values not counted), ties broken alphabetically."""
    counts = Counter(str(value) for value in values if not pd.isna(value))
    return min(counts, key=lambda value: (-counts[value], value))


def draw_network(
    graph: nx.Graph,
    positions: dict[str, tuple[float, float]],
    sides: pd.Series,
    labels: pd.Series,
    label_nodes: list[str],
    ax: Axes,
    *,
    edge_families: bool = True,
    node_scale: float = 1.0,
    label_width: int = 22,
    font_size: float = 8.0,
) -> None:
    """Draw ``graph`` on a matplotlib axis: side colours, kind shapes, size by degree, edges by relation family.

    Only ``label_nodes`` get a text label (from ``labels``, wrapped). Edges of a multigraph are
    drawn once per pair, as wide as the number of relation rows they stand for.
    """
    from . import charts

    colours = side_colours()
    families: dict[tuple[str, str], list[str]] = {}
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        pair = (min(str(u), str(v)), max(str(u), str(v)))
        relation = data.get("relation")
        families.setdefault(pair, []).append(relation_family(str(relation)) if relation is not None else "")
    for pair in sorted(families):
        (x0, y0), (x1, y1) = positions[pair[0]], positions[pair[1]]
        family = _mode(pd.Series(families[pair], dtype=object))
        colour = charts.FAMILY_COLOURS.get(family, "#bbbbbb") if edge_families else "#bbbbbb"
        ax.plot(
            [x0, x1],
            [y0, y1],
            color=colour,
            linewidth=0.6 + 0.6 * min(len(families[pair]), 6),
            alpha=0.75,
            zorder=1,
            solid_capstyle="round",
        )
    degree = {str(v): d for v, d in graph.degree()}
    for group, (marker, _) in KIND_MARKERS.items():
        nodes = sorted((str(v) for v, k in graph.nodes(data="kind") if _kind_group(k) == group))
        if not nodes:
            continue
        ax.scatter(
            [positions[v][0] for v in nodes],
            [positions[v][1] for v in nodes],
            marker=marker,
            s=[node_scale * (28 + 22 * math.sqrt(degree[v])) for v in nodes],
            c=[colours[str(sides.get(v, "other"))] for v in nodes],
            edgecolors="#333333",
            linewidths=0.5,
            zorder=2,
        )
    ax.set_axis_off()
    ax.margins(0.08)
    ax.autoscale_view()
    ax.set_xlim(ax.get_xlim())
    ax.set_ylim(ax.get_ylim())
    radius = {v: math.sqrt(node_scale * (28 + 22 * math.sqrt(degree[v]))) / 2 for v in degree}
    texts = {v: charts.wrap_lines(str(labels.get(v, v)), label_width) for v in label_nodes if v in positions}
    draw_labels(ax, positions, texts, radius, font_size)


def draw_labels(
    ax: Axes,
    positions: dict[str, tuple[float, float]],
    texts: dict[str, str],
    radius: dict[str, float],
    font_size: float,
    italic: frozenset[str] = frozenset(),
) -> None:
    """Labels placed by place_labels, with a white halo; a label set apart from its node gets a thin leader line."""
    import matplotlib.patheffects as effects

    offsets = place_labels(ax, positions, radius, texts, font_size)
    halo = [effects.withStroke(linewidth=2.6, foreground="white")]
    for v, (dx, dy) in offsets.items():
        lines = texts[v].split("\n")
        w = max(len(line) for line in lines) * font_size * 0.64 + 2
        h = len(lines) * font_size * 1.25 + 1
        gap = math.hypot(max(abs(dx) - w / 2, 0.0), max(abs(dy) - h / 2, 0.0)) - radius.get(v, 3)
        leader = (
            {"arrowstyle": "-", "color": "#777777", "lw": 0.6, "shrinkA": 1, "shrinkB": radius.get(v, 3) + 1}
            if gap > 6
            else None
        )
        ax.annotate(
            texts[v],
            positions[v],
            xytext=(dx, dy),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=font_size,
            fontfamily="DejaVu Sans",
            zorder=3,
            path_effects=halo,
            fontstyle="italic" if v in italic else "normal",
            color="#333333" if v in italic else "#111111",
            arrowprops=leader,
        )


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Area shared by two boxes (x0, y0, x1, y1)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def place_labels(
    ax: Axes,
    positions: dict[str, tuple[float, float]],
    radius: dict[str, float],
    texts: dict[str, str],
    font_size: float,
) -> dict[str, tuple[float, float]]:
    """Offsets in points (label centre from node centre) that keep labels off each other and off nodes.

    Labels are placed in the order of ``texts`` (most important first). Each tries eight positions
    around its node, then the same further out (four rings, up to 46 points away, a leader line
    drawn where it is set apart), and takes the first that overlaps nothing already
    placed and stays inside the axis; if none does, the one with the least overlap. Deterministic.
    """
    scale = 72.0 / ax.figure.dpi
    points = {v: tuple(float(c) * scale for c in ax.transData.transform(xy)) for v, xy in positions.items()}
    x0, y0 = (float(c) * scale for c in ax.transData.transform((ax.get_xlim()[0], ax.get_ylim()[0])))
    x1, y1 = (float(c) * scale for c in ax.transData.transform((ax.get_xlim()[1], ax.get_ylim()[1])))
    nodes = {
        v: (x - radius.get(v, 3), y - radius.get(v, 3), x + radius.get(v, 3), y + radius.get(v, 3))
        for v, (x, y) in points.items()
    }
    placed: list[tuple[float, float, float, float]] = []
    offsets: dict[str, tuple[float, float]] = {}
    for v, text in texts.items():
        lines = text.split("\n")
        w = max(len(line) for line in lines) * font_size * 0.64 + 2
        h = len(lines) * font_size * 1.25 + 1
        r = radius.get(v, 3) + 1.5
        best: tuple[float, tuple[float, float]] | None = None
        for far in (0.0, 8.0, 18.0, 30.0, 46.0):
            for ux, uy in ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1)):
                dx = ux * (r + w / 2 + far) if ux else 0.0
                dy = uy * (r + h / 2 + far) if uy else 0.0
                cx, cy = points[v][0] + dx, points[v][1] + dy
                box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                cost = sum(_overlap(box, b) for b in placed)
                cost += sum(_overlap(box, b) for u, b in nodes.items() if u != v)
                outside = max(0.0, x0 - box[0]) + max(0.0, box[2] - x1) + max(0.0, y0 - box[1]) + max(0.0, box[3] - y1)
                cost += outside * h * 10
                if best is None or cost < best[0]:
                    best = (cost, (dx, dy))
                if cost == 0:
                    break
            if best is not None and best[0] == 0:
                break
        assert best is not None
        dx, dy = best[1]
        cx, cy = points[v][0] + dx, points[v][1] + dy
        placed.append((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
        offsets[v] = (round(dx, 3), round(dy, 3))
    return offsets


def edge_sources(graph: nx.Graph) -> list[str]:
    """The source documents (source_id) behind the edges of ``graph``, sorted."""
    return sorted({str(s) for _, _, s in graph.edges(data="source_id") if s is not None})


def detention_sources(bipartite: nx.Graph, detentions: pd.DataFrame) -> list[str]:
    """The source documents (source_id) of the detention rows behind the edges of a person-event graph."""
    ids = {d for _, _, ds in bipartite.edges(data="detention_ids") for d in (ds or ())}
    rows = detentions[detentions["detention_id"].astype(str).isin(ids)]
    return sorted({str(s) for s in rows["source_id"]})


def legend_handles(graph: nx.Graph, sides: pd.Series, families: bool = True) -> list[Artist]:
    """Legend entries for draw_network: the sides and kinds present in ``graph``, then the edge families."""
    from matplotlib.lines import Line2D

    from . import charts

    colours = side_colours()
    present_sides = {str(sides.get(str(v), "other")) for v in graph}
    present_kinds = {_kind_group(k) for _, k in graph.nodes(data="kind")}
    handles: list[Artist] = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=8,
            markerfacecolor=colours[side],
            markeredgecolor="#333333",
            label=SIDE_NAMES[side],
        )
        for side in SIDE_ORDER
        if side in present_sides
    ]
    handles += [
        Line2D(
            [],
            [],
            marker=marker,
            linestyle="",
            markersize=7,
            markerfacecolor="white",
            markeredgecolor="#333333",
            label=group,
        )
        for group, (marker, _) in KIND_MARKERS.items()
        if group in present_kinds
    ]
    if families:
        present = {relation_family(str(r)) for _, _, r in graph.edges(data="relation") if r is not None}
        handles += [
            Line2D([], [], color=charts.FAMILY_COLOURS[f], linewidth=2.5, label=f"Tie: {f.lower()}")
            for f in RELATION_FAMILIES
            if f in present
        ]
    return handles


def by_degree(graph: nx.Graph) -> list[str]:
    """Node ids, most relation rows first (ties by id): the order in which labels are placed."""
    return sorted((str(v) for v in graph), key=lambda v: (-graph.degree(v), v))


def core_figure(
    graph: nx.MultiDiGraph, sides: pd.Series, labels: pd.Series, title: str, source: str, size: int = 40, seed: int = 0
) -> Figure:
    """The ``size`` most connected actors and their ties (central_core), every one labelled, seeded layout."""
    from matplotlib.figure import Figure  # not pyplot's: no backend, no global list of open figures

    from . import charts

    core = central_core(graph, size)
    positions = layout(core, seed=seed, spread=2.0, weighted=False, iterations=300)
    fig = Figure(figsize=(9, 9.5))
    foot = charts.static_frame(fig, title, source, legend_handles(core, sides))
    ax = fig.add_axes((0.0, foot, 1.0, 0.95 - foot))
    draw_network(core, positions, sides, labels, by_degree(core), ax, font_size=9.5)
    return literal_text(fig)


def family_view(graph: nx.MultiDiGraph, family: str, min_group: int = 4) -> nx.MultiDiGraph:
    """The edges of one relation family among connected groups of at least ``min_group`` actors."""
    part = family_subgraph(graph, family)
    keep = [v for group in nx.weakly_connected_components(part) if len(group) >= min_group for v in group]
    return part.subgraph(keep).copy()


def packed_layout(
    graph: nx.Graph, seed: int = 0, spread: float = 1.6, aspect: float = 1.6, iterations: int = 300
) -> dict[str, tuple[float, float]]:
    """Seeded positions with each connected group laid out on its own and the groups packed in rows.

    A spring layout of a graph in several pieces pushes the small pieces to the rim and squeezes
    each one to a dot; here each piece gets a square whose side grows with the square root of its
    size, largest piece first, in rows about ``aspect`` times as wide as they are tall together.
    """
    undirected = nx.Graph(graph) if not graph.is_directed() else nx.Graph(graph.to_undirected(as_view=True))
    pieces = sorted((sorted(map(str, c)) for c in nx.connected_components(undirected)), key=lambda c: (-len(c), c[0]))
    if not pieces:
        return {}
    sides = [math.sqrt(len(c)) for c in pieces]
    row_width = max(max(sides), math.sqrt(aspect * sum(s * s for s in sides)))
    gap = 0.6
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for piece, side in zip(pieces, sides):
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y - row_height - gap, 0.0
        sub = graph.subgraph(piece)
        local = (
            layout(sub, seed=seed, spread=spread, weighted=False, iterations=iterations)
            if len(piece) > 1
            else {piece[0]: (0.0, 0.0)}
        )
        xs = [p[0] for p in local.values()]
        ys = [p[1] for p in local.values()]
        span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
        for v, (px, py) in local.items():
            positions[v] = (
                round(x + side * ((px - min(xs)) / span if len(piece) > 1 else 0.5), 6),
                round(y - side * ((max(ys) - py) / span if len(piece) > 1 else 0.5), 6),
            )
        x += side + gap
        row_height = max(row_height, side)
    return positions


def family_figure(
    graph: nx.MultiDiGraph,
    sides: pd.Series,
    labels: pd.Series,
    title: str,
    source: str,
    min_group: int = 4,
    label_top: int = 14,
    seed: int = 0,
) -> Figure:
    """One panel per relation family (family_view), its best-connected actors labelled, seeded layouts."""
    from matplotlib.figure import Figure

    from . import charts

    fig = Figure(figsize=(9, 25))
    foot = charts.static_frame(fig, title, source, legend_handles(graph, sides))
    height = (0.96 - foot) / len(RELATION_FAMILIES)
    for i, family in enumerate(RELATION_FAMILIES):
        whole = family_subgraph(graph, family)
        part = family_view(graph, family, min_group)
        ax = fig.add_axes((0.0, foot + (len(RELATION_FAMILIES) - 1 - i) * height, 1.0, height - 0.02))
        positions = packed_layout(part, seed=seed)
        leaders = [
            min(group, key=lambda v: (-part.degree(v), str(v)))
            for group in sorted(nx.weakly_connected_components(part), key=lambda g: (-len(g), min(map(str, g))))
        ]
        chosen = list(dict.fromkeys(by_degree(part)[:label_top] + [str(v) for v in leaders]))
        draw_network(part, positions, sides, labels, chosen, ax, font_size=9.5)
        ax.set_title(
            f"{family}: {part.number_of_nodes()} of {whole.number_of_nodes()} actors and "
            f"{part.number_of_edges()} of {whole.number_of_edges()} ties (groups of {min_group} or more)",
            loc="left",
            fontsize=11.5,
            fontfamily="DejaVu Sans",
        )
    return literal_text(fig)


def fisheye(positions: dict[str, tuple[float, float]], power: float = 0.5) -> dict[str, tuple[float, float]]:
    """Positions pulled towards even spacing: each node's distance r from the median centre becomes r**power.

    A spring layout of a graph with dense hubs and long star-shaped arms crowds the hubs into the
    middle; with 0 < power < 1 the middle is enlarged and the rim drawn in, directions are kept.
    """
    if not positions:
        return {}
    xs = sorted(x for x, _ in positions.values())
    ys = sorted(y for _, y in positions.values())
    cx, cy = xs[len(xs) // 2], ys[len(ys) // 2]
    out = {}
    for v, (x, y) in positions.items():
        r = math.hypot(x - cx, y - cy)
        scale = r**power / r if r > 0 else 0.0
        out[v] = (round((x - cx) * scale, 6), round((y - cy) * scale, 6))
    return out


def network_plotly(
    graph: nx.MultiDiGraph,
    positions: dict[str, tuple[float, float]],
    sides: pd.Series,
    labels: pd.Series,
    label_nodes: list[str],
    title: str,
    source: str,
    community: dict[str, int] | None = None,
) -> go.Figure:
    """Interactive drawing: hover a node for who it is, hover an edge's midpoint for each relation and its citation.

    One trace per side (nodes) and per relation family (edges), so the legend can hide either;
    shapes per kind as in draw_network; equal axes, no basemap or axis ticks.
    """
    import plotly.graph_objects as go

    from . import charts
    from .charts import style_plotly

    colours = side_colours()
    fig = go.Figure()
    pairs: dict[tuple[str, str], list[str]] = {}
    pair_family: dict[tuple[str, str], list[str]] = {}
    for u, v, data in sorted(
        graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2].get("date")), str(e[2].get("locator")))
    ):
        if u == v:
            continue
        pair = (min(str(u), str(v)), max(str(u), str(v)))
        relation = str(data.get("relation"))
        text = (
            f"{plotly_text(labels.get(str(u), u))} {plotly_text(RELATION_READING.get(relation, relation))} "
            f"{plotly_text(labels.get(str(v), v))}<br><i>{plotly_text(data.get('source_id'))}, "
            f"{plotly_text(data.get('locator'))}</i>"
        )
        pairs.setdefault(pair, []).append(text)
        pair_family.setdefault(pair, []).append(relation_family(relation))
    for family in RELATION_FAMILIES:
        chosen = sorted(p for p in pairs if _mode(pd.Series(pair_family[p], dtype=object)) == family)
        if not chosen:
            continue
        xs: list[float | None] = []
        ys: list[float | None] = []
        for a, b in chosen:
            xs += [positions[a][0], positions[b][0], None]
            ys += [positions[a][1], positions[b][1], None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": charts.FAMILY_COLOURS[family], "width": 1.2},
                opacity=0.7,
                hoverinfo="skip",
                name=f"Tie: {family.lower()}",
                legendgroup=family,
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[(positions[a][0] + positions[b][0]) / 2 for a, b in chosen],
                y=[(positions[a][1] + positions[b][1]) / 2 for a, b in chosen],
                mode="markers",
                marker={"size": 7, "color": charts.FAMILY_COLOURS[family], "opacity": 0.25},
                hovertext=["<br>".join(pairs[p]) for p in chosen],
                hoverinfo="text",
                showlegend=False,
                legendgroup=family,
                name=family,
            )
        )
    degree = {str(v): d for v, d in graph.degree()}
    shown = set(label_nodes)
    for side in SIDE_ORDER:
        nodes = sorted(str(v) for v in graph if str(sides.get(str(v), "other")) == side)
        if not nodes:
            continue
        hover = []
        for v in nodes:
            kind = graph.nodes[v].get("kind")
            line = (
                f"<b>{plotly_text(labels.get(v, v))}</b><br>{plotly_text(kind)}, {SIDE_NAMES[side]}<br>"
                f"relation rows: {degree[v]}"
            )
            if community is not None and v in community:
                line += f"<br>community {community[v]}"
            hover.append(line)
        fig.add_trace(
            go.Scatter(
                x=[positions[v][0] for v in nodes],
                y=[positions[v][1] for v in nodes],
                mode="markers+text",
                text=[plotly_text(labels.get(v, v)) if v in shown else "" for v in nodes],
                textposition="top center",
                textfont={"size": 11},
                hovertext=hover,
                hoverinfo="text",
                name=SIDE_NAMES[side],
                marker={
                    "color": colours[side],
                    "size": [7 + 3 * math.sqrt(degree[v]) for v in nodes],
                    "symbol": [KIND_MARKERS[_kind_group(graph.nodes[v].get("kind"))][1] for v in nodes],
                    "line": {"color": "#333333", "width": 0.6},
                },
            )
        )
    style_plotly(fig, title, source)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig.update_layout(
        hovermode="closest",
        margin={"t": 60, "b": 120, "l": 20, "r": 20},
        legend={"y": -0.01, "yanchor": "top", "font": {"size": 11}},
    )


# ----------------------------------------------------------------------------- people detained together


def detention_event_table(bipartite: nx.Graph, events: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """Per event of the detention graph: date (at its precision), title, category, number of named people, who.

    Most named people first, then by date. ``bipartite`` comes from detention_graph, which leaves children out.
    """
    precision = dict(zip(events["event_id"].astype(str), events["date_precision"].astype(object)))
    rows = []
    for v, data in bipartite.nodes(data=True):
        if data.get("bipartite") != "event":
            continue
        people = sorted(str(labels.get(str(p), p)) for p in bipartite[v])
        rows.append(
            {
                "event_id": str(v),
                "sort": data.get("date"),
                "date": date_text(data.get("date"), precision.get(str(v)), months="short", missing="undated"),
                "event": data.get("title"),
                "category": data.get("category"),
                "named people": len(people),
                "people": "; ".join(people),
            }
        )
    frame = pd.DataFrame(rows, columns=["event_id", "sort", "date", "event", "category", "named people", "people"])
    frame["sort"] = pd.to_datetime(frame["sort"])
    frame["named people"] = frame["named people"].astype("int64")
    frame = frame.sort_values(["named people", "sort", "event_id"], ascending=[False, True, True], ignore_index=True)
    return frame.drop(columns="sort")


def detention_view(bipartite: nx.Graph, min_people: int = 2) -> nx.Graph:
    """The connected groups of the person-event graph that hold at least ``min_people`` people."""
    keep = [
        v
        for group in nx.connected_components(bipartite)
        if sum(1 for u in group if bipartite.nodes[u].get("bipartite") == "person") >= min_people
        for v in group
    ]
    return bipartite.subgraph(keep).copy()


def co_detention_summary(bipartite: nx.Graph, co: nx.Graph) -> dict[str, int]:
    """Counts that describe the co-detention network (all ints).

    people: named detainees; events: events they are linked to; pairs: pairs of people who share
    an event; groups: connected groups of two or more people; largest_group: people in the largest;
    alone: people who share no event with another named person; repeated_pairs: pairs sharing 2+ events;
    several_events: people linked to two or more events.
    """
    persons = [v for v, side in bipartite.nodes(data="bipartite") if side == "person"]
    groups = [len(c) for c in nx.connected_components(co) if len(c) >= 2]
    return {
        "people": len(persons),
        "events": sum(1 for _, side in bipartite.nodes(data="bipartite") if side == "event"),
        "pairs": co.number_of_edges(),
        "groups": len(groups),
        "largest_group": max(groups, default=0),
        "alone": sum(1 for v in co if co.degree(v) == 0),
        "repeated_pairs": sum(1 for _, _, w in co.edges(data="weight") if w >= 2),
        "several_events": sum(1 for v in persons if bipartite.degree(v) >= 2),
    }


def repeat_pairs(bipartite: nx.Graph, co: nx.Graph, labels: pd.Series, min_shared: int = 2) -> pd.DataFrame:
    """Pairs of people linked to at least ``min_shared`` of the same events, with those events' titles."""
    rows = []
    for u, v, weight in co.edges(data="weight"):
        if weight < min_shared:
            continue
        a, b = sorted((str(labels.get(str(u), u)), str(labels.get(str(v), v))))
        shared = sorted(set(bipartite[u]) & set(bipartite[v]), key=lambda e: (str(bipartite.nodes[e].get("date")), e))
        rows.append(
            {
                "person": a,
                "with": b,
                "shared events": int(weight),
                "events": "; ".join(str(bipartite.nodes[e].get("title")) for e in shared),
            }
        )
    frame = pd.DataFrame(rows, columns=["person", "with", "shared events", "events"])
    frame["shared events"] = frame["shared events"].astype("int64")
    return frame.sort_values(["shared events", "person", "with"], ascending=[False, True, True], ignore_index=True)


def detention_figure(
    bipartite: nx.Graph,
    events: pd.DataFrame,
    sides: pd.Series,
    labels: pd.Series,
    title: str,
    source: str,
    min_people: int = 2,
    seed: int = 0,
) -> Figure:
    """People (circles, side colours) joined to the events they were detained at (white squares, labelled).

    Only groups with at least ``min_people`` people are drawn (detention_view), each laid out on its
    own (packed_layout). Events are labelled with title and date at its precision; a person is
    labelled when linked to two or more events.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from . import charts

    bipartite = detention_view(bipartite, min_people)
    precision = dict(zip(events["event_id"].astype(str), events["date_precision"].astype(object)))
    colours = side_colours()
    positions = packed_layout(bipartite, seed=seed, spread=1.4, aspect=1.3)
    present = [
        s
        for s in SIDE_ORDER
        if any(str(sides.get(v, "other")) == s for v, k in bipartite.nodes(data="bipartite") if k == "person")
    ]
    handles = [
        Line2D(
            [],
            [],
            marker="s",
            linestyle="",
            markersize=8,
            markerfacecolor="white",
            markeredgecolor="#111111",
            label="Event the detention is recorded under",
        )
    ]
    handles += [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=7,
            markerfacecolor=colours[s],
            markeredgecolor="#333333",
            label=f"Named person: {SIDE_NAMES[s].split(' (')[0]}",
        )
        for s in present
    ]
    fig = Figure(figsize=(9, 11))
    foot = charts.static_frame(fig, title, source, handles, ncol=2)
    ax = fig.add_axes((0.0, foot, 1.0, 0.95 - foot))
    for u, v in sorted((min(str(a), str(b)), max(str(a), str(b))) for a, b in bipartite.edges()):
        ax.plot(
            [positions[u][0], positions[v][0]],
            [positions[u][1], positions[v][1]],
            color="#9a9a9a",
            linewidth=0.9,
            zorder=1,
        )
    persons = sorted(str(v) for v, s in bipartite.nodes(data="bipartite") if s == "person")
    events = sorted(str(v) for v, s in bipartite.nodes(data="bipartite") if s == "event")
    ax.scatter(
        [positions[v][0] for v in persons],
        [positions[v][1] for v in persons],
        s=34,
        zorder=2,
        c=[colours[str(sides.get(v, "other"))] for v in persons],
        edgecolors="#333333",
        linewidths=0.5,
    )
    ax.scatter(
        [positions[v][0] for v in events],
        [positions[v][1] for v in events],
        s=70,
        marker="s",
        c="white",
        edgecolors="#111111",
        linewidths=1.2,
        zorder=2,
    )
    ax.set_axis_off()
    ax.margins(0.06)
    ax.autoscale_view()
    ax.set_xlim(ax.get_xlim())
    ax.set_ylim(ax.get_ylim())

    def event_text(e: str) -> str:
        when = date_text(bipartite.nodes[e].get("date"), precision.get(e), months="short", missing="undated")
        return charts.wrap_lines(f"{bipartite.nodes[e].get('title')} ({when})", 26)

    ordered = sorted(events, key=lambda e: (-bipartite.degree(e), e))
    several = sorted((v for v in persons if bipartite.degree(v) >= 2), key=lambda v: str(labels.get(v, v)))
    texts = {e: event_text(e) for e in ordered} | {v: charts.wrap_lines(str(labels.get(v, v)), 20) for v in several}
    radius = {v: 5.0 for v in persons} | {e: 6.0 for e in events}
    draw_labels(ax, positions, texts, radius, 8.5, italic=frozenset(several))
    return literal_text(fig)


def biggest_rank_gap(
    ranking: pd.DataFrame, within: str = "PageRank rank", against: str = "degree rank", top: int = 10
) -> pd.Series:
    """The row of a centrality_ranking() table, among the top ``top`` by ``within``, ranked worst by ``against``."""
    chosen = ranking[ranking[within] <= top]
    if chosen.empty:
        raise ValueError(f"no actor has {within} <= {top}")
    ordered = chosen.reset_index().sort_values(
        [against, within, "actor_id"], ascending=[False, True, True], kind="mergesort"
    )
    return ordered.iloc[0]


def named_detentions_by_source(detentions: pd.DataFrame) -> pd.DataFrame:
    """Detention rows that name a person, per source document: rows and share (0-1), most first."""
    named = detentions.loc[detentions["actor_id"].notna(), "source_id"].astype(str)
    counts = named.value_counts()
    frame = pd.DataFrame({"source_id": counts.index.astype(str), "rows": counts.to_numpy(dtype="int64")})
    frame["share"] = frame["rows"] / frame["rows"].sum() if len(frame) else pd.Series(dtype=float)
    return frame.sort_values(["rows", "source_id"], ascending=[False, True], ignore_index=True)


# ----------------------------------------------------------------------------- the figures the chapter's prose names


def overview_figures(graph: nx.MultiDiGraph, measures: pd.DataFrame, giant: nx.MultiDiGraph) -> dict[str, int]:
    """Actors, relation rows and relation types of the graph; actors with no tie; the giant component's size."""
    return {
        "actors": graph.number_of_nodes(),
        "relations": graph.number_of_edges(),
        "relation-types": len(relation_counts(graph)),
        "isolated": int((measures["degree"] == 0).sum()),
        "giant-actors": giant.number_of_nodes(),
        "giant-ties": giant.number_of_edges(),
    }


def family_figures(by_source: pd.DataFrame, sources: pd.DataFrame) -> dict[str, int]:
    """From family_by_source(): rows per relation family, the activist report's detention rows, and the conflict
    rows of the encyclopedic account that gives the most of them."""
    rows = by_source["all sources"]
    conflict = by_source.loc["Conflict and diplomacy"].drop("all sources")
    return {
        "conflict-rows": int(rows["Conflict and diplomacy"]),
        "detention-rows": int(rows["Detention and courts"]),
        "membership-rows": int(rows["Membership and office"]),
        "detention-activist": int(by_source.at["Detention and courts", activist_source(sources)]),
        "conflict-war-article": int(conflict[most_rows(conflict, sources, "encyclopedic")]),
    }


def hub_figures(graph: nx.MultiDiGraph, core: nx.MultiDiGraph, labels: pd.Series) -> dict[str, object]:
    """Actors in the drawn core; the two actors with the most relation rows, the rows touching either, their share."""
    hubs = by_degree(graph)[:2]
    rows = edges_touching(graph, hubs)
    return {
        "core-shown": core.number_of_nodes(),
        "hub-one": str(labels[hubs[0]]),
        "hub-two": str(labels[hubs[1]]),
        "hub-rows": rows,
        "hub-share": f"{rows / graph.number_of_edges():.0%}",
    }


def ranking_figures(ranking: pd.DataFrame) -> dict[str, object]:
    """From centrality_ranking(): the two actors with the highest betweenness (the second's degree and PageRank
    rank), and the actor whose PageRank rank is furthest above its degree rank."""
    by_between = ranking.sort_values("betweenness rank", kind="mergesort")
    first, second = by_between.iloc[0], by_between.iloc[1]
    gap = biggest_rank_gap(ranking)
    return {
        "between-first": str(first["actor"]),
        "between-second": str(second["actor"]),
        "between-second-degree": int(second["degree"]),
        "between-second-pagerank-rank": int(second["PageRank rank"]),
        "gap-actor": str(gap["actor"]),
        "gap-pagerank-rank": int(gap["PageRank rank"]),
        "gap-degree": int(gap["degree"]),
        "gap-degree-rank": int(gap["degree rank"]),
    }


def community_figures(every: pd.DataFrame, shown: pd.DataFrame) -> dict[str, int]:
    """Communities of two or more actors (``every``, a community_table()), those shown, and the largest's size."""
    return {"communities": len(every), "communities-shown": len(shown), "largest-community": int(shown["actors"].max())}


def co_detention_figures(
    bipartite: nx.Graph, co: nx.Graph, event_table: pd.DataFrame, drawn: nx.Graph
) -> dict[str, object]:
    """A co_detention_summary() as the prose names it, the people drawn, events that are not arrests, and the event
    with the most named people (``event_table`` a detention_event_table(), most people first)."""
    summary = co_detention_summary(bipartite, co)
    out: dict[str, object] = {
        f"detention-{key.replace('_', '-')}": summary[key]
        for key in ("people", "events", "pairs", "groups", "largest_group", "alone", "repeated_pairs", "several_events")
    }
    top = event_table.iloc[0]
    out.update(
        {
            "detention-drawn": co_detention_summary(drawn, co_detention(drawn))["people"],
            "detention-not-arrest": int((event_table["category"] != "detention").sum()),
            "detention-top-event": str(top["event"]),
            "detention-top-people": int(top["named people"]),
        }
    )
    return out


def iran_figures(
    iran_all: pd.DataFrame, iran_crossing: pd.DataFrame, named: pd.DataFrame, sources: pd.DataFrame
) -> dict[str, object]:
    """Relation rows touching actors in Iran (all, and those crossing to other sides) with the activist report's
    share of each, and named detention rows with the activist report's count (side_coverage() and
    named_detentions_by_source() tables)."""
    activist = activist_source(sources)
    return {
        "iran-rows": int(iran_all["edges"].sum()),
        "iran-activist-share": f"{iran_all.set_index('source_id')['share'].get(activist, 0):.0%}",
        "iran-crossing": int(iran_crossing["edges"].sum()),
        "iran-crossing-activist-share": f"{iran_crossing.set_index('source_id')['share'].get(activist, 0):.0%}",
        "named-detentions": int(named["rows"].sum()),
        "named-activist": int(named.set_index("source_id")["rows"].get(activist, 0)),
    }


def edge_rows(graph: nx.Graph, labels: pd.Series, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The relation rows a network drawing shows (one per edge of ``graph``), with both actors' names, the date,
    source, locator and evidence grade: the rows of the drawing's "Download data"."""
    from .cards import drawn  # the card module reads the package descriptor: imported when used

    names = labels.astype(str).to_dict()
    rows = pd.DataFrame(
        [
            {
                "from": names.get(u, u),
                "relation": d.get("relation"),
                "to": names.get(v, v),
                "date": d.get("date"),
                "source_actor_id": u,
                "target_actor_id": v,
                "source_id": d.get("source_id"),
                "locator": d.get("locator"),
            }
            for u, v, d in graph.edges(data=True)
        ],
        columns=["from", "relation", "to", "date", "source_actor_id", "target_actor_id", "source_id", "locator"],
    )
    rows = rows.sort_values(["from", "relation", "to", "locator"], kind="stable").reset_index(drop=True)
    return drawn(
        rows, "relations", tables, columns=["from", "relation", "to", "date", "source_actor_id", "target_actor_id"]
    )


def detention_rows(
    bipartite: nx.Graph, labels: pd.Series, tables: dict[str, pd.DataFrame], min_people: int = 2
) -> pd.DataFrame:
    """The person-event ties detention_figure() draws (groups of at least ``min_people`` named adults), one row per
    detention record behind a tie, with the person, the event, source, locator and grade ("Download data")."""
    from .cards import drawn

    view = detention_view(bipartite, min_people)
    ties = {
        d: (
            p if view.nodes[p].get("bipartite") == "person" else e,
            e if view.nodes[e].get("bipartite") == "event" else p,
        )
        for p, e, ds in view.edges(data="detention_ids")
        for d in ds
    }
    detentions = tables["detentions"]
    rows = detentions[detentions["detention_id"].astype(str).isin(ties)].copy()
    events = tables["events"].set_index("event_id")
    rows["person"] = rows["actor_id"].astype(str).map(labels.astype(str).to_dict())
    rows["event"] = rows["event_id"].astype(str).map(events["title"].astype(str).to_dict())
    rows = rows.sort_values(["event_id", "person"], kind="stable").reset_index(drop=True)
    return drawn(
        rows, "detentions", tables, columns=["person", "event", "date", "circumstance", "actor_id", "event_id"]
    )


def family_rows(
    graph: nx.MultiDiGraph, labels: pd.Series, tables: dict[str, pd.DataFrame], min_group: int = 4
) -> pd.DataFrame:
    """The relation rows family_figure() draws (each family's groups of at least ``min_group`` actors), with the
    family, both actors, source, locator and grade: the rows of the drawing's "Download data"."""
    parts = []
    for family in RELATION_FAMILIES:
        part = edge_rows(family_view(graph, family, min_group), labels, tables)
        parts.append(part.assign(family=family)[["family", *part.columns]])
    return pd.concat(parts, ignore_index=True)
