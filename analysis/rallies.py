"""Solidarity rallies in Iran: rallies, arrests and raids by locality and date, and named people against reported
totals.

Every function takes typed tables (as :func:`analysis.data.load_tables` returns them) or frames
built from them, returns new frames or figures, and does no I/O.

Conventions
-----------
Events
    Only first versions (``variant_of`` empty) of Iran-theatre events count. Three categories are
    kept and given plain names (:data:`KINDS`): rallies and other public displays (``protest``),
    arrests, raids and summonses (``detention``) and court rulings (``trial``).
Localities
    A city, town or village is its own locality; a site (a consulate, a park, a prison) belongs to
    the settlement its name or aliases name (:func:`analysis.sentencing.place_cities`) and is drawn
    at that settlement's coordinates; a district keeps its own name and coordinates. Coordinates
    are the editor's approximations from ``places.csv``, not facts from the sources; the map draws
    them on Natural Earth's borders (:mod:`analysis.maps`).
Dates
    ``start``/``end`` select by date; a year-precision date (stored as 1 January) is in the window
    when its year is. Detention rows without a date take the date of the event they belong to;
    rows with neither are kept (the caller sees them as undated).
People
    A named detainee is a detention row with an ``actor_id``; a person is counted once per
    locality however many rows they have there. Children (``is_minor``) are counted in the
    per-locality figures but never listed: :func:`named_against_stated` names adults only, so no
    table shows a child beside the people held with them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final, TypedDict

import pandas as pd
import plotly.graph_objects as go

from . import charts, maps
from .discrepancies import named_vs_stated
from .sentencing import SETTLEMENT_KINDS, person_labels, place_cities
from .sources import activist_source  # noqa: F401  (the chapter calls rallies.activist_source)
from .timeline import first_versions, phases
from .words import NOT_STATED, SHORT_DATE, date_text, figure_text, plotly_text

KINDS: Final[Mapping[str, str]] = {
    "protest": "Rally or public display",
    "detention": "Arrest, raid or summons",
    "trial": "Court ruling",
}
"""Event category -> the plain name this chapter uses for it (only these categories are kept)."""

SETTINGS: Final[Mapping[str, str]] = {
    "at-rally": "at a rally",
    "street": "in the street",
    "raid": "in a raid on a home",
    "workplace": "at work",
    "summons": "summoned",
    "unknown": "not stated",
}
"""Detention circumstance -> how the chapter says it."""

UNPLACED: Final[str] = "place not stated"
RAID_CIRCUMSTANCES: Final[frozenset[str]] = frozenset({"raid", "workplace"})


# --------------------------------------------------------------------------- places and dates


def localities(places: pd.DataFrame) -> pd.DataFrame:
    """Per place_id: the locality it is counted under and that locality's (approximate) latitude and longitude."""
    city = place_cities(places)
    ids = places["place_id"].astype(str)
    own = pd.DataFrame(
        {
            "name": places["name"].astype(str).to_numpy(),
            "latitude": places["latitude"].astype("Float64").to_numpy(),
            "longitude": places["longitude"].astype("Float64").to_numpy(),
            "kind": places["kind"].astype(str).to_numpy(),
        },
        index=ids.to_numpy(),
    )
    settlements = own[own["kind"].isin(SETTLEMENT_KINDS)].drop_duplicates("name").set_index("name")
    locality = city.reindex(own.index).astype(object).where(city.reindex(own.index).notna(), own["name"])
    lat = locality.map(settlements["latitude"]).astype("Float64").fillna(own["latitude"])
    lon = locality.map(settlements["longitude"]).astype("Float64").fillna(own["longitude"])
    out = pd.DataFrame({"locality": locality.astype("string"), "latitude": lat, "longitude": lon}, index=own.index)
    out.index.name = "place_id"
    return out


def _in_window(date: pd.Series, precision: pd.Series, start: str | None, end: str | None) -> pd.Series:
    """Whether each date falls in [start, end]; a year-precision date counts by its year; missing dates pass."""
    keep = pd.Series(True, index=date.index)
    year_only = precision.astype(object).eq("year").fillna(False).astype(bool)
    if start is not None:
        lo = pd.Timestamp(start)
        keep &= ~((date < lo) & ~(year_only & (date.dt.year == lo.year))).fillna(False).astype(bool)
    if end is not None:
        hi = pd.Timestamp(end)
        keep &= ~(date > hi).fillna(False).astype(bool)
    return keep


