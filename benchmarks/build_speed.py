"""How fast the book builds: against its floor, with no change, and after one CSV changed.

    python benchmarks/build_speed.py [--csv damage.csv] [--venv /path/to/.venv]

Works on a copy of the repository's tracked files in a temporary folder, with this checkout's
``.venv`` (or the one ``--venv`` names, linked entry by entry beside a fresh install stamp, so that
``make`` in the copy never reinstalls it; the copy's own code comes first on ``PYTHONPATH``), and
prints in one run:

- the floor: one kernel start that imports what the chapters import, timed, times the number of
  chapters (what executing the chapters one after another, each in a kernel started from scratch,
  cannot go below; the chapter runner goes under it by running chapters side by side in kernels
  forked from one warm server);
- a clean build (every chapter executed, then the HTML build from scratch) and its ratio to the floor;
- a rebuild with nothing changed, and its ratio to the clean build;
- a rebuild after one CSV changed (a note or description cell edited), with the chapters that
  re-executed, checked against the chapters that declare that table (directly or through a
  foreign key), and a check that no page is left stale.

After each build, the print edition's own account (pages opened in Chromium, print passes, seconds).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORTS = (
    "import pandas, numpy, plotly.graph_objects, matplotlib.pyplot, networkx, myst_nb; "
    "import analysis, analysis.report, analysis.charts, analysis.network"
)


def _run(args: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds, done.stdout + done.stderr


def build(repo: Path) -> tuple[float, list[str]]:
    """`make book`, timed; return seconds and the chapters executed."""
    seconds, out = _run(["make", "--no-print-directory", "book"], repo)
    for line in re.findall(r"^print edition: \d+ pages, .*$", out, flags=re.M):
        print(f"  ({line})")
    return seconds, re.findall(r"^done +(book/\S+\.ipynb)", out, flags=re.M)


def floor(chapters: int) -> float:
    """Seconds for one fresh kernel to start and import the chapters' libraries, times the chapters."""
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    best = float("inf")
    for _ in range(3):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(IMPORTS)])
        with tempfile.TemporaryDirectory(prefix="k20-floor-") as tmp:  # local sockets, as the chapter runner uses
            ipc = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(tmp) / "kernel")}})
            start = time.perf_counter()
            NotebookClient(
                nb, config=ipc, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "book")}}
            ).execute()
            best = min(best, time.perf_counter() - start)
    return best * chapters


def copy_repo(target: Path, venv: Path | None = None) -> Path:
    """The tracked files copied into ``target``, with this checkout's .venv or ``venv`` linked, never reinstalled."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in filter(None, files.split("\0")):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    if venv is None:
        (target / ".venv").symlink_to(ROOT / ".venv")
        return target
    (target / ".venv").mkdir()
    for entry in venv.iterdir():  # its interpreter, libraries and kernel, but a stamp of the copy's own
        if not entry.name.startswith("."):
            (target / ".venv" / entry.name).symlink_to(entry)
    (target / ".venv" / ".installed-stamp").touch()
    os.environ["PYTHONPATH"] = str(target)
    planned = subprocess.run(["make", "-n", "book-unlocked"], cwd=target, capture_output=True, text=True).stdout
    if "pip install" in planned or "-m venv" in planned:
        raise SystemExit(f"make would reinstall {venv}; not running:\n{planned}")
    return target


def edit_one_cell(path: Path) -> str:
    """Append a word to the first non-empty note/description cell of a CSV; return what was edited."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    for column in ("note", "description", "title"):
        if column in rows[0]:
            j = rows[0].index(column)
            for i, row in enumerate(rows[1:], 1):
                if row[j]:
                    row[j] += " (edited)"
                    out = io.StringIO()
                    csv.writer(out, lineterminator="\n").writerows(rows)
                    path.write_text(out.getvalue(), encoding="utf-8")
                    return f"{path.name} row {i} column {column!r}"
    raise SystemExit(f"{path.name}: no text column to edit")


def readers_of(repo: Path, table: str) -> set[str]:
    """Chapters whose declared tables (with their foreign-key targets) include ``table``."""
    sys.path.insert(0, str(repo / "book" / "_ext"))
    import run_chapters

    return {
        f"book/{p.name}"
        for p in run_chapters.chapters(repo)
        if table in run_chapters.table_files(json.loads(p.read_text())["metadata"]["karabakh"]["data"])
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", default="damage.csv", help="the data file to change for the last rebuild")
    parser.add_argument("--venv", type=Path, help="a ready environment to build with (e.g. the main checkout's)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="k20-build-") as tmp:
        repo = copy_repo(Path(tmp), args.venv.resolve() if args.venv else None)
        chapters = len(list((repo / "book").glob("*.ipynb")))
        base = floor(chapters)
        print(f"floor: one kernel start with the book's imports x {chapters} chapters = {base:.1f} s")

        # Clean: outputs forced stale (a build from a fresh clone with every chapter changed).
        for nb in (repo / "book").glob("*.ipynb"):
            data = json.loads(nb.read_text(encoding="utf-8"))
            data["metadata"].get("karabakh", {}).pop("inputs", None)
            nb.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        clean, executed = build(repo)
        print(
            f"clean build: {clean:.1f} s ({len(executed)} chapters executed, then the HTML build); "
            f"{clean / base:.2f}x the floor (goal: at most 1.2x)"
        )

        again, executed = build(repo)
        print(
            f"no-change rebuild: {again:.1f} s ({len(executed)} chapters executed); "
            f"{again / clean:.3f} of the clean build (goal: at most 0.1)"
        )

        table = Path(args.csv).stem
        edited = edit_one_cell(repo / "data" / args.csv)
        changed, executed = build(repo)
        expected = readers_of(repo, table)
        print(f"after editing {edited}: {changed:.1f} s; re-executed: {', '.join(sorted(executed)) or 'none'}")
        print(f"  chapters that declare {table} (or reach it by a foreign key): {', '.join(sorted(expected))}")
        print(f"  re-executed exactly those: {set(executed) == expected}")
        stale = subprocess.run(
            [
                str(repo / ".venv" / "bin" / "python"),
                "-c",
                "import sys; sys.path.insert(0, 'book/_ext'); import run_chapters as r; "
                "print(sum(r.is_stale(p) for p in r.chapters()))",
            ],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        html = repo / "_build" / "html"
        old_pages = [
            c for c in executed if (html / c).with_suffix(".html").stat().st_mtime < (repo / c).stat().st_mtime
        ]
        print(
            f"  stale chapters after the rebuild: {stale}; re-executed chapters whose page is older than "
            f"their notebook: {len(old_pages)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
