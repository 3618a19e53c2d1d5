"""Equipment losses: documented counts, stated totals against their parts, ratios and claims.

Documented counts are what a documenter (e.g. Oryx, which counts only losses with photo or
video evidence, so a floor) recorded; claims are what a belligerent said it destroyed. The two
are never added together.
"""

from __future__ import annotations

from typing import Final

import pandas as pd
import plotly.graph_objects as go

from . import charts
from .casualties import actor_camps
from .charts import plotly_cells, wrap
from .discrepancies import stated_vs_parts
from .evidence import figure_grades
from .schema import value_labels
from .words import figure_text, plotly_text

#: Statuses that are parts of a documented total (everything but the documenter's own total).
PART_STATUSES = ("destroyed", "damaged", "abandoned", "captured", "captured-then-lost")

RATIO_DEFINITION = (
    "Loss ratio = the documented losses of the first side divided by those of the second, in one "
    "category, each being the sum of the documenter's parts (destroyed, damaged, abandoned, captured, "
    "captured then lost), not its stated total."
)


def documented_parts(equipment: pd.DataFrame, documenter: str | None = None) -> pd.DataFrame:
    """Per-status counts without the stated totals, of one documenter if given, else of all."""
    parts = equipment[equipment["status"] != "stated-total"]
    return parts if documenter is None else parts[parts["documenter"] == documenter]


def _documented_wide(equipment: pd.DataFrame, documenter: str = "oryx") -> pd.DataFrame:
    """Counts by side, category and status for one documenter (a wide table, statuses as columns)."""
    parts = documented_parts(equipment, documenter)
    table = parts.pivot_table(
        index=["side", "category"], columns="status", values="count", aggfunc="sum", observed=True, fill_value=0
    )
    table = table.reindex(columns=[s for s in PART_STATUSES if s in table.columns])
    table["total"] = table.sum(axis=1)
    return table.astype("Int64").reset_index()


def _loss_ratio(
    equipment: pd.DataFrame, first: str = "armenia", second: str = "azerbaijan", documenter: str = "oryx"
) -> pd.DataFrame:
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


# --------------------------------------------------------------------------- what the chapter shows
# Added for the "Equipment losses" chapter: long tables with provenance, readable labels, the
# comparisons of claims with documented counts, and the chapter's chart builders.

#: Readable names of the equipment categories and sides (datapackage.json).
CATEGORY_LABELS: Final[dict[str, str]] = value_labels("equipment_losses", "category")
SIDE_LABELS: Final[dict[str, str]] = value_labels("equipment_losses", "side")
#: Which documented categories a claim is set against.
CLAIM_SCOPE_RULE: Final[str] = (
    "A claim is set beside the documenter's count for the same side and category. A claim filed under "
    "armoured fighting vehicles whose wording names tanks as well is set beside tanks plus armoured "
    "fighting vehicles. Claims in categories the documenter's figures do not cover have no comparison."
)


def _category(c: object) -> str:
    return CATEGORY_LABELS.get(str(c), str(c))


def _side(s: object) -> str:
    return SIDE_LABELS.get(str(s), str(s))


def documented_count(
    equipment: pd.DataFrame, side: str, category: str, documenter: str = "oryx", status: str | None = None
) -> int:
    """The documenter's count for one side and category (the sum of its parts, or one status's part; 0 if none)."""
    parts = documented_parts(equipment, documenter)
    rows = parts[parts["side"].astype(object).eq(side) & parts["category"].astype(object).eq(category)]
    if status is not None:
        rows = rows[rows["status"].astype(object).eq(status)]
    return int(rows["count"].sum())


