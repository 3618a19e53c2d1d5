"""What readers of the chapters see first: prose, figures and tables; the code sits behind a toggle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
CHAPTERS = [
    p for p in (ROOT / f"{f}.ipynb" for f in [TOC["root"]] + [c["file"] for c in TOC["chapters"]]) if p.exists()
]
HIDDEN = {"hide-input", "remove-input", "remove-cell"}


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_code_cell_is_behind_a_show_code_toggle(path: Path) -> None:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    shown = [
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "code" and not HIDDEN & set(c.get("metadata", {}).get("tags", []))
    ]
    assert not shown, f"{path.name}: code cells {shown} are shown outright; tag them hide-input"


def test_printed_pages_leave_out_code_and_keep_figures_whole() -> None:
    css = (ROOT / "book" / "_static" / "k20.css").read_text(encoding="utf-8")
    printed = css.split("@media print", 1)[1]
    assert ".cell_input" in printed and "break-inside: avoid" in printed
