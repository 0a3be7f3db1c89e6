"""Progress of a build on stderr: one line per notebook with an estimate of the time
left, and a summary at the end. On a terminal the current line is redrawn as a bar."""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO


def format_seconds(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


def eta(elapsed: float, done: int, total: int, workers: int = 1) -> float | None:
    """Seconds left, from the mean time per finished notebook so far (None before the
    first one finishes)."""
    if done <= 0:
        return None
    return elapsed / done * max(0, total - done)


def bar(done: int, total: int, width: int = 24) -> str:
    filled = width if total == 0 else round(width * done / total)
    return "[" + "#" * filled + "." * (width - filled) + "]"


class NotebookProgress:
    """Reports each finished notebook. On a terminal: one status line per notebook
    (``ok bromma (unit) 1,2 s: template changed``) above a redrawn bar with the time
    left; elsewhere (a log, CI) just one line per notebook with the same facts."""

    def __init__(self, total: int, stream: TextIO | None = None, reasons: dict | None = None):
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.reasons = reasons or {}  # job output path -> why it runs
        if self.tty and total:
            self.stream.write(f"{bar(0, total)} 0/{total} notebooks")
            self.stream.flush()

    def __call__(self, result) -> None:
        self.done += 1
        elapsed = time.perf_counter() - self.started
        left = eta(elapsed, self.done, self.total)
        status = "ok" if result.ok else "FAILED"
        reason = self.reasons.get(result.job.output, "")
        what = f"{status} {result.job.unit} ({result.job.template.stem}) {result.seconds:.1f} s" + (
            f": {reason}" if reason else ""
        )
        position = f"{bar(self.done, self.total)} {self.done}/{self.total}"
        time_left = (
            f", about {format_seconds(left)} left"
            if left is not None and self.done < self.total
            else ""
        )
        if self.tty:
            self.stream.write(f"\r\033[K  {what}\n")
            if self.done < self.total:
                self.stream.write(f"{position} notebooks{time_left}")
        else:
            self.stream.write(f"{position} {what}{time_left}\n")
        self.stream.flush()


@dataclass
class BuildReport:
    """What a build did, for the summary at its end."""

    results: str = ""  # "computed" or "from the cache"
    ran: list[tuple[str, str]] = field(default_factory=list)  # (notebook, why it ran)
    cached: list[str] = field(default_factory=list)  # notebooks taken from the cache
    book: str = ""  # how the book was built and why

    def notebook_line(self) -> str:
        why = Counter(reason for _, reason in self.ran)
        reasons = "; ".join(f"{reason}: {count}" for reason, count in why.most_common())
        line = f"{len(self.ran)} ran" + (f" ({reasons})" if reasons else "")
        return line + f", {len(self.cached)} from the cache (inputs unchanged)"


def summary(target: str, seconds: float, stages: dict[str, float], report: BuildReport) -> str:
    """The summary a build prints at its end: stage timings, which notebooks ran and
    why, which came from the cache, how the book was built."""
    notes = {
        "gate+results": report.results,
        "notebooks": report.notebook_line(),
        "book": report.book,
    }
    lines = [f"built {target} in {format_seconds(seconds)}"]
    for name, stage_seconds in stages.items():
        note = notes.get(name, "")
        lines.append(f"  {name:<13}{stage_seconds:6.1f} s" + (f"  {note}" if note else ""))
    if len(report.ran) <= 12:  # a long list is in the per-notebook lines above
        for notebook, reason in report.ran:
            lines.append(f"  ran {notebook}: {reason}")
    return "\n".join(lines)