# --------------------------------------------------------------------------- events and detentions


def iran_events(
    events: pd.DataFrame, places: pd.DataFrame, start: str | None = None, end: str | None = None
) -> pd.DataFrame:
    """Rallies, arrests and court rulings in Iran (first versions), with kind, locality and coordinates, by date."""
    ev = first_versions(events)
    ev = ev[ev["theatre"].astype(object).eq("iran") & ev["category"].astype(object).isin(KINDS)]
    ev = ev[_in_window(ev["date"], ev["date_precision"], start, end)]
    where = localities(places)
    place = ev["place_id"].astype(object)
    out = pd.DataFrame(
        {
            "event_id": ev["event_id"].astype("string"),
            "date": ev["date"],
            "date_precision": ev["date_precision"].astype("string"),
            "when": date_text(ev["date"], ev["date_precision"], **SHORT_DATE),
            "kind": ev["category"].astype(object).map(KINDS).astype("string"),
            "title": ev["title"].astype("string"),
            "locality": place.map(where["locality"]).astype("string"),
            "latitude": place.map(where["latitude"]).astype("Float64"),
            "longitude": place.map(where["longitude"]).astype("Float64"),
            "source_id": ev["source_id"].astype("string"),
            "locator": ev["locator"].astype("string"),
        },
        index=ev.index,
    )
    return out.sort_values(["date", "event_id"], kind="stable")


def count_text(count: pd.Series, qualifier: pd.Series, count_max: pd.Series | None = None) -> pd.Series:
    """Counts as the source put them (words.figure_text: '20', 'about 40', '5–8'); NA where there is no count."""
    highs = count_max if count_max is not None else pd.Series(pd.NA, index=count.index)
    return pd.Series(
        [figure_text(c, hi, q, missing=pd.NA) for c, q, hi in zip(count, qualifier.astype(object), highs)],
        index=count.index,
        dtype="string",
    )


