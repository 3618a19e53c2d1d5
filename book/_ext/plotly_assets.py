"""Sphinx extension: serve plotly.js from the book itself, only on the pages that draw plotly figures.

Chapters store plotly figures as data (a div of reserved height and a ``<script
type="application/json">`` with the figure, see ``analysis.report``), with no script of their own.
This extension adds one deferred ``<script>`` for the book's chart loader (``k20-plots.js``) to
every page whose body holds such a figure; the loader fetches the plotly.js bundle only when a chart
nears the viewport, after the page's text is drawn. The bundle is plotly.js's "basic" partial build
(scatter, bar, pie: 1.1 MB instead of 4.8 MB for the full build), kept in ``book/_static/`` and
copied with the other static files; no page loads anything from a CDN.
``analysis.report.interactive`` refuses figures with trace types the bundle cannot draw.

The bundle must be the plotly.js version that the installed plotly.py writes figures for; the
build stops if they differ. To update it (MIT licensed, from the npm registry):

    npm pack plotly.js-basic-dist-min@$(python -c "import plotly.offline as o; print(o.get_plotlyjs_version())")
    tar xzf plotly.js-basic-dist-min-*.tgz package/plotly-basic.min.js -O > book/_static/plotly-basic.min.js
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from plotly.offline import get_plotlyjs_version
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

BUNDLE = "plotly-basic.min.js"
LOADER = "k20-plots.js"


def bundle_path() -> Path:
    return Path(__file__).resolve().parent.parent / "_static" / BUNDLE


def bundle_version(path: Path | None = None) -> str:
    """The version in the bundle's header comment, e.g. '3.7.0'."""
    head = (path or bundle_path()).read_text(encoding="utf-8")[:300]
    found = re.search(r"plotly\.js \(basic - minified\) v(\d+\.\d+\.\d+)", head)
    if not found:
        raise ExtensionError(f"{path or bundle_path()}: not a plotly.js basic bundle (no version header)")
    return found.group(1)


def _check_version(app: Sphinx) -> None:
    if bundle_version() != get_plotlyjs_version():
        raise ExtensionError(
            f"{bundle_path()} is plotly.js {bundle_version()} but plotly.py writes figures for "
            f"plotly.js {get_plotlyjs_version()}: update the bundle (see {__file__})"
        )


def _add_bundle(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if "k20-figure-data" in context.get("body", ""):
        # inside html-page-context this adds the script to this page only; the loader finds the bundle beside it
        app.add_js_file(LOADER, loading_method="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _check_version)
    app.connect("html-page-context", _add_bundle)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "3"}
