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
from collections.abc import Hashable

import networkx as nx
import numpy as np
import pandas as pd

__all__ = [
    "actor_graph",
    "centrality",
    "co_detention",
    "communities",
    "detention_graph",
    "ego_network",
    "graph_edges_frame",
    "layout",
    "relation_counts",
]

EDGE_COLUMNS = ("source", "target", "relation", "date", "source_id", "locator")


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
        graph.add_node(str(actor_id), name=_value(name), kind=_value(kind), country=_value(country),
                       is_minor=_value(is_minor))

    ends = relations[["relation_id", "source_actor_id", "target_actor_id"]].astype(object)
    unknown = [
        f"{rid} ({', '.join(repr(str(a)) for a in (src, tgt) if str(a) not in graph)})"
        for rid, src, tgt in ends.itertuples(index=False)
        if str(src) not in graph or str(tgt) not in graph
    ]
    if unknown:
        raise ValueError("relations with an endpoint that is not an actor: " + "; ".join(unknown))

    for rid, src, tgt, relation, date, event_id, source_id, locator in zip(
        relations["relation_id"], relations["source_actor_id"], relations["target_actor_id"],
        relations["relation"], relations["date"], relations["event_id"], relations["source_id"],
        relations["locator"],
    ):
        graph.add_edge(str(src), str(tgt), key=str(rid), relation=_value(relation), date=_value(date),
                       event_id=_value(event_id), source_id=_value(source_id), locator=_value(locator))
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
    renumbered.add_weighted_edges_from(sorted(
        (min(index[u], index[v]), max(index[u], index[v]), w) for u, v, w in simple.edges(data="weight")
    ))
    found = nx.community.louvain_communities(renumbered, weight="weight", seed=seed)
    groups = sorted((sorted(order[i] for i in group) for group in found), key=lambda g: (-len(g), str(g[0])))
    rows = [(actor, number) for number, group in enumerate(groups) for actor in group]
    frame = pd.DataFrame(rows, columns=["actor_id", "community"])
    frame["community"] = frame["community"].astype("int64")
    return frame.sort_values(["community", "actor_id"], ignore_index=True)


def ego_network(graph: nx.MultiDiGraph, actor_id: str, radius: int = 1) -> nx.MultiDiGraph:
    """The actors within ``radius`` relations of ``actor_id`` (either direction) and every edge among them."""
    if actor_id not in graph:
        raise ValueError(f"unknown actor_id {actor_id!r}")
    return nx.ego_graph(graph, actor_id, radius=radius, undirected=True)


def detention_graph(detentions: pd.DataFrame, events: pd.DataFrame) -> nx.Graph:
    """Bipartite graph: named detainees (bipartite="person") linked to the events they were detained at.

    Person nodes are the ``actor_id`` of every named detention row (group counts are left out);
    event nodes (bipartite="event", with title, date, category from ``events``) are the events of
    those rows. An edge person - event lists the ``detention_ids`` behind it. A named detention
    without an event_id gives an isolated person node. Raise ValueError for an event_id not in
    ``events`` or an id that is both a person and an event.
    """
    named = detentions[detentions["actor_id"].notna()]
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
        graph.add_node(event, bipartite="event", title=_value(info.at[event, "title"]),
                       date=_value(info.at[event, "date"]), category=_value(info.at[event, "category"]))
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


def layout(graph: nx.Graph, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Reproducible 2-D positions (spring layout, seeded, rounded to 6 decimals) keyed by node id.

    Computed on the undirected simple projection with edge weight = number of edges between two
    nodes, with the nodes in id order. networkx needs SciPy for graphs of 500 nodes or more.
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph, key=str))
    edges = _simple(graph, directed=False).edges(data="weight")
    simple.add_weighted_edges_from(sorted(edges, key=lambda e: (str(e[0]), str(e[1]))))
    if simple.number_of_nodes() == 0:
        return {}
    pos = nx.spring_layout(simple, seed=seed, weight="weight")
    return {str(v): (round(float(x), 6), round(float(y), 6)) for v, (x, y) in pos.items()}


def graph_edges_frame(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """One row per edge (relation row), indexed and sorted by relation_id: who, what, when, and its citation."""
    rows = [
        (key, u, v, data.get("relation"), data.get("date"), data.get("source_id"), data.get("locator"))
        for u, v, key, data in graph.edges(keys=True, data=True)
    ]
    frame = pd.DataFrame(rows, columns=["relation_id", *EDGE_COLUMNS])
    frame["date"] = pd.to_datetime(frame["date"])
    for column in ("source", "target", "relation", "source_id", "locator"):
        frame[column] = frame[column].astype("string")
    return frame.set_index("relation_id").sort_index(kind="mergesort")
