"""The command line: ``tokyotech-partners`` and ``python -m tokyotech_partners``."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

import tokyotech_partners as ttp

from ._summary import balance_line, budget_table, summary, table
from ._text import clip, quote

__all__ = ["main"]

PROG = "tokyotech-partners"
WIDTH = 80
_YEARS = re.compile(r"^\s*([12][0-9]{3})?\s*(?:-|\.\.|–)\s*([12][0-9]{3})?\s*$|^\s*([12][0-9]{3})\s*$")


class _UsageError(Exception):
    """Bad input on the command line: exit status 2, one line on stderr."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _year_range(text: str) -> tuple[int | None, int | None]:
    match = _YEARS.match(text)
    if not match:
        raise _UsageError(
            f"malformed year range {quote(text)}: use YEAR, FROM-TO, FROM- or -TO (e.g. 2010-2019)"
        )
    start, end, single = match.groups()
    if single:
        return int(single), int(single)
    if start is None and end is None:
        raise _UsageError(f"malformed year range {quote(text)}: give at least one year")
    low, high = (int(start) if start else None), (int(end) if end else None)
    if low is not None and high is not None and low > high:
        raise _UsageError(f"malformed year range {quote(text)}: {low} is after {high}")
    return low, high


def _year(text: str) -> int:
    if not re.fullmatch(r"[12][0-9]{3}", text.strip()):
        raise argparse.ArgumentTypeError(f"not a year: {quote(text)}")
    return int(text)


def _positive(text: str) -> int:
    if not re.fullmatch(r"[0-9]+", text.strip()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {quote(text)}")
    return int(text)


def _parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description="Tokyo Tech's overseas partner agreements, offices and FY2021 budget.",
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    sub.add_parser("summary", help="a summary of the dataset (the default)")

    fmt = _Parser(add_help=False)
    fmt.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="output format (table)"
    )

    agreements = sub.add_parser(
        "agreements",
        parents=[fmt],
        help="list agreements, filtered",
        description="Filters combine as 'and'; repeat a filter for 'any of these'.",
    )
    _agreement_filters(agreements)

    institutions = sub.add_parser("institutions", parents=[fmt], help="list partner institutions")
    institutions.add_argument("--country", action="append", metavar="COUNTRY", help="code or name")
    institutions.add_argument("--search", metavar="TEXT", help="rank institutions by a name or alias")

    sub.add_parser("offices", parents=[fmt], help="list the ANNEXes and overseas offices")

    budget = sub.add_parser("budget", parents=[fmt], help="the FY2021 budget and its balance check")
    budget.add_argument("--side", choices=[s.value for s in ttp.BudgetSide], help="one side only")

    _export_arguments(
        sub.add_parser("export", help="write the dataset as a Frictionless Data Package or a SQLite database")
    )

    count = sub.add_parser(
        "count",
        parents=[fmt],
        help="count agreements by a key, or cross-tabulate two keys",
        description="Counts the agreements the filters choose; an agreement with several values of "
        "a key (partner countries, exchange types) counts once for each.",
    )
    count.add_argument("key", choices=tuple(ttp.KEYS), metavar="KEY", help=", ".join(ttp.KEYS))
    count.add_argument("by", nargs="?", choices=tuple(ttp.KEYS), metavar="KEY2", help="a second key")
    _agreement_filters(count)

    plot = sub.add_parser(
        "plot",
        help="draw a chart to a PNG (needs the 'plot' extra)",
        description="The charts of agreements take the filters of 'agreements'.",
    )
    plot.add_argument("kind", choices=("years", "countries", "counterparts", "map", "budget"))
    plot.add_argument("--out", required=True, metavar="FILE.png", help="where to write the chart")
    plot.add_argument("--top", type=_positive, default=15, help="countries shown by 'countries' (15)")
    plot.add_argument(
        "--per",
        choices=("agreements", "institutions"),
        default="agreements",
        help="what 'map' counts per country (agreements)",
    )
    _agreement_filters(plot)
    return parser


def _export_arguments(export: argparse.ArgumentParser) -> None:
    """The arguments of the ``export`` command."""
    export.add_argument("path", metavar="PATH", help="the directory (datapackage) or file (sqlite)")
    export.add_argument(
        "--format",
        choices=("datapackage", "sqlite"),
        default="datapackage",
        help="what to write (datapackage)",
    )
    export.add_argument("--force", action="store_true", help="replace existing files of the same names")


