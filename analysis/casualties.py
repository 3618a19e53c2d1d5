"""Human losses of the 2020 fighting: who reported each figure, and how figures compare without being added up.

Every function takes the typed tables of :func:`analysis.data.load_all` (or frames with the same
columns) and returns new frames. There is no I/O, nothing is printed and no state is kept.

Conventions
-----------
Camps
    The war had two belligerent camps: Azerbaijan, and Armenia with the self-declared Republic
    of Artsakh (one camp: the sources often do not split them). An actor belongs to a camp if it
    is one of these states; if its key or name says Artsakh (Artsakh bodies carry country code AZ,
    by international recognition); if, when ``relations`` are given, it is a member, leader or
    part of a camp's actor; otherwise by its country (AM or AZ). Every other actor's "camp" is its
    country code. That code is used for the non-belligerent sides (russia RU, iran IR, syria SY).
Reporter kinds (:data:`REPORTER_KINDS`)
    ``official``: the side's own state, government body or armed force. With ``relations``, a
    person who leads a state of the side's own camp (head of state or government) also counts.
    ``own side``: someone else from the side's own camp, such as a former official or a private
    person. ``other side``: the opposing belligerent camp (Armenia/Artsakh against Azerbaijan).
    ``third party``: anyone else. ``unattributed``: ``reported_by`` is empty, so the document
    states the figure itself. For side ``both``, either belligerent camp counts as the side's own.
Figures are never summed
    Figures come from different reporters, for different dates and periods, so they are compared
    and never added; charts set them side by side, each with its reporter kind. For a range, ``count`` is the low end
    and ``count_max`` the high end, as in the data.
"""

from __future__ import annotations

import re
from typing import Final

import pandas as pd
import plotly.graph_objects as go

from . import charts
from .charts import plotly_cells, wrap
from .evidence import figure_grades
from .schema import value_labels
from .words import date_text, figure_text, plotly_text

REPORTER_KINDS: Final[tuple[str, ...]] = ("official", "own side", "other side", "third party", "unattributed")
BELLIGERENT_CAMPS: Final[dict[str, str]] = {
    "azerbaijan": "azerbaijan",
    "armenia": "armenia-artsakh",
    "artsakh": "armenia-artsakh",
}
OPPOSING_CAMP: Final[dict[str, str]] = {"azerbaijan": "armenia-artsakh", "armenia-artsakh": "azerbaijan"}
CAMP_OF_COUNTRY: Final[dict[str, str]] = {"AZ": "azerbaijan", "AM": "armenia-artsakh"}
SIDE_COUNTRY: Final[dict[str, str]] = {"russia": "RU", "iran": "IR", "syria": "SY"}
OFFICIAL_KINDS: Final[frozenset[str]] = frozenset({"state", "government-body", "armed-force"})
MEMBERSHIP: Final[frozenset[str]] = frozenset({"member-of", "leader-of", "part-of"})
COLUMNS: Final[tuple[str, ...]] = (
    "casualty_id",
    "side",
    "group",
    "measure",
    "count",
    "count_max",
    "qualifier",
    "reported_by",
    "reporter",
    "reporter_kind",
    "as_of",
    "period",
    "note",
    "source_id",
    "locator",
    "perspective",
    "evidence",
)


def actor_camps(actors: pd.DataFrame, relations: pd.DataFrame | None = None) -> pd.Series:
    """Camp per actor_id: 'azerbaijan', 'armenia-artsakh', else the actor's country code (NA if none)."""
    ids = actors["actor_id"].astype(str)
    camps: dict[str, str] = {a: BELLIGERENT_CAMPS[a] for a in ids if a in BELLIGERENT_CAMPS}
    names = actors["name"].astype(str)
    for actor_id, name in zip(ids, names):
        if actor_id not in camps and re.search("artsakh", f"{actor_id} {name}", flags=re.IGNORECASE):
            camps[actor_id] = "armenia-artsakh"
    if relations is not None:
        ties = relations[relations["relation"].astype(str).isin(MEMBERSHIP)]
        pairs = list(zip(ties["source_actor_id"].astype(str), ties["target_actor_id"].astype(str)))
        changed = True
        while changed:  # members of members: repeat until nothing new is learnt
            changed = False
            for source, target in pairs:
                if source not in camps and target in camps:
                    camps[source] = camps[target]
                    changed = True
    countries = actors["country"].astype(object)
    out = {a: camps.get(a, CAMP_OF_COUNTRY.get(c, c) if isinstance(c, str) else pd.NA) for a, c in zip(ids, countries)}
    return pd.Series(out, dtype="string", name="camp")


