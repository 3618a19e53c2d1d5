"""Run a command holding the tree's build lock: two `make book` (or `make test`) in one tree take turns.

    python3 book/_ext/one_build.py _build/.lock -- make book-unlocked

Without it, two builds in one tree race: both run pip into the same fresh ``.venv``, both execute
the same chapters and write the same notebooks. The lock is an advisory ``flock`` on a file, so the
operating system releases it when the holder exits, however it exits (a killed build never leaves a
stale lock behind). A second build says whom it waits for, then waits. Standard library only: it
runs before the virtual environment exists.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    """Hold the lock named by ``argv[0]`` while the command after ``--`` runs; return its exit status."""
    if len(argv) < 3 or argv[1] != "--":
        print("usage: one_build.py LOCKFILE -- COMMAND [ARG ...]", file=sys.stderr)
        return 2
    lock, command = Path(argv[0]), argv[2:]
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+", encoding="utf-8") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip() or "another process"
            print(
                f"another build is running in this tree ({holder}); waiting for it to finish",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(f, fcntl.LOCK_EX)
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()}: {' '.join(command)}\n")
        f.flush()
        return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
