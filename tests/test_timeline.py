"""The timeline builders (analysis.timeline): hand-made cases and real data."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest
from conftest import EVENTS, PLACES, events_frame

from analysis import timeline

T = pd.Timestamp


# --- timeline ---------------------------------------------------------------------------------------------


def test_period_end_by_precision_and_end_date() -> None:
    end = timeline.period_end(EVENTS).set_axis(EVENTS["event_id"])
    assert end["a"] == T("2020-11-10")  # end_date wins
    assert end["c"] == T("2020-10-31")  # month precision: end of month
    assert end["d"] == T("2020-12-31")  # year precision: end of year
    assert end["e"] == T("2020-10-05")


def test_date_label_says_the_precision() -> None:
    start = pd.Series(pd.to_datetime(["2020-09-27", "2020-09-27", "2020-10-01", "1990-01-01", "2020-01-01"]))
    end = pd.Series(pd.to_datetime(["2020-09-27", "2020-11-10", "2020-10-31", "1999-12-31", pd.NaT]))
    precision = pd.Series(["day", "day", "month", "year", "year"])
    assert list(timeline.date_label(start, end, precision)) == [
        "27 Sep 2020",
        "27 Sep – 10 Nov 2020",
        "Oct 2020 (month only)",
        "1990–1999 (years only)",
        "2020 (year only)",
    ]


def test_precision_share_and_table() -> None:
    share = timeline.precision_share(EVENTS, 2020).set_index("precision")
    assert share["events"].to_dict() == {"day": 3, "month": 1, "year": 1}  # b2 is a variant, f is 1993
    assert share["share"].sum() == pytest.approx(1.0)
    table = timeline.precision_table(EVENTS, 2020).set_index("dated")
    assert table.at["to the year only", "events, all years"] == 2
    assert table.at["to the day", "share in 2020"] == pytest.approx(0.6)
    by_source = timeline.precision_by_source(EVENTS, 2020).set_index("source_id")
    assert by_source.at["s", "not_to_the_day"] == 2 and by_source.at["s", "events"] == 5


def test_pack_tracks_keeps_a_gap_and_caps_the_tracks() -> None:
    start = pd.Series(pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-10", "2020-01-02"]))
    end = pd.Series(pd.to_datetime(["2020-01-05", "2020-01-02", "2020-01-10", "2020-01-02"]))
    tracks = timeline.pack_tracks(start, end, pd.Timedelta(days=2))
    assert list(tracks) == [0, 1, 0, 2]
    capped = timeline.pack_tracks(start, end, pd.Timedelta(days=2), max_tracks=2)
    assert capped.max() == 1
    assert list(timeline.pack_tracks(start, end, pd.Timedelta(days=2))) == list(tracks)  # deterministic


def test_drawable_timeline_filters_and_counts_versions() -> None:
    frame = timeline.drawable_timeline(EVENTS, PLACES, "2020-01-01", "2020-12-31", precisions=("day", "month"))
    assert set(frame["event_id"]) == {"a", "b", "c", "e"}
    b = frame.set_index("event_id").loc["b"]
    assert b["versions"] == 2 and b["told_by"] == "s, s2" and b["place"] == "Xtown"
    assert frame.set_index("event_id").at["c", "end"] == T("2020-10-31")
    # armenia and front share a lane, and their overlapping events sit on different tracks
    lane = frame[frame["lane"].astype(str) == "Front line and diplomacy"].set_index("event_id")["track"]
    assert lane["a"] != lane["b"]


def test_weekly_counts_month_table_and_busiest_weeks() -> None:
    weekly = timeline.weekly_lane_counts(EVENTS, "2020-01-01", "2020-12-31")
    assert weekly["events"].sum() == 3 and set(weekly["lane"].astype(str)) == {"Front line and diplomacy"}
    busiest = timeline.busiest_weeks(weekly, 1)
    assert busiest.at[0, "all"] == 2 and busiest.at[0, "week"] == T("2020-10-05")  # e (Monday) and b (Friday)
    assert timeline.weeks_with_events(weekly, "2020-01-01", "2020-12-31") == (2, 53)
    months = timeline.month_table(EVENTS, 2020).set_index("month")
    assert len(months) == 12 and months.at["October", "all lanes"] == 3
    assert months.at["October", "of which month only"] == 1 and months.at["October", "Iran"] == 1


def test_phase_share() -> None:
    frame = timeline.drawable_timeline(EVENTS, PLACES, "2020-01-01", "2020-12-31", precisions=("day", "month"))
    phases = pd.DataFrame(
        {"phase": ["p"], "start": [T("2020-10-01")], "end": [T("2020-10-31")], "days": [31], "events": [1]}
    )
    assert timeline.phase_share(frame, phases, "p") == (3, 0.75)


def _figure_json(fig: go.Figure) -> str:
    return json.dumps(fig.to_plotly_json(), default=str)


def test_lane_timeline_figure_hover_and_phases() -> None:
    frame = timeline.drawable_timeline(EVENTS, PLACES, "2020-01-01", "2020-12-31", precisions=("day", "month"))
    phases = pd.DataFrame(
        {
            "phase": ["War", "Trials"],
            "start": [T("2020-09-27"), T("2020-08-01")],
            "end": [T("2020-11-10"), T("2021-12-31")],
            "days": [45, 518],
            "events": [2, 1],
        }
    )
    fig = timeline.lane_timeline_figure(frame, phases, "A title", "Source: s", ("2020-01-01", "2021-01-01"))
    text = _figure_json(fig)
    assert "customdata[3]" in text and "customdata[4]" in text  # source_id and locator in the hover
    assert "also told by: s, s2" in text
    notes = [a.text for a in fig.layout.annotations]
    assert "Trials (to Dec 2021)" in notes and "War" in notes and fig.layout.meta["source"] == "Source: s"
    assert len(fig.layout.shapes) >= 1  # only the phase inside the axis is shaded
    assert all(s.type != "rect" or s.x1 <= T("2021-01-01") for s in fig.layout.shapes)
    ticks = list(fig.layout.yaxis.ticktext)
    assert ticks[-1] == "Phases" and ticks[0] == "Front line<br>and<br>diplomacy"


def _phase_marks(fig: go.Figure, names: set[str]) -> list[tuple[Any, tuple[Any, Any], float]]:
    """(label annotation, (bar start, bar end), bar y) for each phase label of a lane timeline."""
    bars = {t.y[0]: (t.x[0], t.x[1]) for t in fig.data if t.mode == "lines" and t.line.width == 8}
    return [(a, bars[a.y], a.y) for a in fig.layout.annotations if a.text in names]


def test_phase_labels_sit_beside_their_bars_never_on_one(real) -> None:
    """Issue 13: the labels overlapped their bars. Each label is on its bar's own row, past one of its ends."""
    events = real["events"]
    phases = timeline.phases(events)
    drawn = timeline.drawable_timeline(events, real["places"], "2020-01-01", "2020-12-31", precisions=("day", "month"))
    fig = timeline.lane_timeline_figure(drawn, phases, "t", "s", ("2020-01-01", "2021-01-01"))
    names = {n for n in phases["phase"]} | {n + " (to Dec 2021)" for n in phases["phase"]}
    marks = _phase_marks(fig, names)
    assert len(marks) == len(phases)
    assert len({y for _, _, y in marks}) == len(phases)  # one row per phase: no other bar shares a label's row
    for label, (x0, x1), y in marks:
        assert label.yanchor == "middle" and label.y == y
        if label.xanchor == "left":
            assert pd.Timestamp(label.x) >= pd.Timestamp(x1) and label.xshift > 0, label.text
        else:
            assert label.xanchor == "right" and pd.Timestamp(label.x) <= pd.Timestamp(x0) and label.xshift < 0


