"""Type-checked by mypy --strict (not run by pytest): the public API as a user writes it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

import tokyotech_partners as ttp

ds: ttp.Dataset = ttp.load()
as_of: dt.date = ds.as_of
first: ttp.Agreement = ds.agreements[0]
level: ttp.AgreementLevel = first.level
partners: tuple[ttp.Institution, ...] = first.partners
country: str | None = partners[0].country
counterparts: frozenset[ttp.Counterpart] = first.counterparts
kinds: frozenset[ttp.ExchangeType] = first.exchange_types
description: str = next(iter(kinds)).description
year: int = first.concluded
unit: str | None = first.partner_unit
office: ttp.Office = ds.offices[0]
established: int = office.established
line: ttp.BudgetLine = ds.budget_lines[0]
percent: Decimal | None = line.percent
amount: int = line.amount_million_yen
problems: tuple[str, ...] = ttp.check_budget(ds.budget_lines)
mine: tuple[ttp.Agreement, ...] = ds.agreements_of("mit")
version: str = ttp.__version__

try:
    ttp.load("/nonexistent")
except ttp.DatasetError as exc:
    where: str | None = exc.file

# queries, aggregation and exports (issue 3's API), as a notebook user writes them
german: tuple[ttp.Agreement, ...] = ds.agreements_where(country="DE", exchange=["S", ttp.ExchangeType.F])
since_2010 = ds.agreements_where(level=ttp.AgreementLevel.SCHOOL, since=2010, until=2021)
epfl: ttp.Institution = ds.lookup_institution("EPFL")
ranked: tuple[ttp.Institution, ...] = ds.search_institutions("technology", limit=5)
per_region: dict[object, int] = dict(ttp.count_by(ds.agreements, "region"))
per_decade = ttp.count_by(ds.agreements, lambda a: a.decade)
table = ttp.crosstab(ds.agreements, "decade", "level")
records: list[dict[str, str | int | float | bool | None]] = ttp.to_records(german)
text: str = ttp.to_csv(ds.offices)
shares: tuple[ttp.LineShare, ...] = ttp.budget_shares(ds.budget_lines)
balanced: bool = all(r.balanced for r in ttp.reconcile_budget(ds.budget_lines))

# tables in one call (issue 10)
if TYPE_CHECKING:
    import pandas

    frame: pandas.DataFrame = ttp.to_dataframe(ds.agreements)
    counts: pandas.Series[int] = ttp.to_dataframe(ttp.count_by(ds.agreements, "decade"))
    grid: pandas.DataFrame = ttp.to_dataframe(ttp.crosstab(ds.agreements, "region", "level"), names=True)
    tidy: pandas.DataFrame = ttp.to_dataframe(ttp.institution_summary(ds))
pairs: tuple[ttp.AgreementPartner, ...] = ttp.agreement_partners(german)
try:
    ds.lookup_institution("nowhere")
except ttp.InstitutionNotFoundError as missing:
    closest: tuple[str, ...] = missing.suggestions
