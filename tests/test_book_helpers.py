"""Helpers behind the Introduction and the Sources chapter: data dictionary, downloads, reliance, glued phases."""

from __future__ import annotations

import json

from analysis import report
from analysis.data import data_dictionary, download_links
from analysis.sources import reliance_by_perspective, reliance_by_topic
from analysis.timeline import phases


def test_data_dictionary_lists_every_column_with_keys_and_vocabularies(mini) -> None:
    d = data_dictionary(mini).set_index(["file", "column"])
    declared = json.loads((mini / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    assert len(d) == sum(len(r["schema"]["fields"]) for r in declared)  # every field of every resource
    assert d.loc[("events.csv", "event_id"), "key"] == "primary key"
    assert d.loc[("events.csv", "place_id"), "key"] == "→ places.place_id"
    assert d.loc[("sources.csv", "source_id"), "required"] == "yes"
    assert d.loc[("events.csv", "date_precision"), "constraints"].startswith("one of: day, month")


def test_download_links_name_every_file_and_the_descriptor() -> None:
    text = download_links()
    assert text.count("{download}`") == 14  # 13 files (the map geography among them) and the descriptor
    assert "- {download}`events.csv <../data/events.csv>`: Events" in text.splitlines()


def test_reliance_shares_sum_to_one_per_topic(real) -> None:
    reliance = reliance_by_topic(real)
    assert reliance.groupby("topic")["share"].sum().round(9).eq(1).all()
    assert reliance["rows"].sum() == sum(
        len(t) for n, t in real.items() if n in {"relations", "equipment_losses", "loss_claims", "casualties",
                                                    "damage", "detentions", "sentences", "sentence_totals"}
    ) + real["events"]["theatre"].notna().sum()
    by_view = reliance_by_perspective(reliance).set_index(["topic", "perspective"])["share"]
    assert by_view[("rallies in Iran", "south-azerbaijani-activist")] == 1.0
    assert list(reliance_by_perspective(reliance)["topic"].cat.categories[:2]) == ["rallies in Iran",
                                                                                 "detentions and sentences"]


def test_glue_phases_glues_span_and_days(real, monkeypatch) -> None:
    import myst_nb

    glued = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=True: glued.__setitem__(name, repr(value)))
    names = report.glue_phases("t", phases(real["events"]))
    assert names["The 44-day war"] == "t-the-44-day-war"
    assert glued["t-the-44-day-war-span"] == "27 September – 10 November 2020"
    assert glued["t-the-44-day-war-days"] == "45"  # calendar days, both ends counted
