"""Writing an edition: the dataset as JSON primitives, and as the files :func:`load` reads."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ._assemble import structure_dataset
from ._converter import converter
from ._dataset import Dataset
from ._files import target_path, write_files
from ._tables import EDITION_FILE, TABLES

__all__ = ["unstructure_dataset", "write_edition"]


def unstructure_dataset(dataset: Dataset) -> dict[str, Any]:
    """The dataset as JSON primitives: ``"edition"`` and one key per table (see :func:`structure_dataset`)."""
    raw: dict[str, Any] = {"edition": converter.unstructure(dataset.edition)}
    for table in TABLES:
        raw[table.key] = converter.unstructure(getattr(dataset, table.name))
    return raw


def write_edition(dataset: Dataset, directory: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write ``dataset`` in the layout :func:`load` reads; return the directory.

    ``edition.json`` and one JSON Lines file per table (one per table),
    UTF-8, one record per line in the dataset's order, each file ending in a
    newline: the packaged edition is written exactly this way, so a new edition
    can start as a copy of it. The dataset is validated first, as :func:`load`
    would validate the files, and a defect raises :class:`DatasetError` before
    anything is written. The directory is created if needed. An existing data
    file in it raises :class:`FileExistsError` unless ``overwrite`` is true; a
    symbolic link in place of one is never written through. Each file is
    written under a temporary name and renamed into place, so that a failure
    leaves the files already there whole; an empty path raises :class:`ValueError`.

    >>> import tempfile, tokyotech_partners as ttp
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     ttp.load(ttp.write_edition(ttp.load(), tmp)) == ttp.load()
    True
    """
    raw = unstructure_dataset(dataset)
    structure_dataset(raw)  # refuse to write what load() would refuse to read
    out = target_path(directory, "write_edition")
    texts = {EDITION_FILE: json.dumps(raw["edition"], ensure_ascii=False, indent=2) + "\n"}
    for table in TABLES:
        rows = raw[table.key]
        texts[table.file] = "".join(
            json.dumps(row, ensure_ascii=False, separators=(", ", ": ")) + "\n" for row in rows
        )
    write_files(out, texts, overwrite=overwrite)
    return out
