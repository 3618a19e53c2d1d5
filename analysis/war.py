"""The 44-day war of 2020 from the events data: captures, ceasefires, the trilateral statement, places, accounts.

Every capture stays a claim of whoever the data says made it: where an event's title names who
announced, said or reported it, that is its claimant; otherwise the source document states it
itself. Every version of an event is kept (``variant_of`` links them), so where two sources date
the same event differently both dates are shown. Coordinates come from ``places.csv`` and are
editor approximations (see the data README), drawn on Natural Earth's borders (:mod:`analysis.maps`).
"""

from __future__ import annotations

import html
import re
from typing import TypedDict

import pandas as pd
import plotly.graph_objects as go

from . import charts, maps
from .charts import NOTE_SIZE, SHADE, plotly_cells, plotly_text, style_plotly, wrap
from .timeline import and_join, date_label, day_list, first_versions, pack_tracks, phases  # noqa: F401  (prose helpers the war chapter uses as war.*)

#: Rows of the war's time axis, top to bottom, and the event categories each gathers.
WAR_ROWS: dict[str, tuple[str, ...]] = {
    "Captures (as reported)": ("capture",),
    "Ceasefires": ("ceasefire",),
    "Statement and deadline": ("agreement",),
}

#: Map legend wording for each mark, in drawing order (bottom to top: captures on top).
MAP_MARKS: dict[str, str] = {
    "held-1994": "District held by Armenian forces from {year}",
    "other": "Other war event",
    "ceasefire": "Ceasefire",
    "clash": "Fighting or strike",
    "capture": "Capture reported (hover: who said so)",
}
MARK_STYLE: dict[str, dict] = {
    "held-1994": {
        "symbol": "diamond-open",
        "size": 19,
        "line": {"width": 2.5, "color": charts.WAR_COLOURS["held-1994"]},
    },
    "other": {"symbol": "circle", "size": 7, "line": {"width": 0.5, "color": "white"}},
    "ceasefire": {"symbol": "square", "size": 9, "line": {"width": 0.5, "color": "white"}},
    "clash": {"symbol": "x", "size": 9, "line": {"width": 0.5, "color": "white"}},
    "capture": {"symbol": "circle", "size": 12, "line": {"width": 1, "color": "white"}},
}
#: The war map's two views: the region, and the centre around Stepanakert and Shusha, enlarged.
WAR_VIEW = maps.View(44.35, 38.55, 48.2, 41.05)
CENTRE_VIEW = maps.View(46.35, 38.98, 47.55, 40.1)

_CLAIM = re.compile(r"^(?P<who>[A-Z][\w'.-]*(?: [A-Z][\w'.-]*)*?) (?:announces|says|claims|reports|accuses)\b")


_PERSPECTIVE_WORDS = {
    "south-azerbaijani-activist": "South Azerbaijani activist",
    "azerbaijani-government": "Azerbaijani-government",
}


def source_labels(sources: pd.DataFrame) -> pd.Series:
    """A short name for each source (index source_id) that says what kind of document it is."""
    out = {}
    for row in sources.itertuples():
        publisher = row.publisher if pd.notna(row.publisher) else ""
        if str(publisher).startswith("Wikipedia"):
            out[row.source_id] = f"Wikipedia, '{row.title}'"
        elif publisher:
            out[row.source_id] = f"{publisher} ({str(row.author).split()[-1]})" if pd.notna(row.author) else publisher
        elif pd.notna(row.author):
            out[row.source_id] = f"{row.author} ({_PERSPECTIVE_WORDS.get(row.perspective, row.perspective)} report)"
        else:
            out[row.source_id] = (
                f"Unsigned {row.kind} ({_PERSPECTIVE_WORDS.get(row.perspective, row.perspective)} view)"
            )
    return pd.Series(out, dtype=object)


def claimant(events: pd.DataFrame) -> pd.Series:
    """Who each event's title says announced, said, claimed or reported it; missing where the source states it
    itself."""
    found = events["title"].astype(object).str.extract(_CLAIM, expand=False)
    found = found.where(found.str.lower() != "commentary")  # 'Commentary says...' is the source itself
    return found.astype(object).where(found.notna(), None)


