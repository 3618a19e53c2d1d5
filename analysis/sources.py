"""How much of the data each source document supports: per file, per topic and per perspective."""

from __future__ import annotations

import pandas as pd

#: The book topic each table feeds; events are split by theatre.
TABLE_TOPICS = {
    "relations": "actor networks",
    "equipment_losses": "equipment losses",
    "loss_claims": "equipment losses",
    "casualties": "human losses",
    "damage": "human losses",
    "detentions": "detentions and sentences",
    "sentences": "detentions and sentences",
    "sentence_totals": "detentions and sentences",
}
EVENT_TOPICS = {
    "azerbaijan": "July protests and Azerbaijan",
    "front": "the war",
    "armenia": "the war",
    "international": "diplomacy and reactions",
    "iran": "rallies in Iran",
}
#: Columns that hold a figure (a number a reader could quote).
def _sourced(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {name: t for name, t in tables.items() if "locator" in t.columns}


def rows_per_source(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows each source supports in each file (sources as rows, files as columns, plus a total)."""
    counts = {name: t["source_id"].astype(object).value_counts() for name, t in _sourced(tables).items()}
    out = pd.DataFrame(counts).fillna(0).astype(int)
    out["total"] = out.sum(axis=1)
    out.index.name = "source_id"
    return out.sort_values("total", ascending=False)


def rows_per_topic(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows each source supports per book topic (long format: topic, source_id, rows)."""
    parts = []
    for name, t in _sourced(tables).items():
        if name == "events":
            topic = t["theatre"].astype(object).map(EVENT_TOPICS)
        elif name in TABLE_TOPICS:
            topic = pd.Series(TABLE_TOPICS[name], index=t.index)
        else:
            continue
        parts.append(pd.DataFrame({"topic": topic.to_numpy(), "source_id": t["source_id"].astype(object).to_numpy()}))
    long = pd.concat(parts, ignore_index=True)
    return long.groupby(["topic", "source_id"]).size().rename("rows").reset_index()


def reliance_by_topic(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Share of each topic's rows that each source supports, with the source's perspective.

    Columns: topic, source_id, perspective, rows, share (of the topic's rows; shares of a topic sum to 1).
    """
    long = rows_per_topic(tables)
    perspective = tables["sources"].set_index("source_id")["perspective"].astype(object)
    long["perspective"] = long["source_id"].map(perspective)
    long["share"] = long["rows"] / long.groupby("topic")["rows"].transform("sum")
    return long.sort_values(["topic", "rows"], ascending=[True, False]).reset_index(drop=True)


def reliance_by_perspective(reliance: pd.DataFrame) -> pd.DataFrame:
    """A reliance_by_topic() table summed per perspective: topic, perspective, rows, share; topics by activist share."""
    out = reliance.groupby(["topic", "perspective"], as_index=False)[["rows", "share"]].sum()
    activist = out[out["perspective"] == "south-azerbaijani-activist"].set_index("topic")["share"]
    order = sorted(out["topic"].unique(), key=lambda t: (-activist.get(t, 0.0), t))
    out["topic"] = pd.Categorical(out["topic"], categories=order, ordered=True)
    return out.sort_values(["topic", "rows"], ascending=[True, False]).reset_index(drop=True)


def activist_source(sources: pd.DataFrame) -> str:
    """The source_id of the activist report (the one source of the south-Azerbaijani activist perspective)."""
    found = sources.loc[sources["perspective"].astype(str).eq("south-azerbaijani-activist"), "source_id"].astype(str)
    if len(found) != 1:
        raise ValueError(f"expected one activist report, found {len(found)}")
    return str(found.iloc[0])


def most_rows(counts: pd.DataFrame | pd.Series, sources: pd.DataFrame, perspective: str) -> str:
    """Of the sources of one perspective, the source_id with the most rows in ``counts`` (indexed by source_id, or
    a frame with a source_id column and one count column)."""
    series = counts if isinstance(counts, pd.Series) else counts.set_index("source_id").iloc[:, 0]
    of = set(sources.loc[sources["perspective"].astype(str).eq(perspective), "source_id"].astype(str))
    mine = series[[str(i) in of for i in series.index]]
    if mine.empty:
        raise ValueError(f"no source of perspective {perspective!r} in these counts")
    return str(mine.astype(float).idxmax())
