"""The July 2020 protests in Azerbaijan: sequence, crowd figures, damage, arrests and who said what.

Every function takes typed tables (as :func:`analysis.data.load_tables` returns them) or frames
with the same columns, returns new frames or figures, and does no I/O.

Conventions
-----------
Which events
    The chapter's events are those the protests article (``wp-protests-2020``) dates from July to
    September 2020, plus every other source's version of them (rows whose ``variant_of`` points at
    one of them).
Dates are windows
    A day-precision event happened somewhere between 00:00 on its date and 24:00 on its end date
    (or on its date, if it has none). Only a clock time that the data gives (``events.time``) is
    drawn as a point in time; nothing is placed at a guessed hour.
Crowd figures
    Shown as reported: the low and the high end, with the source's qualifier. No midpoint or
    single "best" figure is made up. Where a source uses words instead of a figure ("hundreds"),
    the words are shown and nothing is drawn.
Subsets
    A count that is a subset of another (``detentions.part_of``, e.g. party members among those
    arrested) is listed under that count with its share of it, and never added to it.
Lead and body
    Wikipedia articles state some facts twice, in the lead and in the body, sometimes differently.
    A locator starting with ``Lead`` is the lead; any other is the body.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping
from typing import Final

import pandas as pd
import plotly.graph_objects as go

from . import charts
from .charts import wrap
from .discrepancies import detention_figures, discrepancy_register, event_dates, named_vs_stated
from .schema import value_labels
from .sentencing import person_labels
from .timeline import event_end
from .words import date_text, figure_text, plotly_text

PROTEST_SOURCE: Final[str] = "wp-protests-2020"
"""The source document the chapter is built on: the English Wikipedia article on the protests."""

SPEECH_RELATIONS: Final[tuple[str, ...]] = ("blamed", "condemned", "supported", "called-on")
"""Relations that record what one actor said about or asked of another."""

CROWD_WORDS: Final[tuple[str, ...]] = ("tens of thousands", "several hundred", "hundreds", "thousands", "dozens")
"""Words for a crowd without a figure, longest first (so 'tens of thousands' is not read as 'thousands')."""

PROTESTERS: Final[tuple[str, ...]] = ("gobu-protesters", "karabakh-march-protesters")
"""Actor ids that are collective labels for crowds, not organisations."""

STATE_KINDS: Final[frozenset[str]] = frozenset({"state", "government-body", "armed-force", "court"})
OFFICE_RELATIONS: Final[frozenset[str]] = frozenset({"leader-of", "member-of", "represented"})

SPEAKER_GROUPS: Final[tuple[str, ...]] = (
    "President, government and parliament",
    "Opposition parties",
    "Other Azerbaijani voices",
    "Protesters",
    "International",
)
"""Groups of speakers, in the order the chapter shows them."""

CATEGORY_NAMES: Final[dict[str, str]] = value_labels("events", "category")  # from datapackage.json


# --------------------------------------------------------------------------- small helpers


def lead_or_body(locator: pd.Series) -> pd.Series:
    """'lead' for a locator in an article's lead section, 'body' for any other."""
    lead = locator.astype("string").str.match(r"Lead\b").fillna(False).astype(bool)
    return pd.Series(["lead" if x else "body" for x in lead], index=locator.index, dtype="string")


def _perspectives(source_id: pd.Series, sources: pd.DataFrame) -> pd.Series:
    table = sources.set_index(sources["source_id"].astype(str))["perspective"].astype(object)
    return source_id.astype(object).map(table).astype("string")


def _place_names(place_id: pd.Series, places: pd.DataFrame | None) -> pd.Series:
    if places is None:
        return place_id.astype("string")
    names = places.set_index(places["place_id"].astype(str))["name"]
    return place_id.astype(object).map(names).astype("string")


# --------------------------------------------------------------------------- events


