"""The chapter notebooks as stored: executed, thin, declaring their data, self-contained and in our words.

nbval re-runs the notebooks and compares outputs, but passes trivially on a notebook with no
stored outputs; these checks close that gap and the others nbval cannot see.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import DATA, ROOT, copied_run, load_module, shared_runs

from analysis.schema import read_package

TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
CHAPTERS = [
    ROOT / f"{f}.ipynb" for f in [TOC["root"]] + [c["file"] for c in TOC["chapters"]] if not (ROOT / f"{f}.md").exists()
]  # Markdown pages (explorer, changes) are generated at build time
LOADERS = {"load_tables", "load_table", "load_all"}


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _outputs_text(nb: dict) -> str:
    return json.dumps([c.get("outputs", []) for c in _code_cells(nb)])


def _loader_calls(code: str) -> list[ast.Call]:
    return [
        n
        for n in ast.walk(ast.parse(code))
        if isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", None)) in LOADERS
    ]


def test_the_table_of_contents_lists_every_chapter_once() -> None:
    assert all(p.exists() for p in CHAPTERS), [p.name for p in CHAPTERS if not p.exists()]
    assert len(set(CHAPTERS)) == len(CHAPTERS)
    assert sorted(CHAPTERS) == sorted((ROOT / "book").glob("*.ipynb")), "a notebook in book/ is not in _toc.yml"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_is_executed_with_outputs_stored(path: Path) -> None:
    code = _code_cells(_nb(path))
    assert code, f"{path.name} has no code cell"
    unexecuted = [i for i, c in enumerate(code) if c.get("execution_count") is None]
    assert not unexecuted, f"{path.name}: code cells {unexecuted} were never executed (run book/_ext/run_chapters.py)"
    shown = [o for c in code for o in c.get("outputs", []) if "scrapbook" not in o.get("metadata", {})]
    assert shown, f"{path.name}: no stored output besides glue (nbval would pass it trivially)"
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), f"{path.name}: cells executed out of order: {counts}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_outputs_have_no_errors_warnings_or_third_party_assets(path: Path) -> None:
    nb = _nb(path)
    for i, cell in enumerate(_code_cells(nb)):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"{path.name} code cell {i}: {out.get('ename')}"
            assert out.get("name") != "stderr", (
                f"{path.name} code cell {i} wrote to stderr: {''.join(out['text'])[:300]}"
            )
            data = out.get("data", {})
            assert "application/vnd.plotly.v1+json" not in data, (
                f"{path.name} cell {i}: use analysis.report, not plotly renderers"
            )
    text = _outputs_text(nb)
    for pattern in (r"<script[^>]+src=", r"https?://cdn", r"require\.js", r"MathJax", r"fonts\.googleapis"):
        assert not re.search(pattern, text), f"{path.name}: outputs contain {pattern!r}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_each_chapter_loads_exactly_the_data_it_declares(path: Path) -> None:
    """The first code cell makes the one load_tables() call, with the list in the notebook's metadata."""
    nb = _nb(path)
    declared = nb["metadata"].get("karabakh", {}).get("data")
    known = read_package(DATA).resource_names
    assert declared, f"{path.name}: metadata karabakh.data must list the tables the chapter reads"
    assert set(declared) <= set(known), f"{path.name}: unknown tables {set(declared) - set(known)}"
    code = _code_cells(nb)
    calls = _loader_calls(_source(code[0]))
    names = [getattr(c.func, "id", getattr(c.func, "attr", None)) for c in calls]
    assert names == ["load_tables"], f"{path.name}: the first code cell must make one load_tables([...]) call"
    assert [ast.literal_eval(calls[0].args[0])] == [declared], (
        f"{path.name}: first cell loads other tables than declared"
    )
    later = [i for i, c in enumerate(code[1:], 1) if _loader_calls(_source(c))]
    assert not later, f"{path.name}: cells {later} load data again; load it once, in the first cell"


def test_glue_names_and_figure_ids_are_unique_across_the_book() -> None:
    glued: Counter[str] = Counter()
    ids: Counter[str] = Counter()
    for path in CHAPTERS:
        nb = _nb(path)
        for cell in _code_cells(nb):
            for out in cell.get("outputs", []):
                name = out.get("metadata", {}).get("scrapbook", {}).get("name")
                if name:
                    glued[name] += 1
        ids.update(re.findall(r'id=\\"((?:figure|table|plot)-[a-z0-9-]+)\\"', _outputs_text(nb)))
    assert not [n for n, k in glued.items() if k > 1], "glue names used twice"
    assert not [n for n, k in ids.items() if k > 1], [n for n, k in ids.items() if k > 1]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_glue_references_resolve_within_the_chapter(path: Path) -> None:
    nb = _nb(path)
    glued = {
        out["metadata"]["scrapbook"]["name"]
        for c in _code_cells(nb)
        for out in c.get("outputs", [])
        if "scrapbook" in out.get("metadata", {})
    }
    used = {
        m
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
        for m in re.findall(r"\{glue(?::\w+)?\}`([^`:]+)", _source(c))
    }
    assert used <= glued, f"{path.name}: glue names used but never glued: {sorted(used - glued)}"