def documented_long(equipment: pd.DataFrame, documenter: str = "oryx") -> pd.DataFrame:
    """One row per side, category and status with its source; a stated total with no parts is kept as 'stated-total'."""
    parts = documented_parts(equipment, documenter)
    totals = equipment[(equipment["status"] == "stated-total") & (equipment["documenter"] == documenter)]
    with_parts = set(zip(parts["side"].astype(object), parts["category"].astype(object)))
    alone = totals[
        [(s, c) not in with_parts for s, c in zip(totals["side"].astype(object), totals["category"].astype(object))]
    ]
    rows = pd.concat([parts, alone])
    out = pd.DataFrame(
        {
            "side": rows["side"].astype(object),
            "category": rows["category"].astype(object),
            "status": rows["status"].astype(object),
            "count": rows["count"].astype("Int64"),
            "source_id": rows["source_id"].astype(str),
            "locator": rows["locator"].astype(str),
        }
    )
    out["label"] = [f"{_side(s)}: {_category(c)}" for s, c in zip(out["side"], out["category"])]
    side_order = {s: i for i, s in enumerate(SIDE_LABELS)}
    cat_order = {c: i for i, c in enumerate(CATEGORY_LABELS)}
    status_order = {s: i for i, s in enumerate(charts.STATUS_COLOURS)}
    out = out.assign(
        _s=out["side"].map(side_order), _c=out["category"].map(cat_order), _t=out["status"].map(status_order)
    )
    return out.sort_values(["_s", "_c", "_t"], kind="stable").drop(columns=["_s", "_c", "_t"]).reset_index(drop=True)


def documented_bars(long: pd.DataFrame, title: str, source: str) -> go.Figure:
    """Stacked horizontal bars of a documented_long() table: one bar per side and category, one colour per status."""
    fig = go.Figure()
    long = long.assign(label=long["label"].astype(str).map(plotly_text))
    labels = list(dict.fromkeys(long["label"]))
    for status, colour in charts.STATUS_COLOURS.items():
        part = long[long["status"].eq(status)]
        if part.empty:
            continue
        name = "stated total, no breakdown given" if status == "stated-total" else plotly_text(status)
        fig.add_trace(
            go.Bar(
                y=part["label"],
                x=part["count"].astype(float),
                orientation="h",
                name=name,
                marker={
                    "color": colour,
                    "pattern": {
                        "shape": charts.STATUS_PATTERNS[status],
                        "fgcolor": charts.pattern_ink(colour),
                        "fillmode": "overlay",
                        "solidity": 0.35,
                    },
                },
                customdata=plotly_cells(part[["source_id", "locator"]].astype(str)),
                hovertemplate=(
                    f"%{{y}}<br>{name}: %{{x}}<br><i>%{{customdata[0]}}, %{{customdata[1]}}</i><extra></extra>"
                ),
            )
        )
    totals = long.groupby("label", sort=False)["count"].sum()
    fig.add_trace(
        go.Scatter(
            y=list(totals.index),
            x=totals.astype(float).tolist(),
            mode="text",
            text=[f"{int(v):,}" for v in totals],
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
            cliponaxis=False,
        )
    )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), automargin=True)
    fig.update_layout(legend_title_text="Status", bargap=0.3)
    return charts.fit_labelled_bars(
        fig, title, source, "Items lost, visually confirmed (a floor)", charts.plot_height(labels, row_pad=22)
    )


def _breakdown(frame: pd.DataFrame) -> str:
    return " + ".join(f"{int(c)} {s}" for s, c in zip(frame["status"].astype(object), frame["count"]))


def totals_table(equipment: pd.DataFrame, documenter: str = "oryx") -> pd.DataFrame:
    """Each stated total beside its listed parts (written out), their sum, the difference, and the sum without
    captured-then-lost items."""
    svp = stated_vs_parts(equipment)  # the comparison the validator's discrepancy register also shows
    svp = svp[svp["documenter"].astype(object).eq(documenter)]
    parts = documented_parts(equipment, documenter)
    rows = []
    for _, t in svp.iterrows():
        mine = parts[parts["side"].astype(object).eq(t["side"]) & parts["category"].astype(object).eq(t["category"])]
        order = {s: i for i, s in enumerate(PART_STATUSES)}
        mine = mine.assign(_o=mine["status"].astype(object).map(order)).sort_values("_o", kind="stable")
        flipped = int(mine.loc[mine["status"].astype(object).eq("captured-then-lost"), "count"].sum())
        rows.append(
            {
                "side": _side(t["side"]),
                "category": _category(t["category"]),
                "stated total": t["stated"],
                "parts as listed": _breakdown(mine) if len(mine) else "no breakdown given",
                "sum of parts": t["parts"],
                "stated − parts": t["difference"],
                "parts without captured-then-lost": (t["parts"] - flipped) if pd.notna(t["parts"]) else pd.NA,
                "source_id": t["source_id"],
                "locator": t["locator"],
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "side",
            "category",
            "stated total",
            "parts as listed",
            "sum of parts",
            "stated − parts",
            "parts without captured-then-lost",
            "source_id",
            "locator",
        ],
    )
    for col in ("sum of parts", "stated − parts", "parts without captured-then-lost"):
        out[col] = out[col].astype("Int64")
    return out


