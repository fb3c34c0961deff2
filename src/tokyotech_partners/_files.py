"""Writing files safely: the one way the library writes to disk.

Every file is written to a temporary name in its directory and renamed into
place, so that a failure leaves the file it would have replaced whole; a
symbolic link in place of a file is never written through nor replaced; an
existing file is replaced only when asked; and an error names the file.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path

__all__ = ["target_path", "write_built", "write_files"]


def target_path(path: str | os.PathLike[str], what: str) -> Path:
    """``path`` as a :class:`Path`; an empty path (which would mean the current directory) is refused."""
    if not os.fspath(path):
        raise ValueError(f"{what} takes a path to write to; an empty path names none")
    return Path(path)


def _check_target(target: Path, overwrite: bool) -> None:
    if target.is_symlink():
        message = "is a symbolic link: refusing to write through it or replace it"
        raise FileExistsError(errno.EEXIST, message, str(target))
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a directory, not a file", str(target))
    if target.exists() and not overwrite:
        message = "already exists: replace it with overwrite=True (on the command line, export --force)"
        raise FileExistsError(errno.EEXIST, message, str(target))


def _write_temporary(directory: Path, name: str, data: bytes) -> Path:
    """``data`` in a new file of ``directory`` under a temporary name (created, never opened if there)."""
    temporary = directory / f".{name}.{secrets.token_hex(6)}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _make_directory(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OSError(exc.errno, f"cannot create the directory: {exc.strerror}", str(directory)) from exc


def write_built(target: Path, build: Callable[[Path], None], *, overwrite: bool) -> None:
    """Have ``build`` fill a new, empty file under a temporary name beside ``target``; rename it into place.

    For files another library writes by path (a SQLite database): the target
    is checked as :func:`write_files` checks it, the temporary file is
    created afresh (never opened if there), and a failure of ``build``
    removes it, leaving ``target`` as it was.
    """
    _check_target(target, overwrite)
    _make_directory(target.parent)
    try:
        temporary = _write_temporary(target.parent, target.name, b"")
    except OSError as exc:
        raise OSError(exc.errno, f"cannot be written: {exc.strerror}", str(target)) from exc
    try:
        build(temporary)
        os.replace(temporary, target)  # replaces a link planted meanwhile, not its target
    finally:
        temporary.unlink(missing_ok=True)


def write_files(directory: Path, texts: Mapping[str, str], *, overwrite: bool) -> None:
    """Write each text (UTF-8, newlines as given) to its file name in ``directory``, created if needed.

    Every target is checked before anything is written, every file is written
    under a temporary name before any is renamed into place, and a failure
    removes the temporary files: the directory keeps its previous files whole.
    """
    targets = {name: directory / name for name in texts}
    for target in targets.values():
        _check_target(target, overwrite)
    _make_directory(directory)
    written: dict[str, Path] = {}
    try:
        for name, text in texts.items():
            try:
                written[name] = _write_temporary(directory, name, text.encode("utf-8"))
            except OSError as exc:
                raise OSError(exc.errno, f"cannot be written: {exc.strerror}", str(targets[name])) from exc
        for name, temporary in written.items():
            os.replace(temporary, targets[name])  # replaces a link planted meanwhile, not its target
    finally:
        for temporary in written.values():
            temporary.unlink(missing_ok=True)
