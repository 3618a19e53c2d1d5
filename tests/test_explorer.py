"""The data explorer: its records (every row sourced and graded, no child), the JSON it embeds, and the
page in Chromium (a surname finds that person's detention and sentence rows; sorting by keyboard)."""

from __future__ import annotations

import json
import re
import sys

import pytest
import yaml
from conftest import CHROMIUM, ROOT, disk_tab

from analysis.data import load_tables
from analysis.evidence import GRADES
from analysis.explorer import NEEDS, explorer_tables

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from explorer_page import DATA_ID, script_json

HTML = ROOT / "_build" / "html"
PAGE = HTML / "book" / "explorer.html"


@pytest.fixture(scope="module")
def tables() -> dict:
    return load_tables(list(NEEDS))


@pytest.fixture(scope="module")
def explorer(tables) -> dict:
    return {t.key: t for t in explorer_tables(tables)}


def test_explorer_holds_every_kind_of_record(explorer, tables) -> None:
    assert list(explorer) == ["events", "people", "detentions", "sentences", "casualties", "equipment", "claims"]
    assert len(explorer["events"].rows) == len(tables["events"])
    assert len(explorer["casualties"].rows) == len(tables["casualties"])
    assert len(explorer["equipment"].rows) == len(tables["equipment_losses"])
    assert len(explorer["claims"].rows) == len(tables["loss_claims"])


def test_every_row_has_source_locator_grade_and_a_chapter_of_the_book(explorer) -> None:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    chapters = {f"{f.split('/')[-1]}.html" for f in [c["file"] for c in toc["chapters"]]}
    for table in explorer.values():
        for row in table.rows:
            assert row["source"] and row["locator"] and row["grade"] in GRADES, (table.key, row)
            assert row["chapter"] in chapters, (table.key, row["chapter"])
            assert len(row["cells"]) == len(table.columns)
            assert row["locator_url"] == "" or row["locator_url"].startswith("https://en.wikipedia.org/wiki/")


def test_no_child_and_nothing_that_ties_a_child_to_a_person(explorer, tables) -> None:
    actors = tables["actors"]
    minors = actors[actors["is_minor"].fillna(False).astype(bool)]
    assert len(minors), "the data records minors; the test would be empty without them"
    text = json.dumps([t.as_json() for t in explorer.values()], ensure_ascii=False)
    for _, child in minors.iterrows():
        assert str(child["name"]) not in text and f'"{child["actor_id"]}"' not in text
    assert "Minor" not in text
    people = {row["cells"][0] for row in explorer["people"].rows}
    assert not people & set(minors["name"].astype(str))


def test_a_surname_finds_that_persons_detentions_and_sentences(explorer, tables) -> None:
    lisani = [r for key in ("detentions", "sentences") for r in explorer[key].rows if r["cells"][0] == "Abbas Lisani"]
    assert (
        len(lisani)
        == int(
            (tables["detentions"]["actor_id"] == "abbas-lisani").sum()
            + (tables["sentences"]["actor_id"] == "abbas-lisani").sum()
        )
        == 3
    )


def test_embedded_json_cannot_close_its_script_element() -> None:
    hostile = {"t": "</script><script>alert(1)</script> & <!-- \u2028"}
    text = script_json(hostile)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == hostile


# --------------------------------------------------------------------------- the built page in Chromium


@pytest.fixture(scope="module")
def page():
    if CHROMIUM is None or not PAGE.exists():
        pytest.skip("no Chromium, or the book is not built (make book)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        tab, errors = disk_tab(p)
        tab.goto(PAGE.as_uri(), wait_until="load")  # from disk, as the offline edition opens it
        tab.wait_for_selector("#k20-explorer-q")
        yield tab, errors
        tab.context.browser.close()


def _visible(tab, key: str) -> list[list[str]]:
    return tab.evaluate(
        """key => [...document.querySelectorAll('#explore-' + key + ' tbody tr')]
        .filter(tr => !tr.hidden).map(tr => [...tr.cells].map(td => td.textContent))""",
        key,
    )


def test_typing_a_surname_filters_to_that_persons_rows(page) -> None:
    tab, errors = page
    assert PAGE.stat().st_size < 1_500_000
    html = PAGE.read_text(encoding="utf-8")
    assert f'id="{DATA_ID}"' in html and "k20-explorer.js" in html
    assert len(_visible(tab, "events")) > 300
    tab.focus("#k20-explorer-q")
    tab.keyboard.type("lisani")
    tab.wait_for_function("() => /match/.test(document.getElementById('k20-explorer-status').textContent)")
    detentions, sentences = _visible(tab, "detentions"), _visible(tab, "sentences")
    assert len(detentions) == 2 and len(sentences) == 1
    assert all(r[0] == "Abbas Lisani" for r in detentions + sentences)
    assert all(r[-2] in GRADES and r[-4] for r in detentions + sentences)  # grade and source shown
    assert _visible(tab, "casualties") == []
    shown = sum(
        len(_visible(tab, key))
        for key in ("events", "people", "detentions", "sentences", "casualties", "equipment", "claims")
    )
    assert re.search(rf"\b{shown} rows match", tab.inner_text("#k20-explorer-status"))
    tab.fill("#k20-explorer-q", "KHORSHÍDI")  # case and accents do not matter
    tab.wait_for_function("() => /khorsh/i.test(document.getElementById('k20-explorer-status').textContent)")
    assert {r[0] for r in _visible(tab, "sentences")} == {"Farid Khorshidi"}
    assert not errors, errors


def test_columns_sort_from_the_keyboard(page) -> None:
    tab, errors = page
    tab.fill("#k20-explorer-q", "")
    tab.wait_for_timeout(300)
    header = tab.locator('#explore-casualties th[data-col="count"]')
    header.locator("button").focus()
    tab.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    counts = [r[4] for r in _visible(tab, "casualties") if r[4]]
    assert [float(c) for c in counts] == sorted(float(c) for c in counts)
    tab.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    counts = [r[4] for r in _visible(tab, "casualties") if r[4]]
    assert [float(c) for c in counts] == sorted((float(c) for c in counts), reverse=True)
    regions = tab.evaluate("() => [...document.querySelectorAll('.k20-explorer-scroll')].map(d => d.tabIndex)")
    assert regions and all(i == 0 for i in regions)  # the scrolling tables take keyboard focus
    assert not errors, errors
