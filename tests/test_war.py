"""analysis.war: the 44-day war on a time axis and a map, capture claims and ceasefires."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest
from conftest import EVENTS, PLACES

from analysis import charts, timeline, war

T = pd.Timestamp


@pytest.fixture(scope="module")
def real_marks(real: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The real war's map marks: events from the war's start to the handover deadline, districts held since 1994."""
    span = war.war_span(real["events"])
    return war.place_marks(
        real["events"],
        real["places"],
        span["start"],
        span["handover_end"],
        "1994-01-01-artsakh-holds-surrounding-districts",
    )


def _figure_json(fig: go.Figure) -> str:
    return json.dumps(fig.to_plotly_json(), default=str)


def test_claimant_from_titles() -> None:
    titles = pd.DataFrame(
        {
            "title": [
                "Azerbaijan announces capture of Jabrayil",
                "Azerbaijani forces take Shusha",
                "Commentary says Armenian forces attacked",
                "Azerbaijani MoD reports 48 violations",
                "Artsakh says forces near Shusha",
                "Pashinyan accuses Azerbaijan of a plan",
            ]
        }
    )
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


def test_war_map_draws_borders_markers_by_kind_and_both_names(real, real_marks) -> None:
    marks = real_marks
    fig = war.war_map(
        marks, real["places"], real["geography"], "A map", "Source: s", held_since=1994, enlarged=war.CENTRE_VIEW
    )
    assert all(t.type == "scatter" for t in fig.data)  # no geo traces, no tiles
    names = [t.name for t in fig.data]
    assert "country outlines" in names and "lake outlines" in names
    assert {
        "District held by Armenian forces from 1994",
        "Capture reported (hover: who said so)",
        "Fighting or strike",
    } <= set(names)
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio > 1.2
    labels = {a.text for a in fig.layout.annotations}
    assert "Kalbajar (Karvachar)" in labels and "Shusha (Shushi)" not in labels  # Shusha is in the enlarged frame
    centre = war.war_map(marks, real["places"], real["geography"], "B", "Source: s", view=war.CENTRE_VIEW)
    labels = {a.text for a in centre.layout.annotations}
    assert {"Shusha (Shushi)", "Stepanakert (Khankendi)", "Martuni (Khojavend)"} <= labels
    captures = next(t for t in centre.data if t.name.startswith("Capture"))
    assert any("claimed by Azerbaijan" in c[1] for c in captures.customdata)
    hovered = {c[0] for t in centre.data if t.customdata is not None for c in t.customdata}
    assert {"Shusha (Shushi)", "Stepanakert (Khankendi)"} <= hovered and "Shusha" not in hovered  # hover: both names


def test_key_events_and_axis_figure() -> None:
    places = PLACES.copy()
    key = war.key_events(EVENTS, places, T("2020-09-27"), T("2020-12-01"))
    assert set(key["event_id"]) == {"b", "b2"}  # captures in the window (f is 1993)
    assert key.set_index("event_id").at["b2", "is_variant"]
    counts = war.claim_counts(key)
    assert counts == {
        "all": 2,
        "placed": 2,
        "named": 1,
        "unnamed": 1,
        "claimants": ["Azerbaijan"],
        "first_day": T("2020-10-09"),
    }
    claims = war.capture_claims(key)
    assert list(claims["claimed by"]) == ["Azerbaijan", "no claimant named: the source states it"]
    span = pd.Series({"start": T("2020-09-27"), "end": T("2020-11-10")})
    fig = war.war_axis_figure(key, span, "Axis", "Source: s", (T("2020-09-20"), T("2020-12-06")))
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "1 day later by<br>s2" in notes and "Xtown" in notes


def test_real_axis_labels_are_stacked_wider_for_a_phone_and_never_overlap_there(real) -> None:
    """Issue 13: on a phone the capture labels (Jabrayil, Agbend, Shusha) ran into each other."""
    span = war.war_span(real["events"])
    key = war.key_events(real["events"], real["places"], span["start"], span["handover_end"], real["sources"])
    x_range = (span["start"] - pd.Timedelta(days=7), span["handover_end"] + pd.Timedelta(days=6))
    fig = war.war_axis_figure(key, span, "Axis", "Source: s", x_range)
    phone = charts.narrow_layout(fig, 600)["layout"]["annotations"]
    assert phone == fig.layout.meta["narrow_annotations"] and len(phone) == len(fig.layout.annotations)
    share, _ = war.LABEL_PACKING["phone"]
    width = x_range[1] - x_range[0]
    labels = [a for a in phone if "ay" in a and "same event" not in a["text"]]  # the place labels
    assert len(labels) >= 5  # Jabrayil, Khudafarin Bridges, Fuzuli, Agbend, Shusha
    for track in {a["ay"] for a in labels}:
        spans = sorted(
            (
                pd.Timestamp(a["x"]) - width * len(a["text"]) * share,
                pd.Timestamp(a["x"]) + width * len(a["text"]) * share,
            )
            for a in labels
            if a["ay"] == track
        )
        assert all(left[1] <= right[0] for left, right in zip(spans, spans[1:])), track  # none overlaps on its track
    desktop = {a.ay for a in fig.layout.annotations if a.ay is not None and "same event" not in a.text}
    assert len({a["ay"] for a in labels}) > len(desktop)  # more tracks than the desktop needs


def test_prose_helpers() -> None:
    assert war.and_join([]) == "" and war.and_join(["a"]) == "a" and war.and_join(["a", "b"]) == "a and b"
    assert war.and_join(["a", "b", "c"]) == "a, b and c" and timeline.and_join([1, 2]) == "1 and 2"
    assert war.day_list(pd.Series([T("2020-10-10"), T("2020-10-17")])) == "10 October and 17 October"
    assert war.cited_sources(pd.DataFrame({"source_id": ["b, a", "a"]})) == ["a", "b"]


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


def test_real_map_marks(real, real_marks) -> None:
    marks = real_marks
    summary = war.map_summary(marks)
    assert summary["held"] == 7  # the seven surrounding districts the 1994 event names
    assert set(summary["held_and_captured_names"]) == {"Fuzuli", "Jabrayil"}
    assert "Shusha" in summary["captured_names"]
    assert marks["latitude"].notna().all()


def test_real_accounts_and_territory(real) -> None:
    span = war.war_span(real["events"])
    accounts = war.accounts_on(real["events"], real["sources"], span["start"] - pd.Timedelta(days=1), span["start"])
    assert set(accounts["perspective"]) >= {"encyclopedic", "azerbaijani-government", "journalistic"}
    territory = war.territory_statements(
        real["events"], real["places"], real["sources"], span["end"], span["handover_end"]
    )
    assert set(territory["source_id"]) == {"wp-karabakh-war-2020", "commentary-44-day-war"}
    labels = war.source_labels(real["sources"])
    assert labels["commentary-44-day-war"] == "Unsigned commentary (Azerbaijani-government view)"


def test_the_chapters_figures(real) -> None:
    span = war.war_span(real["events"])
    assert war.span_figures(span) == {
        "start": "27 September 2020",
        "end": "10 November 2020",
        "elapsed": 44,
        "calendar": 45,
        "handover-end": "1 December 2020",
    }
    key = war.key_events(real["events"], real["places"], span["start"], span["handover_end"], real["sources"])
    assert war.first_capture_date(key, real["events"], "shusha") == T("2020-11-08")  # not the undated variant
    with pytest.raises(KeyError, match="atlantis"):
        war.first_capture_date(key, real["events"], "atlantis")
