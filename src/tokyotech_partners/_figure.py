"""The Figure the charts return: a matplotlib Figure that a notebook shows without set-up.

Imported only when a chart is drawn (it imports matplotlib). The charts build
their figures directly, not through pyplot, so IPython has no display for them
unless the inline backend was switched on; ``_repr_png_`` gives it one. Where
the inline backend is on, its formatter for :class:`matplotlib.figure.Figure`
is found first and the chart is shown once, not twice.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure as _MatplotlibFigure

__all__ = ["Figure"]


class Figure(_MatplotlibFigure):
    """A matplotlib Figure that renders itself as a PNG in a notebook."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        return buffer.getvalue()
