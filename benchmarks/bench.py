"""`make bench`: our build against the naive way, in one run on this machine.

Times, on a temporary copy of the project (the repository is never touched):

(a) naive   -- the common way: the gate and the indicators once, then the Papermill CLI
               once per notebook in sequence, then the Jupyter Book CLI, on the same
               staged book as ours;
(b) cold    -- ``uppfoljning build`` with an empty cache;
(c) nochange -- the same build again, nothing changed;
(d) prose   -- the build after a prose-only edit of one chapter;
(f) preview -- ``uppfoljning serve`` with the edition open in Debian's Chromium: seconds
               from saving a sentence in the edition's Inledning until the open page
               shows it by itself (the goal is at most 5 s);
(e) scale   -- indicator computation with disclosure control on a synthetic delivery
               of 200 units, ~300,000 employment spells and 10 years, and on half of it
               (100 units); where disclosure control spent its time;
(g) correction -- the build after the supplier corrects one district's incidents in one
               year (:data:`CORRECTION`), against the cold build of the same run;
(h) editions -- ``uppfoljning build --year 2018-2024`` into an empty archive with an
               empty cache, against one cold build;
(i) scale10 -- (e) on 2,000 units, ~3,000,000 spells and 10 years;
(j) pdf     -- ``uppfoljning build --pdf`` with an empty cache: its ``pdf`` stage (the
               edition PDF and every unit's, as the build's summary times it) against
               the cold build (b) (NaN where Chromium or poppler-utils is missing).

Peak memory is the largest summed RSS of a build's whole process tree (build, workers,
kernels, Jupyter Book), sampled every 50 ms: the largest of each round's builds (b), (c),
(d) and (g), and its median over the rounds (and the scale run's peak RSS, if larger).
The last line is machine-readable:

bench: cold_vs_naive=R nochange_vs_naive=R prose_vs_naive=R scale_s=S scale_growth=G peak_rss_mib=M
       correction_vs_cold=R editions_vs_cold=R scale10_s=S scale10_rss_mib=M preview_s=P
       pdf_vs_cold=R (one line)

Every figure is a median of ``--repeat`` runs (``--naive-repeat`` for (a),
``--editions-repeat`` for (h), ``--scale10-repeat`` for (i), ``--pdf-repeat`` for (j)).
The machine's load average is printed with the results: the figures vary with it.

``python benchmarks/bench.py --preview`` measures (f) alone on a fresh copy;
``python benchmarks/bench.py --pdf`` measures (j) alone: ``--repeat`` rounds of a cold
build (b) and a cold ``build --pdf`` in turn, each with the load average when it ended,
and the line ``bench: pdf_vs_cold=R`` (medians; the load average at the end).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from uppfoljning.project import Project

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PROJECT_FILES = ("_config.yml", "_toc.yml", "report.yml", "granskning.yml", "requirements.lock")
PROJECT_DIRS = ("book", "notebooks", "validation", "data/demo")
EDITION = 2024
PROSE_CHAPTER = "inledning.md"


# (g): one district's incidents in one year, as a supplier's corrected delivery would
# change them (five more reports of threats for Skärholmen in 2022)
CORRECTION_UNIT, CORRECTION_YEAR = "skarholmen", 2022
CORRECTION = "".join(
    f"ikorr{n},{CORRECTION_YEAR}-05-{10 + n},{CORRECTION_UNIT},socialsekreterare,hot\n"
    for n in range(5)
)
EDITIONS = "2018-2024"


def correct_delivery(project: Path) -> str:
    """Apply :data:`CORRECTION` to the project's demo delivery; return the original
    text of the file to restore it."""
    path = project / "data" / "demo" / "incidents.csv"
    original = path.read_text(encoding="utf-8")
    path.write_text(
        original + ("" if original.endswith("\n") else "\n") + CORRECTION, encoding="utf-8"
    )
    return original


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def prose_chapter(project: Path) -> Path:
    """The chapter the default edition publishes: the edition's own text
    (book/utgavor/<E>/) when there is one, else the default in book/."""
    own = project / "book" / "utgavor" / str(EDITION) / PROSE_CHAPTER
    return own if own.is_file() else project / "book" / PROSE_CHAPTER


def copy_project(dest: Path) -> Path:
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, dest / name)
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, dest / name)
    return dest


def run_measured(command: list[str], cwd: Path, check: bool = True) -> tuple[float, float, str]:
    """(seconds, peak MiB of the process tree's summed RSS, stderr) of one command;
    a failure ends the bench, or with ``check`` False gives NaN seconds."""
    started = time.perf_counter()
    process = psutil.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=dict(os.environ, PYTHONHASHSEED="0"),
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            try:
                tree = [process, *process.children(recursive=True)]
                total = 0
                for proc in tree:
                    try:
                        total += proc.memory_info().rss
                    except psutil.Error:
                        pass
                peak = max(peak, total)
            except psutil.Error:
                pass
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if process.returncode != 0:
        if not check:
            return float("nan"), peak / 2**20, stderr.decode(errors="replace")
        sys.exit(f"bench: {' '.join(command)} failed:\n{stderr.decode(errors='replace')}")
    return seconds, peak / 2**20, stderr.decode(errors="replace")


def notebooks_run(stderr: str) -> int:
    """How many notebooks a build executed (its stderr says "N to run"; an up-to-date
    edition runs none)."""
    found = re.search(r"(\d+) to run", stderr)
    return int(found.group(1)) if found else 0


# ---------------------------------------------------------------------------
# (a) the naive way (runs in a subprocess: python bench.py --naive PROJECT OUT)


def naive_build(project: Path, out: Path) -> None:
    from uppfoljning import build, execution, prepare, site
    from uppfoljning.config import ReportConfig

    edition = 2024
    config = ReportConfig.load(project / "report.yml")
    work = Path(tempfile.mkdtemp(prefix="naive-", dir=project))
    the_project = Project.at(project)
    prepared = prepare.prepare_results(
        project / "data" / "demo", edition, config, work / "results", project=the_project
    )
    units = prepared.units
    toc, city = site.expand_toc(site.read_yaml(project / "_toc.yml"), units)
    book_dir = work / "book"
    book_dir.mkdir()
    jobs = build.notebook_jobs(prepared, units, city, project / "notebooks", book_dir, cwd=work)
    for job in jobs:
        command = [
            str(BIN / "papermill"),
            str(job.template),
            str(job.output),
            "--cwd",
            str(job.cwd),
            "--no-progress-bar",
        ]
        for name, value in job.parameters.items():
            command += ["-p", name, str(value)]
        job.output.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(command, check=True, capture_output=True)
        execution.finish_notebook(job.output, build.notebook_outputs(job))
    build.stage_book(
        prepared, units, the_project, book_dir, toc, [edition], project / "_build" / "cache"
    )
    subprocess.run(
        [
            str(BIN / "jupyter-book"),
            "build",
            str(book_dir),
            "--path-output",
            str(out),
            "--all",
            "--builder",
            "html",
        ],
        check=True,
        capture_output=True,
    )


# ---------------------------------------------------------------------------
# (e) scale (runs in a subprocess: python bench.py --scale N_UNITS)


def scale_run(n_units: int) -> None:
    """Indicators with disclosure control (``compute_pattern``, as the build runs them)
    on a scaled delivery; prints wall and CPU seconds, peak RSS and where disclosure
    control spent its time (:class:`scale.DisclosureProfile`)."""
    import resource

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from scale import DisclosureProfile, scaled_delivery

    from uppfoljning.config import ReportConfig
    from uppfoljning.indicators import compute_pattern

    delivery = scaled_delivery(n_units=n_units, spells_per_unit=1500)
    spells = len(delivery.tables["employments"])
    from uppfoljning.disclosure import DisclosureError

    started, cpu = time.perf_counter(), time.process_time()
    error = None
    with DisclosureProfile() as profile:
        try:
            results, summary = compute_pattern(delivery, 2024, ReportConfig())
        except DisclosureError as exc:  # reported with the profile, as a finding
            error, results, summary = str(exc), (), None
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found = (
        {
            "disclosure_s": summary.seconds,
            "primary": summary.primary,
            "secondary": summary.secondary,
            "tied": summary.tied,
        }
        if summary
        else {"disclosure_s": float("nan"), "primary": -1, "secondary": -1, "tied": -1}
    )
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_s": cpu,
                "peak_mib": peak,
                "spells": spells,
                "rows": len(results),
                "error": error,
                **found,
                **profile.as_dict(),
            }
        )
    )


# ---------------------------------------------------------------------------
# (f) the live preview


def preview_measure(project: Path, site_dir: Path, repeat: int = 3) -> list[float]:
    """Seconds from saving a new sentence in the edition's Inledning until the page open
    in Chromium (served by ``uppfoljning serve``) shows it without anyone reloading it,
    ``repeat`` times. The serve command's first build is not counted."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from uppfoljning.pdf import launch_chromium

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = project / "serve-stderr.txt"
    chapter = prose_chapter(project)
    original = chapter.read_text(encoding="utf-8")
    with log.open("w") as errors:
        server = subprocess.Popen(
            [str(BIN / "uppfoljning"), "serve", "--out", str(site_dir), "--port", str(port)],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )
    seconds: list[float] = []
    try:
        line = server.stdout.readline()
        while line and not line.startswith("serving "):
            line = server.stdout.readline()
        if not line:
            sys.exit(f"bench: serve did not start:\n{log.read_text()}")
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/{EDITION}/{PROSE_CHAPTER[:-3]}.html")
            for i in range(repeat):
                marker = f"Förhandsvisningens mening nummer {i}."
                started = time.perf_counter()
                chapter.write_text(original + f"\n{marker}\n", encoding="utf-8")
                deadline = started + 120
                while time.perf_counter() < deadline:
                    try:
                        if marker in page.inner_text("body", timeout=1000):
                            break
                    except PlaywrightError:
                        pass  # the page is reloading
                    time.sleep(0.05)
                else:
                    sys.exit(f"bench: the edit never showed:\n{log.read_text()}")
                seconds.append(time.perf_counter() - started)
                print(f"preview  {seconds[-1]:6.1f} s", flush=True)
                time.sleep(1)  # let the reload settle before the next edit
            browser.close()
    finally:
        chapter.write_text(original, encoding="utf-8")
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return seconds


PDF_STAGE = re.compile(r"^\s+pdf\s+([\d.]+) s", re.MULTILINE)


def pdf_measure(project: Path, repeat: int, cold: list[float] | None = None) -> float:
    """(j): median seconds of the ``pdf`` stage of a cold ``build --pdf`` (the build's
    summary line), or NaN where the PDF can't be made here. With ``cold``, each run
    first times a cold build without ``--pdf`` into that list (the rounds alternate,
    so both see the same load)."""
    from uppfoljning import pdf
    from uppfoljning.errors import UsageError

    try:
        pdf.check_available()
    except UsageError as exc:  # no Chromium or Playwright
        print(f"pdf      skipped: {exc}", flush=True)
        return float("nan")
    if shutil.which("pdfinfo") is None:
        print("pdf      skipped: pdfinfo (poppler-utils) is not installed", flush=True)
        return float("nan")
    stages = []
    for i in range(repeat):
        if cold is not None:
            shutil.rmtree(project / "_build" / "cache", ignore_errors=True)
            out = project / f"cold-{i}"
            seconds, peak, _ = run_measured(
                [str(BIN / "uppfoljning"), "build", "--out", str(out)], project
            )
            cold.append(seconds)
            print(
                f"cold     {seconds:6.1f} s  peak {peak:6.0f} MiB  load {load_average()}",
                flush=True,
            )
            shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(project / "_build" / "cache", ignore_errors=True)
        out = project / f"pdf-{i}"
        seconds, peak, stderr = run_measured(
            [str(BIN / "uppfoljning"), "build", "--out", str(out), "--pdf"], project
        )
        found = PDF_STAGE.search(stderr)
        if found is None:
            sys.exit("bench: the build's summary has no pdf stage:\n" + stderr[-2000:])
        stages.append(float(found.group(1)))
        print(
            f"pdf      {seconds:6.1f} s  (pdf stage {stages[-1]:.1f} s)  peak {peak:6.0f} MiB"
            f"  load {load_average()}",
            flush=True,
        )
        shutil.rmtree(out, ignore_errors=True)
    return statistics.median(stages)


def print_disclosure_profile(name: str, runs: list[dict]) -> None:
    """Where disclosure control spent its time in the median run of a scale row."""
    run = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    print(
        f"{name:8} disclosure {run['disclosure_s']:.1f} s of {run['seconds']:.1f} s wall "
        f"({run['cpu_s']:.1f} s CPU in all): MILP {run['milp_cpu_s']:.1f} s CPU in "
        f"{run['milp_calls']} solves, LP audit {run['audit_cpu_s']:.1f} s CPU in "
        f"{run['lp_solves']} LPs over {run['audit_rounds']} rounds; hidden: "
        f"{run['primary']} small, {run['secondary']} protection, {run['tied']} tied"
    )
    slowest = max(run["milps"], key=lambda m: m["wall_s"], default=None)
    if slowest:
        print(
            f"{name:8} largest MILP wait: {slowest['wall_s']:.1f} s wall for "
            f"{slowest['vars']} cells x {slowest['rows']} constraints (HiGHS status "
            f"{slowest['status']}, gap {slowest['gap']})"
        )
    if run.get("error"):
        print(f"{name:8} FAILED: {run['error']}")


def scale_measure(n_units: int) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--scale", str(n_units)],
        check=True,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONHASHSEED="0"),
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--naive", nargs=2, metavar=("PROJECT", "OUT"))
    parser.add_argument("--scale", type=int)
    parser.add_argument("--preview", action="store_true", help="measure (f) alone")
    parser.add_argument(
        "--pdf", action="store_true", help="measure (j) alone, against cold builds (b) of its own"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of (b)-(e)")
    parser.add_argument("--naive-repeat", type=int, default=3, help="runs of (a)")
    parser.add_argument("--editions-repeat", type=int, default=3, help="runs of (h)")
    parser.add_argument("--scale10-repeat", type=int, default=3, help="runs of (i)")
    parser.add_argument("--pdf-repeat", type=int, default=3, help="runs of (j)")
    args = parser.parse_args()
    if args.naive:
        naive_build(Path(args.naive[0]), Path(args.naive[1]))
        return
    if args.scale:
        scale_run(args.scale)
        return
    if args.preview:
        with tempfile.TemporaryDirectory(prefix="uppf-bench-") as tmp:
            project = copy_project(Path(tmp))
            preview = preview_measure(project, project / "site", args.repeat)
        print(f"bench: preview_s={statistics.median(preview):.2f}")
        return
    if args.pdf:
        cold: list[float] = []
        with tempfile.TemporaryDirectory(prefix="uppf-bench-") as tmp:
            project = copy_project(Path(tmp))
            pdf_stage = pdf_measure(project, args.repeat, cold)
        print(f"load average at the end (1, 5, 15 min): {load_average()} on {os.cpu_count()} cores")
        print(f"bench: pdf_vs_cold={pdf_stage / statistics.median(cold):.3f}")
        return

    times: dict[str, list[float]] = {
        k: [] for k in ("naive", "cold", "nochange", "prose", "correction", "editions")
    }
    peaks: list[float] = []  # the largest of each round's builds (b), (c), (d), (g)
    executed: dict[str, list[int]] = {k: [] for k in times}
    with tempfile.TemporaryDirectory(prefix="uppf-bench-") as tmp:
        project = copy_project(Path(tmp))
        site_dir = project / "site"
        build = [str(BIN / "uppfoljning"), "build", "--out", str(site_dir)]
        for i in range(args.naive_repeat):
            seconds, peak, _ = run_measured(
                [sys.executable, __file__, "--naive", str(project), str(project / f"n{i}")], project
            )
            times["naive"].append(seconds)
            print(f"naive    {seconds:6.1f} s  peak {peak:6.0f} MiB", flush=True)
        chapter = prose_chapter(project)
        original = chapter.read_text(encoding="utf-8")
        for i in range(args.repeat):
            shutil.rmtree(project / "_build" / "cache", ignore_errors=True)
            shutil.rmtree(site_dir, ignore_errors=True)
            round_peak = 0.0
            for name, prepare in (("cold", None), ("nochange", None), ("prose", i)):
                if prepare is not None:
                    chapter.write_text(original + f"\nTillägg nummer {i}.\n", encoding="utf-8")
                seconds, peak, stderr = run_measured(build, project)
                times[name].append(seconds)
                round_peak = max(round_peak, peak)
                executed[name].append(notebooks_run(stderr))
                print(
                    f"{name:8} {seconds:6.1f} s  peak {peak:6.0f} MiB  "
                    f"notebooks run {executed[name][-1]}",
                    flush=True,
                )
            chapter.write_text(original, encoding="utf-8")
            # (g) the corrected delivery, on top of this round's cold build's cache
            delivered = correct_delivery(project)
            seconds, peak, stderr = run_measured(build, project)
            (project / "data" / "demo" / "incidents.csv").write_text(delivered, encoding="utf-8")
            times["correction"].append(seconds)
            peaks.append(max(round_peak, peak))
            executed["correction"].append(notebooks_run(stderr))
            print(
                f"{'correction':8} {seconds:6.1f} s  peak {peak:6.0f} MiB  notebooks run "
                f"{executed['correction'][-1]}",
                flush=True,
            )
        for i in range(args.editions_repeat):
            shutil.rmtree(project / "_build" / "cache", ignore_errors=True)
            archive = project / f"editions-{i}"
            # a failed edition (say, disclosure control refusing a pattern) is reported
            # and the row is NaN: the other rows still count
            seconds, peak, stderr = run_measured(
                [str(BIN / "uppfoljning"), "build", "--out", str(archive), "--year", EDITIONS],
                project,
                check=False,
            )
            times["editions"].append(seconds)
            executed["editions"].append(len(re.findall(r"(\d+) to run", stderr)))
            print(
                f"editions {seconds:6.1f} s  peak {peak:6.0f} MiB  "
                f"({executed['editions'][-1]} editions)",
                flush=True,
            )
            if seconds != seconds:  # NaN: failed
                print("editions FAILED: " + (stderr.strip().splitlines() or [""])[-1], flush=True)
            shutil.rmtree(archive, ignore_errors=True)
        pdf_stage = pdf_measure(project, args.pdf_repeat)
        preview = preview_measure(project, site_dir, args.repeat)

    full = [scale_measure(200) for _ in range(args.repeat)]
    half = [scale_measure(100) for _ in range(args.repeat)]
    full_s = statistics.median(r["seconds"] for r in full)
    half_s = statistics.median(r["seconds"] for r in half)
    scale_peak = statistics.median(r["peak_mib"] for r in full)
    print(
        f"scale    {full_s:6.1f} s  ({full[0]['spells']} spells, 200 units; "
        f"peak {scale_peak:.0f} MiB)"
    )
    print(f"half     {half_s:6.1f} s  ({half[0]['spells']} spells, 100 units)")
    print_disclosure_profile("scale", full)
    tenfold = [scale_measure(2000) for _ in range(args.scale10_repeat)]
    scale10_s = statistics.median(r["seconds"] for r in tenfold)
    scale10_peak = statistics.median(r["peak_mib"] for r in tenfold)
    print(
        f"scale10  {scale10_s:6.1f} s  ({tenfold[0]['spells']} spells, 2000 units; "
        f"peak {scale10_peak:.0f} MiB)"
    )
    print_disclosure_profile("scale10", tenfold)

    # a row with a failed run has no median (NaN), rather than one of the others'
    median = {
        k: float("nan") if any(x != x for x in v) else statistics.median(v)
        for k, v in times.items()
    }
    print()
    print(f"load average at the end (1, 5, 15 min): {load_average()} on {os.cpu_count()} cores")
    print("| run | median s | runs | vs naive | notebooks run |")
    print("|---|---:|---:|---:|---:|")
    for name, value in median.items():
        ran = "/".join(map(str, executed[name])) if executed[name] else "all (CLI)"
        print(
            f"| {name} | {value:.1f} | {len(times[name])} | {value / median['naive']:.3f} | {ran} |"
        )
    print(
        f"| peak build RSS (process tree) | {statistics.median(peaks):.0f} MiB | "
        f"{len(peaks)} | largest {max(peaks):.0f} MiB | |"
    )
    print()
    print(
        f"bench: cold_vs_naive={median['cold'] / median['naive']:.3f} "
        f"nochange_vs_naive={median['nochange'] / median['naive']:.3f} "
        f"prose_vs_naive={median['prose'] / median['naive']:.3f} "
        f"scale_s={full_s:.2f} scale_growth={full_s / half_s:.2f} "
        f"peak_rss_mib={max(statistics.median(peaks), scale_peak):.0f} "
        f"correction_vs_cold={median['correction'] / median['cold']:.3f} "
        f"editions_vs_cold={median['editions'] / median['cold']:.3f} "
        f"scale10_s={scale10_s:.1f} scale10_rss_mib={scale10_peak:.0f} "
        f"preview_s={statistics.median(preview):.2f} "
        f"pdf_vs_cold={pdf_stage / median['cold']:.3f}"
    )


if __name__ == "__main__":
    main()
