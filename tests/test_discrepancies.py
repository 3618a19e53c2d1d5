"""The discrepancy finders list every disagreement with both versions and their sources."""

from __future__ import annotations

from pathlib import Path

from conftest import set_cell

from analysis import validate
from analysis.discrepancies import discrepancy_register


def by_check(directory: Path) -> dict[str, list]:
    out: dict[str, list] = {}
    for d in validate(directory).discrepancies:
        out.setdefault(d.check, []).append(d)
    return out


def test_fixture_discrepancies(mini: Path) -> None:
    found = by_check(mini)
    assert sorted(found) == [
        "event-date",
        "named-vs-stated",
        "same-claim",
        "same-count",
        "sentence-total",
        "total-vs-parts",
    ]
    total = found["total-vs-parts"][0]
    assert "armenia, tanks: 152 stated, 150 in the parts" in total.subject  # azerbaijan's 10 = 10 is not listed
    assert [v.value for v in total.versions] == ["152 stated", "150 summed"]
    count = found["same-count"][0]
    assert [(v.value, v.locator) for v in count.versions] == [("2,906", "Casualties ¶1"), ("2,853", "Military ¶1")]
    claim = found["same-claim"][0]
    assert [v.value for v in claim.versions] == ["130", "about 140"]
    named = found["named-vs-stated"][0]
    assert "at least 5 reported, 3 named" in named.subject
    (total_of_sentences,) = found["sentence-total"]  # t2 (1 acquittal stated, 1 recorded) agrees
    assert "sentenced at 2020-11-01-trial: 2 people, 36 months, 148 lashes stated" in total_of_sentences.subject
    assert total_of_sentences.versions[1].value == "1 person, 18 months, 74 lashes recorded"
    dated = found["event-date"][0]
    assert [v.value for v in dated.versions] == ["2020-10-01", "2020-10-02"]


def test_agreeing_versions_are_not_discrepancies(mini: Path) -> None:
    set_cell(mini, "casualties.csv", 2, "count", "2906")
    set_cell(mini, "equipment_losses.csv", 3, "count", "150")
    set_cell(mini, "events.csv", 3, "date", "2020-10-01")
    found = by_check(mini)
    assert "same-count" not in found and "total-vs-parts" not in found and "event-date" not in found


def test_two_group_counts_for_one_event(mini: Path) -> None:
    set_cell(mini, "detentions.csv", 5, "event_id", "2020-10-01-tabriz-rally")
    found = by_check(mini)
    assert [v.value for v in found["detainee-count"][0].versions] == ["at least 5", "18"]


def test_register_has_one_row_per_version(mini: Path) -> None:
    register = discrepancy_register(validate(mini).discrepancies)
    assert len(register) == 12
    assert set(register.columns) >= {"check", "subject", "version", "source_id", "locator"}
    assert register["source_id"].isin(["doc-a", "doc-b"]).all()


def test_month_precision_dates_agree_with_days_in_their_month(mini: Path) -> None:
    set_cell(mini, "events.csv", 3, "date", "2020-10-01")
    set_cell(mini, "events.csv", 3, "date_precision", "month")
    assert "event-date" not in by_check(mini)
    set_cell(mini, "events.csv", 3, "date", "2020-09-01")
    assert "event-date" in by_check(mini)


def test_subset_counts_are_not_rival_figures(mini: Path) -> None:
    set_cell(mini, "detentions.csv", 5, "event_id", "2020-10-01-tabriz-rally")
    set_cell(mini, "detentions.csv", 5, "part_of", "d1")
    assert "detainee-count" not in by_check(mini)


def test_real_data_discrepancies_include_known_cases() -> None:
    """Cases a reader can check in the source documents."""
    subjects = [d.subject for d in validate().discrepancies]
    expected = [
        "oryx's stated total for armenia, trucks-and-vehicles: 737 stated, 736 in the parts",
        "oryx's stated total for azerbaijan, tanks: 62 stated, 63 in the parts",
        "oryx's stated total for azerbaijan, armoured-fighting-vehicles: 23 stated, 25 in the parts",
        "12 people, 180 months, 888 lashes stated, 11 people, 77 months + 176 days, 814 lashes",
        "2020-07-16-tehran-armenian-embassy-rally: 18 reported, 4 named",
        "2020-11-09-trilateral-ceasefire-statement is dated differently",
    ]
    for words in expected:
        assert any(words in s for s in subjects), words
    wars = [d for d in validate().discrepancies if d.check == "same-count" and "measure=killed" in d.subject]
    assert any({v.value for v in d.versions} == {"2,906", "2,853"} for d in wars)


def test_grand_total_is_compared_with_category_totals(mini: Path) -> None:
    path = mini / "equipment_losses.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "l6,oryx,armenia,all,stated-total,160,,,doc-a,Losses ¶2\n", encoding="utf-8"
    )
    grand = [d for d in by_check(mini)["total-vs-parts"] if ", all:" in d.subject]
    assert len(grand) == 1 and "160 stated, 152 in the category totals (difference +8)" in grand[0].subject
    set_cell(mini, "equipment_losses.csv", 6, "count", "152")
    assert not [d for d in by_check(mini)["total-vs-parts"] if ", all:" in d.subject]


def test_titles_are_compared_without_case_punctuation_and_small_words() -> None:
    from analysis.discrepancies import normalised_titles

    keys = normalised_titles(
        [
            "The Rally in Tabriz!",
            "rally  in TABRIZ",
            "Rally, Tabriz (second dating)",
            "Aliyev’s “statement”",
            "Aliyev's statement",
            "a the of",
            "",
        ]
    )
    assert keys[0] == keys[1] == b"rally tabriz" and keys[2] != keys[0]
    assert keys[3] == keys[4] == b"aliyev s statement"
    assert keys[5] == keys[6] == b""
