"""Execute the chapters whose inputs changed, in parallel, storing outputs in the notebooks.

    python book/_ext/run_chapters.py                  # every chapter in _toc.yml, if stale
    python book/_ext/run_chapters.py --force          # every chapter, stale or not
    python book/_ext/run_chapters.py book/war.ipynb   # just these, if stale (--force to insist)

The book is built from stored outputs (``execute_notebooks: off``), so this runs first. A chapter
is stale unless its metadata ``karabakh.inputs`` equals the hash of what its outputs depend on:
its code cells, the CSVs of the tables it declares (``karabakh.data``) and of the tables their
foreign keys point to, ``datapackage.json``, every module of ``analysis/`` and the versions of the
libraries that draw the outputs. The hash travels inside the notebook, so a fresh clone knows its
stored outputs are current, and no cache can serve a page that a change to ``data/`` or
``analysis/`` made stale.

While a chapter runs, a Python audit hook in its kernel records every file it opens under
``data/``; the tables read are stored as ``karabakh.reads``, and a read outside the declared tables
(and their foreign-key targets) fails the run, naming the chapter and the files.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import subprocess
import sys
import tempfile
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
LIBRARIES = ("pandas", "numpy", "plotly", "matplotlib", "networkx", "ipykernel", "nbclient")
FORKSERVER = Path(__file__).resolve().parent / "kernel_forkserver.py"
# Imported once by the fork server, before it forks a kernel per chapter: what every chapter imports,
# and what an ipykernel imports as it starts (its shell, debugger and history store).
PRELOAD = ("numpy", "pandas", "matplotlib.pyplot", "plotly.graph_objects", "networkx", "myst_nb",
           *sorted(f"analysis.{m.stem}" for m in ANALYSIS.glob("*.py") if m.stem not in ("__init__", "__main__")),
           "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "IPython.core.debugger",
           "IPython.core.completerlib", "IPython.extensions.storemagic", "sqlite3", "pydoc")
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
    """The notebooks of the book, in table-of-contents order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [entry["file"] for entry in toc.get("chapters", [])]
    return [root / f"{f}.ipynb" for f in files]


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


def inputs_hash(nb: nbformat.NotebookNode, path: Path) -> str:
    """Hash of everything a chapter's stored outputs depend on (see the module docstring)."""
    h = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code":
            h.update(b"cell\0" + cell.source.encode())
    for name, file in sorted(table_files(declared_tables(nb, path)).items()):
        h.update(f"table\0{name}\0".encode() + (DATA / file).read_bytes())
    h.update(b"descriptor\0" + (DATA / "datapackage.json").read_bytes())
    for module in sorted(ANALYSIS.rglob("*.py")):
        h.update(f"module\0{module.relative_to(ROOT)}\0".encode() + module.read_bytes())
    for library in LIBRARIES:
        h.update(f"lib\0{library}\0{metadata.version(library)}".encode())
    return h.hexdigest()


def is_stale(path: Path) -> bool:
    """True if the chapter's stored outputs were not made from its current inputs."""
    nb = nbformat.read(path, as_version=4)
    stored = nb.metadata.get("karabakh", {}).get("inputs")
    executed = all(c.get("execution_count") is not None for c in nb.cells if c.cell_type == "code")
    return not executed or stored != inputs_hash(nb, path)


