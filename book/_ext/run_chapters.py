"""Execute the chapters whose inputs changed, in parallel, storing outputs in the notebooks.

    python book/_ext/run_chapters.py                  # validate data/, then every stale chapter in _toc.yml
    python book/_ext/run_chapters.py --force          # every chapter, stale or not
    python book/_ext/run_chapters.py book/war.ipynb   # just these, if stale (--force to insist)
    python book/_ext/run_chapters.py --check          # change nothing; exit 1 naming each stale chapter

The book is built from stored outputs (``execute_notebooks: off``), so this runs first. A chapter
is current when its metadata ``karabakh.inputs`` records the digests of what its outputs depend on
and each equals today's: its code cells, the CSVs of the tables it declares (``karabakh.data``) and
of the tables their foreign keys point to, ``datapackage.json``, the modules of ``analysis/`` its
code imports (directly or through other modules; see :func:`analysis_modules`) and the versions of
the libraries that draw the outputs. The record travels inside the notebook, so a
fresh clone knows its stored outputs are current and ``--check`` (what ``make test`` runs) can name
the inputs that changed since; no cache can serve a page that a change to ``data/`` or
``analysis/`` made stale.

Before any kernel starts, the data package is validated; invalid data stops the run with the
validator's report. The digests are taken before a chapter runs and again after: a chapter whose
inputs changed while it ran keeps the digests of what it ran on, so it stays stale. Notebooks are
written atomically (a temporary file in the same folder, then a rename), so a run killed at any
moment leaves every chapter whole, either current or stale. Nothing that differs from run to run
is stored in a chapter: the seconds each took (for scheduling the slowest first) are kept in
``_build/chapter-seconds.json``.

While a chapter runs, a Python audit hook in its kernel records every file it opens under
``data/``; the tables read are stored as ``karabakh.reads``, and a read outside the declared tables
(and their foreign-key targets) fails the run, naming the chapter and the files.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

import nbformat
import yaml
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
ANALYSIS = ROOT / "analysis"
LIBRARY = "library "  # prefix of the library versions in a chapter's record of its inputs
LIBRARIES = ("pandas", "numpy", "plotly", "matplotlib", "networkx", "ipykernel", "nbclient")
FORKSERVER = Path(__file__).resolve().parent / "kernel_forkserver.py"
# Imported once by the fork server, before it forks a kernel per chapter: what every chapter imports,
# and what an ipykernel imports as it starts (its shell, debugger and history store).
PRELOAD = (
    "numpy",
    "pandas",
    "matplotlib.pyplot",
    "plotly.graph_objects",
    "networkx",
    "myst_nb",
    *sorted(f"analysis.{m.stem}" for m in ANALYSIS.glob("*.py") if m.stem not in ("__init__", "__main__")),
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",
    "IPython.core.debugger",
    "IPython.core.completerlib",
    "IPython.extensions.storemagic",
    "sqlite3",
    "pydoc",
)
AUDIT = """\
import os as _os, sys as _sys
def _k20_audit(event, args, _log=_os.environ["K20_READS_LOG"], _data=_os.environ["K20_DATA_DIR"] + _os.sep):
    if event == "open" and isinstance(args[0], (str, _os.PathLike)):
        path = _os.path.realpath(_os.fspath(args[0]))
        if path.startswith(_data):
            with open(_log, "a", encoding="utf-8") as log:
                log.write(path + "\\n")