def war_span(events: pd.DataFrame) -> pd.Series:
    """Start and end of the war phase (timeline.phases), days elapsed, calendar days counted, and the handovers' end."""
    table = phases(events).set_index("phase")
    war, ceasefire = table.loc["The 44-day war"], table.loc["Ceasefire and handovers"]
    return pd.Series(
        {
            "start": war["start"],
            "end": war["end"],
            "elapsed_days": int((war["end"] - war["start"]).days),
            "calendar_days": int(war["days"]),
            "handover_end": ceasefire["end"],
        }
    )


def key_events(
    events: pd.DataFrame,
    places: pd.DataFrame,
    first: pd.Timestamp,
    last: pd.Timestamp,
    sources: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every version of the capture, ceasefire and agreement events dated in 2020 up to ``last``, by row of WAR_ROWS.

    A version counts if it is dated from ``first`` to ``last``, or if it is dated only to the year
    (then ``placed`` is False: it has no day to go on the axis). Columns: event_id, first_id,
    is_variant, axis_row, date, precision, date_label, placed, title, place, place_kind, claimant, source_id,
    source (short name when ``sources`` is given), locator.
    """
    row_of = {c: row for row, cats in WAR_ROWS.items() for c in cats}
    ev = events[events["category"].astype(object).isin(row_of)]
    in_window = (ev["date"] >= first) & (ev["date"] <= last)
    year_only = (ev["date_precision"].astype(object) == "year") & (ev["date"].dt.year == first.year)
    ev = ev[in_window | year_only]
    names = places.set_index("place_id")["name"]
    out = pd.DataFrame(
        {
            "event_id": ev["event_id"].astype(object),
            "first_id": ev["variant_of"].fillna(ev["event_id"]).astype(object),
            "is_variant": ev["variant_of"].notna(),
            "axis_row": ev["category"].astype(object).map(row_of),
            "date": ev["date"],
            "precision": ev["date_precision"].astype(object),
            "date_label": date_label(ev["date"], ev["end_date"], ev["date_precision"]),
            "placed": ev["date_precision"].astype(object) == "day",
            "title": ev["title"].astype(object),
            "place": ev["place_id"].astype(object).map(names),
            "place_kind": ev["place_id"].astype(object).map(places.set_index("place_id")["kind"].astype(object)),
            "claimant": claimant(ev),
            "source_id": ev["source_id"].astype(object),
            "locator": ev["locator"].astype(object),
        },
        index=ev.index,
    )
    if sources is not None:
        out.insert(out.columns.get_loc("locator"), "source", out["source_id"].map(source_labels(sources)))
    return out.sort_values(["placed", "date", "event_id"], ascending=[False, True, True], kind="stable")


def capture_claims(key: pd.DataFrame) -> pd.DataFrame:
    """The capture rows of a key_events() table, as claims: date, place, what is recorded, who said so, where it
    stands."""
    caps = key[key["axis_row"] == next(iter(WAR_ROWS))]
    who = caps["claimant"].where(caps["claimant"].notna(), "no claimant named: the source states it")
    return pd.DataFrame(
        {
            "date": caps["date_label"],
            "place": caps["place"].fillna("–"),
            "as recorded": caps["title"],
            "claimed by": who,
            "source": caps.get("source", caps["source_id"]),
            "locator": caps["locator"],
        }
    ).reset_index(drop=True)


def ceasefire_attempts(
    events: pd.DataFrame, relations: pd.DataFrame, actors: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp
) -> pd.DataFrame:
    """One row per day with ceasefire events strictly inside the war: what the sources record, who mediated, sources."""
    ev = events[
        (events["category"].astype(object) == "ceasefire")
        & (events["date"] > first)
        & (events["date"] < last)
        & (events["date_precision"].astype(object) == "day")
    ]
    names = actors.set_index("actor_id")["name"].astype(object)
    mediated = relations[relations["relation"].astype(object) == "mediated"]
    rows = []
    for day, group in ev.groupby("date", sort=True):
        ids = set(group["event_id"].astype(object)) | set(group["variant_of"].dropna().astype(object))
        med = mediated[mediated["event_id"].astype(object).isin(ids)]["source_actor_id"].astype(object)
        rows.append(
            {
                "date": day,
                "what the sources record": "; ".join(first_versions(group)["title"].astype(object)),
                "mediated by": ", ".join(sorted({str(names.get(a, a)) for a in med})) or "–",
                "versions": len(group),
                "source_id": ", ".join(sorted(set(group["source_id"].astype(object)))),
                "locator": "; ".join(dict.fromkeys(group["locator"].astype(object))),
            }
        )
    return pd.DataFrame(
        rows, columns=["date", "what the sources record", "mediated by", "versions", "source_id", "locator"]
    )


def dated_versions(events: pd.DataFrame, event_id: str, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every version of one event (the event and the rows pointing at it) with its date, precision and source."""
    ev = events[(events["event_id"] == event_id) | (events["variant_of"] == event_id)]
    out = pd.DataFrame(
        {
            "event_id": ev["event_id"].astype(object),
            "date": ev["date"],
            "date_label": date_label(ev["date"], ev["end_date"], ev["date_precision"]),
            "title": ev["title"].astype(object),
            "source_id": ev["source_id"].astype(object),
            "locator": ev["locator"].astype(object),
        }
    )
    if sources is not None:
        out.insert(out.columns.get_loc("source_id"), "source", out["source_id"].map(source_labels(sources)))
    return out.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)


