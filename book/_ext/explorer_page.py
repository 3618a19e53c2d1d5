"""Sphinx extension: the data explorer page, generated from the data package at build time.

``book/explorer.md`` holds the page's prose and a ``{k20-explorer}`` directive. The directive reads
the data (``analysis.explorer``: events, people, detentions, sentences, casualty figures,
equipment losses and claims, each row with its source, locator, evidence grade and chapter; no
children) and writes it into the page as one JSON script element, which no browser runs. The
page's small script (``book/_static/k20-explorer.js``, loaded on this page only) draws searchable,
sortable tables from it, writing every cell as text, never as markup. Everything is in the page and
``_static``, so the explorer works offline and from disk.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = "k20-explorer.js"
DATA_ID = "k20-explorer-data"


def script_json(value: Any) -> str:
    """``value`` as JSON that cannot end or open an HTML element: <, > and & written as JSON escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def explorer_html(data_dir: Path) -> str:
    """The explorer's HTML: a container, a note for readers without JavaScript, and the data as JSON."""
    from analysis.data import load_tables
    from analysis.explorer import NEEDS, explorer_tables

    tables = explorer_tables(load_tables(list(NEEDS), data_dir))
    data = script_json({"tables": [t.as_json() for t in tables]})
    return (
        f'<div id="k20-explorer" class="k20-explorer">'
        f"<noscript><p>The explorer needs JavaScript. Every table is also a CSV file, linked on the "
        f'<a href="sources.html#download-the-data">Sources</a> page.</p></noscript>'
        f'<script type="application/json" id="{DATA_ID}">{data}</script></div>'
    )


class ExplorerDirective(SphinxDirective):
    """``{k20-explorer}``: the explorer's tables, drawn in the browser from JSON embedded in the page."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        data_dir = ROOT / "data"
        for path in sorted(data_dir.glob("*.csv")) + [data_dir / "datapackage.json"]:
            self.env.note_dependency(str(path))
        return [nodes.raw("", explorer_html(data_dir), format="html")]


def _add_script(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if f'id="{DATA_ID}"' in context.get("body", ""):
        app.add_js_file(SCRIPT, loading_method="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("k20-explorer", ExplorerDirective)
    app.connect("html-page-context", _add_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
