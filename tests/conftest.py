"""Shared fixtures: a small hand-made data package, copied fresh for every test that changes it."""

from __future__ import annotations

import csv
import functools
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
SEEDS = ROOT.parent / "shared" / "seeds"
RUN = 13  # words in a row shared with a source document that count as copying


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9’']+", text)


@functools.cache
def source_runs() -> frozenset[tuple[str, ...]]:
    """Every run of RUN consecutive words (lower-cased) in the source documents."""
    grams: set[tuple[str, ...]] = set()
    for doc in SEEDS.glob("*.txt"):
        w = [x.lower() for x in words(doc.read_text(encoding="utf-8"))]
        grams.update(tuple(w[i:i + RUN]) for i in range(len(w) - RUN + 1))
    return frozenset(grams)


def copied_run(text: str) -> str | None:
    """The first run of RUN words that ``text`` shares with a source, unless it is mostly names (a list of facts)."""
    w = words(text)
    for i in range(len(w) - RUN + 1):
        run = w[i:i + RUN]
        if tuple(x.lower() for x in run) in source_runs():
            if sum(x[0].isupper() or x[0].isdigit() for x in run) < RUN / 2:
                return " ".join(run)
    return None


@pytest.fixture(scope="session")
def real() -> dict:
    """The real data package, typed, loaded once for the whole run (tests must not modify it)."""
    from analysis import load_all

    return load_all()


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


def copy_repository(target: Path) -> Path:
    """A copy of the repository's tracked files (as a fresh clone has them) at ``target``; return it."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if listed.returncode == 0:
        for name in filter(None, listed.stdout.decode().split("\0")):
            source = ROOT / name
            if source.is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)
    else:  # not a git checkout (an unpacked archive): everything but what builds and installs make
        shutil.copytree(ROOT, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(
            ".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".hypothesis", "*.egg-info"))
    return target
