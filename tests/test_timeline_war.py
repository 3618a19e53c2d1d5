"""The timeline builders (analysis.timeline) and the war chapter's module (analysis.war): hand-made cases and real data."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from analysis import load_tables, timeline, war

T = pd.Timestamp


@pytest.fixture(scope="module")
def real() -> dict[str, pd.DataFrame]:
    return load_tables(["events", "places", "relations", "actors", "sources", "geography"])


def events_frame(rows: list[dict]) -> pd.DataFrame:
    base = {"end_date": pd.NaT, "variant_of": pd.NA, "date_precision": "day", "source_id": "s", "locator": "l",
            "title": "t", "description": "", "place_id": pd.NA, "category": "clash", "theatre": "front"}
    df = pd.DataFrame([{**base, **r} for r in rows])
    df["date"] = pd.to_datetime(df["date"])
    df["end_date"] = pd.to_datetime(df["end_date"])
    for col in ("variant_of", "place_id", "title", "event_id", "source_id", "locator", "description"):
        df[col] = df[col].astype("string")
    return df


EVENTS = events_frame([
    {"event_id": "a", "date": "2020-09-27", "end_date": "2020-11-10", "theatre": "front", "title": "War"},
    {"event_id": "b", "date": "2020-10-09", "category": "capture", "title": "Azerbaijan announces capture of X",
     "place_id": "x"},
    {"event_id": "b2", "date": "2020-10-10", "category": "capture", "variant_of": "b", "source_id": "s2",
     "title": "Forces take X", "place_id": "x"},
    {"event_id": "c", "date": "2020-10-01", "date_precision": "month", "theatre": "iran", "category": "protest"},
    {"event_id": "d", "date": "2020-01-01", "date_precision": "year", "theatre": "iran", "category": "protest"},
    {"event_id": "e", "date": "2020-10-05", "theatre": "armenia", "category": "statement"},
    {"event_id": "f", "date": "1993-01-01", "date_precision": "year", "theatre": "front", "category": "capture",
     "title": "Forces hold the districts", "description": "They hold Xtown, Ytown (also Why) and Zregion."},
])

PLACES = pd.DataFrame({
    "place_id": ["x", "y", "z", "w"], "name": ["Xtown", "Ytown", "Zregion", "Wvillage"],
    "kind": ["town", "town", "region", "village"], "aliases": [pd.NA, "Why|Wye", pd.NA, pd.NA],
    "latitude": [39.5, 39.5, 39.8, 40.0], "longitude": [46.5, 46.5, 46.7, 47.0],
})


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
        "27 Sep 2020", "27 Sep – 10 Nov 2020", "Oct 2020 (month only)", "1990–1999 (years only)", "2020 (year only)"]


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
    phases = pd.DataFrame({"phase": ["p"], "start": [T("2020-10-01")], "end": [T("2020-10-31")], "days": [31],
                           "events": [1]})
    assert timeline.phase_share(frame, phases, "p") == (3, 0.75)


def test_wrap() -> None:
    from analysis import charts

    assert charts.wrap("one two three", 7) == "one two<br>three"
    assert charts.wrap("short", 55) == "short"
    assert charts.wrap("wp-karabakh-war-2020", 5) == "wp-karabakh-war-2020"  # ids are not broken at hyphens


def _figure_json(fig: go.Figure) -> str:
    return json.dumps(fig.to_plotly_json(), default=str)


def test_lane_timeline_figure_hover_and_phases() -> None:
    frame = timeline.drawable_timeline(EVENTS, PLACES, "2020-01-01", "2020-12-31", precisions=("day", "month"))
    phases = pd.DataFrame({"phase": ["War", "Trials"], "start": [T("2020-09-27"), T("2020-08-01")],
                           "end": [T("2020-11-10"), T("2021-12-31")], "days": [45, 518], "events": [2, 1]})
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


def test_weekly_bars() -> None:
    weekly = timeline.weekly_lane_counts(EVENTS, "2020-01-01", "2020-12-31")
    fig = timeline.weekly_bars(weekly, "Weekly", "Source: s", ("2020-01-01", "2021-01-01"))
    assert [t.name for t in fig.data] == ["Front line and diplomacy"]
    assert fig.layout.barmode == "stack"


# --- war ----------------------------------------------------------------------------------------------------

def test_claimant_from_titles() -> None:
    titles = pd.DataFrame({"title": ["Azerbaijan announces capture of Jabrayil", "Azerbaijani forces take Shusha",
                                     "Commentary says Armenian forces attacked", "Azerbaijani MoD reports 48 violations",
                                     "Artsakh says forces near Shusha", "Pashinyan accuses Azerbaijan of a plan"]})
    assert list(war.claimant(titles)) == ["Azerbaijan", None, None, "Azerbaijani MoD", "Artsakh", "Pashinyan"]


def test_places_named_in_matches_names_and_aliases_as_words() -> None:
    assert war.places_named_in("They hold Xtown, Why and Zregion.", PLACES) == ["x", "y"]  # regions left out
    assert war.places_named_in("Xtownship", PLACES) == []
    assert war.places_named_in("Wvillage", PLACES, kinds=("village",)) == ["w"]


def test_place_marks_and_labels() -> None:
    marks = war.place_marks(EVENTS, PLACES, T("2020-09-27"), T("2020-12-01"), "f")
    assert set(zip(marks["place_id"], marks["mark"])) == {("x", "held-1994"), ("y", "held-1994"), ("x", "capture")}
    capture = marks[marks["mark"] == "capture"].iloc[0]
    assert "claimed by Azerbaijan" in capture["events"] and "(s2, l)" in capture["events"]
    labels = war.map_labels(marks, PLACES)
    assert list(labels["label"]) == ["Xtown / Ytown"]  # two places share a coordinate
    summary = war.map_summary(marks)
    assert summary["held_and_captured_names"] == ["Xtown"] and summary["held_not_captured_names"] == ["Ytown"]
    assert war.mark_sources(marks) == ["s", "s2"]


def test_war_map_draws_borders_markers_by_kind_and_both_names(real) -> None:
    span = war.war_span(real["events"])
    marks = war.place_marks(real["events"], real["places"], span["start"], span["handover_end"],
                            "1994-01-01-artsakh-holds-surrounding-districts")
    fig = war.war_map(marks, real["places"], real["geography"], "A map", "Source: s", held_since=1994,
                      enlarged=war.CENTRE_VIEW)
    assert all(t.type == "scatter" for t in fig.data)  # no geo traces, no tiles
    names = [t.name for t in fig.data]
    assert "country outlines" in names and "lake outlines" in names
    assert {"District held by Armenian forces from 1994", "Capture reported (hover: who said so)",
            "Fighting or strike"} <= set(names)
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio > 1.2
    labels = {a.text for a in fig.layout.annotations}
    assert "Kalbajar (Karvachar)" in labels and "Shusha (Shushi)" not in labels  # Shusha is in the enlarged frame
    centre = war.war_map(marks, real["places"], real["geography"], "B", "Source: s", view=war.CENTRE_VIEW)
    labels = {a.text for a in centre.layout.annotations}
    assert {"Shusha (Shushi)", "Stepanakert (Khankendi)", "Martuni (Khojavend)"} <= labels
    captures = next(t for t in centre.data if t.name.startswith("Capture"))
    assert any("claimed by Azerbaijan" in c[1] for c in captures.customdata)


def test_key_events_and_axis_figure() -> None:
    places = PLACES.copy()
    key = war.key_events(EVENTS, places, T("2020-09-27"), T("2020-12-01"))
    assert set(key["event_id"]) == {"b", "b2"}  # captures in the window (f is 1993)
    assert key.set_index("event_id").at["b2", "is_variant"]
    counts = war.claim_counts(key)
    assert counts == {"all": 2, "placed": 2, "named": 1, "unnamed": 1, "claimants": ["Azerbaijan"],
                      "first_day": T("2020-10-09")}
    claims = war.capture_claims(key)
    assert list(claims["claimed by"]) == ["Azerbaijan", "no claimant named: the source states it"]
    span = pd.Series({"start": T("2020-09-27"), "end": T("2020-11-10")})
    fig = war.war_axis_figure(key, span, "Axis", "Source: s", (T("2020-09-20"), T("2020-12-06")))
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "1 day later by<br>s2" in notes and "Xtown" in notes


def test_prose_helpers() -> None:
    assert war.and_join([]) == "" and war.and_join(["a"]) == "a" and war.and_join(["a", "b"]) == "a and b"
    assert war.and_join(["a", "b", "c"]) == "a, b and c" and timeline.and_join([1, 2]) == "1 and 2"
    assert war.day_list(pd.Series([T("2020-10-10"), T("2020-10-17")])) == "10 October and 17 October"
    assert war.cited_sources(pd.DataFrame({"source_id": ["b, a", "a"]})) == ["a", "b"]


def test_lane_totals_and_busiest_years() -> None:
    frame = timeline.drawable_timeline(EVENTS, PLACES)
    totals = timeline.lane_totals(frame)
    assert totals.index[0] == "Front line and diplomacy" and totals["Front line and diplomacy"] == 4  # a, b, e and f
    assert totals["Azerbaijan"] == 0
    assert timeline.busiest_years(frame, 2) == "2020 (5), 1993 (1)"


# --- war, real data -----------------------------------------------------------------------------------------

def test_real_war_span(real) -> None:
    span = war.war_span(real["events"])
    assert (span["start"], span["end"]) == (T("2020-09-27"), T("2020-11-10"))
    assert (span["elapsed_days"], span["calendar_days"]) == (44, 45)
    assert span["handover_end"] == T("2020-12-01")


def test_real_ceasefire_attempts(real) -> None:
    span = war.war_span(real["events"])
    attempts = war.ceasefire_attempts(real["events"], real["relations"], real["actors"], span["start"], span["end"])
    assert list(attempts["date"]) == [T("2020-10-10"), T("2020-10-17"), T("2020-10-26")]
    assert list(attempts["mediated by"]) == ["Russia", "–", "United States"]


def test_real_trilateral_dates_and_signatories(real) -> None:
    versions = war.dated_versions(real["events"], "2020-11-09-trilateral-ceasefire-statement", real["sources"])
    assert list(versions["date"]) == [T("2020-11-09"), T("2020-11-10")]
    assert list(versions["source_id"]) == ["wp-karabakh-war-2020", "commentary-44-day-war"]
    signed = war.signatories(real["relations"], real["actors"], list(versions["event_id"])).set_index("event_id")
    assert "Vladimir Putin" in signed.at["2020-11-09-trilateral-ceasefire-statement", "signatories named"]
    assert signed.at["2020-11-10-trilateral-statement", "signatories named"] == "Azerbaijan, Armenia, Russia"


def test_real_captures_are_attributed(real) -> None:
    span = war.war_span(real["events"])
    key = war.key_events(real["events"], real["places"], span["start"], span["handover_end"], real["sources"])
    claims = war.capture_claims(key).set_index("place")
    assert claims.at["Jabrayil", "claimed by"] == "Azerbaijan"
    assert claims.at["Khudafarin Bridges", "claimed by"].startswith("no claimant named")
    # the commentary's undated Shusha row is kept, though it has no day on the axis
    assert (~key["placed"]).sum() == 1


def test_real_map_marks(real) -> None:
    span = war.war_span(real["events"])
    marks = war.place_marks(real["events"], real["places"], span["start"], span["handover_end"],
                            "1994-01-01-artsakh-holds-surrounding-districts")
    summary = war.map_summary(marks)
    assert summary["held"] == 7  # the seven surrounding districts the 1994 event names
    assert set(summary["held_and_captured_names"]) == {"Fuzuli", "Jabrayil"}
    assert "Shusha" in summary["captured_names"]
    assert marks["latitude"].notna().all()


def test_real_accounts_and_territory(real) -> None:
    span = war.war_span(real["events"])
    accounts = war.accounts_on(real["events"], real["sources"], span["start"] - pd.Timedelta(days=1), span["start"])
    assert set(accounts["perspective"]) >= {"encyclopedic", "azerbaijani-government", "journalistic"}
    territory = war.territory_statements(real["events"], real["places"], real["sources"], span["end"],
                                         span["handover_end"])
    assert set(territory["source_id"]) == {"wp-karabakh-war-2020", "commentary-44-day-war"}
    labels = war.source_labels(real["sources"])
    assert labels["commentary-44-day-war"] == "Unsigned commentary (Azerbaijani-government view)"


def test_real_timeline_counts(real) -> None:
    events = real["events"]
    drawn = timeline.drawable_timeline(events, real["places"], "2020-01-01", "2020-12-31", precisions=("day", "month"))
    share = timeline.precision_share(events, 2020).set_index("precision")["events"]
    assert len(drawn) == share["day"] + share["month"]
    weekly = timeline.weekly_lane_counts(events, "2020-01-01", "2020-12-31")
    assert weekly["events"].sum() == share["day"]


def test_top_space_pins_the_title() -> None:
    fig = timeline.weekly_bars(timeline.weekly_lane_counts(EVENTS, "2020-01-01", "2020-12-31"), "T", "Source: s",
                               ("2020-01-01", "2021-01-01"))
    assert fig.layout.title.yref == "container" and fig.layout.margin.t == 130
