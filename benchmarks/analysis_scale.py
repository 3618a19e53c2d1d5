"""Time and peak memory of the validator and of every public analysis function on synthetic data of growing size.

Usage: python benchmarks/analysis_scale.py [--sizes 10000 100000 1000000] [--validate-only]

First, for each size, ``python -m analysis validate`` runs on the package in a fresh process: the
table gives its wall time, CPU time and peak memory as the OS counts it (ru_maxrss of that one
process, from wait4). Goal: at most 20 s and 1.5 GB at 1,000,000 events on a 2-core machine.

For each size (number of events; relations, actors, detentions and sentences grow in proportion,
see synthetic.PROPORTIONS) it loads a synthetic package generated from datapackage.json, then runs
each function once for time and once under tracemalloc for peak memory. It prints a table and the
1M/100k time ratio (about 10 means linear growth). A function whose time at the previous size,
scaled by its growth so far, projects past --budget seconds is reported as skipped rather than run.
Goal: every function under 2 s at 1M events on a 2-core machine. This prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import make_package  # noqa: E402

from analysis import casualties, discrepancies, load_all, losses, network, sentencing, sources, timeline  # noqa: E402

Tables = dict


def registry() -> dict[str, Callable[[Tables], object]]:
    """Public functions, each called as a reader of the book would call it."""
    g: dict[str, Any] = {}

    def graph(t):
        if "graph" not in g or g["graph"][0] is not t:
            g["graph"] = (t, network.actor_graph(t["actors"], t["relations"]))
        return g["graph"][1]

    return {
        "timeline.events_per_period(D)": lambda t: timeline.events_per_period(t["events"], "D"),
        "timeline.events_per_period(W, theatre+category)": lambda t: timeline.events_per_period(
            t["events"], "W", ["theatre", "category"]
        ),
        "timeline.phases": lambda t: timeline.phases(t["events"]),
        "timeline.timeline_frame": lambda t: timeline.timeline_frame(t["events"], t["places"]),
        "timeline.versions_per_event": lambda t: timeline.versions_per_event(t["events"]),
        "losses.documented_table": lambda t: losses.documented_table(t["equipment_losses"]),
        "losses.totals_table": lambda t: losses.totals_table(t["equipment_losses"]),
        "losses.ratio_table": lambda t: losses.ratio_table(t["equipment_losses"]),
        "losses.claims_compared": lambda t: losses.claims_compared(
            t["loss_claims"], t["equipment_losses"], t["actors"]
        ),
        "casualties.casualty_table": lambda t: casualties.casualty_table(t["casualties"], t["actors"], t["sources"]),
        "sentencing.sentence_table": lambda t: sentencing.sentence_table(t["sentences"], t["actors"]),
        "sentencing.summarise(court)": lambda t: sentencing.summarise(
            sentencing.sentence_table(t["sentences"], t["actors"]), "court"
        ),
        "sentencing.days_to_sentence": lambda t: sentencing.days_to_sentence(t["sentences"], t["detentions"]),
        "sentencing.stated_vs_recorded": lambda t: sentencing.stated_vs_recorded(t["sentence_totals"], t["sentences"]),
        "sources.rows_per_source": lambda t: sources.rows_per_source(t),
        "sources.rows_per_topic": lambda t: sources.rows_per_topic(t),
        "discrepancies.find_discrepancies": lambda t: discrepancies.find_discrepancies(t),
        "network.actor_graph": lambda t: network.actor_graph(t["actors"], t["relations"]),
        "network.centrality": lambda t: network.centrality(graph(t)),
        "network.communities": lambda t: network.communities(graph(t)),
        "network.co_detention": lambda t: network.co_detention(
            network.detention_graph(t["detentions"], t["events"], t["actors"])
        ),
    }


#: Above this many seconds the second, traced run (for peak memory) is skipped: tracing slows
#: pure-Python code (networkx) several times over.
TRACE_UNDER = 10.0


def measure(fn: Callable[[Tables], object], tables: Tables) -> tuple[float, float]:
    """Seconds for one call, and peak traced memory (MiB) of a second call (NaN if it would be too slow)."""
    start = time.perf_counter()
    fn(tables)
    seconds = time.perf_counter() - start
    if seconds > TRACE_UNDER:
        return seconds, float("nan")
    tracemalloc.start()
    fn(tables)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20


ROOT = Path(__file__).resolve().parent.parent


#: Run by a small intermediate process: Linux carries the peak memory of the image a process was
#: exec'd from into its ru_maxrss, so the validator must not be started by this (large) process.
_MEASURE = """
import json, os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(json.dumps([time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                  os.waitstatus_to_exitcode(status)]))
"""


def validate_in_fresh_process(directory: Path) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak resident MiB, exit status) of ``python -m analysis validate`` run alone on the package."""
    command = [sys.executable, "-m", "analysis", "validate", str(directory)]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], cwd=ROOT, capture_output=True, text=True, check=True
    )
    wall, cpu, peak, status = json.loads(done.stdout)  # ru_maxrss is in KiB on Linux
    return wall, cpu, peak, status


