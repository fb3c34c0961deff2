"""The library's own exceptions: one base class, and one class for each kind of failure.

Everything the library raises on purpose is a :class:`TokyoTechPartnersError`,
except a wrong argument *type*, which is a plain :class:`TypeError`.
"""

from __future__ import annotations

from types import ModuleType

from ._text import clip

#: The most characters a :class:`DatasetError`'s text has.
MAX_MESSAGE = 2000

__all__ = [
    "AmbiguousNameError",
    "DatasetError",
    "InstitutionNotFoundError",
    "MissingExtraError",
    "TokyoTechPartnersError",
    "UnknownValueError",
]


class TokyoTechPartnersError(Exception):
    """The base class of every exception the library raises on purpose."""


class DatasetError(TokyoTechPartnersError):
    """A data file is missing, unreadable or inconsistent.

    ``file``, ``record`` and ``field`` say where: the data file's name, the
    record (its id or line number) and the field, each ``None`` where it does
    not apply. The message repeats them.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        record: str | None = None,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.record = record
        self.field = field
        self.detail = message
        where = ", ".join(
            part
            for part in (
                file,
                f"record {record}" if record is not None else None,
                f"field {field}" if field is not None else None,
            )
            if part
        )
        # a last bound: the message may list several problems, each quoting bounded excerpts
        super().__init__(clip(f"{where}: {message}" if where else message, MAX_MESSAGE))


class UnknownValueError(TokyoTechPartnersError, LookupError, ValueError):
    """A value matches nothing in the dataset; ``suggestions`` lists the closest valid ones."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        self.suggestions = suggestions
        if suggestions:
            message = f"{message}; did you mean {', '.join(repr(s) for s in suggestions)}?"
        super().__init__(message)


class InstitutionNotFoundError(UnknownValueError):
    """No institution has this name, alias or id; ``suggestions`` names the closest."""


class AmbiguousNameError(UnknownValueError):
    """A name that several institutions answer to; ``matches`` holds them all (never a silent pick)."""

    def __init__(self, message: str, matches: tuple[object, ...] = ()) -> None:
        self.matches = matches
        super().__init__(message)


class MissingExtraError(TokyoTechPartnersError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""

    def __init__(self, module: str, extra: str, what: str) -> None:
        self.module = module
        self.extra = extra
        self.what = what
        super().__init__(
            f"{what} needs {module}, which is not installed: pip install '.[{extra}]' in a clone "
            f"of the repository (the package is not on an index)",
            name=module,
        )

    def __reduce__(self) -> tuple[type[MissingExtraError], tuple[str, str, str]]:
        return (type(self), (self.module, self.extra, self.what))


def require(module: str, extra: str, what: str) -> ModuleType:
    """Import the optional dependency ``module``, or raise :class:`MissingExtraError` naming ``extra``."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(module, extra, what) from None


# Shown as tokyotech_partners.DatasetError in tracebacks, where users import them from.
for _cls in (
    TokyoTechPartnersError,
    DatasetError,
    UnknownValueError,
    InstitutionNotFoundError,
    AmbiguousNameError,
    MissingExtraError,
):
    _cls.__module__ = "tokyotech_partners"
del _cls
