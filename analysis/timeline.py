"""Events on a time axis: counts per day or week, lanes by theatre, and the phases of 2020.

Only first versions of events are counted (``variant_of`` empty): the same event told by two
sources is one event. Daily and weekly counts use day-precision events only; events known only
to the month or year are reported separately by :func:`undated_share` rather than placed on a
guessed day.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

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


def undated_share(events: pd.DataFrame) -> pd.DataFrame:
    """How many first-version events each precision holds (those not 'day' are left off daily counts)."""
    ev = first_versions(events)
    counts = ev["date_precision"].astype(object).value_counts()
    return pd.DataFrame({"precision": counts.index, "events": counts.to_numpy()})


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
    PhaseRule("Ceasefire and handovers", ("ceasefire", "agreement"), ("front", "international", "armenia", "azerbaijan"),
              ("2020-11-01", "2020-12-31")),
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
        mask = (ev["category"].isin(rule.categories) & ev["theatre"].isin(rule.theatres)
                & (ev["date"] >= lo) & (ev["date"] <= hi))
        if not mask.any():
            continue
        if rule.span == "longest":
            length = (end[mask] - ev.loc[mask, "date"])
            row = length.idxmax()
            start, stop = ev.at[row, "date"], end[row]
        else:
            start, stop = ev.loc[mask, "date"].min(), end[mask].max()
        rows.append({"phase": rule.name, "start": start, "end": stop,
                     "days": int((stop - start).days) + 1, "events": int(mask.sum())})
    return pd.DataFrame(rows, columns=["phase", "start", "end", "days", "events"])


def timeline_frame(events: pd.DataFrame, places: pd.DataFrame | None = None) -> pd.DataFrame:
    """First-version events ready to draw: lane, start, end, label, category, place name and source."""
    ev = first_versions(events)
    out = pd.DataFrame({
        "event_id": ev["event_id"],
        "lane": lane_of(ev["theatre"]),
        "start": ev["date"],
        "end": ev["end_date"].fillna(ev["date"]),
        "precision": ev["date_precision"],
        "title": ev["title"],
        "category": ev["category"],
        "source_id": ev["source_id"],
        "locator": ev["locator"],
    })
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
