"""Property: any bad value in any cell of the fixture package gives a report naming it, never a traceback.

Each example puts one value of a class of bad input (empty, text where a number belongs, ``1e3``,
NaN, inf, a huge number, a negative one, a value outside the vocabulary, a dangling key, a key with
a trailing space or a Cyrillic look-alike letter) into one cell of one resource of the mini fixture
package and runs the command line's ``main()`` in-process. Whether the value is acceptable for its
column is decided here from the descriptor alone (type, constraints, keys); the validator must then
exit 1 with a line naming file, row, column, value and expectation, or, for an acceptable value,
report no column-level error for that cell (a rule across columns of the row may still object).
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import math
import re
import shutil
from pathlib import Path

from conftest import DATA, MINI, read_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.__main__ import main
from analysis.schema import Field, read_package

PACKAGE = read_package(DATA)
RESOURCES = {r.name: r for r in PACKAGE.resources}
FIXTURE = {r.path: read_rows(MINI / r.path) for r in PACKAGE.resources}
CELLS = [(r.name, f.name) for r in PACKAGE.resources for f in r.fields]

#: Checks of rules across the columns of one row: they may object to a value its column accepts.
ROW_RULES = {
    "date-order",
    "date-precision",
    "count-order",
    "range-ends",
    "minor-age",
    "minor-named",
    "shared-alias",
    "person-count",
    "currency",
    "acquittal",
    "appeal",
    "primary-key",
}
CYRILLIC = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "x": "\u0445", "i": "\u0456"}
KINDS = [
    "empty",
    "text",
    "1e3",
    "nan",
    "inf",
    "huge",
    "negative",
    "out-of-vocabulary",
    "dangling-key",
    "trailing-space",
    "look-alike",
    "formula",
]


def column_values(resource: str, column: str) -> list[str]:
    rows = FIXTURE[RESOURCES[resource].path]
    i = rows[0].index(column)
    return [r[i] for r in rows[1:]]


def key_like(resource: str, column: str, row: int) -> str:
    """A real value for a key column: the cell itself, or one its foreign key points at."""
    own = column_values(resource, column)[row - 1]
    if own:
        return own
    for fk in RESOURCES[resource].foreign_keys:
        if fk.fields == (column,):
            return next(v for v in column_values(fk.resource, fk.reference_fields[0]) if v)
    return "value"


def bad_value(kind: str, resource: str, column: str, row: int) -> str:
    base = key_like(resource, column, row)
    if kind == "look-alike":
        swap = next((c for c in base if c in CYRILLIC), None)
        return base.replace(swap, CYRILLIC[swap], 1) if swap else base + CYRILLIC["a"]
    return {
        "empty": "",
        "text": "many",
        "1e3": "1e3",
        "nan": "NaN",
        "inf": "inf",
        "huge": "9" * 30,
        "negative": "-5",
        "out-of-vocabulary": "riot",
        "dangling-key": "no-such-key",
        "trailing-space": base + " ",
        "formula": "=1+1",
    }[kind]


def acceptable(field: Field, value: str) -> bool:
    """Whether the column would take this value, judged from the descriptor (type and constraints)."""
    c = field.constraints
    if value == "":
        return not field.required
    lo, hi = c.get("minimum"), c.get("maximum")
    if field.type == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", value) or len(value.lstrip("+-")) > 18:
            return False
        typed: object = int(value)
    elif field.type == "number":
        if not re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?", value):
            return False
        typed = float(value)
        if not math.isfinite(typed):
            return False
    elif field.type == "boolean":
        return value in field.true_values or value in field.false_values
    elif field.type == "date":
        try:
            typed = datetime.date.fromisoformat(value) if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) else None
        except ValueError:
            typed = None
        if typed is None:
            return False
        lo = datetime.date.fromisoformat(lo) if lo else None
        hi = datetime.date.fromisoformat(hi) if hi else None
    else:
        typed = value
        if "enum" not in c and value[0] in "=+-@\t\r":
            return False
    if lo is not None and typed < lo or hi is not None and typed > hi:  # type: ignore[operator]
        return False
    if "enum" in c and typed not in c["enum"]:
        return False
    return not ("pattern" in c and not re.fullmatch(c["pattern"], value))


def keys_hold(resource: str, column: str, row: int, value: str) -> bool:
    """Whether the value keeps the column's uniqueness and points at an existing row where it must."""
    r = RESOURCES[resource]
    values = column_values(resource, column)
    values[row - 1] = value
    if value and (column in r.primary_key or r.field(column).constraints.get("unique")) and values.count(value) > 1:
        return False
    for fk in r.foreign_keys:
        if fk.fields == (column,) and value:
            targets = (
                values
                if fk.resource == resource and fk.reference_fields == (column,)
                else column_values(fk.resource, fk.reference_fields[0])
            )
            if value not in targets:
                return False
    return True


def write_cell(directory: Path, file: str, row: int, column: str, value: str) -> None:
    rows = [list(r) for r in FIXTURE[file]]
    rows[row][rows[0].index(column)] = value
    with (directory / file).open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def errors_at(output: str, file: str, row: int, column: str) -> list[str]:
    """The report's error lines about one cell, as '[check] text'."""
    place = f"{file}, row {row} (line {row + 1}), column '{column}'"
    return [line.strip() for line in output.splitlines() if line.strip().startswith("ERROR [") and place in line]


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cell=st.sampled_from(CELLS), kind=st.sampled_from(KINDS), pick=st.integers(min_value=0, max_value=10))
def test_any_bad_cell_is_named_never_a_traceback(tmp_path_factory, cell, kind, pick) -> None:
    resource, column = cell
    r = RESOURCES[resource]
    row = 1 + pick % (len(FIXTURE[r.path]) - 1)
    value = bad_value(kind, resource, column, row)
    directory = tmp_path_factory.mktemp("package")
    shutil.copytree(MINI, directory, dirs_exist_ok=True)
    shutil.copy(DATA / "datapackage.json", directory / "datapackage.json")
    write_cell(directory, r.path, row, column, value)

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["validate", str(directory)])  # must return, not raise
    report = out.getvalue()
    assert status in (0, 1), f"{r.path} row {row} {column}={value!r}: exit {status}\n{err.getvalue()}"
    assert "Traceback" not in report + err.getvalue()

    found = errors_at(report, r.path, row, column)
    if acceptable(r.field(column), value) and keys_hold(resource, column, row, value):
        column_level = [e for e in found if e.split("]")[0].removeprefix("ERROR [") not in ROW_RULES]
        assert not column_level, f"{column}={value!r} is acceptable, yet: {column_level}"
    else:
        assert status == 1, f"{r.path} row {row} {column}={value!r} passed:\n{report}"
        wanted = f"column '{column}': got {value!r}; expected "
        named = [e for e in found if wanted in e and len(e.split(wanted, 1)[1]) > 10]
        assert named, f"no error names {r.path} row {row} {column}={value!r} and what was expected:\n{report}"
