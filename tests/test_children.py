"""Children are never named: not in the data, the notebooks, the tests or the built book.

The names to look for are read from the source documents at test time (a person given as
under 18, or as someone's daughter or son), so this file itself names nobody.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis import load_table
from conftest import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
NAME = r"([A-Z][\w’'-]+(?: [A-Z][\w’'-]+){0,3})"
PATTERNS = [
    re.compile(r"\b(\d{1,2})-year-old " + NAME),
    re.compile(r"\bher (?:\d{1,2}-year-old )?daughter,? " + NAME),
    re.compile(r"\btheir daughter,? " + NAME),
]


def child_names() -> set[str]:
    names: set[str] = set()
    for doc in sorted(SEEDS.glob("*.txt")):
        text = doc.read_text(encoding="utf-8")
        for pattern in PATTERNS:
            for match in pattern.finditer(text):
                groups = match.groups()
                if len(groups) == 2 and int(groups[0]) >= 18:
                    continue
                names.add(groups[-1])
    return names


def project_files() -> list[Path]:
    roots = [ROOT / "data", ROOT / "book", ROOT / "analysis", ROOT / "tests", ROOT / "_build" / "html"]
    suffixes = {".csv", ".json", ".ipynb", ".md", ".py", ".html", ".txt", ".js"}
    return [p for r in roots if r.exists() for p in r.rglob("*") if p.is_file() and p.suffix in suffixes]


@pytest.mark.skipif(not SEEDS.exists(), reason="source documents not beside the repository")
def test_the_sources_do_name_children() -> None:
    # Guards the test below: if the patterns stopped matching, it would pass vacuously.
    assert len(child_names()) >= 5


@pytest.mark.skipif(not SEEDS.exists(), reason="source documents not beside the repository")
def test_no_child_is_named_anywhere_in_the_project() -> None:
    names = child_names()
    found = []
    for path in project_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for name in names:
            # Full names only: a family name alone is shared by adults (a parent, an unrelated activist).
            if re.search(rf"\b{re.escape(name)}\b", text, flags=re.IGNORECASE):
                found.append(f"{path.relative_to(ROOT)} contains the name of a child (pattern from the sources)")
    assert not found, "\n".join(sorted(set(found)))


def test_minors_in_the_data_are_labelled_not_named() -> None:
    actors = load_table("actors")
    minors = actors[actors["is_minor"]]
    assert len(minors) >= 5
    assert minors["name"].str.startswith("Minor").all()
    assert minors["aliases"].isna().all()
