"""Tokyo Tech's overseas academic cooperation agreements, offices and FY2021 budget, as typed data.

>>> import tokyotech_partners as ttp
>>> ds = ttp.load()
>>> len(ds.agreements), len(ds.offices)
(237, 5)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._dataset import Dataset
from ._enums import (
    AgreementLevel,
    BudgetCategory,
    BudgetSide,
    CorrectionKind,
    Counterpart,
    ExchangeType,
    LineKind,
    OfficeKind,
    Region,
    SubRegion,
    WorldRegion,
)
from ._errors import (
    AmbiguousNameError,
    DatasetError,
    InstitutionNotFoundError,
    MissingExtraError,
    TokyoTechPartnersError,
    UnknownValueError,
)
from ._model import Agreement, BudgetLine, Correction, Country, Edition, Institution, Office

if TYPE_CHECKING:
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
    from ._arrow import to_arrow, to_polars
    from ._assemble import structure_dataset
    from ._budget import check_budget, percent_of
    from ._export import (
        export_datapackage,
        to_csv,
        to_dataframe,
        to_json,
        to_records,
    )
    from ._map import plot_map
    from ._plot import plot_agreements_per_year, plot_budget, plot_counterparts, plot_countries
    from ._read import load
    from ._schema import CODE_SEPARATOR, TEXT_SEPARATOR
    from ._sqlite import to_sqlite
    from ._tidy import (
        AgreementCounterpart,
        AgreementExchange,
        AgreementPartner,
        InstitutionSummary,
        agreement_counterparts,
        agreement_exchange_types,
        agreement_partners,
        institution_summary,
    )
    from ._write import unstructure_dataset, write_edition

    __version__: str

# Imported on first use, so that ``import tokyotech_partners`` stays quick: the
# name -> private module that defines it.
_LAZY = {
    **dict.fromkeys(
        [
            "KEYS",
            "CategoryTotal",
            "LineShare",
            "Reconciliation",
            "budget_shares",
            "budget_totals",
            "count_by",
            "crosstab",
            "reconcile_budget",
        ],
        "_aggregate",
    ),
    **dict.fromkeys(["CODE_SEPARATOR", "TEXT_SEPARATOR"], "_schema"),
    **dict.fromkeys(
        [
            "AgreementCounterpart",
            "AgreementExchange",
            "AgreementPartner",
            "InstitutionSummary",
            "agreement_counterparts",
            "agreement_exchange_types",
            "agreement_partners",
            "institution_summary",
        ],
        "_tidy",
    ),
    **dict.fromkeys(
        [
            "export_datapackage",
            "to_csv",
            "to_dataframe",
            "to_json",
            "to_records",
        ],
        "_export",
    ),
    **dict.fromkeys(
        ["plot_agreements_per_year", "plot_budget", "plot_counterparts", "plot_countries"], "_plot"
    ),
    "plot_map": "_map",
    "to_sqlite": "_sqlite",
    **dict.fromkeys(["to_arrow", "to_polars"], "_arrow"),
    "load": "_read",
    **dict.fromkeys(["check_budget", "percent_of"], "_budget"),
    "structure_dataset": "_assemble",
    **dict.fromkeys(["unstructure_dataset", "write_edition"], "_write"),
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value: Any = version("tokyotech-partners")
        except PackageNotFoundError:  # pragma: no cover -- a source tree without metadata
            value = "0+unknown"
    elif name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "CODE_SEPARATOR",
    "KEYS",
    "TEXT_SEPARATOR",
    "Agreement",
    "AgreementCounterpart",
    "AgreementExchange",
    "AgreementLevel",
    "AgreementPartner",
    "AmbiguousNameError",
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
    "InstitutionSummary",
    "LineKind",
    "LineShare",
    "MissingExtraError",
    "Office",
    "OfficeKind",
    "Reconciliation",
    "Region",
    "SubRegion",
    "TokyoTechPartnersError",
    "UnknownValueError",
    "WorldRegion",
    "__version__",
    "agreement_counterparts",
    "agreement_exchange_types",
    "agreement_partners",
    "budget_shares",
    "budget_totals",
    "check_budget",
    "count_by",
    "crosstab",
    "export_datapackage",
    "institution_summary",
    "load",
    "percent_of",
    "plot_agreements_per_year",
    "plot_budget",
    "plot_counterparts",
    "plot_countries",
    "plot_map",
    "reconcile_budget",
    "structure_dataset",
    "to_arrow",
    "to_csv",
    "to_dataframe",
    "to_json",
    "to_polars",
    "to_records",
    "to_sqlite",
    "unstructure_dataset",
    "write_edition",
]
