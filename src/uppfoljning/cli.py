"""The ``uppfoljning`` command line (../shared/spec/cli.md).

Every error a user can cause becomes one clear line and an exit code: 1 for invalid
data or a failed notebook, 2 for wrong usage. No traceback for bad data.

The project (:class:`~uppfoljning.project.Project`: the folder with ``_config.yml`` and
``notebooks/`` at or above the working directory) is resolved here, once per run, and
passed down with the paths and suites it names; nothing below the CLI looks for it.
"""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
from pathlib import Path

from .config import ReportConfig
from .errors import DeliveryError, UppfoljningError, UsageError
from .project import Project

# --data and --out default to the project's data/demo and _build/site
DEFAULT_DATA = None
DEFAULT_OUT = None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a one-line message
        self.print_usage(sys.stderr)
        self.exit(2, f"uppfoljning: error: {message}\n")


def _project(args: argparse.Namespace) -> Project:
    """The project of this run: found once, from the working directory, with the
    report configuration of ``--config`` (else the project's ``report.yml``)."""
    if getattr(args, "project", None) is None:
        args.project = Project.find(Path.cwd(), args.config)
    return args.project


def _config(args: argparse.Namespace) -> ReportConfig:
    return _project(args).load_config()


def _data(args: argparse.Namespace) -> Path:
    """``--data``, else the project's demo delivery."""
    if args.data is None:
        args.data = _project(args).demo_data
    return args.data


def _out(args: argparse.Namespace) -> Path:
    """``--out``, else the project's ``_build/site``."""
    if args.out is None:
        args.out = _project(args).site_dir
    return args.out


def _year(args: argparse.Namespace) -> int:
    """The edition: ``--year`` if the delivery supports it (exit 2 otherwise, before any
    worker starts), else the last complete year in the data. When no year can be told
    from the data, the gate's problems (if any) are reported instead."""
    from .editions import check_year_in_span, data_span
    from .loading import read_delivery

    span = data_span(read_delivery(_data(args)).frames)
    if span is None:
        _gate(args)  # exit 1 with the delivery's problems, if it has any
        if args.year is None:
            raise UsageError(f"cannot tell the edition year from {args.data}; give --year")
    edition = args.year if args.year is not None else span.last_complete_year
    check_year_in_span(span, edition)
    return edition


def _gate(args: argparse.Namespace):
    """Validate the delivery (Great Expectations, the project's suites) and return the
    typed delivery."""
    from . import validation

    delivery, report = validation.gate(_data(args), _project(args).load_suites().inputs)
    for problem in report.warnings:
        print(problem.format(), file=sys.stderr)
    return delivery


def cmd_validate(args: argparse.Namespace) -> int:
    from . import validation

    report = validation.validate_delivery(_data(args), _project(args).load_suites().inputs)
    print(validation.format_report(report), file=sys.stderr)
    return 0 if report.ok else 1


