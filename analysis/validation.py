"""Read the CSVs of the data package and check them against ``datapackage.json``.

Each check is named and every problem becomes an :class:`Issue` naming the file, the row, the
column, the bad value and what was expected. Nothing here raises on bad data: callers collect
issues and decide (the loaders in :mod:`analysis.data` refuse to return a table with errors).

Row numbers count data rows from 1 (the header is not a row); ``line`` is the physical line in
the file, which differs from ``row + 1`` only when a quoted field spans several lines.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from .schema import ALLOW_EMPTY, DataPackage, Field, Resource

Severity = Literal["error"]  # disagreements between sources are Discrepancy records, not issues

#: After this many rows with the same problem in one column, the rest are summarised in one issue.
MAX_ROWS_PER_PROBLEM = 20


@dataclass(frozen=True)
class Issue:
    """One problem found in the data: where it is, what was there and what was expected."""

    severity: Severity
    check: str
    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    line: int | None = None

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            line = f" (line {self.line})" if self.line is not None else ""
            parts.append(f"row {self.row}{line}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        got = f"got {self.value!r}; " if self.value is not None else ""
        return f"{self.severity.upper()} [{self.check}] {self.where()}: {got}expected {self.expected}"


@dataclass
class RawTable:
    """A CSV read as strings, one column per header name, indexed by data row number (1-based)."""

    resource: Resource
    frame: pd.DataFrame
    lines: pd.Series  # physical line of each row, same index
    _distinct: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)
    _lookup: dict[str, pd.Index] = field(default_factory=dict, repr=False)

    @property
    def file(self) -> str:
        return self.resource.path

    def distinct(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """(codes, values): each row's index into the column's distinct values, computed once per column.

        Checks run once per distinct value and map back through the codes, so a column of a million
        rows with a few hundred dates is parsed a few hundred times, not a million.
        """
        if column not in self._distinct:
            codes, uniques = pd.factorize(self.frame[column].to_numpy(dtype=object), use_na_sentinel=False)
            small = codes.astype(np.int32) if len(uniques) < 2**31 else codes
            self._distinct[column] = (small, np.asarray(uniques, dtype=object))
        return self._distinct[column]

    def lookup(self, column: str) -> pd.Index:
        """The column's distinct values as an Index, whose hash table is built once for every key pointing here."""
        if column not in self._lookup:
            self._lookup[column] = pd.Index(self.distinct(column)[1], dtype=object)
        return self._lookup[column]

    def value(self, column: str, position: int) -> str | None:
        """The raw text of one cell (by position), from the frame or, once released, from the distinct values."""
        if column in self.frame.columns:
            return self.frame[column].iat[position]
        if column in self._distinct:
            codes, uniques = self._distinct[column]
            return uniques[codes[position]]
        return None

    def release(self, keep: Iterable[str]) -> None:
        """Drop the raw text once the table is typed, keeping the distinct values of ``keep`` (key columns).

        Foreign keys are then checked on distinct values alone, so a large package never holds
        every table's raw text and typed columns at once.
        """
        keep = set(keep)
        for column in keep:
            self.distinct(column)
        self._distinct = {c: v for c, v in self._distinct.items() if c in keep}
        self.frame = self.frame[[]]


@dataclass(frozen=True)
class Version:
    """One version of a disputed figure: the value and where it stands."""

    value: str
    file: str
    row: int
    source_id: str
    locator: str

    def __str__(self) -> str:
        return f"{self.value} ({self.file} row {self.row}; {self.source_id}, {self.locator})"


@dataclass(frozen=True)
class Discrepancy:
    """Two or more versions of one fact that do not agree; all are kept, none is chosen."""

    check: str
    subject: str
    versions: tuple[Version, ...]

    def __str__(self) -> str:
        return f"WARNING [{self.check}] {self.subject}: " + " vs ".join(str(v) for v in self.versions)


