"""Render the HTML book from the chapters' stored outputs into a fresh folder, then swap it into place.

    python book/_ext/build_html.py      # what `make book` and `make test` run after the chapter runner

Sphinx builds incrementally and never deletes: a download, page or search term that the sources no
longer produce would survive in ``_build/html``. So every build starts from an empty staging folder
(``_build/.staging``; the Sphinx build itself takes a few seconds) and only a successful one replaces
``_build/html``. A failed or killed build leaves the previous book in place; the next build starts
over.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def build(root: Path = ROOT) -> int:
    """Build the book under ``root`` into ``root/_build/html``; return the Sphinx build's exit status."""
    build_dir = root / "_build"
    staging, out, old = build_dir / ".staging", build_dir / "html", build_dir / ".html-old"
    for folder in (staging, old):
        shutil.rmtree(folder, ignore_errors=True)
    staging.mkdir(parents=True)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    done = subprocess.run(
        [
            str(jupyter_book),
            "build",
            str(root),
            "--warningiserror",
            "--nitpick",
            "--keep-going",
            "--path-output",
            str(staging),
        ],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:  # Sphinx's own account, then ours: its paths name the staging folder
        print(done.stdout + done.stderr, file=sys.stderr)
        print(f"the HTML build failed (exit status {done.returncode}); _build/html is left as it was", file=sys.stderr)
        return done.returncode
    if out.exists():
        out.rename(old)
    (staging / "_build" / "html").rename(out)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
    print(f"HTML book built: {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(build())
