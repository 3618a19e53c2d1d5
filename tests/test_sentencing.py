"""Sentencing analysis: normalisations (with properties), per-person table, summaries, intervals, totals.

Known answers come from hand-made frames, the mini fixture and the real data. The real-data figures
can be checked in the advocacy report (hasanbayli-south-az): the eleven Ardabil sentences of
9 October 2021 (7 months 16 days and 74 lashes each, against a cited headline of 888 lashes), and the
five Tabriz sentences of January 2021 (one year and 60 lashes each).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import pytest
from conftest import sentences_frame

from analysis import sentencing as sg

ARDABIL_11 = "2021-10-09-ardabil-eleven-activists-sentenced"
TABRIZ_5 = "2021-01-01-tabriz-rally-participants-sentenced"


@pytest.fixture(scope="module")
def real_table(real: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return sg.sentence_table(real["sentences"], real["actors"], detentions=real["detentions"], places=real["places"])


# --------------------------------------------------------------------------- hand-made frames


def actors_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    base = {"actor_id": None, "name": None, "kind": "person", "country": "IR", "is_minor": False, "age": pd.NA}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["is_minor"] = frame["is_minor"].astype("boolean")
    frame["age"] = frame["age"].astype("Int64")
    return frame


def detentions_frame(rows: Sequence[Mapping[str, object]]) -> pd.DataFrame:
    base = {
        "detention_id": None,
        "actor_id": None,
        "date": pd.NA,
        "date_precision": pd.NA,
        "place_id": pd.NA,
        "outcome": "unknown",
    }
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def places_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    base = {"place_id": None, "name": None, "country": "IR", "kind": "city", "aliases": pd.NA}
    return pd.DataFrame([{**base, **r} for r in rows])


# --------------------------------------------------------------------------- prison terms


# --------------------------------------------------------------------------- money


# --------------------------------------------------------------------------- per-person table (mini fixture)


def test_sentence_table_on_the_mini_fixture(tiny: dict[str, pd.DataFrame]) -> None:
    table = sg.sentence_table(
        tiny["sentences"], tiny["actors"], detentions=tiny["detentions"], places=tiny["places"]
    ).set_index("sentence_id")
    assert table.loc["s1", "person"] == "Ali Example"
    assert table.loc["s1", "court"] == "Tabriz Revolutionary Court"
    assert table.loc["s1", "prison_days"] == 18 * 30.4375 and table.loc["s1", "prison_years"] == 1.5
    assert table.loc["s1", "lashes"] == 74 and table.loc["s1", "year"] == 2020
    assert table.loc["s1", "legal_article"] == "Islamic Penal Code art. 618"
    # the upheld appeal is its own row, carrying the terms of the sentence it confirms
    assert table.loc["s2", "outcome"] == "upheld" and table.loc["s2", "terms_from"] == "s1"
    assert table.loc["s2", "lashes"] == 74 and pd.isna(table.loc["s2", "court"])
    assert table.loc["s3", "outcome"] == "acquitted" and pd.isna(table.loc["s3", "prison_days"])
    assert (table["court_city"].dropna() == "Tabriz").all() and (table["city"] == "Tabriz").all()
    assert {"source_id", "locator", "fine_rials", "charges"} <= set(table.columns)


def test_summaries_do_not_count_upheld_appeals_twice(tiny: dict[str, pd.DataFrame]) -> None:
    table = sg.sentence_table(tiny["sentences"], tiny["actors"])
    out = sg.summarise(table, "court")
    court = out.set_index("court").loc["Tabriz Revolutionary Court"]
    assert (court["people"], court["sentenced"], court["acquitted"]) == (2, 1, 1)
    assert court["prison_years_total"] == 1.5 and court["prison_years_median"] == 1.5
    assert court["lashes_total"] == 74  # not 148: the upheld row is left out
    assert out["court"].isna().sum() == 0  # the upheld row (no court) does not make a group
    assert sg.summarise(table, "year")["year"].tolist() == [2020]


def test_summarise_groupings_and_errors(tiny: dict[str, pd.DataFrame]) -> None:
    plain = sg.sentence_table(tiny["sentences"], tiny["actors"])
    with pytest.raises(KeyError, match="places="):
        sg.summarise(plain, "city")
    with pytest.raises(KeyError, match="nothing"):
        sg.summarise(plain, "nothing")
    with_city = sg.sentence_table(
        tiny["sentences"], tiny["actors"], detentions=tiny["detentions"], places=tiny["places"]
    )
    by_place = sg.summarise(with_city, "place")  # 'place' is read as 'city'
    assert by_place["city"].tolist() == ["Tabriz"] and by_place["people"].tolist() == [2]
    two = sg.summarise(with_city.drop(columns="year"), ["city", "year"])
    assert two[["city", "year"]].values.tolist() == [["Tabriz", 2020]]
    by_outcome = sg.summarise(with_city, "outcome")
    assert by_outcome["outcome"].tolist() == ["acquitted", "sentenced"]  # no empty 'upheld' group
    only_courts = sg.sentence_table(tiny["sentences"], tiny["actors"], places=tiny["places"])
    assert only_courts["detention_city"].isna().all() and only_courts.loc[1, "city"] == "Tabriz"


def test_fines_in_other_currencies_are_counted_not_converted() -> None:
    actors = actors_frame(
        [
            {"actor_id": "a", "name": "A Person"},
            {"actor_id": "b", "name": "B Person"},
            {"actor_id": "c", "name": "C Court", "kind": "court"},
        ]
    )
    sentences = sentences_frame(
        [
            {
                "sentence_id": "x1",
                "actor_id": "a",
                "court_actor_id": "c",
                "fine_amount": 100,
                "fine_currency": "toman",
                "prison_months": 6,
                "date": "2021-05-01",
                "date_precision": "month",
            },
            {
                "sentence_id": "x2",
                "actor_id": "b",
                "court_actor_id": "c",
                "fine_amount": 100,
                "fine_currency": "USD",
                "prison_months": 18,
                "date": "2021-05-01",
                "date_precision": "month",
            },
        ]
    )
    out = sg.summarise(sg.sentence_table(sentences, actors, courts=actors[actors["kind"] == "court"]), "court")
    row = out.iloc[0]
    assert row["court"] == "C Court" and row["fine_rials_total"] == 1000 and row["fines_not_in_rials"] == 1
    assert row["prison_years_total"] == 2.0 and row["prison_years_median"] == 1.0
    assert row["lashes_total"] == 0


def test_an_appeal_of_an_unrecorded_sentence_keeps_its_own_empty_terms() -> None:
    actors = actors_frame([{"actor_id": "a", "name": "A Person"}])
    sentences = sentences_frame([{"sentence_id": "u1", "actor_id": "a", "outcome": "upheld", "appeal_of": "gone"}])
    row = sg.sentence_table(sentences, actors).iloc[0]
    assert row["terms_from"] == "u1" and pd.isna(row["prison_days"]) and pd.isna(row["lashes"])


# --------------------------------------------------------------------------- children


def test_a_minor_is_only_ever_shown_by_label() -> None:
    fake = "Sam Placeholder"  # a made-up name standing for a name that should never have been recorded
    actors = actors_frame(
        [
            {"actor_id": "minor-a", "name": fake, "is_minor": True, "age": 16},
            {"actor_id": "minor-b", "name": "Minor, age not stated, Somewhere", "is_minor": True},
            {"actor_id": "minor-c", "name": fake + " Two", "is_minor": True},
            {"actor_id": "adult", "name": "Adult Person", "age": 40},
        ]
    )
    labels = sg.person_labels(actors)
    assert labels.tolist() == ["Minor", "Minor, Somewhere", "Minor", "Adult Person"]  # never an age, never a name
    sentences = sentences_frame(
        [
            {
                "sentence_id": "m1",
                "actor_id": "minor-a",
                "prison_months": 3,
                "date": "2021-01-01",
                "date_precision": "day",
            },
            {"sentence_id": "m2", "actor_id": "minor-c", "outcome": "acquitted"},
            {"sentence_id": "m3", "actor_id": "adult", "prison_months": 3},
        ]
    )
    detentions = detentions_frame(
        [
            {
                "detention_id": "d1",
                "actor_id": "minor-a",
                "date": "2020-12-01",
                "date_precision": "day",
                "place_id": "p",
            },
            {"detention_id": "d2", "actor_id": "minor-c", "place_id": "p"},
        ]
    )
    places = places_frame([{"place_id": "p", "name": "Sometown"}])
    table = sg.sentence_table(sentences, actors, detentions=detentions, places=places)
    assert table["person"].tolist() == ["Minor", "Minor", "Adult Person"]
    assert table["is_minor"].tolist() == [True, True, False]
    outputs = [
        table,
        sg.summarise(table, "city"),
        sg.days_to_sentence(sentences, detentions),
        sg.minors_summary(actors, detentions, places),
        sg.sentence_cities(sentences, detentions, places),
    ]
    for frame in outputs:
        text = frame.astype(str).to_csv()
        assert fake not in text


def test_real_minors_carry_labels_and_summaries_give_counts_only(
    real: dict[str, pd.DataFrame], real_table: pd.DataFrame
) -> None:
    actors = real["actors"]
    minors = actors[actors["is_minor"].fillna(False).astype(bool)]
    labels = sg.person_labels(actors)
    assert len(minors) == 5 and labels[minors["actor_id"].astype(str)].str.startswith("Minor").all()
    assert real_table.loc[real_table["is_minor"], "person"].str.startswith("Minor").all()
    summary = sg.minors_summary(actors, real["detentions"], real["places"])
    assert list(summary.columns) == ["place", "age_band", "minors"]
    assert summary["minors"].sum() == 5
    counts = {(p, str(b)): int(n) for p, b, n in summary.itertuples(index=False)}
    assert counts == {("Tabriz", "under 14"): 1, ("Tabriz", "age not stated"): 1, ("Takab (Tikantape)", "14-17"): 3}
    text = summary.astype(str).to_csv()
    assert not any(key in text for key in minors["actor_id"].astype(str))


def test_minors_summary_bands_and_missing_places(tiny: dict[str, pd.DataFrame]) -> None:
    summary = sg.minors_summary(tiny["actors"], tiny["detentions"])
    assert summary.values.tolist() == [["tabriz", "14-17", 1]]  # place keys when no places table is given
    actors = actors_frame(
        [
            {"actor_id": f"m{i}", "name": f"Minor {i}", "is_minor": True, "age": age}
            for i, age in enumerate([5, 12, 14, 17, pd.NA])
        ]
    )
    detentions = detentions_frame(
        [{"detention_id": f"d{i}", "actor_id": f"m{i}"} for i in range(5)] + [{"detention_id": "d9", "actor_id": "m1"}]
    )  # detained twice, counted once
    out = sg.minors_summary(actors, detentions)
    assert out["place"].unique().tolist() == ["place not stated"]
    assert dict(zip(out["age_band"].astype(str), out["minors"])) == {"under 14": 2, "14-17": 2, "age not stated": 1}


# --------------------------------------------------------------------------- cities


def test_place_cities_resolve_sites_by_the_settlement_they_name() -> None:
    places = places_frame(
        [
            {"place_id": "tabriz", "name": "Tabriz", "aliases": "Tebriz"},
            {"place_id": "takab", "name": "Takab (Tikantape)", "aliases": "Tikantape"},
            {"place_id": "baku", "name": "Baku", "country": "AZ"},
            {"place_id": "consulate", "name": "Consulate of Azerbaijan in Tabriz", "kind": "site"},
            {"place_id": "park", "name": "Some park", "kind": "site", "aliases": "Tikantape park"},
            {"place_id": "prison", "name": "Evin-like prison", "kind": "site"},
            {
                "place_id": "mosque-baku",
                "name": "Mosque of Baku",
                "kind": "site",
            },  # a Baku in Iran is not the Baku in AZ
            {"place_id": "province", "name": "Tabriz Province", "kind": "region"},
            {"place_id": "tabrizi", "name": "Tabrizi market", "kind": "site"},  # no word-bounded match
        ]
    )
    cities = sg.place_cities(places)
    assert cities["tabriz"] == "Tabriz" and cities["takab"] == "Takab (Tikantape)"
    assert cities["consulate"] == "Tabriz" and cities["park"] == "Takab (Tikantape)"
    for unknown in ("prison", "mosque-baku", "province", "tabrizi"):
        assert pd.isna(cities[unknown])


def test_sentence_cities_prefer_the_detention_that_led_to_the_outcome() -> None:
    places = places_frame(
        [
            {"place_id": "a", "name": "Alphatown"},
            {"place_id": "b", "name": "Betaville"},
            {"place_id": "r", "name": "A region", "kind": "region"},
        ]
    )
    sentences = sentences_frame(
        [
            {"sentence_id": "s1", "actor_id": "p1"},
            {"sentence_id": "s2", "actor_id": "p2", "outcome": "upheld"},
            {"sentence_id": "s3", "actor_id": "p3"},
            {"sentence_id": "s4", "actor_id": "p4"},
        ]
    )
    detentions = detentions_frame(
        [
            {"detention_id": "d1", "actor_id": "p1", "place_id": "a", "date": "2020-01-01", "outcome": "released"},
            {"detention_id": "d2", "actor_id": "p1", "place_id": "b", "date": "2020-06-01", "outcome": "sentenced"},
            {"detention_id": "d3", "actor_id": "p2", "place_id": "b", "outcome": "sentenced"},
            {"detention_id": "d4", "actor_id": "p3", "place_id": "r", "outcome": "sentenced"},
            {"detention_id": "d5", "actor_id": "p3", "place_id": "a", "outcome": "held"},
            {"detention_id": "d6", "actor_id": pd.NA, "place_id": "a"},
        ]
    )
    out = sg.sentence_cities(sentences, detentions, places).set_index("sentence_id")
    assert out.loc["s1", ["detention_id", "city"]].tolist() == ["d2", "Betaville"]
    assert out.loc["s2", "city"] == "Betaville"  # an upheld appeal follows the detention that led to the sentence
    assert out.loc["s3", ["detention_id", "place_id", "city"]].tolist() == ["d5", "a", "Alphatown"]
    assert out.loc["s4"].isna().all()


def test_real_cities(real_table: pd.DataFrame) -> None:
    t = real_table.set_index("sentence_id")
    assert t.loc["h001b-s001", "court_city"] == "Tabriz" and t.loc["h001b-s001", "detention_city"] == "Jolfa"
    assert t.loc["h001b-s001", "city"] == "Jolfa"  # the detention's city comes first
    assert t.loc["h001a-s012", "city"] == "Ardabil" and pd.isna(t.loc["h001a-s012", "detention_city"])
    assert t.loc["h001a-s002", "detention_city"] == "Tabriz"  # a site (the consulate) placed in its city
    by_city = sg.summarise(real_table, "city").set_index("city")
    assert by_city.loc["Tabriz", "lashes_total"] == 300 and by_city.loc["Urmia", "acquitted"] == 1


# --------------------------------------------------------------------------- intervals


def test_days_to_sentence_on_the_mini_fixture(tiny: dict[str, pd.DataFrame]) -> None:
    out = sg.days_to_sentence(tiny["sentences"], tiny["detentions"]).set_index("sentence_id")
    assert out.loc["s1", ["detention_id", "days", "approximate"]].tolist() == ["d2", 31, True]
    assert out.loc["s1", "detention_precision"] == "day" and out.loc["s1", "sentence_precision"] == "month"
    assert out.loc["s2", ["detention_id", "days"]].tolist() == ["d2", 123]  # to the appeal ruling of Feb 2021
    assert out.loc["s3", "days"] == 31


def test_days_to_sentence_needs_day_or_month_precision_and_order() -> None:
    sentences = sentences_frame(
        [
            {"sentence_id": "s1", "actor_id": "p1", "date": "2021-03-10", "date_precision": "day"},
            {"sentence_id": "s2", "actor_id": "p2", "date": "2021-03-10", "date_precision": "day"},
            {"sentence_id": "s3", "actor_id": "p3", "date": "2021-01-01", "date_precision": "year"},
            {"sentence_id": "s4", "actor_id": "p4", "date": "2021-03-10", "date_precision": "day"},
        ]
    )
    detentions = detentions_frame(
        [
            {"detention_id": "d1", "actor_id": "p1", "date": "2021-03-01", "date_precision": "day"},
            {"detention_id": "d2", "actor_id": "p2", "date": "2020-01-01", "date_precision": "year"},
            {"detention_id": "d3", "actor_id": "p3", "date": "2020-05-01", "date_precision": "month"},
            {"detention_id": "d4", "actor_id": "p4", "date": "2021-04-01", "date_precision": "day"},  # after the ruling
        ]
    )
    out = sg.days_to_sentence(sentences, detentions).set_index("sentence_id")
    assert out.loc["s1", "days"] == 9 and not out.loc["s1", "approximate"]
    assert out.loc["s2"][["detention_id", "days"]].isna().all()
    assert out.loc["s3", "detention_id"] == "d3" and pd.isna(out.loc["s3", "days"])
    assert pd.isna(out.loc["s4", "detention_id"])


def test_real_days_to_sentence(real: dict[str, pd.DataFrame]) -> None:
    out = sg.days_to_sentence(real["sentences"], real["detentions"]).set_index("sentence_id")
    # Sajjad Jolani: detained at Ciral Park on 29 Sep 2020, sentenced 9 Oct 2021 (both to the day)
    assert out.loc["h001a-s022", ["days", "approximate"]].tolist() == [375, False]
    # the Tabriz five: detained 16 Jul 2020, sentenced January 2021 (month precision: approximate)
    tabriz = out[out["sentence_date"].eq(pd.Timestamp("2021-01-01"))]
    assert len(tabriz) == 5 and tabriz["days"].eq(169).all() and tabriz["approximate"].all()
    assert pd.isna(out.loc["h001b-s003", "days"])  # no ruling date for Mohammad Eyni


# --------------------------------------------------------------------------- real known answers and totals


def test_ardabil_eleven(real_table: pd.DataFrame) -> None:
    eleven = real_table[real_table["event_id"] == ARDABIL_11]
    assert len(eleven) == 11 and eleven["person"].nunique() == 11
    assert eleven["prison_days"].eq(7 * 30.4375 + 16).all() and eleven["lashes"].eq(74).all()
    assert eleven["lashes"].sum() == 814
    assert eleven["legal_article"].eq("Islamic Penal Code art. 607").all()
    assert (eleven["court"] == "Ardabil city court").all()
    by_article = sg.summarise(real_table, "legal_article").set_index("legal_article")
    assert by_article.loc["Islamic Penal Code art. 607", "lashes_total"] == 814


def test_tabriz_five(real_table: pd.DataFrame) -> None:
    five = real_table[real_table["event_id"] == TABRIZ_5]
    assert len(five) == 5 and five["prison_years"].eq(1.0).all() and five["lashes"].eq(60).all()
    court = sg.summarise(real_table, "court").set_index("court").loc["Tabriz Second Criminal Court"]
    assert (court["people"], court["prison_years_total"], court["lashes_total"]) == (5, 5.0, 300)


def test_real_summaries_count_each_confirmed_sentence_once(real_table: pd.DataFrame) -> None:
    by_court = sg.summarise(real_table, "court")
    sentenced = real_table[real_table["outcome"] == "sentenced"]
    assert by_court["lashes_total"].sum() == sentenced["lashes"].sum() == 15 + 300 + 40 + 814
    ardabil_2nd = by_court.set_index("court").loc["Ardabil Second Criminal Court"]
    assert (ardabil_2nd["people"], ardabil_2nd["lashes_total"]) == (2, 40)
    assert by_court["sentenced"].sum() == 22 and by_court["acquitted"].sum() == 1
    assert by_court["fine_rials_total"].sum() == 800000  # Abbas Lisani's fine, in rials as stated
    by_year = sg.summarise(real_table, "year").set_index("year")
    assert by_year.loc[2021, "people"] == 18 and by_year.loc[2020, "acquitted"] == 1


@pytest.fixture(scope="module")
def outcomes(real: dict[str, pd.DataFrame]) -> pd.DataFrame:
    table = sg.sentence_table(real["sentences"], real["actors"], detentions=real["detentions"], places=real["places"])
    return sg.person_outcomes(table, real["sentences"])


def test_term_text() -> None:
    out = sg.term_text(
        pd.Series([7, 24, 1, pd.NA, 0, pd.NA], dtype="Int64"), pd.Series([16, pd.NA, 1, 10, 5, pd.NA], dtype="Int64")
    )
    assert out.iloc[:5].tolist() == ["7 months 16 days", "24 months", "1 month 1 day", "10 days", "5 days"]
    assert pd.isna(out.iloc[5])


def test_person_outcomes_real(outcomes: pd.DataFrame) -> None:
    assert len(outcomes) == 23  # 25 records less the 2 upheld appeals
    assert outcomes["outcome"].value_counts().to_dict() == {"sentenced": 22, "acquitted": 1}
    assert outcomes["upheld_on_appeal"].sum() == 2
    assert outcomes.iloc[0]["term"] == "31 months"  # longest first
    ardabil = outcomes[outcomes["court"] == "Ardabil city court"]
    assert len(ardabil) == 11 and (ardabil["term"] == "7 months 16 days").all()
    assert ardabil["prison_months"].iloc[0] == pytest.approx(7 + 16 / sg.DAYS_PER_MONTH)
    assert not outcomes["person"].str.contains("Minor").any()
    assert outcomes.loc[
        outcomes["prison_months"].isna() & (outcomes["outcome"] == "sentenced"), "fine_rials"
    ].tolist() == [800000.0]


def test_term_distribution_real(outcomes: pd.DataFrame) -> None:
    terms = sg.term_distribution(outcomes)
    assert terms["people"].sum() == 21
    top = terms.loc[terms["people"].idxmax()]
    assert (top["term"], top["people"], top["courts"]) == ("7 months 16 days", 11, "Ardabil city court")
    assert terms["prison_years"].is_monotonic_decreasing


def test_interval_bounds_widen_month_precision() -> None:
    days = pd.DataFrame(
        {
            "sentence_id": ["a", "b", "c"],
            "actor_id": ["p", "q", "r"],
            "outcome": ["sentenced"] * 3,
            "detention_date": pd.to_datetime(["2020-07-16", "2020-10-01", "2020-09-29"]),
            "detention_precision": ["day", "month", "day"],
            "sentence_date": pd.to_datetime(["2021-01-01", "2020-10-01", None]),
            "sentence_precision": ["month", "day", None],
            "days": pd.array([169, 0, pd.NA], dtype="Int64"),
            "approximate": pd.array([True, True, pd.NA], dtype="boolean"),
        }
    )
    out = sg.interval_bounds(days)
    assert out["sentence_id"].tolist() == ["a", "b"]  # no ruling date: no interval
    assert out["days_min"].tolist() == [169, 0] and out["days_max"].tolist() == [199, 0]


def test_interval_summary_real(real: dict[str, pd.DataFrame]) -> None:
    days = sg.days_to_sentence(real["sentences"], real["detentions"])
    wait = sg.interval_summary(days)
    assert (wait["outcomes"], wait["with_interval"], wait["exact"], wait["approximate"]) == (23, 15, 5, 10)
    assert wait["with_interval"] + wait["without_interval"] == wait["outcomes"]
    assert (wait["exact_min"], wait["exact_max"], wait["exact_median"]) == (375, 375, 375)
    assert (wait["shortest_min"], wait["longest_max"]) == (16, 453)


def test_detention_dates_per_person_real(real: dict[str, pd.DataFrame]) -> None:
    out = sg.detention_dates_per_person(real["sentences"], real["detentions"], real["actors"])
    assert set(out["person"]) == {"Farid Khorshidi"}  # a summons, then a re-arrest
    assert out["days_after_first"].min() == 0 and out["days_after_first"].max() > 0
    # The Amnesty account of the Ardabil raids is a second, undated record: no second date is inferred for it.
    raided = real["detentions"][real["detentions"]["circumstance"].astype(object) == "raid"]["actor_id"].dropna()
    records = real["detentions"][real["detentions"]["actor_id"].isin(set(raided))]
    assert (records.groupby("actor_id")["date"].nunique() <= 1).all()


def test_totals_long_real(real: dict[str, pd.DataFrame]) -> None:
    comparison = sg.stated_vs_recorded(real["sentence_totals"], real["sentences"])
    long = sg.totals_long(comparison, real["sentences"])
    ardabil = long[long["total_id"] == "st-fn47"].set_index("measure")
    assert (ardabil.at["people", "stated"], ardabil.at["people", "recorded"]) == (12, 11)
    assert (ardabil.at["lashes", "stated"], ardabil.at["lashes", "recorded"]) == (888, 814)
    assert ardabil.at["lashes", "stated_per_person"] == ardabil.at["lashes", "recorded_per_person"] == 74
    assert ardabil.at["prison months", "stated_per_person"] == 15
    assert ardabil.at["prison months", "recorded_exact"] == "77 months + 176 days"
    assert ardabil.at["people", "when"] == "9 Oct 2021"
    tabriz = long[long["total_id"] == "st-fn26"]
    assert (tabriz["difference"] == 0).all() and tabriz["when"].iloc[0] == "Jan 2021"
    acquittals = long[long["total_id"] == "st-fn27"]
    assert acquittals["measure"].tolist() == ["people"]  # no prison or lash totals are stated for acquittals
    assert (acquittals["stated"].iloc[0], acquittals["recorded"].iloc[0]) == (2, 1)


def test_bail_table_converts_tomans() -> None:
    det = pd.DataFrame(
        {
            "actor_id": ["a", "b"],
            "bail_amount": [50_000_000.0, 200_000_000.0],
            "bail_currency": ["toman", "rial"],
            "held_until": pd.to_datetime(["2020-07-21", "2004-07-22"]),
            "locator": ["¶1", "¶2"],
        }
    )
    actors = pd.DataFrame({"actor_id": ["a", "b"], "name": ["A", "B"], "is_minor": [False, False]})
    out = sg.bail_table(det, actors)
    assert out["rials"].tolist() == [500_000_000.0, 200_000_000.0]
    assert out["released"].tolist() == ["21 Jul 2020", "22 Jul 2004"]


def test_sentencing_figures(real: dict[str, pd.DataFrame], outcomes: pd.DataFrame) -> None:
    fig = sg.prison_terms_figure(outcomes, "T", "Source: x")
    assert sum(len(t.x) for t in fig.data) == outcomes["prison_months"].notna().sum()
    assert {t.name for t in fig.data} >= {"Ardabil city court", "not stated"}
    days = sg.days_to_sentence(real["sentences"], real["detentions"])
    bounds = sg.interval_bounds(days[days["outcome"].isin(sg.COUNTED_OUTCOMES)])
    fig = sg.days_figure(bounds, sg.person_labels(real["actors"]), "T<br>T", "Source: x")
    assert sum(len(t.x) for t in fig.data) == len(bounds)
    approximate = [t for t in fig.data if "range" in t.name][0]
    assert max(approximate.error_x.array) == 30  # a month-only ruling: the range spans the rest of its month


def test_totals_figures_find_the_totals_by_city_and_outcome(
    real: dict[str, pd.DataFrame], real_table: pd.DataFrame
) -> None:
    """References fn 47: 12 people over the Ardabil rally, of whom the report names 11; fn 26: five in Tabriz."""
    comparison = sg.stated_vs_recorded(real["sentence_totals"], real["sentences"])
    long = sg.totals_long(comparison, real["sentences"])
    terms = sg.term_distribution(sg.person_outcomes(real_table, real["sentences"]))
    figures = sg.totals_figures(comparison, long, terms, real_table)
    assert (figures["ardabil-stated-people"], figures["ardabil-recorded-people"]) == (12, 11)
    assert (figures["ardabil-stated-lashes"], figures["acquitted-stated"], figures["acquitted-recorded"]) == (888, 2, 1)
    assert figures["tabriz-when"] == "Jan 2021" and figures["n-totals"] == 3
