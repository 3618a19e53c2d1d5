"""Place names: the book's one form per place, the other side's form for contested towns, and the gazetteer.

The naming policy (stated in "How to read this book" and in data/README.md): every place is called
by its ``name`` in ``places.csv``, in every chapter, caption, table and map. A town of the contested
area (Nagorno-Karabakh and the seven districts around it, :data:`maps.CONTESTED_REGIONS`) also gets
the other side's form in brackets at its first mention in each chapter, 'Shusha (Shushi)', and on
every map; :func:`maps.other_side_names` says where that form comes from. The gazetteer lists every
place with all its names, so that the book's search finds a place by any of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from . import maps

#: English names of the countries ``places.country`` uses (ISO 3166-1 alpha-2); other codes are shown as they are.
COUNTRY_NAMES: dict[str, str] = {
    "AM": "Armenia",
    "AT": "Austria",
    "AZ": "Azerbaijan",
    "GE": "Georgia",
    "IR": "Iran",
    "RU": "Russia",
    "SY": "Syria",
    "TJ": "Tajikistan",
    "TR": "Turkey",
    "US": "United States",
}

GAZETTEER_COLUMNS = [
    "Place",
    "Other side's form",
    "Also written in the documents",
    "Other names (in no document)",
    "Kind",
    "Country",
    "Region",
    "Coordinates",
    "First named in",
]


def _split(value: object) -> list[str]:
    return [v for v in str(value).split("|") if v] if isinstance(value, str) else []


def both_name(places: pd.DataFrame, place_id: str) -> str:
    """The place's name as the book gives it at first mention: 'Shusha (Shushi)', or the name alone."""
    names = maps.both_names(places)
    if place_id not in names.index:
        raise KeyError(f"unknown place_id {place_id!r} (not in places.csv)")
    return str(names[place_id])


def name_words(places: pd.DataFrame, place_ids: Iterable[str]) -> dict[str, str]:
    """Per place_id given, its both-names form (:func:`both_name`), to glue as '{chapter}-name-{place_id}'."""
    return {pid: both_name(places, pid) for pid in place_ids}


def with_other_forms(names: Iterable[str], places: pd.DataFrame) -> list[str]:
    """Place names (the ``name`` column) with the other side's form added to each contested one."""
    both = maps.both_names(places)
    by_name = dict(zip(places["name"].astype(str), places["place_id"].astype(str)))
    return [str(both[by_name[n]]) if n in by_name else str(n) for n in names]


def _coordinates(lat: object, lon: object, precision: object) -> str | None:
    if pd.isna(lat) or pd.isna(lon):  # type: ignore[call-overload]
        return None
    lat_f, lon_f = float(lat), float(lon)  # type: ignore[arg-type]
    text = f"{abs(lat_f):.2f}° {'N' if lat_f >= 0 else 'S'}, {abs(lon_f):.2f}° {'E' if lon_f >= 0 else 'W'}"
    return text + (" (district centre)" if precision == "district" else "")


def gazetteer(places: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Every place, one row each, with all its names: the book's form, the other side's form (contested
    towns; marked '(in no document)' where it comes from ``other_names``), spellings the documents use,
    names no document uses, kind, country, region, approximate coordinates and the document (with its
    locator) that first names it; sorted by country, then name.
    """
    others = maps.other_side_names(places)
    titles = sources.set_index("source_id")["short_title"]
    rows = []
    for row in places.itertuples():
        other = others[row.place_id]
        other = other if isinstance(other, str) else None
        in_documents = other in _split(row.aliases)
        rows.append(
            {
                "Place": row.name,
                "Other side's form": None if other is None else other if in_documents else f"{other} (in no document)",
                "Also written in the documents": ", ".join(a for a in _split(row.aliases) if a != other) or None,
                "Other names (in no document)": ", ".join(o for o in _split(row.other_names) if o != other) or None,
                "Kind": row.kind,
                "Country": COUNTRY_NAMES.get(str(row.country), row.country),
                "Region": row.admin_region if isinstance(row.admin_region, str) else None,
                "Coordinates": _coordinates(row.latitude, row.longitude, row.coord_precision),
                "First named in": f"{titles[row.source_id]}, {row.locator}",
            }
        )
    out = pd.DataFrame(rows, columns=GAZETTEER_COLUMNS)
    order = out["Country"].str.casefold() + "\x00" + out["Place"].str.casefold()
    return out.loc[order.sort_values(kind="stable").index].reset_index(drop=True)


def all_forms(places: pd.DataFrame) -> dict[str, str]:
    """Every form of every place's name (name, aliases, other names) -> its place_id (a shared form: first place)."""
    forms: dict[str, str] = {}
    for row in places.itertuples():
        for form in [str(row.name), *_split(row.aliases), *_split(row.other_names)]:
            forms.setdefault(form, str(row.place_id))
    return forms


def mentions(text: str, places: pd.DataFrame) -> list[tuple[int, str, str]]:
    """Where ``text`` names a place by any of its forms: (offset, place_id, form), in reading order.

    Longer forms win ('Lachin corridor' is the corridor, not the town of Lachin); a form must stand
    as a whole word.
    """
    found: list[tuple[int, str, str]] = []
    taken = [False] * len(text)
    for form, pid in sorted(all_forms(places).items(), key=lambda kv: -len(kv[0])):
        for m in re.finditer(r"(?<![\w-])" + re.escape(form) + r"(?![\w-])", text):
            if not any(taken[m.start() : m.end()]):
                found.append((m.start(), pid, form))
                taken[m.start() : m.end()] = [True] * (m.end() - m.start())
    return sorted(found)


def missing_other_forms(text: str, places: pd.DataFrame) -> list[str]:
    """Contested places whose first mention in ``text`` does not carry both forms ('Name (Other)' or
    'Other (Name)'); one line per place, naming the form found. Empty when the text follows the policy.
    """
    others = maps.other_side_names(places)
    names = places.set_index("place_id")["name"].astype(str)
    seen: set[str] = set()
    problems = []
    for offset, pid, form in mentions(text, places):
        if pid in seen:
            continue
        seen.add(pid)
        other = others.get(pid)
        if not isinstance(other, str):
            continue
        name = names[pid]
        pairs = (f"{name} ({other})", f"{other} ({name})")
        window = text[max(0, offset - len(other) - 2) : offset + len(form) + len(other) + len(name) + 3]
        if not any(pair in window for pair in pairs):
            problems.append(f"{name}: first named as {form!r} without {pairs[0]!r}: ...{text[offset : offset + 60]}")
    return problems
