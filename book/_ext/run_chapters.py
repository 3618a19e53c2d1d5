"""Execute chapter notebooks in place, storing their outputs (the book is built from stored outputs).

    python book/_ext/run_chapters.py                # every chapter listed in _toc.yml
    python book/_ext/run_chapters.py book/war.ipynb # just these

Each notebook runs in a fresh ``python3`` kernel with ``book/`` as its working folder. Timing
metadata is not recorded, so re-running an unchanged chapter leaves the file unchanged.
An error in a cell stops with the notebook name and the failing cell's traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[2]


def chapters(root: Path = ROOT) -> list[Path]:
    """The notebooks of the book, in table-of-contents order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [entry["file"] for entry in toc.get("chapters", [])]
    return [root / f"{f}.ipynb" for f in files if (root / f"{f}.ipynb").exists()]


def execute(path: Path, timeout: int = 300) -> None:
    """Run one notebook top to bottom in a fresh kernel and write it back with its outputs."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as error:
        raise SystemExit(f"{path.relative_to(ROOT)}: a cell failed\n{error}") from None
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or chapters()
    for path in paths:
        print(f"executing {path.relative_to(ROOT)}", flush=True)
        execute(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
