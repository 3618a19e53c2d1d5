"""Chart titles in the stored chapters say what their data supports (issue 13.6): no verdict of a dated claim against
an undated count, one name for the war, and the war's deaths apart from deaths elsewhere."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT

from analysis.losses import VERDICT_PHRASES

CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))
FIGURE_DATA = re.compile(r'<script type="application/json" class="k20-figure-data">(.*?)</script>', re.S)


def chart_titles(path: Path) -> list[str]:
    """The titles of the plotly charts stored in one chapter's outputs."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    html = "".join(
        "".join(o.get("data", {}).get("text/html", ""))
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
    )
    figures = [json.loads(m)["figure"] for m in FIGURE_DATA.findall(html)]
    return [f["layout"]["title"]["text"].replace("<br>", " ") for f in figures if f["layout"].get("title")]


def test_the_title_pattern_finds_the_charts() -> None:
    titles = {p.stem: chart_titles(p) for p in CHAPTERS}
    assert len(titles["human-losses"]) == 4 and len(titles["equipment-losses"]) == 2 and titles["timeline"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_title_judges_one_kind_of_figure_against_another(path: Path) -> None:
    judged = [t for t in chart_titles(path) if any(p in t.lower() for p in VERDICT_PHRASES)]
    assert not judged, judged


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_war_has_one_name_in_titles(path: Path) -> None:
    other = [t for t in chart_titles(path) if re.search(r"\b(?!44-)\d+-day war", t)]
    assert not other, other


def test_the_military_dead_chart_leaves_the_idlib_strike_to_its_own_table() -> None:
    nb = (ROOT / "book" / "human-losses.ipynb").read_text(encoding="utf-8")
    figure = nb[nb.index('id=\\"figure-human-losses-military-dead\\"') :]
    figure = figure[: figure.index("</figure>")]
    assert "Idlib" not in figure.split("figcaption")[0] and "Failaq" not in figure
    assert 'id=\\"table-human-losses-outside-theatre\\"' in nb
