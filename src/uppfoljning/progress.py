"""Progress of a build on stderr: one line per notebook with an estimate of the time
left, and a summary at the end. On a terminal the current line is redrawn as a bar."""

from __future__ import annotations

import sys
import time
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
    """Reports each finished notebook: ``[####....] 3/13 skarholmen 1,2 s (ca 12 s kvar)``."""

    def __init__(self, total: int, stream: TextIO | None = None):
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, result) -> None:
        self.done += 1
        elapsed = time.perf_counter() - self.started
        left = eta(elapsed, self.done, self.total)
        status = "ok" if result.ok else "FAILED"
        line = (f"{bar(self.done, self.total)} {self.done}/{self.total} "
                f"{result.job.unit} ({result.job.template.stem}) {status} "
                f"{result.seconds:.1f} s")
        if left is not None and self.done < self.total:
            line += f", about {format_seconds(left)} left"
        if self.tty:
            self.stream.write("\r\033[K" + line + ("\n" if self.done == self.total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
