"""Prison terms and money in one unit, and stated totals of court outcomes against the per-person rows.

Time: one constant, :data:`DAYS_PER_MONTH` = 365.25 / 12 = 30.4375 days; a year is 12 months. A term
of *m* months and *d* days is ``m * DAYS_PER_MONTH + d`` days; NA if both are missing, a missing one
counts as 0. Money: rial ×1, toman ×10; AZN and USD give NA (the sources give no rate); any other
currency raises ``ValueError``. An upheld appeal without terms of its own carries the terms of the
sentence it upholds. Used by :mod:`analysis.sentencing` (the chapter) and by the discrepancy register.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import pandas as pd

DAYS_PER_MONTH: Final[float] = 365.25 / 12
"""Days in one month of a prison term: 365.25 / 12 = 30.4375 (a year is 12 such months)."""
MONTHS_PER_YEAR: Final[int] = 12
DAYS_PER_YEAR: Final[float] = DAYS_PER_MONTH * MONTHS_PER_YEAR  # 365.25, derived from DAYS_PER_MONTH

RIALS_PER_UNIT: Final[Mapping[str, float | None]] = {"rial": 1.0, "toman": 10.0, "AZN": None, "USD": None}
"""Rials per unit of each currency in the data. None means there is no rate in the sources, so the result is NA."""

Scalar = int | float | None
# The functions below return Any: a Series for Series input, a float or pd.NA for scalars; pandas has no
# type information here (pd.Series is Any to mypy), so overloads could not tell the cases apart.


def _is_scalar(value: object) -> bool:
    return not isinstance(value, (pd.Series, pd.Index, list, tuple)) and not hasattr(value, "__array__")


def _as_series(value: object, index: pd.Index, dtype: str) -> pd.Series:
    if _is_scalar(value):
        return pd.Series([value] * len(index), index=index, dtype=object).astype(dtype)
    series = value if isinstance(value, pd.Series) else pd.Series(list(value), index=index)  # type: ignore[call-overload]
    return series.astype(object).where(series.notna(), None).astype(dtype)


def _pair(a: object, b: object, dtype_a: str, dtype_b: str) -> tuple[pd.Series, pd.Series]:
    """Two inputs as aligned Series (a scalar is broadcast along the other's index)."""
    template = a if isinstance(a, pd.Series) else b if isinstance(b, pd.Series) else None
    if template is None:
        length = len(a) if not _is_scalar(a) else len(b)  # type: ignore[arg-type]
        index: pd.Index = pd.RangeIndex(length)
    else:
        index = template.index
    return _as_series(a, index, dtype_a), _as_series(b, index, dtype_b)


def prison_days(months: pd.Series | Scalar, days: pd.Series | Scalar = None) -> Any:
    """Prison term in days: months × 30.4375 + days; NA if both are missing, a missing one counts as 0."""
    if _is_scalar(months) and _is_scalar(days):
        if pd.isna(months) and pd.isna(days):  # type: ignore[arg-type]
            return pd.NA
        m = 0.0 if pd.isna(months) else float(months)  # type: ignore[arg-type]
        d = 0.0 if pd.isna(days) else float(days)  # type: ignore[arg-type]
        return m * DAYS_PER_MONTH + d
    m_s, d_s = _pair(months, days, "Float64", "Float64")
    total = m_s.fillna(0.0) * DAYS_PER_MONTH + d_s.fillna(0.0)
    return total.mask(m_s.isna() & d_s.isna()).rename("prison_days")


def prison_years(months: pd.Series | Scalar, days: pd.Series | Scalar = None) -> Any:
    """Prison term in years: prison_days(months, days) / 365.25 (a year is 12 months)."""
    total = prison_days(months, days)
    if isinstance(total, pd.Series):
        return (total / DAYS_PER_YEAR).rename("prison_years")
    return total if total is pd.NA else float(total) / DAYS_PER_YEAR  # type: ignore[arg-type]


def to_rials(amount: pd.Series | Scalar, currency: pd.Series | str | None) -> Any:
    """Amounts in rials (rial ×1, toman ×10); AZN/USD give NA (no rate in the sources); unknown currency: ValueError."""
    if _is_scalar(amount) and _is_scalar(currency):
        out = to_rials(pd.Series([amount], dtype="Float64"), pd.Series([currency], dtype=object))
        return out.iloc[0] if pd.notna(out.iloc[0]) else pd.NA  # type: ignore[union-attr]
    a, c = _pair(amount, currency, "Float64", "object")
    known = c.dropna()
    unknown = sorted({str(v) for v in known if str(v) not in RIALS_PER_UNIT})
    if unknown:
        raise ValueError(
            f"unknown currency {', '.join(repr(u) for u in unknown)}: expected one of {', '.join(RIALS_PER_UNIT)}"
        )
    rate = c.map(lambda v: RIALS_PER_UNIT.get(str(v)) if pd.notna(v) else None).astype("Float64")
    return (a * rate).rename("rials")


_TERMS = ("prison_months", "prison_days", "lashes", "fine_amount", "fine_currency")


def with_upheld_terms(sentences: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Upheld rows without terms of their own take the terms of the sentence they uphold."""
    s = sentences.copy()
    terms_from = s["sentence_id"].astype("string").copy()
    by_id = s.set_index(s["sentence_id"].astype(str))
    upheld = s["outcome"].astype(object).eq("upheld") & s["appeal_of"].notna()
    no_terms = s[list(_TERMS)].isna().all(axis=1)
    for row in s.index[upheld & no_terms]:
        original = str(s.at[row, "appeal_of"])
        if original in by_id.index:
            for column in _TERMS:
                s.at[row, column] = by_id.at[original, column]
            terms_from.at[row] = original
    return s, terms_from


def stated_vs_recorded(sentence_totals: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Per stated total: stated persons, prison months and lashes beside the per-person rows' sums; differences =
    recorded - stated.

    Recorded prison terms are converted to months (DAYS_PER_MONTH); ``recorded_months_as_stated`` and
    ``recorded_days_as_stated`` are the same terms summed without conversion, ``recorded_rows`` the rows summed.
    """
    s, _ = with_upheld_terms(sentences)
    s = s.assign(
        _days=prison_days(s["prison_months"], s["prison_days"]),
        _event=s["event_id"].astype(object),
        _outcome=s["outcome"].astype(object),
    )
    groups = s.groupby(["_event", "_outcome"], sort=False)
    persons, days, lashes = groups["actor_id"].nunique(), groups["_days"].sum(), groups["lashes"].sum()
    months_as_stated, days_as_stated = groups["prison_months"].sum(), groups["prison_days"].sum()
    members = groups.groups
    rows = []
    for row in sentence_totals.index:
        event, outcome = sentence_totals.at[row, "event_id"], str(sentence_totals.at[row, "outcome"])
        key = (event, outcome)
        rows.append(
            {
                "total_id": sentence_totals.at[row, "total_id"],
                "event_id": event,
                "outcome": outcome,
                "stated_persons": sentence_totals.at[row, "persons"],
                "recorded_persons": int(persons.get(key, 0)),
                "stated_prison_months": sentence_totals.at[row, "prison_months_total"],
                "recorded_prison_months": float(days.get(key, 0.0)) / DAYS_PER_MONTH,
                "stated_lashes": sentence_totals.at[row, "lashes_total"],
                "recorded_lashes": int(lashes.get(key, 0)),
                "recorded_months_as_stated": int(months_as_stated.get(key, 0)),
                "recorded_days_as_stated": int(days_as_stated.get(key, 0)),
                "recorded_rows": tuple(int(r) for r in members.get(key, [])),
                "recorded_sources": ", ".join(sorted(set(s.loc[list(members.get(key, [])), "source_id"].astype(str)))),
                "source_id": sentence_totals.at[row, "source_id"],
                "locator": sentence_totals.at[row, "locator"],
            }
        )
    extra = ["recorded_months_as_stated", "recorded_days_as_stated", "recorded_rows", "recorded_sources"]
    columns = [
        "total_id",
        "event_id",
        "outcome",
        "stated_persons",
        "recorded_persons",
        "stated_prison_months",
        "recorded_prison_months",
        "stated_lashes",
        "recorded_lashes",
        *extra,
        "source_id",
        "locator",
    ]
    out = pd.DataFrame(rows, columns=columns, index=sentence_totals.index)
    for what, dtype in (("persons", "Int64"), ("prison_months", "Float64"), ("lashes", "Int64")):
        out[f"stated_{what}"] = out[f"stated_{what}"].astype(dtype)
        out[f"recorded_{what}"] = out[f"recorded_{what}"].astype(dtype)
        out[f"{what}_difference"] = out[f"recorded_{what}"] - out[f"stated_{what}"]
    order = ["total_id", "event_id", "outcome"]
    for what in ("persons", "prison_months", "lashes"):
        order += [f"stated_{what}", f"recorded_{what}", f"{what}_difference"]
    return out[order + extra + ["source_id", "locator"]]
