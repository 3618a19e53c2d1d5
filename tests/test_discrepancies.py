"""The discrepancy finders list every disagreement with both versions and their sources."""

from __future__ import annotations

from pathlib import Path

from analysis import validate
from analysis.discrepancies import discrepancy_register
from conftest import set_cell


def by_check(directory: Path) -> dict[str, list]:
    out: dict[str, list] = {}
    for d in validate(directory).discrepancies:
        out.setdefault(d.check, []).append(d)
    return out


def test_fixture_discrepancies(mini: Path) -> None:
    found = by_check(mini)
    assert sorted(found) == ["event-date", "named-vs-stated", "same-claim", "same-count", "total-vs-parts"]
    total = found["total-vs-parts"][0]
    assert "armenia, tanks: 152 stated, 150 in the parts" in total.subject  # azerbaijan's 10 = 10 is not listed
    assert [v.value for v in total.versions] == ["152 stated", "150 summed"]
    count = found["same-count"][0]
    assert [(v.value, v.locator) for v in count.versions] == [("2906", "Casualties ¶1"), ("2853", "Military ¶1")]
    claim = found["same-claim"][0]
    assert [v.value for v in claim.versions] == ["130", "about 140"]
    named = found["named-vs-stated"][0]
    assert "at-least 5 reported, 3 named" in named.subject
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
    assert [v.value for v in found["detainee-count"][0].versions] == ["at-least 5", "18"]


def test_register_has_one_row_per_version(mini: Path) -> None:
    register = discrepancy_register(validate(mini).discrepancies)
    assert len(register) == 10
    assert set(register.columns) >= {"check", "subject", "version", "source_id", "locator"}
    assert register["source_id"].isin(["doc-a", "doc-b"]).all()