def _agreement_filters(agreements: argparse.ArgumentParser) -> None:
    """The filters of the ``agreements`` command."""
    agreements.add_argument(
        "--level",
        action="append",
        metavar="LEVEL",
        help=f"{' or '.join(m.value for m in ttp.AgreementLevel)}",
    )
    agreements.add_argument(
        "--country", action="append", metavar="COUNTRY", help="alpha-2 code or name, e.g. DE or Germany"
    )
    agreements.add_argument(
        "--region",
        action="append",
        metavar="HEADING",
        help="the source's heading: " + ", ".join(r.value for r in ttp.Region),
    )
    agreements.add_argument(
        "--world-region",
        action="append",
        metavar="REGION",
        help="UN M49 region of a partner: " + ", ".join(r.value for r in ttp.WorldRegion),
    )
    agreements.add_argument(
        "--subregion", action="append", metavar="SUBREGION", help="UN M49 sub-region, e.g. 'Northern Europe'"
    )
    agreements.add_argument(
        "--exchange",
        action="append",
        metavar="TYPE",
        help=", ".join(f"{t.value} ({t.description})" for t in ttp.ExchangeType),
    )
    agreements.add_argument(
        "--counterpart",
        action="append",
        metavar="UNIT",
        help="Tokyo Tech unit: " + ", ".join(c.value for c in ttp.Counterpart),
    )
    agreements.add_argument("--since", type=_year, metavar="YEAR", help="concluded in or after YEAR")
    agreements.add_argument("--until", type=_year, metavar="YEAR", help="concluded in or before YEAR")
    agreements.add_argument("--years", metavar="FROM-TO", help="year range, e.g. 2010-2019, 2015-, -1999")
    agreements.add_argument(
        "--partner", action="append", metavar="NAME", help="institution name, alias or id"
    )


def _emit(items: Sequence[object], fmt: str, as_table: list[str], out: TextIO, kind: type) -> None:
    if fmt == "csv":
        out.write(ttp.to_csv(items, kind=kind))
    elif fmt == "json":
        out.write(ttp.to_json(items))
    else:
        out.write("\n".join(as_table) + "\n")


def _filters_given(args: argparse.Namespace) -> bool:
    names: tuple[str, ...]
    names = ("level", "country", "region", "world_region", "subregion", "exchange", "counterpart", "since")
    names += ("until", "years", "partner")
    return any(getattr(args, name) is not None for name in names)


def _chosen(ds: ttp.Dataset, args: argparse.Namespace) -> tuple[ttp.Agreement, ...]:
    """The agreements the filters of ``agreements``, ``count`` and ``plot`` choose."""
    since, until = args.since, args.until
    if args.years:
        low, high = _year_range(args.years)
        lows = [x for x in (since, low) if x is not None]
        highs = [x for x in (until, high) if x is not None]
        since = max(lows) if lows else None
        until = min(highs) if highs else None
    if since is not None and until is not None and since > until:
        raise _UsageError(f"--since {since} is after --until {until}: no year is in between")
    return ds.agreements_where(
        level=args.level,
        country=args.country,
        region=args.region,
        world_region=args.world_region,
        subregion=args.subregion,
        exchange=args.exchange,
        counterpart=args.counterpart,
        since=since,
        until=until,
        partner=args.partner,
    )


def _agreements(ds: ttp.Dataset, args: argparse.Namespace, out: TextIO) -> None:
    chosen = _chosen(ds, args)
    rows: list[tuple[str, ...]] = [("id", "year", "level", "country", "types", "partner")]
    for a in chosen:
        rows.append(
            (
                a.id,
                str(a.concluded),
                "inst" if a.level is ttp.AgreementLevel.INSTITUTIONAL else "school",
                clip(",".join(sorted(a.countries)) or "-", 8),
                " ".join(t.value for t in ttp.ExchangeType if t in a.exchange_types),
                " / ".join(p.name for p in a.partners),
            )
        )
    lines = table(rows, right=frozenset({1}), flex=5, width=WIDTH)
    lines.append(f"  {len(chosen)} agreement{'s' if len(chosen) != 1 else ''}")
    _emit(chosen, args.format, lines, out, ttp.Agreement)


def _institutions(ds: ttp.Dataset, args: argparse.Namespace, out: TextIO) -> None:
    chosen = ds.search_institutions(args.search, limit=None) if args.search else ds.institutions
    if args.country:
        codes = {ds.lookup_country(c).code for c in args.country}
        chosen = tuple(i for i in chosen if i.country in codes)
    rows: list[tuple[str, ...]] = [("id", "cc", "agr", "name")]
    for inst in chosen:
        rows.append(
            (
                inst.id,
                inst.country or "-",
                str(len(ds.agreements_of(inst))),
                inst.name,
            )
        )
    lines = table(rows, right=frozenset({2}), flex=3, width=WIDTH)
    lines.append(f"  {len(chosen)} institution{'s' if len(chosen) != 1 else ''}")
    _emit(chosen, args.format, lines, out, ttp.Institution)


def _offices(ds: ttp.Dataset, args: argparse.Namespace, out: TextIO) -> None:
    rows: list[tuple[str, ...]] = [("name", "kind", "location", "est.")]
    for o in ds.offices:
        rows.append(
            (o.name, o.kind.value, clip(f"{o.city}, {ds.country_name(o.country)}", 26), str(o.established))
        )
    lines = table(rows)
    lines += [
        f"  {o.name} succeeds {o.succeeds} (est. {o.succeeds_established})" for o in ds.offices if o.succeeds
    ]
    _emit(ds.offices, args.format, lines, out, ttp.Office)


