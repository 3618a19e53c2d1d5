"""The validator refuses each kind of bad input with a message naming file, row, column and value."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, read_rows, set_cell, write_rows

from analysis import DataError, load_all, load_table, validate


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
    ok = subprocess.run(
        [sys.executable, "-m", "analysis", "validate", str(mini)], capture_output=True, text=True, cwd=ROOT
    )
    assert ok.returncode == 0 and "VALID" in ok.stdout
    set_cell(mini, "casualties.csv", 1, "count", "-5")
    bad = subprocess.run(
        [sys.executable, "-m", "analysis", "validate", str(mini)], capture_output=True, text=True, cwd=ROOT
    )
    assert bad.returncode == 1
    assert "casualties.csv, row 1 (line 2), column 'count': got '-5'" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr


def test_cli_without_descriptor(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "analysis", "validate", str(tmp_path)], capture_output=True, text=True, cwd=ROOT
    )
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
    tables = real
    assert set(tables) - {name for name, frame in tables.items() if "locator" in frame.columns} == {"sources"}
    for name, frame in tables.items():
        if name == "sources":
            continue
        # the map geography is not drawn from the documents: its rows name the registry package instead
        origin = "source" if name == "geography" else "source_id"
        assert frame[origin].notna().all() and frame["locator"].notna().all(), name


# --------------------------------------------------------------------------- never a traceback (issue 10, point 6)


def run_main(args: list[str]) -> tuple[int, str, str]:
    """The command line's main() in-process: (exit status, stdout, stderr)."""
    import contextlib
    import io

    from analysis.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(args)
    return status, out.getvalue(), err.getvalue()


# Cells whose bad value used to crash a derived check (discrepancies) after the field check had flagged it.
CRASHERS = [
    ("equipment_losses.csv", 3, "count", "many", "whole number"),  # a stated-total count
    ("events.csv", 3, "date_precision", "week", "one of: day"),  # on an event that has variant_of
    ("sentence_totals.csv", 1, "persons", "many", "whole number"),
    ("loss_claims.csv", 2, "count_max", "lots", "whole number"),  # on a range (qualifier set below)
    ("events.csv", 3, "variant_of", "2020-10-01-tabriz-rally ", "whitespace"),
    ("detentions.csv", 5, "part_of", "d\u0430", "CYRILLIC SMALL LETTER A"),
]


@pytest.mark.parametrize(("file", "row", "column", "value", "words"), CRASHERS)
def test_bad_input_to_derived_checks_is_reported_not_raised(mini: Path, file, row, column, value, words) -> None:
    if column == "count_max":
        set_cell(mini, file, row, "qualifier", "range")
    set_cell(mini, file, row, column, value)
    status, out, err = run_main(["validate", str(mini)])
    assert status == 1, out + err
    assert f"{file}, row {row} (line {row + 1}), column '{column}': got {value!r}; expected" in out
    assert words in out and "Traceback" not in out + err


def test_missing_table_leaves_other_checks_running(mini: Path) -> None:
    (mini / "equipment_losses.csv").unlink()
    (mini / "sentences.csv").unlink()
    report = validate(mini)
    assert {e.check for e in report.errors} == {"file-exists"}
    checks = {d.check for d in report.discrepancies}
    assert "same-count" in checks and "event-date" in checks  # tables that were read are still compared
    assert "total-vs-parts" not in checks and "sentence-total" not in checks


def write_descriptor(directory: Path, change) -> None:
    import json

    path = directory / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor), encoding="utf-8")


def field_spec(descriptor: dict, resource: str, field: str) -> dict:
    r = next(r for r in descriptor["resources"] if r["name"] == resource)
    return next(f for f in r["schema"]["fields"] if f["name"] == field)


@pytest.mark.parametrize("ftype", ["year", "datetime", "any", "geopoint", "duration", "decimal"])
def test_unsupported_field_type_is_a_descriptor_error(mini: Path, ftype: str) -> None:
    write_descriptor(mini, lambda d: field_spec(d, "events", "date").update(type=ftype))
    status, out, err = run_main(["validate", str(mini)])
    assert status == 2 and "Traceback" not in out + err
    assert "resource 'events', field 'date'" in err and repr(ftype) in err
    assert ("does not support" in err) == (ftype != "decimal")  # 'decimal' is no Table Schema type at all


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: field_spec(d, "events", "event_id")["constraints"].update(pattern="[a-z"), "not a valid regular"),
        (lambda d: field_spec(d, "events", "date")["constraints"].update(minimum="soon"), "constraint minimum"),
        (lambda d: field_spec(d, "events", "title")["constraints"].update(maxLength=80), "'maxLength' is not checked"),
        (lambda d: d["resources"][3]["schema"]["foreignKeys"][0]["reference"].update(resource="towns"), "'towns'"),
        (lambda d: d["resources"][3]["schema"].update(primaryKey="id"), "primaryKey names 'id'"),
        (lambda d: field_spec(d, "events", "theatre")["constraints"]["enum"].append("iran"), "each value once"),
    ],
)
def test_unusable_descriptor_names_what_and_where(mini: Path, change, words) -> None:
    write_descriptor(mini, change)
    status, _, err = run_main(["validate", str(mini)])
    assert status == 2 and words in err and "resource 'events'" in err