@contextlib.contextmanager
def forked_kernels(preload: tuple[str, ...] = PRELOAD) -> Iterator[Path]:
    """Start a kernel fork server that has imported ``preload``; yield the folder of its kernelspec.

    Each kernel asked of it is a forked child that becomes a fresh ipykernel in the caller's working
    directory and environment (see ``kernel_forkserver.py``): a new process and namespace per chapter,
    without each one spending a second or two importing the same libraries.
    """
    with tempfile.TemporaryDirectory(prefix="k20-forkserver-") as tmp:
        address = str(Path(tmp) / "server.sock")
        server = subprocess.Popen([sys.executable, str(FORKSERVER), "serve", address, *preload],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT, start_new_session=True,
                                  env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
        try:
            if server.stdout.readline().strip() != b"ready":
                raise SystemExit(f"the kernel fork server did not start (exit status {server.wait()}); "
                                 f"its error is above")
            spec = Path(tmp) / "kernels" / "k20-forked"
            spec.mkdir(parents=True)
            (spec / "kernel.json").write_text(json.dumps({
                "argv": [sys.executable, str(FORKSERVER), "launch", address, "--",
                         "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (forked from a warm server)", "language": "python",
            }), encoding="utf-8")
            yield spec.parent
        finally:
            server.stdin.close()  # the server kills any kernel left and exits
            server.wait(timeout=30)


def execute(path: Path, timeout: int = 300, kernels: Path | None = None) -> list[str]:
    """Run one chapter in a fresh kernel; store its outputs, input hash and tables read. Return the tables read.

    ``kernels`` is the kernelspec folder of a running :func:`forked_kernels` server; without it the
    chapter gets a kernel started from scratch (the ``python3`` kernelspec).
    """
    start = time.perf_counter()
    nb = nbformat.read(path, as_version=4)
    declared = table_files(declared_tables(nb, path))
    with tempfile.TemporaryDirectory(prefix="k20-kernel-") as tmp:
        startup = Path(tmp) / "profile_default" / "startup"
        startup.mkdir(parents=True)
        (startup / "00-audit-data-reads.py").write_text(AUDIT, encoding="utf-8")
        log = Path(tmp) / "reads.log"
        log.touch()
        env = {**os.environ, "IPYTHONDIR": tmp, "K20_READS_LOG": str(log), "K20_DATA_DIR": str(DATA.resolve()),
               "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        # Local sockets in the temporary folder, not TCP ports: nothing listens on the network.
        ipc = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(tmp) / "kernel")}})
        manager = (KernelManager(kernel_name="k20-forked", config=ipc,
                                 kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))
                   if kernels else KernelManager(kernel_name="python3", config=ipc))
        client = NotebookClient(nb, km=manager, timeout=timeout, record_timing=False,
                                resources={"metadata": {"path": str(path.parent)}})
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
        raise SystemExit(f"{_shown(path)} read tables it does not declare in karabakh.data "
                         f"(nor reach by foreign keys): {undeclared}")
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata.setdefault("karabakh", {})
    nb.metadata["karabakh"]["reads"] = reads
    nb.metadata["karabakh"]["inputs"] = inputs_hash(nb, path)
    nb.metadata["karabakh"]["seconds"] = round(time.perf_counter() - start)  # for scheduling, not compared
    nbformat.write(nb, path)
    return reads


def run(paths: list[Path], force: bool = False, jobs: int | None = None) -> list[Path]:
    """Execute the stale (or, with force, all) chapters among ``paths`` in parallel; return those executed."""
    todo = [p for p in paths if force or is_stale(p)]
    # Longest first (by the last run's time), so the slowest chapter does not start last.
    todo.sort(key=lambda p: -nbformat.read(p, as_version=4).metadata.get("karabakh", {}).get("seconds", 0))
    for p in paths:
        print(f"{'execute' if p in todo else 'current'}  {_shown(p)}", flush=True)

    if not todo:
        return []

    def one(path: Path) -> Path:
        start = time.perf_counter()
        reads = execute(path, kernels=kernels)
        print(f"done     {_shown(path)} in {time.perf_counter() - start:.1f} s (read: {', '.join(reads)})",
              flush=True)
        return path

    # One chapter more than there are cores: a kernel spends part of its time waiting on messages.
    with forked_kernels() as kernels, ThreadPoolExecutor(max_workers=jobs or (os.cpu_count() or 1) + 1) as pool:
        return list(pool.map(one, todo))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="chapters to run (default: all in _toc.yml)")
    parser.add_argument("--force", action="store_true", help="execute even if the stored outputs are current")
    parser.add_argument("--jobs", type=int, default=None, help="chapters run at once (default: one more than there are cores)")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or chapters()
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise SystemExit(f"no such notebook: {', '.join(missing)}")
    run(paths, force=args.force, jobs=args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
