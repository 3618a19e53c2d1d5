"""The built book (make book) contains the generated pages and tables."""

from __future__ import annotations

import pytest
from conftest import ROOT

from analysis.codes import CHECK_LABELS

HTML = ROOT / "_build" / "html"

pytestmark = pytest.mark.skipif(
    not (HTML / "index.html").exists(), reason="book not built: run `make book` (make test builds it first)"
)


def test_every_toc_page_is_built() -> None:
    for page in ("book/index.html", "book/sources.html"):
        assert (HTML / page).exists(), page


def test_data_page_shows_generated_tables() -> None:
    html = (HTML / "book" / "sources.html").read_text(encoding="utf-8")
    # the file list, and the discrepancy register with its checks named in words (analysis.codes.CHECK_LABELS)
    assert "events.csv" in html and CHECK_LABELS["total-vs-parts"] in html and ">total-vs-parts<" not in html
    assert "Traceback" not in html and "Error" not in html.split("<body")[1][:200000].replace("error(s)", "")


def test_every_page_names_its_icon_so_no_browser_asks_for_favicon_ico() -> None:
    # A page without <link rel="icon"> makes the browser request /favicon.ico, which the book does
    # not have: a 404 in the console, at a moment that depends on timing.
    pages = sorted(HTML.rglob("*.html"))
    missing = [str(p.relative_to(HTML)) for p in pages if 'rel="icon"' not in p.read_text(encoding="utf-8")]
    assert pages and not missing, missing
    root = (HTML / "index.html").read_text(encoding="utf-8")  # the first page itself (see test_citable.py)
    assert 'href="_static/favicon.svg"' in root and 'href="book/timeline.html"' in root