def test_phase_label_sides_go_left_only_when_the_right_has_no_room() -> None:
    lo, hi = T("2020-01-01"), T("2021-01-01")
    sides = timeline.phase_label_sides(
        pd.Series([T("2020-07-12"), T("2020-08-01")]), pd.Series([T("2020-07-17"), hi]), pd.Series([20, 20]), lo, hi
    )
    assert list(sides) == ["right", "left"]


def test_weekly_bars() -> None:
    weekly = timeline.weekly_lane_counts(EVENTS, "2020-01-01", "2020-12-31")
    fig = timeline.weekly_bars(weekly, "Weekly", "Source: s", ("2020-01-01", "2021-01-01"))
    assert [t.name for t in fig.data] == ["Front line and diplomacy"]
    assert fig.layout.barmode == "stack"
    assert fig.layout.title.yref == "container" and fig.layout.margin.t == 130  # room above for title and legend


# --- war ----------------------------------------------------------------------------------------------------


def test_lane_totals_and_busiest_years() -> None:
    frame = timeline.drawable_timeline(EVENTS, PLACES)
    totals = timeline.lane_totals(frame)
    assert totals.index[0] == "Front line and diplomacy" and totals["Front line and diplomacy"] == 4  # a, b, e and f
    assert totals["Azerbaijan"] == 0
    assert timeline.busiest_years(frame, 2) == "2020 (5), 1993 (1)"


# --- war, real data -----------------------------------------------------------------------------------------


def test_real_timeline_counts(real) -> None:
    events = real["events"]
    drawn = timeline.drawable_timeline(events, real["places"], "2020-01-01", "2020-12-31", precisions=("day", "month"))
    share = timeline.precision_share(events, 2020).set_index("precision")["events"]
    assert len(drawn) == share["day"] + share["month"]
    weekly = timeline.weekly_lane_counts(events, "2020-01-01", "2020-12-31")
    assert weekly["events"].sum() == share["day"]


