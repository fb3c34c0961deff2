"""Reading an edition's files: the packaged edition, once, or a directory.

The files are read strictly (UTF-8, one JSON object per line, no key given
twice, a size limit) and handed to :func:`_check.assemble`, which structures
and checks them.
"""

from __future__ import annotations

import gc
import io
import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from importlib.abc import Traversable

from ._check import Rows, assemble, named_record, structure
from ._dataset import Dataset
from ._errors import DatasetError
from ._model import Edition
from ._tables import EDITION_FILE, TABLES

__all__ = ["MAX_FILE_BYTES", "load"]

#: A data file larger than this is refused before it is parsed.
MAX_FILE_BYTES = 64 * 1024 * 1024


def _read_text(root: Traversable, name: str) -> str:
    entry = root.joinpath(name)
    try:
        if not entry.is_file():
            raise DatasetError("the file is missing", file=name)
        with entry.open("rb") as handle:  # never more than the limit in memory
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise DatasetError(f"cannot be read ({exc.strerror or exc})", file=name) from exc
    if len(data) > MAX_FILE_BYTES:
        raise DatasetError(f"is more than the {MAX_FILE_BYTES} bytes allowed", file=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DatasetError(f"is not UTF-8 (byte {exc.start})", file=name, record=f"line {line}") from exc
    if not text.strip():
        raise DatasetError("the file is empty", file=name)
    return text


class _RepeatedKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(f"repeated key {key!r}")
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, refusing a key given twice (``json`` would keep the last)."""
    value = dict(pairs)
    if len(value) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _RepeatedKeyError(key)
            seen.add(key)
    return value


def _decoder() -> json.JSONDecoder:
    # One per file read, not one per module: a decoder's scanner is not meant to be shared by threads.
    return json.JSONDecoder(object_pairs_hook=_object)


def _json_value(text: str, file: str, record: str, decoder: json.JSONDecoder) -> Any:
    try:
        return decoder.decode(text)
    except _RepeatedKeyError as exc:
        message = f"gives the key {exc.key!r} twice"
        raise DatasetError(message, file=file, record=record, field=exc.key) from exc
    except (ValueError, RecursionError) as exc:  # ValueError: also an integer of more than 4300 digits
        detail = (
            exc.msg
            if isinstance(exc, json.JSONDecodeError)
            else str(exc)
            if isinstance(exc, ValueError)
            else "nested too deeply"
        )
        raise DatasetError(f"is not valid JSON ({detail})", file=file, record=record) from exc


def _read_jsonl(root: Traversable, name: str) -> Rows:
    text = _read_text(root, name)
    if not text.endswith("\n"):
        raise DatasetError(
            "does not end with a newline: the file looks truncated",
            file=name,
            record=f"line {text.count(chr(10)) + 1}",
        )
    rows: list[tuple[str, dict[str, Any]]] = []
    decoder = _decoder()
    for number, line in enumerate(text.split("\n")[:-1], start=1):
        where = f"line {number}"
        if not line.strip():
            raise DatasetError("is blank", file=name, record=where)
        rows.append(named_record(_json_value(line, name, where, decoder), number, name))
    return rows


def _read(root: Traversable) -> Dataset:
    # Loading allocates many small objects and frees none of them; pausing the cyclic
    # garbage collector meanwhile keeps load time linear in the size of the edition
    # (docs/performance.md). It is switched back on however the load ends.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_unpaused(root)
    finally:
        if was_enabled:
            gc.enable()


def _read_unpaused(root: Traversable) -> Dataset:
    edition_raw = _json_value(_read_text(root, EDITION_FILE), EDITION_FILE, "edition", _decoder())
    if not isinstance(edition_raw, dict):
        raise DatasetError("is not a JSON object", file=EDITION_FILE)
    edition = structure(edition_raw, Edition, EDITION_FILE, "edition")
    return assemble(edition, {table.key: _read_jsonl(root, table.file) for table in TABLES})


class _PackagedFile:
    """One packaged data file, read through the package's own loader (a file or a zip entry)."""

    def __init__(self, loader: Any, path: str) -> None:
        self._loader = loader
        self._path = path

    def is_file(self) -> bool:
        try:
            self._data = bytes(self._loader.get_data(self._path))
        except OSError:
            return False
        return True

    def open(self, mode: str = "rb") -> BinaryIO:
        return io.BytesIO(self._data)


class _PackagedData:
    """The packaged ``data/`` directory as :func:`_read_text` reads a directory: ``joinpath``."""

    def __init__(self, loader: Any, directory: str) -> None:
        self._loader = loader
        self._directory = directory

    def joinpath(self, name: str) -> _PackagedFile:
        return _PackagedFile(self._loader, os.path.join(self._directory, name))


def _packaged_root() -> Any:
    """The packaged data, read by the package's loader where it can (no importlib.resources import).

    ``get_data`` is the loader's own way to read a file beside its modules, from
    a directory or a zip archive alike; any other loader is read through
    :mod:`importlib.resources`.
    """
    spec = __spec__  # this module's: its loader reads the package's files, beside it
    loader = getattr(spec, "loader", None)
    origin = getattr(spec, "origin", None)
    if origin and callable(getattr(loader, "get_data", None)):
        return _PackagedData(loader, os.path.join(os.path.dirname(origin), "data"))
    from importlib import resources  # pragma: no cover -- a loader without get_data

    return resources.files("tokyotech_partners") / "data"  # pragma: no cover


_LOCK = threading.Lock()
_PACKAGED: Dataset | None = None


def load(path: str | os.PathLike[str] | None = None) -> Dataset:
    """The dataset: the packaged edition, or the edition in directory ``path``.

    The packaged edition is read on the first call and the same object is
    returned afterwards (safe from several threads). An edition from ``path``
    is read afresh on every call. Every defect raises :class:`DatasetError`.

    >>> import tokyotech_partners as ttp
    >>> ds = ttp.load()
    >>> ds is ttp.load(), ds.as_of, len(ds.agreements)
    (True, datetime.date(2021, 5, 1), 237)
    """
    global _PACKAGED
    if path is not None:
        root = Path(path)
        if not root.is_dir():
            raise DatasetError(f"{os.fspath(path)!r} is not a directory")
        return _read(root)
    if _PACKAGED is None:
        with _LOCK:
            if _PACKAGED is None:
                _PACKAGED = _read(_packaged_root())
    return _PACKAGED
