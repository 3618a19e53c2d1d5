"""analysis.protests: hand-made frames with known answers, then the real data against the protests article."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import charts
from analysis import protests as P


def _events(rows: list[dict]) -> pd.DataFrame:
    """Events with every column the module reads; unspecified cells are missing."""
    defaults = {
        "event_id": None,
        "date": None,
        "end_date": None,
        "date_precision": "day",
        "time": None,
        "title": "t",
        "description": None,
        "category": "protest",
        "theatre": "azerbaijan",
        "place_id": None,
        "participants_min": None,
        "participants_max": None,
        "participants_qualifier": None,
        "variant_of": None,
        "source_id": "s1",
        "locator": "Body ¶1",
    }
    frame = pd.DataFrame([{**defaults, **r} for r in rows])
    for col in ("date", "end_date"):
        frame[col] = pd.to_datetime(frame[col])
    for col in ("participants_min", "participants_max"):
        frame[col] = frame[col].astype("Int64")
    for col in ("event_id", "time", "title", "description", "place_id", "variant_of", "source_id", "locator"):
        frame[col] = frame[col].astype("string")
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    return frame


# --------------------------------------------------------------------------- helpers


def test_lead_or_body() -> None:
    loc = pd.Series(["Lead ¶2", "Gobu protests ¶1", None, "Leader profiles ¶1"])
    assert P.lead_or_body(loc).tolist() == ["lead", "body", "body", "body"]


# --------------------------------------------------------------------------- events

EV = _events(
    [
        {"event_id": "a", "date": "2020-07-12", "source_id": "wp-protests-2020"},
        {
            "event_id": "a-other",
            "date": "2020-07-01",
            "date_precision": "month",
            "variant_of": "a",
            "source_id": "other",
        },
        {
            "event_id": "a-v2",
            "date": "2020-07-13",
            "variant_of": "a",
            "source_id": "wp-protests-2020",
            "locator": "Lead ¶2",
        },
        {"event_id": "a-same", "date": "2020-07-12", "variant_of": "a", "source_id": "wp-protests-2020"},
        {"event_id": "b", "date": "2020-07-14", "end_date": "2020-07-15", "source_id": "wp-protests-2020"},
        {"event_id": "c", "date": "2020-07-15", "time": "04:00", "source_id": "wp-protests-2020"},
        {"event_id": "d", "date": "2020-07-15", "time": "01:00", "source_id": "wp-protests-2020"},
        {"event_id": "e", "date": "2020-07-15", "category": "statement", "source_id": "wp-protests-2020"},
        {"event_id": "old", "date": "2019-05-01", "source_id": "wp-protests-2020"},
        {"event_id": "elsewhere", "date": "2020-07-14", "source_id": "other"},
    ]
)


def test_protest_events_takes_the_articles_window_and_other_tellings() -> None:
    ids = set(P.protest_events(EV)["event_id"])
    assert ids == {"a", "a-other", "a-v2", "a-same", "b", "c", "d", "e"}


def test_versions_first_then_variants_with_lead_or_body() -> None:
    v = P.versions(EV, "a-v2")
    assert v["event_id"].tolist()[0] == "a"
    assert set(v["event_id"]) == {"a", "a-other", "a-v2", "a-same"}
    assert v.set_index("event_id").at["a-other", "when"] == "July 2020"
    assert v.set_index("event_id").at["a-v2", "part"] == "lead"
    with pytest.raises(KeyError, match="nope"):
        P.versions(EV, "nope")


def test_when() -> None:
    assert P.when(EV, "b") == "14–15 July 2020"
    with pytest.raises(KeyError):
        P.when(EV, "nope")


def test_sequence_frame_windows_times_and_disputed_dates() -> None:
    seq = P.sequence_frame(P.protest_events(EV), start="2020-07-12", end="2020-07-16").set_index("event_id")
    # the same-day variant adds nothing; the differently dated one is a second bar; month precision is left off
    assert set(seq.index) == {"a", "a-v2", "b", "c", "d", "e"}
    assert seq.at["b", "window_end"] == pd.Timestamp("2020-07-16")  # 24:00 on the end date
    assert seq.at["a", "window_end"] == pd.Timestamp("2020-07-13")
    assert seq.at["d", "at"] == pd.Timestamp("2020-07-15 01:00")
    assert pd.isna(seq.at["e", "at"])
    assert seq.at["a-v2", "version"] == "variant"
    assert seq.index.tolist().index("d") < seq.index.tolist().index("c") < seq.index.tolist().index("e")
    assert P.sequence_days(seq) == "12–15 July 2020"


def test_sequence_chart_marks_only_stated_times() -> None:
    seq = P.sequence_frame(P.protest_events(EV))
    fig = P.sequence_chart(seq, "A finding", "Source: x")
    diamonds = [t for t in fig.data if t.type == "scatter"]
    assert len(diamonds) == 1 and list(diamonds[0].text) == ["01:00", "04:00"]
    assert sum(len(t.y) for t in fig.data if t.type == "bar") == len(seq)
    assert fig.layout.title.text == "A finding"
    assert fig.layout.meta["source"] == "Source: x"


def test_night_sequence_puts_timed_events_first_in_time_order() -> None:
    night = P.night_sequence(EV, night="2020-07-14")
    assert night["event_id"].tolist() == ["d", "c", "b"]  # 'e' is a statement, not part of the protest night
    assert night["timing"].tolist() == ["01:00 on 15 July", "04:00 on 15 July", "night of 14–15 July, no time given"]


# --------------------------------------------------------------------------- crowds


def test_crowd_words_prefers_the_longest_phrase() -> None:
    words = P.crowd_words(pd.Series(["Tens of thousands rally", "hundreds gather", "a crowd", None]))
    assert words.tolist()[:2] == ["tens of thousands", "hundreds"]
    assert words.iloc[2:].isna().all()


def test_crowd_sizes_figures_and_words() -> None:
    ev = _events(
        [
            {
                "event_id": "g",
                "date": "2020-07-12",
                "participants_min": 700,
                "participants_max": 800,
                "participants_qualifier": "range",
            },
            {
                "event_id": "w",
                "date": "2020-07-01",
                "date_precision": "month",
                "description": "thousands rally",
                "variant_of": "g",
            },
            {"event_id": "det", "date": "2020-07-12", "category": "detention", "description": "police detain dozens"},
            {"event_id": "one", "date": "2020-07-14", "participants_min": 3000, "participants_qualifier": "exact"},
        ]
    )
    crowd = P.crowd_sizes(ev).set_index("event_id")
    assert set(crowd.index) == {"g", "w", "one"}  # 'dozens' detained is not a crowd size
    assert crowd.at["g", "reported"] == "700–800"
    assert crowd.at["one", "high"] == 3000  # a single figure is its own high end
    assert crowd.at["w", "reported"] == "thousands (no figure)" and pd.isna(crowd.at["w", "low"])
    fig = P.crowd_chart(crowd.reset_index(), "t", "Source: x")
    bars = [t for t in fig.data if t.x is not None and None not in t.x]
    assert [list(t.x) for t in bars] == [[700, 800], [3000, 3000]]
    assert any("no figure given: thousands" in a.text for a in fig.layout.annotations)


# --------------------------------------------------------------------------- damage, casualties, arrests

ACTORS = pd.DataFrame(
    {
        "actor_id": ["pres", "state", "min", "mp", "parl", "party", "crowd", "ngo", "us", "activist", "kid"],
        "name": [
            "President X",
            "Country",
            "Ministry",
            "MP Y",
            "Parliament",
            "Party",
            "Crowd",
            "Amnesty",
            "US",
            "Activist Z",
            "Minor, 15, Town",
        ],
        "kind": [
            "person",
            "state",
            "government-body",
            "person",
            "government-body",
            "party",
            "organisation",
            "organisation",
            "government-body",
            "person",
            "person",
        ],
        "country": ["AZ", "AZ", "AZ", "AZ", "AZ", "AZ", "AZ", None, "US", "AZ", "AZ"],
        "is_minor": [False] * 10 + [True],
        "age": [None] * 10 + [15],
    }
)
RELATIONS = pd.DataFrame(
    {
        "relation_id": [f"r{i}" for i in range(1, 8)],
        "source_actor_id": ["pres", "mp", "pres", "party", "crowd", "us", "activist"],
        "target_actor_id": ["state", "parl", "party", "pres", "pres", "state", "pres"],
        "relation": ["leader-of", "member-of", "blamed", "condemned", "called-on", "called-on", "supported"],
        "date": pd.to_datetime([None, None, "2020-07-15", None, None, "2020-07-20", None]),
        "event_id": [None, None, "e", "e", None, None, None],
        "note": [
            "",
            "",
            "blamed the party",
            "called it a disgrace",
            "asked him to come",
            "urged restraint",
            "backed him",
        ],
        "source_id": ["wp-protests-2020"] * 6 + ["other"],
        "locator": [
            "Lead ¶1",
            "Aftermath ¶1",
            "Aftermath / Government response ¶1",
            "Aftermath ¶1",
            "Background ¶1",
            "International reactions ¶1",
            "Aftermath ¶1",
        ],
    }
)


def test_speaker_groups() -> None:
    groups = P.speaker_groups(ACTORS, RELATIONS, protesters=("crowd",))
    assert groups["pres"] == groups["mp"] == groups["min"] == "President, government and parliament"
    assert groups["party"] == "Opposition parties"
    assert groups["crowd"] == "Protesters"
    assert groups["ngo"] == groups["us"] == "International"  # stateless counts as international
    assert groups["activist"] == "Other Azerbaijani voices"


def test_statements_keep_event_ties_and_sections_only() -> None:
    ev = _events([{"event_id": "e", "date": "2020-07-15"}])
    said = P.statements(RELATIONS, ACTORS, ev, ["e"])
    # r5 is in neither the events nor the sections; r7 is another source's; office ties are not statements
    assert said["relation_id"].tolist() == ["r3", "r4", "r6"]
    assert said.set_index("relation_id").at["r4", "date"] == pd.Timestamp("2020-07-15")  # from its event
    counts = P.statements_per_group(said)
    assert counts.index.tolist() == list(P.SPEAKER_GROUPS) and counts.sum() == 3 and counts["Protesters"] == 0


def test_damage_table_value_and_reporter() -> None:
    damage = pd.DataFrame(
        {
            "damage_id": ["i1", "i2", "i3"],
            "reported_by": ["parl", None, "min"],
            "item": ["inside", "cars", "elsewhere"],
            "status": ["damaged", "destroyed", "damaged"],
            "count": pd.array([None, 2, 5], dtype="Int64"),
            "qualifier": [None, "exact", "exact"],
            "value_amount": pd.array([22150.0, None, None], dtype="Float64"),
            "value_currency": ["AZN", None, None],
            "event_id": ["e", "e", "x"],
            "note": ["", "", ""],
            "source_id": ["s"] * 3,
            "locator": ["¶1"] * 3,
        }
    )
    table = P.damage_table(damage, ACTORS, ["e"]).set_index("damage_id")
    assert set(table.index) == {"i1", "i2"}
    assert table.at["i1", "value"] == "22,150 AZN" and table.at["i1", "reported_by"] == "Parliament"
    assert table.at["i2", "reported_by"] == "not named" and table.at["i2", "count"] == "2"


def _detentions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "detention_id": ["t", "a", "h", "p", "lead", "lp", "named"],
            "actor_id": [None] * 6 + ["kid"],
            "count": pd.array([37, 36, 1, 16, 36, 16, 1], dtype="Int64"),
            "count_max": pd.array([None] * 7, dtype="Int64"),
            "qualifier": ["exact"] * 7,
            "part_of": [None, "t", "t", "t", None, "lead", None],
            "event_id": ["ev"] * 7,
            "country": ["AZ"] * 7,
            "note": [""] * 7,
            "source_id": ["wp-protests-2020"] * 7,
            "locator": ["Aftermath ¶2"] * 4 + ["Lead ¶4", "Lead ¶4", "Aftermath ¶2"],
        }
    )


def test_arrest_figures_nest_subsets_and_never_add_them() -> None:
    arrests = P.arrest_figures(_detentions())
    assert arrests["detention_id"].tolist() == ["lead", "lp", "t", "a", "h", "p"]  # lead first; named people left out
    shares = arrests.set_index("detention_id")["share"]
    assert shares["lp"] == pytest.approx(16 / 36) and shares["p"] == pytest.approx(16 / 37)
    assert pd.isna(shares["t"])


def test_parts_filling_total() -> None:
    det = _detentions()
    assert P.parts_filling_total(det, "t") == ["a", "h"]  # 36 + 1 = 37; the 16 overlap and are not a part
    assert P.parts_filling_total(det, "lead") == []
    assert P.parts_filling_total(det, "h") == []
    with pytest.raises(KeyError):
        P.parts_filling_total(det, "nope")


# --------------------------------------------------------------------------- the real data


def test_real_chapter_events_and_sequence(real) -> None:
    events = P.protest_events(real["events"])
    seq = P.sequence_frame(events, real["places"])
    timed = seq[seq["at"].notna()]
    assert timed["time"].tolist() == ["01:00", "04:00"]  # the article's only clock times
    assert (timed["at"].dt.date == pd.Timestamp("2020-07-15").date()).all()
    gobu = seq[seq["event_id"].str.contains("gobu-dispersal")]
    assert sorted(gobu["window_start"].dt.day) == [12, 13]  # the lead/body date dispute is drawn, not resolved


def test_real_sequence_legend_shows_the_colour_of_its_bars(real) -> None:
    """plotly draws a bar's legend swatch in the marker colour without the marker's opacity: bars drawn at 0.55
    looked paler than their legend. Bars are solid, in the category's ink tone, never a side's colour."""
    seq = P.sequence_frame(P.protest_events(real["events"]), real["places"])
    fig = P.sequence_chart(seq, "A finding", "Source: x")
    bars = [t for t in fig.data if t.type == "bar"]
    names = {P.plotly_text(P.CATEGORY_NAMES.get(c, c)): c for c in charts.EVENT_CATEGORY_COLOURS}
    assert len(bars) == seq["category"].nunique() >= 5
    for bar in bars:
        assert bar.marker.opacity in (None, 1) and bar.opacity in (None, 1)
        assert bar.marker.color == charts.EVENT_CATEGORY_COLOURS[names[bar.name]]
        assert bar.marker.color not in charts.SIDE_COLOURS.values()


def test_real_crowds_are_ranges(real) -> None:
    crowd = P.crowd_sizes(P.protest_events(real["events"]), real["places"], real["sources"])
    figures = crowd[crowd["low"].notna()]
    assert set(figures["reported"]) == {"700–800", "30,000–50,000"}
    assert (figures["low"] < figures["high"]).all()
    assert "tens of thousands (no figure)" in set(crowd["reported"])
    assert crowd["perspective"].notna().all()


def test_real_arrests_match_the_article(real) -> None:
    by_id = P.arrest_figures(real["detentions"]).set_index("detention_id")
    assert by_id.loc[["h000-d002", "h000-d005"], "count"].tolist() == [36, 37]
    parts = P.parts_filling_total(real["detentions"], "h000-d005")
    assert by_id.loc[parts, "count"].sum() == 37 and 16 not in by_id.loc[parts, "count"].tolist()
    pfpa = by_id[(by_id["count"] == 16)]
    assert set(pfpa["subset_of"]) == {"h000-d002", "h000-d005"}  # 16 of the 36 (lead) and of the 37 (body)


def test_real_discrepancies_for_the_chapter(real) -> None:
    events = P.protest_events(real["events"])
    arrests = P.arrest_figures(real["detentions"])
    warn = P.discrepancies_touching(real, {"events.csv": events.index, "detentions.csv": arrests.index})
    assert set(warn["check"]) == {"event-date", "detainee-count"}
    assert set(warn.loc[warn["check"] == "event-date", "version"]) == {"2020-07-12", "2020-07-13"}
    assert set(warn.loc[warn["check"] == "detainee-count", "version"]) == {"36", "37"}
    assert P.discrepancies_touching(real, {"events.csv": []}).empty


def test_real_damage_and_injuries(real) -> None:
    events = P.protest_events(real["events"])
    damage = P.damage_table(real["damage"], real["actors"], events["event_id"]).set_index("damage_id")
    assert damage.at["h000-i001", "value"] == "22,150 AZN"
    assert damage.loc[["h000-i003", "h000-i004"], "count"].tolist() == ["2", "14"]
    police = P.casualty_figures(real["casualties"], real["actors"], group="police")
    assert police["figure"].tolist() == ["7"]  # the lead repeats the body's figure: one row
    toll = P.casualty_figures(real["casualties"], real["actors"], period="12-16 Jul 2020").set_index("group")
    assert toll.at["military", "figure"] == "at least 17"


def test_real_statements_cover_every_group(real) -> None:
    events = P.protest_events(real["events"])
    said = P.statements(real["relations"], real["actors"], real["events"], events["event_id"])
    per_group = P.statements_per_group(said)
    assert (per_group > 0).all()
    aliyev = said[said["speaker"] == "Ilham Aliyev"]
    assert set(aliyev["about"]) == {"Azerbaijan Popular Front Party", "National Council of Democratic Forces"}
    assert set(said["source_id"]) == {"wp-protests-2020"}


def test_arrest_and_damage_words_select_figures_by_what_they_count() -> None:
    det = _detentions().assign(event_id=["ev"] * 4 + ["ev", "ev", "ev"])
    det = pd.concat(
        [
            det,
            det.iloc[[0]].assign(
                detention_id="out",
                count=pd.array([120], dtype="Int64"),
                qualifier="up-to",
                part_of=None,
                event_id=None,
                locator="Lead ¶4",
            ),
        ],
        ignore_index=True,
    )
    words = P.arrest_words(P.arrest_figures(det), det)
    assert words == {
        "lead-arrested": "36",
        "lead-pfpa": "16",
        "lead-pfpa-share": "44%",
        "body-prosecuted": "37",
        "body-arrested": "36",
        "body-house": "1",
        "body-pfpa": "16",
        "body-pfpa-share": "43%",
        "body-parts": "36 + 1 = 37",
        "detained-other": "up to 120",
    }
    damage = pd.DataFrame(
        {
            "status": ["damaged", "destroyed", "damaged", "damaged"],
            "count": ["", "2", "14", ""],
            "value": ["22,150 AZN", "", "", ""],
        }
    )
    assert P.damage_words(damage) == {"damage-value": "22,150 AZN", "cars-destroyed": "2", "cars-damaged": "14"}


def test_real_arrest_words_are_the_articles_figures(real) -> None:
    words = P.arrest_words(P.arrest_figures(real["detentions"]), real["detentions"])
    assert (words["lead-arrested"], words["body-prosecuted"], words["body-house"]) == ("36", "37", "1")
    assert words["body-parts"] == "36 + 1 = 37" and words["detained-other"] == "up to 120"


def test_real_night_and_crowd_figures(real) -> None:
    events = P.protest_events(real["events"])
    assert P.night_figures(P.night_sequence(events, real["places"])) == {
        "night-count": 8,
        "night-timed": 2,
        "time-first": "01:00",
        "time-second": "04:00",
    }
    crowd = P.crowd_sizes(events, real["places"], real["sources"])
    assert P.crowd_at(crowd, events, "gobu") == "700–800" and P.crowd_at(crowd, events, "baku") == "30,000–50,000"
    with pytest.raises(KeyError, match="atlantis"):
        P.crowd_at(crowd, events, "atlantis")