_sys.addaudithook(_k20_audit)
del _k20_audit
"""


def _shown(path: Path) -> Path:
    """A chapter's path as messages show it: relative to the repository when inside it."""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def chapters(root: Path = ROOT) -> list[Path]:
    """The notebooks of the book, in table-of-contents order (pages written in Markdown, ``.md``, are not chapters to
    run)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [entry["file"] for entry in toc.get("chapters", [])]
    return [root / f"{f}.ipynb" for f in files if not (root / f"{f}.md").exists()]


def _descriptor() -> dict:
    return json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))


def table_files(names: list[str]) -> dict[str, str]:
    """Table name -> CSV file for the named tables and the tables their foreign keys point to."""
    resources = {r["name"]: r for r in _descriptor()["resources"]}
    unknown = [n for n in names if n not in resources]
    if unknown:
        raise SystemExit(f"unknown tables {unknown} in karabakh.data; known: {', '.join(resources)}")
    closure = dict.fromkeys(names)
    for name in names:
        for fk in resources[name]["schema"].get("foreignKeys", []):
            closure.setdefault(fk["reference"]["resource"] or name)
    return {n: resources[n]["path"] for n in closure}


def declared_tables(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """The tables a chapter declares in its metadata (``karabakh.data``)."""
    names = nb.metadata.get("karabakh", {}).get("data")
    if not names:
        raise SystemExit(f"{_shown(path)}: metadata karabakh.data must list the tables the chapter reads")
    return list(names)


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
    return h.hexdigest()[:16]


def _imported(tree: ast.AST, package: str | None = None) -> set[str]:
    """Modules of ``analysis`` that a piece of code imports (``package``: the importing module, for relative
    imports)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("analysis.")}
            found |= {"__init__" for a in node.names if a.name.split(".")[0] == "analysis"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level == 1 and package is not None:
                base = f"analysis.{base}" if base else "analysis"
            elif node.level:
                continue
            if base == "analysis":
                found |= {"__init__"} | {a.name for a in node.names if (ANALYSIS / f"{a.name}.py").exists()}
            elif base.startswith("analysis."):
                found |= {"__init__", base.split(".")[1]}
    return found


#: ast.parse is not safe to call from several threads at once on Python 3.11 ("AST constructor recursion depth
#: mismatch"), and run() executes chapters on a thread pool: every parse here takes this lock.
_PARSE_LOCK = threading.Lock()


def _parse(source: str) -> ast.Module:
    """The module's syntax tree, parsed while holding _PARSE_LOCK."""
    with _PARSE_LOCK:
        return ast.parse(source)


def analysis_modules(nb: nbformat.NotebookNode) -> list[Path]:
    """The modules of ``analysis/`` a chapter's code imports, directly or through other modules of the package.

    Read from the code, not from the kernel (the fork server has imported every module before the
    chapter starts), so editing a module makes stale only the chapters that use it. Code that
    cannot be parsed (a cell magic, say) counts as importing every module.
    """
    try:
        wanted = _imported(_parse("\n".join(c.source for c in nb.cells if c.cell_type == "code")))
    except SyntaxError:
        return sorted(ANALYSIS.rglob("*.py"))
    done: set[str] = set()
    while wanted - done:
        name = sorted(wanted - done)[0]
        done.add(name)
        path = ANALYSIS / f"{name}.py"
        if path.exists():
            wanted |= _imported(_parse(path.read_text(encoding="utf-8")), package=name)
    return sorted(ANALYSIS / f"{n}.py" for n in done if (ANALYSIS / f"{n}.py").exists())


def inputs(nb: nbformat.NotebookNode, path: Path) -> dict[str, str]:
    """What a chapter's stored outputs depend on (see the module docstring), each with its digest."""
    record = {"code cells": _digest(*(b"cell\0" + c.source.encode() for c in nb.cells if c.cell_type == "code"))}
    for _name, file in sorted(table_files(declared_tables(nb, path)).items()):
        record[f"data/{file}"] = _digest((DATA / file).read_bytes())
    record["data/datapackage.json"] = _digest((DATA / "datapackage.json").read_bytes())
    for module in analysis_modules(nb):
        record[str(module.relative_to(ROOT))] = _digest(module.read_bytes())
    for library in LIBRARIES:
        record[f"{LIBRARY}{library}"] = metadata.version(library)
    return record


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """A chapter as stored; an unreadable file stops the run with its path and how to restore it."""
    try:
        return nbformat.read(path, as_version=4)
    except Exception as error:  # nbformat raises JSON, validation and OS errors alike
        raise SystemExit(
            f"{_shown(path)} cannot be read as a notebook ({type(error).__name__}: {error}).\n"
            f"Restore it with `git checkout -- {_shown(path)}`, then run `make book` again."
        ) from None


def write_notebook(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write a chapter atomically: a temporary file in the same folder, flushed, then renamed over it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            nbformat.write(nb, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


NEVER_RUN = "code cells never executed"
NO_RECORD = "no record of the inputs its outputs were made from"


def changed_inputs(path: Path) -> list[str]:
    """Why a chapter's stored outputs are not current: the inputs that changed since; empty when current."""
    nb = read_notebook(path)
    if not all(c.get("execution_count") is not None for c in nb.cells if c.cell_type == "code"):
        return [NEVER_RUN]
    stored = nb.metadata.get("karabakh", {}).get("inputs")
    if not isinstance(stored, dict):
        return [NO_RECORD]
    now = inputs(nb, path)
    return [name for name in sorted(now.keys() | stored.keys()) if now.get(name) != stored.get(name)]


def is_stale(path: Path) -> bool:
    """True if the chapter's stored outputs were not made from its current inputs."""
    return bool(changed_inputs(path))


@contextlib.contextmanager
def forked_kernels(preload: tuple[str, ...] = PRELOAD) -> Iterator[Path]:
    """Start a kernel fork server that has imported ``preload``; yield the folder of its kernelspec.

    Each kernel asked of it is a forked child that becomes a fresh ipykernel in the caller's working
    directory and environment (see ``kernel_forkserver.py``): a new process and namespace per chapter,
    without each one spending a second or two importing the same libraries.
    """
    with tempfile.TemporaryDirectory(prefix="k20-forkserver-") as tmp:
        address = str(Path(tmp) / "server.sock")
        server = subprocess.Popen(
            [sys.executable, str(FORKSERVER), "serve", address, *preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            start_new_session=True,
            env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
        )
        assert server.stdin is not None and server.stdout is not None  # both are pipes
        try:
            if server.stdout.readline().strip() != b"ready":
                raise SystemExit(
                    f"the kernel fork server did not start (exit status {server.wait()}); its error is above"
                )
            spec = Path(tmp) / "kernels" / "k20-forked"
            spec.mkdir(parents=True)
            (spec / "kernel.json").write_text(
                json.dumps(
                    {
                        "argv": [
                            sys.executable,
                            str(FORKSERVER),
                            "launch",
                            address,
                            "--",
                            "ipykernel_launcher",
                            "-f",
                            "{connection_file}",
                        ],
                        "display_name": "Python 3 (forked from a warm server)",
                        "language": "python",
                    }
                ),
                encoding="utf-8",
            )
            yield spec.parent
        finally:
            server.stdin.close()  # the server kills any kernel left and exits
            server.wait(timeout=30)


def _kernelspec(name: str = "python3") -> dict[str, str]:
    """The kernelspec metadata Jupyter itself writes for the ``python3`` kernel (so saving in JupyterLab changes
    nothing)."""
    try:
        spec = KernelSpecManager().get_kernel_spec(name)
        return {"display_name": spec.display_name, "language": spec.language, "name": name}
    except Exception:  # no installed python3 spec: ipykernel's own default
        return {"display_name": "Python 3 (ipykernel)", "language": "python", "name": name}


def execute(path: Path, timeout: int = 300, kernels: Path | None = None) -> tuple[list[str], bool]:
    """Run one chapter in a fresh kernel; store its outputs, inputs and tables read.

    Return the tables read, and whether the chapter's inputs stayed the same while it ran (if not,
    it keeps the record of the inputs it ran on, so it stays stale). ``kernels`` is the kernelspec
    folder of a running :func:`forked_kernels` server; without it the chapter gets a kernel started
    from scratch (the ``python3`` kernelspec).
    """
    nb = read_notebook(path)
    declared = table_files(declared_tables(nb, path))
    before = inputs(nb, path)
    with tempfile.TemporaryDirectory(prefix="k20-kernel-") as tmp:
        startup = Path(tmp) / "profile_default" / "startup"
        startup.mkdir(parents=True)
        (startup / "00-audit-data-reads.py").write_text(AUDIT, encoding="utf-8")
        log = Path(tmp) / "reads.log"
        log.touch()
        env = {
            **os.environ,
            "IPYTHONDIR": tmp,
            "K20_READS_LOG": str(log),
            "K20_DATA_DIR": str(DATA.resolve()),
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
        # Local sockets in the temporary folder, not TCP ports: nothing listens on the network.
        ipc = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(tmp) / "kernel")}})
        manager = (
            KernelManager(
                kernel_name="k20-forked", config=ipc, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)])
            )
            if kernels
            else KernelManager(kernel_name="python3", config=ipc)
        )
        client = NotebookClient(
            nb, km=manager, timeout=timeout, record_timing=False, resources={"metadata": {"path": str(path.parent)}}
        )
        try:
            client.execute(env=env)
        except CellExecutionError as error:
            raise SystemExit(f"{_shown(path)}: a cell failed\n{error}") from None
        finally:  # a client given its kernel manager leaves the kernel running
            if manager.has_kernel:
                manager.shutdown_kernel()
        opened = {Path(p).name for p in log.read_text(encoding="utf-8").split()}
    by_file = {file: name for name, file in table_files([r["name"] for r in _descriptor()["resources"]]).items()}
    reads = sorted(by_file[f] for f in opened if f in by_file)
    undeclared = sorted(set(reads) - set(declared))
    if undeclared:
        raise SystemExit(
            f"{_shown(path)} read tables it does not declare in karabakh.data (nor reach by foreign keys): {undeclared}"
        )
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata["kernelspec"] = _kernelspec()
    karabakh = nb.metadata.setdefault("karabakh", {})
    karabakh.pop("seconds", None)  # kept in _build/chapter-seconds.json: nothing that varies run to run is stored
    karabakh["reads"] = reads
    karabakh["inputs"] = before  # what it ran on: if the inputs changed meanwhile, it stays stale
    write_notebook(nb, path)
    return reads, inputs(nb, path) == before


