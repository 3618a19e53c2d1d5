"""Sphinx extension: the search page works the same served and opened from disk (the offline edition).

Sphinx's search page fetches each result's page to print a summary under its link. A page opened from
``file://`` may not fetch another file (Chromium blocks it, with one console error per result), so
there the summaries are left out and only the links are listed; served over http(s) nothing changes.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

#: Run on the search page before any result is shown: no summary fetches from a page opened from disk.
FROM_DISK = "if (location.protocol === 'file:') { DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false; }"


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if pagename == "search":
        app.add_js_file(None, body=FROM_DISK, priority=300)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