def ratio_table(
    equipment: pd.DataFrame, first: str = "armenia", second: str = "azerbaijan", documenter: str = "oryx"
) -> pd.DataFrame:
    """The loss ratio (RATIO_DEFINITION) per category, with the same ratio from the stated totals beside it, to show how
    much the choice matters."""
    ratio = _loss_ratio(equipment, first, second, documenter)
    totals = equipment[(equipment["status"] == "stated-total") & (equipment["documenter"] == documenter)]
    stated = totals.groupby(["category", "side"], observed=True)["count"].sum().unstack("side")
    out = pd.DataFrame(
        {
            "category": ratio["category"].astype(object).map(_category),
            f"{_side(first)} (parts)": ratio[first],
            f"{_side(second)} (parts)": ratio[second],
            "ratio (parts)": ratio["ratio"],
        }
    )
    for side, col in ((first, f"{_side(first)} (stated total)"), (second, f"{_side(second)} (stated total)")):
        values = [
            stated.at[c, side] if (c in stated.index and side in stated.columns) else pd.NA
            for c in ratio["category"].astype(object)
        ]
        out[col] = pd.array(values, dtype="Int64")
    a, b = out[f"{_side(first)} (stated total)"], out[f"{_side(second)} (stated total)"]
    out["ratio (stated totals)"] = (a.astype("Float64") / b.astype("Float64").where(b != 0)).round(2)
    return out


def other_documenters(equipment: pd.DataFrame, documenter: str = "oryx") -> pd.DataFrame:
    """Counts recorded by anyone other than the main documenter, each with its note and source (never added to it)."""
    rows = equipment[equipment["documenter"].astype(object).ne(documenter)]
    return pd.DataFrame(
        {
            "documenter": rows["documenter"].astype(object),
            "side": rows["side"].astype(object).map(_side),
            "category": rows["category"].astype(object).map(_category),
            "status": rows["status"].astype(object),
            "count": rows["count"].astype("Int64"),
            "note": rows["note"].astype(object),
            "source_id": rows["source_id"].astype(str),
            "locator": rows["locator"].astype(str),
        }
    ).reset_index(drop=True)


def claim_scope(category: str, item: str) -> tuple[str, ...]:
    """The documented categories a claim is set against (see CLAIM_SCOPE_RULE)."""
    if category == "armoured-fighting-vehicles" and "tank" in item.lower():
        return ("tanks", "armoured-fighting-vehicles")
    return (category,)


