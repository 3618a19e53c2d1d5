"""Events on a time axis: counts per day or week, lanes by theatre, and the phases of 2020.

Only first versions of events are counted (``variant_of`` empty): the same event told by two
sources is one event. Daily and weekly counts use day-precision events only; events known only
to the month or year are drawn as bars over the whole period they could fall in (or counted
separately), never placed on a guessed day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import pandas as pd
import plotly.graph_objects as go

from . import charts
from .charts import LANE_COLOURS, NEUTRAL, NOTE_SIZE, SHADE, plotly_cells, plotly_text, style_plotly, wrap

#: Timeline lanes, top to bottom, and the theatres each gathers.
LANES: dict[str, tuple[str, ...]] = {
    "Azerbaijan": ("azerbaijan",),
    "Front line and diplomacy": ("front", "armenia"),
    "Iran": ("iran",),
    "International": ("international",),
}


def first_versions(events: pd.DataFrame) -> pd.DataFrame:
    """Events that are not another source's version of an event already listed."""
    return events[events["variant_of"].isna()]


def lane_of(theatre: pd.Series) -> pd.Series:
    """The timeline lane of each theatre (see LANES)."""
    mapping = {t: lane for lane, theatres in LANES.items() for t in theatres}
    return theatre.astype(object).map(mapping).astype(pd.CategoricalDtype(list(LANES), ordered=True))


