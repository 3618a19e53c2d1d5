"""analysis.losses: documented equipment losses, stated totals against their parts, ratios and claims."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from analysis import charts, discrepancies
from analysis import losses as ls
from analysis.discrepancies import totals_vs_parts

EQUIP_SMALL = pd.DataFrame(
    {
        "documenter": ["oryx"] * 6,
        "side": ["armenia", "armenia", "armenia", "azerbaijan", "azerbaijan", "azerbaijan"],
        "category": ["tanks"] * 6,
        "status": ["destroyed", "captured", "stated-total", "destroyed", "abandoned", "stated-total"],
        "count": pd.array([10, 5, 16, 2, 1, 3], dtype="Int64"),
        "source_id": "s",
        "locator": "l",
    }
)


def test_documented_table_and_stated_vs_parts() -> None:
    table = ls.documented_table(EQUIP_SMALL).set_index("side")
    assert table.loc["Armenia", "total"] == 15 and table.loc["Azerbaijan", "abandoned"] == 1
    svp = discrepancies.stated_vs_parts(EQUIP_SMALL).set_index("side")
    assert svp.loc["armenia", "difference"] == 1 and svp.loc["azerbaijan", "difference"] == 0


def test_loss_ratio_definition_and_zero_guard() -> None:
    ratio = ls.ratio_table(EQUIP_SMALL)
    assert ratio.loc[0, "ratio (parts)"] == 5.0  # 15 / 3
    assert ratio.loc[0, "ratio (stated totals)"] == round(16 / 3, 2)
    assert "divided by" in ls.RATIO_DEFINITION
    none = ls.ratio_table(EQUIP_SMALL[EQUIP_SMALL["side"] == "armenia"])
    assert pd.isna(none.loc[0, "ratio (parts)"]) and pd.isna(none.loc[0, "Azerbaijan (parts)"])


def test_real_losses_against_the_source(real) -> None:
    """Oryx's figures as the article gives them: Armenia lost 255 tanks (146 destroyed, 6 damaged, 103 captured)."""
    table = ls.documented_table(real["equipment_losses"]).set_index(["side", "category"])
    assert table.loc[("Armenia", "tanks"), ["destroyed", "damaged", "captured", "total"]].tolist() == [146, 6, 103, 255]
    svp = discrepancies.stated_vs_parts(real["equipment_losses"]).set_index(["side", "category"])
    assert svp.loc[("armenia", "trucks-and-vehicles"), "difference"] == 1
    assert svp.loc[("azerbaijan", "armoured-fighting-vehicles"), "difference"] == -2
    ratio = ls.ratio_table(real["equipment_losses"]).set_index("category")
    assert ratio.loc["tanks", "ratio (parts)"] == round(255 / 63, 2)


EQUIP = pd.DataFrame(
    {
        "documenter": ["oryx"] * 8 + ["bbc"],
        "side": ["armenia"] * 4 + ["azerbaijan"] * 4 + ["armenia"],
        "category": ["tanks", "tanks", "tanks", "trucks-and-vehicles", "tanks", "tanks", "tanks", "aircraft", "other"],
        "status": [
            "destroyed",
            "captured",
            "stated-total",
            "destroyed",
            "destroyed",
            "captured-then-lost",
            "stated-total",
            "stated-total",
            "destroyed",
        ],
        "count": pd.array([10, 5, 16, 7, 2, 1, 2, 11, 1], dtype="Int64"),
        "note": ["n"] * 9,
        "source_id": "s",
        "locator": "l",
    }
)


def test_documented_count_and_stated_total() -> None:
    assert ls.documented_count(EQUIP, "armenia", "tanks") == 15
    assert ls.documented_count(EQUIP, "armenia", "tanks", status="captured") == 5
    assert ls.documented_count(EQUIP, "azerbaijan", "drones") == 0
    assert ls.stated_total(EQUIP, "armenia", "tanks") == 16
    assert ls.stated_total(EQUIP, "armenia", "trucks-and-vehicles") is None


def test_documented_long_keeps_a_total_without_parts_and_drops_other_totals() -> None:
    long = ls.documented_long(EQUIP)
    assert set(long["status"]) == {"destroyed", "captured", "captured-then-lost", "stated-total"}
    totals = long[long["status"] == "stated-total"]
    assert list(totals["category"]) == ["aircraft"]  # Armenian and Azerbaijani tank totals have parts
    assert long["label"].iloc[0] == "Azerbaijan: tanks"  # sides in the book's order, as in every chart
    assert "bbc" not in set(long["source_id"]) and len(long) == 6


