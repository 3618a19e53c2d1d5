"""Internal codes a reader should never meet: source ids, row ids, module or function names, vocabulary slugs.

The book's pages show titles, labels and words; the codes the data and the package use to join
and compute (``hasanbayli-south-az``, ``h000-d002``, ``analysis.discrepancies.named_vs_stated``,
``south-azerbaijani-activist``) belong to the CSVs and the code. :func:`code_patterns` builds,
from the data package, the patterns of every kind of code; :func:`find_codes` lists the codes a
piece of reader text holds; :func:`stored_reader_text` collects a stored notebook's reader text
(prose, captions, tables, alt text, and the text inside plotly figures) for that scan.
"""

from __future__ import annotations

import html.parser
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .schema import read_package

#: Row ids of the hand-made tables ('h000-d002', 'h002b-l001', 'st-fn26') and the dated event ids
#: ('2020-07-12-tovuz-clash'): the shape of every primary key the data writes by hand.
ROW_ID = re.compile(r"\b(?:h\d{3}[a-z]?-[a-z]\d{3}|st-fn\d+|\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)+)\b")
#: A dotted name in the package ('analysis.charts', 'charts.source_line', 'report.table(') or a
#: column written as code ('event_id=', 'source_id').
MODULE_NAME = re.compile(
    r"\b(?:analysis(?:\.[a-z_]+)+|(?:charts|report|words|schema|data|sources|cs|net)\.(?!csv|json|ipynb|html)[a-z_]+"
    r"|[a-z]+_id\b=?)"
)


#: What each check of the validator (analysis.discrepancies) looks for, in a reader's words.
CHECK_LABELS = {
    "total-vs-parts": "stated total against its parts",
    "same-count": "two figures for one count",
    "detainee-count": "two detainee counts for one event",
    "named-vs-stated": "detainees named against those reported",
    "sentence-total": "stated sentences against the records",
    "event-date": "one event, two dates",
    "likely-duplicate": "likely recorded twice",
}


#: Vocabulary values that are also ordinary English words, hyphenated as prose hyphenates them
#: ('air-defence systems'): not counted as codes in reader text.
ORDINARY = frozenset({"air-defence"})


def _slug_pattern(values: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern matching any of ``values`` as a whole word (not inside a longer hyphenated word)."""
    words = sorted({v for v in values if v}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])")


def code_patterns(data_dir: str | Path | None = None) -> dict[str, re.Pattern[str]]:
    """The patterns of each kind of internal code in this data package: kind -> compiled pattern.

    Kinds: 'source id' (every source_id), 'row id' (the hand-made primary keys' shapes), 'module
    or function name', and 'vocabulary slug' (every enumerated value of the schema written with a
    hyphen, such as 'south-azerbaijani-activist' or 'captured-then-lost', and the validator's check
    names: one-word values are ordinary words a reader may meet).
    """
    from .data import default_data_dir, load_table

    package = read_package(default_data_dir() if data_dir is None else data_dir)
    sources = load_table("sources", data_dir)
    slugs = {
        value
        for resource in package.resources
        for fld in resource.fields
        for value in (fld.enum or [])
        if "-" in value and "@" not in value and value not in ORDINARY
    } | set(CHECK_LABELS)
    patterns = {"row id": ROW_ID, "module or function name": MODULE_NAME}
    source_ids = _slug_pattern(sources["source_id"].astype(str))
    slug_pattern = _slug_pattern(slugs)
    if source_ids is not None:
        patterns["source id"] = source_ids
    if slug_pattern is not None:
        patterns["vocabulary slug"] = slug_pattern
    return patterns


def find_codes(text: str, patterns: Mapping[str, re.Pattern[str]]) -> list[tuple[str, str]]:
    """Every internal code in ``text``: (kind, code) pairs, in order of kind then place in the text."""
    return [(kind, m.group(0)) for kind, pattern in patterns.items() for m in pattern.finditer(text)]


#: Where the book shows codes on purpose, for readers of the CSV files, as CSS selectors: the id of each
#: document in the data files, beside its entry on the Sources page (``.k20-code``), and the Sources
#: page's data dictionary and list of files (column names, allowed values and file names are what
#: someone using the CSVs needs to read).
DELIBERATE = (".k20-code", "#table-sources-dictionary", "#table-sources-files")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Visible(html.parser.HTMLParser):
    """The text of an HTML fragment a reader sees or hears: text nodes (not scripts or styles), alt,
    aria-label and title attributes, and every string inside a script's JSON (a plotly figure's
    names, labels and hover text); nothing inside the DELIBERATE places."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._in: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if not self._skipping():
                self.parts.extend(v for k, v in attrs if k in ("alt", "aria-label", "title") and v)
            return
        found = dict(attrs)
        marks = {f".{c}" for c in (found.get("class") or "").split()} | {f"#{found.get('id')}"}
        self._in.append((tag, bool(marks & set(DELIBERATE))))
        if not self._skipping():
            self.parts.extend(v for k, v in attrs if k in ("alt", "aria-label", "title") and v)

    def _skipping(self) -> bool:
        return any(skip for _, skip in self._in)

    def handle_endtag(self, tag: str) -> None:
        if any(t == tag for t, _ in self._in):
            while self._in and self._in.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        tags = [t for t, _ in self._in]
        if "style" in tags or self._skipping():
            return
        if "script" in tags:
            self.parts.extend(_script_strings(data))
        else:
            self.parts.append(data)


