"""load_tables reads exactly the named tables and what their foreign keys point to."""

from __future__ import annotations

import pytest

from analysis import DataError, load_tables
from conftest import set_cell


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