def protest_events(
    events: pd.DataFrame, source_id: str = PROTEST_SOURCE, start: str = "2020-07-01", end: str = "2020-09-30"
) -> pd.DataFrame:
    """The chapter's events: those the protests article dates from start to end, and other sources' versions of them."""
    own = (
        (events["source_id"] == source_id)
        & (events["date"] >= pd.Timestamp(start))
        & (events["date"] <= pd.Timestamp(end))
    )
    ids = set(events.loc[own, "event_id"].astype(str))
    variants = events["variant_of"].astype(object).isin(ids)
    return events[own | variants]


def versions(events: pd.DataFrame, event_id: str, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every telling of one event (its first version, then the variants), with date, time, source and locator."""
    row = events[events["event_id"] == event_id]
    if row.empty:
        raise KeyError(f"unknown event_id {event_id!r}")
    root = row["variant_of"].iloc[0] if pd.notna(row["variant_of"].iloc[0]) else event_id
    told = events[(events["event_id"] == root) | (events["variant_of"] == root)]
    out = pd.DataFrame(
        {
            "event_id": told["event_id"],
            "version": ["first" if e == root else "variant" for e in told["event_id"]],
            "when": [date_text(d, p, e) for d, e, p in zip(told["date"], told["end_date"], told["date_precision"])],
            "date": told["date"],
            "end_date": told["end_date"],
            "precision": told["date_precision"],
            "time": told["time"],
            "title": told["title"],
            "description": told["description"],
            "source_id": told["source_id"],
            "locator": told["locator"],
            "part": lead_or_body(told["locator"]),
        }
    )
    if sources is not None:
        out["perspective"] = _perspectives(out["source_id"], sources)
    order = (out["version"] != "first").astype(int)
    return out.assign(_o=order.to_numpy()).sort_values(["_o", "date", "event_id"], kind="stable").drop(columns="_o")


def when(events: pd.DataFrame, event_id: str) -> str:
    """The date of one event as the chapter writes it, at its precision ('15 July 2020', '12–16 July 2020')."""
    row = events[events["event_id"] == event_id]
    if row.empty:
        raise KeyError(f"unknown event_id {event_id!r}")
    return date_text(row["date"].iloc[0], row["date_precision"].iloc[0], row["end_date"].iloc[0])


def sequence_frame(
    events: pd.DataFrame, places: pd.DataFrame | None = None, start: str = "2020-07-12", end: str = "2020-07-16"
) -> pd.DataFrame:
    """Day-precision events dated from start to end, with the window each could fall in and its stated time.

    First versions are kept, and a variant only when it is dated differently from its first
    version (so a disputed date shows as two rows). ``window_start``/``window_end`` run from 00:00
    on the date to 24:00 on the last day; ``at`` is the date plus the stated time, or NaT.
    """
    day = events[
        (events["date_precision"] == "day")
        & (events["date"] >= pd.Timestamp(start))
        & (events["date"] <= pd.Timestamp(end))
    ]
    first_dates = events.set_index(events["event_id"].astype(str))["date"]
    root_date = day["variant_of"].astype(object).map(first_dates)
    keep = day["variant_of"].isna() | (root_date.notna() & (root_date != day["date"]))
    ev = day[keep]
    time = ev["time"].astype("string")
    at = ev["date"] + pd.to_timedelta((time.fillna("00:00") + ":00").astype(str))
    out = pd.DataFrame(
        {
            "event_id": ev["event_id"],
            "title": ev["title"],
            "category": ev["category"].astype("string"),
            "window_start": ev["date"],
            "window_end": event_end(ev) + pd.Timedelta(days=1),
            "time": time,
            "at": at.where(time.notna()),
            "place": _place_names(ev["place_id"], places),
            "version": pd.Series(
                ["variant" if pd.notna(v) else "first" for v in ev["variant_of"]], index=ev.index, dtype="string"
            ),
            "source_id": ev["source_id"],
            "locator": ev["locator"],
        }
    )
    return out.sort_values(["window_start", "at", "window_end", "event_id"], kind="stable", na_position="last")


def sequence_days(frame: pd.DataFrame) -> str:
    """The days a sequence_frame covers, as text ('12–16 July 2020')."""
    return date_text(frame["window_start"].min(), "day", frame["window_end"].max() - pd.Timedelta(days=1))


def sequence_chart(frame: pd.DataFrame, title: str, source: str) -> go.Figure:
    """Events (a sequence_frame) as bars over the days they could fall in, with diamonds at stated clock times."""
    fig = go.Figure()
    labels = [wrap(t, 34) for t in frame["title"].astype(str)]
    frame = frame.assign(_label=labels)
    for category in [c for c in charts.EVENT_CATEGORY_COLOURS if c in set(frame["category"].astype(str))]:
        part = frame[frame["category"].astype(str) == category]
        width_ms = (part["window_end"] - part["window_start"]).dt.total_seconds() * 1000
        fig.add_trace(
            go.Bar(
                y=part["_label"],
                x=width_ms,
                base=part["window_start"].dt.strftime("%Y-%m-%d %H:%M"),
                orientation="h",
                name=plotly_text(CATEGORY_NAMES.get(category, category)),
                # solid: plotly draws a bar's legend swatch without the marker's opacity, so a
                # translucent bar would not match its legend
                marker={"color": charts.EVENT_CATEGORY_COLOURS[category], "line": {"width": 0}},
                customdata=charts.plotly_cells(
                    part[["source_id", "locator", "place"]].astype(object).fillna("place not stated")
                ),
                text=[
                    plotly_text(date_text(s, "day", e - pd.Timedelta(days=1)))
                    for s, e in zip(part["window_start"], part["window_end"])
                ],
                textposition="none",
                hovertemplate="%{y}<br>%{text} (no clock time unless marked)<br>%{customdata[2]}"
                "<br><i>%{customdata[0]}, %{customdata[1]}</i><extra></extra>",
            )
        )
    timed = frame[frame["at"].notna()]
    if not timed.empty:
        fig.add_trace(
            go.Scatter(
                x=timed["at"],
                y=timed["_label"],
                mode="markers",
                name="Clock time stated",
                marker={
                    "symbol": "diamond",
                    "size": 13,
                    "color": charts.NEUTRAL["ink"],
                    "line": {"width": 1.5, "color": "white"},
                },
                text=charts.plotly_cells(timed["time"].astype(str)),
                customdata=charts.plotly_cells(timed[["source_id", "locator"]].astype(object)),
                hovertemplate="%{y}<br>%{x|%d %b %Y}, %{text} (as stated)"
                "<br><i>%{customdata[0]}, %{customdata[1]}</i><extra></extra>",
            )
        )
        for at, label, time in zip(timed["at"], timed["_label"], charts.plotly_cells(timed["time"].astype(str))):
            # the time on a white ground: the bars under it are dark ink tones
            fig.add_annotation(
                x=at,
                y=label,
                text=time,
                showarrow=False,
                xanchor="left",
                xshift=9,
                bgcolor="rgba(255,255,255,0.9)",
                borderpad=1,
                font={"size": charts.NOTE_SIZE, "color": charts.NEUTRAL["ink"]},
            )
    fig.update_layout(barmode="overlay", bargap=0.35)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), tickfont={"size": 11})
    fig.update_xaxes(
        type="date",
        dtick=86400000,
        tickformat="%d %b",
        showgrid=True,
        gridcolor="#e5e5e5",
        range=[frame["window_start"].min(), frame["window_end"].max()],
    )
    fig = charts.style_plotly(fig, title, source, "Date (July 2020)", None)
    return charts.fit_rows(fig, len(frame), per_row=36)


def night_sequence(events: pd.DataFrame, places: pd.DataFrame | None = None, night: str = "2020-07-14") -> pd.DataFrame:
    """Protest events of one night and the morning after: those with a stated clock time first, then the others.

    An event belongs to the night if it runs from ``night`` to the next day, or is dated the next
    day. Events without a time are not ordered among themselves beyond their date: the data does
    not say which came first.
    """
    d0 = pd.Timestamp(night)
    d1 = d0 + pd.Timedelta(days=1)
    protest = events["category"] == "protest"
    overnight = (events["date"] == d0) & (events["end_date"] == d1)
    ev = events[protest & (overnight | (events["date"] == d1))]
    time = ev["time"].astype("string")
    span = f"night of {d0.day}–{d1.day} {d1:%B}"
    timing = [
        f"{t} on {d1.day} {d1:%B}"
        if pd.notna(t)
        else (f"{span}, no time given" if o else f"{d1.day} {d1:%B}, no time given")
        for t, o in zip(time, overnight[ev.index])
    ]
    out = pd.DataFrame(
        {
            "timing": timing,
            "time": time,
            "title": ev["title"],
            "place": _place_names(ev["place_id"], places),
            "event_id": ev["event_id"],
            "source_id": ev["source_id"],
            "locator": ev["locator"],
            "_timed": time.isna().astype(int).to_numpy(),
            "_date": ev["date"],
        }
    )
    return out.sort_values(["_timed", "time", "_date", "event_id"], kind="stable").drop(columns=["_timed", "_date"])


# --------------------------------------------------------------------------- crowds


def crowd_words(text: pd.Series) -> pd.Series:
    """The first word for a crowd without a figure ('hundreds', 'tens of thousands', ...) in each text, or NA."""
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in CROWD_WORDS) + r")\b", re.IGNORECASE)
    found = [
        m.group(1).lower() if isinstance(t, str) and (m := pattern.search(t)) else None for t in text.astype(object)
    ]
    return pd.Series(found, index=text.index, dtype="string")


def crowd_sizes(
    events: pd.DataFrame, places: pd.DataFrame | None = None, sources: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every telling of a crowd: low and high ends as reported, or the words used where no figure is given.

    Rows with a figure come from ``participants_min``/``participants_max``; a protest event
    without one is listed when its description names the crowd in words (see CROWD_WORDS).
    """
    words = crowd_words(events["description"]).where(events["category"] == "protest")
    has_figure = events["participants_min"].notna()
    ev = events[has_figure | words.notna()]
    low, high = ev["participants_min"], ev["participants_max"].fillna(ev["participants_min"])
    reported = [
        figure_text(lo, hi, q) if pd.notna(lo) else f"{w} (no figure)"
        for lo, hi, q, w in zip(low, high, ev["participants_qualifier"], words[ev.index])
    ]
    out = pd.DataFrame(
        {
            "title": ev["title"],
            "when": [date_text(d, p) for d, p in zip(ev["date"], ev["date_precision"])],
            "place": _place_names(ev["place_id"], places),
            "reported": reported,
            "low": low.astype("Int64"),
            "high": high.astype("Int64"),
            "qualifier": ev["participants_qualifier"].astype("string"),
            "version": pd.Series(
                ["variant" if pd.notna(v) else "first" for v in ev["variant_of"]], index=ev.index, dtype="string"
            ),
            "event_id": ev["event_id"],
            "source_id": ev["source_id"],
            "locator": ev["locator"],
            "part": lead_or_body(ev["locator"]),
            "_date": ev["date"],
        }
    )
    if sources is not None:
        out["perspective"] = _perspectives(out["source_id"], sources)
    return out.sort_values(["low", "_date", "event_id"], kind="stable", na_position="last").drop(columns="_date")


def crowd_chart(frame: pd.DataFrame, title: str, source: str) -> go.Figure:
    """Crowd figures (a crowd_sizes table) as bars from the low to the high end on a log scale; word-only reports as
    notes."""
    labels = [wrap(f"{t} ({loc})", 36) for t, loc in zip(frame["title"].astype(str), frame["locator"].astype(str))]
    colours = [
        charts.PERSPECTIVE_COLOURS.get(str(p), charts.SHADE)
        for p in frame.get("perspective", pd.Series("", index=frame.index)).astype(object)
    ]
    fig = go.Figure()
    for label, low, high, text, colour, sid in zip(
        labels,
        frame["low"],
        frame["high"],
        frame["reported"].astype(str).map(plotly_text),
        colours,
        frame["source_id"].astype(str).map(plotly_text),
    ):
        if pd.isna(low):
            fig.add_trace(go.Scatter(x=[None], y=[label], mode="markers", showlegend=False, hoverinfo="skip"))
            fig.add_annotation(
                x=2,
                y=label,
                text=f"  no figure given: {text.replace(' (no figure)', '')}",
                showarrow=False,
                xanchor="left",
                font={"size": charts.NOTE_SIZE + 1, "color": "#555555"},
            )
            continue
        fig.add_trace(
            go.Scatter(
                x=[int(low), int(high)],
                y=[label, label],
                mode="lines+markers",
                showlegend=False,
                line={"color": colour, "width": 10},
                marker={"symbol": "line-ns", "size": 18, "line": {"width": 3, "color": charts.NEUTRAL["ink"]}},
                hovertemplate=f"{label}<br>reported: {text}<br><i>{sid}</i><extra></extra>",
            )
        )
        # On a log axis plotly places annotations by the exponent.
        fig.add_annotation(
            x=math.log10(int(high)),
            y=label,
            text=f"  {text}",
            showarrow=False,
            xanchor="left",
            font={"size": charts.NOTE_SIZE + 1},
        )
    fig.update_xaxes(
        type="log", range=[2, 5.6], showgrid=True, gridcolor="#e5e5e5", tickvals=[100, 1000, 10000, 100000]
    )
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), tickfont={"size": 11})
    fig = charts.style_plotly(fig, title, source, "People (log scale)", None)
    return charts.fit_rows(fig, len(frame), per_row=44, legend=False)


