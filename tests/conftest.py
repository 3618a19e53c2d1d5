"""Shared fixtures: a small hand-made data package, copied fresh for every test that changes it."""

from __future__ import annotations

import contextlib
import csv
import functools
import http.server
import importlib.util
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import make_fingerprints
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
#: Debian's Chromium for the browser tests (None where it is missing), run as the print edition runs it.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
RUN = 13  # words in a row shared with a source document that count as copying


@functools.cache
def fingerprints() -> dict:
    """The committed fingerprints of the source documents (tests/make_fingerprints.py): salted hashes, no text."""
    return make_fingerprints.load()


@functools.cache
def _shingles() -> frozenset[int]:
    return make_fingerprints.decode_hashes(fingerprints()["shingles"])


def words(text: str) -> list[str]:
    return make_fingerprints.words(text)


def shared_runs(text: str, run: int = RUN) -> list[tuple[int, list[str]]]:
    """(position, words) of every run of ``run`` words of ``text`` that the source documents contain.

    The fingerprints hold every run of SHINGLE (10) words of the documents; a longer run counts as
    shared when each of its 10-word runs is (so no run a document contains is ever missed).
    """
    size = fingerprints()["shingle_words"]
    if run < size:
        raise ValueError(f"the fingerprints hold runs of {size} words; cannot check runs of {run}")
    salt, known = fingerprints()["salt"], _shingles()
    w = words(text)
    lower = [x.lower() for x in w]
    hit = [make_fingerprints.shingle_hash(salt, lower[i : i + size]) in known for i in range(len(w) - size + 1)]
    return [(i, w[i : i + run]) for i in range(len(w) - run + 1) if all(hit[i : i + run - size + 1])]


def copied_run(text: str) -> str | None:
    """The first run of RUN words that ``text`` shares with a source, unless it is mostly names (a list of facts)."""
    for _, run in shared_runs(text, RUN):
        if sum(x[0].isupper() or x[0].isdigit() for x in run) < RUN / 2:
            return " ".join(run)
    return None


@pytest.fixture(scope="session")
def real() -> dict:
    """The real data package, typed, loaded once for the whole run (tests must not modify it)."""
    from analysis import load_all

    return load_all()


@pytest.fixture
def tiny(mini: Path) -> dict:
    """The mini fixture package, loaded and typed."""
    from analysis import load_all

    return load_all(mini)


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


def found(pattern: str, text: str, flags: int = 0) -> str:
    """The first group of ``pattern``'s first match in ``text``; fails the test if it does not match."""
    match = re.search(pattern, text, flags)
    assert match is not None, f"{pattern!r} not found"
    return match.group(1)


def load_module(name: str, path: Path) -> ModuleType:
    """The Python file at ``path`` imported as a fresh module called ``name`` (not added to sys.modules)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
        shutil.copytree(
            ROOT,
            target,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(
                ".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".hypothesis", "*.egg-info"
            ),
        )
    return target


# --------------------------------------------------------------------------- hand-made events and places
# Shared by the timeline and war tests: a war, a capture told twice, Iran and Armenia events, a 1993 holding.


def events_frame(rows: list[dict]) -> pd.DataFrame:
    base = {
        "end_date": pd.NaT,
        "variant_of": pd.NA,
        "date_precision": "day",
        "source_id": "s",
        "locator": "l",
        "title": "t",
        "description": "",
        "place_id": pd.NA,
        "category": "clash",
        "theatre": "front",
    }
    df = pd.DataFrame([{**base, **r} for r in rows])
    df["date"] = pd.to_datetime(df["date"])
    df["end_date"] = pd.to_datetime(df["end_date"])
    for col in ("variant_of", "place_id", "title", "event_id", "source_id", "locator", "description"):
        df[col] = df[col].astype("string")
    return df


EVENTS = events_frame(
    [
        {"event_id": "a", "date": "2020-09-27", "end_date": "2020-11-10", "theatre": "front", "title": "War"},
        {
            "event_id": "b",
            "date": "2020-10-09",
            "category": "capture",
            "title": "Azerbaijan announces capture of X",
            "place_id": "x",
        },
        {
            "event_id": "b2",
            "date": "2020-10-10",
            "category": "capture",
            "variant_of": "b",
            "source_id": "s2",
            "title": "Forces take X",
            "place_id": "x",
        },
        {"event_id": "c", "date": "2020-10-01", "date_precision": "month", "theatre": "iran", "category": "protest"},
        {"event_id": "d", "date": "2020-01-01", "date_precision": "year", "theatre": "iran", "category": "protest"},
        {"event_id": "e", "date": "2020-10-05", "theatre": "armenia", "category": "statement"},
        {
            "event_id": "f",
            "date": "1993-01-01",
            "date_precision": "year",
            "theatre": "front",
            "category": "capture",
            "title": "Forces hold the districts",
            "description": "They hold Xtown, Ytown (also Why) and Zregion.",
        },
    ]
)

PLACES = pd.DataFrame(
    {
        "place_id": ["x", "y", "z", "w"],
        "name": ["Xtown", "Ytown", "Zregion", "Wvillage"],
        "kind": ["town", "town", "region", "village"],
        "aliases": [pd.NA, "Why|Wye", pd.NA, pd.NA],
        "latitude": [39.5, 39.5, 39.8, 40.0],
        "longitude": [46.5, 46.5, 46.7, 47.0],
    }
)


# --------------------------------------------------------------------------- hand-made court outcomes
# Shared by the sentencing and prison-term tests: sentences.csv rows typed as the loaders type them.


def sentences_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    base: dict[str, object] = {
        "sentence_id": None,
        "actor_id": None,
        "court_actor_id": pd.NA,
        "date": pd.NA,
        "date_precision": pd.NA,
        "charges": pd.NA,
        "legal_article": pd.NA,
        "prison_months": pd.NA,
        "prison_days": pd.NA,
        "lashes": pd.NA,
        "fine_amount": pd.NA,
        "fine_currency": pd.NA,
        "outcome": "sentenced",
        "appeal_of": pd.NA,
        "event_id": pd.NA,
        "source_id": "doc",
        "locator": "¶1",
    }
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    frame["date"] = pd.to_datetime(frame["date"])
    for column in ("prison_months", "prison_days", "lashes"):
        frame[column] = frame[column].astype("Int64")
    frame["fine_amount"] = frame["fine_amount"].astype("Float64")
    return frame


#: Chromium's flags, the print edition's own (offline, no background traffic, no sandbox as root).
FLAGS: list[str] = load_module("k20_editions_flags", ROOT / "book" / "_ext" / "editions.py").FLAGS


def disk_tab(playwright: Any) -> tuple[Any, list[str]]:
    """A Chromium tab (the book's flags) that records console errors, page errors and any request not read from disk."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on(
        "request",
        lambda r: errors.append(f"not from disk: {r.url}") if not r.url.startswith(("file:", "data:")) else None,
    )
    return tab, errors


#: The built book that `make book` writes, which the browser tests read.
HTML = ROOT / "_build" / "html"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """``directory`` served on 127.0.0.1 while the block runs; yields its base URL (ending '/')."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    """The built book (HTML), served for one test module."""
    with serve(HTML) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium with the book's flags, for one test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()