def test_validate_without_arguments_checks_the_repository_data() -> None:
    status, out, _ = run_main([])
    assert status == 0 and out.rstrip().endswith("VALID") and str(ROOT / "data") in out


def test_validate_with_only_a_folder(mini: Path) -> None:
    set_cell(mini, "events.csv", 1, "theatre", "moon")
    status, out, _ = run_main([str(mini)])
    assert status == 1 and "events.csv, row 1 (line 2), column 'theatre': got 'moon'" in out


def test_installed_script_runs_without_arguments(tmp_path: Path) -> None:
    import os

    script = Path(sys.executable).parent / "karabakh-validate"
    if not script.exists():
        pytest.skip("the package is not installed in this environment")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's code, as after `pip install -e .`
    done = subprocess.run([str(script)], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 0 and done.stdout.rstrip().endswith("VALID"), done.stdout + done.stderr


# --------------------------------------------------------------------------- keys and cells (point 7)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2020-10-01-tabriz-rally ", "leading or trailing whitespace"),
        (" 2020-10-01-tabriz-rally", "leading or trailing whitespace"),
        ("2020-10-01-t\u0430briz-rally", "U+0430 CYRILLIC SMALL LETTER A"),
        ("2020-10-01-Tabriz-rally", "pattern [a-z0-9]+(-[a-z0-9]+)*"),
        ("2020-10-01--tabriz", "pattern"),
    ],
)
def test_identifier_outside_its_character_set_is_refused_with_why(mini: Path, value: str, words: str) -> None:
    set_cell(mini, "events.csv", 2, "event_id", value)
    errors = [e for e in validate(mini).errors if e.check == "pattern"]
    assert [(e.file, e.row, e.column, e.value) for e in errors] == [("events.csv", 2, "event_id", value)]
    assert words in str(errors[0])


def test_every_key_column_has_the_identifier_pattern() -> None:
    from analysis.schema import read_package

    package = read_package(ROOT / "data")
    for r in package.resources:
        keys = set(r.primary_key) | {f for fk in r.foreign_keys for f in fk.fields}
        for name in keys:
            if r.field(name).type == "string":  # integer parts of a key (a point's number) have their own type
                assert r.field(name).constraints.get("pattern") == "[a-z0-9]+(-[a-z0-9]+)*", f"{r.name}.{name}"


def test_header_without_rows_is_refused_unless_allowed(mini: Path) -> None:
    rows = read_rows(mini / "damage.csv")
    write_rows(mini / "damage.csv", rows[:1])
    error = only_error(mini)
    assert (error.check, error.file) == ("empty-table", "damage.csv") and '"allowEmpty": true' in str(error)
    write_descriptor(mini, lambda d: next(r for r in d["resources"] if r["name"] == "damage").update(allowEmpty=True))
    assert validate(mini).ok


