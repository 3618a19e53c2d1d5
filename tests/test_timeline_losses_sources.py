"""Timeline, equipment losses and source coverage: hand-made cases with known answers, and real data."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import discrepancies, losses, sources, timeline


def events_frame(rows: list[dict]) -> pd.DataFrame:
    base = {"end_date": pd.NaT, "variant_of": pd.NA, "date_precision": "day", "source_id": "s", "locator": "l",
            "title": "t", "place_id": pd.NA}
    df = pd.DataFrame([{**base, **r} for r in rows])
    df["date"] = pd.to_datetime(df["date"])
    df["end_date"] = pd.to_datetime(df["end_date"])
    return df


EVENTS = events_frame([
    {"event_id": "a", "date": "2020-09-27", "end_date": "2020-11-10", "category": "clash", "theatre": "front"},
    {"event_id": "b", "date": "2020-10-04", "category": "capture", "theatre": "front"},
    {"event_id": "b2", "date": "2020-10-05", "category": "capture", "theatre": "front", "variant_of": "b"},
    {"event_id": "c", "date": "2020-10-05", "category": "protest", "theatre": "iran"},
    {"event_id": "d", "date": "2020-10-01", "category": "protest", "theatre": "iran", "date_precision": "month"},
    {"event_id": "e", "date": "2021-01-01", "category": "trial", "theatre": "iran", "date_precision": "month"},
])


def test_first_versions_drop_variants() -> None:
    assert list(timeline.first_versions(EVENTS)["event_id"]) == ["a", "b", "c", "d", "e"]


def test_daily_and_weekly_counts_use_day_precision_first_versions() -> None:
    daily = timeline.events_per_period(EVENTS, "D")
    assert daily["events"].sum() == 3  # a, b, c (b2 is a variant, d and e month precision)
    weekly = timeline.events_per_period(EVENTS, "W", by=["theatre", "category"])
    # 2020-10-04 is a Sunday, 2020-10-05 a Monday: two different weeks
    assert list(weekly["period"].dt.strftime("%Y-%m-%d")) == ["2020-09-21", "2020-09-28", "2020-10-05"]
    with pytest.raises(ValueError, match="freq"):
        timeline.events_per_period(EVENTS, "M")


def test_phases_from_rules() -> None:
    rules = (
        timeline.PhaseRule("war", ("clash", "capture"), ("front",), ("2020-09-01", "2020-11-30"), "longest"),
        timeline.PhaseRule("rallies", ("protest",), ("iran",), ("2020-09-01", "2020-12-31")),
        timeline.PhaseRule("trials", ("trial",), ("iran",), ("2020-01-01", "2021-12-31")),
        timeline.PhaseRule("none", ("agreement",), ("front",), ("2020-01-01", "2021-12-31")),
    )
    out = timeline.phases(EVENTS, rules).set_index("phase")
    assert out.loc["war", "days"] == 45 and out.loc["war", "events"] == 2
    # the month-precision rally of October ends on 31 October
    assert out.loc["rallies", "start"] == pd.Timestamp("2020-10-01")
    assert out.loc["rallies", "end"] == pd.Timestamp("2020-10-31")
    assert out.loc["trials", "end"] == pd.Timestamp("2021-01-31")
    assert "none" not in out.index


def test_lanes_and_timeline_frame() -> None:
    places = pd.DataFrame({"place_id": ["x"], "name": ["X town"]})
    ev = EVENTS.assign(place_id=["x", pd.NA, pd.NA, pd.NA, pd.NA, pd.NA])
    frame = timeline.timeline_frame(ev, places)
    assert list(frame["lane"].astype(str)) == ["Front line and diplomacy", "Iran", "Front line and diplomacy",
                                               "Iran", "Iran"]
    assert frame.iloc[0]["place"] == "X town" and frame.iloc[0]["end"] == pd.Timestamp("2020-11-10")


def test_versions_per_event() -> None:
    v = timeline.versions_per_event(EVENTS).set_index("event_id")
    assert v.loc["b", "versions"] == 2 and v.loc["a", "versions"] == 1


def test_real_phases_match_the_sources(real) -> None:
    ph = timeline.phases(real["events"]).set_index("phase")
    war = ph.loc["The 44-day war"]
    assert (war["start"], war["end"]) == (pd.Timestamp("2020-09-27"), pd.Timestamp("2020-11-10"))
    july = ph.loc["July border clashes"]
    assert (july["start"], july["end"]) == (pd.Timestamp("2020-07-12"), pd.Timestamp("2020-07-16"))
    assert ph.loc["Trials in Iran", "end"] >= pd.Timestamp("2021-10-09")


EQUIP = pd.DataFrame({
    "documenter": ["oryx"] * 6,
    "side": ["armenia", "armenia", "armenia", "azerbaijan", "azerbaijan", "azerbaijan"],
    "category": ["tanks"] * 6,
    "status": ["destroyed", "captured", "stated-total", "destroyed", "abandoned", "stated-total"],
    "count": pd.array([10, 5, 16, 2, 1, 3], dtype="Int64"),
    "source_id": "s", "locator": "l",
})


def test_documented_table_and_stated_vs_parts() -> None:
    table = losses.documented_table(EQUIP).set_index("side")
    assert table.loc["Armenia", "total"] == 15 and table.loc["Azerbaijan", "abandoned"] == 1
    svp = discrepancies.stated_vs_parts(EQUIP).set_index("side")
    assert svp.loc["armenia", "difference"] == 1 and svp.loc["azerbaijan", "difference"] == 0


def test_loss_ratio_definition_and_zero_guard() -> None:
    ratio = losses.ratio_table(EQUIP)
    assert ratio.loc[0, "ratio (parts)"] == 5.0  # 15 / 3
    assert ratio.loc[0, "ratio (stated totals)"] == round(16 / 3, 2)
    assert "divided by" in losses.RATIO_DEFINITION
    none = losses.ratio_table(EQUIP[EQUIP["side"] == "armenia"])
    assert pd.isna(none.loc[0, "ratio (parts)"]) and pd.isna(none.loc[0, "Azerbaijan (parts)"])


def test_real_losses_against_the_source(real) -> None:
    """Oryx's figures as the article gives them: Armenia lost 255 tanks (146 destroyed, 6 damaged, 103 captured)."""
    table = losses.documented_table(real["equipment_losses"]).set_index(["side", "category"])
    assert table.loc[("Armenia", "tanks"), ["destroyed", "damaged", "captured", "total"]].tolist() == [146, 6, 103, 255]
    svp = discrepancies.stated_vs_parts(real["equipment_losses"]).set_index(["side", "category"])
    assert svp.loc[("armenia", "trucks-and-vehicles"), "difference"] == 1
    assert svp.loc[("azerbaijan", "armoured-fighting-vehicles"), "difference"] == -2
    ratio = losses.ratio_table(real["equipment_losses"]).set_index("category")
    assert ratio.loc["tanks", "ratio (parts)"] == round(255 / 63, 2)


def test_sources_coverage(real) -> None:
    per = sources.rows_per_source(real)
    assert per.loc["hasanbayli-south-az", "detentions"] > 100
    assert per["total"].sum() == sum(len(t) for n, t in real.items() if "locator" in t.columns)
    topics = sources.rows_per_topic(real)
    assert set(topics["topic"]) >= {"rallies in Iran", "the war", "equipment losses", "detentions and sentences"}
    assert topics["rows"].sum() == per["total"].sum() - per[["places", "actors"]].sum().sum()
