"""Sphinx extension: every page says what it is and how to cite it; the "What changed" page is generated.

- The version and the date come from ``data/datapackage.json`` (``version``; ``created``, or else
  ``date``, an ISO date or date-time): the book's version is the data's. A descriptor without them stops the build.
- Every page's footer shows the licences (text, figures and data CC BY 4.0; code MIT), the version,
  the data's date, and links to the "What changed" page, the citation and the editions (print PDF,
  offline zip, data package zip; ``book/_ext/editions.py`` writes them into ``_build/html/editions/``).
- The book's first page and every chapter end with a "Cite this" block: a reference in text and
  in BibTeX, with the version and the date. Nothing is typed into the notebooks.
- ``book/changes.md`` is a stub; at build time its text is followed by ``data/CHANGELOG.md`` with
  its headings moved under the page title. A missing changelog, or one with no section for the
  package's version, stops the build with a message saying so.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parents[2]


def book_config(root: Path = ROOT) -> tuple[str, str]:
    """The book's name in its one written form and its author, as ``_config.yml`` gives them (``title``, ``author``)."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    return str(config["title"]), str(config["author"])


#: Used by the sidebar, every page's title, the citations and the print edition alike.
BOOK, AUTHOR = book_config()
CHANGES_DOC = "book/changes"
ROOT_DOC = "book/index"
DATA_LICENCE = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
#: The editions the footer links to, under the built site's ``editions/`` folder (see editions.py).
EDITIONS = (
    ("Print edition (PDF)", "karabakh-2020-in-data.pdf"),
    ("Offline edition (zip)", "karabakh-2020-in-data-offline.zip"),
    ("Data package (zip)", "karabakh-2020-in-data-data.zip"),
)
#: Where the descriptor gives the release's date: Frictionless's ``created``, else a plain ``date``.
DATE_FIELDS = ("created", "date")
HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Release:
    """The data package's version and date, which are the book's."""

    version: str
    date: dt.date

    @property
    def date_text(self) -> str:
        """The date as the book writes it: '2 December 2026'."""
        return f"{self.date.day} {self.date:%B %Y}"


def release(data_dir: Path | None = None) -> Release:
    """The version and date that ``datapackage.json`` declares; ExtensionError naming what is missing."""
    path = (data_dir or ROOT / "data") / "datapackage.json"
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExtensionError(f"{path}: cannot be read ({exc})") from None
    version = str(descriptor.get("version") or "")
    created = str(next((descriptor[k] for k in DATE_FIELDS if descriptor.get(k)), ""))
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise ExtensionError(
            f"{path}: 'version' must be a release number like 1.1.0 (found {version!r}); "
            "the book's version is the data's"
        )
    try:
        date = dt.date.fromisoformat(created[:10])
    except ValueError:
        raise ExtensionError(
            f"{path}: 'created' (or 'date') must be the release's ISO date or date-time "
            f"(found {created!r}); the book prints it as the data's date"
        ) from None
    return Release(version, date)