def iran_detentions(
    detentions: pd.DataFrame,
    places: pd.DataFrame,
    events: pd.DataFrame | None = None,
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """Detention rows in Iran: named person or reported group, setting, locality, date (or its event's date)."""
    det = detentions[detentions["country"].astype(object).eq("IR")]
    date, precision = det["date"], det["date_precision"].astype(object)
    from_event = pd.Series(False, index=det.index)
    if events is not None:
        by_id = events.set_index(events["event_id"].astype(str))
        event = det["event_id"].astype(object)
        missing = date.isna() & event.notna()
        from_event = missing & event.isin(by_id.index)
        date = date.where(~from_event, event.map(by_id["date"]))
        precision = precision.where(~from_event, event.map(by_id["date_precision"].astype(object)))
    keep = _in_window(pd.to_datetime(date), precision, start, end)
    det, date, precision, from_event = det[keep], date[keep], precision[keep], from_event[keep]
    where = localities(places)
    place = det["place_id"].astype(object)
    named = det["actor_id"].notna()
    out = pd.DataFrame(
        {
            "detention_id": det["detention_id"].astype("string"),
            "actor_id": det["actor_id"].astype("string"),
            "named": named,
            "count": det["count"].astype("Int64"),
            "count_text": count_text(det["count"], det["qualifier"], det["count_max"]),
            "date": pd.to_datetime(date),
            "date_precision": precision.astype("string"),
            "dated_by_event": from_event,
            "when": date_text(pd.to_datetime(date), precision, **SHORT_DATE),
            "setting": det["circumstance"].astype(object).map(SETTINGS).fillna(NOT_STATED).astype("string"),
            "raid": det["circumstance"].astype(object).isin(RAID_CIRCUMSTANCES),
            "locality": place.map(where["locality"]).astype("string"),
            "latitude": place.map(where["latitude"]).astype("Float64"),
            "longitude": place.map(where["longitude"]).astype("Float64"),
            "event_id": det["event_id"].astype("string"),
            "part_of": det["part_of"].astype("string"),
            "outcome": det["outcome"].astype("string"),
            "source_id": det["source_id"].astype("string"),
            "locator": det["locator"].astype("string"),
        },
        index=det.index,
    )
    return out


def _reported(groups: pd.DataFrame) -> str:
    ordered = groups.sort_values(["count", "detention_id"], ascending=[False, True])
    return "; ".join(f"{c} ({w})" for c, w in zip(ordered["count_text"], ordered["when"])) if len(ordered) else ""


def by_locality(events: pd.DataFrame, detentions: pd.DataFrame) -> pd.DataFrame:
    """Per locality: events by kind, distinct named detainees (in raids, summoned), reported group counts, first/last
    day- or month-dated record."""
    ev = events[events["locality"].notna()]
    det = detentions[detentions["locality"].notna()]
    named, groups = det[det["named"]], det[~det["named"] & det["part_of"].isna()]
    names = sorted(set(ev["locality"].astype(str)) | set(det["locality"].astype(str)))
    kinds = ev.groupby([ev["locality"].astype(str), ev["kind"].astype(str)]).size()
    rows = []
    for name in names:
        ev_here, named_here = ev[ev["locality"] == name], named[named["locality"] == name]
        coords = pd.concat(
            [ev_here[["latitude", "longitude"]], det.loc[det["locality"] == name, ["latitude", "longitude"]]]
        )
        det_here = det[(det["locality"] == name) & det["date_precision"].isin(["day", "month"])]
        ev_dated = ev_here[ev_here["date_precision"].isin(["day", "month"])]
        dates = pd.concat([ev_dated["date"], det_here["date"]]).dropna()
        groups_here = groups[groups["locality"] == name]
        rows.append(
            {
                "locality": name,
                "latitude": coords["latitude"].dropna().iloc[0] if coords["latitude"].notna().any() else pd.NA,
                "longitude": coords["longitude"].dropna().iloc[0] if coords["longitude"].notna().any() else pd.NA,
                "rallies": int(kinds.get((name, KINDS["protest"]), 0)),
                "arrest_events": int(kinds.get((name, KINDS["detention"]), 0)),
                "court_rulings": int(kinds.get((name, KINDS["trial"]), 0)),
                "named_detained": int(named_here["actor_id"].nunique()),
                "named_in_raids": int(named_here.loc[named_here["raid"], "actor_id"].nunique()),
                "named_summoned": int(
                    named_here.loc[named_here["setting"] == SETTINGS["summons"], "actor_id"].nunique()
                ),
                "reported_groups": _reported(groups_here),
                "largest_reported": groups_here["count"].max() if len(groups_here) else pd.NA,
                "first": dates.min() if len(dates) else pd.NaT,
                "last": dates.max() if len(dates) else pd.NaT,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "locality",
            "latitude",
            "longitude",
            "rallies",
            "arrest_events",
            "court_rulings",
            "named_detained",
            "named_in_raids",
            "named_summoned",
            "reported_groups",
            "largest_reported",
            "first",
            "last",
        ],
    )
    for column in ("latitude", "longitude"):
        out[column] = out[column].astype("Float64")
    out["largest_reported"] = out["largest_reported"].astype("Int64")
    out["events"] = out["rallies"] + out["arrest_events"] + out["court_rulings"]
    return out.sort_values(
        ["events", "named_detained", "locality"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)


def unplaced(events: pd.DataFrame, detentions: pd.DataFrame) -> pd.DataFrame:
    """What the map cannot show: events and named detainees without a locality, or at a locality without coordinates."""
    rows = []
    for what, frame, count in (
        ("events", events, lambda f: len(f)),
        ("named detainees", detentions[detentions["named"]], lambda f: f["actor_id"].nunique()),
    ):
        rows.append(
            {
                "what": what,
                "no locality": int(count(frame[frame["locality"].isna()])),
                "locality without coordinates": int(count(frame[frame["locality"].notna() & frame["latitude"].isna()])),
            }
        )
    return pd.DataFrame(rows, columns=["what", "no locality", "locality without coordinates"])


# --------------------------------------------------------------------------- named against stated


def named_against_stated(
    detentions: pd.DataFrame, actors: pd.DataFrame, events: pd.DataFrame, places: pd.DataFrame, country: str = "IR"
) -> pd.DataFrame:
    """Each reported detainee count that names fewer (or more) people than it counts: stated, named, who, where from.

    The pairs are those :func:`analysis.discrepancies.named_vs_stated` finds; ``difference`` is
    stated (low end) minus named, the people the source counts but does not name. Children are
    never among the named people listed or counted (they would stand beside the adults held with them).
    """
    found = named_vs_stated({"detentions": detentions})
    labels = person_labels(actors)
    children = set(actors.loc[actors["is_minor"].astype("boolean").fillna(False).astype(bool), "actor_id"].astype(str))
    titles = events.set_index(events["event_id"].astype(str))
    where = localities(places)
    rows = []
    for d in found:
        group_row = d.versions[0].row
        if detentions.at[group_row, "country"] != country:
            continue
        event = str(detentions.at[group_row, "event_id"])
        named = detentions[
            detentions["event_id"].astype(object).eq(event)
            & detentions["actor_id"].notna()
            & ~detentions["actor_id"].astype(str).isin(children)
        ]
        event_place = titles.at[event, "place_id"] if event in titles.index else pd.NA
        own_place = detentions.at[group_row, "place_id"]
        rows.append(
            {
                "event": titles.at[event, "title"] if event in titles.index else event,
                "event_date": date_text(
                    pd.Series([titles.at[event, "date"]]), pd.Series([titles.at[event, "date_precision"]]), **SHORT_DATE
                ).iloc[0]
                if event in titles.index
                else NOT_STATED,
                "event_locality": where["locality"].get(event_place, pd.NA) if pd.notna(event_place) else pd.NA,
                "stated": count_text(
                    detentions.loc[[group_row], "count"],
                    detentions.loc[[group_row], "qualifier"],
                    detentions.loc[[group_row], "count_max"],
                ).iloc[0],
                "stated_count": int(detentions.at[group_row, "count"]),
                "stated_place": where["locality"].get(own_place, pd.NA) if pd.notna(own_place) else NOT_STATED,
                "stated_locator": d.versions[0].locator,
                "named": int(named["actor_id"].nunique()),
                "named_people": ", ".join(sorted(named["actor_id"].astype(str).map(labels).astype(str).unique())),
                "named_locator": "; ".join(sorted(set(named["locator"].astype(str)))),
                "source_id": d.versions[0].source_id,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "event",
            "event_date",
            "event_locality",
            "stated",
            "stated_count",
            "stated_place",
            "stated_locator",
            "named",
            "named_people",
            "named_locator",
            "source_id",
        ],
    )
    out["difference"] = (out["stated_count"] - out["named"]).astype("Int64")
    return out


def reported_counts(detentions: pd.DataFrame) -> pd.DataFrame:
    """Reported numbers of detainees (group rows, not subsets), largest first: figure, where, when, locator, note."""
    groups = detentions[~detentions["named"] & detentions["part_of"].isna()]
    out = pd.DataFrame(
        {
            "figure": groups["count_text"],
            "count": groups["count"],
            "locality": groups["locality"].fillna(NOT_STATED),
            "when": groups["when"],
            "locator": groups["locator"],
            "source_id": groups["source_id"],
        },
        index=groups.index,
    )
    return out.sort_values(["count", "locator"], ascending=[False, True], kind="stable").reset_index(drop=True)


def source_shares(events: pd.DataFrame, detentions: pd.DataFrame) -> pd.DataFrame:
    """Per source: how many of the Iran-theatre events and Iranian detention rows it supports."""
    ev = events[events["theatre"].astype(object).eq("iran")]["source_id"].astype(str).value_counts()
    det = detentions[detentions["country"].astype(object).eq("IR")]["source_id"].astype(str).value_counts()
    out = pd.DataFrame({"events": ev, "detention_rows": det}).fillna(0).astype(int)
    out.index.name = "source_id"
    return out.sort_values(["events", "detention_rows"], ascending=False).reset_index()


def context_phases(events: pd.DataFrame, exclude: str, names: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Phases of 2020 (timeline.phases) computed without ``exclude``'s events, with the sources that date each phase."""
    ev = events[~events["source_id"].astype(str).eq(exclude)]
    out = phases(ev)
    if names is not None:
        out = out[out["phase"].isin(names)]
    by_source = {
        sid: set(phases(ev[ev["source_id"].astype(str) == sid])["phase"])
        for sid in sorted(set(ev["source_id"].astype(str)))
    }
    out = out.assign(sources=[", ".join(s for s, found in by_source.items() if p in found) for p in out["phase"]])
    return out.reset_index(drop=True)


def first_rally_after(events: pd.DataFrame, context: pd.DataFrame) -> pd.DataFrame:
    """Per phase (with its dates and sources): the first day on or after its start with a day-dated rally in Iran,
    where, and the days between."""
    rallies = events[(events["kind"] == KINDS["protest"]) & (events["date_precision"] == "day")]
    rows = []
    for p in context.to_dict("records"):
        after = rallies[rallies["date"] >= p["start"]]
        day = after["date"].min() if len(after) else pd.NaT
        first = after[after["date"] == day].sort_values("event_id", kind="stable")
        rows.append(
            {
                **p,
                "rally_date": day,
                "locality": ", ".join(sorted(set(first["locality"].dropna().astype(str)))) or pd.NA,
                "rally": "; ".join(first["title"].astype(str)) or pd.NA,
                "days_after": int((day - p["start"]).days) if len(first) else pd.NA,
            }
        )
    out = pd.DataFrame(rows, columns=[*context.columns, "rally_date", "locality", "rally", "days_after"])
    out["days_after"] = out["days_after"].astype("Int64")
    return out


class DatedSummary(TypedDict):
    """dated_summary(): events per date precision, and the busiest month ('October 2020'; NA if none)."""

    day: int
    month: int
    year: int
    undated: int
    busiest_month: object
    busiest_count: int


def dated_summary(events: pd.DataFrame) -> DatedSummary:
    """How events are dated (day, month, year, none) and the month with most day- or month-dated events."""
    precision = events["date_precision"].astype(object)
    dated = events[precision.isin(["day", "month"])]
    per_month = dated["date"].dt.to_period("M").value_counts().sort_index(kind="stable")
    busiest = per_month.idxmax() if len(per_month) else None
    return {
        "day": int(precision.eq("day").sum()),
        "month": int(precision.eq("month").sum()),
        "year": int(precision.eq("year").sum()),
        "undated": int(events["date"].isna().sum()),
        "busiest_month": busiest.strftime("%B %Y") if busiest is not None else pd.NA,
        "busiest_count": int(per_month.max()) if len(per_month) else 0,
    }


def event_when(events: pd.DataFrame, event_id: str) -> str:
    """The date of one event as its source gives it ('8 Nov 2020', 'Nov 2020', ...); KeyError if unknown."""
    row = events[events["event_id"].astype(str) == event_id]
    if row.empty:
        raise KeyError(f"unknown event_id {event_id!r}")
    return str(date_text(row["date"], row["date_precision"], **SHORT_DATE).iloc[0])


def people_counts(detentions: pd.DataFrame) -> pd.Series:
    """Distinct named people in detention rows: all, those only ever summoned, and the rest (held at some point)."""
    named = detentions[detentions["named"]]
    settings = named.groupby(named["actor_id"].astype(str))["setting"].agg(set)
    only_summoned = int(sum(s == {SETTINGS["summons"]} for s in settings))
    return pd.Series(
        {"named": len(settings), "only_summoned": only_summoned, "held": len(settings) - only_summoned}, dtype="Int64"
    )


# --------------------------------------------------------------------------- figures


def short_name(names: pd.Series) -> pd.Series:
    """Place names without their parenthesised part, for labels: 'Takab (Tikantape)' -> 'Takab'."""
    return names.astype(str).map(lambda n: re.sub(r"\s*\(.*?\)", "", n).strip() or n).astype("string")


#: The Iran map's view: north-western Iran to Tehran and the Caspian, with the borders of Azerbaijan and Armenia.
IRAN_VIEW: Final[maps.View] = maps.View(43.9, 35.2, 52.1, 41.0)
#: Places drawn grey on the Iran map, for orientation only (their events belong to other chapters).
ORIENTATION: Final[tuple[str, ...]] = ("baku", "yerevan")


def iran_map(
    sites: pd.DataFrame,
    places: pd.DataFrame,
    geography: pd.DataFrame,
    title: str,
    source: str,
    orientation: tuple[str, ...] = ORIENTATION,
) -> go.Figure:
    """A by_locality() table on Natural Earth's borders: per locality one disc per kind of event, sized by its count.

    Discs of one locality are nested, the largest behind; hover gives the full breakdown. Localities
    without coordinates are not drawn (:func:`unplaced` counts them). ``orientation`` names places
    drawn as grey squares for orientation only.
    """
    fig = maps.base_map(
        geography,
        IRAN_VIEW,
        ("IRAN", "AZERBAIJAN", "ARMENIA", "TURKEY", "IRAQ", "Caspian Sea", "Lake Urmia", "Nakhchivan<br>(Azerbaijan)"),
    )
    placed = sites[sites["latitude"].notna() & sites["longitude"].notna()].reset_index(drop=True)
    ref = places.set_index(places["place_id"].astype(str)).loc[list(orientation)]
    names = maps.both_names(places)
    fig.add_trace(
        go.Scatter(
            x=ref["longitude"].astype(float),
            y=ref["latitude"].astype(float),
            mode="markers",
            name="For orientation only",
            marker={"symbol": "square", "size": 7, "color": charts.SHADE},
            text=charts.plotly_cells(ref.index.to_series().map(names)),
            hovertemplate="%{text} (for orientation)<extra></extra>",
        )
    )
    custom = (
        placed[["rallies", "arrest_events", "court_rulings", "named_detained", "named_in_raids", "named_summoned"]]
        .astype(int)
        .astype(str)
    )
    custom["groups"] = placed["reported_groups"].replace("", "none").fillna("none")
    custom["name"] = placed["locality"].astype(str)
    hover = (
        "<b>%{customdata[7]}</b><br>rallies and displays: %{customdata[0]}"
        "<br>arrest events: %{customdata[1]}<br>court rulings: %{customdata[2]}"
        "<br>people detained one by one (children unnamed): %{customdata[3]}"
        " (in raids or at work: %{customdata[4]}, summoned: %{customdata[5]})"
        "<br>reported group counts: %{customdata[6]}<extra></extra>"
    )
    sizes = {
        kind: 7 + 5 * placed[column].astype(float).pow(0.5)
        for kind, column in (
            (KINDS["protest"], "rallies"),
            (KINDS["detention"], "arrest_events"),
            (KINDS["trial"], "court_rulings"),
        )
    }
    counts = {KINDS["protest"]: "rallies", KINDS["detention"]: "arrest_events", KINDS["trial"]: "court_rulings"}
    colour = {KINDS[category]: c for category, c in charts.RALLY_CATEGORY_COLOURS.items()}
    for kind in sorted(sizes, key=lambda k: -float(sizes[k].max()) if len(placed) else 0):
        has = placed[counts[kind]].astype(int) > 0
        fig.add_trace(
            go.Scatter(
                x=placed.loc[has, "longitude"],
                y=placed.loc[has, "latitude"],
                mode="markers",
                name=plotly_text(kind),
                marker={
                    "size": sizes[kind][has].tolist(),
                    "color": colour[kind],
                    "opacity": 0.85,
                    "line": {"width": 1, "color": "white"},
                },
                customdata=charts.plotly_cells(custom[has]),
                hovertemplate=hover,
            )
        )
    labels = pd.DataFrame(
        {
            "longitude": pd.concat(
                [placed["longitude"].astype(float), ref["longitude"].astype(float)], ignore_index=True
            ),
            "latitude": pd.concat([placed["latitude"].astype(float), ref["latitude"].astype(float)], ignore_index=True),
            "label": pd.concat(
                [short_name(placed["locality"]).astype(str), ref.index.to_series().map(names).astype(str)],
                ignore_index=True,
            ),
        }
    )
    biggest = pd.concat(list(sizes.values()), axis=1).max(axis=1) / 2 if len(placed) else pd.Series(dtype=float)
    radius = pd.concat([biggest, pd.Series(4.0, index=range(len(ref)))], ignore_index=True)
    maps.place_labels(fig, labels, IRAN_VIEW, radius)
    maps.scale_bar(fig, IRAN_VIEW, 100)
    return maps.finish(fig, title, source)


def timeline_figure(events: pd.DataFrame, phases: pd.DataFrame, title: str, source: str) -> go.Figure:
    """Events by locality (rows; events without a place on the last row) and date: a marker (shape and colour by kind)
    for a day-precision date, a translucent bar across the month for a month-only date."""
    dated = events[events["date_precision"].isin(["day", "month"])]
    dated = dated.assign(
        label=short_name(dated["locality"]).where(dated["locality"].notna(), UNPLACED).astype(str).map(plotly_text),
        locality=dated["locality"].fillna(UNPLACED),
    )
    order = dated.groupby("label")["date"].min().sort_values(kind="stable").index.tolist()
    order = [o for o in order if o != UNPLACED] + ([UNPLACED] if UNPLACED in order else [])
    fig = go.Figure()
    month = dated["date_precision"] == "month"
    for category, colour in charts.RALLY_CATEGORY_COLOURS.items():
        kind = KINDS[category]
        symbol = charts.RALLY_CATEGORY_SYMBOLS[category]
        of_kind = dated["kind"] == kind
        hover = (
            "%{customdata[3]}, %{customdata[0]}: %{text}<br><i>%{customdata[1]}, %{customdata[2]}</i><extra></extra>"
        )
        columns = ["when", "source_id", "locator", "locality"]
        if of_kind.any():  # the legend entry: the kind's colour and shape, filled, whatever its events' precision
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=kind,
                    legendgroup=kind,
                    marker={"color": colour, "size": 11, "symbol": symbol},
                    hoverinfo="skip",
                )
            )
        day = dated[of_kind & ~month]
        if not day.empty:
            fig.add_trace(
                go.Scatter(
                    x=day["date"],
                    y=day["label"],
                    mode="markers",
                    name=kind,
                    legendgroup=kind,
                    showlegend=False,
                    marker={"color": colour, "size": 11, "symbol": symbol, "line": {"width": 0.5, "color": "white"}},
                    text=charts.plotly_cells(day["title"].astype(str)),
                    customdata=charts.plotly_cells(day[columns].astype(str)),
                    hovertemplate=hover,
                )
            )
        # an event known only to its month is a bar across that month (as on the book's main timeline)
        spans = dated[of_kind & month]
        if not spans.empty:
            xs: list = []
            ys: list = []
            text: list = []
            custom: list = []
            cells = charts.plotly_cells(spans[columns].astype(str))
            titles = charts.plotly_cells(spans["title"].astype(str))
            for start, label, name, cell in zip(spans["date"], spans["label"], titles, cells):
                xs += [start, start + pd.offsets.MonthEnd(0), None]
                ys += [label, label, None]
                text += [name, name, None]
                custom += [cell, cell, [None] * len(columns)]
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines+markers",
                    name=kind,
                    legendgroup=kind,
                    showlegend=False,
                    connectgaps=False,
                    line={"color": colour, "width": 5},
                    opacity=0.45,
                    marker={
                        "color": colour,
                        "size": 9,
                        "symbol": "line-ns-open",
                        "line": {"width": 2, "color": colour},
                    },
                    text=text,
                    customdata=custom,
                    hovertemplate=hover,
                )
            )
    if month.any():
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                name="bar: dated only to the month",
                line={"color": charts.NEUTRAL["ink"], "width": 5},
                opacity=0.45,
                hoverinfo="skip",
            )
        )
    for i, p in enumerate(phases.itertuples()):
        fig.add_vrect(
            x0=p.start,
            x1=p.end + pd.Timedelta(days=1),
            fillcolor=charts.SHADE,
            opacity=0.12 if i % 2 == 0 else 0.2,
            line_width=0,
            annotation_text=plotly_text(p.phase),
            annotation_position="top left",
            annotation_font_size=charts.NOTE_SIZE,
            # every other label a line higher, so labels of periods close together never overlap on a phone
            annotation_yshift=charts.NOTE_SIZE + 3 if i % 2 else 0,
        )
    # the legend-only traces come first and carry no data: name the axis types plotly would infer from data
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(reversed(order)))
    fig.update_xaxes(type="date", dtick="M1", tickformat="%b")
    charts.style_plotly(fig, title, source, "Date (2020)", "Locality")
    legend_rows = sum(1 for t in fig.data if t.showlegend is not False)
    return charts.fit_header(fig, title, legend_rows)


