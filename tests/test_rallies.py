"""Rallies in Iran (analysis.rallies) and the chapter helpers added to analysis.sentencing.

Known answers come from hand-made frames and from the real data, where they can be checked in the
activist report (hasanbayli-south-az): the Tehran rally of 16 July 2020 (four people named, a cited
headline of 18 detained), Amnesty's 20 Ardabil detainees (six named), the eleven Ardabil sentences of
9 October 2021 against a cited headline of 12 people and 888 lashes, and bail of 50 million tomans.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import charts
from analysis import rallies as rl

ACTIVIST = "hasanbayli-south-az"


@pytest.fixture(scope="module")
def events_2020(real: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return rl.iran_events(real["events"], real["places"], start="2020-01-01", end="2020-12-31")


@pytest.fixture(scope="module")
def held_2020(real: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return rl.iran_detentions(real["detentions"], real["places"], real["events"], start="2020-01-01", end="2020-12-31")


# --------------------------------------------------------------------------- hand-made frames


def places_frame() -> pd.DataFrame:
    rows = [
        ("tabriz", "Tabriz", "city", 38.08, 46.29, pd.NA),
        ("consulate", "Consulate in Tabriz", "site", 38.0, 46.0, pd.NA),
        ("park", "Jiral Park (Ardabil)", "site", 38.25, 48.29, pd.NA),
        ("ardabil", "Ardabil", "city", 38.25, 48.29, pd.NA),
        ("county", "Khoda Afarin County (Iranian side)", "district", 39.15, 47.03, pd.NA),
        ("village", "Nadarlu", "village", pd.NA, pd.NA, pd.NA),
    ]
    frame = pd.DataFrame(rows, columns=["place_id", "name", "kind", "latitude", "longitude", "aliases"])
    frame["country"] = "IR"
    return frame


def events_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    base = {
        "event_id": None,
        "date": pd.NA,
        "date_precision": "day",
        "title": "t",
        "category": "protest",
        "theatre": "iran",
        "place_id": pd.NA,
        "variant_of": pd.NA,
        "source_id": "doc",
        "locator": "¶1",
    }
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def detentions_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    base = {
        "detention_id": None,
        "actor_id": pd.NA,
        "count": 1,
        "count_max": pd.NA,
        "qualifier": "exact",
        "date": pd.NA,
        "date_precision": pd.NA,
        "place_id": pd.NA,
        "event_id": pd.NA,
        "country": "IR",
        "circumstance": "unknown",
        "outcome": "unknown",
        "part_of": pd.NA,
        "source_id": "doc",
        "locator": "¶1",
    }
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    frame["date"] = pd.to_datetime(frame["date"])
    frame["count"] = frame["count"].astype("Int64")
    frame["count_max"] = frame["count_max"].astype("Int64")
    return frame


# --------------------------------------------------------------------------- places and dates


def test_localities_put_sites_in_their_city_and_keep_districts() -> None:
    where = rl.localities(places_frame())
    assert where.at["consulate", "locality"] == "Tabriz"
    # a site is drawn at its city's coordinates, not its own
    assert (where.at["consulate", "latitude"], where.at["consulate", "longitude"]) == (38.08, 46.29)
    assert where.at["park", "locality"] == "Ardabil"  # found through the parenthesised city name
    assert where.at["county", "locality"] == "Khoda Afarin County (Iranian side)"
    assert where.at["county", "latitude"] == 39.15
    assert pd.isna(where.at["village", "latitude"]) and where.at["village", "locality"] == "Nadarlu"


def test_count_text_as_the_source_put_it() -> None:
    out = rl.count_text(
        pd.Series([20, 40, 60, 30, 50, 5, pd.NA], dtype="Int64"),
        pd.Series(["exact", "about", "at-least", "more-than", "up-to", "range", "exact"]),
        pd.Series([pd.NA, pd.NA, pd.NA, pd.NA, pd.NA, 8, pd.NA], dtype="Int64"),
    )
    assert out.iloc[:6].tolist() == ["20", "about 40", "at least 60", "more than 30", "up to 50", "5–8"]
    assert pd.isna(out.iloc[6])


def test_short_name_drops_the_parenthesis() -> None:
    assert rl.short_name(pd.Series(["Takab (Tikantape)", "Tabriz"])).tolist() == ["Takab", "Tabriz"]


# --------------------------------------------------------------------------- events and detentions (hand-made)


def test_iran_events_keeps_first_versions_kinds_and_window() -> None:
    ev = events_frame(
        [
            {"event_id": "a", "date": "2020-07-16", "place_id": "consulate"},
            {"event_id": "b", "date": "2020-07-16", "variant_of": "a"},  # a second telling
            {"event_id": "c", "date": "2020-10-01", "category": "statement"},  # not a kept kind
            {"event_id": "d", "date": "2020-10-01", "theatre": "azerbaijan"},  # not Iran
            {"event_id": "e", "date": "2020-01-01", "date_precision": "year", "category": "detention"},
            {"event_id": "f", "date": "2019-03-01", "category": "detention"},  # before the window
            {
                "event_id": "g",
                "date": "2020-12-01",
                "date_precision": "month",
                "category": "trial",
                "place_id": "ardabil",
            },
        ]
    )
    out = rl.iran_events(ev, places_frame(), start="2020-01-01", end="2020-12-31")
    assert out["event_id"].tolist() == ["e", "a", "g"]
    assert out.set_index("event_id").at["a", "locality"] == "Tabriz"
    assert out["kind"].tolist() == [rl.KINDS["detention"], rl.KINDS["protest"], rl.KINDS["trial"]]
    assert out.set_index("event_id").at["g", "when"] == "Dec 2020"
    # a year-precision date counts by its year: kept from mid-year on too
    assert "e" in set(rl.iran_events(ev, places_frame(), start="2020-06-01")["event_id"])


def test_iran_detentions_take_the_event_date_when_their_own_is_missing() -> None:
    ev = events_frame([{"event_id": "r", "date": "2020-10-18", "place_id": "tabriz"}])
    det = detentions_frame(
        [
            {"detention_id": "d1", "actor_id": "p1", "event_id": "r", "place_id": "tabriz"},
            {"detention_id": "d2", "actor_id": "p2", "date": "2004-06-01", "date_precision": "month"},
            {"detention_id": "d3", "actor_id": "p3", "country": "AZ", "date": "2020-07-14", "date_precision": "day"},
            {"detention_id": "d4", "count": 40, "qualifier": "about", "place_id": "park", "circumstance": "at-rally"},
        ]
    )
    out = rl.iran_detentions(det, places_frame(), ev, start="2020-01-01").set_index("detention_id")
    assert list(out.index) == ["d1", "d4"]  # 2004 is before the window, AZ is not Iran, undated rows stay
    assert out.at["d1", "date"] == pd.Timestamp("2020-10-18") and out.at["d1", "dated_by_event"]
    assert out.at["d1", "when"] == "18 Oct 2020" and out.at["d4", "when"] == "not stated"
    assert out.at["d4", "count_text"] == "about 40" and out.at["d4", "setting"] == "at a rally"
    assert bool(out.at["d1", "named"]) and not bool(out.at["d4", "named"])


def test_by_locality_counts_people_once_and_keeps_subsets_out() -> None:
    ev = events_frame(
        [
            {"event_id": "a", "date": "2020-10-01", "place_id": "tabriz"},
            {"event_id": "b", "date": "2020-10-01", "place_id": "consulate", "category": "detention"},
            {"event_id": "c", "date": "2020-01-01", "date_precision": "year", "place_id": "village"},
        ]
    )
    det = detentions_frame(
        [
            {
                "detention_id": "d1",
                "actor_id": "p1",
                "date": "2020-10-01",
                "date_precision": "day",
                "place_id": "tabriz",
                "circumstance": "at-rally",
            },
            {
                "detention_id": "d2",
                "actor_id": "p1",
                "date": "2020-11-22",
                "date_precision": "day",
                "place_id": "tabriz",
                "circumstance": "summons",
            },
            {
                "detention_id": "d3",
                "actor_id": "p2",
                "date": "2020-10-02",
                "date_precision": "day",
                "place_id": "tabriz",
                "circumstance": "raid",
            },
            {
                "detention_id": "d4",
                "count": 40,
                "qualifier": "about",
                "date": "2020-10-01",
                "date_precision": "day",
                "place_id": "tabriz",
            },
            {"detention_id": "d5", "count": 16, "place_id": "tabriz", "part_of": "d4"},
        ]
    )
    events = rl.iran_events(ev, places_frame())
    held = rl.iran_detentions(det, places_frame(), ev)
    out = rl.by_locality(events, held).set_index("locality")
    tabriz = out.loc["Tabriz"]
    assert (tabriz["rallies"], tabriz["arrest_events"], tabriz["events"]) == (1, 1, 2)
    assert (tabriz["named_detained"], tabriz["named_in_raids"], tabriz["named_summoned"]) == (2, 1, 1)
    assert tabriz["reported_groups"] == "about 40 (1 Oct 2020)" and tabriz["largest_reported"] == 40
    assert tabriz["first"] == pd.Timestamp("2020-10-01") and tabriz["last"] == pd.Timestamp("2020-11-22")
    # a year-only date is no first or last date
    assert pd.isna(out.loc["Nadarlu", "first"]) and pd.isna(out.loc["Nadarlu", "latitude"])
    left_out = rl.unplaced(events, held).set_index("what")
    assert left_out.at["events", "locality without coordinates"] == 1
    assert left_out.at["named detainees", "no locality"] == 0
    counts = rl.people_counts(held)
    assert (counts["named"], counts["only_summoned"], counts["held"]) == (2, 0, 2)
    reported = rl.reported_counts(held)
    assert reported["figure"].tolist() == ["about 40"]  # the subset (part_of) is not a rival figure


def test_people_counts_separate_the_only_summoned() -> None:
    det = detentions_frame(
        [
            {"detention_id": "d1", "actor_id": "p1", "circumstance": "summons"},
            {"detention_id": "d2", "actor_id": "p1", "circumstance": "summons"},
            {"detention_id": "d3", "actor_id": "p2", "circumstance": "at-rally"},
        ]
    )
    counts = rl.people_counts(rl.iran_detentions(det, places_frame()))
    assert counts.tolist() == [2, 1, 1]


def test_every_iran_record_comes_from_the_activist_report(real: dict[str, pd.DataFrame]) -> None:
    shares = rl.source_shares(real["events"], real["detentions"])
    assert shares["source_id"].tolist() == [ACTIVIST]
    assert shares.at[0, "events"] == (real["events"]["theatre"] == "iran").sum()


def test_named_against_stated_tehran_and_ardabil(real: dict[str, pd.DataFrame]) -> None:
    out = rl.named_against_stated(real["detentions"], real["actors"], real["events"], real["places"])
    by_place = out.set_index("event_locality")
    assert set(by_place.index) == {"Tehran", "Ardabil"}  # the 1989 arrest (held outside Iran) is left out
    tehran, ardabil = by_place.loc["Tehran"], by_place.loc["Ardabil"]
    assert (tehran["stated_count"], tehran["named"], tehran["difference"]) == (18, 4, 14)
    assert tehran["stated_place"] == "not stated" and tehran["stated_locator"] == "References fn 28"
    assert tehran["event_date"] == "16 Jul 2020"
    assert (ardabil["stated_count"], ardabil["named"]) == (20, 6)
    assert len(ardabil["named_people"].split(", ")) == 6


def test_by_locality_real_tabriz_and_ardabil_lead(events_2020: pd.DataFrame, held_2020: pd.DataFrame) -> None:
    sites = rl.by_locality(events_2020, held_2020)
    assert sites["locality"].iloc[:2].tolist() == ["Tabriz", "Ardabil"]
    assert sites.set_index("locality").at["Urmia", "named_summoned"] >= 10
    assert "about 40 (1 Oct 2020)" in sites.set_index("locality").at["Tabriz", "reported_groups"]


def test_reported_counts_real(real: dict[str, pd.DataFrame]) -> None:
    held = rl.iran_detentions(real["detentions"], real["places"], real["events"], start="2020-01-01")
    counts = rl.reported_counts(held).set_index("locator")
    assert counts.at["Closing Remarks ¶1", "figure"] == "about 300"
    assert counts.at["Closing Remarks ¶2", "figure"] == "242"
    assert rl.reported_counts(held)["count"].is_monotonic_decreasing


def test_context_phases_leave_the_activist_report_out(real: dict[str, pd.DataFrame], events_2020: pd.DataFrame) -> None:
    context = rl.context_phases(real["events"], ACTIVIST, names=("July border clashes", "The 44-day war"))
    war = context.set_index("phase").loc["The 44-day war"]
    assert (war["start"], war["end"]) == (pd.Timestamp("2020-09-27"), pd.Timestamp("2020-11-10"))
    assert ACTIVIST not in " ".join(context["sources"]) and "wp-karabakh-war-2020" in war["sources"]
    after = rl.first_rally_after(events_2020, context).set_index("phase")
    assert after.at["The 44-day war", "days_after"] == 2 and after.at["The 44-day war", "locality"] == "Ardabil"
    assert after.at["July border clashes", "locality"] == "Tabriz, Tehran"
    assert after.at["July border clashes", "days_after"] == 4


def test_first_rally_after_with_no_rally() -> None:
    context = pd.DataFrame({"phase": ["p"], "start": [pd.Timestamp("2021-01-01")], "end": [pd.Timestamp("2021-01-02")]})
    events = rl.iran_events(events_frame([{"event_id": "a", "date": "2020-07-16"}]), places_frame())
    out = rl.first_rally_after(events, context)
    assert pd.isna(out.at[0, "days_after"]) and pd.isna(out.at[0, "rally_date"])


def test_event_when_and_dated_summary(real: dict[str, pd.DataFrame], events_2020: pd.DataFrame) -> None:
    assert rl.event_when(real["events"], "2020-11-08-shusha-captured") == "8 Nov 2020"
    with pytest.raises(KeyError):
        rl.event_when(real["events"], "no-such-event")
    dating = rl.dated_summary(events_2020)
    assert dating["day"] + dating["month"] + dating["year"] + dating["undated"] == len(events_2020)
    assert dating["busiest_month"] == "October 2020"


def test_iran_map_on_borders_sized_by_kind(
    real: dict[str, pd.DataFrame], events_2020: pd.DataFrame, held_2020: pd.DataFrame
) -> None:
    sites = rl.by_locality(events_2020, held_2020)
    fig = rl.iran_map(sites, real["places"], real["geography"], "T<br>two lines", "Source: x")
    assert all(t.type == "scatter" for t in fig.data)  # no geo or tile traces: nothing loads from the internet
    assert fig.data[0].name == "country outlines" and fig.data[0].fill == "toself"
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio > 1.2
    rallies_trace = next(t for t in fig.data if t.name == rl.KINDS["protest"])
    assert len(rallies_trace.x) == ((sites["rallies"] > 0) & sites["latitude"].notna()).sum()
    labels = {a.text for a in fig.layout.annotations}
    assert {"Tabriz", "Ardabil", "Urmia", "Takab", "Lake Urmia", "Caspian Sea"} <= labels
    assert "Takab (Tikantape)" not in labels
    located = sites[sites["latitude"].notna()]
    assert all(rl.IRAN_VIEW.contains(x, y) for x, y in zip(located["longitude"], located["latitude"]))
    assert fig.layout.margin.t > 70  # room for the two-line title


def test_timeline_figure_marks_month_only_dates(real: dict[str, pd.DataFrame], events_2020: pd.DataFrame) -> None:
    context = rl.context_phases(real["events"], ACTIVIST, names=("The 44-day war",))
    fig = rl.timeline_figure(events_2020, context, "T", "Source: x")
    points = [t for t in fig.data if t.mode == "markers" and t.x[0] is not None]
    spans = [t for t in fig.data if t.mode == "lines+markers"]
    assert sum(len(t.x) for t in points) == (events_2020["date_precision"] == "day").sum()
    # a month-only event is a bar from the month's first to its last day (start, end, gap)
    month = events_2020[events_2020["date_precision"] == "month"]
    assert sum(len(t.x) for t in spans) == 3 * len(month)
    for t in spans:
        for start, end in zip(t.x[0::3], t.x[1::3]):
            assert pd.Timestamp(start).day == 1 and pd.Timestamp(end) == pd.Timestamp(start) + pd.offsets.MonthEnd(0)
    assert len(fig.layout.shapes) == 1


def test_timeline_period_labels_are_staggered_so_close_periods_never_overlap(
    real: dict[str, pd.DataFrame], events_2020: pd.DataFrame
) -> None:
    """Issue 13: on a phone 'July border clashes' and 'The 44-day war' ran into each other on one line."""
    context = rl.context_phases(real["events"], ACTIVIST)
    fig = rl.timeline_figure(events_2020, context, "T", "Source: x")
    labels = sorted(fig.layout.annotations, key=lambda a: pd.Timestamp(a.x))
    assert len(labels) == len(context) >= 2
    assert all((a.yshift or 0) != (b.yshift or 0) for a, b in zip(labels, labels[1:]))  # neighbours on two lines


def test_timeline_figure_gives_each_meaning_its_own_mark(
    real: dict[str, pd.DataFrame], events_2020: pd.DataFrame
) -> None:
    """A hollow marker once meant both 'court ruling' (its legend entry, when no ruling was dated to the day) and
    'month only'; now a kind is a filled shape of its own in the legend, and month-only dates are bars."""
    context = rl.context_phases(real["events"], ACTIVIST, names=("The 44-day war",))
    fig = rl.timeline_figure(events_2020, context, "T", "Source: x")
    legend = {t.name: t for t in fig.data if t.showlegend is not False}
    kinds = {rl.KINDS[c]: c for c in charts.RALLY_CATEGORY_COLOURS}
    shown = set(events_2020["kind"][events_2020["date_precision"].isin(["day", "month"])])
    assert {k for k in legend if k in kinds} == shown
    symbols = [legend[k].marker.symbol for k in shown]
    assert len(set(symbols)) == len(symbols) and not any("open" in s for s in symbols)
    for kind in shown:
        entry = legend[kind]
        assert entry.mode == "markers" and entry.marker.color == charts.RALLY_CATEGORY_COLOURS[kinds[kind]]
    month = [n for n in legend if n not in kinds]
    assert month == ["bar: dated only to the month"] and legend[month[0]].mode == "lines"
    # no marker in the chart is hollow, so a hollow mark cannot be read as a kind of event
    assert not any("open" in str(t.marker.symbol) for t in fig.data if t.mode == "markers")


# --------------------------------------------------------------------------- sentencing: chapter helpers


def test_the_capture_of_shusha_is_found_by_its_place(real: dict[str, pd.DataFrame]) -> None:
    assert rl.capture_when(real["events"], "shusha") == "8 Nov 2020"
    with pytest.raises(KeyError, match="atlantis"):
        rl.capture_when(real["events"], "atlantis")
