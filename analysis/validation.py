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
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from .schema import DataPackage, Field, Resource

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

    @property
    def file(self) -> str:
        return self.resource.path


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
    row_counts: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Discrepancy]:
        return list(self.discrepancies)

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
        out.append(f"{len(self.warnings)} discrepancy warning(s): the sources disagree; every version is kept")
        out.extend(f"  {i}" for i in self.warnings)
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


def read_raw(resource: Resource, directory: Path) -> tuple[RawTable | None, list[Issue]]:
    """Read one CSV as strings; structural problems (missing file, bad encoding, ragged rows) are issues."""
    file = resource.path
    path = directory / resource.path
    issues: list[Issue] = []

    def err(check: str, expected: str, row: int | None = None, column: str | None = None,
            value: str | None = None, line: int | None = None) -> None:
        issues.append(Issue("error", check, file, row, column, value, expected, line))

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        err("file-exists", f"the file {path} to exist (it is declared in datapackage.json)")
        return None, issues
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        err("encoding", "UTF-8 text", line=line, value=repr(data[exc.start: exc.end]))
        return None, issues
    if text.startswith("\ufeff"):
        text = text[1:]

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        err("header", "a header row naming the columns")
        return None, issues
    except csv.Error as exc:
        err("csv-syntax", f"well-formed CSV ({exc})", line=1)
        return None, issues

    declared = resource.field_names
    for name in declared:
        if name not in header:
            err("missing-column", f"a column named '{name}' (declared in datapackage.json)", column=name)
    for name in header:
        if name not in declared:
            err("unknown-column", f"only the declared columns: {', '.join(declared)}", column=name, value=name)
    dupes = {h for h in header if header.count(h) > 1}
    for name in sorted(dupes):
        err("duplicate-column", "each column once in the header", column=name, value=name)
    if issues:
        return None, issues
    fast = _read_fast(text, header)
    if fast is not None:
        frame = fast[declared]
        return RawTable(resource, frame, pd.Series(frame.index + 1, index=frame.index, dtype="int64")), issues

    rows: list[list[str]] = []
    lines: list[int] = []
    index: list[int] = []
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
            err("row-length", f"{len(header)} fields, as in the header",
                row=row_no, value=f"{len(record)} fields", line=start_line)
            continue
        rows.append(record)
        lines.append(start_line)
        index.append(row_no)
    frame = pd.DataFrame(rows, columns=header, index=pd.Index(index, name="row"), dtype=object)
    if frame.empty:
        frame = pd.DataFrame({h: pd.Series([], dtype=object) for h in header})
        frame.index.name = "row"
    frame = frame[declared]
    return RawTable(resource, frame, pd.Series(lines, index=frame.index, dtype="int64")), issues


