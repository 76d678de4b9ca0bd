"""``mastery-nb demo``."""

from __future__ import annotations

import argparse
from typing import Any

from mastery_nb.cli import add_root_options


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser("demo", help="(not built yet)")
    add_root_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError("mastery-nb demo is not built yet")
