"""Damage to property (analysis.damage): each figure with its reporter, both sides' official counts side by side,
the protests' damage kept apart; on a hand-made table and on the real data."""

from __future__ import annotations

import pandas as pd

from analysis import damage as dm

ACTORS = pd.DataFrame(
    {
        "actor_id": ["azerbaijan", "prosecutor", "ombudsman-artsakh", "ministry", "monitor"],
        "name": ["Azerbaijan", "Prosecutor General", "Artsakh Ombudsman", "Interior Ministry", "A Monitor"],
        "kind": ["state", "government-body", "government-body", "government-body", "organisation"],
        "country": ["AZ", "AZ", "AZ", "AZ", "CH"],
    }
)
EVENTS = pd.DataFrame({"event_id": ["riot", "fire"], "category": pd.Series(["protest", "clash"], dtype="category")})


def _damage(rows: list[dict[str, object]]) -> pd.DataFrame:
    base: dict[str, object] = {
        "reported_by": pd.NA,
        "count": pd.NA,
        "qualifier": pd.NA,
        "value_amount": pd.NA,
        "value_currency": pd.NA,
        "as_of": pd.NaT,
        "event_id": pd.NA,
        "note": pd.NA,
        "source_id": "s",
        "locator": "Damage ¶1",
    }
    frame = pd.DataFrame([{**base, "damage_id": f"d{i}", **r} for i, r in enumerate(rows)])
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    return frame.astype({"count": "Int64", "value_amount": "Float64", "reported_by": "string", "event_id": "string"})


DAMAGE = _damage(
    [
        {
            "reported_by": "prosecutor",
            "side": "azerbaijan",
            "item": "houses",
            "status": "damaged",
            "count": 3410,
            "qualifier": "exact",
            "as_of": "2020-11-16",
        },
        {
            "reported_by": "prosecutor",
            "side": "azerbaijan",
            "item": "facilities",
            "status": "damaged",
            "count": 512,
            "qualifier": "exact",
            "as_of": "2020-11-16",
        },
        {
            "reported_by": "ombudsman-artsakh",
            "side": "artsakh",
            "item": "properties",
            "status": "destroyed",
            "count": 5800,
            "qualifier": "about",
        },
        {"side": "artsakh", "item": "homes in a city", "status": "destroyed", "event_id": "fire"},
        {
            "reported_by": "monitor",
            "side": "artsakh",
            "item": "a school",
            "status": "damaged",
            "count": 1,
            "qualifier": "exact",
        },
        {
            "reported_by": "ministry",
            "side": "azerbaijan",
            "item": "police cars",
            "status": "destroyed",
            "count": 2,
            "qualifier": "exact",
            "event_id": "riot",
        },
        {
            "reported_by": "ministry",
            "side": "azerbaijan",
            "item": "parliament fittings",
            "status": "damaged",
            "value_amount": 22150.0,
            "value_currency": "AZN",
            "event_id": "riot",
        },
    ]
)


def test_damage_tied_to_a_protest_event_is_the_protests_not_the_wars() -> None:
    assert list(dm.damage_scope(DAMAGE, EVENTS)) == ["war"] * 5 + ["protests"] * 2


def test_every_row_keeps_its_reporter_and_kind_and_its_figure_as_worded() -> None:
    war = dm.damage_table(DAMAGE, ACTORS, EVENTS).set_index("item")
    assert war.at["houses", "reported by"] == "Prosecutor General (official)"
    assert war.at["properties", "reported by"] == "Artsakh Ombudsman (official)"  # its own side: artsakh's camp
    assert war.at["properties", "figure"] == "about 5,800"
    assert war.at["homes in a city", "figure"] == "no figure"
    assert war.at["homes in a city", "reported by"] == "no reporter named"
    assert war.at["a school", "reported by"] == "A Monitor (third party)"
    assert war.at["houses", "as of"] == "2020-11-16" and pd.isna(war.at["properties", "as of"])
    assert list(dm.shown(war.reset_index())) == list(dm.COLUMNS)
    protests = dm.damage_table(DAMAGE, ACTORS, EVENTS, scope="protests").set_index("item")
    assert protests.at["parliament fittings", "figure"] == "22,150 AZN (value)"


def test_official_counts_stand_side_by_side_one_row_per_side_never_summed() -> None:
    official = dm.official_figures(dm.damage_table(DAMAGE, ACTORS, EVENTS)).set_index("whose property")
    assert list(official.index) == ["Azerbaijan", "Artsakh"]
    assert official.at["Azerbaijan", "what it counts"] == "3,410 houses damaged; 512 facilities damaged"
    assert official.at["Artsakh", "what it counts"] == "about 5,800 properties destroyed"
    assert official.at["Artsakh", "as of"] == "no date"
    assert "3922" not in official.to_string() and "3,922" not in official.to_string()  # 3,410 + 512 appears nowhere


def test_damage_figures_count_rows_and_name_each_sides_official_words() -> None:
    war = dm.damage_table(DAMAGE, ACTORS, EVENTS)
    figures = dm.damage_figures(war, dm.damage_table(DAMAGE, ACTORS, EVENTS, scope="protests"))
    assert figures["damage-rows"] == 5 and figures["damage-no-figure"] == 1 and figures["damage-protest-rows"] == 2
    assert figures["damage-official-sides"] == 2 and figures["damage-third-party"] == 1
    assert figures["damage-azerbaijan-official"] == "3,410 houses damaged; and 512 facilities damaged"
    assert figures["damage-azerbaijan-as-of"] == "16 November 2020"
    assert figures["damage-artsakh-as-of"] == "no date given"


def test_real_damage_shows_both_sides_official_figures_with_their_reporters(real: dict[str, pd.DataFrame]) -> None:
    """Infrastructure damage ¶1 of the war article: the Nagorno-Karabakh ombudsman's 5,800 private properties
    destroyed and Azerbaijan's Prosecutor General's 3,410 private houses damaged (16 November 2020)."""
    war = dm.damage_table(real["damage"], real["actors"], real["events"], real["sources"], real["relations"])
    official = dm.official_figures(war).set_index("whose property")
    assert set(official.index) == {"Azerbaijan", "Artsakh"}
    assert "5,800 private properties destroyed" in official.at["Artsakh", "what it counts"]
    assert official.at["Artsakh", "reported by"] == "Nagorno-Karabakh Human Rights Ombudsman"
    assert "3,410 private houses damaged" in official.at["Azerbaijan", "what it counts"]
    assert official.at["Azerbaijan", "reported by"].startswith("Prosecutor General's Office")
    assert official.at["Azerbaijan", "as of"] == "2020-11-16"
    protests = dm.damage_table(real["damage"], real["actors"], real["events"], scope="protests")
    figures = dm.damage_figures(war, protests)  # the chapter says no one counted the other side's property
    assert figures["damage-about-other-side"] == figures["damage-third-party"] == 0
    assert len(war) + len(protests) == len(real["damage"])
    assert not protests["item"].str.contains("Ganja|Stepanakert").any()
    assert protests["item"].str.contains("parliament").any()
