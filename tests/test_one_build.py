"""The build lock (book/_ext/one_build.py): two builds in one tree take turns, and say so."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT

SCRIPT = ROOT / "book" / "_ext" / "one_build.py"


def test_a_second_build_waits_for_the_first_and_says_whom_it_waits_for(tmp_path: Path) -> None:
    lock, log = tmp_path / "_build" / ".lock", tmp_path / "log"
    step = (
        "import sys, time; open(sys.argv[1], 'a').write(sys.argv[2] + ' start\\n'); time.sleep(1.5); "
        "open(sys.argv[1], 'a').write(sys.argv[2] + ' end\\n')"
    )
    first = subprocess.Popen([sys.executable, str(SCRIPT), str(lock), "--", sys.executable, "-c", step, str(log), "a"])
    time.sleep(0.5)
    second = subprocess.run(
        [sys.executable, str(SCRIPT), str(lock), "--", sys.executable, "-c", step, str(log), "b"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert first.wait(timeout=60) == 0 and second.returncode == 0
    assert log.read_text().split("\n")[:4] == ["a start", "a end", "b start", "b end"]
    assert "another build is running in this tree" in second.stderr and "pid" in second.stderr


def test_the_lock_passes_on_the_exit_status_and_is_released_by_a_killed_holder(tmp_path: Path) -> None:
    lock = tmp_path / ".lock"
    holder = subprocess.Popen([sys.executable, str(SCRIPT), str(lock), "--", "sleep", "30"])
    time.sleep(0.5)
    holder.kill()
    holder.wait()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(lock), "--", sys.executable, "-c", "raise SystemExit(3)"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 3 and time.perf_counter() - started < 10


def test_make_takes_the_lock_for_book_test_and_the_first_install() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("book", "test", "validate"):
        assert re.search(rf"^{target}:( ## [^\n]*)?\n\t@\$\(LOCKED\) {target}-unlocked$", makefile, flags=re.M), target
    assert "$(STAMP)" not in makefile.split("book:", 1)[1].split("\n", 1)[0]  # the install runs under the lock