def _official_reporters(actors: pd.DataFrame, relations: pd.DataFrame | None) -> set[str]:
    """State, government-body and armed-force actors; with relations, also leaders of a state."""
    official = set(actors.loc[actors["kind"].astype(str).isin(OFFICIAL_KINDS), "actor_id"].astype(str))
    if relations is not None:
        states = set(actors.loc[actors["kind"].astype(str).eq("state"), "actor_id"].astype(str))
        leads = relations[
            relations["relation"].astype(str).eq("leader-of") & relations["target_actor_id"].astype(str).isin(states)
        ]
        official |= set(leads["source_actor_id"].astype(str))
    return official


def _side_camps(side: str) -> set[str]:
    if side == "both":
        return set(OPPOSING_CAMP)
    camp = BELLIGERENT_CAMPS.get(side) or SIDE_COUNTRY.get(side)
    return {camp} if camp else set()


def reporter_kind(side: str, reporter: object, reporter_camp: object, official: bool) -> str:
    """Kind of one reporter for one side's figure: official, own side, other side, third party or unattributed."""
    if reporter is None or pd.isna(reporter):  # type: ignore[arg-type]
        return "unattributed"
    own = _side_camps(side)
    camp = None if pd.isna(reporter_camp) else str(reporter_camp)  # type: ignore[arg-type]
    if camp in own:
        return "official" if official else "own side"
    if side in BELLIGERENT_CAMPS and camp == OPPOSING_CAMP[BELLIGERENT_CAMPS[side]]:
        return "other side"
    return "third party"