def _load_seconds(file: Path) -> dict[str, float]:
    try:
        seconds = json.loads(file.read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in seconds.items()} if isinstance(seconds, dict) else {}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}  # a missing or damaged timing file only costs the scheduling order


def run(paths: list[Path], force: bool = False, jobs: int | None = None, timings: Path | None = None) -> list[Path]:
    """Execute the stale (or, with force, all) chapters among ``paths`` in parallel; return those executed."""
    for folder in {p.parent for p in paths}:  # temporary files of a run that was killed mid-write
        for leftover in folder.glob(".*.ipynb.*.tmp"):
            leftover.unlink(missing_ok=True)
    todo = [p for p in paths if force or is_stale(p)]
    timings = timings or ROOT / "_build" / "chapter-seconds.json"
    seconds = _load_seconds(timings)
    # Longest first (by the last run's time), so the slowest chapter does not start last.
    todo.sort(key=lambda p: -seconds.get(str(_shown(p)), 0.0))
    for p in paths:
        print(f"{'execute' if p in todo else 'current'}  {_shown(p)}", flush=True)

    if not todo:
        return []
    moved: list[Path] = []

    def one(path: Path) -> Path:
        start = time.perf_counter()
        try:
            reads, steady = execute(path, kernels=kernels)
        except (SystemExit, KeyboardInterrupt):
            raise
        except Exception as error:  # a kernel that died, a socket that closed: name the chapter, not a traceback
            raise SystemExit(
                f"{_shown(path)}: the run stopped ({type(error).__name__}: {error}); the chapter "
                f"keeps its earlier outputs and stays stale; run `make book` again"
            ) from None
        seconds[str(_shown(path))] = round(time.perf_counter() - start, 1)
        print(f"done     {_shown(path)} in {time.perf_counter() - start:.1f} s (read: {', '.join(reads)})", flush=True)
        if not steady:
            moved.append(path)
        return path

    # One chapter more than there are cores: a kernel spends part of its time waiting on messages.
    with forked_kernels() as kernels, ThreadPoolExecutor(max_workers=jobs or (os.cpu_count() or 1) + 1) as pool:
        done = list(pool.map(one, todo))
    with contextlib.suppress(OSError):
        timings.parent.mkdir(parents=True, exist_ok=True)
        timings.write_text(json.dumps(seconds, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if moved:
        raise SystemExit(
            "inputs changed while these chapters ran, so they stay stale; run `make book` again: "
            + ", ".join(str(_shown(p)) for p in moved)
        )
    return done


def check(paths: list[Path]) -> int:
    """Report chapters whose stored outputs were not made from today's inputs; return the exit status.

    Only the project's own inputs (code cells, data, descriptor, ``analysis/``) make a chapter fail;
    library versions that differ from those that made the outputs are reported as a note, since
    the notebook tests (nbval) re-run every chapter with the installed libraries and compare.
    """
    failed = 0
    for path in paths:
        changed = changed_inputs(path)
        ours = [c for c in changed if not c.startswith(LIBRARY)]
        libraries = [c.removeprefix(LIBRARY) for c in changed if c.startswith(LIBRARY)]
        if ours:
            failed += 1
            why = (
                ours[0]
                if ours[0] in (NEVER_RUN, NO_RECORD)
                else f"changed since its outputs were made: {', '.join(ours)}"
            )
            print(f"STALE    {_shown(path)}: {why}")
        elif libraries:
            print(f"note     {_shown(path)}: made with other versions of {', '.join(libraries)} (nbval compares)")
        else:
            print(f"current  {_shown(path)}")
    if failed:
        print(
            f"\n{failed} chapter(s) show outputs computed from older inputs. Run `make book`, "
            f"then commit the re-executed chapters."
        )
    return 1 if failed else 0


def validate_data() -> None:
    """Stop before any kernel starts if the data package has errors, with the validator's report."""
    sys.path.insert(0, str(ROOT))
    try:
        from analysis.data import validate
        from analysis.schema import DescriptorError
    finally:
        sys.path.remove(str(ROOT))
    try:
        report = validate(DATA)
    except DescriptorError as error:
        raise SystemExit(f"ERROR {error}\nNo chapter was executed.") from None
    except Exception as error:  # a fault in the validator itself: say so, without a traceback
        raise SystemExit(
            f"ERROR the validator failed on this data ({type(error).__name__}: {error}); this is a bug "
            f"in analysis/, not in the data.\nNo chapter was executed."
        ) from None
    if not report.ok:
        raise SystemExit(report.format() + "\nNo chapter was executed: fix the data first.")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="chapters to run (default: all in _toc.yml)")
    parser.add_argument("--force", action="store_true", help="execute even if the stored outputs are current")
    parser.add_argument(
        "--check", action="store_true", help="execute nothing; exit 1 if a chapter's stored outputs are not current"
    )
    parser.add_argument(
        "--jobs", type=int, default=None, help="chapters run at once (default: one more than there are cores)"
    )
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or chapters()
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise SystemExit(f"no such notebook: {', '.join(missing)}")
    if args.check:
        return check(paths)
    validate_data()
    run(paths, force=args.force, jobs=args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
