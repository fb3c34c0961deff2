"""Reading an edition's files: the packaged edition, once, or a directory.

The files are read strictly (UTF-8, one JSON object per line, no key given
twice, a size limit), one line at a time: each record is structured as soon
as it is parsed and each table checked by :func:`_assemble.assemble` before the
next file is opened, so that the first defect ends the read and the memory a
refused edition takes is bounded by the records read until then.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import threading
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from importlib.abc import Traversable

from ._assemble import Structure, assemble, json_object, structure
from ._check import record_name
from ._dataset import Dataset
from ._errors import DatasetError
from ._model import Edition
from ._tables import EDITION_FILE, Table
from ._text import quote

__all__ = ["MAX_FILE_BYTES", "MAX_RECORDS", "load"]

#: A data file larger than this is refused before it is parsed.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: A data file of more records than this is refused at the first record beyond it: with the
#: byte limit, it bounds the time and memory an edition takes (docs/data.md).
MAX_RECORDS = 100_000

_BOM = b"\xef\xbb\xbf"
_CHUNK = 1024 * 1024


@contextlib.contextmanager
def _opened(root: Traversable, name: str) -> Iterator[IO[bytes]]:
    """The file, open for reading bytes; refused at once if it is missing or larger than the limit."""
    entry = root.joinpath(name)
    try:
        if not entry.is_file():
            raise DatasetError("the file is missing", file=name)
        with entry.open("rb") as handle:
            with contextlib.suppress(OSError, AttributeError, io.UnsupportedOperation):
                if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:  # no fileno in a zip: read to see
                    raise _too_large(name)
            yield handle
    except OSError as exc:
        raise DatasetError(f"cannot be read ({exc.strerror or exc})", file=name) from exc


def _too_large(name: str) -> DatasetError:
    return DatasetError(f"is more than the {MAX_FILE_BYTES} bytes allowed", file=name)


def _decoded(data: bytes, name: str, number: int, offset: int) -> str:
    """One line (or the whole of edition.json) as text; a BOM or bytes that are not UTF-8 are refused."""
    if offset == 0 and data.startswith(_BOM):
        message = "starts with a byte order mark (BOM): save it as UTF-8 without one"
        raise DatasetError(message, file=name, record=f"line {number}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = number + data.count(b"\n", 0, exc.start)
        raise DatasetError(
            f"is not UTF-8 (byte {offset + exc.start})", file=name, record=f"line {line}"
        ) from exc


def _read_text(root: Traversable, name: str) -> str:
    """A whole file as text, read a chunk at a time up to the size limit."""
    chunks: list[bytes] = []
    size = 0
    with _opened(root, name) as handle:
        while chunk := handle.read(_CHUNK):
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise _too_large(name)
            chunks.append(chunk)
    text = _decoded(b"".join(chunks), name, 1, 0)
    if not text.strip():
        raise DatasetError("the file is empty", file=name)
    return text


def _lines(handle: IO[bytes], name: str) -> Iterator[tuple[int, str]]:
    """The lines of a JSON Lines file as text, numbered from 1, one at a time, within the size limit."""
    offset = 0
    number = 0
    while line := handle.readline(MAX_FILE_BYTES + 1 - offset):
        number += 1
        if offset + len(line) > MAX_FILE_BYTES:
            raise _too_large(name)
        text = _decoded(line, name, number, offset)
        offset += len(line)
        if not text.strip():
            if number == 1 and not any(chunk.strip() for chunk in iter(lambda: handle.read(_CHUNK), b"")):
                raise DatasetError("the file is empty", file=name)
            raise DatasetError("is blank", file=name, record=f"line {number}")
        if not text.endswith("\n"):
            message = "does not end with a newline: the file looks truncated"
            raise DatasetError(message, file=name, record=f"line {number}")
        yield number, text
    if number == 0:
        raise DatasetError("the file is empty", file=name)


class _RepeatedKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(f"repeated key {quote(key)}")
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


_PLAIN = json.JSONDecoder()  # the C scanner, kept by the decoder; decoding shares no state


def _plain(text: str) -> Any:
    """``json.loads(text)``, through ``raw_decode`` where the text starts with the value.

    ``decode`` calls ``raw_decode`` between two regular-expression matches for
    white space; a record's line starts with its ``{`` and ends with a newline,
    so it needs neither. Anything else is left to ``decode``, which parses it or
    raises its own error.
    """
    try:
        value, end = _PLAIN.raw_decode(text)
    except ValueError:
        return _PLAIN.decode(text)
    if end == len(text) or not text[end:].strip(" \t\n\r"):  # JSON's white space, as decode's
        return value
    return _PLAIN.decode(text)  # data after the value: decode raises "Extra data"


def _decoder() -> json.JSONDecoder:
    # One per file read, not one per module: a decoder's scanner is not meant to be shared by threads.
    return json.JSONDecoder(object_pairs_hook=_object)


def _json_value(text: str, file: str, record: str | int, decoder: json.JSONDecoder) -> Any:
    """The JSON value of ``text``, refusing a key given twice in any object.

    The C decoder parses first; only where the text has more colons than the
    value has keys (a key given twice, a nested object, or a string that holds
    a colon) is it parsed again, with the hook that finds the repeated key.
    Every key is followed by a colon, so a repeated key always makes the
    colons outnumber the keys, and none slips through. ``record`` is a line
    number, or how errors name the record.
    """
    try:
        value = _plain(text)
        if type(value) is dict and len(value) >= text.count(":"):
            return value
        return decoder.decode(text)
    except _RepeatedKeyError as exc:
        message = f"gives the key {quote(exc.key)} twice"
        raise DatasetError(message, file=file, record=_named(record), field=exc.key) from exc
    except (ValueError, RecursionError) as exc:  # ValueError: also an integer of more than 4300 digits
        detail = (
            exc.msg
            if isinstance(exc, json.JSONDecodeError)
            else str(exc)
            if isinstance(exc, ValueError)
            else "nested too deeply"
        )
        raise DatasetError(f"is not valid JSON ({detail})", file=file, record=_named(record)) from exc


def _named(record: str | int) -> str:
    """How errors name a record given as a line number (not yet parsed: no id) or by its name."""
    return record_name(record, None) if isinstance(record, int) else record


def _read_jsonl(root: Traversable, table: Table, structure_one: Structure) -> list[tuple[int, Any]]:
    """A table's records, each structured as soon as it is parsed: the first defect stops the read."""
    name = table.file
    decoder = _decoder()
    rows: list[tuple[int, Any]] = []
    with _opened(root, name) as handle:
        for number, line in _lines(handle, name):
            if number > MAX_RECORDS:
                message = f"has more than the {MAX_RECORDS} records a file may hold"
                raise DatasetError(message, file=name, record=f"line {number}")
            raw = json_object(_json_value(line, name, number, decoder), number, name)
            rows.append((number, structure_one(raw, number)))
    return rows