# --------------------------------------------------------------------------- damage and casualties


def damage_table(damage: pd.DataFrame, actors: pd.DataFrame, event_ids: Iterable[str]) -> pd.DataFrame:
    """Reported damage from the given events: item, destroyed or damaged, count and value as stated, and who said so."""
    ids = set(event_ids)
    d = damage[damage["event_id"].astype(object).isin(ids)]
    names = person_labels(actors)
    value = [f"{a:,.0f} {c}" if pd.notna(a) else "" for a, c in zip(d["value_amount"], d["value_currency"])]
    out = pd.DataFrame(
        {
            "damage_id": d["damage_id"],
            "item": d["item"],
            "status": d["status"].astype("string"),
            "count": [figure_text(c, None, q, missing="") for c, q in zip(d["count"], d["qualifier"])],
            "value": value,
            "reported_by": d["reported_by"].astype(object).map(names).fillna("not named").astype("string"),
            "note": d["note"],
            "event_id": d["event_id"],
            "source_id": d["source_id"],
            "locator": d["locator"],
        }
    )
    return out.sort_values(["event_id", "status", "item"], kind="stable")


def casualty_figures(
    casualties: pd.DataFrame,
    actors: pd.DataFrame,
    *,
    group: str | None = None,
    side: str | None = None,
    period: str | None = None,
) -> pd.DataFrame:
    """Casualty figures matching group, side and period, each with its wording, reporter and lead/body place."""
    c = casualties
    for column, value in (("group", group), ("side", side), ("period", period)):
        if value is not None:
            c = c[c[column].astype("string") == value]
    names = person_labels(actors)
    return pd.DataFrame(
        {
            "side": c["side"].astype("string"),
            "group": c["group"].astype("string"),
            "measure": c["measure"].astype("string"),
            "count": c["count"],
            "figure": [figure_text(n, m, q) for n, m, q in zip(c["count"], c["count_max"], c["qualifier"])],
            "reported_by": c["reported_by"].astype(object).map(names).fillna("not named").astype("string"),
            "part": lead_or_body(c["locator"]),
            "period": c["period"],
            "note": c["note"],
            "source_id": c["source_id"],
            "locator": c["locator"],
        }
    )


