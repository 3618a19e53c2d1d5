"""The validator refuses each kind of bad input with a message naming file, row, column and value."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import DataError, load_all, load_table, validate
from conftest import ROOT, read_rows, set_cell, write_rows


def only_error(directory: Path):
    report = validate(directory)
    assert len(report.errors) == 1, report.format()
    return report.errors[0]


def test_fixture_package_is_valid(mini: Path) -> None:
    report = validate(mini)
    assert report.ok, report.format()
    assert report.row_counts["detentions.csv"] == 5


# (file, data row, column, bad value, check that must fire, words the message must contain)
BAD_CELLS = [
    ("events.csv", 2, "date", "2020-02-30", "type", "real calendar date"),
    ("events.csv", 2, "date", "1 Oct 2020", "type", "YYYY-MM-DD"),
    ("events.csv", 1, "date", "1850-01-01", "range", "between 1900-01-01"),
    ("events.csv", 1, "end_date", "2020-07-01", "date-order", "on or after 'date'"),
    ("events.csv", 4, "date", "2020-11-05", "date-precision", "1st of the month"),
    ("events.csv", 1, "category", "riot", "enum", "one of: clash"),
    ("events.csv", 1, "time", "25:00", "pattern", "pattern"),
    ("casualties.csv", 3, "count", "-3", "range", "non-negative whole number"),
    ("casualties.csv", 3, "count", "many", "type", "whole number"),
    ("casualties.csv", 3, "count", "", "required", "required"),
    ("casualties.csv", 3, "reported_by", "nobody", "foreign-key", "actors.csv"),
    ("detentions.csv", 2, "place_id", "atlantis", "foreign-key", "places.csv"),
    ("detentions.csv", 2, "count", "2", "person-count", "names one person"),
    ("detentions.csv", 1, "count_max", "3", "count-order", "at least 'count'"),
    ("detentions.csv", 2, "bail_currency", "", "currency", "a currency"),
    ("events.csv", 2, "source_id", "doc-z", "foreign-key", "sources.csv"),
    ("relations.csv", 1, "event_id", "2020-01-01-nothing", "foreign-key", "events.csv"),
    ("sentences.csv", 2, "appeal_of", "s9", "foreign-key", "sentences.csv"),
    ("sentences.csv", 3, "lashes", "10", "acquittal", "no prison term"),
    ("actors.csv", 7, "name", "Leyla Example", "minor-named", "children are never named"),
    ("actors.csv", 7, "aliases", "Leyla", "minor-named", "no aliases"),
    ("actors.csv", 7, "age", "19", "minor-age", "under 18"),
    ("actors.csv", 5, "age", "15", "minor-age", "true, because the age is under 18"),
    ("actors.csv", 6, "aliases", "Ali Eksampl", "shared-alias", "row 5 has it too"),
    ("actors.csv", 2, "actor_id", "azerbaijan", "unique", "no other row"),
    ("actors.csv", 1, "is_minor", "no", "type", "a boolean"),
    ("places.csv", 1, "latitude", "north", "type", "a number"),
]


# A rule that compares two columns reports the one whose value it cannot accept.
REPORTED_IN = {("sentences.csv", "lashes"): "outcome", ("actors.csv", "age", "15"): "is_minor"}


@pytest.mark.parametrize(("file", "row", "column", "value", "check", "words"), BAD_CELLS)
def test_bad_cell_is_refused_with_its_place(mini: Path, file, row, column, value, check, words) -> None:
    set_cell(mini, file, row, column, value)
    errors = [e for e in validate(mini).errors if e.check == check and e.row == row]
    assert len(errors) == 1, f"{check} fired {len(errors)} times for {file} row {row} {column}={value!r}"
    error = errors[0]
    reported = REPORTED_IN.get((file, column), REPORTED_IN.get((file, column, value), column))
    assert (error.file, error.row, error.column) == (file, row, reported)
    text = str(error)
    assert f"{file}, row {row} (line {row + 1}), column '{reported}'" in text
    assert words in text
    if reported == column:
        assert f"got {value!r}" in text


def test_missing_column(mini: Path) -> None:
    rows = [r[:-1] for r in read_rows(mini / "casualties.csv")]  # drop 'locator'
    write_rows(mini / "casualties.csv", rows)
    error = only_error(mini)
    assert error.check == "missing-column" and error.column == "locator"
    assert "casualties.csv" in str(error) and "'locator'" in str(error)


def test_unknown_column(mini: Path) -> None:
    rows = read_rows(mini / "places.csv")
    write_rows(mini / "places.csv", [rows[0] + ["population"]] + [r + ["1"] for r in rows[1:]])
    error = only_error(mini)
    assert (error.check, error.column) == ("unknown-column", "population")


def test_duplicate_primary_key_names_both_rows(mini: Path) -> None:
    rows = read_rows(mini / "relations.csv")
    rows.append(list(rows[1]))  # row 3 repeats row 1
    write_rows(mini / "relations.csv", rows)
    report = validate(mini)
    keys = [e for e in report.errors if e.check == "primary-key"]
    assert len(keys) == 1 and keys[0].row == 3 and "row 1 has it too" in keys[0].expected


def test_ragged_row_is_refused(mini: Path) -> None:
    path = mini / "loss_claims.csv"
    path.write_text(path.read_text(encoding="utf-8") + "c3,azerbaijan,armenia\n", encoding="utf-8")
    error = only_error(mini)
    assert (error.check, error.row, error.line) == ("row-length", 3, 4)
    assert "12 fields, as in the header" in str(error)


def test_bad_encoding_is_refused(mini: Path) -> None:
    path = mini / "sources.csv"
    path.write_bytes(path.read_bytes() + "doc-c,c.txt,Caf\u00e9,,,,,,commentary,journalistic,fr,\n".encode("latin-1"))
    errors = validate(mini).errors
    assert errors[0].check == "encoding" and errors[0].line == 4


def test_missing_file_is_refused(mini: Path) -> None:
    (mini / "sentences.csv").unlink()
    error = only_error(mini)
    assert error.check == "file-exists" and "sentences.csv" in str(error)


def test_unclosed_quote_is_refused(mini: Path) -> None:
    path = mini / "casualties.csv"
    path.write_text(path.read_text(encoding="utf-8") + 'k4,armenia,military,killed,"5\n', encoding="utf-8")
    errors = validate(mini).errors
    assert errors and errors[0].check in ("csv-syntax", "row-length") and errors[0].file == "casualties.csv"


def test_loaders_raise_data_error_listing_every_problem(mini: Path) -> None:
    set_cell(mini, "events.csv", 2, "date", "2020-13-01")
    set_cell(mini, "events.csv", 3, "theatre", "moon")
    with pytest.raises(DataError) as caught:
        load_table("events", mini)
    assert len(caught.value.issues) == 2
    message = str(caught.value)
    assert "events.csv, row 2 (line 3), column 'date'" in message
    assert "events.csv, row 3 (line 4), column 'theatre'" in message
    with pytest.raises(DataError):
        load_all(mini)


def test_load_table_checks_its_foreign_keys(mini: Path) -> None:
    set_cell(mini, "relations.csv", 2, "target_actor_id", "no-such-court")
    with pytest.raises(DataError, match="relations.csv, row 2 .* column 'target_actor_id'"):
        load_table("relations", mini)
    assert len(load_table("events", mini)) == 4  # other tables still load


def test_many_bad_rows_are_summarised(mini: Path) -> None:
    rows = read_rows(mini / "casualties.csv")
    template = rows[3]
    for i in range(30):
        rows.append([f"kx{i}", *template[1:4], "-1", *template[5:]])
    write_rows(mini / "casualties.csv", rows)
    errors = [e for e in validate(mini).errors if e.check == "range"]
    assert len(errors) == 21 and "and 10 more rows" in errors[-1].expected


def test_typed_loaders(mini: Path) -> None:
    t = load_all(mini)
    ev, det, act, sen = t["events"], t["detentions"], t["actors"], t["sentences"]
    assert pd.api.types.is_datetime64_any_dtype(ev["date"])
    assert isinstance(ev["category"].dtype, pd.CategoricalDtype)
    assert "clash" in ev["category"].cat.categories  # categories are the full vocabulary
    assert str(det["count"].dtype) == "Int64" and str(det["count_max"].dtype) == "Int64"
    assert det["count_max"].isna().all()
    assert str(act["is_minor"].dtype) == "boolean" and act["is_minor"].sum() == 1
    assert str(det["bail_amount"].dtype) == "Float64" and det.loc[2, "bail_amount"] == 100_000_000
    assert str(act["name"].dtype) == "string" and pd.isna(act.loc[1, "aliases"])
    assert sen.loc[1, "prison_months"] == 18 and pd.isna(sen.loc[1, "prison_days"])
    assert list(ev.index) == [1, 2, 3, 4]  # index = data row number in the file


def test_cli_reports_and_exits_nonzero_without_traceback(mini: Path) -> None:
    ok = subprocess.run([sys.executable, "-m", "analysis", "validate", str(mini)], capture_output=True,
                        text=True, cwd=ROOT)
    assert ok.returncode == 0 and "VALID" in ok.stdout
    set_cell(mini, "casualties.csv", 1, "count", "-5")
    bad = subprocess.run([sys.executable, "-m", "analysis", "validate", str(mini)], capture_output=True,
                         text=True, cwd=ROOT)
    assert bad.returncode == 1
    assert "casualties.csv, row 1 (line 2), column 'count': got '-5'" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr


def test_cli_without_descriptor(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "analysis", "validate", str(tmp_path)], capture_output=True,
                         text=True, cwd=ROOT)
    assert out.returncode == 2 and "datapackage.json: not found" in out.stderr
    assert "Traceback" not in out.stderr


def test_real_data_package_is_valid() -> None:
    report = validate()
    assert report.ok, report.format()
    assert report.row_counts["events.csv"] > 60
    assert report.row_counts["actors.csv"] > 80
    assert report.row_counts["relations.csv"] > 100


def test_real_data_passes_the_reference_validator() -> None:
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(ROOT / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]


def test_every_real_row_has_provenance(real: dict[str, pd.DataFrame]) -> None:
    for name, frame in real.items():
        if "locator" in frame.columns:
            assert frame["source_id"].notna().all() and frame["locator"].notna().all(), name
