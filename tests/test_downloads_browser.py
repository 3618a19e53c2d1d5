"""On the built book, in Chromium: a figure's and a table's "Download data" links resolve to files beside the site
(served and from disk), Chromium saves them under their names, and their rows carry sources, locators and grades."""

from __future__ import annotations

import io
import urllib.parse
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
from conftest import CHROMIUM, HTML, ROOT

PAGE = "book/equipment-losses.html"
FIGURE, TABLE = "equipment-losses-documented", "equipment-losses-claims-table"

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="!!! no Chromium on this machine: browser tests skipped !!!"),
    pytest.mark.skipif(not (HTML / PAGE).exists(), reason="book not built: run `make book`"),
]


LINKS = f"""() => ({{
  figure: document.querySelector('#figure-{FIGURE} a.k20-download').href,
  table: document.querySelector('#table-{TABLE}').closest('.k20-table-wrap').querySelector('a.k20-download').href,
  alt_open: document.querySelector('#data-{FIGURE}').open,
  alt_rows: document.querySelectorAll('#data-{FIGURE} tbody tr').length,
  payloads: document.querySelectorAll('a.k20-download[href^="data:"]').length,
}})"""


def _rows(text: str) -> pd.DataFrame:
    assert text.startswith("# Data behind the")
    return pd.read_csv(io.StringIO(text), comment="#")


def _carry_sources(rows: pd.DataFrame, graded: bool) -> None:
    assert len(rows) > 0
    for column in ("source", "locator", *(("evidence",) if graded else ())):
        assert rows[column].notna().all() and rows[column].astype(str).str.len().gt(0).all(), column


def test_served_page_links_resolve_to_files_whose_rows_carry_sources(browser, base) -> None:
    page = browser.new_page()
    page.goto(base + PAGE, wait_until="load")
    found = page.evaluate(LINKS)
    assert found["payloads"] == 0  # the build moved every payload out of the page
    assert found["alt_open"] is False and found["alt_rows"] > 0  # the chart's table is there, closed
    for kind in ("figure", "table"):
        url = found[kind]
        assert url.startswith(base + "_downloads/k20/book-equipment-losses/"), url
        with urllib.request.urlopen(url) as response:
            rows = _rows(response.read().decode("utf-8"))
        _carry_sources(rows, graded=True)
    with page.expect_download() as saved:  # Chromium saves it under the card's name
        page.click(f"#figure-{FIGURE} a.k20-download")
    assert saved.value.suggested_filename == f"{FIGURE}.csv"
    assert "DO NOT ADD UP ALL ROWS" in Path(saved.value.path()).read_text(encoding="utf-8")
    page.close()


def test_links_resolve_from_disk(browser) -> None:
    page = browser.new_page()
    page.goto((HTML / PAGE).as_uri(), wait_until="load")
    found = page.evaluate(LINKS)
    page.close()
    for kind in ("figure", "table"):
        assert found[kind].startswith("file://"), found[kind]
        path = Path(urllib.parse.unquote(urllib.parse.urlparse(found[kind]).path))
        _carry_sources(_rows(path.read_text(encoding="utf-8")), graded=True)


def test_the_offline_edition_holds_every_download_the_pages_link() -> None:
    import posixpath
    import re
    import zipfile

    zips = sorted((ROOT / "_build" / "offline").glob("*-offline.zip"))
    if not zips:
        pytest.skip("no offline edition: run `python book/_ext/editions.py offline`")
    with zipfile.ZipFile(zips[0]) as z:
        names = set(z.namelist())
        top = next(iter(names)).split("/")[0]
        page = z.read(f"{top}/{PAGE}").decode("utf-8")
    links = re.findall(r'class="k20-download"[^>]*href="([^"]+)"', page)
    assert links and not any(link.startswith("data:") for link in links)
    folder = posixpath.dirname(PAGE)
    for link in links:
        assert f"{top}/{posixpath.normpath(posixpath.join(folder, urllib.parse.unquote(link)))}" in names, link
