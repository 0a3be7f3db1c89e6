"""The ``uppfoljning`` command line (../shared/spec/cli.md).

Every error a user can cause becomes one clear line and an exit code: 1 for invalid
data or a failed notebook, 2 for wrong usage. No traceback for bad data.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from .config import ReportConfig
from .errors import DeliveryError, UppfoljningError, UsageError

DEFAULT_DATA = Path("data/demo")
DEFAULT_OUT = Path("_build/site")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a one-line message
        self.print_usage(sys.stderr)
        self.exit(2, f"uppfoljning: error: {message}\n")


def _project_root() -> Path:
    """The folder holding _config.yml, notebooks/ and book/ (the current directory or an
    ancestor of it, else the source checkout this package was installed from)."""
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / "_config.yml").is_file() and (candidate / "notebooks").is_dir():
            return candidate
    source = Path(__file__).resolve().parents[2]
    if (source / "_config.yml").is_file():
        return source
    raise UsageError("cannot find the project folder (with _config.yml and notebooks/); "
                     "run uppfoljning from inside it")


def _config(args: argparse.Namespace) -> ReportConfig:
    path = args.config or (_project_root() / "report.yml")
    return ReportConfig.load(path)


def _year(args: argparse.Namespace) -> int:
    """The edition: ``--year`` if the delivery supports it (exit 2 otherwise, before any
    worker starts), else the last complete year in the data. When no year can be told
    from the data, the gate's problems (if any) are reported instead."""
    from .editions import check_year_in_span, data_span
    from .loading import read_delivery

    span = data_span(read_delivery(args.data).frames)
    if span is None:
        _gate(args.data)  # exit 1 with the delivery's problems, if it has any
        if args.year is None:
            raise UsageError(f"cannot tell the edition year from {args.data}; give --year")
    edition = args.year if args.year is not None else span.last_complete_year
    check_year_in_span(span, edition)
    return edition


def _gate(data_dir: Path):
    """Validate the delivery (Great Expectations) and return the typed delivery."""
    from . import validation

    delivery, report = validation.gate(data_dir)
    for problem in report.warnings:
        print(problem.format(), file=sys.stderr)
    return delivery


def cmd_validate(args: argparse.Namespace) -> int:
    from . import validation

    report = validation.validate_delivery(args.data)
    print(validation.format_report(report), file=sys.stderr)
    return 0 if report.ok else 1


def cmd_indicators(args: argparse.Namespace) -> int:
    from .editions import check_edition_year
    from .formatting import spreadsheet_safe_frame
    from .indicators import compute_indicators, to_csv_text

    delivery = _gate(args.data)
    edition = _year(args)
    check_edition_year(delivery, edition)
    indicators = compute_indicators(delivery, edition, _config(args))
    text = to_csv_text(spreadsheet_safe_frame(indicators))  # no cell runs as a formula
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """Audit the published tables of an archive as an outsider would (exit 1 if a hidden
    count can be worked out to within 2)."""
    from .disclosure import audit_archive, read_archive
    from .loading import load_delivery
    from .units import UnitRegistry

    archive = read_archive(args.out)
    if not archive:
        raise UsageError(f"{args.out}: no published edition (no <year>/data/indikatorer.csv)")
    editions = [a.edition for a in archive]
    if args.year is not None and args.year not in editions:
        raise UsageError(f"{args.out}: no published {args.year} edition; found "
                         f"{', '.join(map(str, editions))}")
    # the unit history (which units a restated unit was formed of) comes with the delivery
    registry = UnitRegistry.from_frame(load_delivery(args.data).tables["units"])
    report = audit_archive(archive, registry,
                           [args.year] if args.year is not None else editions)
    for line in report.lines():
        print(line)
    print(f"audit of {args.out}: " + ("no hidden count can be worked out" if report.ok else
                                      f"{len(report.findings)} hidden count(s) can be "
                                      "worked out"), file=sys.stderr)
    return 0 if report.ok else 1


