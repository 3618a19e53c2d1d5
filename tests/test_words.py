"""How the book writes counts, numbers and dates (analysis.words), and what it refuses to write."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import words
from analysis.words import SHORT_DATE, date_text

ts = pd.Timestamp


@pytest.mark.parametrize(
    ("count", "count_max", "qualifier", "text"),
    [
        (2906, None, "exact", "2,906"),
        (725000, None, "about", "about 725,000"),
        (5000, None, "more-than", "more than 5,000"),
        (541, None, "at-least", "at least 541"),
        (9, None, "up-to", "up to 9"),
        (300000, 500000, "range", "300,000–500,000"),
        (700, 800, "range", "700–800"),
        (5, 5, "range", "5"),
        (7, pd.NA, pd.NA, "7"),
        (36, None, None, "36"),
    ],
)
def test_figure_text_words_a_count_as_its_source_put_it(count, count_max, qualifier, text) -> None:
    assert words.figure_text(count, count_max, qualifier) == text


def test_figure_text_shows_a_missing_count_only_as_the_caller_says() -> None:
    assert words.figure_text(None, None, "about", missing="") == ""
    assert words.figure_text(pd.NA, missing="no figure") == "no figure"
    with pytest.raises(ValueError, match="needs a count"):
        words.figure_text(pd.NA)
    with pytest.raises(ValueError, match="range needs count_max"):
        words.figure_text(1, None, "range", missing="")
    with pytest.raises(ValueError, match="unknown qualifier 'roughly'"):
        words.figure_text(1, None, "roughly")


def test_numbers() -> None:
    assert words.number(2906) == "2,906" and words.number(0.5, 1) == "0.5"
    with pytest.raises(ValueError, match="missing value"):
        words.number(float("nan"))


@pytest.mark.parametrize(
    ("start", "end", "months", "text"),
    [
        ("2020-07-12", "2020-07-16", "long", "12–16 July 2020"),
        ("2020-09-27", "2020-11-10", "long", "27 September – 10 November 2020"),
        ("2020-12-31", "2021-01-02", "long", "31 December 2020 – 2 January 2021"),
        ("2020-11-10", "2020-11-10", "long", "10 November 2020"),
        ("2020-07-12", "2020-07-16", "short", "12–16 Jul 2020"),
        ("2020-09-27", "2020-11-10", "short", "27 Sep – 10 Nov 2020"),
    ],
)
def test_date_spans(start, end, months, text) -> None:
    assert words.date_span(ts(start), ts(end), months) == text


@pytest.mark.parametrize(
    ("date", "precision", "end", "months", "text"),
    [
        ("2020-07-12", "day", None, "long", "12 July 2020"),
        ("2020-07-12", "day", "2020-07-16", "long", "12–16 July 2020"),
        ("2020-07-12", "day", "2020-08-02", "long", "12 July – 2 August 2020"),
        ("2020-07-12", "day", "2020-07-12", "long", "12 July 2020"),
        ("2020-07-01", "month", None, "long", "July 2020"),
        ("2020-01-01", "year", None, "long", "2020"),
        ("2020-10-18", "day", None, "short", "18 Oct 2020"),
        ("2020-10-01", "month", None, "short", "Oct 2020"),
        ("2020-01-01", "year", None, "short", "2020"),
    ],
)
def test_date_text_at_each_precision(date, precision, end, months, text) -> None:
    assert words.date_text(ts(date), precision, None if end is None else ts(end), months) == text


def test_date_text_refuses_what_it_cannot_write() -> None:
    assert words.date_text(pd.NaT, "day", missing="undated") == "undated"
    assert words.date_text(None, None, missing="not stated") == "not stated"
    with pytest.raises(ValueError, match="no date"):
        words.date_text(pd.NaT)
    with pytest.raises(ValueError, match="precision 'week' for 2020-07-12; expected day, month or year"):
        words.date_text(ts("2020-07-12"), "week")
    with pytest.raises(ValueError, match="precision 'missing'"):
        words.date_text(ts("2020-07-12"), None)
    with pytest.raises(ValueError, match="months='medium'"):
        words.date_span(ts("2020-07-12"), ts("2020-07-13"), "medium")


def test_months_must_be_long_or_short_at_every_precision() -> None:
    with pytest.raises(ValueError, match="months='medium'"):
        words.date_text(ts("2020-07-01"), "month", months="medium")


def test_date_text_follows_the_precision() -> None:
    dates = pd.Series(pd.to_datetime(["2020-07-16", "2020-10-01", "2020-01-01", None]))
    out = date_text(dates, pd.Series(["day", "month", "year", None]), **SHORT_DATE)
    assert out.tolist() == ["16 Jul 2020", "Oct 2020", "2020", "not stated"]
