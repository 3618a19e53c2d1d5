"""The chapter runner (book/_ext/run_chapters.py) on small hand-made notebooks, as `make book` uses it.

Each test writes throwaway notebooks to a temporary folder and executes them with real kernels,
forked from the runner's warm server or started from scratch.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT


def _runner():
    spec = importlib.util.spec_from_file_location("run_chapters", ROOT / "book" / "_ext" / "run_chapters.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


runner = _runner()


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
    first = _chapter(tmp_path, "first", ["import os\nleak = 1\nprint(os.getpid())", "print('leak' in globals())"],
                     ["sources"])
    second = _chapter(tmp_path, "second", ["import os\nprint(os.getpid())", "print('leak' in globals())"],
                      ["sources"])
    runner.execute(first, kernels=kernels)
    runner.execute(second, kernels=kernels)
    (pid_one, leak_one), (pid_two, leak_two) = _text(first), _text(second)
    assert (leak_one, leak_two) == ("True", "False")
    assert pid_one != pid_two != str(os.getpid())
    for pid in (pid_one, pid_two):  # each kernel is shut down with its chapter, not left to the server's exit
        assert not Path(f"/proc/{pid}").exists(), f"kernel {pid} outlived its chapter"


def test_a_forked_kernel_runs_where_and_as_a_fresh_kernel_would(tmp_path: Path, kernels: Path) -> None:
    cells = ["import os, sys, matplotlib\nprint(os.getcwd())",
             "print(os.environ['K20_DATA_DIR'])",
             "print(matplotlib.get_backend())",
             "print(sorted(m for m in ('analysis.network', 'plotly.graph_objects') if m in sys.modules))"]
    forked = _chapter(tmp_path, "forked", cells, ["sources"])
    fresh = _chapter(tmp_path, "fresh", cells, ["sources"])
    runner.execute(forked, kernels=kernels)
    runner.execute(fresh)
    forked_out, fresh_out = _text(forked), _text(fresh)
    assert forked_out[:3] == fresh_out[:3] == [str(tmp_path), str(runner.DATA.resolve()), forked_out[2]]
    assert forked_out[3] == "['analysis.network', 'plotly.graph_objects']"  # preloaded by the server
    assert fresh_out[3] == "[]"


def test_reads_are_recorded_and_an_undeclared_read_stops_the_run(tmp_path: Path, kernels: Path) -> None:
    reading = ["from analysis.data import load_tables\ntables = load_tables(['sources'])\nprint(len(tables['sources']))"]
    declared = _chapter(tmp_path, "declared", reading, ["sources"])
    assert runner.execute(declared, kernels=kernels) == (["sources"], True)
    assert nbformat.read(declared, as_version=4).metadata["karabakh"]["reads"] == ["sources"]

    sneaky = _chapter(tmp_path, "sneaky", ["import os\nopen(os.path.join(os.environ['K20_DATA_DIR'], 'events.csv')).read()"],
                      ["sources"])
    with pytest.raises(SystemExit, match=r"sneaky.ipynb read tables it does not declare.*\['events'\]"):
        runner.execute(sneaky, kernels=kernels)


def test_a_failing_cell_names_the_chapter_and_the_error(tmp_path: Path, kernels: Path) -> None:
    broken = _chapter(tmp_path, "broken", ["1 / 0"], ["sources"])
    with pytest.raises(SystemExit, match=r"broken.ipynb: a cell failed(.|\n)*ZeroDivisionError"):
        runner.execute(broken, kernels=kernels)


def test_the_server_stops_with_its_kernels(tmp_path: Path) -> None:
    with runner.forked_kernels(preload=("json",)) as spec:
        pid_file = tmp_path / "pid"
        chapter = _chapter(tmp_path, "pid", [f"import os\nopen({str(pid_file)!r}, 'w').write(str(os.getppid()))"],
                           ["sources"])
        runner.execute(chapter, kernels=spec)
        server = int(pid_file.read_text())
        assert Path(f"/proc/{server}").exists()
    assert not Path(f"/proc/{server}").exists() or "zombie" in Path(f"/proc/{server}/status").read_text().lower()


def test_a_server_that_cannot_preload_says_so() -> None:
    with pytest.raises(SystemExit, match="fork server did not start"):
        with runner.forked_kernels(preload=("no_such_module_k20",)):
            pass