def casualty_table(
    casualties: pd.DataFrame, actors: pd.DataFrame, sources: pd.DataFrame, relations: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every figure with its reporter's name and kind (official, own side, other side, third party, unattributed) and
    the source's perspective."""
    camps = actor_camps(actors, relations)
    official = _official_reporters(actors, relations)
    names = actors.set_index(actors["actor_id"].astype(str))["name"].astype("string")
    perspective = sources.set_index(sources["source_id"].astype(str))["perspective"]
    reported = casualties["reported_by"].astype(object).where(casualties["reported_by"].notna(), None)
    kinds = [
        reporter_kind(str(side), r, camps.get(r, pd.NA) if r is not None else pd.NA, r in official)
        for side, r in zip(casualties["side"].astype(str), reported)
    ]
    table = casualties.copy()
    table["reporter"] = reported.map(names).astype("string")
    table["reporter_kind"] = pd.Categorical(kinds, categories=REPORTER_KINDS)
    table["perspective"] = casualties["source_id"].astype(str).map(perspective.astype(object)).astype("string")
    table["evidence"] = figure_grades("casualties", casualties, actors, sources, relations)
    return table[[c for c in COLUMNS if c in table.columns]]


def exchanges(table: pd.DataFrame) -> pd.DataFrame:
    """Figures of prisoners exchanged, by date then side."""
    rows = table[table["measure"].astype(object).eq("exchanged")]
    return rows.sort_values(["as_of", "side"], kind="stable", na_position="first")


# --------------------------------------------------------------------------- figures as a chapter shows them
# Added for the "Human losses" chapter: labels, comparisons and charts. A figure is always shown
# with its reporter and its wording ("about", "more than"); figures are set side by side, never added.

SIDE_LABELS: Final[dict[str, str]] = value_labels("casualties", "side")  # from datapackage.json
#: Words that mark an event as one about prisoners of war or the bodies of the dead ...
EXCHANGE_WORDS: Final[tuple[str, ...]] = ("prisoner", "bodies", "remains")
#: ... among events of these categories (elsewhere "bodies" means institutions).
EXCHANGE_CATEGORIES: Final[tuple[str, ...]] = ("humanitarian", "ceasefire", "agreement")


def _reporter_label(reporter: object, kind: object) -> str:
    name = "no reporter named" if reporter is None or pd.isna(reporter) else str(reporter)  # type: ignore[arg-type]
    return name if kind == "unattributed" else f"{name} ({kind})"


def labelled(table: pd.DataFrame) -> pd.DataFrame:
    """The casualty table with readable columns: 'figure' (as worded), 'reported by' (name and kind) and 'label'."""
    out = table.copy()
    out["figure"] = [figure_text(c, m, q) for c, m, q in zip(out["count"], out["count_max"], out["qualifier"])]
    out["reported by"] = [_reporter_label(r, k) for r, k in zip(out["reporter"], out["reporter_kind"].astype(object))]
    sides = out["side"].astype(object).map(lambda s: SIDE_LABELS.get(s, s))
    groups = out["group"].astype(object).map(lambda g: "all (military and civilian)" if g == "all" else g)
    out["label"] = [
        f"{s}, {g}, {m}: {r}" for s, g, m, r in zip(sides, groups, out["measure"].astype(object), out["reported by"])
    ]
    return out


def distinct_figures(table: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct figure: a figure one document repeats (same side, group, measure, count, reporter, period)
    is kept once, its locators joined."""
    keys = [
        "side",
        "group",
        "measure",
        "count",
        "count_max",
        "qualifier",
        "reported_by",
        "as_of",
        "period",
        "source_id",
    ]
    frame = table.copy()
    key_text = frame[keys].astype(object).astype(str).agg("|".join, axis=1)
    locators = frame.groupby(key_text, sort=False)["locator"].agg(lambda s: "; ".join(dict.fromkeys(s.astype(str))))
    first = frame[~key_text.duplicated()].copy()
    first["locator"] = key_text[first.index].map(locators).astype("string")
    return first


def compare(
    table: pd.DataFrame,
    measures: tuple[str, ...],
    groups: tuple[str, ...],
    sides: tuple[str, ...] | None = None,
    with_period: bool = False,
) -> pd.DataFrame:
    """Distinct labelled figures for some measures and groups, ordered by side, group, measure, reporter kind, then
    size.

    With ``with_period`` the label names the period too; labels that would still coincide name their source.
    """
    rows = distinct_figures(table)
    rows = rows[rows["measure"].astype(object).isin(measures) & rows["group"].astype(object).isin(groups)]
    if sides is not None:
        rows = rows[rows["side"].astype(object).isin(sides)]
    side_order = {s: i for i, s in enumerate(SIDE_LABELS)}
    kind_order = {k: i for i, k in enumerate(REPORTER_KINDS)}
    rows = rows.assign(
        _side=rows["side"].astype(object).map(side_order),
        _kind=rows["reporter_kind"].astype(object).map(kind_order),
        _measure=rows["measure"].astype(object).map({m: i for i, m in enumerate(measures)}),
        _group=rows["group"].astype(object).map({g: i for i, g in enumerate(groups)}),
    )
    rows = rows.sort_values(
        ["_side", "_group", "_measure", "_kind", "count"], ascending=[True, True, True, True, False], kind="stable"
    )
    out = labelled(rows.drop(columns=["_side", "_kind", "_measure", "_group"]))
    out["label"] = short_labels(out, with_period)
    return out


def short_labels(frame: pd.DataFrame, with_period: bool = False) -> pd.Series:
    """Unique labels for a labelled frame: side, then group and measure only where the frame mixes them, then the
    reporter; labels that coincide name the period, then the place in the source, then the source, then a number."""
    sides = frame["side"].astype(object).map(lambda s: SIDE_LABELS.get(s, s))
    groups = frame["group"].astype(object).map(lambda g: "all (military and civilian)" if g == "all" else str(g))
    measures = frame["measure"].astype(object).astype(str)
    heads = sides.astype(str)
    if groups.nunique() > 1:
        heads = heads + ", " + groups
    if measures.nunique() > 1:
        heads = heads + ", " + measures
    labels = heads + ": " + frame["reported by"].astype(str)
    if with_period:
        labels = labels + " [" + frame["period"].astype(str) + "]"
    extras = ("source_id", "locator") if with_period else ("period", "source_id", "locator")
    out = labels.copy()
    for extra in extras:  # add the first attributes that tell coinciding figures apart
        clash = out.duplicated(keep=False)
        for _, same in out[clash].groupby(out[clash], sort=False):
            values = frame.loc[same.index, extra].astype(str)
            if values.nunique() > 1:
                out[same.index] = same + " · " + values
    clash = out.duplicated(keep=False)
    for _, same in out[clash].groupby(out[clash], sort=False):
        out[same.index] = same + [f" #{i + 1}" for i in range(len(same))]
    return out


#: The columns a chapter's tables of figures show, in order.
SHOWN: Final[tuple[str, ...]] = (
    "as of",
    "side",
    "group",
    "measure",
    "figure",
    "reported by",
    "period",
    "note",
    "evidence",
    "source_id",
    "locator",
)


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """A labelled frame reduced to the columns a reader needs: date, who and what, the figure as worded, note and
    source."""
    out = frame.assign(
        **{
            "as of": frame["as_of"].dt.strftime("%Y-%m-%d").astype("string"),
            "side": frame["side"].astype(object).map(lambda s: SIDE_LABELS.get(s, s)),
        }
    )
    return out[list(SHOWN)].reset_index(drop=True)


def headline(table: pd.DataFrame, side: str, group: str, measure: str, kind: str) -> str:
    """The largest figure one kind of reporter gave for one side, group and measure, as worded ('' if none)."""
    rows = table[
        table["side"].astype(object).eq(side)
        & table["group"].astype(object).eq(group)
        & table["measure"].astype(object).eq(measure)
        & table["reporter_kind"].astype(object).eq(kind)
    ]
    if rows.empty:
        return ""
    top = rows.sort_values("count", kind="stable").iloc[-1]
    return figure_text(top["count"], top["count_max"], top["qualifier"])


def reporter_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """Side × group × measure rows, one column per reporter kind: the largest figure as worded, and how many figures the
    cell holds; nothing is summed."""
    frame = labelled(distinct_figures(table))
    keys = ["side", "group", "measure"]
    out: dict[tuple[str, str, str], dict[str, str]] = {}
    for key, cell in frame.groupby(
        [frame[k].astype(object) for k in keys] + [frame["reporter_kind"].astype(object)], sort=True
    ):
        top = cell.sort_values("count", kind="stable").iloc[-1]
        text = str(top["figure"]) + (f" (largest of {len(cell)})" if len(cell) > 1 else "")
        out.setdefault(tuple(key[:3]), {})[str(key[3])] = text
    rows = [
        {
            "side": SIDE_LABELS.get(k[0], k[0]),
            "group": k[1],
            "measure": k[2],
            **{kind: v.get(kind, pd.NA) for kind in REPORTER_KINDS},
        }
        for k, v in out.items()
    ]
    return pd.DataFrame(rows, columns=["side", "group", "measure", *REPORTER_KINDS]).astype("string")


def reporter_kind_counts(table: pd.DataFrame) -> pd.Series:
    """How many distinct figures each kind of reporter gave, over all sides (a count of figures, not of people)."""
    kinds = distinct_figures(table)["reporter_kind"].astype(object)
    return kinds.value_counts().reindex(list(REPORTER_KINDS), fill_value=0).rename("figures")


def figure_range(frame: pd.DataFrame) -> tuple[str, str]:
    """The smallest and the largest figure of a frame of figures, each as worded (by the low end of a range)."""
    if frame.empty:
        raise ValueError("figure_range(): no figures")
    ordered = frame.sort_values("count", kind="stable")
    low, high = ordered.iloc[0], ordered.iloc[-1]
    return (
        figure_text(low["count"], low["count_max"], low["qualifier"]),
        figure_text(high["count"], high["count_max"], high["qualifier"]),
    )


def reporters_per_side(table: pd.DataFrame) -> pd.DataFrame:
    """How many figures each kind of reporter gave about each side (a count of figures, not of people)."""
    frame = distinct_figures(table)
    counts = pd.crosstab(
        frame["side"].astype(object).map(lambda s: SIDE_LABELS.get(s, s)), frame["reporter_kind"].astype(object)
    )
    counts = counts.reindex(columns=list(REPORTER_KINDS), fill_value=0)
    counts["all figures"] = counts.sum(axis=1)
    counts = counts.sort_values("all figures", ascending=False, kind="stable")
    counts.index.name, counts.columns.name = "side", None
    return counts.reset_index()


def dated(table: pd.DataFrame) -> pd.DataFrame:
    """Distinct labelled figures that carry a date, oldest first (the rest are war-wide totals or undated)."""
    rows = distinct_figures(table)
    rows = rows[rows["as_of"].notna()].sort_values(["as_of", "side", "count"], kind="stable")
    return labelled(rows)


def source_ids(frame: pd.DataFrame) -> list[str]:
    """The distinct source ids behind a frame of figures, sorted (for a figure's source line)."""
    return sorted(set(frame["source_id"].astype(str)))


def register_figures(register: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The casualty rows of a discrepancy register, each joined to its figure, reporter, period and note."""
    rows = register[register["file"].astype(str).eq("casualties.csv")]
    figures = labelled(table)
    joined = figures.loc[rows["row"].astype(int).to_numpy()]
    sides = joined["side"].astype(object).map(lambda v: SIDE_LABELS.get(v, v))
    what = [
        f"{s}, {g}, {m} ({p})"
        for s, g, m, p in zip(sides, joined["group"].astype(object), joined["measure"].astype(object), joined["period"])
    ]
    out = pd.DataFrame(
        {
            "dispute": pd.factorize(rows["subject"])[0] + 1,
            "count in question": what,
            "figure": joined["figure"].to_numpy(),
            "reported by": joined["reported by"].to_numpy(),
            "note": joined["note"].to_numpy(),
            "source_id": joined["source_id"].to_numpy(),
            "locator": joined["locator"].to_numpy(),
            "side": joined["side"].astype(object).to_numpy(),
            "group": joined["group"].astype(object).to_numpy(),
            "measure": joined["measure"].astype(object).to_numpy(),
        }
    )
    return out


def dispute_figures(disputes: pd.DataFrame, side: str, group: str, measure: str) -> list[str]:
    """The rival figures of one disputed count (a register_figures() frame), in register order, as worded."""
    rows = disputes[disputes["side"].eq(side) & disputes["group"].eq(group) & disputes["measure"].eq(measure)]
    if rows.empty:
        raise KeyError(f"no disputed figure for {side}, {group}, {measure}")
    return list(dict.fromkeys(rows["figure"]))


def exchange_events(events: pd.DataFrame) -> pd.DataFrame:
    """First versions of humanitarian, ceasefire and agreement events that mention prisoners of war or bodies, by
    date."""
    first = events[events["variant_of"].isna()] if "variant_of" in events.columns else events
    first = first[first["category"].astype(object).isin(EXCHANGE_CATEGORIES)]
    text = (first["title"].astype(str) + " " + first["description"].fillna("").astype(str)).str.lower()
    hits = first[text.str.contains("|".join(EXCHANGE_WORDS), regex=True)]
    return hits.sort_values("date", kind="stable")[["date", "title", "source_id", "locator"]]


#: Which figures a chart of the war's losses leaves out because they are about fighting elsewhere.
OUTSIDE_THEATRE_RULE: Final[str] = (
    "Casualty figures carry no place, so a figure counts as outside the war's theatre when it is about armed men "
    "who belonged to neither camp of the war and did not fight for either; in these documents that is only the "
    "air strike on a training camp in Idlib, Syria."
)
_OUTSIDE_GROUPS: Final[frozenset[str]] = frozenset({"military", "foreign-fighters", "all"})


def in_war_theatre(frame: pd.DataFrame) -> pd.Series:
    """Whether each figure is about the war's theatre: False for side 'other' in a military, foreign-fighters or all
    group (OUTSIDE_THEATRE_RULE)."""
    outside = frame["side"].astype(object).eq("other") & frame["group"].astype(object).isin(_OUTSIDE_GROUPS)
    return ~outside.fillna(False).astype(bool)


def figure_bars(frame: pd.DataFrame, title: str, source: str, x_title: str = "People (as reported)") -> go.Figure:
    """Horizontal bars, one per figure (a compare() frame), coloured by reporter kind; a range shows its high end as an
    error bar.

    One chart, one measure and one scope: a frame that mixes measures (killed beside wounded) or holds figures from
    outside the war's theatre (:func:`in_war_theatre`) raises ValueError, since their bars would share one axis.
    """
    measures = sorted(set(frame["measure"].astype(object)))
    if len(measures) > 1:
        raise ValueError(f"figure_bars(): one measure per chart, got {measures}; chart each on its own")
    if not in_war_theatre(frame).all():
        raise ValueError("figure_bars(): figures from outside the war's theatre share no axis with the war's")
    fig = go.Figure()
    frame = frame.assign(_y=[wrap(str(label), charts.LABEL_WIDTH) for label in frame["label"]])
    labels = list(frame["_y"])
    for kind in [k for k in REPORTER_KINDS if k in set(frame["reporter_kind"].astype(object))]:
        part = frame[frame["reporter_kind"].astype(object).eq(kind)]
        high = (part["count_max"].astype("Float64") - part["count"].astype("Float64")).fillna(0)
        custom = plotly_cells(part[["figure", "period", "source_id", "locator"]].astype(str))
        fig.add_trace(
            go.Bar(
                y=part["_y"],
                x=part["count"].astype(float),
                orientation="h",
                name=plotly_text(kind),
                marker_color=charts.REPORTER_COLOURS[kind],
                text=[plotly_text(f) if h == 0 else "" for f, h in zip(part["figure"], high)],
                textposition="outside",
                cliponaxis=False,
                constraintext="none",
                textfont={"size": 12},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": high.astype(float).tolist(),
                    "arrayminus": [0.0] * len(part),
                    "visible": bool((high > 0).any()),
                    "color": "#444444",
                    "width": 0,
                    "thickness": 2,
                },
                customdata=custom,
                hovertemplate="%{y}<br><b>%{customdata[0]}</b> (period: %{customdata[1]})"
                "<br><i>%{customdata[2]}, %{customdata[3]}</i><extra></extra>",
            )
        )
    ranges = frame[frame["count_max"].notna()]
    if not ranges.empty:  # a range is labelled past its high end, clear of the error bar
        fig.add_trace(
            go.Scatter(
                y=ranges["_y"],
                x=ranges["count_max"].astype(float),
                mode="text",
                text=plotly_cells(ranges["figure"].astype(str)),
                textposition="middle right",
                textfont={"size": 12},
                showlegend=False,
                hoverinfo="skip",
                cliponaxis=False,
            )
        )
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), automargin=True)
    fig.update_xaxes(rangemode="tozero")
    fig.update_layout(bargap=0.3, legend_title_text="Reporter")
    return charts.fit_labelled_bars(fig, title, source, x_title, charts.plot_height(labels))


def dated_chart(frame: pd.DataFrame, title: str, source: str) -> go.Figure:
    """Dated figures (a dated() frame) as points on a calendar, one row per side and measure, coloured by reporter
    kind."""
    frame = frame.assign(
        _row=[
            plotly_text(f"{SIDE_LABELS.get(s, s)}, {g}, {m}")
            for s, g, m in zip(
                frame["side"].astype(object), frame["group"].astype(object), frame["measure"].astype(object)
            )
        ]
    )
    fig = go.Figure()
    for kind in [k for k in REPORTER_KINDS if k in set(frame["reporter_kind"].astype(object))]:
        part = frame[frame["reporter_kind"].astype(object).eq(kind)]
        custom = plotly_cells(part[["reported by", "period", "source_id", "locator"]].astype(str))
        fig.add_trace(
            go.Scatter(
                x=part["as_of"],
                y=part["_row"],
                mode="markers+text",
                name=plotly_text(kind),
                text=plotly_cells(part["figure"].astype(str)),
                textposition="top center",
                cliponaxis=False,
                marker={
                    "color": charts.REPORTER_COLOURS[kind],
                    "size": 11,
                    "line": {"width": 1, "color": charts.NEUTRAL["ink"]},
                },
                customdata=custom,
                hovertemplate="%{x|%d %b %Y}: <b>%{text}</b><br>%{y}<br>%{customdata[0]} (period: %{customdata[1]})"
                "<br><i>%{customdata[2]}, %{customdata[3]}</i><extra></extra>",
            )
        )
    rows = list(dict.fromkeys(frame.sort_values(["side", "measure"], kind="stable")["_row"]))
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(rows)), automargin=True)
    fig.update_layout(legend_title_text="Reporter")
    return charts.fit_labelled_bars(fig, title, source, "Date of the figure", charts.plot_height(rows, line_px=44))


# --------------------------------------------------------------------------- the figures the chapter's prose names


def _headlines(table: pd.DataFrame, wanted: dict[str, tuple[str, str, str, str]]) -> dict[str, str]:
    return {name: headline(table, *key) for name, key in wanted.items()}


def overview_figures(table: pd.DataFrame) -> dict[str, int]:
    """Rows of a casualty_table(), distinct figures, and figures by the official, third-party and unattributed
    reporter kinds."""
    kinds = reporter_kind_counts(table)
    return {
        "rows": len(table),
        "figures": len(distinct_figures(table)),
        "official-count": int(kinds["official"]),
        "third-count": int(kinds["third party"]),
        "unattributed-count": int(kinds["unattributed"]),
    }


def military_dead_figures(table: pd.DataFrame) -> dict[str, str]:
    """The largest military death toll each side's officials gave and its enemy claimed, Armenia's own estimate
    of all dead, and the Syrian fighters killed (by a third party, and unattributed for Idlib)."""
    return _headlines(
        table,
        {
            "am-official": ("armenia", "military", "killed", "official"),
            "am-other": ("armenia", "military", "killed", "other side"),
            "am-own": ("armenia", "all", "killed", "own side"),
            "az-official": ("azerbaijan", "military", "killed", "official"),
            "az-other": ("azerbaijan", "military", "killed", "other side"),
            "syria-third": ("syria", "foreign-fighters", "killed", "third party"),
            "syria-idlib": ("syria", "military", "killed", "unattributed"),
        },
    )


def dispute_words(disputes: pd.DataFrame) -> dict[str, object]:
    """From register_figures(): how many disputes, and the two rival figures for Azerbaijan's military killed and
    missing and its civilians displaced."""
    out: dict[str, object] = {"dispute-count": int(disputes["dispute"].nunique())}
    for name, key in (
        ("az-killed", ("azerbaijan", "military", "killed")),
        ("az-missing", ("azerbaijan", "military", "missing")),
        ("displaced", ("azerbaijan", "civilian", "displaced")),
    ):
        first, second = dispute_figures(disputes, *key)[:2]
        out[f"{name}-first"], out[f"{name}-second"] = first, second
    return out


def civilian_figures(table: pd.DataFrame) -> dict[str, str]:
    """Each side's official figure for its civilians killed, and Azerbaijan's for its civilians wounded."""
    return _headlines(
        table,
        {
            "civ-am": ("armenia", "civilian", "killed", "official"),
            "civ-az": ("azerbaijan", "civilian", "killed", "official"),
            "civ-az-wounded": ("azerbaijan", "civilian", "wounded", "official"),
        },
    )


def displacement_figures(table: pd.DataFrame) -> dict[str, str]:
    """The official figures for people displaced in Nagorno-Karabakh (Artsakh) and in Azerbaijan."""
    return _headlines(
        table,
        {
            "displaced-artsakh": ("artsakh", "civilian", "displaced", "official"),
            "displaced-az": ("azerbaijan", "civilian", "displaced", "official"),
        },
    )


def prisoner_figures(table: pd.DataFrame) -> dict[str, str]:
    """The date of the first exchange of prisoners, the numbers each side got back, and Armenia's official
    figure for its soldiers captured."""
    return {
        "exchange-date": str(date_text(exchanges(table)["as_of"].min())),
        **_headlines(
            table,
            {
                "exchange-am": ("armenia", "military", "exchanged", "unattributed"),
                "exchange-az": ("azerbaijan", "military", "exchanged", "unattributed"),
                "captured-am": ("armenia", "military", "captured", "official"),
            },
        ),
    }


def desertion_figures(deserted: pd.DataFrame) -> dict[str, str]:
    """The smallest and largest desertion figure (a compare() frame of 'deserted'), as worded."""
    low, high = figure_range(deserted)
    return {"deserted-low": low, "deserted-high": high}


#: The columns of a casualty figure a reader takes away with a chart (figure_rows).
FIGURE_COLUMNS: Final[tuple[str, ...]] = (
    "side", "group", "measure", "figure", "count", "count_max", "qualifier", "reported by", "as_of", "period", "note",
)  # fmt: skip


def figure_rows(figures: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The figures a casualty chart draws (a compare() or dated() table), one row per bar or dot, with reporter,
    period, source, locator and evidence grade, slugs as labels: the rows of the chart's "Download data"."""
    from .cards import drawn  # the card module reads the package descriptor: imported when used

    return drawn(figures, "casualties", tables, columns=[c for c in FIGURE_COLUMNS if c in figures.columns])