def claims_compared(
    claims: pd.DataFrame, equipment: pd.DataFrame, actors: pd.DataFrame, documenter: str = "oryx"
) -> pd.DataFrame:
    """Every claim as its claimant worded it, beside the documenter's count for what it covers (NA where none), with its
    evidence grade; nothing is added to a claim."""
    parts = documented_parts(equipment, documenter)
    documented = parts.groupby(["side", "category"], observed=True)["count"].sum()
    where = (
        (parts["source_id"].astype(str) + ", " + parts["locator"].astype(str))
        .groupby([parts["side"].astype(object), parts["category"].astype(object)])
        .agg(lambda s: "; ".join(dict.fromkeys(s)))
    )
    names = actors.set_index(actors["actor_id"].astype(str))["name"].astype(str)
    camps = actor_camps(actors)
    grades = figure_grades("loss_claims", claims, actors).astype(str)
    rows = []
    for _, c in claims.iterrows():
        scope = claim_scope(str(c["category"]), str(c["claimed_item"]))
        found = [documented.get((c["about_side"], k), pd.NA) for k in scope]
        total = sum(int(v) for v in found) if all(pd.notna(v) for v in found) else pd.NA
        cited = (
            "; ".join(dict.fromkeys(where.get((c["about_side"], k), "") for k in scope)) if pd.notna(total) else pd.NA
        )
        claimant = str(c["claimant"])
        when = "undated" if pd.isna(c["as_of"]) else f"{c['as_of'].day} {c['as_of']:%b %Y}"
        rows.append(
            {
                "claimant": names.get(claimant, claimant),
                "camp": camps.get(claimant, pd.NA),
                "about": _side(c["about_side"]),
                "as of": when,
                "claimed item": c["claimed_item"],
                "claim": figure_text(c["count"], c.get("count_max"), c["qualifier"]),
                "claimed": int(c["count"]),
                "set against": " + ".join(_category(k) for k in scope) if pd.notna(total) else "no documented count",
                "documented": total,
                "documented in": cited,
                "note": c.get("note", pd.NA),
                "evidence": grades.at[c.name],
                "source_id": str(c["source_id"]),
                "locator": str(c["locator"]),
                "_date": c["as_of"],
            }
        )
    out = pd.DataFrame(rows)
    out["documented"] = out["documented"].astype("Int64")
    out = out.sort_values(["claimant", "_date"], kind="stable", na_position="first")
    return out.drop(columns="_date").reset_index(drop=True)


def claims_summary(compared: pd.DataFrame) -> dict[str, int]:
    """How many claims there are (in all and per claimant camp), how many have a documented count beside them, and how
    many of those are below or above it."""
    with_count = compared[compared["documented"].notna()]
    camps = compared["camp"].astype(object).value_counts()
    return {
        "claims": len(compared),
        "by azerbaijan": int(camps.get("azerbaijan", 0)),
        "by armenia-artsakh": int(camps.get("armenia-artsakh", 0)),
        "comparable": len(with_count),
        "below": int((with_count["claimed"] < with_count["documented"]).sum()),
        "above": int((with_count["claimed"] > with_count["documented"]).sum()),
    }


#: Phrases that make a chart title a verdict of one kind of figure against another (a claim against a count).
VERDICT_PHRASES: Final[tuple[str, ...]] = ("below it", "above it", "are below", "are above", "exceed", "fall short")


def claims_headline(summary: dict[str, int], documenter_name: str) -> str:
    """A chart title saying what the claims chart shows (claims, each made on one day, beside the documenter's undated
    counts of the same items), without judging one against the other."""
    n = summary["comparable"]
    noun = "claim names" if n == 1 else "claims name"
    return (
        f"{n} {noun} items that {documenter_name} also counts: each claim was made on one day, "
        f"{documenter_name}'s counts carry no date"
    )


def stated_total(equipment: pd.DataFrame, side: str, category: str, documenter: str = "oryx") -> int | None:
    """The documenter's own stated total for one side and category (None if it states none)."""
    rows = equipment[
        (equipment["status"] == "stated-total")
        & (equipment["documenter"] == documenter)
        & equipment["side"].astype(object).eq(side)
        & equipment["category"].astype(object).eq(category)
    ]
    return None if rows.empty else int(rows["count"].sum())


