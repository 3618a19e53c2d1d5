"""Command line: ``python -m analysis validate [DATA_DIR]`` and ``python -m analysis diff OLD [NEW]``."""

from __future__ import annotations

import argparse
import sys

from .data import default_data_dir, validate
from .release import SnapshotError, diff_packages, format_diff, snapshot
from .schema import DescriptorError


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit status (0 valid, 1 data errors, 2 unusable descriptor or input)."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="check the data package and list discrepancies between sources")
    check.add_argument("data_dir", nargs="?", default=None, help=f"default: {default_data_dir()}")
    changes = sub.add_parser("diff", help="rows added, removed and changed between two versions of the data package")
    changes.add_argument("old", help="a data folder, or a git revision of this repository (its data/ then)")
    changes.add_argument("new", nargs="?", default=None, help=f"the same; default: {default_data_dir()}")
    changes.add_argument("--summary", action="store_true", help="counts per file only, without the row keys")
    args = parser.parse_args(argv)
    if args.command == "diff":
        repo = default_data_dir().parent
        try:
            old = snapshot(args.old, repo)
            new = snapshot(args.new or str(default_data_dir()), repo)
        except SnapshotError as exc:
            print(f"ERROR {exc}", file=sys.stderr)
            return 2
        print(format_diff(old, new, diff_packages(old, new), details=not args.summary))
        return 0
    try:
        report = validate(args.data_dir)
    except DescriptorError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 2
    print(report.format())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
