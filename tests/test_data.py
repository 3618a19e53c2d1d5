"""analysis.data: loading tables (exactly the named ones and what their keys point to), the data dictionary,
downloads."""

from __future__ import annotations

import json

import pytest
from conftest import set_cell

from analysis import DataError, load_tables
from analysis.data import data_dictionary, download_links


def test_returns_only_the_named_tables_typed(mini):
    tables = load_tables(["events", "sources"], mini)
    assert set(tables) == {"events", "sources"}
    assert str(tables["events"]["date"].dtype).startswith("datetime64")


def test_reads_nothing_outside_the_foreign_key_closure(mini):
    (mini / "sentences.csv").unlink()  # sentences is not referenced by events or its targets
    assert len(load_tables(["events"], mini)["events"]) > 0
    with pytest.raises(DataError, match="sentences.csv"):
        load_tables(["sentences"], mini)


def test_a_broken_reference_stops_the_load(mini):
    set_cell(mini, "events.csv", 1, "place_id", "atlantis")
    with pytest.raises(DataError, match=r"events.csv, row 1 .*'atlantis'"):
        load_tables(["events"], mini)
    (mini / "places.csv").unlink()
    with pytest.raises(DataError, match="places.csv"):
        load_tables(["events"], mini)


def test_unknown_table_names_the_known_ones(mini):
    with pytest.raises(KeyError, match="known: sources"):
        load_tables(["battles"], mini)


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