@dataclass
class ValidationReport:
    """Everything the validator found in one data folder."""

    data_dir: Path
    issues: list[Issue] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    duplicates: list[Discrepancy] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Discrepancy]:
        """Discrepancies between sources, then likely duplicates: neither stops the loaders."""
        return [*self.discrepancies, *self.duplicates]

    @property
    def ok(self) -> bool:
        return not self.errors

    def format(self) -> str:
        """A readable report: row counts, then errors, then discrepancy warnings."""
        out = [f"Data package: {self.data_dir}"]
        for name, n in self.row_counts.items():
            out.append(f"  {name:<24} {n:>6} rows")
        out.append("")
        out.append(f"{len(self.errors)} error(s)")
        out.extend(f"  {i}" for i in self.errors)
        out.append("")
        out.append(f"{len(self.discrepancies)} discrepancy warning(s): the sources disagree; every version is kept")
        out.extend(f"  {i}" for i in self.discrepancies)
        out.append("")
        out.append(f"{len(self.duplicates)} likely-duplicate warning(s): one fact may be recorded twice")
        out.extend(f"  {i}" for i in self.duplicates)
        out.append("")
        out.append("VALID" if self.ok else "INVALID: fix the errors above")
        return "\n".join(out)


class DataError(Exception):
    """Raised by the loaders when the data has errors; carries every issue found."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        head = f"{len(issues)} data error(s):"
        super().__init__("\n".join([head, *(f"  {i}" for i in issues)]))


# --------------------------------------------------------------------------- reading


#: Files smaller than this are read row by row: the csv module beats pandas' C parser (fixed costs) on them.
FAST_FROM_BYTES = 256 * 1024


def read_raw(resource: Resource, directory: Path) -> tuple[RawTable | None, list[Issue]]:
    """Read one CSV as strings; structural problems (missing file, bad encoding, ragged rows) are issues.

    A regular file (every row as long as the header, no field spanning lines) is read in one pass
    by pandas' C parser; anything else takes the row-by-row path, which names each bad line.
    """
    file = resource.path
    path = directory / resource.path
    issues: list[Issue] = []

    def err(
        check: str,
        expected: str,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        line: int | None = None,
    ) -> None:
        issues.append(Issue("error", check, file, row, column, value, expected, line))

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        err("file-exists", f"the file {path} to exist (it is declared in datapackage.json)")
        return None, issues
    except OSError as exc:
        err("file-readable", f"a readable file at {path} ({exc.strerror or exc})")
        return None, issues
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    table = _read_fast(data, resource) if len(data) >= FAST_FROM_BYTES else None
    if table is None:
        table = _read_exact(data, resource, err)
    if table is not None and table.frame.empty and not resource.allow_empty:
        err(
            "empty-table",
            f"at least one data row (the file has a header and no rows; if an empty table is "
            f'intended, declare "{ALLOW_EMPTY}": true on the resource in datapackage.json)',
        )
    return table, issues


def _read_exact(data: bytes, resource: Resource, err: Callable[..., None]) -> RawTable | None:
    """The row-by-row path: decode, parse with the csv module and report every structural problem by line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        err("encoding", "UTF-8 text", line=line, value=repr(data[exc.start : exc.end]))
        return None
    del data

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        err("header", "a header row naming the columns")
        return None
    except csv.Error as exc:
        err("csv-syntax", f"well-formed CSV ({exc})", line=1)
        return None

    declared = resource.field_names
    bad_header = False
    for name in declared:
        if name not in header:
            err("missing-column", f"a column named '{name}' (declared in datapackage.json)", column=name)
            bad_header = True
    for name in header:
        if name not in declared:
            err("unknown-column", f"only the declared columns: {', '.join(declared)}", column=name, value=name)
            bad_header = True
    dupes = {h for h in header if header.count(h) > 1}
    for name in sorted(dupes):
        err("duplicate-column", "each column once in the header", column=name, value=name)
        bad_header = True
    if bad_header:
        return None

    columns: list[list[str]] = [[] for _ in header]
    lines: list[int] = []
    index: list[int] = []
    seen: dict[str, str] = {}  # one str object per distinct value, as the C parser does
    row_no = 0
    while True:
        start_line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            row_no += 1
            err("csv-syntax", f"well-formed CSV ({exc})", row=row_no, line=start_line)
            break
        row_no += 1
        if len(record) != len(header):
            err(
                "row-length",
                f"{len(header)} fields, as in the header",
                row=row_no,
                value=f"{len(record)} fields",
                line=start_line,
            )
            continue
        for column, value in zip(columns, record):
            column.append(seen.setdefault(value, value))
        lines.append(start_line)
        index.append(row_no)
    frame = pd.DataFrame(
        {h: pd.array(col, dtype=object) for h, col in zip(header, columns)},
        index=pd.Index(index, name="row", dtype="int64"),
    )
    frame = frame[declared]
    return RawTable(resource, frame, pd.Series(lines, index=frame.index, dtype="int64"))