# --------------------------------------------------------------------------- arrests and prosecutions


def arrest_figures(detentions: pd.DataFrame, source_id: str = PROTEST_SOURCE, country: str = "AZ") -> pd.DataFrame:
    """Group counts of people detained, arrested or prosecuted, lead beside body, each subset under its total.

    ``subset_of`` names the count a row is part of, ``of_count`` is that count and ``share`` the
    row's count divided by it. Subsets are listed, never added to their total.
    """
    d = detentions[
        (detentions["source_id"] == source_id) & (detentions["country"] == country) & detentions["actor_id"].isna()
    ]
    counts = d.set_index(d["detention_id"].astype(str))["count"]
    parent_count = d["part_of"].astype(object).map(counts).astype("Int64")
    out = pd.DataFrame(
        {
            "detention_id": d["detention_id"],
            "part": lead_or_body(d["locator"]),
            "figure": [figure_text(n, m, q) for n, m, q in zip(d["count"], d["count_max"], d["qualifier"])],
            "count": d["count"],
            "subset_of": d["part_of"],
            "of_count": parent_count,
            "share": (d["count"].astype("Float64") / parent_count.astype("Float64")),
            "event_id": d["event_id"],
            "note": d["note"],
            "source_id": d["source_id"],
            "locator": d["locator"],
        }
    )
    top = out["subset_of"].fillna(out["detention_id"]).astype(str)
    rank = {"lead": 0, "body": 1}
    out = out.assign(
        _part=out["part"].map(rank).to_numpy(),
        _top=top.to_numpy(),
        _child=out["subset_of"].notna().astype(int).to_numpy(),
    )
    return out.sort_values(["_part", "_top", "_child", "detention_id"], kind="stable").drop(
        columns=["_part", "_top", "_child"]
    )


