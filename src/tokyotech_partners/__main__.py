"""``python -m tokyotech_partners``: the command line (a summary of the dataset by default)."""

from __future__ import annotations

import sys

from ._cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