def places_named_in(
    text: str, places: pd.DataFrame, kinds: tuple[str, ...] = ("town", "city", "district")
) -> list[str]:
    """Ids of the places (of the given kinds) whose name or an alias appears in ``text`` as whole words, in places
    order."""
    found = []
    for row in places[places["kind"].astype(object).isin(kinds)].itertuples():
        spellings = [str(row.name)] + ([a for a in str(row.aliases).split("|") if a] if pd.notna(row.aliases) else [])
        if any(re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text) for s in spellings):
            found.append(row.place_id)
    return found


def place_marks(
    events: pd.DataFrame, places: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp, held_event_id: str
) -> pd.DataFrame:
    """Marks for the war map: one row per place and mark (held-1994, capture, clash, ceasefire, other), with its events.

    ``held-1994``: places named in the description of ``held_event_id``. ``capture``: places of
    capture events (any version) dated from ``first`` to ``last``; ``clash``: of fighting and
    strikes (clash events anywhere); ``ceasefire``: of ceasefires; ``other``: of other events on
    the front, in that window. Regions and places without
    coordinates are left out (a region has no point). Columns: place_id, name, latitude,
    longitude, mark, events (plotly hover text, escaped, one line per event with claimant and source).
    """
    located = places[places["latitude"].notna() & (places["kind"].astype(object) != "region")].set_index("place_id")
    held_text = str(events.loc[events["event_id"] == held_event_id, "description"].iloc[0])
    window = events[(events["date"] >= first) & (events["date"] <= last) & events["place_id"].isin(located.index)]
    window = window.assign(who=claimant(window))
    category = window["category"].astype(object)
    is_capture, is_clash, is_ceasefire = category == "capture", category == "clash", category == "ceasefire"
    is_other = ~(is_capture | is_clash | is_ceasefire) & (window["theatre"].astype(object) == "front")
    held = events[events["event_id"] == held_event_id].iloc[0]
    rows = []
    for pid in places_named_in(held_text, places):
        if pid in located.index:
            rows.append(
                (
                    pid,
                    "held-1994",
                    plotly_text(f"{held['title']} ({held['date']:%Y}; {held['source_id']}, {held['locator']})"),
                )
            )
    for mark, mask in (("capture", is_capture), ("clash", is_clash), ("ceasefire", is_ceasefire), ("other", is_other)):
        for pid, group in window[mask].groupby(window.loc[mask, "place_id"].astype(object), sort=True):
            lines = []
            for e in group.sort_values(["date", "event_id"]).itertuples():
                who = f" — claimed by {e.who}" if isinstance(e.who, str) else ""
                lines.append(plotly_text(f"{e.date:%-d %b %Y}: {e.title}{who} ({e.source_id}, {e.locator})"))
            rows.append((pid, mark, "<br>".join(lines)))
    out = pd.DataFrame(rows, columns=["place_id", "mark", "events"])
    out = out.join(located[["name", "latitude", "longitude"]], on="place_id")
    order = {m: i for i, m in enumerate(MAP_MARKS)}
    out = out.sort_values(["mark", "place_id"], key=lambda c: c.map(order) if c.name == "mark" else c, kind="stable")
    return out[["place_id", "name", "latitude", "longitude", "mark", "events"]].reset_index(drop=True)