def _budget(ds: ttp.Dataset, args: argparse.Namespace, out: TextIO) -> None:
    sides = [ttp.BudgetSide(args.side)] if args.side else list(ttp.BudgetSide)
    lines = [line for side in sides for line in budget_table(ds, side)]
    lines.append(balance_line(ds))
    chosen = [b for b in ds.budget_lines if b.side in sides]
    _emit(chosen, args.format, lines, out, ttp.BudgetLine)


def _count(ds: ttp.Dataset, args: argparse.Namespace, out: TextIO) -> None:
    chosen = _chosen(ds, args)
    if args.by is None:
        counts = ttp.count_by(chosen, args.key)
        if args.key in ("decade", "concluded"):  # years read best in order
            counts = dict(sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)))
        named = args.key == "country"
        rows: list[tuple[str, ...]] = [(args.key, *(("name",) if named else ()), "agreements")]
        for value, n in counts.items():
            label = "-" if value is None else str(value)
            rows.append((label, *((ds.country_name(label if value else None),) if named else ()), str(n)))
        records: list[dict[str, object]] = [{args.key: k, "agreements": n} for k, n in counts.items()]
        lines = table(rows, right=frozenset({len(rows[0]) - 1}), flex=1 if named else None, width=WIDTH)
    else:
        grid = ttp.crosstab(chosen, args.key, args.by)
        columns = list(dict.fromkeys(c for row in grid.values() for c in row))
        rows = [(f"{args.key} \\ {args.by}", *("-" if c is None else str(c) for c in columns))]
        rows += [("-" if r is None else str(r), *(str(grid[r][c]) for c in columns)) for r in grid]
        records = [{args.key: r, args.by: c, "agreements": n} for r in grid for c, n in grid[r].items()]
        lines = table(rows, right=frozenset(range(1, len(columns) + 1)))
    lines.append(f"  {len(chosen)} agreement{'s' if len(chosen) != 1 else ''} counted")
    if args.format == "json":
        out.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    elif args.format == "csv":
        writer = csv.DictWriter(out, fieldnames=list(records[0]) if records else [args.key, "agreements"])
        writer.writeheader()
        writer.writerows(records)
    else:
        out.write("\n".join(lines) + "\n")


def _plot(ds: ttp.Dataset, args: argparse.Namespace, out: TextIO) -> None:
    if not args.out.lower().endswith(".png"):
        raise _UsageError(f"--out must name a .png file, got {quote(args.out)}")
    if args.kind == "budget":
        if _filters_given(args):
            raise _UsageError("the budget chart takes no filters of agreements")
        figure = ttp.plot_budget(ds)
    else:
        chosen = _chosen(ds, args)
        if args.kind == "countries":
            figure = ttp.plot_countries(ds, chosen, top=args.top)
        elif args.kind == "years":
            figure = ttp.plot_agreements_per_year(ds, chosen)
        elif args.kind == "map":
            figure = ttp.plot_map(ds, chosen, per=args.per)
        else:
            figure = ttp.plot_counterparts(ds, chosen)
    figure.savefig(args.out, dpi=120)
    out.write(f"wrote {args.out}\n")


def _export(ds: ttp.Dataset, args: argparse.Namespace, out: TextIO) -> None:
    if args.format == "sqlite":
        if not args.path:
            raise _UsageError("export --format sqlite needs a file to write to; an empty path names none")
        path = ttp.to_sqlite(ds, args.path, overwrite=args.force)
    else:
        if not args.path:
            raise _UsageError("export needs a directory to write to; an empty path names none")
        path = ttp.export_datapackage(ds, args.path, overwrite=args.force)
    out.write(f"wrote {path}\n")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Exit status 0 on success, 1 when the data or an optional dependency is
    missing, 2 on bad input, each failure with one line on stderr.
    """
    out = out or sys.stdout
    err = err or sys.stderr or io.StringIO()  # with stderr closed too, fail silently
    if out is None:  # started with standard output closed (such as `tokyotech-partners >&-`)
        err.write(f"{PROG}: standard output is closed: nothing can be written\n")
        return 1
    parser = _parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        ds = ttp.load()
        command = args.command or "summary"
        if command == "summary":
            out.write(summary(ds) + "\n")
        elif command == "agreements":
            _agreements(ds, args, out)
        elif command == "institutions":
            _institutions(ds, args, out)
        elif command == "offices":
            _offices(ds, args, out)
        elif command == "budget":
            _budget(ds, args, out)
        elif command == "count":
            _count(ds, args, out)
        elif command == "export":
            _export(ds, args, out)
        else:
            _plot(ds, args, out)
    except (_UsageError, ttp.UnknownValueError) as exc:
        err.write(f"{PROG}: error: {exc}\n")
        return 2
    except UnicodeEncodeError as exc:
        err.write(
            f"{PROG}: the output cannot be written in the {exc.encoding} encoding: "
            "set PYTHONIOENCODING=utf-8 or use --format json\n"
        )
        return 1
    except OSError as exc:  # a file that cannot be written: its name, then why
        where = f"{exc.filename}: " if exc.filename else ""
        err.write(f"{PROG}: {where}{exc.strerror or exc}\n")
        return 1
    except (ttp.MissingExtraError, ttp.DatasetError, ValueError) as exc:
        err.write(f"{PROG}: {exc}\n")
        return 1
    return 0