def test_documented_bars_use_the_status_colours_and_carry_sources() -> None:
    fig = ls.documented_bars(ls.documented_long(EQUIP), "Finding", "Source: x")
    bars = [t for t in fig.data if isinstance(t, go.Bar)]
    for trace in bars:
        status = "stated-total" if trace.name.startswith("stated total") else trace.name
        assert trace.marker.color == charts.STATUS_COLOURS[status]
        assert "customdata[0]" in trace.hovertemplate
    assert fig.layout.barmode == "stack"
    labels = next(t for t in fig.data if isinstance(t, go.Scatter)).text
    assert "15" in labels  # the bar's total is the sum of its parts


def test_totals_table_writes_out_parts_and_differences() -> None:
    out = ls.totals_table(EQUIP).set_index(["side", "category"])
    assert out.at[("Armenia", "tanks"), "parts as listed"] == "10 destroyed + 5 captured"
    assert out.at[("Armenia", "tanks"), "stated − parts"] == 1
    assert out.at[("Azerbaijan", "tanks"), "stated − parts"] == -1
    assert out.at[("Azerbaijan", "tanks"), "parts without captured-then-lost"] == 2
    assert out.at[("Azerbaijan", "aircraft"), "parts as listed"] == "no breakdown given"
    assert ls.totals_summary(ls.totals_table(EQUIP)) == {"stated totals": 3, "with parts": 2, "disagree": 2}
    empty = ls.totals_table(EQUIP[EQUIP["status"] != "stated-total"])
    assert empty.empty and "stated − parts" in empty.columns


def test_ratio_table_and_category_ratio() -> None:
    out = ls.ratio_table(EQUIP).set_index("category")
    assert out.at["tanks", "ratio (parts)"] == 5.0  # 15 / 3
    assert out.at["tanks", "ratio (stated totals)"] == 8.0  # 16 / 2
    assert ls.category_ratio(EQUIP, "tanks") == 5.0 and ls.category_ratio(EQUIP, "tanks", basis="stated") == 8.0
    with pytest.raises(ZeroDivisionError):
        ls.category_ratio(EQUIP, "trucks-and-vehicles")
    with pytest.raises(ValueError):
        ls.category_ratio(EQUIP, "tanks", basis="guess")


def test_other_documenters_are_listed_apart() -> None:
    out = ls.other_documenters(EQUIP)
    assert list(out["documenter"]) == ["bbc"] and out["count"].iloc[0] == 1


@pytest.mark.parametrize(
    "category, item, scope",
    [
        (
            "armoured-fighting-vehicles",
            "tanks and other armoured vehicles destroyed",
            ("tanks", "armoured-fighting-vehicles"),
        ),
        ("armoured-fighting-vehicles", "armoured vehicles", ("armoured-fighting-vehicles",)),
        ("tanks", "T-72 tanks destroyed", ("tanks",)),
        ("drones", "UAVs downed", ("drones",)),
    ],
)
def test_claim_scope(category: str, item: str, scope: tuple[str, ...]) -> None:
    assert ls.claim_scope(category, item) == scope


ACTORS = pd.DataFrame(
    {
        "actor_id": ["azerbaijan", "armenia", "artsakh-defence-army"],
        "name": ["Azerbaijan", "Armenia", "Artsakh Defence Army"],
        "kind": ["state", "state", "armed-force"],
        "country": ["AZ", "AM", "AZ"],
    }
)


def claims_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "claimant": ["azerbaijan", "azerbaijan", "artsakh-defence-army"],
            "about_side": ["armenia", "armenia", "azerbaijan"],
            "as_of": pd.to_datetime(["2020-10-07", "2020-10-14", None]),
            "claimed_item": ["tanks and other armoured vehicles", "drones", "tanks"],
            "category": ["armoured-fighting-vehicles", "drones", "tanks"],
            "count": pd.array([250, 18, 5], dtype="Int64"),
            "count_max": pd.array([None] * 3, dtype="Int64"),
            "qualifier": ["about", "exact", "exact"],
            "note": [pd.NA] * 3,
            "source_id": "s",
            "locator": "l",
        }
    )


def test_claims_compared_sets_each_claim_beside_what_it_covers() -> None:
    equip = pd.concat(
        [EQUIP, EQUIP.iloc[[0]].assign(category="armoured-fighting-vehicles", count=3)], ignore_index=True
    )
    out = ls.claims_compared(claims_frame(), equip, ACTORS)
    by_item = out.set_index("claimed item")
    assert by_item.at["tanks and other armoured vehicles", "documented"] == 18  # 15 tanks + 3 AFVs
    assert by_item.at["tanks and other armoured vehicles", "claim"] == "about 250"
    assert by_item.at["tanks and other armoured vehicles", "as of"] == "7 Oct 2020"
    assert pd.isna(by_item.at["drones", "documented"])
    assert by_item.at["drones", "set against"] == "no documented count"
    assert (
        by_item.at["tanks", "claimant"] == "Artsakh Defence Army" and by_item.at["tanks", "camp"] == "armenia-artsakh"
    )
    assert by_item.at["tanks", "documented in"] == "s, l"
    summary = ls.claims_summary(out)
    assert summary == {
        "claims": 3,
        "by azerbaijan": 2,
        "by armenia-artsakh": 1,
        "comparable": 2,
        "below": 0,
        "above": 2,
    }
    assert ls.claims_headline(summary, "Oryx") == (
        "2 claims name items that Oryx also counts: each claim was made on one day, Oryx's counts carry no date"
    )


