"""Tokyo Tech's overseas academic cooperation agreements, offices and FY2021 budget, as typed data.

>>> import tokyotech_partners as ttp
>>> ds = ttp.load()
>>> len(ds.agreements), len(ds.offices)
(237, 5)
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ._budget import check_budget, percent_of
from ._dataset import Dataset, load, structure_dataset, unstructure_dataset
from ._errors import DatasetError, UnknownValueError
from ._model import (
    Agreement,
    AgreementLevel,
    BudgetCategory,
    BudgetLine,
    BudgetSide,
    Correction,
    CorrectionKind,
    Counterpart,
    Country,
    Edition,
    ExchangeType,
    Institution,
    LineKind,
    Office,
    OfficeKind,
    Region,
)

try:
    __version__ = version("tokyotech-partners")
except PackageNotFoundError:  # pragma: no cover -- running from a source tree without metadata
    __version__ = "0+unknown"

__all__ = [
    "Agreement",
    "AgreementLevel",
    "BudgetCategory",
    "BudgetLine",
    "BudgetSide",
    "Correction",
    "CorrectionKind",
    "Counterpart",
    "Country",
    "Dataset",
    "DatasetError",
    "Edition",
    "ExchangeType",
    "Institution",
    "LineKind",
    "Office",
    "OfficeKind",
    "Region",
    "UnknownValueError",
    "__version__",
    "check_budget",
    "load",
    "percent_of",
    "structure_dataset",
    "unstructure_dataset",
]
