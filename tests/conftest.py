"""Shared fixtures: a small hand-made data package, copied fresh for every test that changes it."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of the mini fixture CSVs with the project's real datapackage.json beside them."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    shutil.copy(DATA / "datapackage.json", target / "datapackage.json")
    return target


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def set_cell(directory: Path, file: str, row: int, column: str, value: str) -> None:
    """Set one cell of a CSV; ``row`` counts data rows from 1, as the validator's messages do."""
    path = directory / file
    rows = read_rows(path)
    rows[row][rows[0].index(column)] = value
    write_rows(path, rows)