def _bibtex_text(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def citation(rel: Release, chapter: str | None = None, page: str = "") -> tuple[str, str]:
    """The reference as text and as BibTeX: for the book (``chapter`` None) or for one of its chapters."""
    where = f"{BOOK}, version {rel.version}, data of {rel.date_text}"
    key = (
        "karabakh2020data"
        + (f"-{re.sub(r'[^a-z0-9]+', '-', page.lower()).strip('-')}" if chapter else "")
        + f"-{rel.version}"
    )
    common = (
        f"  author    = {{{{{AUTHOR}}}}},\n  year      = {{{rel.date.year}}},\n"
        f"  version   = {{{rel.version}}},\n  date      = {{{rel.date.isoformat()}}},\n"
        f"  note      = {{Text, figures and data CC BY 4.0; data of {rel.date.isoformat()}}}"
    )
    if chapter is None:
        text = f"{AUTHOR} ({rel.date.year}). {BOOK}, version {rel.version}, data of {rel.date_text}. CC BY 4.0."
        bib = f"@book{{{key},\n  title     = {{{_bibtex_text(BOOK)}}},\n{common}\n}}"
    else:
        text = f"{AUTHOR} ({rel.date.year}). \u201c{chapter}\u201d. In {where}. CC BY 4.0."
        bib = (
            f"@incollection{{{key},\n  title     = {{{_bibtex_text(chapter)}}},\n"
            f"  booktitle = {{{_bibtex_text(BOOK)}}},\n{common}\n}}"
        )
    return text, bib


def _plain_title(title: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", title)).strip()


def _cite_block(rel: Release, pagename: str, title: str) -> str:
    chapter = None if pagename == ROOT_DOC else _plain_title(title)
    text, bib = citation(rel, chapter, pagename.rsplit("/", 1)[-1])
    what = "this book" if chapter is None else "this chapter"
    return (
        f'<section class="k20-cite" id="cite-this" aria-labelledby="cite-this-title">'
        f'<h2 id="cite-this-title">Cite {what}</h2>'
        f"<p>{html.escape(text)}</p>"
        f'<details><summary>BibTeX</summary><pre class="k20-bibtex">{html.escape(bib)}</pre></details>'
        f"</section>"
    )


def _footer(rel: Release, pathto: Any, pagename: str) -> str:
    editions = " · ".join(f'<a href="{pathto("editions/" + name, 1)}">{label}</a>' for label, name in EDITIONS)
    return (
        '<p class="k20-footer">Text, figures and data:'
        f' <a href="{DATA_LICENCE[1]}" rel="license">{DATA_LICENCE[0]}</a>;'
        f' code: MIT. Version <span class="k20-version">{html.escape(rel.version)}</span>,'
        f' data of <time datetime="{rel.date.isoformat()}">{rel.date_text}</time>.'
        f' <a href="{pathto(CHANGES_DOC)}">What changed</a> ·'
        f' <a href="{"" if pagename == ROOT_DOC else pathto(ROOT_DOC)}#cite-this">Cite this book</a> · {editions}</p>'
    )


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    rel: Release = app.env.k20_release  # type: ignore[attr-defined]
    context["theme_extra_footer"] = _footer(rel, context["pathto"], pagename)
    if doctree is not None and "body" in context and pagename.startswith("book/"):
        context["body"] += _cite_block(rel, pagename, context.get("title", ""))


def _shift_headings(text: str) -> str:
    """The changelog's text under the page's title: a single top title dropped, the rest moved to level 2 and below."""
    lines = text.splitlines()
    fenced, headings = False, []
    for i, line in enumerate(lines):
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and (m := HEADING.match(line)):
            headings.append((i, len(m.group(1))))
    if not headings:
        return text
    top = min(level for _, level in headings)
    if sum(level == top for _, level in headings) == 1 and headings[0][1] == top:
        lines[headings[0][0]] = ""
        headings = headings[1:]
        top = min((level for _, level in headings), default=2)
    for i, level in headings:
        m = HEADING.match(lines[i])
        assert m is not None
        lines[i] = "#" * min(6, level - top + 2) + " " + m.group(2)
    return "\n".join(lines) + "\n"


def changes_text(rel: Release, data_dir: Path | None = None) -> str:
    """The body of the "What changed" page: a generated note, then data/CHANGELOG.md under the page's title."""
    path = (data_dir or ROOT / "data") / "CHANGELOG.md"
    if not path.is_file():
        raise ExtensionError(
            f"{path} is missing: the 'What changed' page ({CHANGES_DOC}.md) is generated from it. "
            "Write the release's section (a '## <version>' heading, the summary of "
            "`python -m analysis diff OLD NEW` and an account of each kind of change)"
        )
    text = path.read_text(encoding="utf-8")
    versions = [m.group(2) for line in text.splitlines() if (m := HEADING.match(line))]
    if not any(re.search(rf"(?<![\d.]){re.escape(rel.version)}(?![\d.])", v) for v in versions):
        raise ExtensionError(
            f"{path} has no section for version {rel.version}, the version in datapackage.json: "
            "the book's version follows the data's, so each release must say what it changed"
        )
    note = (
        f"\nThis page is generated from `data/CHANGELOG.md` when the book is built. The book is at version "
        f"**{rel.version}**, with data of {rel.date_text}. Each release lists, per file, the rows added, "
        "removed and changed (matched by their keys), as `python -m analysis diff OLD NEW` reports them.\n\n"
    )
    return note + _shift_headings(text)


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    if docname == CHANGES_DOC:
        source[0] = source[0].rstrip() + "\n" + changes_text(app.env.k20_release)  # type: ignore[attr-defined]


def _builder_inited(app: Sphinx) -> None:
    app.env.k20_release = release()  # type: ignore[attr-defined]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _builder_inited)
    app.connect("source-read", _source_read)
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
