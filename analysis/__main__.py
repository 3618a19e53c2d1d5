"""Command line: ``python -m analysis validate [DATA_DIR]``."""

from __future__ import annotations

import argparse
import sys

from .data import default_data_dir, validate
from .schema import DescriptorError


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit status (0 valid, 1 data errors, 2 unusable descriptor)."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="check the data package and list discrepancies between sources")
    check.add_argument("data_dir", nargs="?", default=None, help=f"default: {default_data_dir()}")
    args = parser.parse_args(argv)
    try:
        report = validate(args.data_dir)
    except DescriptorError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 2
    print(report.format())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
