"""The two loss chapters: the helpers added to analysis.casualties and analysis.losses, and the notebooks themselves.

Real-data answers can be checked in the Wikipedia article on the war (wp-karabakh-war-2020): Oryx's
255 Armenian tanks and 737/736 trucks (Equipment losses ¶1), Azerbaijan's 2,906 against 2,853 dead and
6 against 50 missing (Casualties ¶1, Military ¶1), 44 and 12 prisoners exchanged on 15 December 2020
(Ceasefire agreement ¶1); about 725,000 against more than 600,000 displaced (Eurasianet, Lead ¶2).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from analysis import casualties as cs
from analysis import charts
from analysis import losses as ls
from analysis.discrepancies import casualty_figures, discrepancy_register, totals_vs_parts
from conftest import shared_runs

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
CHAPTERS = ("human-losses", "equipment-losses")


@pytest.fixture(scope="module")
def table(real: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return cs.casualty_table(real["casualties"], real["actors"], real["sources"], real["relations"])


# --------------------------------------------------------------------------- hand-made casualty frames

def figures_frame(rows: list[tuple]) -> pd.DataFrame:
    """A casualty_table()-like frame: (id, side, group, measure, count, count_max, qualifier, reporter, kind, as_of)."""
    frame = pd.DataFrame(rows, columns=["casualty_id", "side", "group", "measure", "count", "count_max", "qualifier",
                                        "reporter", "reporter_kind", "as_of"])
    frame["count"] = frame["count"].astype("Int64")
    frame["count_max"] = frame["count_max"].astype("Int64")
    frame["reported_by"] = frame["reporter"].str.lower()
    frame["reporter"] = frame["reporter"].astype("string")
    frame["reporter_kind"] = pd.Categorical(frame["reporter_kind"], categories=cs.REPORTER_KINDS)
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    frame["period"] = "war"
    frame["note"] = pd.NA
    frame["source_id"] = "enc"
    frame["locator"] = [f"¶{i + 1}" for i in range(len(frame))]
    return frame


FIGS = figures_frame([
    ("a", "azerbaijan", "military", "killed", 2906, None, "exact", "Azerbaijan", "official", None),
    ("b", "azerbaijan", "military", "killed", 2853, None, "exact", "Azerbaijan", "official", None),
    ("c", "azerbaijan", "military", "killed", 7630, None, "exact", "Armenia", "other side", None),
    ("d", "armenia", "military", "killed", 5000, None, "more-than", "Azerbaijan", "other side", "2020-10-28"),
    ("e", "armenia", "civilian", "displaced", 300000, 500000, "range", None, "unattributed", None),
    ("f", "armenia", "military", "exchanged", 44, None, "exact", None, "unattributed", "2020-12-15"),
])


def test_labelled_names_the_reporter_and_its_kind() -> None:
    out = cs.labelled(FIGS).set_index("casualty_id")
    assert out.at["c", "reported by"] == "Armenia (other side)"
    assert out.at["e", "reported by"] == "no reporter named"
    assert out.at["d", "figure"] == "more than 5,000"


def test_compare_filters_orders_and_makes_labels_unique() -> None:
    out = cs.compare(FIGS, ("killed",), ("military",))
    assert list(out["casualty_id"]) == ["a", "b", "c", "d"]  # Azerbaijan first; official before other side
    assert out["label"].is_unique
    # 2,906 and 2,853 share side, reporter and period: the place in the source tells them apart
    assert out.set_index("casualty_id").at["a", "label"].endswith("¶1")
    assert "military" not in out.set_index("casualty_id").at["c", "label"]  # one group: not repeated
    mixed = cs.compare(FIGS, ("killed", "exchanged"), ("military",), sides=("armenia",))
    assert set(mixed["casualty_id"]) == {"d", "f"} and mixed["label"].str.contains("exchanged").any()
    dated = cs.compare(FIGS, ("displaced",), ("civilian",), with_period=True)
    assert dated["label"].iloc[0].endswith("[war]")


def test_short_labels_fall_back_to_a_number_when_nothing_differs() -> None:
    twins = pd.concat([FIGS.iloc[[0]], FIGS.iloc[[0]]], ignore_index=True)
    labels = cs.short_labels(cs.labelled(twins))
    assert labels.is_unique and labels.str.contains("#2").any()


def test_headline_takes_the_largest_figure_of_one_kind_never_a_sum() -> None:
    assert cs.headline(FIGS, "azerbaijan", "military", "killed", "official") == "2,906"  # not 5,759
    assert cs.headline(FIGS, "azerbaijan", "military", "killed", "third party") == ""


def test_distinct_figures_keeps_a_repeated_figure_once_with_both_places() -> None:
    twice = figures_frame([
        ("a", "armenia", "military", "killed", 3825, None, "exact", "Armenia", "official", None),
        ("b", "armenia", "military", "killed", 3825, None, "exact", "Armenia", "official", None),
        ("c", "armenia", "military", "killed", 3800, None, "exact", "Armenia", "official", None),
    ])
    distinct = cs.distinct_figures(twice)
    assert list(distinct["casualty_id"]) == ["a", "c"]
    assert list(distinct["locator"]) == ["¶1; ¶2", "¶3"]


def test_the_real_data_holds_each_figure_once(table: pd.DataFrame) -> None:
    assert len(cs.distinct_figures(table)) == len(table)  # one fact, one row: repeats are one row with both places
    armenia = table[(table["side"] == "armenia") & (table["group"] == "military") & (table["measure"] == "killed")
                    & (table["reporter_kind"] == "official")]
    assert len(armenia) == 1 and armenia["locator"].iloc[0] == "Casualties ¶1; Military ¶1"


def test_reporter_matrix_shows_words_and_how_many_figures_a_cell_holds(table: pd.DataFrame) -> None:
    matrix = cs.reporter_matrix(table).set_index(["side", "group", "measure"])
    assert matrix.at[("Azerbaijan", "military", "killed"), "official"] == "2,906 (largest of 4)"
    assert matrix.at[("Azerbaijan", "military", "killed"), "other side"] == "7,630"
    assert matrix.at[("Armenia", "military", "killed"), "other side"] == "more than 5,000"
    assert pd.isna(matrix.at[("Armenia", "military", "killed"), "third party"])


def test_reporters_per_side_counts_figures_not_people(table: pd.DataFrame) -> None:
    per = cs.reporters_per_side(table).set_index("side")
    assert per["all figures"].sum() == len(cs.distinct_figures(table))
    assert per.at["Syria", "third party"] == 2
    kinds = cs.reporter_kind_counts(table)
    assert list(kinds.index) == list(cs.REPORTER_KINDS) and kinds.sum() == per["all figures"].sum()


def test_dated_figures_are_sorted_and_undated_ones_left_out(table: pd.DataFrame) -> None:
    dated = cs.dated(table)
    assert dated["as_of"].notna().all() and dated["as_of"].is_monotonic_increasing
    assert len(dated) == cs.distinct_figures(table)["as_of"].notna().sum()


def test_register_figures_show_the_mod_and_displacement_disputes(real, table: pd.DataFrame) -> None:
    disputes = cs.register_figures(discrepancy_register(casualty_figures(real)), table)
    assert cs.dispute_figures(disputes, "azerbaijan", "military", "killed") == ["2,906", "2,853"]
    assert cs.dispute_figures(disputes, "azerbaijan", "military", "missing") == ["6", "50"]
    assert cs.dispute_figures(disputes, "azerbaijan", "civilian", "displaced") == ["about 725,000", "more than 600,000"]
    assert disputes["dispute"].nunique() == 3
    with pytest.raises(KeyError, match="no disputed figure"):
        cs.dispute_figures(disputes, "armenia", "military", "killed")


def test_figure_range(table: pd.DataFrame) -> None:
    deserted = cs.compare(table, ("deserted",), ("military",))
    assert cs.figure_range(deserted) == ("1,500", "more than 10,000")
    with pytest.raises(ValueError):
        cs.figure_range(deserted.iloc[0:0])


def test_exchange_events_find_prisoners_and_bodies_not_state_bodies(real) -> None:
    events = cs.exchange_events(real["events"])
    titles = " | ".join(events["title"])
    assert "Prisoner-of-war exchange" in titles and "bodies" in titles
    assert "Student Movement" not in titles and "martial law" not in titles
    assert events["date"].is_monotonic_increasing


def test_shown_keeps_the_reader_columns(table: pd.DataFrame) -> None:
    out = cs.shown(cs.compare(table, ("exchanged",), ("military",)))
    assert list(out.columns) == list(cs.SHOWN)
    assert set(out["as of"]) == {"2020-12-15"} and set(out["figure"]) == {"44", "12"}


def test_figure_bars_one_bar_per_figure_coloured_by_reporter_kind() -> None:
    frame = cs.compare(FIGS, ("killed", "displaced"), ("military", "civilian"))
    fig = cs.figure_bars(frame, "A finding", "Source: x")
    assert isinstance(fig, go.Figure)
    bars = [t for t in fig.data if isinstance(t, go.Bar)]
    assert sum(len(t.y) for t in bars) == len(frame)
    labels = next(t for t in fig.data if isinstance(t, go.Scatter))
    assert list(labels.text) == ["300,000–500,000"] and list(labels.x) == [500000]  # past the range's high end
    for trace in bars:
        assert trace.marker.color == charts.REPORTER_COLOURS[trace.name]
        assert "customdata[2]" in trace.hovertemplate  # source id in the hover text
    ranged = next(t for t in fig.data if t.name == "unattributed")
    assert ranged.error_x.visible and 200000 in ranged.error_x.array
    assert fig.layout.xaxis.title.text == "People (as reported)"
    assert fig.layout.meta["source"] == "Source: x"


def test_dated_chart_places_every_dated_figure() -> None:
    dated = cs.labelled(FIGS[FIGS["as_of"].notna()])
    fig = cs.dated_chart(dated, "Only two", "Source: x")
    assert sum(len(t.x) for t in fig.data) == 2
    assert fig.layout.xaxis.title.text == "Date of the figure"


def test_reporter_colours_come_from_the_palette() -> None:
    assert set(charts.REPORTER_COLOURS) == set(cs.REPORTER_KINDS)
    assert set(charts.REPORTER_COLOURS.values()) <= set(charts.OKABE_ITO.values())
    assert len(set(charts.REPORTER_COLOURS.values())) == len(charts.REPORTER_COLOURS)


def test_plot_height() -> None:
    assert charts.plot_height(["a", "b<br>c"], line_px=10, row_pad=5) == 15 + 25


# --------------------------------------------------------------------------- equipment, hand-made

EQUIP = pd.DataFrame({
    "documenter": ["oryx"] * 8 + ["bbc"],
    "side": ["armenia"] * 4 + ["azerbaijan"] * 4 + ["armenia"],
    "category": ["tanks", "tanks", "tanks", "trucks-and-vehicles", "tanks", "tanks", "tanks", "aircraft", "other"],
    "status": ["destroyed", "captured", "stated-total", "destroyed", "destroyed", "captured-then-lost",
               "stated-total", "stated-total", "destroyed"],
    "count": pd.array([10, 5, 16, 7, 2, 1, 2, 11, 1], dtype="Int64"),
    "note": ["n"] * 9, "source_id": "s", "locator": "l",
})


def test_documented_count_and_stated_total() -> None:
    assert ls.documented_count(EQUIP, "armenia", "tanks") == 15
    assert ls.documented_count(EQUIP, "armenia", "tanks", status="captured") == 5
    assert ls.documented_count(EQUIP, "azerbaijan", "drones") == 0
    assert ls.stated_total(EQUIP, "armenia", "tanks") == 16
    assert ls.stated_total(EQUIP, "armenia", "trucks-and-vehicles") is None


def test_documented_long_keeps_a_total_without_parts_and_drops_other_totals() -> None:
    long = ls.documented_long(EQUIP)
    assert set(long["status"]) == {"destroyed", "captured", "captured-then-lost", "stated-total"}
    totals = long[long["status"] == "stated-total"]
    assert list(totals["category"]) == ["aircraft"]  # Armenian and Azerbaijani tank totals have parts
    assert long["label"].iloc[0] == "Azerbaijan: tanks"  # sides in the book's order, as in every chart
    assert "bbc" not in set(long["source_id"]) and len(long) == 6


def test_documented_bars_use_the_status_colours_and_carry_sources() -> None:
    fig = ls.documented_bars(ls.documented_long(EQUIP), "Finding", "Source: x")
    bars = [t for t in fig.data if isinstance(t, go.Bar)]
    for trace in bars:
        status = "stated-total" if trace.name.startswith("stated total") else trace.name
        assert trace.marker.color == charts.STATUS_COLOURS[status]
        assert "customdata[0]" in trace.hovertemplate
    assert fig.layout.barmode == "stack"
    labels = next(t for t in fig.data if isinstance(t, go.Scatter)).text
    assert "15" in labels  # the bar's total is the sum of its parts


def test_totals_table_writes_out_parts_and_differences() -> None:
    out = ls.totals_table(EQUIP).set_index(["side", "category"])
    assert out.at[("Armenia", "tanks"), "parts as listed"] == "10 destroyed + 5 captured"
    assert out.at[("Armenia", "tanks"), "stated − parts"] == 1
    assert out.at[("Azerbaijan", "tanks"), "stated − parts"] == -1
    assert out.at[("Azerbaijan", "tanks"), "parts without captured-then-lost"] == 2
    assert out.at[("Azerbaijan", "aircraft"), "parts as listed"] == "no breakdown given"
    assert ls.totals_summary(ls.totals_table(EQUIP)) == {"stated totals": 3, "with parts": 2, "disagree": 2}
    empty = ls.totals_table(EQUIP[EQUIP["status"] != "stated-total"])
    assert empty.empty and "stated − parts" in empty.columns


def test_ratio_table_and_category_ratio() -> None:
    out = ls.ratio_table(EQUIP).set_index("category")
    assert out.at["tanks", "ratio (parts)"] == 5.0  # 15 / 3
    assert out.at["tanks", "ratio (stated totals)"] == 8.0  # 16 / 2
    assert ls.category_ratio(EQUIP, "tanks") == 5.0 and ls.category_ratio(EQUIP, "tanks", basis="stated") == 8.0
    with pytest.raises(ZeroDivisionError):
        ls.category_ratio(EQUIP, "trucks-and-vehicles")
    with pytest.raises(ValueError):
        ls.category_ratio(EQUIP, "tanks", basis="guess")


def test_other_documenters_are_listed_apart() -> None:
    out = ls.other_documenters(EQUIP)
    assert list(out["documenter"]) == ["bbc"] and out["count"].iloc[0] == 1


@pytest.mark.parametrize("category, item, scope", [
    ("armoured-fighting-vehicles", "tanks and other armoured vehicles destroyed", ("tanks", "armoured-fighting-vehicles")),
    ("armoured-fighting-vehicles", "armoured vehicles", ("armoured-fighting-vehicles",)),
    ("tanks", "T-72 tanks destroyed", ("tanks",)),
    ("drones", "UAVs downed", ("drones",)),
])
def test_claim_scope(category: str, item: str, scope: tuple[str, ...]) -> None:
    assert ls.claim_scope(category, item) == scope


ACTORS = pd.DataFrame({"actor_id": ["azerbaijan", "armenia", "artsakh-defence-army"],
                       "name": ["Azerbaijan", "Armenia", "Artsakh Defence Army"],
                       "kind": ["state", "state", "armed-force"], "country": ["AZ", "AM", "AZ"]})


def claims_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "claimant": ["azerbaijan", "azerbaijan", "artsakh-defence-army"],
        "about_side": ["armenia", "armenia", "azerbaijan"],
        "as_of": pd.to_datetime(["2020-10-07", "2020-10-14", None]),
        "claimed_item": ["tanks and other armoured vehicles", "drones", "tanks"],
        "category": ["armoured-fighting-vehicles", "drones", "tanks"],
        "count": pd.array([250, 18, 5], dtype="Int64"), "count_max": pd.array([None] * 3, dtype="Int64"),
        "qualifier": ["about", "exact", "exact"], "note": [pd.NA] * 3, "source_id": "s", "locator": "l"})


def test_claims_compared_sets_each_claim_beside_what_it_covers() -> None:
    equip = pd.concat([EQUIP, EQUIP.iloc[[0]].assign(category="armoured-fighting-vehicles", count=3)],
                      ignore_index=True)
    out = ls.claims_compared(claims_frame(), equip, ACTORS)
    by_item = out.set_index("claimed item")
    assert by_item.at["tanks and other armoured vehicles", "documented"] == 18  # 15 tanks + 3 AFVs
    assert by_item.at["tanks and other armoured vehicles", "claim"] == "about 250"
    assert by_item.at["tanks and other armoured vehicles", "as of"] == "7 Oct 2020"
    assert pd.isna(by_item.at["drones", "documented"])
    assert by_item.at["drones", "set against"] == "no documented count"
    assert by_item.at["tanks", "claimant"] == "Artsakh Defence Army" and by_item.at["tanks", "camp"] == "armenia-artsakh"
    assert by_item.at["tanks", "documented in"] == "s, l"
    summary = ls.claims_summary(out)
    assert summary == {"claims": 3, "by azerbaijan": 2, "by armenia-artsakh": 1, "comparable": 2, "below": 0,
                       "above": 2}
    assert ls.claims_headline(summary, "Oryx") == "All 2 claims that can be set beside a count by Oryx are above it"
    assert "1 are below" in ls.claims_headline({**summary, "below": 1, "above": 1}, "Oryx")


def test_claims_chart_shows_claims_in_the_claimants_colours_beside_the_documented_count() -> None:
    equip = pd.concat([EQUIP, EQUIP.iloc[[0]].assign(category="armoured-fighting-vehicles", count=3)],
                      ignore_index=True)
    out = ls.claims_compared(claims_frame(), equip, ACTORS)
    fig = ls.claims_chart(out, "Oryx", "Title", "Source: x")
    names = [t.name for t in fig.data]
    assert names[0] == "Oryx, visually confirmed" and fig.data[0].marker.color == charts.DOCUMENTED_COLOUR
    assert {"claim by Azerbaijan", "claim by Armenia or Artsakh"} <= set(names)
    assert len(fig.data[0].y) == int(out["documented"].notna().sum())


# --------------------------------------------------------------------------- equipment, real data

def test_real_equipment_as_the_article_gives_it(real) -> None:
    equipment = real["equipment_losses"]
    assert ls.documented_count(equipment, "armenia", "tanks") == 255
    assert ls.stated_total(equipment, "armenia", "trucks-and-vehicles") == 737
    assert ls.documented_count(equipment, "armenia", "trucks-and-vehicles") == 736
    totals = ls.totals_table(equipment).set_index(["side", "category"])
    assert totals.at[("Azerbaijan", "tanks"), "parts without captured-then-lost"] == 62
    assert totals.at[("Azerbaijan", "armoured fighting vehicles"), "stated − parts"] == -2
    summary = ls.totals_summary(ls.totals_table(equipment))
    assert summary["disagree"] == len(totals_vs_parts(real)) == 3
    assert ls.category_ratio(equipment, "tanks") == 4.05 and ls.category_ratio(equipment, "tanks", "stated") == 4.11


def test_real_claims_against_oryx(real) -> None:
    out = ls.claims_compared(real["loss_claims"], real["equipment_losses"], real["actors"])
    assert len(out) == len(real["loss_claims"])
    big = out[out["claim"] == "about 250"].iloc[0]
    assert big["documented"] == 255 + 78 and big["claimant"] == "Azerbaijan"
    summary = ls.claims_summary(out)
    assert summary["comparable"] == 7 and summary["by azerbaijan"] + summary["by armenia-artsakh"] == len(out)


# --------------------------------------------------------------------------- the notebooks

def notebook(stem: str) -> dict:
    return json.loads((BOOK / f"{stem}.ipynb").read_text(encoding="utf-8"))


@pytest.mark.parametrize("stem", CHAPTERS)
def test_first_code_cell_loads_exactly_the_declared_tables(stem: str) -> None:
    nb = notebook(stem)
    declared = nb["metadata"]["karabakh"]["data"]
    assert "sources" in declared
    first = next("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    match = re.fullmatch(r"from analysis\.data import load_tables\n\ntables = load_tables\((\[.*?\])\)", first.strip(),
                         flags=re.S)
    assert match, first
    assert json.loads(match.group(1)) == declared


@pytest.mark.parametrize("stem", CHAPTERS)
def test_notebook_glue_names_are_prefixed_and_every_glue_role_is_defined(stem: str) -> None:
    nb = notebook(stem)
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    prose = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    glued = {o["metadata"]["scrapbook"]["name"] for c in nb["cells"] if c["cell_type"] == "code"
             for o in c.get("outputs", []) if "scrapbook" in o.get("metadata", {})}
    assert set(re.findall(r'glue_words\(\s*f?"([^"]+)"', code)) <= glued
    assert glued and all(name.startswith(f"{stem}-") for name in glued)
    used = set(re.findall(r"\{glue\}`([^`]+)`", prose))
    assert used <= glued, used - glued
    outputs = "".join("".join(o.get("data", {}).get("text/html", "")) for c in nb["cells"]
                      if c["cell_type"] == "code" for o in c.get("outputs", []))
    blocks = re.findall(r'id="(?:figure|table)-([a-z0-9-]+)"', outputs)
    assert blocks and all(name.startswith(f"{stem}-") for name in blocks), blocks


@pytest.mark.parametrize("stem", CHAPTERS)
def test_prose_types_no_figure_by_hand(stem: str) -> None:
    """Numbers in the prose come from glue; the only digits typed are in names, section marks and years."""
    prose = "\n".join("".join(c["source"]) for c in notebook(stem)["cells"] if c["cell_type"] == "markdown")
    prose = re.sub(r"\{glue\}`[^`]+`", "", prose)
    prose = re.sub(r"\]\([^)]+\)", "]", prose)  # link targets
    stray = [n for n in re.findall(r"(?<![\w-])\d+(?:[,.]\d+)*", prose) if n not in {"2020", "44"}]
    assert not stray, stray


@pytest.mark.parametrize("stem", CHAPTERS)
def test_notebook_outputs_are_stored_without_errors(stem: str) -> None:
    nb = notebook(stem)
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert outputs, "run book/_ext/run_chapters.py to store the outputs"
    assert not [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
    html = "".join("".join(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "cdn." not in html and "Traceback" not in html


@pytest.mark.parametrize("stem", CHAPTERS)
def test_prose_is_in_our_own_words(stem: str) -> None:
    """No run of 10 words in the chapter's prose repeats a source document (checked against the committed fingerprints)."""
    prose = "\n".join("".join(c["source"]) for c in notebook(stem)["cells"] if c["cell_type"] == "markdown")
    copied = [" ".join(run) for _, run in shared_runs(prose, 10)]
    assert not copied, copied
