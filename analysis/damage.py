"""Damage to civilian property and infrastructure: each figure with whoever reported it, one side beside the other.

Every row of ``damage.csv`` says whose property it is about (``side``), what was hit, whether it
was destroyed or damaged, and who reported it. The two sides' official figures count different
things (one counts properties destroyed, the other houses damaged) and each counts only its own
side's losses, so they are set beside each other, never subtracted, added or matched item by item.
Damage caused during the July 2020 protests in Baku (rows tied to a protest event) belongs to the
protests, not to the war, and is kept apart (:func:`damage_scope`).
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from .casualties import SIDE_LABELS, _official_reporters, _reporter_label, actor_camps, reporter_kind
from .evidence import figure_grades
from .words import date_text, figure_text

#: Event categories whose damage is not the war's: damage tied to such an event is the protests'.
PROTEST_CATEGORIES: Final[frozenset[str]] = frozenset({"protest"})
#: The columns of a damage_table(), in order.
COLUMNS: Final[tuple[str, ...]] = (
    "whose property",
    "item",
    "status",
    "figure",
    "reported by",
    "as of",
    "note",
    "evidence",
    "source_id",
    "locator",
)


def damage_scope(damage: pd.DataFrame, events: pd.DataFrame) -> pd.Series:
    """'protests' for rows tied to a protest event (the July 2020 unrest in Baku), else 'war'."""
    category = events.set_index(events["event_id"].astype(str))["category"].astype(object)
    of_row = damage["event_id"].astype(object).map(lambda e: category.get(str(e)) if pd.notna(e) else None)
    return pd.Series(
        ["protests" if c in PROTEST_CATEGORIES else "war" for c in of_row], index=damage.index, dtype=object
    )


def _figure(count: object, qualifier: object, amount: object, currency: object) -> str:
    if pd.notna(count):  # type: ignore[arg-type]
        return figure_text(count, None, qualifier if pd.notna(qualifier) else "exact")  # type: ignore[arg-type]
    if pd.notna(amount):  # type: ignore[arg-type]
        return f"{float(amount):,.0f} {currency} (value)"  # type: ignore[arg-type]
    return "no figure"


def damage_table(
    damage: pd.DataFrame,
    actors: pd.DataFrame,
    events: pd.DataFrame,
    sources: pd.DataFrame | None = None,
    relations: pd.DataFrame | None = None,
    scope: str = "war",
) -> pd.DataFrame:
    """Every damage row of one scope ('war' or 'protests'), side by side: whose property, what, destroyed or damaged,
    the figure as worded (or 'no figure'), its reporter and kind (official, other side, ...), date, note and source."""
    rows = damage[damage_scope(damage, events).eq(scope)]
    camps = actor_camps(actors, relations)
    official = _official_reporters(actors, relations)
    names = actors.set_index(actors["actor_id"].astype(str))["name"].astype(object)
    reporters = rows["reported_by"].astype(object).where(rows["reported_by"].notna(), None)
    kinds = [
        reporter_kind(str(side), r, camps.get(r, pd.NA) if r is not None else pd.NA, r in official)
        for side, r in zip(rows["side"].astype(str), reporters)
    ]
    grades = figure_grades("damage", damage, actors, sources, relations).reindex(rows.index)
    out = pd.DataFrame(
        {
            "whose property": rows["side"].astype(object).map(lambda s: SIDE_LABELS.get(s, s)),
            "item": rows["item"].astype(str),
            "status": rows["status"].astype(str),
            "figure": [
                _figure(c, q, a, cur)
                for c, q, a, cur in zip(rows["count"], rows["qualifier"], rows["value_amount"], rows["value_currency"])
            ],
            "reported by": [
                _reporter_label(names.get(r) if r is not None else None, k) for r, k in zip(reporters, kinds)
            ],
            "as of": rows["as_of"].dt.strftime("%Y-%m-%d").astype("string"),
            "note": rows["note"].astype("string"),
            "evidence": grades.astype("string"),
            "source_id": rows["source_id"].astype(str),
            "locator": rows["locator"].astype(str),
            "_kind": kinds,
            "_count": rows["count"].astype("Int64"),
            "_side": rows["side"].astype(object),
        },
        index=rows.index,
    )
    side_order = {s: i for i, s in enumerate(SIDE_LABELS)}
    order = out.assign(
        _s=out["_side"].map(side_order), _n=out["_count"].isna(), _c=out["_count"].fillna(0).astype(int)
    ).sort_values(["_s", "_n", "_c"], ascending=[True, True, False], kind="stable")
    return order[[*COLUMNS, "_kind", "_count", "_side"]].reset_index(drop=True)


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """A damage_table() without its helper columns, as a chapter shows it."""
    return table[list(COLUMNS)]


def official_figures(table: pd.DataFrame) -> pd.DataFrame:
    """Per side, the figures its own officials gave about its own property: one row per side, the reporter, what it
    counts (items joined, with their status) and when; the sides are set beside each other, not matched item by item."""
    rows = table[table["_kind"].eq("official") & table["_count"].notna()]
    out = []
    for side, part in rows.groupby("_side", sort=False):
        out.append(
            {
                "whose property": SIDE_LABELS.get(str(side), str(side)),
                "reported by": "; ".join(
                    dict.fromkeys(part["reported by"].str.replace(" (official)", "", regex=False))
                ),
                "what it counts": "; ".join(
                    f"{f} {i} {s}" for f, i, s in zip(part["figure"], part["item"], part["status"])
                ),
                "statuses": " and ".join(sorted(set(part["status"]))),
                "as of": "; ".join(dict.fromkeys(part["as of"].dropna())) or "no date",
                "source_id": "; ".join(dict.fromkeys(part["source_id"])),
                "locator": "; ".join(dict.fromkeys(part["locator"])),
            }
        )
    return pd.DataFrame(
        out, columns=["whose property", "reported by", "what it counts", "statuses", "as of", "source_id", "locator"]
    )


def _listed(items: list[str]) -> str:
    """Items as prose, separated by semicolons (items may hold commas): 'a; b; and c'."""
    return items[0] if len(items) == 1 else "; ".join(items[:-1]) + "; and " + items[-1]


def damage_figures(table: pd.DataFrame, protests: pd.DataFrame) -> dict[str, object]:
    """What the chapter's prose names: rows of war damage (with a figure, official, without a figure), the sides with
    an official count, whether any reporter counted the other side's property, and the protests' rows kept apart."""
    official = table[table["_kind"].eq("official") & table["_count"].notna()]
    return {
        "damage-rows": len(table),
        "damage-with-figure": int(table["_count"].notna().sum()),
        "damage-official": len(official),
        "damage-no-figure": int(table["_count"].isna().sum()),
        "damage-official-sides": int(official["_side"].nunique()),
        "damage-about-other-side": int(table["_kind"].eq("other side").sum()),
        "damage-third-party": int(table["_kind"].eq("third party").sum()),
        "damage-protest-rows": len(protests),
        **{
            f"damage-{str(side)}-official": _listed(
                [f"{f} {i} {st}" for f, i, st in zip(part["figure"], part["item"], part["status"])]
            )
            for side, part in official.groupby("_side", sort=False)
        },
        **{
            f"damage-{str(side)}-as-of": date_text(pd.to_datetime(part["as of"]).min(), "day")
            if part["as of"].notna().any()
            else "no date given"
            for side, part in official.groupby("_side", sort=False)
        },
    }