YEAR = r"(?:19[0-9]{2}|20[0-3][0-9])"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_prose_has_no_hand_typed_counts(path: Path) -> None:
    """Counts, percentages and big numbers in the narrative come from glue, not the keyboard."""
    typed = []
    for cell in _nb(path)["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = re.sub(r"\{glue(?::\w+)?\}`[^`]*`|`[^`]*`|\]\([^)]*\)|\([a-z0-9-]+\.ipynb[^)]*\)", " ", _source(cell))
        for m in re.finditer(r"\d[\d,.]*\s*%|\b\d{1,3}(?:,\d{3})+\b|\b\d{3,}\b", text):
            if not re.fullmatch(YEAR, m.group().strip()):
                typed.append(m.group())
    assert not typed, f"{path.name}: numbers typed into the prose: {typed}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_prose_is_in_our_own_words(path: Path) -> None:
    for cell in _nb(path)["cells"]:
        if cell["cell_type"] == "markdown":
            run = copied_run(_source(cell))
            assert run is None, f"{path.name}: copied from a source: '{run}'"


def _runner():
    return load_module("run_chapters", ROOT / "book" / "_ext" / "run_chapters.py")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_declared_data_matches_what_the_chapter_read(path: Path) -> None:
    """karabakh.reads is recorded by an audit hook in the kernel at execution time (book/_ext/run_chapters.py)."""
    meta = _nb(path)["metadata"]["karabakh"]
    assert "reads" in meta, f"{path.name}: executed without the chapter runner (no record of the tables read)"
    closure = set(_runner().table_files(meta["data"]))
    assert set(meta["reads"]) <= closure, f"{path.name} read undeclared tables {set(meta['reads']) - closure}"
    assert set(meta["data"]) <= set(meta["reads"]), f"{path.name} declares tables it never reads"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_stored_outputs_are_current(path: Path) -> None:
    """The stored outputs were made from today's code, data and analysis package (else `make book`)."""
    assert not _runner().is_stale(path), f"{path.name} is stale: run `make book`"


LOSS_CHAPTERS = ("human-losses", "equipment-losses")


def loss_notebook(stem: str) -> dict:
    return _nb(ROOT / "book" / f"{stem}.ipynb")


@pytest.mark.parametrize("stem", LOSS_CHAPTERS)
def test_loss_chapters_load_the_declared_tables_first(stem: str) -> None:
    nb = loss_notebook(stem)
    declared = nb["metadata"]["karabakh"]["data"]
    assert "sources" in declared
    first = next("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    match = re.fullmatch(
        r"from analysis\.data import load_tables\n\ntables = load_tables\((\[.*?\])\)", first.strip(), flags=re.S
    )
    assert match, first
    assert json.loads(match.group(1)) == declared


@pytest.mark.parametrize("stem", LOSS_CHAPTERS)
def test_loss_chapters_prefix_their_glue_names_and_figure_ids(stem: str) -> None:
    nb = loss_notebook(stem)
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    prose = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    glued = {
        o["metadata"]["scrapbook"]["name"]
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
        if "scrapbook" in o.get("metadata", {})
    }
    assert set(re.findall(r'glue_words\(\s*f?"([^"]+)"', code)) <= glued
    assert glued and all(name.startswith(f"{stem}-") for name in glued)
    used = set(re.findall(r"\{glue\}`([^`]+)`", prose))
    assert used <= glued, used - glued
    outputs = "".join(
        "".join(o.get("data", {}).get("text/html", ""))
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
    )
    blocks = re.findall(r'id="(?:figure|table)-([a-z0-9-]+)"', outputs)
    assert blocks and all(name.startswith(f"{stem}-") for name in blocks), blocks


@pytest.mark.parametrize("stem", LOSS_CHAPTERS)
def test_loss_chapters_type_no_figure_by_hand(stem: str) -> None:
    """Numbers in the prose come from glue; the only digits typed are in names, section marks and years."""
    prose = "\n".join("".join(c["source"]) for c in loss_notebook(stem)["cells"] if c["cell_type"] == "markdown")
    prose = re.sub(r"\{glue\}`[^`]+`", "", prose)
    prose = re.sub(r"\]\([^)]+\)", "]", prose)  # link targets
    stray = [n for n in re.findall(r"(?<![\w-])\d+(?:[,.]\d+)*", prose) if n not in {"2020", "44"}]
    assert not stray, stray


@pytest.mark.parametrize("stem", LOSS_CHAPTERS)
def test_loss_chapters_store_outputs_without_errors(stem: str) -> None:
    nb = loss_notebook(stem)
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert outputs, "run book/_ext/run_chapters.py to store the outputs"
    assert not [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
    html = "".join("".join(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "cdn." not in html and "Traceback" not in html


@pytest.mark.parametrize("stem", LOSS_CHAPTERS)
def test_loss_chapters_share_no_ten_words_with_a_source(stem: str) -> None:
    """No run of 10 words in the chapter's prose repeats a source document (checked against the committed
    fingerprints)."""
    prose = "\n".join("".join(c["source"]) for c in loss_notebook(stem)["cells"] if c["cell_type"] == "markdown")
    copied = [" ".join(run) for _, run in shared_runs(prose, 10)]
    assert not copied, copied
