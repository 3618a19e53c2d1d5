"""Synthetic data packages of any size, generated from datapackage.json so they follow the real schema.

Values are random but valid: keys unique, foreign keys resolvable, vocabularies respected, and the
rules a schema cannot state (minors, ranges, person counts, currencies) kept. Seeded.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data import default_data_dir
from analysis.schema import read_package

#: Rows per table for each event, so relations and sentences grow in proportion.
PROPORTIONS = {
    "events": 1.0,
    "relations": 1.0,
    "actors": 0.1,
    "places": 0.01,
    "detentions": 0.2,
    "sentences": 0.05,
    "sentence_totals": 0.001,
    "casualties": 0.02,
    "equipment_losses": 0.01,
    "loss_claims": 0.01,
    "damage": 0.005,
}
# Columns left empty so that every generated row obeys the cross-column rules.
EMPTY = {
    "end_date",
    "time",
    "variant_of",
    "count_max",
    "participants_min",
    "participants_max",
    "participants_qualifier",
    "age",
    "aliases",
    "part_of",
    "appeal_of",
    "bail_amount",
    "bail_currency",
    "fine_amount",
    "fine_currency",
    "held_until",
    "value_amount",
    "value_currency",
    "prison_days",
}
FIXED = {
    "is_minor": "false",
    "qualifier": "exact",
    "date_precision": "day",
    "outcome": None,
    "country": "IR",
    "suspended": "false",
    "legal_article": "Islamic Penal Code art. 607",
}
#: Tables that do not grow with the events (the maps' background): copied from data/ as they are.
COPIED = ("sources", "geography")


def _column(rng: np.random.Generator, name: str, field, n: int, keys: dict[str, np.ndarray], resource) -> np.ndarray:
    for fk in resource.foreign_keys:
        if fk.fields == (name,) and fk.resource in keys and fk.resource != resource.name:
            return rng.choice(keys[fk.resource], size=n)
    if name in EMPTY:
        return np.full(n, "", dtype=object)
    if name in resource.primary_key:
        return np.array([f"{resource.name.replace('_', '-')}-{i}" for i in range(n)], dtype=object)
    if name == "name":  # unique spellings
        return np.array([f"{resource.name} {i}" for i in range(n)], dtype=object)
    if name in FIXED and FIXED[name] is not None:
        return np.full(n, FIXED[name], dtype=object)
    enum = field.enum
    if name == "outcome" and enum:
        enum = [e for e in enum if e not in ("upheld", "acquitted")] or enum
    if enum:
        return rng.choice(np.array(enum, dtype=object), size=n)
    if field.type == "date":
        days = rng.integers(0, 800, size=n)
        return (
            (pd.Timestamp("2020-01-01") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d").to_numpy(dtype=object)
        )
    if field.type in ("integer", "number"):
        if name == "count" and resource.name == "detentions":
            return np.full(n, "1", dtype=object)
        lo = int(field.constraints.get("minimum", 0))
        hi = int(field.constraints.get("maximum", 200))
        return rng.integers(lo, max(hi, lo + 1), size=n).astype(str).astype(object)
    if name == "country":
        return np.full(n, "IR", dtype=object)
    return np.array([f"{name} {i}" for i in range(n)], dtype=object)


def make_package(events: int, target: Path, seed: int = 0) -> Path:
    """Write a valid synthetic package with ``events`` events (other tables in PROPORTIONS) into ``target``."""
    rng = np.random.default_rng(seed)
    real = read_package(default_data_dir())
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(real.directory / "datapackage.json", target / "datapackage.json")
    for name in COPIED:
        if name in real.resource_names:
            shutil.copy(real.directory / real.resource(name).path, target / real.resource(name).path)
    keys: dict[str, np.ndarray] = {"sources": pd.read_csv(target / "sources.csv")["source_id"].to_numpy(dtype=object)}
    order = [
        "places",
        "actors",
        "events",
        "relations",
        "detentions",
        "sentences",
        "sentence_totals",
        "casualties",
        "equipment_losses",
        "loss_claims",
        "damage",
    ]
    for name in order:
        resource = real.resource(name)
        n = max(3, int(events * PROPORTIONS[name]))
        data = {f.name: _column(rng, f.name, f, n, keys, resource) for f in resource.fields}
        if name == "detentions":  # some group counts without a person
            group = rng.random(n) < 0.1
            data["actor_id"] = np.where(group, "", data["actor_id"])
        frame = pd.DataFrame(data)
        frame.to_csv(target / resource.path, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        keys[name] = frame[resource.primary_key[0]].to_numpy(dtype=object)
    return target