def events_per_period(events: pd.DataFrame, freq: str = "D", by: str | list[str] = "theatre") -> pd.DataFrame:
    """Number of day-precision first-version events per day (freq='D') or week ('W', weeks ending Sunday)."""
    if freq not in ("D", "W"):
        raise ValueError(f"freq must be 'D' or 'W', got {freq!r}")
    keys = [by] if isinstance(by, str) else list(by)
    ev = first_versions(events)
    ev = ev[ev["date_precision"] == "day"]
    period = ev["date"].dt.to_period(freq).dt.start_time if freq == "W" else ev["date"]
    frame = ev[keys].astype(object).assign(period=period.to_numpy())
    out = frame.groupby(["period", *keys], observed=True).size().rename("events").reset_index()
    return out.sort_values(["period", *keys], kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class PhaseRule:
    """Which events make a phase: categories, theatres, the window they must fall in, and how to span them.

    ``span='union'`` runs from the first selected event to the last; ``span='longest'`` takes the
    longest selected event (e.g. the event that stands for the whole war) as the phase.
    """

    name: str
    categories: tuple[str, ...]
    theatres: tuple[str, ...]
    window: tuple[str, str]
    span: str = "union"


#: The phases of 2020. The rules say which events count; the phases' dates come from the data.
PHASE_RULES: tuple[PhaseRule, ...] = (
    PhaseRule("July border clashes", ("clash",), ("front",), ("2020-07-01", "2020-08-31"), "longest"),
    PhaseRule("Protests in Azerbaijan", ("protest",), ("azerbaijan",), ("2020-07-01", "2020-08-31")),
    PhaseRule("The 44-day war", ("clash", "capture"), ("front",), ("2020-09-01", "2020-11-30"), "longest"),
    PhaseRule(
        "Ceasefire and handovers",
        ("ceasefire", "agreement"),
        ("front", "international", "armenia", "azerbaijan"),
        ("2020-11-01", "2020-12-31"),
    ),
    PhaseRule("Trials in Iran", ("trial",), ("iran",), ("2020-01-01", "2021-12-31")),
)


def event_end(events: pd.DataFrame) -> pd.Series:
    """Last day of each event: its end_date, else the end of its month for month precision, else its date."""
    month_end = events["date"] + pd.offsets.MonthEnd(0)
    by_precision = events["date"].where(events["date_precision"] != "month", month_end)
    return events["end_date"].fillna(by_precision)


def phases(events: pd.DataFrame, rules: tuple[PhaseRule, ...] = PHASE_RULES) -> pd.DataFrame:
    """Start, end, calendar days (both ends included) and events of each phase, from day- and month-precision events."""
    ev = first_versions(events)
    ev = ev[ev["date_precision"].isin(["day", "month"])]
    end = event_end(ev)
    rows = []
    for rule in rules:
        lo, hi = pd.Timestamp(rule.window[0]), pd.Timestamp(rule.window[1])
        mask = (
            ev["category"].isin(rule.categories)
            & ev["theatre"].isin(rule.theatres)
            & (ev["date"] >= lo)
            & (ev["date"] <= hi)
        )
        if not mask.any():
            continue
        if rule.span == "longest":
            length = end[mask] - ev.loc[mask, "date"]
            row = length.idxmax()
            start, stop = ev.at[row, "date"], end[row]
        else:
            start, stop = ev.loc[mask, "date"].min(), end[mask].max()
        rows.append(
            {
                "phase": rule.name,
                "start": start,
                "end": stop,
                "days": int((stop - start).days) + 1,
                "events": int(mask.sum()),
            }
        )
    return pd.DataFrame(rows, columns=["phase", "start", "end", "days", "events"])


def timeline_frame(events: pd.DataFrame, places: pd.DataFrame | None = None) -> pd.DataFrame:
    """First-version events ready to draw: lane, start, end, label, category, place name and source."""
    ev = first_versions(events)
    out = pd.DataFrame(
        {
            "event_id": ev["event_id"],
            "lane": lane_of(ev["theatre"]),
            "start": ev["date"],
            "end": ev["end_date"].fillna(ev["date"]),
            "precision": ev["date_precision"],
            "title": ev["title"],
            "category": ev["category"],
            "source_id": ev["source_id"],
            "locator": ev["locator"],
        }
    )
    if places is not None:
        names = places.set_index("place_id")["name"]
        out["place"] = ev["place_id"].map(names)
    return out.sort_values(["start", "event_id"], kind="stable")


def versions_per_event(events: pd.DataFrame) -> pd.DataFrame:
    """How many sources tell each first-version event (1 + its variants), and which."""
    root = events["variant_of"].fillna(events["event_id"]).astype(object)
    pairs = pd.DataFrame({"event_id": root, "source_id": events["source_id"].astype(object)})
    versions = pairs.groupby("event_id", sort=True).size().rename("versions")
    # Joining names is per-group Python work: do it only for events told more than once.
    distinct = pairs.drop_duplicates().sort_values(["event_id", "source_id"])
    multi = distinct[distinct["event_id"].isin(versions.index[versions > 1])]
    joined = multi.groupby("event_id", sort=True)["source_id"].agg(", ".join)
    single = distinct.drop_duplicates("event_id").set_index("event_id")["source_id"]
    out = versions.to_frame().assign(sources=joined.reindex(versions.index).fillna(single.reindex(versions.index)))
    return out.reset_index()


# --- Drawing the timeline -------------------------------------------------------------------------------
# The builders below add to the functions above without changing them: the chapter draws every
# first version, placing day-precision events as points and events known only to the month or the
# year as bars over the whole period they could fall in, so no event is put on a guessed day.


def period_end(events: pd.DataFrame) -> pd.Series:
    """Last day an event can cover: its end_date, else the end of its month or year for coarse precision, else its
    date."""
    date, precision = events["date"], events["date_precision"].astype(object)
    coarse = date.where(precision != "month", date + pd.offsets.MonthEnd(0))
    coarse = coarse.where(precision != "year", date + pd.offsets.YearEnd(0))
    return events["end_date"].fillna(coarse)


def date_label(start: pd.Series, end: pd.Series, precision: pd.Series) -> pd.Series:
    """How a date reads in the book: '27 Sep 2020', '27 Sep – 10 Nov 2020', 'Oct 2020 (month only)', '1990–1999 (years
    only)'."""
    labels = []
    for s, e, p in zip(start, end, precision.astype(object)):
        if pd.isna(s):
            labels.append("no date")
        elif p == "year":
            labels.append(f"{s:%Y}–{e:%Y} (years only)" if pd.notna(e) and e.year != s.year else f"{s:%Y} (year only)")
        elif p == "month":
            several = pd.notna(e) and (e.year, e.month) != (s.year, s.month)
            labels.append(f"{s:%b %Y} – {e:%b %Y} (months only)" if several else f"{s:%b %Y} (month only)")
        elif pd.notna(e) and e != s:
            first = f"{s:%-d %b}" if s.year == e.year else f"{s:%-d %b %Y}"
            labels.append(f"{first} – {e:%-d %b %Y}")
        else:
            labels.append(f"{s:%-d %b %Y}")
    return pd.Series(labels, index=start.index, dtype=object)


def precision_share(events: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """First-version events by date precision (optionally only those dated in one year), with each precision's share."""
    ev = first_versions(events)
    if year is not None:
        ev = ev[ev["date"].dt.year == year]
    order = ["day", "month", "year"]
    counts = ev["date_precision"].astype(object).value_counts().reindex(order, fill_value=0)
    total = int(counts.sum())
    return pd.DataFrame(
        {
            "precision": order,
            "events": counts.to_numpy().astype(int),
            "share": counts.to_numpy() / total if total else 0.0,
        }
    )


def pack_tracks(start: pd.Series, end: pd.Series, gap: pd.Timedelta, max_tracks: int = 12) -> pd.Series:
    """Track number (0 = lowest) for each interval so that intervals on one track are at least ``gap`` apart.

    Greedy: in order of start (ties by position), an interval takes the lowest free track; when
    ``max_tracks`` are all busy it shares the track that frees up first. Deterministic.
    """
    order = sorted(range(len(start)), key=lambda i: (start.iloc[i], i))
    ends: list[pd.Timestamp] = []
    tracks = [0] * len(start)
    for i in order:
        s, e = start.iloc[i], max(end.iloc[i], start.iloc[i])
        free = [t for t, last in enumerate(ends) if last + gap <= s]
        if free:
            t = free[0]
        elif len(ends) < max_tracks:
            t = len(ends)
            ends.append(e)
        else:
            t = min(range(len(ends)), key=lambda k: (ends[k], k))
        ends[t] = e
        tracks[i] = t
    return pd.Series(tracks, index=start.index, dtype=int)


def drawable_timeline(
    events: pd.DataFrame,
    places: pd.DataFrame | None = None,
    first: str | None = None,
    last: str | None = None,
    gap_days: float = 3.0,
    precisions: tuple[str, ...] = ("day", "month", "year"),
) -> pd.DataFrame:
    """First versions between two dates, of the given date precisions, with period, date label, sources and track.

    Columns add to :func:`timeline_frame`: ``end`` (see :func:`period_end`), ``date_label``,
    ``versions`` and ``told_by`` (sources telling the event, from :func:`versions_per_event`),
    and ``track`` (see :func:`pack_tracks`, packed within each lane).
    """
    frame = timeline_frame(events, places)
    ev = first_versions(events).loc[frame.index]
    frame["end"] = period_end(ev)
    keep = frame["precision"].astype(object).isin(precisions)
    if first is not None:
        keep &= frame["end"] >= pd.Timestamp(first)
    if last is not None:
        keep &= frame["start"] <= pd.Timestamp(last)
    frame = frame[keep].copy()
    frame["date_label"] = date_label(frame["start"], frame["end"], frame["precision"])
    versions = versions_per_event(events).set_index("event_id")
    frame["versions"] = frame["event_id"].astype(object).map(versions["versions"]).astype(int)
    frame["told_by"] = frame["event_id"].astype(object).map(versions["sources"])
    frame["track"] = 0
    for _, part in frame.groupby("lane", observed=True):
        frame.loc[part.index, "track"] = pack_tracks(part["start"], part["end"], pd.Timedelta(days=gap_days))
    return frame


def weekly_lane_counts(events: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    """Day-precision first-version events per week (weeks start on Monday) and lane, between two dates."""
    weekly = events_per_period(events, "W", "theatre")
    weekly = weekly[(weekly["period"] >= pd.Timestamp(first)) & (weekly["period"] <= pd.Timestamp(last))]
    weekly = weekly.assign(lane=lane_of(weekly["theatre"]))
    out = weekly.groupby(["period", "lane"], observed=True)["events"].sum().reset_index()
    return out.rename(columns={"period": "week"}).sort_values(["week", "lane"], kind="stable").reset_index(drop=True)


def month_table(events: pd.DataFrame, year: int) -> pd.DataFrame:
    """For each month of ``year``: first-version events per lane (day or month precision) and how many are
    month-only."""
    ev = first_versions(events)
    ev = ev[(ev["date"].dt.year == year) & ev["date_precision"].isin(["day", "month"])]
    frame = pd.DataFrame(
        {
            "month": ev["date"].dt.month,
            "lane": lane_of(ev["theatre"]),
            "month_only": ev["date_precision"].astype(object) == "month",
        }
    )
    counts = frame.pivot_table(
        index="month", columns="lane", values="month_only", aggfunc="size", observed=False, fill_value=0
    )
    counts = counts.reindex(index=range(1, 13), columns=list(LANES), fill_value=0).astype(int)
    counts.columns = list(counts.columns.astype(str))
    only = frame.groupby("month")["month_only"].sum().reindex(range(1, 13), fill_value=0).astype(int)
    out = counts.assign(**{"all lanes": counts.sum(axis=1), "of which month only": only})
    out.index = [pd.Timestamp(year=year, month=m, day=1).strftime("%B") for m in out.index]
    return out.rename_axis("month").reset_index()


def _lane_positions(frame: pd.DataFrame, lanes: list[str], unit: float) -> tuple[dict[str, float], dict[str, float]]:
    """Bottom y and height of each lane (top lane first in ``lanes``), sized by the tracks it needs."""
    heights = {
        lane: unit * (int(frame.loc[frame["lane"].astype(str) == lane, "track"].max()) + 2)
        if (frame["lane"].astype(str) == lane).any()
        else unit * 2
        for lane in lanes
    }
    bottoms, y = {}, 0.0
    for lane in reversed(lanes):
        bottoms[lane] = y
        y += heights[lane]
    return bottoms, heights


def lane_timeline_figure(
    frame: pd.DataFrame,
    phases: pd.DataFrame | None,
    title: str,
    source: str,
    x_range: tuple[str, str],
    colours: dict[str, str] | None = None,
) -> go.Figure:
    """A drawable_timeline() table as lanes: points for events dated to the day, bars for periods and coarse dates.

    Hover shows title, date (with its precision), place, source_id and locator, and the other
    sources telling the event. ``phases`` (a phases() table) become labelled bars in a strip on
    top, and phases inside the axis range are shaded behind the lanes; a phase running past the axis
    says where it ends.
    """
    colours = colours or LANE_COLOURS
    lo, hi = pd.Timestamp(x_range[0]), pd.Timestamp(x_range[1])
    lanes = [lane for lane in LANES if (frame["lane"].astype(str) == lane).any()]
    unit = 1.0
    bottoms, heights = _lane_positions(frame, lanes, unit)
    fig = go.Figure()
    place = frame["place"].fillna("") if "place" in frame.columns else pd.Series("", index=frame.index)
    others = [("also told by: " + t) if v > 1 else "" for v, t in zip(frame["versions"], frame["told_by"])]
    custom = pd.DataFrame(
        {
            "title": frame["title"].astype(object),
            "date": frame["date_label"],
            "where": [f"{lane}" + (f" · {p}" if p else "") for lane, p in zip(frame["lane"].astype(str), place)],
            "source_id": frame["source_id"].astype(object),
            "locator": frame["locator"].astype(object),
            "others": others,
        },
        index=frame.index,
    )
    custom = pd.DataFrame(plotly_cells(custom), columns=custom.columns, index=custom.index)  # escaped once
    hover = (
        "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<br>"
        "<i>%{customdata[3]}, %{customdata[4]}</i><br>%{customdata[5]}<extra></extra>"
    )
    y = pd.Series(
        [
            bottoms[str(lane)] + unit * (t + 1) if str(lane) in bottoms else 0.0
            for lane, t in zip(frame["lane"], frame["track"])
        ],
        index=frame.index,
    )
    is_span = (frame["precision"].astype(object) != "day") | (frame["end"] > frame["start"])
    for lane in lanes:
        in_lane = frame["lane"].astype(str) == lane
        colour = colours[lane]
        pts = frame[in_lane & ~is_span]
        fig.add_trace(
            go.Scatter(
                x=pts["start"],
                y=y[pts.index],
                mode="markers",
                name=plotly_text(lane),
                legendgroup=lane,
                showlegend=False,
                marker={"color": colour, "size": 8, "line": {"width": 0.6, "color": "white"}},
                customdata=custom.loc[pts.index].to_numpy(),
                hovertemplate=hover,
            )
        )
        spans = frame[in_lane & is_span]
        xs, ys, cd = [], [], []
        for idx, row in spans.iterrows():
            xs += [max(row["start"], lo), min(row["end"], hi), None]
            ys += [y[idx], y[idx], None]
            cd += [custom.loc[idx].tolist(), custom.loc[idx].tolist(), [None] * custom.shape[1]]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                name=plotly_text(lane),
                legendgroup=lane,
                showlegend=False,
                connectgaps=False,
                line={"color": colour, "width": 5},
                opacity=0.45,
                marker={"color": colour, "size": 6, "symbol": "line-ns-open", "line": {"width": 2, "color": colour}},
                customdata=cd,
                hovertemplate=hover,
            )
        )
    top = sum(heights.values())
    # legend entries explaining the two marks
    fig.add_trace(
        go.Scatter(
            x=[None], y=[None], mode="markers", name="dated to the day", marker={"color": NEUTRAL["ink"], "size": 8}
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="lines",
            name="span, or known only to the month or year",
            line={"color": NEUTRAL["ink"], "width": 5},
            opacity=0.45,
        )
    )
    tickvals = [bottoms[lane] + heights[lane] / 2 for lane in lanes]
    ticktext = [wrap(lane, 12) for lane in lanes]
    if phases is not None and not phases.empty:
        ph = phases.reset_index(drop=True)
        x0s = ph["start"].clip(lower=lo)
        x1s = (ph["end"] + pd.Timedelta(days=1)).clip(upper=hi)
        names = [plotly_text(n + (f" (to {e:%b %Y})" if e > hi else "")) for n, e in zip(ph["phase"], ph["end"])]
        sides = phase_label_sides(x0s, x1s, pd.Series([len(n) for n in names]), lo, hi)
        # one track per phase, earliest lowest: a label beside its bar then meets no other bar at any width
        ph_track = pd.Series(range(len(ph)), index=ph.sort_values(["start", "end"], kind="stable").index).sort_index()
        strip = unit * 1.8
        for i, p in ph.iterrows():
            py = top + strip * (ph_track[i] + 0.5)
            x0, x1 = x0s[i], x1s[i]
            label = plotly_text(f"{p['phase']}: {p['start']:%-d %b %Y} – {p['end']:%-d %b %Y}")
            fig.add_trace(
                go.Scatter(
                    x=[x0, x1],
                    y=[py, py],
                    mode="lines",
                    showlegend=False,
                    line={"color": SHADE, "width": 8},
                    hovertemplate=f"{label}<extra></extra>",
                )
            )
            fig.add_annotation(  # beside the bar, never on it (issue 13: phase labels overlapped their bars)
                x=x0 if sides[i] == "left" else x1,
                y=py,
                text=names[i],
                showarrow=False,
                xanchor="right" if sides[i] == "left" else "left",
                xshift=-5 if sides[i] == "left" else 5,
                yanchor="middle",
                font={"size": NOTE_SIZE},
            )
            if lo <= p["start"] and p["end"] < hi:  # a phase running past the axis is not shaded over everything
                fig.add_shape(
                    type="rect",
                    xref="x",
                    yref="y",
                    x0=x0,
                    x1=x1,
                    y0=0,
                    y1=top,
                    line_width=0,
                    fillcolor=SHADE,
                    opacity=0.1,
                    layer="below",
                )
        n_strip = int(ph_track.max()) + 1
        tickvals.append(top + strip * n_strip / 2)
        ticktext.append("Phases")
        top += strip * (n_strip + 0.4)
    for lane in lanes[:-1]:
        fig.add_hline(y=bottoms[lane], line={"color": "#dddddd", "width": 1})
    fig.add_hline(y=bottoms[lanes[0]] + heights[lanes[0]], line={"color": "#bbbbbb", "width": 1})
    fig.update_yaxes(
        tickvals=tickvals, ticktext=ticktext, range=[0, top], showgrid=False, zeroline=False, fixedrange=True
    )
    fig.update_xaxes(range=[lo, hi], type="date")
    fig = style_plotly(fig, title, source, "Date", None)
    fig.update_layout(hovermode="closest", showlegend=True)
    charts.top_space(fig, 140).update_layout(margin={"l": 100})
    return fig


#: About one character of a phase label, as a share of the time axis on a book page.
LABEL_CHAR_SHARE: Final[float] = 0.014


def phase_label_sides(x0: pd.Series, x1: pd.Series, chars: pd.Series, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.Series:
    """Where each phase's label goes beside its bar: 'right' of its end if it fits before ``hi``, else 'left' of its
    start."""
    width = (hi - lo) * LABEL_CHAR_SHARE
    fits_right = [end + width * n <= hi for end, n in zip(x1, chars)]
    return pd.Series(["right" if ok else "left" for ok in fits_right], index=x0.index, dtype=object)


def weekly_bars(
    counts: pd.DataFrame, title: str, source: str, x_range: tuple[str, str], colours: dict[str, str] | None = None
) -> go.Figure:
    """A weekly_lane_counts() table as stacked bars per week (x at the week's middle), one colour per lane."""
    colours = colours or LANE_COLOURS
    fig = go.Figure()
    week_ms = 6 * 24 * 3600 * 1000
    for lane in [lane for lane in LANES if lane in set(counts["lane"].astype(str))]:
        part = counts[counts["lane"].astype(str) == lane]
        fig.add_trace(
            go.Bar(
                x=part["week"] + pd.Timedelta(days=3.5),
                y=part["events"],
                width=week_ms,
                name=plotly_text(lane),
                marker_color=colours[lane],
                customdata=part["week"].dt.strftime("%-d %b %Y").to_numpy(),
                hovertemplate=f"week of %{{customdata}}<br>{plotly_text(lane)}: %{{y}} events<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", bargap=0, legend={"traceorder": "normal"})
    fig.update_xaxes(range=[pd.Timestamp(x_range[0]), pd.Timestamp(x_range[1])], type="date")
    fig = style_plotly(fig, title, source, "Week (weeks start on Monday)", "Events dated to the day")
    return charts.top_space(fig, 130)


def busiest_weeks(counts: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The ``n`` weeks of a weekly_lane_counts() table with the most events (ties: earlier first), with lane counts."""
    wide = counts.pivot_table(index="week", columns="lane", values="events", aggfunc="sum", observed=True, fill_value=0)
    wide.columns = wide.columns.astype(str)
    wide = wide.assign(all=wide.sum(axis=1)).reset_index()
    return wide.sort_values(["all", "week"], ascending=[False, True], kind="stable").head(n).reset_index(drop=True)


def precision_table(events: pd.DataFrame, year: int) -> pd.DataFrame:
    """First versions by date precision, for one year and for all years, with shares: how much the daily counts miss."""
    one = precision_share(events, year).set_index("precision")
    every = precision_share(events).set_index("precision")
    out = pd.DataFrame(
        {
            f"events in {year}": one["events"],
            f"share in {year}": one["share"],
            "events, all years": every["events"],
            "share, all years": every["share"],
        }
    )
    out.index = out.index.map({"day": "to the day", "month": "to the month only", "year": "to the year only"})
    return out.rename_axis("dated").reset_index()


def phase_share(frame: pd.DataFrame, phases: pd.DataFrame, phase: str) -> tuple[int, float]:
    """How many events of a drawable_timeline() table start inside one phase, and their share of the table."""
    row = phases.set_index("phase").loc[phase]
    inside = (frame["start"] >= row["start"]) & (frame["start"] <= row["end"])
    return int(inside.sum()), float(inside.mean()) if len(frame) else 0.0


def precision_by_source(events: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per source: first-version events dated in ``year``, how many are not dated to the day, and that share."""
    ev = first_versions(events)
    ev = ev[ev["date"].dt.year == year]
    coarse = (ev["date_precision"].astype(object) != "day").rename("coarse")
    out = coarse.groupby(ev["source_id"].astype(object)).agg(events="size", not_to_the_day="sum")
    out["share_not_to_the_day"] = out["not_to_the_day"] / out["events"]
    return out.rename_axis("source_id").reset_index().sort_values("source_id", kind="stable").reset_index(drop=True)


def weeks_with_events(counts: pd.DataFrame, first: str, last: str) -> tuple[int, int]:
    """Weeks (starting Monday) between two dates that hold at least one event in a weekly_lane_counts() table, and all
    weeks."""
    weeks = pd.date_range(pd.Timestamp(first).to_period("W").start_time, pd.Timestamp(last), freq="W-MON")
    busy = counts.loc[counts["events"] > 0, "week"].drop_duplicates()
    return int(busy.isin(weeks).sum()), len(weeks)


def lane_totals(frame: pd.DataFrame) -> pd.Series:
    """Events per lane in a drawable_timeline() table, most first (ties in LANES order)."""
    counts = frame["lane"].astype(str).value_counts().reindex([lane for lane in LANES], fill_value=0)
    return counts.sort_values(ascending=False, kind="stable")


def busiest_years(frame: pd.DataFrame, n: int = 3) -> str:
    """The ``n`` years of a drawable_timeline() table with the most events, as prose: '1993 (8), 2019 (11)...'."""
    counts = frame["start"].dt.year.value_counts().sort_index().sort_values(ascending=False, kind="stable")
    return ", ".join(f"{year} ({count})" for year, count in counts.head(n).items())


def and_join(items: Iterable[object]) -> str:
    """Items as prose: 'A', 'A and B', 'A, B and C'."""
    names = [str(n) for n in items]
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


def day_list(dates: Iterable[pd.Timestamp], fmt: str = "%-d %B") -> str:
    """Dates as prose ('10 October, 17 October and 26 October'), in the order given."""
    return and_join(f"{d:{fmt}}" for d in dates)


# --------------------------------------------------------------------------- the figures the chapter's prose names


def overview_figures(
    events: pd.DataFrame, drawn: pd.DataFrame, year_only: pd.DataFrame, phase_table: pd.DataFrame
) -> dict[str, object]:
    """Rows, first versions and variants of the events; events drawn and left off (year only); the phases, and the
    war's and the trials' spans and event counts (``drawn`` and ``year_only`` from drawable_timeline())."""
    firsts = first_versions(events)
    by_phase = phase_table.set_index("phase")
    war, trials = by_phase.loc["The 44-day war"], by_phase.loc["Trials in Iran"]
    in_war, war_share = phase_share(drawn, phase_table, "The 44-day war")
    return {
        "rows": len(events),
        "first-versions": len(firsts),
        "variants": len(events) - len(firsts),
        "drawn": len(drawn),
        "year-only": len(year_only),
        "phases": len(phase_table),
        "war-start": f"{war['start']:%-d %B %Y}",
        "war-end": f"{war['end']:%-d %B %Y}",
        "war-days": int(war["days"]),
        "war-events": in_war,
        "war-share": f"{war_share:.0%}",
        "trials-start": f"{trials['start']:%B %Y}",
        "trials-end": f"{trials['end']:%B %Y}",
        "trials-events": int(trials["events"]),
    }


def week_figures(weekly: pd.DataFrame, busiest: pd.DataFrame, first: str, last: str) -> dict[str, object]:
    """Weeks with an event dated to the day (of all weeks), and the two busiest weeks with their counts."""
    active, n_weeks = weeks_with_events(weekly, first, last)
    top, second = busiest.iloc[0], busiest.iloc[1]
    return {
        "active-weeks": active,
        "weeks": n_weeks,
        "busiest-week": f"{top['week']:%-d %B %Y}",
        "busiest-count": int(top["all"]),
        "second-week": f"{second['week']:%-d %B %Y}",
        "second-count": int(second["all"]),
    }


def precision_figures(events: pd.DataFrame, sources: pd.DataFrame, year: int) -> dict[str, str]:
    """Shares of first-version events by date precision (in ``year`` and over all years), and the share not dated
    to the day in the activist report and in the encyclopedic account with the most events of ``year``."""
    share = precision_table(events, year).set_index("dated")
    by_source = precision_by_source(events, year).set_index("source_id")
    perspective = sources.set_index(sources["source_id"].astype(str))["perspective"].astype(str)
    of = by_source.assign(perspective=by_source.index.map(perspective))
    activist = of[of["perspective"].eq("south-azerbaijani-activist")]["events"].idxmax()
    encyclopedic = of[of["perspective"].eq("encyclopedic")]["events"].idxmax()
    column = f"share in {year}"
    return {
        "share-day": f"{share.at['to the day', column]:.0%}",
        "share-month": f"{share.at['to the month only', column]:.0%}",
        "share-year": f"{share.at['to the year only', column]:.0%}",
        "share-day-all": f"{share.at['to the day', 'share, all years']:.0%}",
        "activist-coarse": f"{by_source.at[activist, 'share_not_to_the_day']:.0%}",
        "wp-war-coarse": f"{by_source.at[encyclopedic, 'share_not_to_the_day']:.0%}",
    }


def background_figures(background: pd.DataFrame) -> dict[str, object]:
    """Background events drawn (a drawable_timeline() before 2020): how many, first and last year, how many
    year-only."""
    return {
        "background": len(background),
        "background-from": f"{background['start'].min():%Y}",
        "background-to": f"{background['start'].max():%Y}",
        "background-year": int((background["precision"] == "year").sum()),
    }


#: The columns of an event a reader takes away with a timeline chart (event_rows).
EVENT_COLUMNS: tuple[str, ...] = (
    "lane",
    "date_label",
    "start",
    "end",
    "precision",
    "title",
    "category",
    "place",
    "versions",
)


def event_rows(drawn: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The events a lane timeline draws (one per dot or bar), with source, locator and evidence grade, slugs as
    labels: the rows of the chart's "Download data"."""
    from .cards import drawn as card_rows  # the card module reads the package descriptor: imported when used

    return card_rows(drawn, "events", tables, columns=[c for c in EVENT_COLUMNS if c in drawn.columns])


def weekly_rows(weekly: pd.DataFrame, drawn: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The bars of weekly_bars() (a weekly_lane_counts() table), each with the documents, locators and evidence
    grades of the day-dated events it counts: the rows of the chart's "Download data"."""
    from .cards import graded, source_titles
    from .evidence import grades_text

    day = graded(drawn[drawn["precision"].astype(str) == "day"], "events", tables)
    day = day.assign(week=day["start"].dt.normalize() - pd.to_timedelta(day["start"].dt.weekday, unit="D"))
    titles = source_titles(tables.get("sources"))
    keys = ["week", "lane"]
    behind = (
        day.assign(lane=day["lane"].astype(str))
        .groupby(keys, sort=True)
        .agg(
            sources=("source_id", lambda s: "; ".join(titles.get(i, i) for i in sorted(set(s)))),
            locators=("locator", lambda s: "; ".join(dict.fromkeys(map(str, s)))),
            evidence=("evidence", grades_text),
        )
        .reset_index()
    )
    out = weekly.assign(lane=weekly["lane"].astype(str)).merge(behind, on=keys, how="left", validate="one_to_one")
    return out.rename(columns={"events": "events dated to the day"})