# --------------------------------------------------------------------------- the figures the chapter's prose names


def coverage_figures(tables: Mapping[str, pd.DataFrame], activist: str) -> dict[str, int]:
    """Documents in all and sources with Iran-theatre rows; events and Iranian detention rows in all and from the
    activist report."""
    shares = source_shares(tables["events"], tables["detentions"]).set_index("source_id")
    return {
        "n-documents": len(tables["sources"]),
        "n-sources-iran": len(shares),
        "events-all": int(shares["events"].sum()),
        "events-activist": int(shares.at[activist, "events"]),
        "detentions-all": int(shares["detention_rows"].sum()),
        "detentions-activist": int(shares.at[activist, "detention_rows"]),
    }


def capture_when(events: pd.DataFrame, place_id: str) -> str:
    """The date (as its source gives it) of the first-version capture event at one place (its place_id)."""
    firsts = first_versions(events)
    rows = firsts[firsts["category"].astype(str).eq("capture") & firsts["place_id"].astype(str).eq(place_id)]
    if rows.empty:
        raise KeyError(f"no capture event at {place_id!r}")
    return event_when(events, str(rows["event_id"].iloc[0]))


def context_figures(after: pd.DataFrame, events: pd.DataFrame) -> dict[str, object]:
    """From first_rally_after() (indexed by phase): when the July clashes and the war began (and the war ended), the
    first rally after each, where and how many days later; and the date of the capture of Shusha."""
    july, war = after.loc["July border clashes"], after.loc["The 44-day war"]
    return {
        "july-start": f"{july.start.day} {july.start:%B %Y}",
        "july-rally-date": f"{july.rally_date.day} {july.rally_date:%B}",
        "july-rally-where": july.locality.replace(", ", " and "),
        "july-days": int(july.days_after),
        "war-start": f"{war.start.day} {war.start:%B %Y}",
        "war-end": f"{war.end.day} {war.end:%B %Y}",
        "war-rally-date": f"{war.rally_date.day} {war.rally_date:%B}",
        "war-rally-where": war.locality,
        "war-days": int(war.days_after),
        "shusha": capture_when(events, "shusha"),
    }


