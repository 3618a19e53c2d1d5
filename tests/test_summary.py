"""Key figures: each headline number with its claimant, source and locator; nothing summed across reporters."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.summary import key_figures


@pytest.fixture(scope="module")
def figures(real: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return key_figures(real).set_index("figure")


def test_official_figures_are_shown_side_by_side_not_merged(figures):
    # The war article gives two official Azerbaijani totals (Casualties ¶1 and Military ¶1): both appear.
    row = figures.loc["Azerbaijani military killed (official figure)"]
    assert row["value"] == "2,906 / 2,853" and row["stated by"] == "Azerbaijan"
    assert figures.loc["Armenian military killed (official figure)", "value"] == "3,825"


def test_claims_about_the_other_side_keep_their_claimant_qualifier_and_period(figures):
    row = figures.loc["Armenian military killed (other side figure)"]
    assert row["value"] == "more than 5,000 (27 Sep - 28 Oct 2020)" and row["stated by"] == "Azerbaijan"
    assert (
        figures.loc["Azerbaijani military killed (other side figure)", "stated by"]
        == "Armenian and Artsakh authorities"
    )  # as the source puts it


def test_post_war_and_single_death_figures_are_not_headline_totals(figures):
    # 11 post-war deaths (another period) and Aliyev's single confirmed death (own side) stay out.
    assert "11" not in figures.loc["Azerbaijani military killed (official figure)", "value"].split(" / ")
    assert not any("own side" in f for f in figures.index)


def test_documented_tanks_are_oryx_parts(figures):
    assert figures.loc["Armenian tanks lost, visually confirmed", "value"] == "255"  # 146 + 6 + 103
    assert figures.loc["Azerbaijani tanks lost, visually confirmed", "value"] == "63"  # parts, not the stated 62


def test_every_row_is_sourced(figures):
    assert figures["source_id"].str.len().gt(0).all() and figures["locator"].str.len().gt(0).all()
    assert set(figures["topic"]) == {"human losses", "equipment losses", "Iran", "coverage"}