def mark_sources(marks: pd.DataFrame) -> list[str]:
    """The source_ids cited in a place_marks() table's event lines, sorted."""
    return sorted(set(marks["events"].str.findall(r"\(([a-z0-9-]+), ").explode().dropna()))


def map_labels(marks: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """One label per map point: both names (maps.both_names) of the places sharing a coordinate, joined with ' / '."""
    names = maps.both_names(places)
    first = marks.drop_duplicates("place_id").assign(label=lambda f: f["place_id"].map(names).fillna(f["name"]))
    groups = first.groupby(["latitude", "longitude"], sort=True)["label"]
    return groups.agg(lambda labels: " / ".join(dict.fromkeys(labels))).rename("label").reset_index()


def war_map(
    marks: pd.DataFrame,
    places: pd.DataFrame,
    geography: pd.DataFrame,
    title: str,
    source: str,
    held_since: int | str = "",
    view: maps.View = WAR_VIEW,
    enlarged: maps.View | None = None,
) -> go.Figure:
    """A place_marks() table on Natural Earth borders: markers by kind, each point labelled and hovered with both names.

    ``held_since`` fills the year in the legend of the held districts. Points inside ``enlarged`` (a
    view drawn as its own map) keep their markers but not their labels; a dashed frame shows that area.
    """
    fig = maps.base_map(
        geography, view, ("AZERBAIJAN", "ARMENIA", "IRAN", "GEORGIA", "Lake Sevan", "Nakhchivan<br>(Azerbaijan)")
    )
    shown = marks[[view.contains(x, y) for x, y in zip(marks["longitude"], marks["latitude"])]]
    hover_names = shown["place_id"].map(maps.both_names(places)).fillna(shown["name"]).astype(str)
    for mark, label in MAP_MARKS.items():
        part = shown[shown["mark"] == mark]
        if part.empty:
            continue
        marker = {**MARK_STYLE[mark], "color": charts.WAR_COLOURS[mark]}
        fig.add_trace(
            go.Scatter(
                x=part["longitude"],
                y=part["latitude"],
                mode="markers",
                name=plotly_text(label.format(year=held_since)),
                marker=marker,
                customdata=[[plotly_text(n), e] for n, e in zip(hover_names[part.index], part["events"])],
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
            )
        )
    labels = map_labels(shown, places)
    if enlarged is not None:
        labels = labels[[not enlarged.contains(x, y) for x, y in zip(labels["longitude"], labels["latitude"])]]
        fig.add_shape(
            type="rect",
            x0=enlarged.west,
            x1=enlarged.east,
            y0=enlarged.south,
            y1=enlarged.north,
            line={"color": "#555555", "width": 1, "dash": "dash"},
            fillcolor="rgba(0,0,0,0)",
        )
        fig.add_annotation(
            x=enlarged.west,
            y=enlarged.north,
            text="enlarged below",
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font={"size": 10, "color": "#555555"},
        )
    radius = pd.Series(
        [
            10.0 if any(shown.loc[(shown["latitude"] == y) & (shown["longitude"] == x), "mark"] == "held-1994") else 6.0
            for x, y in zip(labels["longitude"], labels["latitude"])
        ],
        index=labels.index,
    )
    maps.place_labels(fig, labels, view, radius)
    km = 50 if view.east - view.west > 2 else 20
    maps.scale_bar(fig, view, km)
    return maps.finish(fig, title, source)


def war_axis_figure(
    key: pd.DataFrame, span: pd.Series, title: str, source: str, x_range: tuple[pd.Timestamp, pd.Timestamp]
) -> go.Figure:
    """A key_events() table on a time axis: one row per WAR_ROWS entry, the war shaded, differing versions linked.

    Only day-precision versions are drawn. A later version of an event (hollow marker) is joined
    to its first version by a dotted line when the two dates differ. Captures are labelled with
    their place; a capture of a region, or of no named place, reads '(territory as a whole)'.
    """
    colour_of = {row: charts.WAR_COLOURS[cats[0]] for row, cats in WAR_ROWS.items()}
    rows = list(WAR_ROWS)
    ypos = {row: len(rows) - i for i, row in enumerate(rows)}
    placed = key[key["placed"]].copy()
    # spread versions and events that fall on the same day and row, so none hides another
    placed["slot"] = placed.groupby(["axis_row", "date"]).cumcount()
    placed["y"] = placed["axis_row"].map(ypos) + placed["slot"] * 0.22 - 0.1
    fig = go.Figure()
    fig.add_vrect(
        x0=span["start"],
        x1=span["end"] + pd.Timedelta(days=1),
        fillcolor=SHADE,
        opacity=0.12,
        line_width=0,
        layer="below",
    )
    fig.add_annotation(
        x=span["start"],
        y=len(rows) + 1.25,
        xanchor="left",
        showarrow=False,
        text=f"war: {span['start']:%-d %b} – {span['end']:%-d %b %Y}",
        font={"size": NOTE_SIZE},
    )
    firsts = placed[~placed["is_variant"]].set_index("event_id")
    for v in placed[placed["is_variant"]].itertuples():
        if v.first_id in firsts.index and firsts.at[v.first_id, "date"] != v.date:
            f = firsts.loc[v.first_id]
            fig.add_trace(
                go.Scatter(
                    x=[f["date"], v.date],
                    y=[f["y"], v.y],
                    mode="lines",
                    showlegend=False,
                    line={"color": colour_of[v.axis_row], "dash": "dot", "width": 1.5},
                    hoverinfo="skip",
                )
            )
            days = int((v.date - f["date"]).days)
            later = f"{abs(days)} day{'s' if abs(days) != 1 else ''} {'later' if days > 0 else 'earlier'}"
            fig.add_annotation(
                x=v.date,
                y=v.y,
                text=f"same event, dated<br>{later} by<br>{plotly_text(v.source_id)}",
                showarrow=True,
                arrowhead=0,
                ax=14,
                ay=-22,
                xanchor="left",
                yanchor="bottom",
                align="left",
                font={"size": NOTE_SIZE},
            )
    hover = (
        "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>claimed by: %{customdata[2]}<br>"
        "<i>%{customdata[3]}, %{customdata[4]}</i><extra></extra>"
    )
    phone_labels: list[dict] = []  # every annotation as a phone's column places it
    for row in rows:
        for variant in (False, True):
            part = placed[(placed["axis_row"] == row) & (placed["is_variant"] == variant)]
            if part.empty:
                continue
            who = part["claimant"].where(part["claimant"].notna(), "no claimant named (the source states it)")
            custom = pd.DataFrame(
                {
                    "t": part["title"],
                    "d": part["date_label"] + part["place"].map(lambda p: f" · {p}" if isinstance(p, str) else ""),
                    "w": who,
                    "s": part["source_id"],
                    "l": part["locator"],
                }
            )
            custom = plotly_cells(custom.astype(object))
            fig.add_trace(
                go.Scatter(
                    x=part["date"],
                    y=part["y"],
                    mode="markers",
                    name=plotly_text(row + (" (another source's version)" if variant else "")),
                    legendgroup=row,
                    showlegend=variant is False,
                    marker={
                        "color": "white" if variant else colour_of[row],
                        "size": 11,
                        "line": {"width": 2, "color": colour_of[row]},
                    },
                    customdata=custom,
                    hovertemplate=hover,
                )
            )
        if row != rows[0]:
            continue
        # name the captured places above their marks, stacking labels that would overlap
        labelled = placed[
            (placed["axis_row"] == row)
            & ~placed["is_variant"]
            & placed["place"].notna()
            & (placed["place_kind"] != "region")
        ].sort_values("date", kind="stable")
        others = [a.to_plotly_json() for a in fig.layout.annotations]
        for label in _place_labels(labelled, x_range, *LABEL_PACKING["desktop"]):
            fig.add_annotation(label)
        # a phone's column is about 2.6 times narrower: the same labels stacked on more tracks (charts.narrow_layout)
        phone_labels = others + _place_labels(labelled, x_range, *LABEL_PACKING["phone"])
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name="another source's version (hollow)",
            marker={"color": "white", "size": 11, "line": {"width": 2, "color": SHADE}},
        )
    )
    fig.update_yaxes(
        tickvals=list(ypos.values()),
        ticktext=[wrap(r, 12) for r in rows],
        range=[0.2, len(rows) + 1.4],
        showgrid=False,
        zeroline=False,
        fixedrange=True,
    )
    fig.update_xaxes(
        range=list(x_range),
        type="date",
        dtick=14 * 24 * 3600 * 1000,
        tickformat="%-d %b",
        tick0="2020-09-28",
        showgrid=True,
        gridcolor="#eeeeee",
        minor={"dtick": 7 * 24 * 3600 * 1000, "showgrid": True},
    )
    fig = style_plotly(fig, title, source, "Date, 2020 (grid lines on Mondays)", None)
    fig.update_layout(hovermode="closest", meta={**fig.layout.meta, "narrow_annotations": phone_labels})
    charts.top_space(fig, 170)
    return fig


