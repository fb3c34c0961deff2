"""The corrections log rendered as Markdown (CORRECTIONS.md and the docs).

Run ``python docs/_ext/ttp_corrections.py > CORRECTIONS.md`` after changing the
data; a test fails while the committed file is stale.
"""

from __future__ import annotations

from ttp_docs import cell

from tokyotech_partners import CorrectionKind, Dataset, load

__all__ = ["render_markdown"]

_HEADINGS = {
    CorrectionKind.COUNTRY: "Countries",
    CorrectionKind.SPELLING: "Spellings",
    CorrectionKind.MERGE: "Several printed forms, one institution",
    CorrectionKind.SPLIT: "Cells split into parties or units",
    CorrectionKind.READING: "Readings of ambiguous or unprinted facts",
    CorrectionKind.COUNTERPART: "Uncertain Tokyo Tech counterpart readings",
}


def render_markdown(ds: Dataset) -> str:
    """The corrections log of ``ds`` as a Markdown document."""
    out = [
        "# Corrections log",
        "",
        f"Every place where the data of edition {ds.edition.data_version} departs from, or reads",
        f"into, the printed source `{ds.edition.source_file}` (as of {ds.as_of.isoformat()}).",
        "Generated from `src/tokyotech_partners/data/corrections.jsonl`; do not edit by hand.",
        "",
        f"{len(ds.corrections)} entries.",
    ]
    for kind, heading in _HEADINGS.items():
        entries = [c for c in ds.corrections if c.kind is kind]
        if not entries:
            continue
        out += ["", f"## {heading} ({len(entries)})", ""]
        out += ["| record | field | printed | recorded | reason |", "|---|---|---|---|---|"]
        out += [
            f"| {c.record} | {c.field} | {cell(c.printed)} | {cell(c.recorded)} | {cell(c.reason)} |"
            for c in entries
        ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(render_markdown(load()), end="")
