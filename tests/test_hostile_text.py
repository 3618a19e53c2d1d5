"""Data text stays text: hostile strings in every free-text field and every resource title, built into a book.

A copy of the repository gets a hostile suffix on every free-text cell of every CSV (string fields
that are not keys, vocabularies, patterned codes, URLs or file names) and on every resource title
and description of its datapackage.json: script tags, an ``onerror`` image, a ``javascript:`` link,
MyST roles and a directive that would read a file outside the book, ``$...$`` for matplotlib's
mathtext, quotes, ampersands and tags for plotly. The chapters are executed and the book built
there (warnings are errors, as in the Makefile); then the pages must show each string as typed,
hold no tag it would make, publish no byte of the file the roles point at, and run no script in
Chromium.
"""

from __future__ import annotations

import csv
import functools
import html
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import CHROMIUM, FLAGS, ROOT, serve

if TYPE_CHECKING:  # annotations only: playwright is imported where the browser runs
    from playwright.sync_api import ConsoleMessage, Dialog, Error

JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"

SCRIPT = "<script>window.__k20x=1</script>"
IMAGE = '<img src=x onerror="window.__k20x=1">'
LINK = "[x](javascript:window.__k20x=1)"
ROLE = "{download}`secret <../../SECRET>`"
INCLUDE = "```{literalinclude} ../../SECRET```"
MATH = "$\\foo$"
QUOTES = '"quoted" & <b>'
#: A directive needs a line of its own: only descriptor text (not a CSV cell) carries the line breaks.
INCLUDE_BLOCK = "\n```{literalinclude} ../../SECRET\n```\n"
HOSTILE = (SCRIPT, IMAGE, LINK, ROLE, INCLUDE, MATH, QUOTES)
#: Fields shown where a check below looks for them, with the suffix each gets; others take HOSTILE in turn.
CHOSEN = {
    ("actors", "name"): f"{MATH} {QUOTES}",
    ("events", "title"): SCRIPT,
    ("sources", "title"): IMAGE,
    ("events", "locator"): ROLE,
    ("sources", "caveats"): LINK,
}
#: String fields that are not free text although no key, vocabulary or pattern says so: addresses,
#: file names, language codes, and casualties.period, which chapters select rows by ("12-16 Jul 2020").
NOT_FREE = {"url", "file", "language", "period"}
#: Cells the chapters name by their value (a row looked up by place, court, person or locator): kept as they are.
LOOKED_UP = {
    "Tehran",
    "Ardabil",
    "Tabriz",
    "Ardabil city court",
    "Mohammad Eyni",
    "Closing Remarks ¶1",
    "Closing Remarks ¶2",
    "Second Karabakh War / Protests and Government Crackdown ¶1",
}


def _console_error(seen: list[str], message: ConsoleMessage) -> None:
    if message.type == "error":
        seen.append(f"{message.type}: {message.text}")


def _page_error(seen: list[str], error: Error) -> None:
    seen.append(f"uncaught: {error}")


def _dialog(seen: list[str], dialog: Dialog) -> None:
    seen.append(f"dialog: {dialog.message}")
    dialog.dismiss()


def free_text_fields(descriptor: dict) -> dict[str, list[str]]:
    """Per resource, its free-text fields: strings that are no key, no vocabulary, no pattern, no URL or file name."""
    out = {}
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        keys = schema.get("primaryKey", [])
        keys = {keys} if isinstance(keys, str) else set(keys)
        for fk in schema.get("foreignKeys", []):
            keys |= {fk["fields"]} if isinstance(fk["fields"], str) else set(fk["fields"])
        out[resource["name"]] = [
            f["name"]
            for f in schema["fields"]
            if f.get("type", "string") == "string"
            and f["name"] not in keys | NOT_FREE
            and not {"enum", "pattern"} & set(f.get("constraints", {}))
            and not f["name"].endswith("_id")
        ]
    return out