#: How place labels on the war's time axis are packed: the share of the axis's range one character takes
#: (half a label's width is its length times this) and the most label tracks, on a desktop and on a phone column.
LABEL_PACKING = {"desktop": (0.007, 4), "phone": (0.018, 6)}


def _place_labels(labelled: pd.DataFrame, x_range: tuple, share: float, max_tracks: int) -> list[dict]:
    """Annotations naming each captured place above its mark, labels that would overlap stacked on tracks above."""
    half = (x_range[1] - x_range[0]) * (labelled["place"].str.len() * share)  # half a label's width
    level = pack_tracks(labelled["date"] - half, labelled["date"] + half, pd.Timedelta(days=1), max_tracks=max_tracks)
    return [
        {
            "x": lab["date"],
            "y": lab["y"],
            "text": plotly_text(lab["place"]),
            "showarrow": bool(lev > 0),
            "arrowhead": 0,
            "arrowcolor": SHADE,
            "ax": 0,
            "ay": -(12 + 14 * int(lev)),
            "yanchor": "bottom",
            "yshift": 0 if lev > 0 else 8,
            "font": {"size": NOTE_SIZE},
        }
        for (_, lab), lev in zip(labelled.iterrows(), level)
    ]


def accounts_on(
    events: pd.DataFrame,
    sources: pd.DataFrame,
    first: pd.Timestamp,
    last: pd.Timestamp,
    categories: tuple[str, ...] = ("clash", "statement"),
    theatres: tuple[str, ...] = ("front", "azerbaijan", "armenia", "international"),
) -> pd.DataFrame:
    """How each source tells the days from ``first`` to ``last``: every version of clash and statement events, by
    source."""
    ev = events[
        (events["date"] >= first)
        & (events["date"] <= last)
        & (events["date_precision"].astype(object) == "day")
        & events["category"].astype(object).isin(categories)
        & events["theatre"].astype(object).isin(theatres)
    ]
    who = claimant(ev)
    persp = sources.set_index("source_id")["perspective"].astype(object)
    out = pd.DataFrame(
        {
            "date": ev["date"].dt.strftime("%-d %b %Y"),
            "source": ev["source_id"].map(source_labels(sources)),
            "perspective": ev["source_id"].astype(object).map(persp),
            "claimed by": who.where(who.notna(), "–"),
            "as recorded": ev["title"].astype(object),
            "source_id": ev["source_id"].astype(object),
            "locator": ev["locator"].astype(object),
            "_d": ev["date"],
        }
    )
    return (
        out.sort_values(["_d", "perspective", "source_id", "as recorded"], kind="stable")
        .drop(columns="_d")
        .reset_index(drop=True)
    )


