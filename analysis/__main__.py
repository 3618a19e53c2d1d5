"""Command line: ``python -m analysis validate [DATA_DIR]``, or ``karabakh-validate [DATA_DIR]``."""

from __future__ import annotations

import argparse
import sys

from .data import default_data_dir, validate
from .schema import DescriptorError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="check the data package and list discrepancies between sources")
    check.add_argument("data_dir", nargs="?", default=None, help=f"default: {default_data_dir()}")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit status (0 valid, 1 data errors, 2 unusable descriptor, 3 validator fault).

    Without a command (as the ``karabakh-validate`` script is called) it validates: no arguments
    check this repository's ``data/``; a single folder argument checks that folder.
    """
    parser = _parser()
    args_in = list(sys.argv[1:] if argv is None else argv)
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    if not args_in or (args_in[0] not in commands and not args_in[0].startswith("-")):
        args_in.insert(0, "validate")
    args = parser.parse_args(args_in)
    try:
        report = validate(args.data_dir)
    except DescriptorError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug in the validator: say so plainly rather than print a traceback
        print(f"ERROR the validator failed on this data ({type(exc).__name__}: {exc}); this is a bug in "
              "analysis/validation.py, please report it with the data that caused it", file=sys.stderr)
        return 3
    print(report.format())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