def test_allow_empty_is_accepted_by_the_reference_validator(mini: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    write_descriptor(mini, lambda d: [r.update(allowEmpty=False) for r in d["resources"]])
    report = frictionless.validate(str(mini / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x","y")', "+1 more", "-2 dead", "@SUM(A1)", "\tTab", "\rCR"])
def test_text_a_spreadsheet_would_run_is_refused(mini: Path, value: str) -> None:
    import csv

    rows = read_rows(mini / "events.csv")
    rows[1][rows[0].index("title")] = value
    with (mini / "events.csv").open("w", newline="", encoding="utf-8") as f:  # quoted, so a CR stays in its cell
        csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    errors = [e for e in validate(mini).errors if e.check == "formula"]
    assert [(e.row, e.column, e.value) for e in errors] == [(1, "title", value)]
    assert "CSV injection" in str(errors[0]) and "formula" in str(errors[0])


def test_negative_numbers_are_not_formulas(mini: Path) -> None:
    set_cell(mini, "places.csv", 1, "longitude", "-77.04")
    assert validate(mini).ok


# --------------------------------------------------------------------------- fast path = exact path (point 8)


@pytest.mark.parametrize("directory", ["mini", "data"])
def test_fast_and_exact_readers_agree(mini: Path, directory: str) -> None:
    from analysis.schema import read_package
    from analysis.validation import _read_exact, _read_fast

    folder = mini if directory == "mini" else ROOT / "data"
    package = read_package(folder)
    for r in package.resources:
        data = (folder / r.path).read_bytes()
        fast = _read_fast(data, r)
        exact = _read_exact(data, r, lambda *a, path=r.path, **k: pytest.fail(f"{path}: {a}"))
        assert fast is not None and exact is not None, f"{r.path} should take the fast path"
        pd.testing.assert_frame_equal(fast.frame, exact.frame, check_index_type=False)
        assert list(fast.lines) == list(exact.lines)


@pytest.mark.parametrize(
    ("tail", "check", "line"),
    [
        ('k4,armenia,military,killed,"5"x,,exact,,,,,doc-a,L\n', "csv-syntax", 6),  # text after a closing quote
        ("k4,armenia,military\n", "row-length", 6),  # a short row, which the C parser would pad
        ("\n", "row-length", 6),  # a blank line
    ],
)
def test_irregular_lines_take_the_exact_path(mini: Path, monkeypatch, tail: str, check: str, line: int) -> None:
    monkeypatch.setattr("analysis.validation.FAST_FROM_BYTES", 0)  # small files try the fast path too
    path = mini / "casualties.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "k9,armenia,military,killed,1,,exact,,,,,doc-a,L\n" + tail, encoding="utf-8"
    )
    errors = validate(mini).errors
    assert [(e.check, e.line) for e in errors] == [(check, line)], errors


def test_a_field_spanning_lines_keeps_exact_line_numbers(mini: Path, monkeypatch) -> None:
    monkeypatch.setattr("analysis.validation.FAST_FROM_BYTES", 0)
    set_cell(mini, "events.csv", 1, "description", "Two\nlines")
    set_cell(mini, "events.csv", 3, "theatre", "moon")
    (error,) = validate(mini).errors
    assert (error.row, error.line) == (3, 5)


# --------------------------------------------------------------------------- likely duplicates (issue 12, point 4)


def test_repeated_relation_is_a_warning_not_an_error(mini: Path) -> None:
    rows = read_rows(mini / "relations.csv")
    rows.append(["r3", *rows[1][1:8], "doc-b", "Tabriz ¶5"])
    write_rows(mini / "relations.csv", rows)
    report = validate(mini)
    assert report.ok
    (dup,) = report.duplicates
    assert dup.check == "likely-duplicate" and "armenia blamed azerbaijan, 2020-07-12" in dup.subject
    assert [(v.value, v.row) for v in dup.versions] == [("r1", 1), ("r3", 3)]
    assert dup in report.warnings and "1 likely-duplicate warning(s)" in report.format()
    set_cell(mini, "relations.csv", 3, "date", "2020-07-13")
    assert not validate(mini).duplicates


def test_same_day_near_identical_titles_are_likely_duplicates(mini: Path) -> None:
    rows = read_rows(mini / "events.csv")
    rows.append(
        [
            "2020-10-01-rally-again",
            "2020-10-01",
            "",
            "day",
            "",
            "The rally in TABRIZ!",
            "",
            "protest",
            "iran",
            "tabriz",
            "",
            "",
            "",
            "",
            "doc-a",
            "Lead ¶9",
        ]
    )
    write_rows(mini / "events.csv", rows)
    report = validate(mini)
    assert report.ok
    (dup,) = report.duplicates
    assert [v.value for v in dup.versions] == ["2020-10-01-tabriz-rally", "2020-10-01-rally-again"]
    set_cell(mini, "events.csv", 5, "variant_of", "2020-10-01-tabriz-rally")  # linked as a version: fine
    assert not validate(mini).duplicates


def test_both_readers_give_the_same_messages(mini: Path, monkeypatch) -> None:
    """Every bad cell of BAD_CELLS at once: the report is the same whichever path reads the files."""
    for file, row, column, value, *_ in BAD_CELLS:
        if (file, column) not in {("actors.csv", "actor_id"), ("events.csv", "end_date")}:  # keep checks apart
            set_cell(mini, file, row, column, value)
    exact = [str(e) for e in validate(mini).issues]
    monkeypatch.setattr("analysis.validation.FAST_FROM_BYTES", 0)
    fast = [str(e) for e in validate(mini).issues]
    assert len(exact) > 20 and fast == exact
