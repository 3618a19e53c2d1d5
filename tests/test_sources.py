"""analysis.sources: how much of each topic each source document supports."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import sources
from analysis.sources import reliance_by_perspective, reliance_by_topic


def test_sources_coverage(real) -> None:
    per = sources.rows_per_source(real)
    assert per.loc["hasanbayli-south-az", "detentions"] > 100
    assert per["total"].sum() == sum(len(t) for n, t in real.items() if "source_id" in t.columns and n != "sources")
    topics = sources.rows_per_topic(real)
    assert set(topics["topic"]) >= {"rallies in Iran", "the war", "equipment losses", "detentions and sentences"}
    assert topics["rows"].sum() == per["total"].sum() - per[["places", "actors"]].sum().sum()


def test_reliance_shares_sum_to_one_per_topic(real) -> None:
    reliance = reliance_by_topic(real)
    assert reliance.groupby("topic")["share"].sum().round(9).eq(1).all()
    assert (
        reliance["rows"].sum()
        == sum(
            len(t)
            for n, t in real.items()
            if n
            in {
                "relations",
                "equipment_losses",
                "loss_claims",
                "casualties",
                "damage",
                "detentions",
                "sentences",
                "sentence_totals",
            }
        )
        + real["events"]["theatre"].notna().sum()
    )
    by_view = reliance_by_perspective(reliance).set_index(["topic", "perspective"])["share"]
    assert by_view[("rallies in Iran", "south-azerbaijani-activist")] == 1.0
    assert list(reliance_by_perspective(reliance)["topic"].cat.categories[:2]) == [
        "rallies in Iran",
        "detentions and sentences",
    ]


def test_sources_are_chosen_by_perspective(real) -> None:
    assert sources.activist_source(real["sources"]) == "hasanbayli-south-az"
    counts = pd.Series({"wp-protests-2020": 3, "wp-karabakh-war-2020": 9, "hasanbayli-south-az": 20})
    assert sources.most_rows(counts, real["sources"], "encyclopedic") == "wp-karabakh-war-2020"
    with pytest.raises(ValueError, match="perspective"):
        sources.most_rows(counts, real["sources"], "journalistic")
    with pytest.raises(ValueError, match="one activist report"):
        sources.activist_source(real["sources"].iloc[:1])


def test_balance_lines_give_each_chapters_share_from_the_one_sided_documents() -> None:
    reliance = pd.DataFrame(
        {
            "topic": ["the war", "the war", "diplomacy and reactions", "rallies in Iran"],
            "source_id": ["a", "b", "a", "c"],
            "perspective": [
                "encyclopedic",
                "azerbaijani-government",
                "azerbaijani-government",
                "south-azerbaijani-activist",
            ],
            "rows": [3, 1, 2, 5],
        }
    )
    lines = sources.balance_lines(reliance).splitlines()
    assert lines == [
        "- [The war](war.ipynb) (4 rows): 25% from the Azerbaijani-government commentary, 0% from the activist report.",
        "- [The war](war.ipynb), diplomacy and reactions (2 rows): 100% from the Azerbaijani-government commentary, "
        "0% from the activist report.",
        "- [Rallies in Iran](iran-rallies.ipynb) (5 rows): 0% from the Azerbaijani-government commentary, "
        "100% from the activist report.",
    ]


def test_balance_lines_on_the_real_data_cover_every_topic_once(real) -> None:
    lines = sources.balance_lines(reliance_by_topic(real)).splitlines()
    assert len(lines) == len(sources.TOPIC_CHAPTERS) and all(line.count("% from") == 2 for line in lines)