def dating_figures(dating: Mapping[str, object]) -> dict[str, object]:
    """A dated_summary() as the prose names it: events dated to the day, month and year; the busiest month."""
    return {
        "n-day": dating["day"],
        "n-month": dating["month"],
        "n-year": dating["year"],
        "busiest-month": dating["busiest_month"],
        "busiest-count": dating["busiest_count"],
    }


def gap_figures(gap: pd.DataFrame) -> dict[str, object]:
    """From named_against_stated(): how many gaps, and the stated and named detainees of the Tehran and Ardabil
    rallies."""
    by_place = gap.set_index("event_locality")
    return {
        "n-gaps": len(gap),
        "tehran-stated": by_place.at["Tehran", "stated"],
        "tehran-named": int(by_place.at["Tehran", "named"]),
        "tehran-date": by_place.at["Tehran", "event_date"],
        "ardabil-stated": by_place.at["Ardabil", "stated"],
        "ardabil-named": int(by_place.at["Ardabil", "named"]),
    }


def map_rows(sites: pd.DataFrame, events: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The localities iran_map() draws (a by_locality() table, placed rows), with the counts its hover shows and
    the documents, locators and evidence grades of the events counted: the rows of the map's "Download data"."""
    from .cards import graded, source_titles
    from .evidence import grades_text

    placed = sites[sites["latitude"].notna()].drop(columns=["largest_reported"], errors="ignore")
    counted = graded(events[events["locality"].notna()], "events", tables)
    titles = source_titles(tables.get("sources"))
    behind = counted.groupby(counted["locality"].astype(str), sort=True).agg(
        sources=("source_id", lambda s: "; ".join(titles.get(i, i) for i in sorted(set(s)))),
        locators=("locator", lambda s: "; ".join(dict.fromkeys(map(str, s)))),
        evidence=("evidence", grades_text),
    )
    return placed.join(behind, on="locality").reset_index(drop=True)


def timeline_rows(events: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The events timeline_figure() draws (dated to the day or month), with source, locator and evidence grade:
    the rows of the chart's "Download data"."""
    from .cards import drawn

    dated = events[events["date_precision"].isin(["day", "month"])]
    return drawn(dated, "events", tables, columns=["when", "date_precision", "locality", "kind", "title"])