# Loading allocates many small objects and frees none of them; pausing the cyclic garbage
# collector meanwhile keeps load time linear in the size of the edition (docs/performance.md).
# Loads may run in several threads at once: the collector is paused when the first of them
# starts and switched back on when the last ends, if it was on before the first started.
_GC_LOCK = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    global _gc_pauses, _gc_was_enabled
    with _GC_LOCK:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def _read(root: Traversable) -> Dataset:
    with _collector_paused():
        return _read_unpaused(root)


def _read_unpaused(root: Traversable) -> Dataset:
    edition_raw = _json_value(_read_text(root, EDITION_FILE), EDITION_FILE, "edition", _decoder())
    if not isinstance(edition_raw, dict):
        raise DatasetError("is not a JSON object", file=EDITION_FILE)
    edition = structure(edition_raw, Edition, EDITION_FILE, "edition")
    return assemble(edition, lambda table, structure_one: _read_jsonl(root, table, structure_one))


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
        if not os.fspath(path):
            raise ValueError("load() takes the directory of an edition; an empty path names none")
        from pathlib import Path  # only to read a directory: not on the packaged path

        root = Path(path)
        if not root.is_dir():
            raise DatasetError(f"{quote(os.fspath(path))} is not a directory")
        return _read(root)
    if _PACKAGED is None:
        with _LOCK:
            if _PACKAGED is None:
                _PACKAGED = _read(_packaged_root())
    return _PACKAGED