def parts_filling_total(detentions: pd.DataFrame, parent_id: str) -> list[str]:
    """The fewest subsets of one count whose counts add up to exactly that count (ids in file order); [] if none do."""
    parent = detentions[detentions["detention_id"] == parent_id]
    if parent.empty:
        raise KeyError(f"unknown detention_id {parent_id!r}")
    total = parent["count"].iloc[0]
    subsets = detentions[(detentions["part_of"] == parent_id) & detentions["count"].notna()]
    if pd.isna(total) or subsets.empty:
        return []
    items = list(zip(subsets["detention_id"].astype(str), subsets["count"].astype(int)))
    for size in range(1, len(items) + 1):
        for combo in itertools.combinations(items, size):
            if sum(n for _, n in combo) == int(total):
                return [i for i, _ in combo]
    return []


def discrepancies_touching(tables: Mapping[str, pd.DataFrame], rows: Mapping[str, Iterable[int]]) -> pd.DataFrame:
    """The validator's date and detention-count warnings that involve any of the given rows, as a register.

    ``rows`` maps a file name (``events.csv``, ``detentions.csv``) to the CSV row numbers of
    interest. Only finders that need events and detentions alone are run.
    """
    wanted = {(file, int(r)) for file, rs in rows.items() for r in rs}
    found = []
    if "events" in tables:
        found += event_dates(dict(tables))
    if "detentions" in tables:
        found += detention_figures(dict(tables)) + named_vs_stated(dict(tables))
    kept = [d for d in found if any((v.file, v.row) in wanted for v in d.versions)]
    register = discrepancy_register(kept)
    register["part"] = lead_or_body(register["locator"].astype("string"))
    return register