def _read_fast(text: str, header: list[str]) -> pd.DataFrame | None:
    """Read all rows at once when every row has the header's length and no field spans lines.

    Returns None when that does not hold, or the CSV is malformed: the exact path (row by row)
    then reports each problem with its line. When it holds, physical line = row + 1 for every row.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)[1:]
    except csv.Error:
        return None
    if any(len(r) != len(header) for r in records):
        return None
    if reader.line_num != len(records) + 1:  # a quoted field spans lines, or blank lines
        return None
    columns = list(zip(*records)) if records else [() for _ in header]
    frame = pd.DataFrame({h: pd.array(list(col), dtype=object) for h, col in zip(header, columns)})
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    return frame


# --------------------------------------------------------------------------- field checks

_INT = re.compile(r"[+-]?\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _bad_rows(table: RawTable, mask: pd.Series, check: str, column: str, expected: str) -> list[Issue]:
    """One issue per flagged row (up to the cap), then one summary issue for the rest."""
    flagged = mask[mask.fillna(False).astype(bool)].index
    out: list[Issue] = []
    for row in flagged[:MAX_ROWS_PER_PROBLEM]:
        value = table.frame.at[row, column] if column in table.frame.columns else None
        out.append(Issue("error", check, table.file, int(row), column, value, expected,
                         int(table.lines.at[row])))
    extra = len(flagged) - MAX_ROWS_PER_PROBLEM
    if extra > 0:
        out.append(Issue("error", check, table.file, None, column, None,
                         f"{expected} (and {extra} more rows with the same problem)"))
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


def parse_field(table: RawTable, f: Field) -> tuple[pd.Series, list[Issue]]:
    """Check one column against its declared type and constraints; return it typed (bad values as NA)."""
    raw = table.frame[f.name].astype(object)
    missing = raw.eq("")
    issues: list[Issue] = []
    if f.required:
        issues += _bad_rows(table, missing, "required", f.name, "a value (this column is required)")

    present = ~missing
    if f.type == "integer":
        ok = raw.str.fullmatch(_INT.pattern).fillna(False)
        issues += _bad_rows(table, present & ~ok, "type", f.name, f"a whole number{_range_text(f)}")
        typed = pd.to_numeric(raw.where(present & ok), errors="coerce").astype("Int64")
    elif f.type == "number":
        typed = pd.to_numeric(raw.where(present), errors="coerce").astype("Float64")
        issues += _bad_rows(table, present & typed.isna(), "type", f.name, f"a number{_range_text(f)}")
    elif f.type == "boolean":
        truth = raw.isin(f.true_values)
        falsity = raw.isin(f.false_values)
        allowed = " or ".join(repr(v) for v in (*f.true_values, *f.false_values))
        issues += _bad_rows(table, present & ~truth & ~falsity, "type", f.name, f"a boolean: {allowed}")
        typed = pd.Series(pd.NA, index=raw.index, dtype="boolean")
        typed[truth] = True
        typed[falsity] = False
    elif f.type == "date":
        shaped = raw.str.fullmatch(_DATE.pattern).fillna(False)
        typed = pd.to_datetime(raw.where(present & shaped), format="%Y-%m-%d", errors="coerce")
        issues += _bad_rows(table, present & typed.isna(), "type", f.name,
                            f"a real calendar date written YYYY-MM-DD{_range_text(f)}")
    elif f.type == "string":
        typed = raw.where(present, pd.NA).astype("string")
    else:
        raise ValueError(f"{table.file}: field {f.name} has unsupported type {f.type!r} in datapackage.json")

    c = f.constraints
    if "minimum" in c or "maximum" in c:
        lo, hi = c.get("minimum"), c.get("maximum")
        if f.type == "date":
            lo = pd.Timestamp(lo) if lo is not None else None
            hi = pd.Timestamp(hi) if hi is not None else None
        out = pd.Series(False, index=raw.index)
        if lo is not None:
            out |= (typed < lo).fillna(False).astype(bool)
        if hi is not None:
            out |= (typed > hi).fillna(False).astype(bool)
        kind = "a date" if f.type == "date" else ("a non-negative whole number" if lo == 0 and f.type == "integer" else "a value")
        issues += _bad_rows(table, out, "range", f.name, f"{kind}{_range_text(f)}")
        typed = typed.mask(out)
    if "enum" in c:
        bad = present & ~raw.isin(c["enum"])
        issues += _bad_rows(table, bad, "enum", f.name, "one of: " + ", ".join(c["enum"]))
        typed = pd.Categorical(typed.where(~bad).astype(object).where(present & ~bad, None),
                               categories=c["enum"])
        typed = pd.Series(typed, index=raw.index, name=f.name)
    if "pattern" in c:
        bad = present & ~raw.str.fullmatch(c["pattern"]).fillna(False)
        issues += _bad_rows(table, bad, "pattern", f.name, f"text matching the pattern {c['pattern']}")
    if c.get("unique"):
        dup = present & raw.duplicated(keep=False)
        issues += _bad_rows(table, dup, "unique", f.name, "a value no other row has in this column")
    return typed.rename(f.name), issues


def check_primary_key(table: RawTable) -> list[Issue]:
    """Rows whose primary key repeats another row's."""
    key = list(table.resource.primary_key)
    if not key:
        return []
    dup = table.frame.duplicated(subset=key, keep="first")
    first = table.frame.drop_duplicates(subset=key, keep="first")
    # Name the earlier row each duplicate repeats, so the reader can compare the two.
    keyed = first.reset_index().set_index(key)["row"]
    out: list[Issue] = []
    for row in dup[dup].index[:MAX_ROWS_PER_PROBLEM]:
        values = tuple(table.frame.loc[row, key])
        earlier = keyed.loc[values if len(key) > 1 else values[0]]
        out.append(Issue("error", "primary-key", table.file, int(row), ",".join(key),
                         "|".join(values), f"a key no other row has (row {int(earlier)} has it too)",
                         int(table.lines.at[row])))
    return out


def check_foreign_keys(table: RawTable, tables: dict[str, RawTable]) -> list[Issue]:
    """Values that point at a row that does not exist in the referenced file."""
    out: list[Issue] = []
    for fk in table.resource.foreign_keys:
        target = tables.get(fk.resource)
        if target is None:
            continue  # the referenced file has its own (structural) error already
        ref = target.frame[list(fk.reference_fields)].apply(tuple, axis=1) if len(fk.fields) > 1 \
            else target.frame[fk.reference_fields[0]]
        known = set(ref)
        if len(fk.fields) > 1:
            values = table.frame[list(fk.fields)].apply(tuple, axis=1)
            present = ~table.frame[list(fk.fields)].eq("").any(axis=1)
        else:
            values = table.frame[fk.fields[0]]
            present = values.ne("")
        bad = present & ~values.isin(known)
        column = ",".join(fk.fields)
        out += _bad_rows(table, bad, "foreign-key", column,
                         f"an existing {'/'.join(fk.reference_fields)} in {target.file}")
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
    return (_bad_rows(table, bad_month, "date-precision", "date", "the 1st of the month (date_precision is month)")
            + _bad_rows(table, bad_year, "date-precision", "date", "1 January (date_precision is year)"))