def _read_fast(data: bytes, resource: Resource) -> RawTable | None:
    """Read all rows at once with pandas' C parser, when the file is regular; else None.

    Regular: UTF-8, a header naming exactly the declared columns, every row as long as the header
    (counted by delimiters), one physical line per row (no field spans lines, no blank line, no lone
    carriage return) and no quote that the strict csv module would refuse. Then physical line =
    row + 1. Anything else returns None and the exact path reports each problem with its line.
    """
    if b"\x00" in data:
        return None
    end = data.find(b"\n")
    first = data if end < 0 else data[:end]
    try:
        header = next(csv.reader([first.decode("utf-8").rstrip("\r")], strict=True))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None
    declared = resource.field_names
    if sorted(header) != sorted(declared) or len(set(header)) != len(header):
        return None
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None
    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            dtype=object,
            na_filter=False,
            keep_default_na=False,
            skip_blank_lines=False,
            encoding="utf-8",
            engine="c",
            header=0,
            quotechar='"',
            doublequote=True,
            skipinitialspace=False,
        )
    except Exception:  # any parser complaint: the exact path finds and names it
        return None
    n = len(frame)
    newlines = data.count(b"\n")
    if newlines != (n + 1 if data.endswith(b"\n") else n) or list(frame.columns) != header:
        return None
    # The C parser is lenient where the csv module is strict (text after a closing quote), and it
    # refuses a long row but pads a short one. So: no stray quote, and every line has exactly the
    # header's delimiters once the commas inside quoted values are set aside.
    inside = 0
    if b'"' in data:
        if _STRAY_QUOTE.search(data):
            return None
        inside = sum("\x1f".join(frame[c].to_numpy()).count(",") for c in frame.columns)
    if data.count(b",") - inside != (n + 1) * (len(header) - 1):
        return None
    if header != declared:
        frame = frame[declared]
    frame.index = pd.RangeIndex(1, n + 1, name="row")
    return RawTable(resource, frame, pd.Series(np.arange(2, n + 2, dtype="int64"), index=frame.index))


#: A quote that is neither a field's opening quote (after a delimiter or line start), nor its closing
#: quote (before a delimiter or line end), nor half of a doubled quote: strict CSV refuses it.
_STRAY_QUOTE = re.compile(rb'"(?<=[^,\n"]")[^,\r\n"]')


# --------------------------------------------------------------------------- field checks

_INT = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Integers with more digits than this do not fit a 64-bit integer column.
MAX_DIGITS = 18
#: First characters that make a spreadsheet treat a cell as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _bad_rows(
    table: RawTable,
    mask: pd.Series | np.ndarray,
    check: str,
    column: str,
    expected: str,
    explain: Callable[[str], str] | None = None,
) -> list[Issue]:
    """One issue per flagged row (up to the cap), then one summary issue for the rest.

    ``explain`` adds to the expectation a reason read from the bad value itself.
    """
    flags = mask.to_numpy(dtype=bool, na_value=False) if isinstance(mask, pd.Series) else np.asarray(mask, dtype=bool)
    positions = np.flatnonzero(flags)
    if not len(positions):
        return []
    out: list[Issue] = []
    for pos in positions[:MAX_ROWS_PER_PROBLEM]:
        row = table.frame.index[pos]
        value = table.value(column, pos)
        why = explain(value) if explain is not None and isinstance(value, str) else ""
        out.append(
            Issue("error", check, table.file, int(row), column, value, expected + why, int(table.lines.iat[pos]))
        )
    extra = len(positions) - MAX_ROWS_PER_PROBLEM
    if extra > 0:
        out.append(
            Issue(
                "error",
                check,
                table.file,
                None,
                column,
                None,
                f"{expected} (and {extra} more rows with the same problem)",
            )
        )
    return out


