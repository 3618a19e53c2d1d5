"""How the book writes counts, numbers and dates, and data text, in prose, tables and charts alike.

Plain functions on plain values, with no drawing library imported, so any module can use them.
Each refuses what it cannot write faithfully (a missing value, an unknown qualifier or precision)
unless its caller says what to show instead. The last section is the one home for escaping text
from data/ for where it lands: HTML, MyST, plotly and matplotlib.
"""

from __future__ import annotations

import html as _html
from typing import TYPE_CHECKING, Any, TypeVar, overload

import pandas as pd

if TYPE_CHECKING:  # only for annotations: no drawing library is imported at module level
    from matplotlib.figure import Figure as _Figure


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT and pd.NA (a list or dict is a value, not missing)."""
    return value is None or (not isinstance(value, (list, tuple, dict)) and bool(pd.isna(value)))


def number(value: float | int, decimals: int = 0) -> str:
    """A number as the book writes it: thousands separated by commas, fixed decimals."""
    if pd.isna(value):
        raise ValueError("number(): got a missing value; a page must not print a number the data does not give")
    return f"{value:,.{decimals}f}"


#: How the book words each ``qualifier`` of the data contract in front of a count ('range' is 'low–high').
QUALIFIER_WORDS = {
    "exact": "",
    "about": "about ",
    "at-least": "at least ",
    "more-than": "more than ",
    "up-to": "up to ",
}
_NO_DEFAULT = object()
#: What a table or chart shows for a date, place or name its source does not give.
NOT_STATED = "not stated"
#: date_text() as tables and charts write dates: short months, and NOT_STATED for a missing date.
SHORT_DATE: dict[str, str] = {"months": "short", "missing": NOT_STATED}
_Missing = TypeVar("_Missing")


@overload
def figure_text(count: object, count_max: object = None, qualifier: object = "exact") -> str: ...
@overload
def figure_text(
    count: object, count_max: object = None, qualifier: object = "exact", *, missing: _Missing
) -> str | _Missing: ...


def figure_text(
    count: object, count_max: object = None, qualifier: object = "exact", missing: object = _NO_DEFAULT
) -> object:
    """A count as its source put it: '2,906', 'about 725,000', 'more than 5,000', '300,000–500,000'.

    An empty qualifier means exact; a range whose ends coincide is that one number. A missing count
    is an error unless the caller says what to show instead (``missing``, e.g. '' or pd.NA). A range
    without its high end or an unknown qualifier is always an error.
    """
    if is_missing(count):
        if missing is _NO_DEFAULT:
            raise ValueError("figure_text(): a figure needs a count")
        return missing
    q = "exact" if is_missing(qualifier) else str(qualifier)
    if q == "range":
        if is_missing(count_max):
            raise ValueError("figure_text(): a range needs count_max")
        low, high = int(count), int(count_max)  # type: ignore[call-overload]
        return f"{low:,}" if low == high else f"{low:,}–{high:,}"
    if q not in QUALIFIER_WORDS:
        raise ValueError(
            f"figure_text(): unknown qualifier {q!r}; expected range or one of {', '.join(QUALIFIER_WORDS)}"
        )
    return f"{QUALIFIER_WORDS[q]}{int(count):,}"  # type: ignore[call-overload]


def _month_format(months: str) -> str:
    if months not in ("long", "short"):
        raise ValueError(f"months={months!r}: expected 'long' or 'short'")
    return "%B" if months == "long" else "%b"


def date_span(start: pd.Timestamp, end: pd.Timestamp, months: str = "long") -> str:
    """'12–16 July 2020', '27 September – 10 November 2020', '31 December 2020 – 2 January 2021'.

    ``months="short"`` writes 'Jul', 'Sep' instead ('12–16 Jul 2020').
    """
    m = _month_format(months)
    if start.year != end.year:
        return f"{start.day} {start:{m} %Y} – {end.day} {end:{m} %Y}"
    if start.month != end.month:
        return f"{start.day} {start:{m}} – {end.day} {end:{m} %Y}"
    return f"{start.day}–{end.day} {end:{m} %Y}" if start.day != end.day else f"{end.day} {end:{m} %Y}"


# Any, not overloads: a str for one date, a string Series for a Series of dates, but pandas has no type
# information here (pd.Series is Any to mypy), so overloads could not tell the two apart.
def date_text(
    date: object, precision: object = "day", end: object = None, months: str = "long", missing: object = _NO_DEFAULT
) -> Any:
    """A date as precise as its source gives it: '12 July 2020' (day), 'July 2020' (month), '2020' (year).

    With an ``end`` (day precision) it is a span, as :func:`date_span` writes it. ``months="short"``
    writes 'Jul 2020' (for tables and charts). A missing date is an error unless the caller says what
    to show instead (``missing``, e.g. 'not stated'); a precision other than day, month or year is
    always an error. Given a Series of dates (and a Series or one value of precisions), it returns the
    texts as a string Series with the same index.
    """
    if isinstance(date, pd.Series):
        precisions = precision if isinstance(precision, pd.Series) else pd.Series(precision, index=date.index)
        ends = end if isinstance(end, pd.Series) else pd.Series(end, index=date.index, dtype=object)
        return pd.Series(
            [
                date_text(d, p, e, months, missing=missing)
                for d, p, e in zip(date, precisions.astype(object), ends.astype(object))
            ],
            index=date.index,
            dtype="string",
        )
    if is_missing(date):
        if missing is _NO_DEFAULT:
            raise ValueError("date_text(): no date")
        return missing
    stamp = pd.Timestamp(date)  # type: ignore[arg-type]
    p = "missing" if is_missing(precision) else str(precision)
    if p == "year":
        return f"{stamp:%Y}"
    if p == "month":
        return f"{stamp:{_month_format(months)} %Y}"
    if p != "day":
        raise ValueError(f"date_text(): date precision {p!r} for {stamp:%Y-%m-%d}; expected day, month or year")
    return date_span(stamp, stamp if is_missing(end) else pd.Timestamp(end), months)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- data text, escaped for where it lands
# Text from data/ (CSV cells, descriptor titles and descriptions) is never markup: each function below
# makes it show as itself in one kind of output. Escape once, at the point where the text enters that
# output, and never text that already carries the output's own markup.


def html_text(value: object) -> str:
    """``value`` as HTML text: ``&``, ``<``, ``>`` and both quotes escaped, safe in an element or an attribute."""
    return _html.escape(str(value), quote=True)


#: ASCII punctuation: CommonMark (and so MyST) lets a backslash make any of these a plain character.
_MARKDOWN_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def myst_text(value: object) -> str:
    """``value`` as inline MyST text that reads as itself: every ASCII punctuation mark backslash-escaped.

    No role, directive, link, image, math, substitution or raw HTML can start from it; line breaks
    (which could open a directive or a block) become spaces.
    """
    flat = " ".join(str(value).split())
    return "".join("\\" + c if c in _MARKDOWN_PUNCTUATION else c for c in flat)


def plotly_text(value: object) -> str:
    """``value`` as plotly text (titles, labels, legend names, hover text, annotations) that shows as itself.

    plotly reads a few HTML tags and entities in every text it draws, and ``%{...}`` in a hover
    template, so ``&``, ``<`` and ``>`` become entities and ``%{`` becomes ``%&#123;`` (drawn as
    ``%{``, never substituted). A ``"`` needs no escape: with ``<`` escaped no tag can start.
    """
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("%{", "%&#123;")


def literal_text(fig: _Figure) -> _Figure:
    """The matplotlib figure with math parsing turned off in every text it holds, so ``$...$`` shows as typed.

    Every figure built from data passes through this (report.static calls it before drawing); text
    added to the figure afterwards must be checked again.
    """
    from matplotlib.text import Text  # a drawing library, imported only when a figure is at hand

    for text in fig.findobj(Text):
        text.set_parse_math(False)
    return fig
