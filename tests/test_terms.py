"""analysis.terms: prison terms and money in one unit, and stated totals against the per-person rows."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import terms


def test_the_time_convention_is_one_constant() -> None:
    assert terms.DAYS_PER_MONTH == 30.4375 == 365.25 / 12
    assert terms.DAYS_PER_YEAR == 365.25 == 12 * terms.DAYS_PER_MONTH


def test_prison_days_scalars() -> None:
    assert terms.prison_days(7, 16) == 7 * 30.4375 + 16 == 229.0625
    assert terms.prison_days(12, None) == 365.25
    assert terms.prison_days(None, 10) == 10.0
    assert terms.prison_days(pd.NA, pd.NA) is pd.NA
    assert terms.prison_years(12) == 1.0
    assert terms.prison_years(None, None) is pd.NA


def test_prison_days_series_and_lists() -> None:
    months = pd.Series([7, pd.NA, 24, pd.NA], index=[5, 6, 7, 8], dtype="Int64")
    days = pd.Series([16, 3, pd.NA, pd.NA], index=[5, 6, 7, 8], dtype="Int64")
    out = terms.prison_days(months, days)
    assert isinstance(out, pd.Series) and str(out.dtype) == "Float64"
    assert list(out.index) == [5, 6, 7, 8]
    assert out.iloc[:3].tolist() == [229.0625, 3.0, 730.5] and pd.isna(out.iloc[3])
    years = terms.prison_years(months, days)
    assert years.iloc[2] == 2.0 and pd.isna(years.iloc[3])
    # a scalar is broadcast along a Series; plain lists work too
    assert terms.prison_days(months, 0).tolist()[:3] == [213.0625, 0.0, 730.5]
    assert terms.prison_days([1, 2], [0, 1]).tolist() == [30.4375, 61.875]


@settings(max_examples=200, deadline=None)
@given(m1=st.integers(0, 10**6), m2=st.integers(0, 10**6), d1=st.integers(0, 10**5), d2=st.integers(0, 10**5))
def test_prison_days_is_additive_and_monotone(m1: int, m2: int, d1: int, d2: int) -> None:
    assert terms.prison_days(m1 + m2, 0) == terms.prison_days(m1, 0) + terms.prison_days(m2, 0)
    assert terms.prison_days(m1 + m2, d1 + d2) == terms.prison_days(m1, d1) + terms.prison_days(m2, d2)
    lo_m, hi_m = sorted((m1, m2))
    lo_d, hi_d = sorted((d1, d2))
    assert terms.prison_days(lo_m, lo_d) <= terms.prison_days(hi_m, lo_d) <= terms.prison_days(hi_m, hi_d)


@settings(max_examples=200, deadline=None)
@given(m=st.integers(0, 10**6))
def test_prison_years_is_months_over_twelve(m: int) -> None:
    assert math.isclose(terms.prison_years(m, 0), m / 12, rel_tol=1e-12, abs_tol=1e-9)
    assert math.isclose(terms.prison_years(m, None), m / 12, rel_tol=1e-12, abs_tol=1e-9)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.one_of(st.none(), st.integers(0, 600)), st.one_of(st.none(), st.integers(0, 400))),
        min_size=1,
        max_size=8,
    )
)
def test_series_and_scalar_prison_days_agree(pairs: list[tuple[int | None, int | None]]) -> None:
    months = pd.Series([m for m, _ in pairs], dtype="Int64")
    days = pd.Series([d for _, d in pairs], dtype="Int64")
    out = terms.prison_days(months, days)
    for (m, d), value in zip(pairs, out):
        expected = terms.prison_days(m, d)
        assert (pd.isna(value) and expected is pd.NA) or value == expected


def test_to_rials_known_answers() -> None:
    amounts = pd.Series([800000, 5, 3, 4, 7, pd.NA], index=list("abcdef"), dtype="Float64")
    currencies = pd.Series(["rial", "toman", "AZN", "USD", pd.NA, "rial"], index=list("abcdef"))
    out = terms.to_rials(amounts, currencies)
    assert str(out.dtype) == "Float64" and list(out.index) == list("abcdef")
    assert out["a"] == 800000 and out["b"] == 50
    assert out[["c", "d", "e", "f"]].isna().all()  # no rate in the sources for AZN or USD
    assert terms.to_rials(50_000_000, "toman") == 500_000_000
    assert terms.to_rials(10, "USD") is pd.NA
    categorical = pd.Series(pd.Categorical(["toman"], categories=["rial", "toman", "AZN", "USD"]))
    assert terms.to_rials(pd.Series([2.0]), categorical).tolist() == [20.0]


@settings(max_examples=200, deadline=None)
@given(x=st.floats(min_value=0, max_value=1e15, allow_nan=False, allow_infinity=False))
def test_toman_is_ten_rials(x: float) -> None:
    assert terms.to_rials(x, "toman") == 10 * terms.to_rials(x, "rial")
    series = terms.to_rials(pd.Series([x, x]), pd.Series(["toman", "rial"]))
    assert series.iloc[0] == 10 * series.iloc[1]


@settings(max_examples=50, deadline=None)
@given(currency=st.text(min_size=1, max_size=8).filter(lambda c: c not in terms.RIALS_PER_UNIT))
def test_unknown_currency_raises_naming_it(currency: str) -> None:
    with pytest.raises(ValueError, match="unknown currency") as info:
        terms.to_rials(pd.Series([1.0]), pd.Series([currency]))
    assert repr(currency) in str(info.value)


def test_unknown_scalar_currency_raises() -> None:
    with pytest.raises(ValueError, match="'EUR'"):
        terms.to_rials(1.0, "EUR")


def test_stated_vs_recorded_real(real: dict[str, pd.DataFrame]) -> None:
    out = terms.stated_vs_recorded(real["sentence_totals"], real["sentences"]).set_index("total_id")
    ardabil = out.loc["st-fn47"]
    assert (ardabil["stated_lashes"], ardabil["recorded_lashes"], ardabil["lashes_difference"]) == (888, 814, -74)
    assert (ardabil["stated_persons"], ardabil["recorded_persons"], ardabil["persons_difference"]) == (12, 11, -1)
    assert ardabil["stated_prison_months"] == 180
    assert math.isclose(ardabil["recorded_prison_months"], 11 * (7 + 16 / 30.4375))
    tabriz = out.loc["st-fn26"]
    assert tabriz[["persons_difference", "prison_months_difference", "lashes_difference"]].tolist() == [0, 0, 0]
    acquitted = out.loc["st-fn27"]
    assert (acquitted["stated_persons"], acquitted["recorded_persons"]) == (2, 1)
    assert pd.isna(acquitted["lashes_difference"]) and pd.isna(acquitted["prison_months_difference"])
    assert out.loc["st-fn47", "locator"] == "References fn 47"


def test_stated_vs_recorded_mini_and_upheld(tiny: dict[str, pd.DataFrame]) -> None:
    out = terms.stated_vs_recorded(tiny["sentence_totals"], tiny["sentences"]).set_index("total_id")
    assert out.loc["t1", ["stated_persons", "recorded_persons", "persons_difference"]].tolist() == [2, 1, -1]
    assert out.loc["t1", ["stated_prison_months", "recorded_prison_months"]].tolist() == [36, 18]
    assert out.loc["t1", "lashes_difference"] == -74
    assert out.loc["t2", "persons_difference"] == 0
    # a stated total of upheld sentences is compared with the terms the appeals confirmed
    sentences = tiny["sentences"].copy()
    sentences.loc[2, "event_id"] = "2020-11-01-trial"
    totals = tiny["sentence_totals"].iloc[[0]].copy()
    totals["outcome"] = "upheld"
    upheld = terms.stated_vs_recorded(totals, sentences).iloc[0]
    assert (upheld["recorded_persons"], upheld["recorded_lashes"], upheld["recorded_prison_months"]) == (1, 74, 18)
