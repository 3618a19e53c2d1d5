"""Sphinx extension: serve plotly.js from the book itself, only on the pages that draw plotly figures.

Chapters store plotly figures as plain HTML (a div and a ``Plotly.newPlot`` call, see
``analysis.report``), with no script of their own. This extension adds one ``<script>`` for the
bundle to the head of every page whose body holds a ``plotly-graph-div``, and copies the bundle
into ``_static/`` once. No page loads anything from a CDN.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import plotly
from sphinx.application import Sphinx

BUNDLE = "plotly.min.js"


def bundle_path() -> Path:
    """The plotly.js shipped with the installed plotly.py, so the two versions always match."""
    return Path(plotly.__file__).parent / "package_data" / BUNDLE


def _add_bundle(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if "plotly-graph-div" in context.get("body", ""):
        app.add_js_file(BUNDLE)  # inside html-page-context this adds the script to this page only


def _copy_bundle(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        static = Path(app.outdir) / "_static"
        static.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bundle_path(), static / BUNDLE)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _add_bundle)
    app.connect("build-finished", _copy_bundle)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
