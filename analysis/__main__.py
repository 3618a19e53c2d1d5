"""Command line: ``python -m analysis validate [DATA_DIR]`` (also ``karabakh-validate [DATA_DIR]``) and
``python -m analysis diff OLD [NEW]``."""

from __future__ import annotations

import argparse
import sys

from .data import default_data_dir, validate
from .release import SnapshotError, diff_packages, format_diff, snapshot
from .schema import DescriptorError

COMMANDS = ("validate", "diff")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="check the data package and list discrepancies between sources")
    check.add_argument("data_dir", nargs="?", default=None, help=f"default: {default_data_dir()}")
    changes = sub.add_parser("diff", help="rows added, removed and changed between two versions of the data package")
    changes.add_argument("old", help="a data folder, or a git revision of this repository (its data/ then)")
    changes.add_argument("new", nargs="?", default=None, help=f"the same; default: {default_data_dir()}")
    changes.add_argument("--summary", action="store_true", help="counts per file only, without the row keys")
    return parser


def _diff(old_spec: str, new_spec: str | None, summary: bool) -> int:
    repo = default_data_dir().parent
    try:
        old = snapshot(old_spec, repo)
        new = snapshot(new_spec or str(default_data_dir()), repo)
    except SnapshotError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 2
    print(format_diff(old, new, diff_packages(old, new), details=not summary))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit status (0 valid, 1 data errors, 2 unusable descriptor or input, 3 validator
    fault).

    Without a command (as the ``karabakh-validate`` script is called) it validates: no arguments
    check this repository's ``data/``; a single folder argument checks that folder.
    """
    args_in = list(sys.argv[1:] if argv is None else argv)
    if not args_in or (args_in[0] not in COMMANDS and not args_in[0].startswith("-")):
        args_in.insert(0, "validate")
    args = _parser().parse_args(args_in)
    if args.command == "diff":
        return _diff(args.old, args.new, args.summary)
    try:
        report = validate(args.data_dir)
    except DescriptorError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug in the validator: say so plainly rather than print a traceback
        print(
            f"ERROR the validator failed on this data ({type(exc).__name__}: {exc}); this is a bug in "
            "analysis/validation.py, please report it with the data that caused it",
            file=sys.stderr,
        )
        return 3
    print(report.format())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
