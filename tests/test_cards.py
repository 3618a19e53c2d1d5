"""Every figure and table is a card a reader can take away: its rows as a CSV that carries its sources, and the
build step that moves each download out of the page into a file of its own."""

from __future__ import annotations

import base64
import html
import io
import re
import subprocess
import sys
import textwrap
import urllib.parse
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from conftest import ROOT, load_module

from analysis import cards, report
from analysis import casualties as cs
from analysis import losses as ls
from analysis import network as net
from analysis import timeline as tl

downloads = load_module("k20_downloads", ROOT / "book" / "_ext" / "downloads.py")
LINK = re.compile(r'<a class="k20-download" download="([^"]+)" href="data:([^;]+);base64,([^"]+)">')


def _downloads(block_html: str) -> dict[str, str]:
    """File name -> text of every download link in a block."""
    return {name: base64.b64decode(data).decode("utf-8") for name, _, data in LINK.findall(block_html)}


def _read(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), comment="#")


def _header(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if line.startswith("#"))


def _bars() -> go.Figure:
    return go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout={"meta": {"source": "Source: test."}})


HAND = pd.DataFrame(
    {
        "place": ["Tabriz", "Ardabil <b>&"],
        "count": [3, 4],
        "source_id": ["wp-karabakh-war-2020", "hasanbayli-south-az"],
        "locator": ["Lead ¶1", "Ardabil / October 9, 2021"],
        "evidence": ["single source", "corroborated"],
    }
)


# ---------------------------------------------------------------- the CSV: hand-made frames


def test_csv_reads_back_with_pandas_and_explains_every_column() -> None:
    rows = cards.with_provenance(HAND)
    text = cards.csv_text(rows, "Title of the card", "One row per place.")
    back = _read(text)
    assert list(back.columns) == ["place", "count", "source", "source_id", "locator", "evidence"]
    assert back["place"].tolist() == ["Tabriz", "Ardabil <b>&"] and back["count"].tolist() == [3, 4]
    assert back["source"].tolist() == [
        "Second Nagorno-Karabakh War",
        "Actions in support of Azerbaijan by Azerbaijanis in Iran, 2019-2020",
    ]
    header = _header(text)
    assert header.startswith("# Title of the card\n# One row per place.")
    for column in back.columns:
        assert f"#   {column}: " in header
    assert "evidence grade (party claim, single source, corroborated)" in header
    assert "CC BY 4.0" in header and "DO NOT ADD" not in header


def test_a_hash_inside_a_cell_survives_the_comment_convention() -> None:
    frame = pd.DataFrame({"title": ["Rally #2 in Tabriz"], "source_id": ["x"], "locator": ["¶ #3"]})
    back = _read(cards.csv_text(cards.with_provenance(frame), "t", "w"))
    assert back.at[0, "title"] == "Rally #2 in Tabriz" and back.at[0, "locator"] == "¶ #3"


@pytest.mark.parametrize(
    ("frame", "note"),
    [
        (pd.DataFrame({"status": ["stated total", "destroyed"], "count": [2, 1]}), cards.TOTALS_NOTE),
        (pd.DataFrame({"status": ["stated-total"], "count": [2]}), cards.TOTALS_NOTE),
        (pd.DataFrame({"measure": ["killed"], "reporter": ["x"], "count": [2]}), cards.RIVALS_NOTE),
        (pd.DataFrame({"part": ["lead"], "subset_of": ["a"], "count": [2]}), cards.SUBSET_NOTE),
        (pd.DataFrame({"destroyed": [1], "total": [2]}), cards.TOTAL_COLUMNS_NOTE),
        (pd.DataFrame({"status": ["destroyed"], "count": [2]}), None),
    ],
)
def test_the_csv_warns_where_rows_must_not_be_added(frame: pd.DataFrame, note: str | None) -> None:
    assert cards.totals_note(frame) == note
    header = _header(cards.csv_text(frame, "t", "w"))
    assert (note is None) == ("DO NOT ADD" not in header)