DAY_EVENTS = events_frame(
    [
        {"event_id": "a", "date": "2020-09-27", "end_date": "2020-11-10", "category": "clash", "theatre": "front"},
        {"event_id": "b", "date": "2020-10-04", "category": "capture", "theatre": "front"},
        {"event_id": "b2", "date": "2020-10-05", "category": "capture", "theatre": "front", "variant_of": "b"},
        {"event_id": "c", "date": "2020-10-05", "category": "protest", "theatre": "iran"},
        {"event_id": "d", "date": "2020-10-01", "category": "protest", "theatre": "iran", "date_precision": "month"},
        {"event_id": "e", "date": "2021-01-01", "category": "trial", "theatre": "iran", "date_precision": "month"},
    ]
)


def test_first_versions_drop_variants() -> None:
    assert list(timeline.first_versions(DAY_EVENTS)["event_id"]) == ["a", "b", "c", "d", "e"]


def test_daily_and_weekly_counts_use_day_precision_first_versions() -> None:
    daily = timeline.events_per_period(DAY_EVENTS, "D")
    assert daily["events"].sum() == 3  # a, b, c (b2 is a variant, d and e month precision)
    weekly = timeline.events_per_period(DAY_EVENTS, "W", by=["theatre", "category"])
    # 2020-10-04 is a Sunday, 2020-10-05 a Monday: two different weeks
    assert list(weekly["period"].dt.strftime("%Y-%m-%d")) == ["2020-09-21", "2020-09-28", "2020-10-05"]
    with pytest.raises(ValueError, match="freq"):
        timeline.events_per_period(DAY_EVENTS, "M")


def test_phases_from_rules() -> None:
    rules = (
        timeline.PhaseRule("war", ("clash", "capture"), ("front",), ("2020-09-01", "2020-11-30"), "longest"),
        timeline.PhaseRule("rallies", ("protest",), ("iran",), ("2020-09-01", "2020-12-31")),
        timeline.PhaseRule("trials", ("trial",), ("iran",), ("2020-01-01", "2021-12-31")),
        timeline.PhaseRule("none", ("agreement",), ("front",), ("2020-01-01", "2021-12-31")),
    )
    out = timeline.phases(DAY_EVENTS, rules).set_index("phase")
    assert out.loc["war", "days"] == 45 and out.loc["war", "events"] == 2
    # the month-precision rally of October ends on 31 October
    assert out.loc["rallies", "start"] == pd.Timestamp("2020-10-01")
    assert out.loc["rallies", "end"] == pd.Timestamp("2020-10-31")
    assert out.loc["trials", "end"] == pd.Timestamp("2021-01-31")
    assert "none" not in out.index


def test_lanes_and_timeline_frame() -> None:
    places = pd.DataFrame({"place_id": ["x"], "name": ["X town"]})
    ev = DAY_EVENTS.assign(place_id=["x", pd.NA, pd.NA, pd.NA, pd.NA, pd.NA])
    frame = timeline.timeline_frame(ev, places)
    assert list(frame["lane"].astype(str)) == [
        "Front line and diplomacy",
        "Iran",
        "Front line and diplomacy",
        "Iran",
        "Iran",
    ]
    assert frame.iloc[0]["place"] == "X town" and frame.iloc[0]["end"] == pd.Timestamp("2020-11-10")


def test_versions_per_event() -> None:
    v = timeline.versions_per_event(DAY_EVENTS).set_index("event_id")
    assert v.loc["b", "versions"] == 2 and v.loc["a", "versions"] == 1


def test_real_phases_match_the_sources(real) -> None:
    ph = timeline.phases(real["events"]).set_index("phase")
    war = ph.loc["The 44-day war"]
    assert (war["start"], war["end"]) == (pd.Timestamp("2020-09-27"), pd.Timestamp("2020-11-10"))
    july = ph.loc["July border clashes"]
    assert (july["start"], july["end"]) == (pd.Timestamp("2020-07-12"), pd.Timestamp("2020-07-16"))
    assert ph.loc["Trials in Iran", "end"] >= pd.Timestamp("2021-10-09")


def test_precision_figures_name_sources_by_perspective(real) -> None:
    figures = timeline.precision_figures(real["events"], real["sources"], 2020)
    by_source = timeline.precision_by_source(real["events"], 2020).set_index("source_id")["share_not_to_the_day"]
    assert figures["activist-coarse"] == f"{by_source['hasanbayli-south-az']:.0%}"
    assert figures["wp-war-coarse"] == f"{by_source['wp-karabakh-war-2020']:.0%}"
