"""Row-level release notes: what changed in the data package between two versions, by primary key.

    python -m analysis diff OLD [NEW]

OLD and NEW are each a data folder (with its ``datapackage.json``) or a git revision of this
repository (its ``data/`` folder as committed then: ``HEAD~3``, ``main``, a tag); NEW defaults to
the working tree's ``data/``. Rows are matched by each resource's primary key as the NEW descriptor
declares it (or the OLD one, for a resource that no longer exists); cells are compared as the text
the CSV holds, so a change of quoting alone is no change. A resource without a primary key is
compared as whole rows.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .schema import DESCRIPTOR


class SnapshotError(Exception):
    """A version of the data package that cannot be read: no such folder, revision or file."""


@dataclass(frozen=True)
class Snapshot:
    """One version of the data package: its descriptor and each resource's CSV text, keyed by resource name."""

    label: str
    descriptor: dict
    texts: dict[str, str]

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", "unversioned"))


@dataclass
class ResourceDiff:
    """Rows of one resource added, removed and changed (with the fields that changed) between two versions."""

    name: str
    file: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    rows_old: int = 0
    rows_new: int = 0

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed or self.columns_added or self.columns_removed)

    def field_counts(self) -> Counter[str]:
        """How many changed rows each field changed in."""
        return Counter(f for fields in self.changed.values() for f in fields)


def _git(root: Path, *args: str) -> bytes:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    if done.returncode != 0:
        raise SnapshotError(done.stderr.decode(errors="replace").strip() or f"git {' '.join(args)} failed")
    return done.stdout


def _resources(descriptor: dict, label: str) -> list[tuple[str, str]]:
    try:
        return [(str(r["name"]), str(r["path"])) for r in descriptor["resources"]]
    except (KeyError, TypeError):
        raise SnapshotError(f"{label}: {DESCRIPTOR} has no readable list of resources (name and path)") from None


def _safe_path(path: str, label: str) -> str:
    if Path(path).is_absolute() or ".." in Path(path).parts:
        raise SnapshotError(f"{label}: resource path {path!r} leaves the data folder")
    return path


def snapshot(spec: str, repo: Path) -> Snapshot:
    """The data package in folder ``spec``, or else at git revision ``spec`` of ``repo`` (its ``data/``)."""
    folder = Path(spec)
    if folder.is_dir():
        try:
            descriptor = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SnapshotError(f"{folder / DESCRIPTOR}: cannot be read ({exc})") from None
        texts = {}
        for name, path in _resources(descriptor, spec):
            try:
                texts[name] = (folder / _safe_path(path, spec)).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise SnapshotError(f"{folder / path}: cannot be read ({exc})") from None
        return Snapshot(spec, descriptor, texts)
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
    except SnapshotError:
        raise SnapshotError(f"{spec!r} is neither a data folder nor a git revision of {repo}") from None
    prefix = (_git(repo, "rev-parse", "--show-prefix").decode().strip() + "data/").lstrip("/")
    try:
        descriptor = json.loads(_git(repo, "show", f"{spec}:{prefix}{DESCRIPTOR}").decode("utf-8"))
    except ValueError as exc:
        raise SnapshotError(f"{spec}:{prefix}{DESCRIPTOR} is not valid JSON ({exc})") from None
    texts = {
        name: _git(repo, "show", f"{spec}:{prefix}{_safe_path(path, spec)}").decode("utf-8-sig")
        for name, path in _resources(descriptor, spec)
    }
    return Snapshot(spec, descriptor, texts)


def _rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = [dict(r) for r in reader]
    return list(reader.fieldnames or []), rows


def _primary_key(descriptor: dict, name: str) -> list[str]:
    for r in descriptor.get("resources", []):
        if r.get("name") == name:
            key = r.get("schema", {}).get("primaryKey") or []
            return [key] if isinstance(key, str) else list(key)
    return []