def test_slugs_become_labels_and_rows_are_graded_by_their_table(real: dict) -> None:
    frame = pd.DataFrame({"side": ["armenia", "azerbaijan"], "category": ["tanks", "armoured-fighting-vehicles"]})
    shown = cards.readable(frame.assign(status="stated-total", source_id="wp-karabakh-war-2020"), "equipment_losses")
    assert shown["side"].tolist() == ["Armenia", "Azerbaijan"]
    assert shown["category"].tolist() == ["tanks", "armoured fighting vehicles"]
    assert shown.at[0, "status"] == "stated total" and shown.at[0, "source_id"] == "wp-karabakh-war-2020"
    events = real["events"].head(5)
    graded = cards.graded(events, "events", real)
    assert graded["evidence"].notna().all() and set(graded["evidence"]) <= set(cards.GRADES)


# ---------------------------------------------------------------- the blocks: figures and tables


def test_a_figure_block_offers_its_rows_and_a_closed_table_of_them() -> None:
    block = report.interactive(_bars(), "demo-card", "Bars. Source: test.", "Two bars.", rows=HAND)
    files = _downloads(block.html)
    assert list(files) == ["demo-card.csv"]
    back = _read(files["demo-card.csv"])
    assert back["source"].notna().all() and back["locator"].notna().all() and back["evidence"].notna().all()
    assert 'Data behind the figure "demo-card"' in files["demo-card.csv"]
    alt = re.search(r'<details class="k20-alt" id="data-demo-card">(.*?)</details>', block.html, re.S)
    assert alt is not None and "<table" in alt.group(1) and "Lead ¶1" in alt.group(1)
    assert "source_id" not in alt.group(1) and "wp-karabakh-war-2020" not in alt.group(1)  # no codes shown
    assert "Ardabil &lt;b&gt;&amp;" in alt.group(1) and "<b>&" not in alt.group(1)  # data is text, never markup
    assert "[download demo-card.csv: 2 rows" in block.text


def test_figures_require_the_rows_they_draw() -> None:
    with pytest.raises(TypeError, match="rows"):
        report.interactive(_bars(), "demo-card", "Bars. Source: test.", "Two bars.")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="rows is empty"):
        report.interactive(_bars(), "demo-card", "Bars. Source: test.", "Two bars.", rows=HAND.head(0))
    with pytest.raises(TypeError, match="must be the DataFrame"):
        report.interactive(_bars(), "demo-card", "Bars. Source: test.", "Two bars.", rows=[1, 2])  # type: ignore[arg-type]


def test_a_table_block_offers_the_table_as_shown_with_source_titles() -> None:
    frame = HAND.assign(share=[0.25, None])
    block = report.table(frame, "demo-table", "A table.", source="Source: test.", formats={"share": ".0%"})
    back = _read(_downloads(block.html)["demo-table.csv"])
    assert back["share"].tolist()[0] == "25%" and pd.isna(back["share"].tolist()[1])
    assert back["source"].tolist()[0] == "Second Nagorno-Karabakh War" and back["locator"].notna().all()
    assert "<details" not in block.html  # the table is its own alternative


# ---------------------------------------------------------------- the real figures' rows


def test_equipment_rows_carry_sources_grades_and_the_totals_warning(real: dict) -> None:
    equipment = real["equipment_losses"]
    armenian_tanks = equipment[
        equipment["side"].astype(str).eq("armenia") & equipment["category"].astype(str).eq("tanks")
    ]
    assert armenian_tanks["count"].sum() == 510  # the naive sum the warning is about: 255 stated + 255 in parts
    rows = ls.documented_rows(ls.documented_long(equipment), real)
    assert rows["source"].str.len().gt(0).all() and rows["locator"].str.len().gt(0).all()
    assert rows["evidence"].isin(cards.GRADES).all()
    text = _downloads(report.interactive(_bars(), "demo-eq", "Eq. Source: test.", "s", rows=rows).html)["demo-eq.csv"]
    assert "gives 510, twice the 255 documented" in _header(text)
    back = _read(text)
    tanks = back[back["side"].eq("Armenia") & back["category"].str.contains("tank", case=False)]
    assert tanks["count"].sum() == 255  # the drawn rows add up to the documented count


