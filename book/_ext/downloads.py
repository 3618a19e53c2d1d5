"""Sphinx extension: every download a page offers becomes a file beside the site, not bytes inside the page.

Chapters write their downloads ("Download data" CSVs, images) as ``<a class="k20-download"
download="NAME" href="data:MIME;base64,...">``: a link that works in Jupyter and in any copy of the
HTML. Left in the page, those payloads would be loaded by every reader, wanted or not. While each
page is written, this extension decodes each such payload (of any MIME type, base64 or
percent-encoded), writes it to ``_downloads/k20/<page>/NAME`` under the built site and points the
link there with a relative address, so it works served and opened from disk (the offline edition
zips the whole site). ``NAME`` must be a plain file name; two links on one page with one name must
carry the same bytes.
"""

from __future__ import annotations

import base64
import html
import posixpath
import re
import urllib.parse
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

#: Where the files go, under the built site.
FOLDER = "_downloads/k20"
LINK = re.compile(r'<a\s[^>]*class="k20-download"[^>]*>')
ATTRIBUTE = re.compile(r'\s(download|href)="([^"]*)"')
PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
DATA_URL = re.compile(r"data:(?P<mime>[^;,]*)(?P<params>(?:;[^;,]*)*),(?P<payload>.*)", re.DOTALL)


def payload(url: str) -> bytes:
    """The bytes a ``data:`` address carries (base64 or percent-encoded)."""
    m = DATA_URL.fullmatch(url)
    if m is None:
        raise ValueError(f"not a data: address: {url[:60]!r}")
    if ";base64" in m.group("params"):
        return base64.b64decode(m.group("payload"), validate=True)
    return urllib.parse.unquote_to_bytes(m.group("payload"))


def page_folder(pagename: str) -> str:
    """The plain folder name of a page's downloads: 'book/war' -> 'book-war'."""
    return pagename.replace("/", "-")


def externalise(body: str, pagename: str, outdir: Path) -> tuple[str, dict[str, int]]:
    """``body`` with every k20-download payload written under ``outdir`` and its link pointed to the file;
    also the files written (name -> bytes)."""
    folder = f"{FOLDER}/{page_folder(pagename)}"
    written: dict[str, bytes] = {}

    def move(m: re.Match[str]) -> str:
        tag = m.group(0)
        attributes = dict(ATTRIBUTE.findall(tag))
        href = html.unescape(attributes.get("href", ""))
        if not href.startswith("data:"):
            return tag
        name = html.unescape(attributes.get("download", ""))
        if not PLAIN_NAME.fullmatch(name) or name in {".", ".."}:
            raise ValueError(f"page {pagename}: download name {name!r} is not a plain file name")
        data = payload(href)
        if written.get(name, data) != data:
            raise ValueError(f"page {pagename}: two downloads named {name!r} carry different bytes")
        written[name] = data
        target = outdir / folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        relative = posixpath.relpath(f"{folder}/{name}", posixpath.dirname(pagename) or ".")
        return tag.replace(f'href="{attributes["href"]}"', f'href="{html.escape(relative)}"')

    return LINK.sub(move, body), {name: len(data) for name, data in written.items()}


def _page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.builder.format != "html" or "body" not in context:
        return
    context["body"], _ = externalise(context["body"], pagename, Path(app.outdir))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _page)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