def territory_statements(
    events: pd.DataFrame, places: pd.DataFrame, sources: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp
) -> pd.DataFrame:
    """Capture events from ``first`` to ``last`` about a region or no place (territory as a whole), with their text."""
    regions = places.loc[places["kind"].astype(object) == "region", "place_id"]
    ev = events[
        (events["category"].astype(object) == "capture")
        & (events["date"] >= first)
        & (events["date"] <= last)
        & (events["place_id"].isna() | events["place_id"].isin(regions))
    ]
    return pd.DataFrame(
        {
            "date": date_label(ev["date"], ev["end_date"], ev["date_precision"]),
            "source": ev["source_id"].map(source_labels(sources)),
            "as recorded": ev["title"].astype(object),
            "what the data says": ev["description"].astype(object),
            "source_id": ev["source_id"].astype(object),
            "locator": ev["locator"].astype(object),
        },
    ).reset_index(drop=True)


def signatories(relations: pd.DataFrame, actors: pd.DataFrame, event_ids: list[str]) -> pd.DataFrame:
    """Who signed, per version of an agreement: the 'signed' relations tied to each event id, with their source."""
    names = actors.set_index("actor_id")["name"].astype(object)
    signed = relations[
        (relations["relation"].astype(object) == "signed") & relations["event_id"].astype(object).isin(event_ids)
    ]
    rows = []
    for event_id in event_ids:
        part = signed[signed["event_id"].astype(object) == event_id]
        if part.empty:
            continue
        who = dict.fromkeys(part["source_actor_id"].astype(object))
        rows.append(
            {
                "event_id": event_id,
                "signatories named": ", ".join(str(names.get(a, a)) for a in who),
                "source_id": ", ".join(dict.fromkeys(part["source_id"].astype(object))),
                "locator": "; ".join(dict.fromkeys(part["locator"].astype(object))),
            }
        )
    return pd.DataFrame(rows, columns=["event_id", "signatories named", "source_id", "locator"])