def test_every_kind_of_drawn_row_carries_its_source_locator_and_grade(real: dict) -> None:
    table = cs.casualty_table(real["casualties"], real["actors"], real["sources"], real["relations"])
    graph = net.actor_graph(real["actors"], real["relations"])
    labels = real["actors"].set_index("actor_id")["name"]
    events = tl.first_versions(real["events"])
    drawn = {
        "casualties": cs.figure_rows(cs.compare(table, ("killed",), ("military",)), real),
        "relations": net.edge_rows(graph, labels, real),
        "detentions": net.detention_rows(
            net.detention_graph(real["detentions"], real["events"], real["actors"]), labels, real
        ),
        "events": cards.drawn(events.head(40), "events", real, columns=["title", "date"]),
    }
    for kind, rows in drawn.items():
        assert len(rows), kind
        for column in ("source", "source_id", "locator", "evidence"):
            assert rows[column].notna().all() and rows[column].astype(str).str.len().gt(0).all(), (kind, column)
        assert rows["evidence"].isin(cards.GRADES).all(), kind
    assert cards.totals_note(drawn["casualties"]) == cards.RIVALS_NOTE


# ---------------------------------------------------------------- the build step


def _page(*links: str) -> str:
    return "<p>text</p>" + "".join(links) + '<a class="other" href="data:text/plain;base64,eA==">x</a>'


def test_the_build_writes_each_payload_to_a_file_and_points_the_link_there(tmp_path: Path) -> None:
    csv = cards.download_link("demo.csv", b"a,b\n1,2\n", "text/csv", "Download data (CSV)")
    svg_body = '<svg xmlns="http://www.w3.org/2000/svg"/>'
    svg_url = "data:image/svg+xml," + urllib.parse.quote(svg_body)
    svg = f'<a class="k20-download" href="{svg_url}" download="demo.svg">image</a>'
    body, written = downloads.externalise(_page(csv, svg, csv), "book/war", tmp_path)
    assert written == {"demo.csv": 8, "demo.svg": len(svg_body)}
    assert (tmp_path / "_downloads/k20/book-war/demo.csv").read_text() == "a,b\n1,2\n"
    assert (tmp_path / "_downloads/k20/book-war/demo.svg").read_text() == svg_body
    assert body.count('href="../_downloads/k20/book-war/demo.csv"') == 2 and "base64,YSxi" not in body
    assert 'href="data:text/plain;base64,eA=="' in body  # only k20 downloads move
    root, _ = downloads.externalise(_page(csv), "index", tmp_path)
    assert 'href="_downloads/k20/index/demo.csv"' in root


@pytest.mark.parametrize("name", ["../x.csv", "a/b.csv", "", ".hidden", "x y.csv"])
def test_the_build_refuses_a_download_name_that_is_not_a_plain_file_name(tmp_path: Path, name: str) -> None:
    link = f'<a class="k20-download" download="{html.escape(name)}" href="data:text/csv;base64,eA==">x</a>'
    with pytest.raises(ValueError, match="plain file name"):
        downloads.externalise(link, "book/war", tmp_path)


def test_the_build_refuses_two_downloads_of_one_name_with_different_bytes(tmp_path: Path) -> None:
    one = cards.download_link("demo.csv", b"1", "text/csv", "x")
    two = cards.download_link("demo.csv", b"2", "text/csv", "x")
    with pytest.raises(ValueError, match="different bytes"):
        downloads.externalise(one + two, "book/war", tmp_path)


def test_a_sphinx_build_with_the_extension_leaves_no_payload_in_the_page(tmp_path: Path) -> None:
    link = cards.download_link("demo-table.csv", b"# header\nx,source\n1,Doc\n", "text/csv", "Download data (CSV)")
    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'book' / '_ext')!r})\nextensions = ['downloads']\n",
        encoding="utf-8",
    )
    (tmp_path / "index.rst").write_text(
        "Demo\n====\n\n.. raw:: html\n\n" + textwrap.indent(link, "   ") + "\n", encoding="utf-8"
    )
    out = tmp_path / "_out"
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(tmp_path), str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "data:text/csv" not in page and 'href="_downloads/k20/index/demo-table.csv"' in page
    assert (out / "_downloads/k20/index/demo-table.csv").read_text(encoding="utf-8").endswith("1,Doc\n")


def test_derived_columns_are_explained_and_a_helper_may_word_its_own() -> None:
    frame = HAND.assign(week=pd.Timestamp("2020-07-06"), odd=1)
    frame.attrs["descriptions"] = {"odd": "a column only this chart has"}
    text = _downloads(report.interactive(_bars(), "demo-words", "Bars. Source: test.", "s", rows=frame).html)
    header = _header(text["demo-words.csv"])
    assert "#   week: first day (Monday) of the week counted" in header
    assert "#   odd: a column only this chart has" in header
    assert _read(text["demo-words.csv"])["week"].tolist() == ["2020-07-06", "2020-07-06"]
