"""The chapter runner (book/_ext/run_chapters.py) on small hand-made notebooks, as `make book` uses it.

Each test writes throwaway notebooks to a temporary folder and executes them with real kernels,
forked from the runner's warm server or started from scratch.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, copy_repository, load_module, set_cell


def _load(root: Path = ROOT):
    """The chapter runner of the repository at ``root`` (its ROOT, DATA and ANALYSIS point there)."""
    return load_module(f"run_chapters_{abs(hash(root))}", root / "book" / "_ext" / "run_chapters.py")


runner = _load()


def _chapter(folder: Path, name: str, cells: list[str], data: list[str]) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["karabakh"] = {"data": data}
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def _text(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return ["".join(o.get("text", "") for o in c.outputs).strip() for c in nb.cells]


@pytest.fixture(scope="module")
def kernels():
    with runner.forked_kernels() as spec:
        yield spec


def test_forked_kernels_are_fresh_processes_with_fresh_namespaces(tmp_path: Path, kernels: Path) -> None:
    first = _chapter(
        tmp_path, "first", ["import os\nleak = 1\nprint(os.getpid())", "print('leak' in globals())"], ["sources"]
    )
    second = _chapter(tmp_path, "second", ["import os\nprint(os.getpid())", "print('leak' in globals())"], ["sources"])
    runner.execute(first, kernels=kernels)
    runner.execute(second, kernels=kernels)
    (pid_one, leak_one), (pid_two, leak_two) = _text(first), _text(second)
    assert (leak_one, leak_two) == ("True", "False")
    assert pid_one != pid_two != str(os.getpid())
    for pid in (pid_one, pid_two):  # each kernel is shut down with its chapter, not left to the server's exit
        assert not Path(f"/proc/{pid}").exists(), f"kernel {pid} outlived its chapter"


def test_a_forked_kernel_runs_where_and_as_a_fresh_kernel_would(tmp_path: Path, kernels: Path) -> None:
    cells = [
        "import os, sys, matplotlib\nprint(os.getcwd())",
        "print(os.environ['K20_DATA_DIR'])",
        "print(matplotlib.get_backend())",
        "print(sorted(m for m in ('analysis.network', 'plotly.graph_objects') if m in sys.modules))",
    ]
    forked = _chapter(tmp_path, "forked", cells, ["sources"])
    fresh = _chapter(tmp_path, "fresh", cells, ["sources"])
    runner.execute(forked, kernels=kernels)
    runner.execute(fresh)
    forked_out, fresh_out = _text(forked), _text(fresh)
    assert forked_out[:3] == fresh_out[:3] == [str(tmp_path), str(runner.DATA.resolve()), forked_out[2]]
    assert forked_out[3] == "['analysis.network', 'plotly.graph_objects']"  # preloaded by the server
    assert fresh_out[3] == "[]"


def test_reads_are_recorded_and_an_undeclared_read_stops_the_run(tmp_path: Path, kernels: Path) -> None:
    reading = [
        "from analysis.data import load_tables\ntables = load_tables(['sources'])\nprint(len(tables['sources']))"
    ]
    declared = _chapter(tmp_path, "declared", reading, ["sources"])
    assert runner.execute(declared, kernels=kernels) == (["sources"], True)
    assert nbformat.read(declared, as_version=4).metadata["karabakh"]["reads"] == ["sources"]

    sneaky = _chapter(
        tmp_path,
        "sneaky",
        ["import os\nopen(os.path.join(os.environ['K20_DATA_DIR'], 'events.csv')).read()"],
        ["sources"],
    )
    with pytest.raises(SystemExit, match=r"sneaky.ipynb read tables it does not declare.*\['events'\]"):
        runner.execute(sneaky, kernels=kernels)


def test_a_failing_cell_names_the_chapter_and_the_error(tmp_path: Path, kernels: Path) -> None:
    broken = _chapter(tmp_path, "broken", ["1 / 0"], ["sources"])
    with pytest.raises(SystemExit, match=r"broken.ipynb: a cell failed(.|\n)*ZeroDivisionError"):
        runner.execute(broken, kernels=kernels)


def test_the_server_stops_with_its_kernels(tmp_path: Path) -> None:
    with runner.forked_kernels(preload=("json",)) as spec:
        pid_file = tmp_path / "pid"
        chapter = _chapter(
            tmp_path, "pid", [f"import os\nopen({str(pid_file)!r}, 'w').write(str(os.getppid()))"], ["sources"]
        )
        runner.execute(chapter, kernels=spec)
        server = int(pid_file.read_text())
        assert Path(f"/proc/{server}").exists()
    assert not Path(f"/proc/{server}").exists() or "zombie" in Path(f"/proc/{server}/status").read_text().lower()


def test_a_server_that_cannot_preload_says_so() -> None:
    with pytest.raises(SystemExit, match="fork server did not start"):
        with runner.forked_kernels(preload=("no_such_module_k20",)):
            pass


# --------------------------------------------------------------------------- on a copy of the repository


def _run_copy(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(repo / "book" / "_ext" / "run_chapters.py"), *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(repo)},
        timeout=600,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_repository(tmp_path / "repo")


def test_check_passes_on_the_repository_as_committed(repo: Path) -> None:
    done = _run_copy(repo, "--check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "STALE" not in done.stdout


def test_a_csv_edit_alone_fails_the_check_naming_chapters_inputs_and_the_fix(repo: Path) -> None:
    before = {p.name: p.read_bytes() for p in (repo / "book").glob("*.ipynb")}
    set_cell(repo / "data", "damage.csv", 1, "note", "A note edited without re-executing the chapters")
    done = _run_copy(repo, "--check")
    assert done.returncode == 1
    stale = re.findall(r"^STALE +(\S+): changed since its outputs were made: (.*)$", done.stdout, flags=re.M)
    assert stale and all(changed == "data/damage.csv" for _, changed in stale), done.stdout
    readers = {
        p.relative_to(repo).as_posix()
        for p in (repo / "book").glob("*.ipynb")
        if "damage" in json.loads(p.read_text(encoding="utf-8"))["metadata"]["karabakh"]["reads"]
    }
    assert readers and {path for path, _ in stale} >= readers
    assert "Run `make book`, then commit" in done.stdout
    assert before == {p.name: p.read_bytes() for p in (repo / "book").glob("*.ipynb")}  # checking changes nothing


def test_library_versions_alone_are_a_note_not_a_failure(repo: Path) -> None:
    chapter = repo / "book" / "index.ipynb"
    nb = nbformat.read(chapter, as_version=4)
    nb.metadata["karabakh"]["inputs"]["library pandas"] = "0.0.1"
    nbformat.write(nb, chapter)
    done = _run_copy(repo, "--check", str(chapter))
    assert done.returncode == 0 and "made with other versions of pandas" in done.stdout


def test_invalid_data_stops_the_build_before_any_kernel_starts(repo: Path) -> None:
    before = {p.name: p.read_bytes() for p in (repo / "book").glob("*.ipynb")}
    set_cell(repo / "data", "events.csv", 2, "date", "2020-13-45")
    done = _run_copy(repo, "--force")
    assert done.returncode != 0
    assert "events.csv, row 2" in done.stderr and "No chapter was executed" in done.stderr
    assert "Traceback" not in done.stderr and "execute " not in done.stdout
    assert before == {p.name: p.read_bytes() for p in (repo / "book").glob("*.ipynb")}


def test_an_unreadable_chapter_is_named_with_how_to_restore_it(repo: Path) -> None:
    (repo / "book" / "war.ipynb").write_bytes(b"")  # what a kill during a non-atomic write left
    for args in (("--check",), ()):
        done = _run_copy(repo, *args)
        assert done.returncode != 0 and "Traceback" not in done.stderr
        assert "book/war.ipynb cannot be read as a notebook" in done.stderr
        assert "git checkout -- book/war.ipynb" in done.stderr


def test_a_failed_write_leaves_the_chapter_whole_and_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    path = _chapter(tmp_path, "whole", ["print(1)"], ["sources"])
    before = path.read_bytes()

    def half_written(nb, f, **kwargs):
        f.write('{"cells": [')
        raise OSError("disk full")

    monkeypatch.setattr(runner.nbformat, "write", half_written)
    with pytest.raises(OSError, match="disk full"):
        runner.write_notebook(nbformat.read(path, as_version=4), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["whole.ipynb"]


def test_a_chapter_whose_inputs_change_while_it_runs_stays_stale(repo: Path) -> None:
    copied = _load(repo)
    cell = (
        "import os\npath = os.path.join(os.environ['K20_DATA_DIR'], 'sources.csv')\n"
        "open(path, 'a', encoding='utf-8').write('')\n"  # an editor saving the file mid-run
        "text = open(path, encoding='utf-8').read()\n"
        "open(path, 'w', encoding='utf-8').write(text.replace('Wikipedia contributors', 'Wikipedia editors', 1))"
    )
    chapter = _chapter(repo / "book", "moving", [cell], ["sources"])
    reads, steady = copied.execute(chapter)
    assert reads == ["sources"] and steady is False
    assert copied.changed_inputs(chapter) == ["data/sources.csv"]


def test_rerunning_an_unchanged_chapter_leaves_its_file_byte_identical(repo: Path) -> None:
    chapter = repo / "book" / "index.ipynb"
    before = chapter.read_bytes()
    done = _run_copy(repo, "--force", str(chapter))
    assert done.returncode == 0, done.stdout + done.stderr
    assert chapter.read_bytes() == before
    assert not list((repo / "book").glob(".*.tmp"))


@pytest.mark.parametrize("path", runner.chapters(), ids=lambda p: p.stem)
def test_chapters_are_stored_as_jupyter_saves_them(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    assert nbformat.writes(nb) + "\n" == text  # what Jupyter writes on save, byte for byte
    assert nb.metadata.kernelspec == runner._kernelspec()  # the installed python3 spec, as JupyterLab stores it
    assert "seconds" not in nb.metadata.karabakh  # nothing that differs from run to run


def test_leftovers_of_a_killed_write_are_removed_by_the_next_run(repo: Path) -> None:
    leftover = repo / "book" / ".war.ipynb.k3j2.tmp"
    leftover.write_text('{"cells": [', encoding="utf-8")
    done = _run_copy(repo, str(repo / "book" / "war.ipynb"))
    assert done.returncode == 0, done.stderr
    assert not leftover.exists() and "current  book/war.ipynb" in done.stdout


def test_a_chapter_depends_on_the_analysis_modules_its_code_imports_and_theirs(tmp_path: Path) -> None:
    path = _chapter(
        tmp_path, "imports", ["from analysis import war\nfrom analysis.data import load_tables"], ["events"]
    )
    modules = {m.stem for m in runner.analysis_modules(nbformat.read(path, as_version=4))}
    assert {"__init__", "war", "data", "timeline", "validation", "schema"} <= modules  # war imports timeline
    assert not {"network", "sentencing", "release", "__main__"} & modules
    nb = nbformat.read(path, as_version=4)
    record = runner.inputs(nb, path)
    assert "analysis/war.py" in record and "analysis/network.py" not in record


def test_unparsable_code_counts_as_importing_every_module(tmp_path: Path) -> None:
    path = _chapter(tmp_path, "magic", ["%%time\nx = 1"], ["sources"])
    modules = runner.analysis_modules(nbformat.read(path, as_version=4))
    assert modules == sorted((ROOT / "analysis").rglob("*.py"))