def diff_resource(name: str, file: str, old: str | None, new: str | None, key: list[str]) -> ResourceDiff:
    """Compare two versions of one resource's CSV text (None: the resource does not exist in that version)."""
    old_cols, old_rows = _rows(old) if old is not None else ([], [])
    new_cols, new_rows = _rows(new) if new is not None else ([], [])
    out = ResourceDiff(
        name,
        file,
        rows_old=len(old_rows),
        rows_new=len(new_rows),
        columns_added=[c for c in new_cols if c not in old_cols] if old is not None else [],
        columns_removed=[c for c in old_cols if c not in new_cols] if new is not None else [],
    )
    usable = [k for k in key if k in old_cols or old is None] if key else []
    usable = [k for k in usable if k in new_cols or new is None]

    def ident(row: dict[str, str], columns: list[str]) -> str:
        if usable:
            return "|".join(row.get(k) or "" for k in usable)
        return ",".join(row.get(c) or "" for c in columns)

    before = {ident(r, old_cols): r for r in old_rows}
    after = {ident(r, new_cols): r for r in new_rows}
    out.added = [k for k in after if k not in before]
    out.removed = [k for k in before if k not in after]
    shared = [c for c in new_cols if c in old_cols]
    for k in after:
        if k in before:
            fields = [c for c in shared if (before[k].get(c) or "") != (after[k].get(c) or "")]
            if fields:
                out.changed[k] = fields
    return out


def diff_packages(old: Snapshot, new: Snapshot) -> list[ResourceDiff]:
    """Per resource (in the new package's order, then resources dropped), the rows added, removed and changed."""
    files = dict(_resources(old.descriptor, old.label))
    files.update(_resources(new.descriptor, new.label))
    names = [n for n, _ in _resources(new.descriptor, new.label)]
    names += [n for n, _ in _resources(old.descriptor, old.label) if n not in names]
    return [
        diff_resource(
            n,
            files[n],
            old.texts.get(n),
            new.texts.get(n),
            _primary_key(new.descriptor, n) or _primary_key(old.descriptor, n),
        )
        for n in names
    ]


def format_diff(old: Snapshot, new: Snapshot, diffs: list[ResourceDiff], details: bool = True) -> str:
    """The release notes as text: a summary line per resource, then (with details) the keys per change."""
    lines = [f"Data package {old.label} (version {old.version}) -> {new.label} (version {new.version})", ""]
    width = max((len(d.file) for d in diffs), default=10)
    for d in diffs:
        counts = f"{len(d.added):>4} added {len(d.removed):>4} removed {len(d.changed):>4} changed"
        columns = "".join(
            [
                f"; columns added: {', '.join(d.columns_added)}" if d.columns_added else "",
                f"; columns removed: {', '.join(d.columns_removed)}" if d.columns_removed else "",
            ]
        )
        lines.append(f"  {d.file:<{width}} {d.rows_old:>6} -> {d.rows_new:<6} {counts}{columns}")
    total = [sum(len(getattr(d, a)) for d in diffs) for a in ("added", "removed", "changed")]
    lines.append(f"  {'all files':<{width}} {'':>16} {total[0]:>4} added {total[1]:>4} removed {total[2]:>4} changed")
    if not details:
        return "\n".join(lines)
    for d in diffs:
        if d.unchanged:
            continue
        lines += ["", f"{d.file}"]
        if d.columns_added:
            lines.append(f"  columns added: {', '.join(d.columns_added)}")
        if d.columns_removed:
            lines.append(f"  columns removed: {', '.join(d.columns_removed)}")
        if d.changed:
            lines.append("  fields changed: " + ", ".join(f"{f} ({n})" for f, n in d.field_counts().most_common()))
        lines += [f"  + {k}" for k in d.added]
        lines += [f"  - {k}" for k in d.removed]
        lines += [f"  ~ {k}: {', '.join(fields)}" for k, fields in d.changed.items()]
    return "\n".join(lines)
