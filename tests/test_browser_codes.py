"""No internal codes in what a reader sees on the built pages (issue 13.3), in Chromium.

Per page: the visible text (``innerText``: prose, captions, source lines, table cells, the data
explorer's rows), and the text plotly shows from each figure's data (legend entries, hover text,
tick labels, annotations, titles), scanned for source ids, row ids, module or function names and
vocabulary slugs (analysis.codes). Left out, on purpose:

- the places listed in ``analysis.codes.DELIBERATE``: the id of each document in the data files,
  beside its entry on the Sources page, and the Sources page's data dictionary and list of files
  (column names, allowed values and file names are what someone using the CSVs needs to read);
- code cells' source, which is code, not reader text (it sits behind a "Show code" toggle);
- the "What changed" page (``CHANGED``), the data package's changelog for users of the CSV files,
  which names the columns and values that changed as the files write them.

Skipped, loudly, when no Chromium is installed or the book is not built.
"""

from __future__ import annotations

import warnings

import pytest
from conftest import CHROMIUM
from test_browser import HTML, PAGES

from analysis.codes import DELIBERATE, code_patterns, find_codes

if CHROMIUM is None:
    warnings.warn("NO CHROMIUM: the browser code scan is SKIPPED", stacklevel=1)
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="!!! no Chromium on this machine: browser tests skipped !!!"),
    pytest.mark.skipif(not (HTML / "index.html").exists(), reason="book not built: run `make book`"),
]

#: Code cells' source, which the scan leaves out (code, not reader text).
CODE = (".cell_input", ".cell .highlight")
#: The data package's changelog, written for users of the CSV files.
CHANGED = "book/changes.html"

# The page's visible text with the left-out places hidden for the reading, then shown again; and
# every string plotly shows from each figure's data and layout.
READER_TEXT = """(skip) => {
  const hidden = [...document.querySelectorAll(skip.join(','))].filter(e => e.style.display !== 'none');
  hidden.forEach(e => { e.dataset.k20Display = e.style.display; e.style.display = 'none'; });
  const text = document.body.innerText;
  hidden.forEach(e => { e.style.display = e.dataset.k20Display; delete e.dataset.k20Display; });
  const shown = new Set(['name', 'text', 'hovertext', 'hovertemplate', 'texttemplate', 'customdata',
                         'ticktext', 'title', 'labels', 'annotations', 'legendgrouptitle']);
  const strings = [];
  const walk = (value, reading) => {
    if (typeof value === 'string') { if (reading) strings.push(value); return; }
    if (Array.isArray(value)) { value.forEach(v => walk(v, reading)); return; }
    if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key !== 'meta' && !key.startsWith('_')) walk(v, reading || shown.has(key));
      }
    }
  };
  for (const div of document.querySelectorAll('.plotly-graph-div')) {
    walk(div.data || [], false);
    walk(div.layout || {}, false);
  }
  return {text, figures: strings.join('\\n')};
}"""


@pytest.fixture(scope="module")
def reader_text(browser, base) -> dict[str, dict[str, str]]:  # noqa: F811
    """Each page's visible text and its figures' text, after the page (and its plots) loaded."""
    out = {}
    for path in PAGES:
        page = browser.new_page()
        page.goto(base + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        plots = page.evaluate("() => document.querySelectorAll('.plotly-graph-div').length")
        if plots:
            page.wait_for_function(
                "n => [...document.querySelectorAll('.plotly-graph-div')].filter(d => d.data).length >= n",
                arg=plots,
                timeout=15_000,
            )
        out[path] = page.evaluate(READER_TEXT, [*DELIBERATE, *CODE])
        page.close()
    return out


def test_the_scan_reads_pages_and_figures(reader_text) -> None:
    """The scan sees what it should: the source lines' short titles and the figures' legend text."""
    index = reader_text["book/index.html"]["text"]
    assert "How to read this book" in index
    assert "Wikipedia, Second Nagorno-Karabakh War" in reader_text["book/war.html"]["text"]
    assert sum(len(t["figures"]) for t in reader_text.values()) > 10_000, "no figure text read"
    sources = reader_text["book/sources.html"]["text"]
    assert "Həsənbəyli, actions in Iran" in sources and "In the data files" in sources


def test_no_internal_codes_in_visible_text(reader_text) -> None:
    patterns = code_patterns()
    found = {
        f"{path} ({where})": sorted({f"{kind}: {code}" for kind, code in find_codes(texts[where], patterns)})
        for path, texts in reader_text.items()
        if path != CHANGED
        for where in ("text", "figures")
    }
    found = {k: v for k, v in found.items() if v}
    assert not found, "internal codes shown to readers:\n" + "\n".join(f"{k}: {v[:12]}" for k, v in found.items())