# --------------------------------------------------------------------------- who said what


def speaker_groups(
    actors: pd.DataFrame, relations: pd.DataFrame, home: str = "AZ", protesters: tuple[str, ...] = PROTESTERS
) -> pd.Series:
    """Each actor's group as a speaker (see SPEAKER_GROUPS): state, opposition party, other domestic voice, crowd or
    foreign.

    The state group holds states, government bodies, security forces and courts of ``home``, and
    people who lead, belong to or speak for one of them (per ``relations``). Foreign and stateless
    actors are 'International'.
    """
    ids = actors["actor_id"].astype(str)
    kind = pd.Series(actors["kind"].astype(str).to_numpy(), index=ids)
    country = pd.Series(actors["country"].astype(object).to_numpy(), index=ids)
    state = set(ids[(kind.isin(STATE_KINDS) & (country == home)).to_numpy()])
    office = relations[
        relations["relation"].astype(str).isin(OFFICE_RELATIONS) & relations["target_actor_id"].astype(str).isin(state)
    ]
    state |= set(office["source_actor_id"].astype(str))
    groups = []
    for actor in ids:
        if actor in protesters:
            groups.append("Protesters")
        elif pd.isna(country[actor]) or country[actor] != home:
            groups.append("International")
        elif actor in state:
            groups.append("President, government and parliament")
        elif kind[actor] == "party":
            groups.append("Opposition parties")
        else:
            groups.append("Other Azerbaijani voices")
    return pd.Series(groups, index=ids, dtype=pd.CategoricalDtype(list(SPEAKER_GROUPS), ordered=True), name="group")