def _range_text(f: Field) -> str:
    lo, hi = f.constraints.get("minimum"), f.constraints.get("maximum")
    if lo is not None and hi is not None:
        return f" between {lo} and {hi}"
    if lo is not None:
        return f" of at least {lo}"
    if hi is not None:
        return f" of at most {hi}"
    return ""


def _per_value(codes: np.ndarray, uniques: np.ndarray, test: Callable[[str], bool]) -> np.ndarray:
    """test() of each row's value, computed once per distinct value."""
    return np.fromiter((bool(test(u)) for u in uniques), dtype=bool, count=len(uniques))[codes]


#: Patterns that can match only characters they name (no '.', negated class or class escape that
#: takes a newline): for those, a newline-joined text matches line by line exactly when every value does.
_NEWLINE_FREE = re.compile(r"\.|\[\^|\\[sSWDnrtvfbBAZ0-9xuUN]|\n")


def _all_match(pattern: str, values: np.ndarray) -> bool:
    """Whether every value fully matches the pattern, decided in one C-level pass where that is safe.

    False means "not known to all match": the caller then tests each value to name the bad ones.
    """
    if _NEWLINE_FREE.search(pattern) or not len(values):
        return not len(values)
    text = "\n".join(values.tolist())
    if text.count("\n") != len(values) - 1:  # a value holds a newline itself
        return False
    return re.fullmatch(f"(?:{pattern})(?:\n(?:{pattern}))*+", text) is not None


