"""Command line: ``python -m tokyotech_partners`` prints a summary of the dataset."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ._dataset import load
from ._summary import summary

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    del argv
    print(summary(load()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