def claims_chart(compared: pd.DataFrame, documenter_name: str, title: str, source: str) -> go.Figure:
    """Each comparable claim (a claims_compared() frame) as a bar in its claimant's colour, with the documented count
    beside it in black."""
    rows = compared[compared["documented"].notna()].reset_index(drop=True)
    labels = [
        wrap(f"{r['claimant']}, {r['as of']}: {r['claimed item']}", charts.LABEL_WIDTH) for _, r in rows.iterrows()
    ]
    rows = rows.assign(label=labels)
    documenter_name = plotly_text(documenter_name)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=rows["label"],
            x=rows["documented"].astype(float),
            orientation="h",
            name=f"{documenter_name}, visually confirmed",
            marker_color=charts.DOCUMENTED_COLOUR,
            offsetgroup="documented",
            text=[f"{int(v):,}" for v in rows["documented"]],
            textposition="outside",
            cliponaxis=False,
            constraintext="none",
            textfont={"size": 12},
            customdata=plotly_cells(rows[["set against", "documented in"]].astype(str)),
            hovertemplate=f"%{{y}}<br>{documenter_name}: <b>%{{x}}</b> (%{{customdata[0]}})"
            "<br><i>%{customdata[1]}</i><extra></extra>",
        )
    )
    for camp, colour in charts.CAMP_COLOURS.items():
        part = rows[rows["camp"].astype(object).eq(camp)]
        if part.empty:
            continue
        name = "claim by " + ("Azerbaijan" if camp == "azerbaijan" else "Armenia or Artsakh")
        fig.add_trace(
            go.Bar(
                y=part["label"],
                x=part["claimed"].astype(float),
                orientation="h",
                name=name,
                marker_color=colour,
                text=plotly_cells(part["claim"].astype(str)),
                textposition="outside",
                cliponaxis=False,
                offsetgroup="claim",
                constraintext="none",
                textfont={"size": 12},
                customdata=plotly_cells(part[["source_id", "locator"]].astype(str)),
                hovertemplate=(
                    "%{y}<br>claimed: <b>%{text}</b><br><i>%{customdata[0]}, %{customdata[1]}</i><extra></extra>"
                ),
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), automargin=True)
    return charts.fit_labelled_bars(
        fig, title, source, "Items (claimed destroyed, or documented lost)", charts.plot_height(labels, row_pad=40)
    )


def category_ratio(
    equipment: pd.DataFrame,
    category: str,
    basis: str = "parts",
    first: str = "armenia",
    second: str = "azerbaijan",
    documenter: str = "oryx",
) -> float:
    """One category's loss ratio, from the parts (the book's definition) or, with basis='stated', from the stated
    totals."""
    if basis == "parts":
        a = documented_count(equipment, first, category, documenter)
        b = documented_count(equipment, second, category, documenter)
    elif basis == "stated":
        a = stated_total(equipment, first, category, documenter) or 0
        b = stated_total(equipment, second, category, documenter) or 0
    else:
        raise ValueError(f"basis must be 'parts' or 'stated', not {basis!r}")
    if b == 0:
        raise ZeroDivisionError(f"no documented {second} losses in {category}: the ratio is undefined")
    return round(a / b, 2)


def totals_summary(totals: pd.DataFrame) -> dict[str, int]:
    """From a totals_table(): how many stated totals have a breakdown, and in how many the two disagree."""
    with_parts = totals[totals["sum of parts"].notna()]
    return {
        "stated totals": len(totals),
        "with parts": len(with_parts),
        "disagree": int((with_parts["stated − parts"] != 0).sum()),
    }


def documented_table(equipment: pd.DataFrame, documenter: str = "oryx") -> pd.DataFrame:
    """Counts by side, category and status for one documenter (statuses as columns, and their total), with readable side
    and category names."""
    table = _documented_wide(equipment, documenter)
    table.columns.name = None
    return table.assign(
        side=table["side"].astype(object).map(_side), category=table["category"].astype(object).map(_category)
    )


# --------------------------------------------------------------------------- the figures the chapter's prose names

_SHORT_CATEGORY = {"tanks": "tanks", "afv": "armoured-fighting-vehicles", "trucks": "trucks-and-vehicles"}
_SHORT_SIDE = {"am": "armenia", "az": "azerbaijan"}


