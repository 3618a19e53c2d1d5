"""What frames every page: one name for the book everywhere, and one search control that works.

The name: the built pages (title bar, sidebar, first heading, citations), the repository's own files
and the print edition all write the book's name exactly as ``_config.yml`` does, never another case.
The search: on a desktop (1280 x 900) and on a phone (390 x 844) every page shows exactly one search
control, and searching from it lists the page that holds the word, served and from the offline zip.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import CHROMIUM, HTML, ROOT

OFFLINE = ROOT / "_build" / "offline" / "karabakh-2020-in-data-offline.zip"
PDF = ROOT / "_build" / "pdf" / "karabakh-2020-in-data.pdf"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
BOOK = CONFIG["title"]
ANY_CASE = re.compile(re.escape(BOOK).replace(r"\ ", r"\s+"), flags=re.IGNORECASE)
PAGES = sorted(
    p.relative_to(HTML).as_posix()
    for p in HTML.rglob("*.html")
    if not p.relative_to(HTML).as_posix().startswith(("_", "genindex"))
)
SIZES = [(1280, 900), (390, 844)]
built = pytest.mark.skipif(not (HTML / "index.html").exists(), reason="book not built: run `make book`")
browser_needed = pytest.mark.skipif(
    CHROMIUM is None, reason="!!! no Chromium on this machine: browser test skipped !!!"
)

# The book's search controls a reader can see around the page (not in a closed dialog, and not a page's
# own field: the search page's query box, the data explorer's filter).
VISIBLE_SEARCH = """() => [...document.querySelectorAll('.search-button__button, input[type=search], #searchbox input')]
  .filter(e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'
      && !e.closest('dialog:not([open]), article, .bd-search-container'); })
  .map(e => e.className)"""


def _variants(text: str) -> set[str]:
    return {" ".join(m.split()) for m in ANY_CASE.findall(text)} - {BOOK}


# --------------------------------------------------------------------------- one name


def test_the_repositorys_files_write_the_name_one_way() -> None:
    assert CONFIG["author"] == f"{BOOK} project"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.splitlines()[0] == f"# {BOOK}"
    assert yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["title"] == BOOK
    assert json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))["title"] == BOOK
    index = json.loads((ROOT / "book" / "index.ipynb").read_text(encoding="utf-8"))
    assert "".join(index["cells"][0]["source"]).splitlines()[0] == f"# {BOOK}"
    for name in ("README.md", "CITATION.cff", "LICENSE", "pyproject.toml", "book/index.ipynb", "data/datapackage.json"):
        assert not _variants((ROOT / name).read_text(encoding="utf-8")), name


def test_the_name_variants_are_found() -> None:
    # the check above and below would catch the form the sidebar and the first page once disagreed on
    assert _variants("Karabakh 2020 in data and KARABAKH 2020 IN DATA, " + BOOK) == {
        "Karabakh 2020 in data",
        "KARABAKH 2020 IN DATA",
    }


@built
def test_every_built_page_writes_the_name_one_way() -> None:
    assert len(PAGES) >= 10
    for page in PAGES:
        text = html.unescape((HTML / page).read_text(encoding="utf-8"))
        assert not _variants(text), (page, _variants(text))
        title = re.search(r"<title>(.*?)</title>", text, flags=re.DOTALL)
        assert title and title.group(1).strip().endswith(BOOK), (page, title)
        brand = re.search(r'<p class="title logo__title">(.*?)</p>', text)
        assert brand and brand.group(1).strip() == BOOK, page
    first = html.unescape((HTML / "book" / "index.html").read_text(encoding="utf-8"))
    heading = re.search(r"<h1>([^<]*)<a class=\"headerlink\"", first[first.index("<article") :])
    assert heading and heading.group(1).strip() == BOOK
    cite = re.search(r'<section class="k20-cite".*?<p>(.*?)</p>', first, flags=re.DOTALL)
    assert cite and f"{BOOK} project (" in cite.group(1) and f"). {BOOK}, version " in cite.group(1)
    assert "{" + BOOK + "}" in first  # the BibTeX title


@built
def test_the_print_edition_writes_the_name_one_way() -> None:
    if not (PDF.exists() and shutil.which("pdftotext")):
        pytest.skip("no print edition or no pdftotext: run `make book`")
    text = subprocess.run(["pdftotext", str(PDF), "-"], capture_output=True, text=True, check=True).stdout
    sheets = text.split("\f")
    assert BOOK in sheets[0] and f"{BOOK} · page 1 of" in " ".join(sheets[0].split())
    assert not _variants(text), _variants(text)


# --------------------------------------------------------------------------- one search control


def _search_from_the_page(tab, term: str) -> list[str]:
    """Click the one visible search control, type ``term``, press Enter; the result links' targets."""
    tab.locator(".search-button__button:visible").click()
    field = tab.locator("#pst-search-dialog[open] input[name=q]")
    field.fill(term)
    field.press("Enter")
    tab.wait_for_selector("#search-results ul.search li", timeout=15_000)
    return tab.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.getAttribute('href'))")


@built
@browser_needed
@pytest.mark.parametrize("width, height", SIZES)
def test_every_page_shows_one_search_control(browser, base, width: int, height: int) -> None:
    tab = browser.new_page(viewport={"width": width, "height": height})
    counts = {}
    for page in PAGES:
        tab.goto(base + page, wait_until="domcontentloaded")
        counts[page] = tab.evaluate(VISIBLE_SEARCH)
    tab.close()
    wrong = {page: found for page, found in counts.items() if len(found) != 1}
    assert not wrong, f"at {width} px, pages without exactly one visible search control: {wrong}"


@built
@browser_needed
@pytest.mark.parametrize("width, height", SIZES)
def test_searching_from_a_page_lists_the_page_that_holds_the_word(browser, base, width: int, height: int) -> None:
    tab = browser.new_page(viewport={"width": width, "height": height})
    tab.goto(base + "book/war.html", wait_until="load")
    hits = _search_from_the_page(tab, "Oryx")
    assert tab.url.startswith(base + "search.html?q=Oryx")
    tab.close()
    assert "book/equipment-losses.html" in hits, hits


@browser_needed
def test_search_works_in_the_offline_edition(browser, tmp_path: Path) -> None:
    if not OFFLINE.exists():
        pytest.skip("no offline edition: run `make book`")
    with zipfile.ZipFile(OFFLINE) as z:
        folder = z.namelist()[0].split("/")[0]
        z.extractall(tmp_path)
    site = tmp_path / folder
    tab, errors = browser.new_page(), []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on(
        "request", lambda r: None if r.url.startswith(("file:", "data:")) else errors.append(f"not from disk: {r.url}")
    )
    for width, height in SIZES:
        tab.set_viewport_size({"width": width, "height": height})
        tab.goto((site / "book" / "sentences.html").as_uri(), wait_until="load")
        assert len(tab.evaluate(VISIBLE_SEARCH)) == 1, width
        hits = _search_from_the_page(tab, "Oryx")
        assert tab.url.startswith((site / "search.html").as_uri()), tab.url
        assert "book/equipment-losses.html" in hits, (width, hits)
    tab.close()
    assert not errors, errors  # no summary fetch from disk, which Chromium refuses
