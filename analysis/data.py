"""Load the data package as typed pandas DataFrames, refusing data with errors.

Types come from ``datapackage.json``: dates become datetimes, counts nullable integers
(``Int64``), booleans nullable booleans, vocabularies categoricals, text pandas strings.
The index of every table is its data row number in the CSV (1-based), so any row can be
traced back to the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .discrepancies import find_discrepancies, find_duplicates, finder_columns
from .schema import DataPackage, read_package
from .validation import DataError, RawTable, ValidationReport, check_foreign_keys, check_table, key_columns, read_raw
from .words import myst_text

Tables = dict[str, pd.DataFrame]


def default_data_dir() -> Path:
    """The ``data/`` folder of this repository."""
    return Path(__file__).resolve().parent.parent / "data"


def _package(data_dir: str | Path | None) -> DataPackage:
    return read_package(default_data_dir() if data_dir is None else Path(data_dir))


def _check(
    package: DataPackage,
    names: list[str],
    needed: list[str],
    keep: Callable[[str, pd.DataFrame], pd.DataFrame] | None = None,
) -> tuple[Tables, dict[str, int], list]:
    """Read the ``needed`` tables, check and type the named ones, check their foreign keys.

    Returns (typed tables, row counts per file, issues). Each table's raw text is dropped as soon
    as it is typed (only its key columns' distinct values stay for the foreign-key checks), so
    memory holds one table's raw text at a time; ``keep`` trims each typed table once checked.
    """
    keys = key_columns(package, names)
    raw: dict[str, RawTable] = {}
    typed: Tables = {}
    counts: dict[str, int] = {}
    issues: list = []
    for name in needed:
        table, found = read_raw(package.resource(name), package.directory)
        issues += found
        if table is None:
            continue
        if name in names:
            typed[name], found = check_table(table)
            if keep is not None:
                typed[name] = keep(name, typed[name])
            issues += found
            counts[table.file] = len(table.frame)
        table.release(keys[name])
        raw[name] = table
    for name in names:
        if name in raw:
            issues += check_foreign_keys(raw[name], raw)
    return typed, counts, issues


def _check_all(
    package: DataPackage, keep: Callable[[str, pd.DataFrame], pd.DataFrame] | None = None
) -> tuple[Tables, dict[str, int], list]:
    """Read, check and type every table: (typed tables, row counts per file, issues)."""
    return _check(package, package.resource_names, package.resource_names, keep)


def validate(data_dir: str | Path | None = None) -> ValidationReport:
    """Check every file of the package; list errors, and discrepancies between sources as warnings."""
    package = _package(data_dir)
    # Only what the finders read is kept of each typed table: a large package fits in memory.
    typed, counts, issues = _check_all(package, keep=finder_columns)
    report = ValidationReport(data_dir=package.directory, issues=issues, row_counts=counts)
    # Bad values are NA in the typed frames and unreadable files are absent: the finders skip both.
    report.discrepancies = find_discrepancies(typed)
    report.duplicates = find_duplicates(typed)
    return report


def load_table(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """One table of the package, typed; raise DataError naming every problem in it or its references."""
    return load_tables([name], data_dir)[name]


def load_tables(names: list[str] | tuple[str, ...], data_dir: str | Path | None = None) -> Tables:
    """The named tables, typed; only they and the tables their foreign keys point to are read.

    A chapter loads its data with one call, so what it reads is exactly what it declares.
    Raise DataError on any error in them or their references, KeyError for an unknown name.
    """
    package = _package(data_dir)
    needed = dict.fromkeys(names)
    for name in names:
        needed.update(dict.fromkeys(fk.resource for fk in package.resource(name).foreign_keys))
    typed, _, issues = _check(package, list(dict.fromkeys(names)), list(needed))
    if issues:
        raise DataError(issues)
    return {name: typed[name] for name in names}


def load_all(data_dir: str | Path | None = None) -> Tables:
    """Every table of the package, typed, keyed by resource name; raise DataError on any error."""
    typed, _, issues = _check_all(_package(data_dir))
    if issues:
        raise DataError(issues)
    return typed


def package_summary(data_dir: str | Path | None = None) -> pd.DataFrame:
    """One row per file of the package: its title, row count and description (from datapackage.json)."""
    package = _package(data_dir)
    tables = load_all(package.directory)
    return pd.DataFrame(
        [
            {"file": r.path, "title": r.title, "rows": len(tables[r.name]), "description": r.description}
            for r in package.resources
        ]
    )


def _constraint_text(constraints: dict, labels: dict[str, str] | None = None) -> str:
    parts = []
    if "enum" in constraints:
        plain = {str(v): str(v).replace("-", " ").lower() for v in constraints["enum"]}
        shown = [
            f"{v} ({labels[v]})"
            if labels and v in labels and labels[v].replace("-", " ").lower() != plain[str(v)]
            else str(v)
            for v in constraints["enum"]
        ]
        parts.append("one of: " + ", ".join(shown))
    for key, label in (("minimum", "min"), ("maximum", "max"), ("pattern", "pattern")):
        if key in constraints:
            parts.append(f"{label} {constraints[key]}")
    if constraints.get("unique"):
        parts.append("unique")
    return "; ".join(parts)


def data_dictionary(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every column of every file, as datapackage.json declares it: type, required, key, constraints (an enumerated
    value with its label where the descriptor gives one), meaning."""
    package = _package(data_dir)
    rows = []
    for r in package.resources:
        references = {f: fk for fk in r.foreign_keys for f in fk.fields}
        for f in r.fields:
            key = "primary key" if f.name in r.primary_key else ""
            if f.name in references:
                fk = references[f.name]
                key = f"→ {fk.resource}.{', '.join(fk.reference_fields)}"
            rows.append(
                {
                    "file": r.path,
                    "column": f.name,
                    "type": f.type,
                    "required": "yes" if f.required else "",
                    "key": key,
                    "constraints": _constraint_text(f.constraints, f.labels),
                    "description": f.description,
                }
            )
    return pd.DataFrame(rows)


def download_links(data_dir: str | Path | None = None, relative_to: str = "../data") -> str:
    """MyST text with one {download} link per file of the package (and the descriptor), with titles.

    Paths are plain file names (read_package refuses any other); titles are escaped (words.myst_text),
    so the descriptor's text cannot add a role, a directive or HTML to the page.
    """
    package = _package(data_dir)
    lines = [f"- {{download}}`{r.path} <{relative_to}/{r.path}>`: {myst_text(r.title)}" for r in package.resources]
    lines.append(f"- {{download}}`datapackage.json <{relative_to}/datapackage.json>`: the schema of every file")
    return "\n".join(lines)