def why_not_matching(value: str) -> str:
    """Why a value breaks an identifier's pattern, in words ('' when nothing specific stands out)."""
    reasons = []
    if value != value.strip():
        reasons.append("it has leading or trailing whitespace, which would make it a different key")
    foreign = sorted({c for c in value if ord(c) > 127})
    if foreign:
        names = ", ".join(f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed character')})" for c in foreign[:3])
        reasons.append(f"it contains {names}, not ASCII; a look-alike letter would make it a different key")
    if not reasons and any(c.isspace() for c in value):
        reasons.append("it contains whitespace")
    return "; " + "; ".join(reasons) if reasons else ""


def parse_field(table: RawTable, f: Field) -> tuple[pd.Series, list[Issue]]:
    """Check one column against its declared type and constraints; return it typed (bad values as NA)."""
    raw = table.frame[f.name]
    c = f.constraints
    plain = f.type == "string" and not ({"enum", "pattern", "unique"} & set(c))
    if plain:  # free text: every check below is vectorised over the rows, no need for distinct values
        missing = raw.to_numpy(dtype=object) == ""
    else:
        codes, uniques = table.distinct(f.name)
        missing = (uniques == "")[codes]
    present = ~missing
    issues: list[Issue] = []
    if f.required:
        issues += _bad_rows(table, missing, "required", f.name, "a value (this column is required)")
    index = raw.index
    bad_value = np.zeros(len(raw), dtype=bool)  # rows whose value is unusable for the type

    if f.type == "integer":
        shaped = np.fromiter((_INT.fullmatch(u) is not None for u in uniques), dtype=bool, count=len(uniques))
        fits = np.fromiter(
            (s and len(u.lstrip("+-")) <= MAX_DIGITS for s, u in zip(shaped, uniques)), dtype=bool, count=len(uniques)
        )
        values = pd.array([int(u) if ok else None for ok, u in zip(fits, uniques)], dtype="Int64")
        issues += _bad_rows(table, present & ~shaped[codes], "type", f.name, f"a whole number{_range_text(f)}")
        issues += _bad_rows(
            table,
            present & shaped[codes] & ~fits[codes],
            "range",
            f.name,
            f"a whole number{_range_text(f)} of at most {MAX_DIGITS} digits",
        )
        typed = pd.Series(values.take(codes), index=index)
        bad_value = present & ~fits[codes]
    elif f.type == "number":
        parsed = [float(u) if _NUMBER.fullmatch(u) else math.nan for u in uniques]
        finite = np.fromiter((math.isfinite(v) for v in parsed), dtype=bool, count=len(uniques))
        values = pd.array([v if ok else None for ok, v in zip(finite, parsed)], dtype="Float64")
        bad_value = present & ~finite[codes]
        issues += _bad_rows(
            table, bad_value, "type", f.name, f"a number{_range_text(f)}, in digits (NaN and infinity are not accepted)"
        )
        typed = pd.Series(values.take(codes), index=index)
    elif f.type == "boolean":
        truth = np.isin(uniques, list(f.true_values))
        falsity = np.isin(uniques, list(f.false_values))
        allowed = " or ".join(repr(v) for v in (*f.true_values, *f.false_values))
        bad_value = present & ~truth[codes] & ~falsity[codes]
        issues += _bad_rows(table, bad_value, "type", f.name, f"a boolean: {allowed}")
        flags = pd.array([True if t else (False if fa else None) for t, fa in zip(truth, falsity)], dtype="boolean")
        typed = pd.Series(flags.take(codes), index=index)
    elif f.type == "date":
        date_like = [u if _DATE.fullmatch(u) else None for u in uniques]
        dates = pd.to_datetime(pd.Series(date_like, dtype=object), format="%Y-%m-%d", errors="coerce")
        ok = dates.notna().to_numpy()
        bad_value = present & ~ok[codes]
        issues += _bad_rows(
            table, bad_value, "type", f.name, f"a real calendar date written YYYY-MM-DD{_range_text(f)}"
        )
        typed = pd.Series(dates.to_numpy()[codes], index=index)
    elif f.type == "string":
        values = raw.to_numpy(dtype=object, copy=True)
        values[missing] = pd.NA
        typed = pd.Series(pd.arrays.StringArray(values), index=index)
        if "enum" not in f.constraints:
            firsts = raw.to_numpy(dtype=object).astype("U1") if plain else uniques.astype("U1")[codes]
            formula = np.isin(firsts, list(FORMULA_START))
            issues += _bad_rows(
                table,
                formula,
                "formula",
                f.name,
                "text that does not begin with '=', '+', '-', '@', a tab or a carriage return: "
                "a spreadsheet opening the CSV download would run such a cell as a formula "
                "(CSV injection); reword it to begin otherwise",
            )
    else:  # read_package refuses other types; this guards a hand-made Field
        raise ValueError(f"{table.file}: field {f.name} has unsupported type {f.type!r} in datapackage.json")

    if "minimum" in c or "maximum" in c:
        lo, hi = c.get("minimum"), c.get("maximum")
        if f.type == "date":  # NaT compares false, as NaN does below
            values = typed.to_numpy(dtype="datetime64[ns]")
            bounds = [None if b is None else np.datetime64(b, "ns") for b in (lo, hi)]
        else:
            values = typed.to_numpy(dtype="float64", na_value=np.nan)
            bounds = [lo, hi]
        out = np.zeros(len(values), dtype=bool)
        if bounds[0] is not None:
            out |= values < bounds[0]
        if bounds[1] is not None:
            out |= values > bounds[1]
        kind = (
            "a date"
            if f.type == "date"
            else ("a non-negative whole number" if lo == 0 and f.type == "integer" else "a value")
        )
        if out.any():
            issues += _bad_rows(table, out, "range", f.name, f"{kind}{_range_text(f)}")
            typed = typed.mask(out)
    if "enum" in c:
        if f.type == "string":
            position = {v: i for i, v in enumerate(c["enum"])}
            cat_codes = np.fromiter((position.get(u, -1) for u in uniques), dtype="int64", count=len(uniques))[codes]
            bad = present & (cat_codes < 0)
            typed = pd.Series(pd.Categorical.from_codes(cat_codes, categories=c["enum"]), index=index, name=f.name)
        else:
            bad = present & ~bad_value & ~typed.isin(c["enum"]).fillna(False).to_numpy(dtype=bool)
            typed = typed.mask(bad)
        issues += _bad_rows(table, bad, "enum", f.name, "one of: " + ", ".join(map(str, c["enum"])))
    if "pattern" in c:
        if _all_match(c["pattern"], uniques[uniques != ""]):
            bad = np.zeros(len(raw), dtype=bool)
        else:
            pattern = re.compile(c["pattern"])
            bad = present & ~_per_value(codes, uniques, lambda u: pattern.fullmatch(u) is not None)
        issues += _bad_rows(
            table, bad, "pattern", f.name, f"text matching the pattern {c['pattern']}", explain=why_not_matching
        )
    if c.get("unique"):
        dup = present & (np.bincount(codes, minlength=len(uniques)) > 1)[codes]
        issues += _bad_rows(table, dup, "unique", f.name, "a value no other row has in this column")
    return typed.rename(f.name), issues


def check_primary_key(table: RawTable) -> list[Issue]:
    """Rows whose primary key repeats another row's."""
    key = list(table.resource.primary_key)
    if not key:
        return []
    if len(key) == 1:
        codes, uniques = table.distinct(key[0])
        if len(uniques) == len(codes):  # every key distinct: the usual case, decided without a scan
            return []
    dup = table.frame.duplicated(subset=key, keep="first")
    if not dup.any():
        return []
    first = table.frame.drop_duplicates(subset=key, keep="first")
    # Name the earlier row each duplicate repeats, so the reader can compare the two.
    keyed = first.reset_index().set_index(key)["row"]
    out: list[Issue] = []
    for row in dup[dup].index[:MAX_ROWS_PER_PROBLEM]:
        values = tuple(table.frame.loc[row, key])
        earlier = keyed.loc[values if len(key) > 1 else values[0]]
        out.append(
            Issue(
                "error",
                "primary-key",
                table.file,
                int(row),
                ",".join(key),
                "|".join(values),
                f"a key no other row has (row {int(earlier)} has it too)",
                int(table.lines.at[row]),
            )
        )
    return out


def check_foreign_keys(table: RawTable, tables: dict[str, RawTable]) -> list[Issue]:
    """Values that point at a row that does not exist in the referenced file."""
    out: list[Issue] = []
    for fk in table.resource.foreign_keys:
        target = tables.get(fk.resource)
        if target is None:
            continue  # the referenced file has its own (structural) error already
        if len(fk.fields) > 1:
            known = set(target.frame[list(fk.reference_fields)].itertuples(index=False, name=None))
            values = table.frame[list(fk.fields)].apply(tuple, axis=1)
            present = ~table.frame[list(fk.fields)].eq("").any(axis=1)
            bad = (present & ~values.isin(known)).to_numpy()
        else:
            # Compare distinct values only: each side is hashed once.
            codes, uniques = table.distinct(fk.fields[0])
            found = (target.lookup(fk.reference_fields[0]).get_indexer(uniques) >= 0) | (uniques == "")
            bad = ~found[codes]
        column = ",".join(fk.fields)
        out += _bad_rows(
            table, bad, "foreign-key", column, f"an existing {'/'.join(fk.reference_fields)} in {target.file}"
        )
    return out


# --------------------------------------------------------------------------- rules a schema cannot state

Rule = Callable[[RawTable, pd.DataFrame], list[Issue]]


def _has(frame: pd.DataFrame, *cols: str) -> bool:
    return all(c in frame.columns for c in cols)


def rule_dates_in_order(table: RawTable, typed: pd.DataFrame) -> list[Issue]:
    """An end date (or release date) is never before the start date."""
    out: list[Issue] = []
    for start, end in (("date", "end_date"), ("date", "held_until")):
        if _has(typed, start, end):
            bad = (typed[end] < typed[start]).fillna(False)
            out += _bad_rows(table, bad, "date-order", end, f"a date on or after '{start}'")
    return out


def rule_date_precision(table: RawTable, typed: pd.DataFrame) -> list[Issue]:
    """A month-precision date is the 1st of its month; a year-precision date is 1 January."""
    if not _has(typed, "date", "date_precision"):
        return []
    prec = typed["date_precision"].astype(object)
    d = typed["date"]
    bad_month = (prec.eq("month") & d.dt.day.ne(1)).fillna(False)
    bad_year = (prec.eq("year") & (d.dt.day.ne(1) | d.dt.month.ne(1))).fillna(False)
    return _bad_rows(
        table, bad_month, "date-precision", "date", "the 1st of the month (date_precision is month)"
    ) + _bad_rows(table, bad_year, "date-precision", "date", "1 January (date_precision is year)")


def rule_count_ranges(table: RawTable, typed: pd.DataFrame) -> list[Issue]:
    """count_max >= count; a range has both ends and only a range has count_max."""
    out: list[Issue] = []
    for lo, hi in (("count", "count_max"), ("participants_min", "participants_max")):
        if _has(typed, lo, hi):
            bad = (typed[hi] < typed[lo]).fillna(False)
            out += _bad_rows(table, bad, "count-order", hi, f"a number at least '{lo}'")
    if _has(typed, "count", "count_max", "qualifier"):
        q = typed["qualifier"].astype(object)
        out += _bad_rows(
            table,
            q.eq("range") & typed["count_max"].isna(),
            "range-ends",
            "count_max",
            "a high end, because qualifier is 'range'",
        )
        out += _bad_rows(
            table,
            q.ne("range") & typed["count_max"].notna() & q.notna(),
            "range-ends",
            "qualifier",
            "'range', because count_max is given",
        )
    return out


def rule_minors(table: RawTable, typed: pd.DataFrame) -> list[Issue]:
    """Ages under 18 exactly when is_minor; a minor carries a neutral label, no name, no aliases."""
    if not _has(typed, "is_minor", "age", "name", "aliases"):
        return []
    minor = typed["is_minor"].fillna(False).astype(bool)
    age = typed["age"]
    out = _bad_rows(
        table, minor & (age >= 18).fillna(False), "minor-age", "age", "an age under 18, because is_minor is true"
    )
    out += _bad_rows(
        table, ~minor & (age < 18).fillna(False), "minor-age", "is_minor", "true, because the age is under 18"
    )
    label = typed["name"].astype(object).fillna("").str.match(r"Minor\b")
    out += _bad_rows(
        table, minor & ~label, "minor-named", "name", "a neutral label starting 'Minor' (children are never named)"
    )
    out += _bad_rows(
        table,
        minor & typed["aliases"].notna(),
        "minor-named",
        "aliases",
        "no aliases for a minor (children are never named)",
    )
    return out


def _alias_keys(names: pd.Series, aliases: pd.Series) -> pd.DataFrame:
    """Every (row, normalised spelling) pair: the name and each `|`-separated alias."""
    spelled = pd.concat([names.astype(object), aliases.astype(object).dropna().str.split("|").explode()])
    spelled = spelled.dropna()
    norm = spelled.str.strip().str.casefold().str.replace(r"\s+", " ", regex=True)
    pairs = pd.DataFrame(
        {"row": spelled.index.to_numpy(), "spelling": norm.to_numpy(), "original": spelled.str.strip().to_numpy()}
    )
    return pairs.drop_duplicates(["row", "spelling"])


def rule_unique_spellings(table: RawTable, typed: pd.DataFrame) -> list[Issue]:
    """No spelling (name or alias) belongs to two rows: one entity, one row."""
    if not _has(typed, "name", "aliases"):
        return []
    pairs = _alias_keys(typed["name"], typed["aliases"])
    shared = pairs[pairs.duplicated("spelling", keep=False)]
    out: list[Issue] = []
    for _, group in shared.groupby("spelling"):
        group = group.sort_values("row")
        rows = [int(r) for r in group["row"]]
        for row, original in zip(rows[1:], group["original"].iloc[1:]):
            out.append(
                Issue(
                    "error",
                    "shared-alias",
                    table.file,
                    row,
                    "aliases",
                    str(original),
                    f"a spelling used by no other row (row {rows[0]} has it too)",
                    int(table.lines.at[row]),
                )
            )
    return out


def rule_person_counts(table: RawTable, typed: pd.DataFrame) -> list[Issue]:
    """A detention row naming one person counts exactly 1, exactly."""
    if not _has(typed, "actor_id", "count", "qualifier"):
        return []
    named = typed["actor_id"].notna()
    return _bad_rows(
        table,
        named & typed["count"].ne(1).fillna(False),
        "person-count",
        "count",
        "1, because the row names one person (leave actor_id empty for a group)",
    ) + _bad_rows(
        table,
        named & typed["qualifier"].astype(object).ne("exact").fillna(False),
        "person-count",
        "qualifier",
        "'exact', because the row names one person",
    )


def rule_money_has_currency(table: RawTable, typed: pd.DataFrame) -> list[Issue]:
    """An amount of money always comes with its currency, and a currency with an amount."""
    out: list[Issue] = []
    for amount, currency in (("bail_amount", "bail_currency"), ("fine_amount", "fine_currency")):
        if _has(typed, amount, currency):
            out += _bad_rows(
                table,
                typed[amount].notna() & typed[currency].isna(),
                "currency",
                currency,
                f"a currency, because '{amount}' is given",
            )
            out += _bad_rows(
                table,
                typed[amount].isna() & typed[currency].notna(),
                "currency",
                amount,
                f"an amount, because '{currency}' is given",
            )
    return out


def rule_sentence_outcomes(table: RawTable, typed: pd.DataFrame) -> list[Issue]:
    """An acquittal carries no penalty; an upheld verdict names the sentence it upholds."""
    if not _has(typed, "outcome", "prison_months", "lashes", "fine_amount", "appeal_of"):
        return []
    outcome = typed["outcome"].astype(object)
    penalty = (
        typed["prison_months"].notna()
        | typed["prison_days"].notna()
        | typed["lashes"].notna()
        | typed["fine_amount"].notna()
    )
    return _bad_rows(
        table,
        outcome.eq("acquitted") & penalty,
        "acquittal",
        "outcome",
        "no prison term, lashes or fine on an acquittal",
    ) + _bad_rows(
        table,
        outcome.eq("upheld") & typed["appeal_of"].isna(),
        "appeal",
        "appeal_of",
        "the sentence_id that the appeal upheld",
    )


RULES: tuple[Rule, ...] = (
    rule_dates_in_order,
    rule_date_precision,
    rule_count_ranges,
    rule_minors,
    rule_unique_spellings,
    rule_person_counts,
    rule_money_has_currency,
    rule_sentence_outcomes,
)


def check_table(table: RawTable, rules: Iterable[Rule] = RULES) -> tuple[pd.DataFrame, list[Issue]]:
    """Type every column, check constraints, the primary key and the row rules; return (typed, issues)."""
    issues: list[Issue] = []
    columns = {}
    for f in table.resource.fields:
        typed_col, found = parse_field(table, f)
        columns[f.name] = typed_col
        issues += found
    typed = pd.DataFrame(columns, index=table.frame.index, copy=False)
    issues += check_primary_key(table)
    for rule in rules:
        issues += rule(table, typed)
    return typed, issues


def key_columns(package: DataPackage, names: Iterable[str] | None = None) -> dict[str, set[str]]:
    """Per resource, the columns that foreign keys (of the named resources, default all) compare."""
    wanted = set(package.resource_names if names is None else names)
    out: dict[str, set[str]] = {name: set() for name in package.resource_names}
    for r in package.resources:
        if r.name not in wanted:
            continue
        for fk in r.foreign_keys:
            out[r.name].update(fk.fields)
            out[fk.resource].update(fk.reference_fields)
    return out


def read_all_raw(package: DataPackage, names: Iterable[str] | None = None) -> tuple[dict[str, RawTable], list[Issue]]:
    """Read the named resources (default: all) as raw string tables."""
    tables: dict[str, RawTable] = {}
    issues: list[Issue] = []
    for name in names if names is not None else package.resource_names:
        raw, found = read_raw(package.resource(name), package.directory)
        issues += found
        if raw is not None:
            tables[name] = raw
    return tables, issues