def rule_count_ranges(table: RawTable, typed: pd.DataFrame) -> list[Issue]:
    """count_max >= count; a range has both ends and only a range has count_max."""
    out: list[Issue] = []
    for lo, hi in (("count", "count_max"), ("participants_min", "participants_max")):
        if _has(typed, lo, hi):
            bad = (typed[hi] < typed[lo]).fillna(False)
            out += _bad_rows(table, bad, "count-order", hi, f"a number at least '{lo}'")
    if _has(typed, "count", "count_max", "qualifier"):
        q = typed["qualifier"].astype(object)
        out += _bad_rows(table, q.eq("range") & typed["count_max"].isna(), "range-ends", "count_max",
                         "a high end, because qualifier is 'range'")
        out += _bad_rows(table, q.ne("range") & typed["count_max"].notna() & q.notna(), "range-ends", "qualifier",
                         "'range', because count_max is given")
    return out


def rule_minors(table: RawTable, typed: pd.DataFrame) -> list[Issue]:
    """Ages under 18 exactly when is_minor; a minor carries a neutral label, no name, no aliases."""
    if not _has(typed, "is_minor", "age", "name", "aliases"):
        return []
    minor = typed["is_minor"].fillna(False).astype(bool)
    age = typed["age"]
    out = _bad_rows(table, minor & (age >= 18).fillna(False), "minor-age", "age",
                    "an age under 18, because is_minor is true")
    out += _bad_rows(table, ~minor & (age < 18).fillna(False), "minor-age", "is_minor",
                     "true, because the age is under 18")
    label = typed["name"].astype(object).fillna("").str.match(r"Minor\b")
    out += _bad_rows(table, minor & ~label, "minor-named", "name",
                     "a neutral label starting 'Minor' (children are never named)")
    out += _bad_rows(table, minor & typed["aliases"].notna(), "minor-named", "aliases",
                     "no aliases for a minor (children are never named)")
    return out


def _alias_keys(names: pd.Series, aliases: pd.Series) -> pd.DataFrame:
    """Every (row, normalised spelling) pair: the name and each `|`-separated alias."""
    spelled = pd.concat([names.astype(object), aliases.astype(object).dropna().str.split("|").explode()])
    spelled = spelled.dropna()
    norm = spelled.str.strip().str.casefold().str.replace(r"\s+", " ", regex=True)
    pairs = pd.DataFrame({"row": spelled.index.to_numpy(), "spelling": norm.to_numpy(),
                          "original": spelled.str.strip().to_numpy()})
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
            out.append(Issue("error", "shared-alias", table.file, row, "aliases", str(original),
                             f"a spelling used by no other row (row {rows[0]} has it too)",
                             int(table.lines.at[row])))
    return out


def rule_person_counts(table: RawTable, typed: pd.DataFrame) -> list[Issue]:
    """A detention row naming one person counts exactly 1, exactly."""
    if not _has(typed, "actor_id", "count", "qualifier"):
        return []
    named = typed["actor_id"].notna()
    return (_bad_rows(table, named & typed["count"].ne(1).fillna(False), "person-count", "count",
                      "1, because the row names one person (leave actor_id empty for a group)")
            + _bad_rows(table, named & typed["qualifier"].astype(object).ne("exact").fillna(False),
                        "person-count", "qualifier", "'exact', because the row names one person"))


def rule_money_has_currency(table: RawTable, typed: pd.DataFrame) -> list[Issue]:
    """An amount of money always comes with its currency, and a currency with an amount."""
    out: list[Issue] = []
    for amount, currency in (("bail_amount", "bail_currency"), ("fine_amount", "fine_currency")):
        if _has(typed, amount, currency):
            out += _bad_rows(table, typed[amount].notna() & typed[currency].isna(), "currency", currency,
                             f"a currency, because '{amount}' is given")
            out += _bad_rows(table, typed[amount].isna() & typed[currency].notna(), "currency", amount,
                             f"an amount, because '{currency}' is given")
    return out


def rule_sentence_outcomes(table: RawTable, typed: pd.DataFrame) -> list[Issue]:
    """An acquittal carries no penalty; an upheld verdict names the sentence it upholds."""
    if not _has(typed, "outcome", "prison_months", "lashes", "fine_amount", "appeal_of"):
        return []
    outcome = typed["outcome"].astype(object)
    penalty = typed["prison_months"].notna() | typed["prison_days"].notna() | typed["lashes"].notna() \
        | typed["fine_amount"].notna()
    return (_bad_rows(table, outcome.eq("acquitted") & penalty, "acquittal", "outcome",
                      "no prison term, lashes or fine on an acquittal")
            + _bad_rows(table, outcome.eq("upheld") & typed["appeal_of"].isna(), "appeal", "appeal_of",
                        "the sentence_id that the appeal upheld"))


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
    typed = pd.DataFrame(columns, index=table.frame.index)
    issues += check_primary_key(table)
    for rule in rules:
        issues += rule(table, typed)
    return typed, issues


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