def _years(args: argparse.Namespace) -> list[int]:
    """The editions of ``build --year FIRST-LAST``, each one the delivery supports (exit
    2 naming the years it supports otherwise, before any worker starts)."""
    from .editions import check_year_in_span, data_span
    from .loading import read_delivery

    span = data_span(read_delivery(args.data).frames)
    if span is None:
        _gate(args.data)  # exit 1 with the delivery's problems, if it has any
    for year in args.year:
        check_year_in_span(span, year)
    return list(args.year)


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build_edition, build_editions

    if isinstance(args.year, range) and len(args.year) > 1:
        sites = build_editions(
            data_dir=args.data, editions=_years(args), out_dir=args.out, jobs=args.jobs,
            config=_config(args), project_root=_project_root(), only=args.only,
            pdf=getattr(args, "pdf", False), strict=getattr(args, "strict", False))
        for site in sites:
            print(f"built {site}")
        return 0
    if isinstance(args.year, range):
        args.year = args.year[0]
    edition = _year(args)
    site = build_edition(
        data_dir=args.data,
        edition=edition,
        out_dir=args.out,
        jobs=args.jobs,
        only=args.only,
        config=_config(args),
        project_root=_project_root(),
        pdf=getattr(args, "pdf", False),
        strict=getattr(args, "strict", False),
    )
    print(f"built {site}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from .build import run_unit

    path = run_unit(
        unit_id=args.unit,
        data_dir=args.data,
        edition=_year(args),
        config=_config(args),
        project_root=_project_root(),
    )
    print(path)
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from .demo import write_demo_delivery

    write_demo_delivery(args.out, seed=args.seed)
    print(f"wrote synthetic demo delivery to {args.out}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    root = _project_root()
    args.year = _year(args)  # fixed for the session: a rebuild need not read the delivery
    watch = [root / "book", root / "notebooks", root / "_toc.yml", root / "_config.yml",
             args.config or root / "report.yml", args.data]
    return serve(out=args.out, port=args.port, edition=args.year,
                 build=lambda: cmd_build(args), watch=watch)


def _year_or_range(text: str) -> int | range:
    """``2024`` or ``2018-2024`` (every edition from the first to the last)."""
    first, dash, last = text.partition("-")
    try:
        if not dash:
            return int(text)
        years = range(int(first), int(last) + 1)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a year or a range of years such as 2018-2024") from None
    if not years:
        raise argparse.ArgumentTypeError(f"{text!r}: the first year is after the last")
    return years


def _jobs(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="uppfoljning", description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=None,
                        help="report configuration (default: report.yml in the project)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def data_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="delivery folder")

    def year_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--year", type=int, default=None,
                       help="edition year (default: last complete calendar year in the data)")

    p = sub.add_parser("validate", help="check a delivery against the data contract")
    data_arg(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("indicators", help="write indikatorer.csv")
    data_arg(p)
    year_arg(p)
    p.add_argument("--out", type=Path, default=None, help="file (default: stdout)")
    p.set_defaults(func=cmd_indicators)

    for name, help_text in (("build", "build an edition site"),
                            ("serve", "build and serve a local preview")):
        p = sub.add_parser(name, help=help_text)
        data_arg(p)
        if name == "build":
            p.add_argument("--year", type=_year_or_range, default=None,
                           help="edition year, or FIRST-LAST for every edition from FIRST "
                           "to LAST in one run (default: last complete calendar year in "
                           "the data)")
        else:
            year_arg(p)
        p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="site folder")
        p.add_argument("--jobs", type=_jobs, default=os.cpu_count() or 1,
                       help="parallel notebook runs (default: number of cores)")
        p.add_argument("--only", nargs="+", default=None, metavar="UNIT",
                       help="build only these units' pages")
        p.add_argument("--pdf", action="store_true", help="also write the edition as one PDF")
        p.add_argument("--strict", action="store_true",
                       help="a chapter's claim that disagrees with the figures is an error")
        if name == "serve":
            p.add_argument("--port", type=int, default=8000)
            p.set_defaults(func=cmd_serve)
        else:
            p.set_defaults(func=cmd_build)

    p = sub.add_parser("audit", help="audit the published tables of a site for disclosure")
    data_arg(p)
    year_arg(p)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="site folder")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("run", help="execute one unit's notebook")
    p.add_argument("--unit", required=True)
    data_arg(p)
    year_arg(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("demo-data", help="write the synthetic demo delivery")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=2024)
    p.set_defaults(func=cmd_demo_data)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .lifeline import exit_code_of, stop_on_signals

    args = build_parser().parse_args(argv)
    try:
        with stop_on_signals():  # SIGTERM and SIGHUP stop a build as Ctrl-C does
            return args.func(args)
    except DeliveryError as exc:
        for problem in exc.problems:
            if problem.severity == "error":
                print(problem.format(), file=sys.stderr)
        print(f"uppfoljning: the delivery in {args.data} is invalid "
              f"({sum(p.severity == 'error' for p in exc.problems)} errors); nothing was "
              "published", file=sys.stderr)
        return 1
    except UppfoljningError as exc:
        print(f"uppfoljning: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        code = exit_code_of(exc)
        name = signal.Signals(code - 128).name
        print(f"uppfoljning: interrupted ({name}); nothing was published", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
