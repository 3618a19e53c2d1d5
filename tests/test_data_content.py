"""Checks on the real data that a schema cannot express: own words, coverage, plausible places."""

from __future__ import annotations

import pytest
from conftest import copied_run, set_cell

from analysis.geography import REGION, country_at

TEXT_COLUMNS = ("title", "description", "note", "caveats", "claimed_item", "item", "charges", "other_terms")


def test_text_fields_are_in_the_projects_own_words(real) -> None:
    """No text field repeats a run of 13 words from a source, unless the run is a list of names."""
    copied = []
    for name, frame in real.items():
        if name == "sources":
            continue  # titles of the documents are quoted on purpose
        for column in set(TEXT_COLUMNS) & set(frame.columns):
            for row, text in frame[column].dropna().items():
                run = copied_run(str(text))
                if run:
                    copied.append(f"{name}.csv row {row} {column}: '{run}'")
    assert not copied, "\n".join(copied)


def test_coverage(real) -> None:
    ev = real["events"]
    in_2020 = ev[ev["date"].dt.year == 2020]
    assert len(in_2020) > 150
    counts = ev["theatre"].value_counts()
    assert (counts[["azerbaijan", "front", "iran", "armenia", "international"]] > 10).all(), counts
    assert ev["date"].min().year <= 1988 and ev["date"].max().year >= 2021
    assert (real["detentions"]["country"] == "IR").sum() > 80
    assert real["equipment_losses"]["status"].eq("stated-total").sum() >= 7
    assert set(real["casualties"]["side"].dropna()) >= {"armenia", "azerbaijan", "artsakh", "syria"}


#: Places the maps cannot show: no coordinates (could not be located), listed rather than guessed.
UNLOCATED = {"elamdar", "nadarlu"}
#: Places named in the sources that lie beyond the mapped region (Moscow, Vienna, Idlib...).
BEYOND = {
    "moscow",
    "lefortovo-prison",
    "idlib-province",
    "bursa",
    "osmangazi",
    "washington-dc",
    "new-york",
    "vienna",
    "dushanbe",
}


def test_coordinates_fall_inside_their_countrys_outline(real) -> None:
    """Every located place in the mapped region lies inside the Natural Earth outline of places.country."""
    places, geography = real["places"], real["geography"]
    assert set(places.loc[places["latitude"].isna(), "place_id"]) == UNLOCATED
    located = places.dropna(subset=["latitude", "longitude"])
    west, south, east, north = REGION
    inside = located["longitude"].between(west, east) & located["latitude"].between(south, north)
    assert set(located.loc[~inside, "place_id"]) == BEYOND
    bad = [
        f"{p.place_id}: {p.latitude}, {p.longitude} is in {country_at(geography, p.longitude, p.latitude)}, "
        f"not {p.country}"
        for p in located[inside].itertuples()
        if country_at(geography, p.longitude, p.latitude) != p.country
    ]
    assert not bad, "\n".join(bad)
    assert located["coord_precision"].notna().all()


def test_every_variant_points_at_a_first_version(real) -> None:
    ev = real["events"].set_index("event_id")
    roots = ev.loc[ev["variant_of"].dropna()]
    assert roots["variant_of"].isna().all(), "a variant must point at the first version, not at another variant"


@pytest.mark.parametrize(
    "article, valid",
    [
        ("Islamic Penal Code art. 607", True),
        ("Islamic Penal Code art. 607; Islamic Penal Code art. 618", True),
        ("Article 607 of the Islamic Penal Code", False),
        ("Islamic Penal Code, Article 607", False),
        ("art. 607", False),
    ],
)
def test_legal_articles_are_written_one_way(mini, article: str, valid: bool) -> None:
    from analysis import validate

    set_cell(mini, "sentences.csv", 1, "legal_article", article)
    report = validate(mini)
    flagged = [i for i in report.errors if i.column == "legal_article"]
    assert not flagged if valid else flagged and flagged[0].check == "pattern"