def validation_table(sizes: list[int], tmp: Path) -> None:
    """Print the validator's wall time, CPU time and peak memory at each size."""
    print(f"{'events':>12} {'rows in all':>12} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9}  exit")
    for size in sizes:
        directory = make_package(size, tmp / f"v{size}")
        rows = sum(sum(1 for _ in open(p, "rb")) - 1 for p in directory.glob("*.csv"))
        wall, cpu, peak, status = validate_in_fresh_process(directory)
        print(f"{size:>12,} {rows:>12,} {wall:>8.1f} {cpu:>8.1f} {peak:>9.0f}  {status}", flush=True)
        for csv_file in directory.glob("*.csv"):
            csv_file.unlink()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--budget", type=float, default=60.0, help="skip a run projected to take longer (s)")
    parser.add_argument("--validate-only", action="store_true", help="only the validator's table")
    args = parser.parse_args(argv)
    print("# python -m analysis validate, each size in a fresh process", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        validation_table(args.sizes, Path(tmp))
    if args.validate_only:
        return
    funcs = registry()
    results: dict[str, dict[int, tuple[float, float] | None]] = {name: {} for name in funcs}
    with tempfile.TemporaryDirectory() as tmp:
        previous: int | None = None
        for size in args.sizes:
            t0 = time.perf_counter()
            directory = make_package(size, Path(tmp) / str(size))
            t1 = time.perf_counter()
            tables = load_all(directory)
            t2 = time.perf_counter()
            rows = sum(len(t) for t in tables.values())
            print(
                f"# {size:,} events ({rows:,} rows in all): generated in {t1 - t0:.1f} s, "
                f"load_all (read + validate + type) {t2 - t1:.1f} s",
                flush=True,
            )
            for name, fn in funcs.items():
                last = results[name].get(previous) if previous else None
                if previous and (last is None or last[0] * size / previous > args.budget):
                    results[name][size] = None
                    print(f"  {name:<50} skipped (projected over {args.budget:.0f} s)", flush=True)
                    continue
                seconds, mib = results[name][size] = measure(fn, tables)
                print(f"  {name:<50} {seconds:8.3f} s {mib:8.1f} MiB", flush=True)
            previous = size
    sizes = args.sizes
    header = f"{'function':<52}" + "".join(f"{s:>11,} ev: s / MiB " for s in sizes)
    if len(sizes) >= 2:
        header += f"  ratio {sizes[-1] // 1000}k/{sizes[-2] // 1000}k"
    print(header)
    for name, by_size in results.items():
        cells = []
        for s in sizes:
            r = by_size.get(s)
            cells.append(f"{'skipped':>26}" if r is None else f"{r[0]:>16.3f} / {r[1]:>7.1f}")
        ratio = ""
        largest = by_size.get(sizes[-1])
        before = by_size.get(sizes[-2]) if len(sizes) >= 2 else None
        if largest and before:
            ratio = f"  {largest[0] / max(before[0], 1e-6):>8.1f}"
        flag = "" if not largest or largest[0] <= 2.0 else "  > 2 s"
        print(f"{name:<52}" + "".join(cells) + ratio + flag)


if __name__ == "__main__":
    main()
