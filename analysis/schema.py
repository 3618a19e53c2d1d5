"""Read the Frictionless descriptor ``data/datapackage.json``: the one copy of the schema.

Everything that knows a column's type, vocabulary or key asks this module, which only
reads what the descriptor declares; nothing here repeats the schema in Python.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DESCRIPTOR = "datapackage.json"
#: A resource's path: a plain file name inside the package's folder (no folder, no '..', no URL).
PLAIN_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


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


def _field(spec: dict[str, Any]) -> Field:
    return Field(
        name=spec["name"],
        type=spec.get("type", "string"),
        description=spec.get("description", ""),
        constraints=dict(spec.get("constraints", {})),
        true_values=tuple(spec.get("trueValues", ["true", "True", "TRUE", "1"])),
        false_values=tuple(spec.get("falseValues", ["false", "False", "FALSE", "0"])),
        labels=dict(spec.get("k20:labels", {})),
        adjectives=dict(spec.get("k20:adjectives", {})),
    )


def _resource(spec: dict[str, Any]) -> Resource:
    schema = spec.get("schema", {})
    fks = []
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]
        fks.append(
            ForeignKey(
                fields=_as_tuple(fk["fields"]),
                # Table Schema: an empty resource name refers to the same resource.
                resource=ref.get("resource") or spec["name"],
                reference_fields=_as_tuple(ref["fields"]),
            )
        )
    return Resource(
        name=spec["name"],
        path=spec["path"],
        title=spec.get("title", spec["name"]),
        description=spec.get("description", ""),
        fields=tuple(_field(f) for f in schema.get("fields", [])),
        primary_key=_as_tuple(schema.get("primaryKey")),
        foreign_keys=tuple(fks),
    )


def read_package(data_dir: str | Path) -> DataPackage:
    """Parse ``datapackage.json`` in ``data_dir``; raise DescriptorError with the reason if it cannot."""
    directory = Path(data_dir)
    path = directory / DESCRIPTOR
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DescriptorError(f"{path}: not found; expected a Frictionless data package descriptor") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DescriptorError(f"{path}: not valid JSON ({exc})") from None
    try:
        resources = tuple(_resource(r) for r in raw["resources"])
    except (KeyError, TypeError) as exc:
        raise DescriptorError(f"{path}: resource without {exc}; expected name, path and schema") from None
    for r in resources:
        if not isinstance(r.path, str) or not PLAIN_FILE_NAME.fullmatch(r.path):
            raise DescriptorError(f"{path}: resource {r.name!r} has path {r.path!r}; expected a plain file name "
                                  f"inside {directory} (letters, digits, '.', '_', '-'; no folder, no '..')")
    return DataPackage(directory=directory, name=raw.get("name", ""), resources=resources, raw=raw)


def value_labels(resource: str, column: str, data_dir: str | Path | None = None,
                 kind: str = "labels") -> dict[str, str]:
    """The readable name of each enumerated value of one column, as the descriptor defines it (in its order).

    ``kind="adjectives"`` gives the adjective forms ('Azerbaijani') where the descriptor has them.
    Without ``data_dir``, the descriptor of the repository's ``data/`` folder.
    """
    folder = Path(__file__).resolve().parent.parent / "data" if data_dir is None else Path(data_dir)
    f = read_package(folder).resource(resource).field(column)
    if kind not in ("labels", "adjectives"):
        raise ValueError(f"kind={kind!r}: expected 'labels' or 'adjectives'")
    return dict(f.labels if kind == "labels" else f.adjectives)