def statements(
    relations: pd.DataFrame,
    actors: pd.DataFrame,
    events: pd.DataFrame,
    event_ids: Iterable[str],
    source_id: str = PROTEST_SOURCE,
    sections: tuple[str, ...] = ("Aftermath", "International reactions"),
) -> pd.DataFrame:
    """Who blamed, condemned, backed or called on whom over the protests: speaker, group, date, what, and where stated.

    A tie is kept if the protests article records it for one of ``event_ids`` or in one of its
    ``sections``. Its date is the tie's own, else its event's, else empty.
    """
    ids = set(event_ids)
    r = relations[(relations["source_id"] == source_id) & relations["relation"].astype(str).isin(SPEECH_RELATIONS)]
    in_section = r["locator"].astype("string").str.startswith(sections).fillna(False).astype(bool)
    r = r[r["event_id"].astype(object).isin(ids) | in_section]
    event_dates_ = events.set_index(events["event_id"].astype(str))["date"]
    date = r["date"].fillna(r["event_id"].astype(object).map(event_dates_))
    names = person_labels(actors)
    groups = speaker_groups(actors, relations)
    out = pd.DataFrame(
        {
            "date": date,
            "speaker": r["source_actor_id"].astype(object).map(names).astype("string"),
            "group": r["source_actor_id"].astype(object).map(groups.astype(object)),
            "relation": r["relation"].astype("string"),
            "about": r["target_actor_id"].astype(object).map(names).astype("string"),
            "what": r["note"],
            "event_id": r["event_id"],
            "source_id": r["source_id"],
            "locator": r["locator"],
            "relation_id": r["relation_id"],
        }
    )
    out["group"] = out["group"].astype(pd.CategoricalDtype(list(SPEAKER_GROUPS), ordered=True))
    return out.sort_values(["group", "date", "relation_id"], kind="stable", na_position="last")


def statements_per_group(table: pd.DataFrame) -> pd.Series:
    """Number of recorded statements per speaker group (a statements() table), every group listed, in book order."""
    return table.groupby("group", observed=False).size().rename("statements")


def arrest_words(arrests: pd.DataFrame, detentions: pd.DataFrame) -> dict[str, str]:
    """The lead's and the body's detention figures (an arrest_figures() table) by what they count, as worded.

    The lead gives a total arrested, a subset of it (party members), and an outside figure tied to no
    event; the body gives a total prosecuted, the parts that fill it (arrested, the largest; house
    arrest, the smallest), and a subset that is not one of its parts (party members).
    """
    lead, body = arrests[arrests["part"].eq("lead")], arrests[arrests["part"].eq("body")]
    lead_total = lead[lead["subset_of"].isna() & lead["event_id"].notna()].iloc[0]
    lead_subset = lead[lead["subset_of"].eq(lead_total["detention_id"])].iloc[0]
    outside = lead[lead["event_id"].isna()].iloc[0]
    body_total = body[body["subset_of"].isna()].iloc[0]
    part_ids = parts_filling_total(detentions, str(body_total["detention_id"]))
    parts = body[body["detention_id"].isin(part_ids)].sort_values("count", ascending=False, kind="stable")
    body_subset = body[body["subset_of"].eq(body_total["detention_id"]) & ~body["detention_id"].isin(part_ids)].iloc[0]
    by_id = body.set_index("detention_id")
    return {
        "lead-arrested": lead_total["figure"],
        "lead-pfpa": lead_subset["figure"],
        "lead-pfpa-share": f"{lead_subset['share']:.0%}",
        "body-prosecuted": body_total["figure"],
        "body-arrested": parts.iloc[0]["figure"],
        "body-house": parts.iloc[-1]["figure"],
        "body-pfpa": body_subset["figure"],
        "body-pfpa-share": f"{body_subset['share']:.0%}",
        "body-parts": " + ".join(by_id.loc[part_ids, "figure"]) + " = " + body_total["figure"],
        "detained-other": outside["figure"],
    }