def documented_figures(equipment: pd.DataFrame, documenter: str = "oryx") -> dict[str, int | str]:
    """The documented counts the chapter names: tanks, AFVs and trucks per side ('tanks-am'...), Azerbaijan's aircraft
    (a stated total), Armenia's captured tanks and trucks, and the captured share of Armenia's trucks."""
    out: dict[str, int | str] = {
        f"{short}-{side}": documented_count(equipment, _SHORT_SIDE[side], category, documenter)
        for short, category in _SHORT_CATEGORY.items()
        for side in _SHORT_SIDE
    }
    out = {k: out[k] for k in ("tanks-am", "tanks-az", "afv-am", "afv-az", "trucks-am", "trucks-az")}
    out["aircraft-az"] = stated_total(equipment, "azerbaijan", "aircraft", documenter) or 0
    for short in ("tanks", "trucks"):
        out[f"captured-{short}-am"] = documented_count(
            equipment, "armenia", _SHORT_CATEGORY[short], documenter, status="captured"
        )
    out["captured-trucks-share"] = f"{int(out['captured-trucks-am']) / int(out['trucks-am']):.0%}"
    return out


def totals_figures(equipment: pd.DataFrame, documenter: str = "oryx") -> dict[str, int]:
    """How the documenter's stated totals stand against their parts: how many disagree (in the book's table and in
    the whole register), three stated totals the prose names, and Azerbaijan's tanks without captured-then-lost."""
    summary = totals_summary(totals_table(equipment, documenter))
    register = stated_vs_parts(equipment)
    return {
        "disagree": summary["disagree"],
        "with-parts": summary["with parts"],
        "register": int((register["difference"].fillna(0) != 0).sum()),
        "trucks-am-stated": stated_total(equipment, "armenia", "trucks-and-vehicles", documenter) or 0,
        "tanks-az-stated": stated_total(equipment, "azerbaijan", "tanks", documenter) or 0,
        "afv-az-stated": stated_total(equipment, "azerbaijan", "armoured-fighting-vehicles", documenter) or 0,
        "tanks-az-without-flip": documented_count(equipment, "azerbaijan", "tanks", documenter)
        - documented_count(equipment, "azerbaijan", "tanks", documenter, status="captured-then-lost"),
    }


def ratio_figures(equipment: pd.DataFrame, documenter: str = "oryx") -> dict[str, str]:
    """The loss ratio's definition and its value (two decimals) for tanks, AFVs and trucks, and for tanks from the
    stated totals."""
    out = {"ratio-definition": RATIO_DEFINITION}
    for short, category in _SHORT_CATEGORY.items():
        out[f"ratio-{short}"] = f"{category_ratio(equipment, category, documenter=documenter):.2f}"
    out["ratio-tanks-stated"] = f"{category_ratio(equipment, 'tanks', basis='stated', documenter=documenter):.2f}"
    return out


def claims_figures(summary: dict[str, int]) -> dict[str, int | str]:
    """From a claims_summary(): how many claims (in all, per camp), how many can be compared, how many are below,
    and the rule that sets a claim against documented categories."""
    return {
        "claims": summary["claims"],
        "claims-az": summary["by azerbaijan"],
        "claims-am": summary["by armenia-artsakh"],
        "comparable": summary["comparable"],
        "below": summary["below"],
        "scope-rule": CLAIM_SCOPE_RULE,
    }


def documented_rows(long: pd.DataFrame, tables: dict[str, pd.DataFrame], documenter: str = "oryx") -> pd.DataFrame:
    """The bar segments documented_bars() draws (a documented_long() table), each with its source, locator and
    evidence grade, slugs as labels: the rows of the chart's "Download data"."""
    from .cards import drawn  # the card module reads the package descriptor: imported when used

    rows = long.drop(columns=["label"]).assign(documenter=documenter)
    return drawn(rows, "equipment_losses", tables, columns=["side", "category", "status", "count"])


def claims_rows(compared: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The claims claims_chart() draws (a claims_compared() table), with the documented count set against each,
    sources, locators and grades: the rows of the chart's "Download data"."""
    from .cards import drawn

    shown = compared[compared["documented"].notna()]  # the chart draws only claims with a documented count
    return drawn(shown.drop(columns=["camp", "claimed"]), "loss_claims", tables)
