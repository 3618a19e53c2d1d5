"""analysis.schema: the descriptor as read by the package, with the value labels defined beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.data import data_dictionary
from analysis.schema import read_package, value_labels


def test_every_label_names_a_value_of_its_enumeration(mini: Path) -> None:
    package = read_package(mini)
    labelled = [(r.name, f) for r in package.resources for f in r.fields if f.labels]
    assert len(labelled) >= 7
    for name, f in labelled:
        assert f.enum is not None and set(f.labels) == set(f.enum), f"{name}.{f.name}"
        assert set(f.adjectives) <= set(f.enum)


def test_value_labels_read_the_descriptor_in_its_order(mini: Path) -> None:
    sides = value_labels("casualties", "side", mini)
    assert list(sides)[:2] == ["azerbaijan", "armenia"] and sides["both"] == "both sides"
    assert value_labels("casualties", "side", mini, kind="adjectives")["armenia"] == "Armenian"
    assert value_labels("equipment_losses", "category")["trucks-and-vehicles"] == "trucks, vehicles and jeeps"
    assert value_labels("events", "date", mini) == {}  # a field without labels
    with pytest.raises(ValueError, match="kind"):
        value_labels("casualties", "side", mini, kind="nouns")


def test_a_changed_label_reaches_the_data_dictionary(mini: Path) -> None:
    path = mini / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    events = next(r for r in descriptor["resources"] if r["name"] == "events")
    next(f for f in events["schema"]["fields"] if f["name"] == "category")["k20:labels"]["clash"] = "Armed clash"
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    assert value_labels("events", "category", mini)["clash"] == "Armed clash"
    table = data_dictionary(mini)
    constraints = table[(table["file"] == "events.csv") & (table["column"] == "category")]["constraints"].iloc[0]
    assert (
        "clash (Armed clash)" in constraints and "protest," in constraints
    )  # a label equal to its value is not repeated