def damage_words(damage: pd.DataFrame) -> dict[str, str]:
    """The damage figures (a damage_table()) the chapter states: the one stated value, and the counted items
    destroyed and damaged."""
    counted = damage[damage["count"].astype(str).str.len() > 0]
    return {
        "damage-value": damage.loc[damage["value"].astype(str).str.len() > 0, "value"].iloc[0],
        "cars-destroyed": counted.loc[counted["status"].eq("destroyed"), "count"].iloc[0],
        "cars-damaged": counted.loc[counted["status"].eq("damaged"), "count"].iloc[0],
    }


def crowd_at(crowd: pd.DataFrame, events: pd.DataFrame, place: str) -> str:
    """The crowd figure the article's body gives at a place (its place_id, or a site within it: 'gobu' covers
    'gobu-park'); ``crowd`` a crowd_sizes() table of ``events``."""
    where = events.drop_duplicates("event_id").set_index("event_id")["place_id"].astype(str)
    at = crowd["event_id"].astype(str).map(where)
    rows = crowd[crowd["part"].eq("body") & crowd["low"].notna() & (at.eq(place) | at.str.startswith(f"{place}-"))]
    if rows.empty:
        raise KeyError(f"no crowd figure at {place!r} in the article's body")
    return str(rows["reported"].iloc[0])


def clash_figures(clash: pd.DataFrame, toll: pd.DataFrame) -> dict[str, object]:
    """The clashes' dates in their first version, how many versions, and the military and civilian dead (``toll``
    a casualty_figures() table indexed by group)."""
    return {
        "clash-span": clash.iloc[0]["when"],
        "clash-versions": len(clash),
        "clash-military": toll.at["military", "figure"],
        "clash-civilian": toll.at["civilian", "figure"],
    }


def night_figures(night: pd.DataFrame) -> dict[str, object]:
    """Events of the night at the parliament (a night_sequence()), how many have a clock time, the first and last."""
    timed = night[night["time"].notna()]
    return {
        "night-count": len(night),
        "night-timed": len(timed),
        "time-first": timed.iloc[0]["time"],
        "time-second": timed.iloc[-1]["time"],
    }


def statement_figures(said: pd.DataFrame) -> dict[str, int]:
    """Statements recorded (a statements() table) in all and per speaker group."""
    per_group = statements_per_group(said)
    short = {
        "state": "President, government and parliament",
        "opposition": "Opposition parties",
        "others": "Other Azerbaijani voices",
        "protesters": "Protesters",
        "international": "International",
    }
    return {"statements-n": len(said), **{f"statements-{k}": int(per_group[group]) for k, group in short.items()}}


def sequence_rows(frame: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The events sequence_chart() draws (a sequence_frame), with their windows, stated times, source, locator and
    evidence grade: the rows of the chart's "Download data"."""
    from .cards import drawn  # the card module reads the package descriptor: imported when used

    columns = ["title", "category", "window_start", "window_end", "time", "place", "version"]
    return drawn(frame, "events", tables, columns=[c for c in columns if c in frame.columns])


def crowd_rows(frame: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The crowd figures crowd_chart() draws (a crowd_sizes table), with source, locator and evidence grade:
    the rows of the chart's "Download data"."""
    from .cards import drawn

    columns = ["title", "when", "place", "reported", "low", "high", "qualifier", "part", "version", "event_id"]
    return drawn(frame, "events", tables, columns=[c for c in columns if c in frame.columns])