def cmd_indicators(args: argparse.Namespace) -> int:
    from .editions import check_edition_year
    from .formatting import spreadsheet_safe_frame
    from .indicators import compute_indicators, to_csv_text

    delivery = _gate(args)
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
    count, or the persons behind a hidden rate or share, can be worked out to within
    2)."""
    from .disclosure import audit_archive, read_archive
    from .loading import load_delivery
    from .units import UnitRegistry

    archive = read_archive(_out(args))
    if not archive:
        raise UsageError(f"{args.out}: no published edition (no <year>/data/indikatorer.csv)")
    editions = [a.edition for a in archive]
    if args.year is not None and args.year not in editions:
        raise UsageError(
            f"{args.out}: no published {args.year} edition; found {', '.join(map(str, editions))}"
        )
    # the unit history (which units a restated unit was formed of) comes with the delivery
    registry = UnitRegistry.from_frame(load_delivery(_data(args)).tables["units"])
    report = audit_archive(
        archive, registry, [args.year] if args.year is not None else editions, _config(args).min_n
    )
    for line in report.lines():
        print(line)
    print(
        f"audit of {args.out}: "
        + (
            "no hidden count can be worked out"
            if report.ok
            else f"{len(report.findings)} hidden count(s) can be worked out"
        ),
        file=sys.stderr,
    )
    return 0 if report.ok else 1


def _years(args: argparse.Namespace) -> list[int]:
    """The editions of ``build --year FIRST-LAST``, each one the delivery supports (exit
    2 naming the years it supports otherwise, before any worker starts)."""
    from .editions import check_year_in_span, data_span
    from .loading import read_delivery

    span = data_span(read_delivery(_data(args)).frames)
    if span is None:
        _gate(args)  # exit 1 with the delivery's problems, if it has any
    for year in args.year:
        check_year_in_span(span, year)
    return list(args.year)


def _check_out(args: argparse.Namespace) -> None:
    """``--out`` is a folder this run can write in, and holds no ``index.html`` or edition
    folder (of the ``--year`` given) that the tool did not make: exit 2 before any work."""
    from .site import check_out_dir

    years = (
        args.year if isinstance(args.year, range) else [args.year] if args.year is not None else []
    )
    check_out_dir(_out(args), years)


def cmd_build(args: argparse.Namespace) -> int:
    from .lifeline import import_frozen

    import_frozen("uppfoljning.build")
    from .build import build_edition, build_editions

    _check_out(args)
    if isinstance(args.year, range) and len(args.year) > 1:
        sites = build_editions(
            data_dir=_data(args),
            editions=_years(args),
            out_dir=_out(args),
            jobs=args.jobs,
            config=_config(args),
            project=_project(args),
            only=args.only,
            pdf=getattr(args, "pdf", False),
            strict=getattr(args, "strict", False),
            draft=getattr(args, "draft", False),
        )
        for site in sites:
            print(f"built {site}")
        return 0
    if isinstance(args.year, range):
        args.year = args.year[0]
    edition = _year(args)
    site = build_edition(
        data_dir=_data(args),
        edition=edition,
        out_dir=_out(args),
        jobs=args.jobs,
        only=args.only,
        config=_config(args),
        project=_project(args),
        pdf=getattr(args, "pdf", False),
        strict=getattr(args, "strict", False),
        draft=getattr(args, "draft", False),
    )
    print(f"built {site}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from .build import run_unit

    path = run_unit(
        unit_id=args.unit,
        data_dir=_data(args),
        edition=_year(args),
        config=_config(args),
        project=_project(args),
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

    project = _project(args)
    _check_out(args)
    args.year = _year(args)  # fixed for the session: a rebuild need not read the delivery
    args.draft = True  # a preview is a draft: marked, unreviewed warnings allowed
    watch = [
        project.book_dir,
        project.notebooks_dir,
        project.toc,
        project.book_config,
        project.config_file,
        _data(args),
    ]
    return serve(
        out=_out(args),
        port=args.port,
        edition=args.year,
        build=lambda: cmd_build(args),
        watch=watch,
        root=project.root,
    )


def _year_or_range(text: str) -> int | range:
    """``2024`` or ``2018-2024`` (every edition from the first to the last)."""
    first, dash, last = text.partition("-")
    try:
        if not dash:
            return int(text)
        years = range(int(first), int(last) + 1)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a year or a range of years such as 2018-2024"
        ) from None
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
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="report configuration (default: report.yml in the project)",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def data_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--data",
            type=Path,
            default=DEFAULT_DATA,
            help="delivery folder (default: the project's data/demo)",
        )

    def year_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--year",
            type=int,
            default=None,
            help="edition year (default: last complete calendar year in the data)",
        )

    p = sub.add_parser("validate", help="check a delivery against the data contract")
    data_arg(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("indicators", help="write indikatorer.csv")
    data_arg(p)
    year_arg(p)
    p.add_argument("--out", type=Path, default=None, help="file (default: stdout)")
    p.set_defaults(func=cmd_indicators)

    for name, help_text in (
        ("build", "build an edition site"),
        ("serve", "build and serve a local preview"),
    ):
        p = sub.add_parser(name, help=help_text)
        data_arg(p)
        if name == "build":
            p.add_argument(
                "--year",
                type=_year_or_range,
                default=None,
                help="edition year, or FIRST-LAST for every edition from FIRST "
                "to LAST in one run (default: last complete calendar year in "
                "the data)",
            )
        else:
            year_arg(p)
        p.add_argument(
            "--out",
            type=Path,
            default=DEFAULT_OUT,
            help="site folder (default: the project's _build/site)",
        )
        p.add_argument(
            "--jobs",
            type=_jobs,
            default=os.cpu_count() or 1,
            help="parallel notebook runs (default: number of cores)",
        )
        p.add_argument(
            "--only", nargs="+", default=None, metavar="UNIT", help="build only these units' pages"
        )
        p.add_argument("--pdf", action="store_true", help="also write the edition as one PDF")
        p.add_argument(
            "--strict",
            action="store_true",
            help="a chapter's claim that disagrees with the figures is an error",
        )
        if name == "build":
            p.add_argument(
                "--draft",
                action="store_true",
                help="publish as a draft ('Utkast – inte fastställd' on every "
                "page, noindex): unreviewed warnings and missing publication "
                "facts are allowed",
            )
        if name == "serve":
            p.add_argument("--port", type=int, default=8000)
            p.set_defaults(func=cmd_serve)
        else:
            p.set_defaults(func=cmd_build)

    p = sub.add_parser("audit", help="audit the published tables of a site for disclosure")
    data_arg(p)
    year_arg(p)
    p.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="site folder (default: the project's _build/site)",
    )
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
        print(
            f"uppfoljning: the delivery in {args.data} is invalid "
            f"({sum(p.severity == 'error' for p in exc.problems)} errors); nothing was "
            "published",
            file=sys.stderr,
        )
        return 1
    except UppfoljningError as exc:
        lines = getattr(exc, "lines", None)  # review.ReviewError: lines as cli.md has them
        for line in lines or [f"uppfoljning: {exc}"]:
            print(line, file=sys.stderr)
        published = published_before(exc)
        if published:
            print(
                f"uppfoljning: {published} before the failure; every other edition in "
                "the site folder is as it was",
                file=sys.stderr,
            )
        return exc.exit_code
    except KeyboardInterrupt as exc:
        code = exit_code_of(exc)
        name = signal.Signals(code - 128).name
        published = published_before(exc)
        if published:
            print(
                f"uppfoljning: interrupted ({name}); {published} before the stop; every "
                "other edition in the site folder is as it was",
                file=sys.stderr,
            )
        else:
            print(f"uppfoljning: interrupted ({name}); nothing was published", file=sys.stderr)
        return code


def published_before(exc: BaseException) -> str:
    """What a run of several editions published before it failed or was stopped
    (:func:`uppfoljning.build.build_editions`): "published 2018 and 2019", or "" when it
    published nothing."""
    from babel import lists

    editions = [str(e) for e in getattr(exc, "published_editions", None) or []]
    return f"published {lists.format_list(editions, locale='en')}" if editions else ""


def run() -> None:
    """The ``uppfoljning`` command: :func:`main`, then exit without the interpreter's
    last garbage collection. That collection walks every object a build has imported
    (Great Expectations, pandas, Altair: about 1 s on this machine) only to free memory
    the process gives back anyway; frozen objects are left out of it. Exit handlers
    still run, so files are flushed and child processes ended as usual."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
