"""Read the Frictionless descriptor ``data/datapackage.json``: the one copy of the schema.

Everything that knows a column's type, vocabulary or key asks this module, which only
reads what the descriptor declares; nothing here repeats the schema in Python.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DESCRIPTOR = "datapackage.json"
#: A resource's path: a plain file name inside the package's folder (no folder, no '..', no URL).
PLAIN_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")

#: Field types this package's validator reads; the other Table Schema types are refused by name.
SUPPORTED_TYPES = ("string", "integer", "number", "boolean", "date")
TABLE_SCHEMA_TYPES = (
    "string",
    "number",
    "integer",
    "boolean",
    "object",
    "array",
    "date",
    "time",
    "datetime",
    "year",
    "yearmonth",
    "duration",
    "geopoint",
    "geojson",
    "any",
)
#: Constraints the validator checks; a descriptor declaring another would be silently unchecked, so it is refused.
SUPPORTED_CONSTRAINTS = ("required", "unique", "enum", "pattern", "minimum", "maximum")
#: Resource property (a custom one, which Frictionless ignores) that lets a CSV have a header and no rows.
ALLOW_EMPTY = "allowEmpty"


class DescriptorError(Exception):
    """The data package descriptor itself is missing or unreadable."""


@dataclass(frozen=True)
class Field:
    """One column of a resource, as the descriptor declares it."""

    name: str
    type: str
    description: str
    constraints: dict[str, Any]
    true_values: tuple[str, ...]
    false_values: tuple[str, ...]
    #: Readable names of the field's enumerated values ("k20:labels"), and adjective forms ("k20:adjectives").
    labels: dict[str, str] = field(default_factory=dict)
    adjectives: dict[str, str] = field(default_factory=dict)

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required", False))

    @property
    def enum(self) -> list[str] | None:
        return self.constraints.get("enum")


@dataclass(frozen=True)
class ForeignKey:
    """Columns of one resource that must match the key of another (or the same) resource."""

    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Resource:
    """One CSV file of the package with its Table Schema."""

    name: str
    path: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    allow_empty: bool = False

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")


@dataclass(frozen=True)
class DataPackage:
    """The parsed descriptor plus the folder it lives in."""

    directory: Path
    name: str
    resources: tuple[Resource, ...]
    raw: dict[str, Any]

    def resource(self, name: str) -> Resource:
        for r in self.resources:
            if r.name == name:
                return r
        known = ", ".join(r.name for r in self.resources)
        raise KeyError(f"no resource {name!r} in {self.directory / DESCRIPTOR}; known: {known}")

    @property
    def resource_names(self) -> list[str]:
        return [r.name for r in self.resources]


def _as_tuple(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


class _Where:
    """Names the place in the descriptor that a DescriptorError is about."""

    def __init__(self, path: Path, resource: str | None = None, field: str | None = None):
        self.path, self.resource, self.field = path, resource, field

    def error(self, problem: str) -> DescriptorError:
        where = [str(self.path)]
        if self.resource is not None:
            where.append(f"resource '{self.resource}'")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        return DescriptorError(", ".join(where) + ": " + problem)


def _check_bound(where: _Where, ftype: str, key: str, value: Any) -> None:
    if ftype == "date":
        ok = isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None
        if ok:
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                ok = False
        expected = "a date written YYYY-MM-DD"
    elif ftype in ("integer", "number"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        ok = ok and (ftype == "number" or float(value).is_integer())
        expected = "a whole number" if ftype == "integer" else "a finite number"
    else:
        ok, expected = False, "no minimum or maximum (only integer, number and date fields have one)"
    if not ok:
        raise where.error(f"constraint {key} is {value!r}; expected {expected}")


def _field(spec: Any, where: _Where) -> Field:
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not spec["name"]:
        raise where.error(f"field {spec!r} has no name; expected an object with a non-empty 'name'")
    where = _Where(where.path, where.resource, spec["name"])
    ftype = spec.get("type", "string")
    if ftype not in SUPPORTED_TYPES:
        kind = (
            "a Table Schema type that this package's validator does not support"
            if ftype in TABLE_SCHEMA_TYPES
            else "not a Table Schema type"
        )
        raise where.error(f"type {ftype!r} is {kind}; expected one of: {', '.join(SUPPORTED_TYPES)}")
    fmt = spec.get("format", "default")
    if fmt != "default":
        raise where.error(f"format {fmt!r} is not supported; expected no format (or 'default')")
    constraints = spec.get("constraints", {})
    if not isinstance(constraints, dict):
        raise where.error(f"constraints is {constraints!r}; expected an object")
    for key, value in constraints.items():
        if key not in SUPPORTED_CONSTRAINTS:
            raise where.error(
                f"constraint {key!r} is not checked by this validator; "
                f"expected only: {', '.join(SUPPORTED_CONSTRAINTS)}"
            )
        if key in ("required", "unique") and not isinstance(value, bool):
            raise where.error(f"constraint {key} is {value!r}; expected true or false")
        if key == "enum" and (
            not isinstance(value, list)
            or not value
            or (ftype == "string" and not all(isinstance(v, str) for v in value))
        ):
            raise where.error(f"constraint enum is {value!r}; expected a non-empty list of values of the field's type")
        if key == "enum" and len({repr(v) for v in value}) != len(value):
            raise where.error(f"constraint enum is {value!r}; expected each value once")
        if key == "pattern":
            if not isinstance(value, str):
                raise where.error(f"constraint pattern is {value!r}; expected a regular expression")
            try:
                re.compile(value)
            except re.error as exc:
                raise where.error(f"constraint pattern {value!r} is not a valid regular expression ({exc})") from None
        if key in ("minimum", "maximum"):
            _check_bound(where, ftype, key, value)
    true_values = spec.get("trueValues", ["true", "True", "TRUE", "1"])
    false_values = spec.get("falseValues", ["false", "False", "FALSE", "0"])
    for key, values in (("trueValues", true_values), ("falseValues", false_values)):
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise where.error(f"{key} is {values!r}; expected a list of strings")
    labels, adjectives = spec.get("k20:labels", {}), spec.get("k20:adjectives", {})
    for key, words in (("k20:labels", labels), ("k20:adjectives", adjectives)):
        if not isinstance(words, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in words.items()):
            raise where.error(f"{key} is {words!r}; expected an object from each value to its words")
    return Field(
        name=spec["name"],
        type=ftype,
        description=spec.get("description", ""),
        constraints=dict(constraints),
        true_values=tuple(true_values),
        false_values=tuple(false_values),
        labels=labels,
        adjectives=adjectives,
    )


def _names(value: Any, where: _Where, what: str) -> tuple[str, ...]:
    names = _as_tuple(value)
    if not names or not all(isinstance(n, str) for n in names):
        raise where.error(f"{what} is {value!r}; expected a field name or a list of field names")
    return names


def _resource(spec: Any, path: Path) -> Resource:
    if not isinstance(spec, dict):
        raise _Where(path).error(f"resource {spec!r} is not an object; expected name, path and schema")
    name = spec.get("name")
    if not isinstance(name, str) or not name:
        raise _Where(path).error("a resource without a name; expected name, path and schema")
    where = _Where(path, name)
    if not isinstance(spec.get("path"), str) or not spec["path"]:
        raise where.error(f"path is {spec.get('path')!r}; expected the CSV file's name")
    schema = spec.get("schema", {})
    if not isinstance(schema, dict) or not isinstance(schema.get("fields", []), list):
        raise where.error("schema is not an object with a list of fields")
    fields = tuple(_field(f, where) for f in schema.get("fields", []))
    names = [f.name for f in fields]
    for dupe in sorted({n for n in names if names.count(n) > 1}):
        raise _Where(path, name, dupe).error("declared twice; expected each field once")
    primary_key = _as_tuple(schema.get("primaryKey"))
    for key in primary_key:
        if key not in names:
            raise where.error(f"primaryKey names {key!r}, which is not a field of the resource")
    fks = []
    for fk in schema.get("foreignKeys", []):
        if not isinstance(fk, dict) or not isinstance(fk.get("reference"), dict):
            raise where.error(f"foreign key {fk!r}; expected fields and a reference (resource, fields)")
        ref = fk["reference"]
        fields_ = _names(fk.get("fields"), where, "a foreign key's fields")
        ref_fields = _names(ref.get("fields"), where, "a foreign key's reference fields")
        for f in fields_:
            if f not in names:
                raise where.error(f"a foreign key names {f!r}, which is not a field of the resource")
        if len(fields_) != len(ref_fields):
            raise where.error(
                f"foreign key {list(fields_)} -> {list(ref_fields)}; expected as many fields on each side"
            )
        fks.append(
            ForeignKey(
                fields=fields_,
                # Table Schema: an empty resource name refers to the same resource.
                resource=ref.get("resource") or spec["name"],
                reference_fields=ref_fields,
            )
        )
    allow_empty = spec.get(ALLOW_EMPTY, False)
    if not isinstance(allow_empty, bool):
        raise where.error(f"{ALLOW_EMPTY} is {allow_empty!r}; expected true or false")
    title = spec.get("title", name)
    if not isinstance(title, str):
        raise where.error(f"title is {title!r}; expected text")
    return Resource(
        name=spec["name"],
        path=spec["path"],
        title=title,
        description=spec.get("description", ""),
        fields=fields,
        primary_key=primary_key,
        foreign_keys=tuple(fks),
        allow_empty=allow_empty,
    )


def _check_references(resources: tuple[Resource, ...], path: Path) -> None:
    """Every foreign key points at a declared resource and at fields it has."""
    by_name: dict[str, Resource] = {}
    for r in resources:
        if r.name in by_name:
            raise _Where(path, r.name).error("declared twice; expected each resource once")
        by_name[r.name] = r
    for r in resources:
        for fk in r.foreign_keys:
            target = by_name.get(fk.resource)
            if target is None:
                raise _Where(path, r.name).error(
                    f"a foreign key on {', '.join(fk.fields)} points at resource {fk.resource!r}, which is not declared"
                )
            for f in fk.reference_fields:
                if f not in target.field_names:
                    raise _Where(path, r.name).error(
                        f"a foreign key on {', '.join(fk.fields)} points at {fk.resource}.{f}, which is not a field"
                    )


def read_package(data_dir: str | Path) -> DataPackage:
    """Parse and check ``datapackage.json`` in ``data_dir``; raise DescriptorError naming what is wrong and where."""
    directory = Path(data_dir)
    path = directory / DESCRIPTOR
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DescriptorError(f"{path}: not found; expected a Frictionless data package descriptor") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DescriptorError(f"{path}: not valid JSON ({exc})") from None
    except OSError as exc:
        raise DescriptorError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("resources"), list):
        raise DescriptorError(f"{path}: no list of resources; expected a Frictionless data package descriptor")
    resources = tuple(_resource(r, path) for r in raw["resources"])
    for r in resources:
        if not isinstance(r.path, str) or not PLAIN_FILE_NAME.fullmatch(r.path):
            raise DescriptorError(
                f"{path}: resource {r.name!r} has path {r.path!r}; expected a plain file name "
                f"inside {directory} (letters, digits, '.', '_', '-'; no folder, no '..')"
            )
    _check_references(resources, path)
    return DataPackage(directory=directory, name=raw.get("name", ""), resources=resources, raw=raw)


def value_labels(
    resource: str, column: str, data_dir: str | Path | None = None, kind: str = "labels"
) -> dict[str, str]:
    """The readable name of each enumerated value of one column, as the descriptor defines it (in its order).

    ``kind="adjectives"`` gives the adjective forms ('Azerbaijani') where the descriptor has them.
    Without ``data_dir``, the descriptor of the repository's ``data/`` folder.
    """
    folder = Path(__file__).resolve().parent.parent / "data" if data_dir is None else Path(data_dir)
    f = read_package(folder).resource(resource).field(column)
    if kind not in ("labels", "adjectives"):
        raise ValueError(f"kind={kind!r}: expected 'labels' or 'adjectives'")
    return dict(f.labels if kind == "labels" else f.adjectives)