def inject(data: Path) -> dict[tuple[str, str], str]:
    """Append a hostile suffix to every free-text cell and resource title/description; the suffix per field."""
    descriptor = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    suffixes: dict[tuple[str, str], str] = {}
    turn = 0
    for resource, fields in free_text_fields(descriptor).items():
        path = data / f"{resource}.csv"
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        for name in fields:
            suffix = CHOSEN.get((resource, name))
            if suffix is None:
                suffix, turn = HOSTILE[turn % len(HOSTILE)], turn + 1
            suffixes[(resource, name)] = suffix
            column = rows[0].index(name)
            for row in rows[1:]:
                if row[column] and row[column] not in LOOKED_UP:
                    row[column] = f"{row[column]} {suffix}"
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
    for i, resource in enumerate(descriptor["resources"]):
        resource["title"] = f"{resource.get('title', resource['name'])} {HOSTILE[i % len(HOSTILE)]}"
        resource["description"] = f"{resource.get('description', '')} {HOSTILE[(i + 3) % len(HOSTILE)]}"
    descriptor["resources"][0]["title"] += INCLUDE_BLOCK + LINK
    (data / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")
    return suffixes


class _Text(HTMLParser):
    """The text a reader sees: every text node outside <script> and <style>, whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("script", "style") and self.skip > 0

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[tuple[str, str], str]]:
    """A hostile copy of the repository, executed and built: (its root, the sentinel's text, the suffixes)."""
    top = tmp_path_factory.mktemp("hostile")
    sentinel = f"k20-sentinel-{secrets.token_hex(8)}"
    (top / "SECRET").write_text(sentinel + "\n", encoding="utf-8")  # beside the copy, where ../../SECRET points
    repo = top / "repo"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    suffixes = inject(repo / "data")
    env = {**os.environ, "PYTHONPATH": str(repo)}
    for command in (
        [sys.executable, "-m", "analysis", "validate", "data"],
        [sys.executable, "book/_ext/run_chapters.py", "--force"],
        [str(JUPYTER_BOOK), "build", ".", "--warningiserror", "--nitpick", "--keep-going"],
    ):
        done = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, f"{' '.join(command[1:3])} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return repo, sentinel, suffixes


def test_every_free_text_field_and_title_was_made_hostile(built) -> None:
    repo, _, suffixes = built
    descriptor = json.loads((repo / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert set(CHOSEN) <= set(suffixes) and len(suffixes) >= 30, sorted(suffixes)
    assert set(suffixes.values()) >= set(HOSTILE)
    titles = " ".join(r["title"] + r["description"] for r in descriptor["resources"])
    assert all(h in titles for h in HOSTILE) and INCLUDE_BLOCK in titles


def test_no_file_from_outside_the_book_is_published(built) -> None:
    repo, sentinel, _ = built
    leaks = [
        str(p.relative_to(repo))
        for p in (repo / "_build").rglob("*")
        if p.is_file() and sentinel.encode() in p.read_bytes()
    ]
    assert not leaks, f"the sentinel file beside the book was published in {leaks}"
    assert not [p for p in (repo / "_build").rglob("SECRET*")]


def test_descriptor_text_shows_as_typed_on_the_sources_page(built) -> None:
    repo, _, _ = built
    page = (repo / "_build" / "html" / "book" / "sources.html").read_text(encoding="utf-8")
    text = visible(page)
    descriptor = json.loads((repo / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:  # the download list, the files table
        assert flat(resource["title"]) in text, resource["title"]
        assert flat(resource["description"]) in text, resource["description"]
    assert f"Actors {HOSTILE[2]}" in text  # the download list's title, as typed
    assert "../../SECRET" in text and html.escape(SCRIPT) in page


def test_csv_text_shows_as_typed_in_tables_and_captions(built) -> None:
    repo, _, suffixes = built
    html_dir = repo / "_build" / "html" / "book"
    sources = visible((html_dir / "sources.html").read_text(encoding="utf-8"))
    assert suffixes[("sources", "caveats")] in sources and suffixes[("sources", "title")] in sources
    timeline = visible((html_dir / "timeline.html").read_text(encoding="utf-8"))
    assert f"{SCRIPT}" in timeline  # event titles in the year-only table and source lines in captions
    networks = visible((html_dir / "networks.html").read_text(encoding="utf-8"))
    assert f"{MATH} {QUOTES}" in networks  # actor names in the centrality tables


def test_no_page_holds_a_tag_or_link_made_from_data(built) -> None:
    repo, _, _ = built
    bad = {}
    for path in sorted((repo / "_build" / "html").rglob("*.html")):
        page = path.read_text(encoding="utf-8")
        # as text these show escaped (&lt;img ...); as markup they would be tags or attributes
        found = [
            m
            for m in (
                "<script>window.__k20x",
                "<img src=x",
                'href="javascript:',
                '<b>"quoted',
                '<div class="literal-block',
            )
            if m in page
        ]
        found += re.findall(r"<a [^>]*secret", page, flags=re.IGNORECASE)
        if found:
            bad[str(path.relative_to(repo))] = found
    assert not bad, bad


@pytest.fixture(scope="module")
def base(built) -> Iterator[str]:
    repo, _, _ = built
    with serve(repo / "_build" / "html") as url:
        yield url


@pytest.mark.skipif(
    CHROMIUM is None, reason="!!! no Chromium on this machine: the hostile-text browser check is skipped !!!"
)
def test_no_script_from_data_runs_in_chromium(built, base) -> None:
    from playwright.sync_api import sync_playwright

    repo, _, suffixes = built
    html_dir = repo / "_build" / "html"
    pages = sorted(
        p.relative_to(html_dir).as_posix()
        for p in html_dir.rglob("*.html")
        if not p.relative_to(html_dir).as_posix().startswith(("_", "genindex"))
    )
    ran, events, chart_text = {}, {}, {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for path in pages:
            page = browser.new_page()
            seen: list[str] = []
            page.on("console", functools.partial(_console_error, seen))
            page.on("pageerror", functools.partial(_page_error, seen))
            page.on("dialog", functools.partial(_dialog, seen))
            page.goto(base + path, wait_until="load")
            page.wait_for_load_state("networkidle")
            plots = page.evaluate("() => document.querySelectorAll('.plotly-graph-div').length")
            if plots:
                page.wait_for_function(
                    "n => [...document.querySelectorAll('.plotly-graph-div')]"
                    ".filter(d => d.querySelector('svg.main-svg')).length >= n",
                    arg=plots,
                    timeout=15_000,
                )
                chart_text[path] = page.evaluate(
                    "() => [...document.querySelectorAll('.plotly-graph-div')].map(d => d.textContent).join(' ')"
                )
            if page.evaluate("() => typeof window.__k20x !== 'undefined'"):
                ran[path] = True
            if seen:
                events[path] = seen
            page.close()
        browser.close()
    assert "book/sources.html" in pages and len(chart_text) >= 5
    assert not ran, f"script from data ran on {sorted(ran)}"
    assert not events, events
    # plotly draws the names as typed: quotes, ampersand and tag shown, not read as markup
    assert f"{MATH} {QUOTES}" in flat(chart_text["book/networks.html"])
    assert flat(suffixes[("places", "name")]) in flat(chart_text["book/war.html"])  # place labels on the map
