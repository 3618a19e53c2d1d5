"""Checks on the real data that a schema cannot express: own words, coverage, plausible places."""

from __future__ import annotations


import pytest

from conftest import copied_run, set_cell

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


# Generous boxes around each country: a coordinate outside its country's box is a typo.
BOXES = {"AZ": (38.3, 41.95, 44.7, 50.7), "AM": (38.8, 41.35, 43.4, 46.7), "IR": (25.0, 39.8, 44.0, 63.4)}


def test_coordinates_fall_in_their_country(real) -> None:
    places = real["places"].dropna(subset=["latitude", "longitude"])
    bad = []
    for row, p in places.iterrows():
        box = BOXES.get(p["country"])
        if box and not (box[0] <= p["latitude"] <= box[1] and box[2] <= p["longitude"] <= box[3]):
            bad.append(f"places.csv row {row} {p['place_id']}: {p['latitude']}, {p['longitude']} not in {p['country']}")
    assert not bad, "\n".join(bad)
    assert places["coord_precision"].notna().all()


def test_every_variant_points_at_a_first_version(real) -> None:
    ev = real["events"].set_index("event_id")
    roots = ev.loc[ev["variant_of"].dropna()]
    assert roots["variant_of"].isna().all(), "a variant must point at the first version, not at another variant"


@pytest.mark.parametrize("article, valid", [
    ("Islamic Penal Code art. 607", True),
    ("Islamic Penal Code art. 607; Islamic Penal Code art. 618", True),
    ("Article 607 of the Islamic Penal Code", False),
    ("Islamic Penal Code, Article 607", False),
    ("art. 607", False),
])
def test_legal_articles_are_written_one_way(mini, article: str, valid: bool) -> None:
    from analysis import validate

    set_cell(mini, "sentences.csv", 1, "legal_article", article)
    report = validate(mini)
    flagged = [i for i in report.errors if i.column == "legal_article"]
    assert not flagged if valid else flagged and flagged[0].check == "pattern"
