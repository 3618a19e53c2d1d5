"""Casualty figures: who reported them (reporter kinds), pivots that never add figures up, time series, helpers.

The real-data answers can be checked in the Wikipedia article on the war (wp-karabakh-war-2020):
Azerbaijan's official military death toll of 2,906 and Armenia's official 3,825 (Casualties ¶1);
the Azerbaijani claim of more than 5,000 Armenian soldiers dead and SOHR's 541 Syrian fighters
(Military ¶1); the exchange of 44 and 12 prisoners on 15 December 2020 (Ceasefire agreement ¶1).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import casualties as cs
from analysis import load_all


@pytest.fixture(scope="module")
def table(real: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return cs.casualty_table(real["casualties"], real["actors"], real["sources"])


def by_id(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("casualty_id")


# --------------------------------------------------------------------------- hand-made frames

ACTORS = pd.DataFrame([
    ("azerbaijan", "Azerbaijan", "state", "AZ"),
    ("armenia", "Armenia", "state", "AM"),
    ("artsakh", "Republic of Artsakh", "state", "AZ"),
    ("az-mod", "Defence Ministry (AZ)", "government-body", "AZ"),
    ("nk-army", "Artsakh Defence Army", "armed-force", "AZ"),
    ("nk-office", "Karabakh press office", "government-body", "AZ"),  # Artsakh only by its ties
    ("nk-spokesman", "A Spokesman", "person", "AZ"),
    ("am-expert", "An Armenian Analyst", "person", "AM"),
    ("az-leader", "An Azerbaijani President", "person", "AZ"),
    ("ru-mfa", "Russian Foreign Ministry", "government-body", "RU"),
    ("ru-blogger", "A Russian Blogger", "person", "RU"),
    ("monitor", "A Monitor", "organisation", "GB"),
    ("un", "United Nations", "organisation", pd.NA),
], columns=["actor_id", "name", "kind", "country"])

RELATIONS = pd.DataFrame([
    ("nk-office", "nk-army", "part-of"),
    ("nk-army", "artsakh", "part-of"),
    ("nk-spokesman", "nk-office", "member-of"),
    ("az-leader", "azerbaijan", "leader-of"),
    ("am-expert", "armenia", "blamed"),
], columns=["source_actor_id", "target_actor_id", "relation"])

SOURCES = pd.DataFrame({"source_id": ["enc", "gov"], "perspective": ["encyclopedic", "azerbaijani-government"]})


def casualties_frame(rows: list[tuple[str, str, str, int, object, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["casualty_id", "side", "measure", "count", "reported_by", "as_of"])
    frame["group"] = "military"
    frame["count"] = frame["count"].astype("Int64")
    frame["count_max"] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    frame["qualifier"] = "exact"
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    frame["reported_by"] = frame["reported_by"].astype("string")
    frame["period"] = "war"
    frame["source_id"] = "enc"
    frame["locator"] = "¶1"
    return frame


# --------------------------------------------------------------------------- camps and reporter kinds

def test_actor_camps() -> None:
    plain = cs.actor_camps(ACTORS)
    assert plain["artsakh"] == plain["armenia"] == plain["nk-army"] == "armenia-artsakh"  # 'Artsakh' in the name
    assert plain["nk-office"] == "azerbaijan"  # country AZ, nothing else known without relations
    assert plain["ru-mfa"] == "RU" and pd.isna(plain["un"])
    tied = cs.actor_camps(ACTORS, RELATIONS)
    assert tied["nk-office"] == tied["nk-spokesman"] == "armenia-artsakh"  # members of members
    assert tied["am-expert"] == "armenia-artsakh"  # 'blamed' is no membership: by country


@pytest.mark.parametrize(("side", "reporter", "relations", "kind"), [
    ("azerbaijan", "az-mod", False, "official"),
    ("azerbaijan", "azerbaijan", False, "official"),
    ("azerbaijan", "armenia", False, "other side"),
    ("azerbaijan", "nk-army", False, "other side"),
    ("armenia", "azerbaijan", False, "other side"),
    ("artsakh", "armenia", False, "official"),  # one camp
    ("artsakh", "nk-army", False, "official"),
    ("armenia", "am-expert", False, "own side"),
    ("armenia", "nk-office", False, "other side"),  # an AZ-coded body, unless its ties say otherwise
    ("armenia", "nk-office", True, "official"),
    ("armenia", "nk-spokesman", True, "own side"),
    ("azerbaijan", "az-leader", False, "own side"),
    ("azerbaijan", "az-leader", True, "official"),  # a head of state speaks for the state
    ("russia", "ru-mfa", False, "official"),
    ("russia", "ru-blogger", False, "own side"),
    ("russia", "azerbaijan", False, "third party"),
    ("syria", "monitor", False, "third party"),
    ("azerbaijan", "un", False, "third party"),
    ("both", "az-mod", False, "official"),
    ("both", "am-expert", False, "own side"),
    ("both", "monitor", False, "third party"),
    ("other", "azerbaijan", False, "third party"),
    ("azerbaijan", None, False, "unattributed"),
])
def test_reporter_kinds(side: str, reporter: str | None, relations: bool, kind: str) -> None:
    rows = casualties_frame([("c1", side, "killed", 1, reporter, None)])
    out = cs.casualty_table(rows, ACTORS, SOURCES, RELATIONS if relations else None)
    assert out.loc[0, "reporter_kind"] == kind
    expected_name = ACTORS.set_index("actor_id").loc[reporter, "name"] if reporter else None
    assert (pd.isna(out.loc[0, "reporter"]) and expected_name is None) or out.loc[0, "reporter"] == expected_name


def test_casualty_table_columns_and_perspective(mini: Path) -> None:
    t = load_all(mini)
    out = cs.casualty_table(t["casualties"], t["actors"], t["sources"])
    assert list(out.columns) == list(cs.COLUMNS)
    assert out["reporter_kind"].tolist() == ["official"] * 3
    assert out["perspective"].eq("encyclopedic").all() and out["reporter"].tolist()[:2] == ["Azerbaijan"] * 2
    assert list(out["reporter_kind"].cat.categories) == list(cs.REPORTER_KINDS)


# --------------------------------------------------------------------------- real known answers

def test_real_official_figures(table: pd.DataFrame) -> None:
    t = by_id(table)
    assert t.loc["h002b-k003", ["count", "reporter", "reporter_kind"]].tolist() == [2906, "Azerbaijan", "official"]
    assert t.loc["h002b-k001", ["count", "reporter", "reporter_kind"]].tolist() == [3825, "Armenia", "official"]
    assert t.loc["h002b-k007", "reporter_kind"] == "official"  # the Prosecutor General's Office
    assert t.loc["h002b-k010", "reporter_kind"] == "official"  # Armenia on displaced people of Artsakh
    assert t.loc["h002b-k003", "source_id"] == "wp-karabakh-war-2020" and t.loc["h002b-k003", "locator"] == "Casualties ¶1"


def test_real_claims_and_third_parties(table: pd.DataFrame) -> None:
    t = by_id(table)
    claim = t.loc["h002b-k017"]  # Azerbaijani authorities: more than 5,000 Armenian soldiers dead
    assert (claim["side"], claim["count"], claim["qualifier"], claim["reporter_kind"]) == (
        "armenia", 5000, "more-than", "other side")
    assert t.loc["h002b-k029", ["count", "reporter_kind"]].tolist() == [7630, "other side"]
    sohr = t.loc["h002b-k030"]
    assert (sohr["count"], sohr["reporter"], sohr["reporter_kind"]) == (
        541, "Syrian Observatory for Human Rights", "third party")
    assert t.loc["h002b-k018", "reporter_kind"] == "own side"  # a former Armenian security chief's estimate
    assert t.loc["h002a-c001", "reporter_kind"] == "unattributed" and pd.isna(t.loc["h002a-c001", "reporter"])
    assert t.loc["h004-c001", "perspective"] == "azerbaijani-government"
    assert t.loc["h000-c005", "perspective"] == "journalistic"


def test_real_relations_refine_a_head_of_state(real: dict[str, pd.DataFrame], table: pd.DataFrame) -> None:
    tied = by_id(cs.casualty_table(real["casualties"], real["actors"], real["sources"], real["relations"]))
    assert by_id(table).loc["h002b-k028", "reporter_kind"] == "own side"
    assert tied.loc["h002b-k028", "reporter_kind"] == "official"  # Ilham Aliyev, leader of Azerbaijan
    changed = (tied["reporter_kind"] != by_id(table)["reporter_kind"]).sum()
    assert changed == 1


def test_exchanges(table: pd.DataFrame) -> None:
    swapped = cs.exchanges(table)
    assert swapped[["side", "count"]].astype(str).values.tolist() == [["armenia", "44"], ["azerbaijan", "12"]]
    assert swapped["as_of"].eq(pd.Timestamp("2020-12-15")).all()
