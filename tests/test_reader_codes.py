"""No internal codes in what a reader sees (issue 13.3), checked on the chapters' stored outputs.

Source ids, row ids, module or function names and vocabulary slugs belong to the CSVs and the code;
pages name documents by short title (linked to the Sources page) and values by their labels. The
browser test (test_browser.test_no_internal_codes_in_visible_text) checks the built pages; this one
reads the notebooks, so it runs in a second, without a build.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from analysis import charts, report
from analysis.codes import (
    CHECK_LABELS,
    code_patterns,
    find_codes,
    reader_subject,
    stored_reader_text,
    visible_html_text,
)

CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))


@pytest.fixture(scope="module")
def patterns():
    return code_patterns()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("as told by hasanbayli-south-az, p. 3", "source id"),
        ("row h000-d002 of the file", "row id"),
        ("row h002b-l031", "row id"),
        ("the total st-fn26", "row id"),
        ("subject event_id=2020-07-13-gobu-dispersal", "row id"),
        ("from analysis.discrepancies.named_vs_stated", "module or function name"),
        ("called charts.source_line here", "module or function name"),
        ("the legend says south-azerbaijani-activist", "vocabulary slug"),
        ("status captured-then-lost", "vocabulary slug"),
        ("check: named-vs-stated", "vocabulary slug"),
    ],
)
def test_each_kind_of_code_is_found(patterns, text: str, kind: str) -> None:
    assert kind in {k for k, _ in find_codes(text, patterns)}, text


@pytest.mark.parametrize(
    "text",
    [
        "The 44-day war began on 27 September 2020 in Nagorno-Karabakh.",
        "Source: Wikipedia, Second Nagorno-Karabakh War; Həsənbəyli, actions in Iran",
        "Download sources.csv or open sources.ipynb; self-propelled artillery, at least 100.",
        "A pro-Azerbaijani report; a well-known, long-running dispute.",
    ],
)
def test_reader_words_are_not_codes(patterns, text: str) -> None:
    assert find_codes(text, patterns) == []


def test_visible_text_reads_plotly_strings_and_skips_deliberate_places() -> None:
    fragment = (
        '<p class="k20-caption">A caption</p><p>In the data files: <code class="k20-code">wp-protests-2020</code></p>'
        '<script>Plotly.newPlot("plot-x", [{"name": "armed-force", "type": "bar", "marker": {"color": "#000"}}])'
        "</script><img alt=\"h000-d002\" src='x'>"
    )
    text = visible_html_text(fragment)
    assert "A caption" in text and "armed-force" in text and "h000-d002" in text
    assert "wp-protests-2020" not in text and "plot-x" not in text and "bar" not in text.split("\n")


def test_figures_and_tables_show_short_titles_and_labels_not_ids() -> None:
    sources = pd.read_csv(ROOT / "data" / "sources.csv")
    line = charts.source_line(["hasanbayli-south-az"], sources)
    frame = pd.DataFrame({"source_id": ["hasanbayli-south-az; wp-protests-2020"], "status": ["captured-then-lost"]})
    block = report.table(frame, "demo", "Demo.", source=line)
    assert "hasanbayli-south-az" not in visible_html_text(block.html)
    assert "<th>source</th>" in block.html and "<td>captured, then lost</td>" in block.html
    assert 'href="sources.html#source-hasanbayli-south-az"' in block.html  # the source line links its entry
    with pytest.raises(ValueError, match="must start 'Source: '"):
        report.table(frame, "demo", "Demo.", source="hasanbayli-south-az")


def test_validator_subjects_read_as_words() -> None:
    events = pd.DataFrame({"event_id": ["2020-07-13-gobu-dispersal"], "title": ["Police break up the Gobu protest"]})
    text = reader_subject(
        "detentions.csv: two figures for the detainees of event_id=2020-07-13-gobu-dispersal", events, {}
    )
    assert text == "two figures for the detainees of 'Police break up the Gobu protest'"
    assert set(CHECK_LABELS) >= {"named-vs-stated", "event-date", "total-vs-parts"}


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_stored_outputs_show_no_internal_codes(patterns, path: Path) -> None:
    found = [
        f"{cell}: {kind} {code!r}"
        for cell, text in stored_reader_text(path).items()
        for kind, code in find_codes(text, patterns)
    ]
    assert not found, f"{path.name} shows internal codes to readers:\n" + "\n".join(found[:30])


def test_sources_page_anchors_every_document_the_source_lines_link() -> None:
    sources = pd.read_csv(ROOT / "data" / "sources.csv")
    page = json.loads((ROOT / "book" / "sources.ipynb").read_text(encoding="utf-8"))
    html = "".join("".join(o.get("data", {}).get("text/html", [])) for c in page["cells"] for o in c.get("outputs", []))
    for source_id in sources["source_id"]:
        assert f'id="{report.source_anchor(source_id)}"' in html, source_id
    assert sources["short_title"].is_unique and sources["short_title"].str.len().max() <= 40