def actor_notes(relations: pd.DataFrame, actor_id: str) -> pd.DataFrame:
    """The relations of one actor that carry a note, in file order: what each row records and where it stands."""
    rel = relations[(relations["source_actor_id"] == actor_id) & relations["note"].notna()]
    return pd.DataFrame(
        {
            "relation": rel["relation"].astype(object),
            "to": rel["target_actor_id"].astype(object),
            "note": rel["note"].astype(object),
            "source_id": rel["source_id"].astype(object),
            "locator": rel["locator"].astype(object),
        }
    ).reset_index(drop=True)


class MapSummary(TypedDict):
    """map_summary(): counts of places by mark, and their names in map order."""

    captured: int
    captured_names: list[str]
    held: int
    held_names: list[str]
    held_and_captured: int
    held_and_captured_names: list[str]
    held_not_captured: int
    held_not_captured_names: list[str]
    other: int


def map_summary(marks: pd.DataFrame) -> MapSummary:
    """Counts and names behind the map: places with a capture report, districts named as held, and their overlap."""
    held = list(dict.fromkeys(marks.loc[marks["mark"] == "held-1994", "name"]))
    captured = list(dict.fromkeys(marks.loc[marks["mark"] == "capture", "name"]))
    both = [n for n in held if n in captured]
    return {
        "captured": len(captured),
        "captured_names": captured,
        "held": len(held),
        "held_names": held,
        "held_and_captured": len(both),
        "held_and_captured_names": both,
        "held_not_captured": len(held) - len(both),
        "held_not_captured_names": [n for n in held if n not in captured],
        "other": int((marks["mark"] == "other").sum()),
    }


def claim_counts(key: pd.DataFrame) -> dict[str, object]:
    """Capture rows of a key_events() table: all, those on a day, those naming a claimant (and who), the first day."""
    caps = key[key["axis_row"] == next(iter(WAR_ROWS))]
    return {
        "all": len(caps),
        "placed": int(caps["placed"].sum()),
        "named": int(caps["claimant"].notna().sum()),
        "unnamed": int(caps["claimant"].isna().sum()),
        "claimants": sorted(set(caps["claimant"].dropna())),
        "first_day": caps.loc[caps["placed"], "date"].min(),
    }


