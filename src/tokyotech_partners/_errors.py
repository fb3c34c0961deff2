"""The library's own exceptions."""

from __future__ import annotations

__all__ = ["DatasetError", "MissingExtraError", "UnknownValueError"]


class DatasetError(Exception):
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
        super().__init__(f"{where}: {message}" if where else message)


class UnknownValueError(LookupError, ValueError):
    """A value matches nothing in the dataset; ``suggestions`` lists the closest valid ones."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        self.suggestions = suggestions
        if suggestions:
            message = f"{message}; did you mean {', '.join(repr(s) for s in suggestions)}?"
        super().__init__(message)


class MissingExtraError(ImportError):
    """An optional dependency is not installed; the message names the extra to install."""

    def __init__(self, module: str, extra: str, what: str) -> None:
        self.module = module
        self.extra = extra
        self.what = what
        super().__init__(
            f"{what} needs {module}, which is not installed: pip install 'tokyotech-partners[{extra}]'",
            name=module,
        )

    def __reduce__(self) -> tuple[type[MissingExtraError], tuple[str, str, str]]:
        return (type(self), (self.module, self.extra, self.what))


# Shown as tokyotech_partners.DatasetError in tracebacks, where users import them from.
DatasetError.__module__ = "tokyotech_partners"
UnknownValueError.__module__ = "tokyotech_partners"
MissingExtraError.__module__ = "tokyotech_partners"