#: A JSON string literal inside a script.
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _script_strings(script: str) -> list[str]:
    """The strings of a script a reader may see: its JSON string literals, less the figure's div id
    and plotly's own words (trace types, colours, axis anchors)."""
    found = []
    for raw in _JSON_STRING.findall(script):
        try:
            text = json.loads(f'"{raw}"')
        except json.JSONDecodeError:
            continue
        if text.startswith(("plot-", "#", "rgb")) or re.fullmatch(r"[a-z0-9]+|[xy]\d*", text):
            continue
        found.append(text)
    return found


def visible_html_text(fragment: str) -> str:
    """The reader text of an HTML fragment (see _Visible), one part per line."""
    parser = _Visible()
    parser.feed(fragment)
    parser.close()
    return "\n".join(p for p in parser.parts if p.strip())


#: A MyST role ('{glue}`name`' shows the glued text, not the name), a link's target ('](sources.ipynb)')
#: and a label line.
_ROLE = re.compile(r"\{[a-z:-]+\}`[^`]*`|\]\([^)]*\)")
_LABEL = re.compile(r"^\((?:[^)]*)\)=$|^:[a-z-]+:.*$|^```.*$", re.M)


def stored_reader_text(notebook: str | Path) -> dict[str, str]:
    """What a stored notebook shows a reader, per cell: cell id -> text (markdown prose without roles
    and labels; code cells' HTML or plain outputs, not their code)."""
    nb: dict[str, Any] = json.loads(Path(notebook).read_text(encoding="utf-8"))
    out = {}
    for i, cell in enumerate(nb["cells"]):
        key = str(cell.get("id", i))
        source = "".join(cell.get("source", []))
        if cell["cell_type"] == "markdown":
            out[key] = _LABEL.sub("", _ROLE.sub("", source))
        elif cell["cell_type"] == "code":
            texts = []
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "text/html" in data:
                    texts.append(visible_html_text("".join(data["text/html"])))
                elif "text/markdown" in data:
                    texts.append(_ROLE.sub("", "".join(data["text/markdown"])))
            out[key] = "\n".join(texts)
    return out


def reader_subject(subject: str, events: pd.DataFrame, words: Mapping[str, str]) -> str:
    """A validator's subject line as a reader reads it: no file prefix ('events.csv: '), each event id
    replaced by the event's title in quotes, 'key=value' written 'key value', and each labelled
    vocabulary value (``words``, report.reader_words) by its label."""
    titles = dict(zip(events["event_id"].astype(str), events["title"].astype(str)))
    text = re.sub(r"^[a-z_]+\.csv: ", "", subject)
    text = re.sub(r"\bevent_id=", "", text)
    text = ROW_ID.sub(lambda m: f"'{titles[m.group(0)]}'" if m.group(0) in titles else m.group(0), text)
    text = re.sub(r"\b([a-z]+(?:_[a-z]+)*)=", lambda m: m.group(1).replace("_", " ") + " ", text)
    if words:
        pattern = re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(k) for k in sorted(words, key=len, reverse=True)) + r")(?![\w-])"
        )
        text = pattern.sub(lambda m: words[m.group(0)], text)
    return text