@pytest.mark.parametrize(("below", "above"), [(7, 0), (0, 7), (3, 4)])
def test_claims_headline_never_judges_a_dated_claim_against_an_undated_count(below: int, above: int) -> None:
    """The title says what the chart holds, whatever the claims' sizes (issue 13.6: no like-for-unlike verdict)."""
    title = ls.claims_headline({"claims": 9, "comparable": 7, "below": below, "above": above}, "Oryx")
    assert title.startswith("7 claims name items that Oryx also counts")
    assert not [p for p in ls.VERDICT_PHRASES if p in title.lower()], title


def test_claims_chart_shows_claims_in_the_claimants_colours_beside_the_documented_count() -> None:
    equip = pd.concat(
        [EQUIP, EQUIP.iloc[[0]].assign(category="armoured-fighting-vehicles", count=3)], ignore_index=True
    )
    out = ls.claims_compared(claims_frame(), equip, ACTORS)
    fig = ls.claims_chart(out, "Oryx", "Title", "Source: x")
    names = [t.name for t in fig.data]
    assert names[0] == "Oryx, visually confirmed" and fig.data[0].marker.color == charts.DOCUMENTED_COLOUR
    assert {"claim by Azerbaijan", "claim by Armenia or Artsakh"} <= set(names)
    assert len(fig.data[0].y) == int(out["documented"].notna().sum())


def test_real_equipment_as_the_article_gives_it(real) -> None:
    equipment = real["equipment_losses"]
    assert ls.documented_count(equipment, "armenia", "tanks") == 255
    assert ls.stated_total(equipment, "armenia", "trucks-and-vehicles") == 737
    assert ls.documented_count(equipment, "armenia", "trucks-and-vehicles") == 736
    totals = ls.totals_table(equipment).set_index(["side", "category"])
    assert totals.at[("Azerbaijan", "tanks"), "parts without captured-then-lost"] == 62
    assert totals.at[("Azerbaijan", "armoured fighting vehicles"), "stated − parts"] == -2
    summary = ls.totals_summary(ls.totals_table(equipment))
    assert summary["disagree"] == len(totals_vs_parts(real)) == 3
    assert ls.category_ratio(equipment, "tanks") == 4.05 and ls.category_ratio(equipment, "tanks", "stated") == 4.11


def test_real_claims_against_oryx(real) -> None:
    out = ls.claims_compared(real["loss_claims"], real["equipment_losses"], real["actors"])
    assert len(out) == len(real["loss_claims"])
    big = out[out["claim"] == "about 250"].iloc[0]
    assert big["documented"] == 255 + 78 and big["claimant"] == "Azerbaijan"
    summary = ls.claims_summary(out)
    assert summary["comparable"] == 7 and summary["by azerbaijan"] + summary["by armenia-artsakh"] == len(out)


def test_claims_rows_are_exactly_the_claims_the_chart_draws(real) -> None:
    """The chart's "Download data" holds the 7 claims drawn beside an Oryx count, not all 30 claims."""
    out = ls.claims_compared(real["loss_claims"], real["equipment_losses"], real["actors"])
    fig = ls.claims_chart(out, "Oryx", "t", "Source: test")
    rows = ls.claims_rows(out, real)
    claim_bars = [t for t in fig.data if "visually confirmed" not in str(t.name)]
    assert len(rows) == sum(len(t.y) for t in claim_bars) == 7
    assert rows["source_id"].notna().all() and rows["locator"].notna().all()


def test_the_chapters_figures_are_the_articles(real) -> None:
    """Oryx as the article gives it (Equipment losses ¶1): 255 and 63 tanks, 737 stated against 736 listed trucks."""
    equipment = real["equipment_losses"]
    documented = ls.documented_figures(equipment)
    assert (documented["tanks-am"], documented["tanks-az"], documented["trucks-am"]) == (255, 63, 736)
    assert documented["captured-trucks-share"] == f"{387 / 736:.0%}"
    totals = ls.totals_figures(equipment)
    assert totals["trucks-am-stated"] == 737 and totals["register"] == totals["disagree"] == 3
    assert totals["tanks-az-without-flip"] == 62  # 63 parts less the one captured-then-lost: the stated 62
    assert ls.ratio_figures(equipment)["ratio-tanks"] == f"{255 / 63:.2f}"
    summary = {"claims": 5, "by azerbaijan": 3, "by armenia-artsakh": 2, "comparable": 2, "below": 1, "above": 1}
    claims = ls.claims_figures(summary)
    assert claims["claims-am"] == 2 and "armoured" in str(claims["scope-rule"])
