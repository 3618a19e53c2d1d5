"""Sphinx extension: pages that load only what a reader needs, all of it from the book itself.

The stock Jupyter Book 1 page loads 2.4 MB and logs console errors. This extension:

- drops sphinx-thebe's scripts and stylesheet (live code needs a remote kernel service, which this
  book does not use; its inline config was also emitted twice, a console error on every page);
- removes the theme's ``fontawesome.js`` (1.5 MB, used only to draw a dozen icons) from every
  page; ``k20-icons.css`` draws the same icons from the solid webfont the theme already ships;
- writes the root ``index.html`` as the book's first page itself (its relative addresses rewritten
  for the root folder), instead of sphinx-external-toc's bare refresh tag: a redirect may be
  refused when the book is opened from disk (the offline edition), and the bare tag left the
  browser to ask for a ``/favicon.ico`` that does not exist;
- deletes from the output what no page loads: source maps (and the comments pointing to them),
  the icon script, TrueType copies of the webfonts, the unused brand and regular webfonts, and
  the theme's Jinja macro files, which its build copies among the static files.

Icons the pages use must be listed in ``book/_static/k20-icons.css``; a browser test checks that
every icon on every page has a glyph.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

ICON_SCRIPT = re.compile(
    r'\s*<(?:script defer src|link rel="preload" as="script" href)="[^"]*scripts/fontawesome\.js[^"]*"'
    r"\s*/?>(?:</script>)?"
)
SOURCE_MAP = re.compile(r"\n?/[/*]# sourceMappingURL=[^\n]*?(?:\*/)?\s*$")
UNUSED = (
    "**/*.map",
    "scripts/fontawesome.js",
    "scripts/fontawesome.js.LICENSE.txt",
    "vendor/fontawesome/webfonts/*.ttf",
    "vendor/fontawesome/webfonts/fa-brands-400.woff2",
    "vendor/fontawesome/webfonts/fa-regular-400.woff2",
    "sphinx-thebe.*",
    "webpack-macros.html",
    "sbt-webpack-macros.html",
)


def _without_thebe(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    def thebe(asset: Any) -> bool:
        return "thebe" in (getattr(asset, "filename", None) or str(asset)) or "THEBE" in getattr(
            asset, "attributes", {}
        ).get("body", "")

    for key in ("script_files", "css_files"):
        if key in context:
            context[key][:] = [a for a in context[key] if not thebe(a)]


RELATIVE_URL = re.compile(r'(\s(?:href|src|action)=")([^"#?:]*)((?:[?#][^"]*)?")')
CONTENT_ROOT = re.compile(r'data-content_root="[^"]*"')


def moved_up(page: str, folder: str) -> str:
    """The HTML of a page from ``folder`` (one level down) with every relative address rewritten for the root folder."""

    def rewrite(m: re.Match[str]) -> str:
        target = m.group(2)
        if not target or target.startswith("/"):
            return m.group(0)
        moved = posixpath.normpath(posixpath.join(folder, target))
        return f"{m.group(1)}{moved}{m.group(3)}"

    return CONTENT_ROOT.sub('data-content_root="./"', RELATIVE_URL.sub(rewrite, page))


def _root_page(app: Sphinx, exception: Exception | None) -> None:
    """The root index.html: the book's first page itself, its addresses rewritten for the root folder.

    A redirect (a refresh tag or a script) can be refused when the book is opened from disk, so the
    root holds the first page's own content; its links lead into the book like the page's own.
    """
    if exception is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    out = Path(app.outdir)
    first = out / f"{app.config.root_doc}.html"
    folder = posixpath.dirname(app.config.root_doc)
    if not first.exists() or folder.count("/") or not folder:
        title = html.escape(app.config.html_title or app.config.project)
        target = f"{app.config.root_doc}.html"
        (out / "index.html").write_text(
            f'<!DOCTYPE html>\n<html lang="{app.config.language or "en"}"><head><meta charset="utf-8">'
            f'<title>{title}</title></head><body><p><a href="{target}">{title}</a></p></body></html>\n',
            encoding="utf-8",
        )
        return
    (out / "index.html").write_text(moved_up(first.read_text(encoding="utf-8"), folder), encoding="utf-8")


def _trim_output(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        trimmed = ICON_SCRIPT.sub("", text)
        if trimmed != text:
            page.write_text(trimmed, encoding="utf-8")
    static = out / "_static"
    for pattern in UNUSED:
        for path in static.glob(pattern):
            path.unlink()
    for asset in [*static.rglob("*.js"), *static.rglob("*.css")]:
        text = asset.read_text(encoding="utf-8")
        trimmed = SOURCE_MAP.sub("", text)
        if trimmed != text:
            asset.write_text(trimmed, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _without_thebe, priority=900)  # after sphinx-thebe adds its assets
    app.connect("build-finished", _trim_output)
    # after sphinx-external-toc's bare redirect (priority 500) and after _trim_output, whose result it copies
    app.connect("build-finished", _root_page, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
