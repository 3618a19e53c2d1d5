"""Equipment losses: documented counts, stated totals against their parts, ratios and claims.

Documented counts are what a documenter (e.g. Oryx, which counts only losses with photo or
video evidence, so a floor) recorded; claims are what a belligerent said it destroyed. The two
are never added together.
"""

from __future__ import annotations

import pandas as pd

#: Statuses that are parts of a documented total (everything but the documenter's own total).
PART_STATUSES = ("destroyed", "damaged", "abandoned", "captured", "captured-then-lost")

RATIO_DEFINITION = (
    "Loss ratio = the documented losses of the first side divided by those of the second, in one "
    "category, each being the sum of the documenter's parts (destroyed, damaged, abandoned, captured, "
    "captured-then-lost), not its stated total."
)


def documented_parts(equipment: pd.DataFrame, documenter: str | None = None) -> pd.DataFrame:
    """Per-status counts without the stated totals, of one documenter if given, else of all."""
    parts = equipment[equipment["status"] != "stated-total"]
    return parts if documenter is None else parts[parts["documenter"] == documenter]


def documented_losses(equipment: pd.DataFrame, documenter: str = "oryx") -> pd.DataFrame:
    """Counts by side, category and status for one documenter (a wide table, statuses as columns)."""
    parts = documented_parts(equipment, documenter)
    table = parts.pivot_table(index=["side", "category"], columns="status", values="count", aggfunc="sum",
                              observed=True, fill_value=0)
    table = table.reindex(columns=[s for s in PART_STATUSES if s in table.columns])
    table["total"] = table.sum(axis=1)
    return table.astype("Int64").reset_index()


def stated_vs_parts(equipment: pd.DataFrame) -> pd.DataFrame:
    """Each stated total next to the sum of its parts and the difference (stated - parts)."""
    totals = equipment[equipment["status"] == "stated-total"]
    parts = documented_parts(equipment).groupby(["documenter", "side", "category"], observed=True)["count"].sum()
    rows = []
    for _, t in totals.iterrows():
        key = (t["documenter"], t["side"], t["category"])
        summed = parts.get(key, pd.NA)
        rows.append({"documenter": t["documenter"], "side": t["side"], "category": t["category"],
                     "stated": int(t["count"]), "parts": summed,
                     "difference": (int(t["count"]) - int(summed)) if pd.notna(summed) else pd.NA,
                     "source_id": t["source_id"], "locator": t["locator"]})
    out = pd.DataFrame(rows, columns=["documenter", "side", "category", "stated", "parts", "difference",
                                      "source_id", "locator"])
    return out.astype({"parts": "Int64", "difference": "Int64"})


def loss_ratio(equipment: pd.DataFrame, first: str = "armenia", second: str = "azerbaijan",
               documenter: str = "oryx") -> pd.DataFrame:
    """Documented losses of two sides per category and their ratio (see RATIO_DEFINITION)."""
    parts = documented_parts(equipment, documenter)
    by = parts.groupby(["category", "side"], observed=True)["count"].sum().unstack("side")
    for side in (first, second):
        if side not in by.columns:
            by[side] = pd.NA
    out = by[[first, second]].astype("Int64").reset_index()
    out["ratio"] = (out[first].astype("Float64") / out[second].astype("Float64")).round(2)
    out.loc[out[second].fillna(0) == 0, "ratio"] = pd.NA
    out.columns.name = None
    return out


def claims_vs_documented(claims: pd.DataFrame, equipment: pd.DataFrame, documenter: str = "oryx") -> pd.DataFrame:
    """Each claim beside the documenter's count for the same side and category (NA where it has none)."""
    parts = documented_parts(equipment, documenter)
    documented = parts.groupby(["side", "category"], observed=True)["count"].sum()
    out = claims[["claimant", "about_side", "as_of", "claimed_item", "category", "count", "qualifier",
                  "source_id", "locator"]].copy()
    keys = list(zip(out["about_side"].astype(object), out["category"].astype(object)))
    out["documented"] = pd.array([documented.get(k, pd.NA) for k in keys], dtype="Int64")
    return out.sort_values(["claimant", "as_of", "category"], kind="stable", na_position="last")
