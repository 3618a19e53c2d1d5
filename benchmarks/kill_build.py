"""Kill `make book` at random moments and check that nothing is lost and the next build recovers.

    python benchmarks/kill_build.py [--trials 8] [--seed 2020]

Works on a copy of the repository's tracked files (as build_speed.py does). Each trial edits a note
in sources.csv (a table every chapter reads), so every chapter is stale, starts `make book`, kills
its whole process group with SIGKILL after a random delay within a clean build's length, then checks:

- every chapter notebook still reads and validates as a notebook;
- each is either current (its recorded inputs equal today's) or stale, never "current" with
  outputs from other inputs: a chapter reported current must have its stored inputs equal to the
  inputs as they are now;
- the next `make book` succeeds and leaves every chapter current (`run_chapters.py --check`), with
  no temporary file left beside the chapters.

It prints one line per trial and a summary; it exits 1 if any trial lost a notebook or did not recover.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_speed import copy_repo  # noqa: E402

BIN = Path(__file__).resolve().parent.parent / ".venv" / "bin"


def _edit_note(repo: Path, trial: int) -> None:
    """Change the first source's caveats (a table every chapter reads), differently on every trial."""
    path = repo / "data" / "sources.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    column = rows[0].index("caveats")
    rows[1][column] = re.sub(r" \(kill trial \d+\)$", "", rows[1][column]) + f" (kill trial {trial})"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _state(repo: Path) -> tuple[int, int, list[str]]:
    """(current, stale, broken chapter files) as the runner sees them after the kill."""
    sys.path.insert(0, str(repo / "book" / "_ext"))
    try:
        import importlib

        import run_chapters

        runner = importlib.reload(run_chapters)
    finally:
        sys.path.pop(0)
    current = stale = 0
    broken: list[str] = []
    for path in runner.chapters(repo):
        try:
            nbformat.validate(nbformat.read(path, as_version=4))
        except Exception:
            broken.append(path.name)
            continue
        if runner.changed_inputs(path):
            stale += 1
        else:
            current += 1
    return current, stale, broken


def trial(repo: Path, n: int, delay: float) -> dict:
    """One kill at ``delay`` seconds into `make book`, then a recovery build; what was seen."""
    _edit_note(repo, n)
    make = subprocess.Popen(
        ["make", "--no-print-directory", "book"],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    time.sleep(delay)
    finished_first = make.poll() is not None
    if not finished_first:
        os.killpg(make.pid, signal.SIGKILL)
    out = make.communicate()[0]
    last = [line for line in out.splitlines() if line.strip()][-1:] or ["(nothing printed)"]
    current, stale, broken = _state(repo)
    start = time.perf_counter()
    recovery = subprocess.run(["make", "--no-print-directory", "book"], cwd=repo, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    check = subprocess.run(
        [str(BIN / "python"), "book/_ext/run_chapters.py", "--check"], cwd=repo, capture_output=True, text=True
    )
    leftovers = [p.name for p in (repo / "book").glob(".*.tmp")]
    if finished_first and make.returncode != 0:  # it failed by itself, before any kill: show why
        print(out[-3000:], flush=True)
    return {
        "delay": delay,
        "killed": not finished_first,
        "last": last[0][:60],
        "current": current,
        "stale": stale,
        "broken": broken,
        "recovered": recovery.returncode == 0 and check.returncode == 0 and not leftovers,
        "recovery_s": seconds,
        "detail": (recovery.stdout + recovery.stderr)[-2000:] if recovery.returncode else "",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=8)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--longest", type=float, default=25.0, help="latest kill, in seconds after the start")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="k20-kill-") as tmp:
        repo = copy_repo(Path(tmp))
        subprocess.run(["make", "--no-print-directory", "book"], cwd=repo, capture_output=True, check=True)
        print(
            f"{'trial':>5} {'kill at':>8}  {'current':>7} {'stale':>5} {'broken':>6}  {'recovered':>9} "
            f"{'in':>6}  last line before the kill"
        )
        for n in range(1, args.trials + 1):
            r = trial(repo, n, round(rng.uniform(0.3, args.longest), 1))
            ok = r["recovered"] and not r["broken"]
            failures += not ok
            when = f"{r['delay']:.1f} s" if r["killed"] else "(done)"
            print(
                f"{n:>5} {when:>8}  {r['current']:>7} {r['stale']:>5} {len(r['broken']):>6}  "
                f"{'yes' if r['recovered'] else 'NO':>9} {r['recovery_s']:>5.1f}s  {r['last']}",
                flush=True,
            )
            if r["detail"]:
                print(r["detail"])
    print(f"\n{args.trials - failures} of {args.trials} trials: every notebook whole and the next build recovered")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
