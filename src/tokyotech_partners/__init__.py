"""Tokyo Tech's overseas academic cooperation agreements, offices and FY2021 budget, as typed data.

>>> import tokyotech_partners as ttp
>>> ds = ttp.load()
>>> len(ds.agreements), len(ds.offices)
(237, 5)
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ._aggregate import (
    KEYS,
    CategoryTotal,
    LineShare,
    Reconciliation,
    budget_shares,
    budget_totals,
    count_by,
    crosstab,
    reconcile_budget,
)
from ._budget import check_budget, percent_of
from ._dataset import Dataset, load, structure_dataset, unstructure_dataset
from ._errors import DatasetError, MissingExtraError, UnknownValueError
from ._export import (
    CODE_SEPARATOR,
    TEXT_SEPARATOR,
    export_datapackage,
    to_csv,
    to_dataframe,
    to_json,
    to_records,
)
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
from ._plot import plot_agreements_per_year, plot_budget, plot_counterparts, plot_countries
from ._query import InstitutionNotFoundError

try:
    __version__ = version("tokyotech-partners")
except PackageNotFoundError:  # pragma: no cover -- running from a source tree without metadata
    __version__ = "0+unknown"

__all__ = [
    "CODE_SEPARATOR",
    "KEYS",
    "TEXT_SEPARATOR",
    "Agreement",
    "AgreementLevel",
    "BudgetCategory",
    "BudgetLine",
    "BudgetSide",
    "CategoryTotal",
    "Correction",
    "CorrectionKind",
    "Counterpart",
    "Country",
    "Dataset",
    "DatasetError",
    "Edition",
    "ExchangeType",
    "Institution",
    "InstitutionNotFoundError",
    "LineKind",
    "LineShare",
    "MissingExtraError",
    "Office",
    "OfficeKind",
    "Reconciliation",
    "Region",
    "UnknownValueError",
    "__version__",
    "budget_shares",
    "budget_totals",
    "check_budget",
    "count_by",
    "crosstab",
    "export_datapackage",
    "load",
    "percent_of",
    "plot_agreements_per_year",
    "plot_budget",
    "plot_counterparts",
    "plot_countries",
    "reconcile_budget",
    "structure_dataset",
    "to_csv",
    "to_dataframe",
    "to_json",
    "to_records",
    "unstructure_dataset",
]