def cited_sources(frame: pd.DataFrame, column: str = "source_id") -> list[str]:
    """The distinct source ids in a column whose cells may list several ids joined with ', ', sorted."""
    return sorted(set(frame[column].astype(str).str.split(", ").explode()))


# --------------------------------------------------------------------------- the figures the chapter's prose names


def _day(stamp: pd.Timestamp) -> str:
    return f"{stamp:%-d %B %Y}"


def span_figures(span: pd.Series) -> dict[str, object]:
    """A war_span() as the prose gives it: first and last day, days elapsed and counted, the end of the handovers."""
    return {
        "start": _day(span["start"]),
        "end": _day(span["end"]),
        "elapsed": span["elapsed_days"],
        "calendar": span["calendar_days"],
        "handover-end": _day(span["handover_end"]),
    }


def first_capture_date(key: pd.DataFrame, events: pd.DataFrame, place_id: str) -> pd.Timestamp:
    """The date of the first version of the capture reported at one place (its place_id) in a key_events() table."""
    where = events.drop_duplicates("event_id").set_index("event_id")["place_id"].astype(str)
    rows = key[~key["is_variant"].astype(bool) & key["event_id"].astype(str).map(where).eq(place_id)]
    if rows.empty:
        raise KeyError(f"no first-version key event at {place_id!r}")
    return rows["date"].iloc[0]


def claim_figures(
    key: pd.DataFrame, events: pd.DataFrame, counts: dict[str, object], attempts: pd.DataFrame, trilateral: pd.DataFrame
) -> dict[str, object]:
    """The capture claims (claim_counts()), the dates of the captures of Shusha and Khudafarin, the ceasefire
    attempts, and the two dates the documents give the trilateral statement (``trilateral`` a dated_versions())."""
    dates = trilateral["date"].sort_values()
    return {
        "claims": counts["all"],
        "claims-placed": counts["placed"],
        "claims-named": counts["named"],
        "claims-unnamed": counts["unnamed"],
        "claimants": and_join(counts["claimants"]),  # type: ignore[arg-type]
        "shusha-date": _day(first_capture_date(key, events, "shusha")),
        "khudaferin-date": _day(first_capture_date(key, events, "khudaferin")),
        "attempts": len(attempts),
        "attempt-dates": day_list(attempts["date"]),
        "trilateral-first": _day(dates.iloc[0]),
        "trilateral-second": _day(dates.iloc[1]),
    }


def axis_rows(key: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The marks of war_axis_figure() (one per event version), with claimant, source, locator and evidence
    grade: the rows of the chart's "Download data"."""
    from .cards import drawn  # the card module reads the package descriptor: imported when used

    rows = key.drop(columns=["source"], errors="ignore").assign(
        version=key["is_variant"].map({True: "second source", False: "first"})
    )
    return drawn(rows, "events", tables, columns=["axis_row", "date_label", "title", "place", "claimant", "version"])


def mark_rows(marks: pd.DataFrame, view: maps.View = WAR_VIEW) -> pd.DataFrame:
    """The marks war_map() draws in ``view`` (one per place and kind of mark), each with the events behind it as
    hover lists them and their documents: the rows of the map's "Download data"."""
    from .cards import with_provenance

    marks = marks[[view.contains(x, y) for x, y in zip(marks["longitude"], marks["latitude"], strict=True)]]
    cited = marks["events"].str.findall(r"\(([a-z0-9-]+), ")
    rows = pd.DataFrame(
        {
            "place": marks["name"],
            "mark": marks["mark"].map(lambda m: MAP_MARKS.get(m, m)),
            "latitude": marks["latitude"],
            "longitude": marks["longitude"],
            "events (date: title — claimant (source, locator))": [
                html.unescape(str(e).replace("<br>", " | ")) for e in marks["events"]
            ],
            "source_id": [", ".join(sorted(set(c))) for c in cited],
        }
    )
    return with_provenance(rows)
