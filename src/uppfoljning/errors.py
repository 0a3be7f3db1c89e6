"""Exceptions for people: every error a user can cause carries a one-line message.

The CLI prints ``str(error)`` and exits with ``error.exit_code``; readers never see a
traceback for bad data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_ROWS_LISTED = 10
MAX_VALUES_LISTED = 5
# The most characters of one delivered value (or column name) an error line quotes.
MAX_QUOTED_CHARS = 200


def shorten(text: str, limit: int = MAX_QUOTED_CHARS) -> str:
    """``text`` cut to ``limit`` characters, with "…" when anything was cut."""
    return text if len(text) <= limit else text[:limit] + "…"


def printable(text: str, limit: int = MAX_QUOTED_CHARS) -> str:
    """Delivered text (a column name, say) fit for one line of an error message: cut
    to ``limit`` characters and every character that is not printable (a line break,
    U+2028, a bidirectional control...) written as its escape."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in shorten(text, limit))


def name_some(names: list[str], most: int = MAX_VALUES_LISTED, chars: int = 40) -> str:
    """ "a, b, c and 7 more": the first ``most`` of delivered ``names`` (column names,
    say), each :func:`printable` in ``chars`` characters."""
    listed = ", ".join(printable(name, chars) for name in names[:most])
    if len(names) > most:
        listed += f" and {len(names) - most} more"
    return listed


class UppfoljningError(Exception):
    """Base class of every error a user can cause."""

    exit_code = 1


class UsageError(UppfoljningError):
    """The command was called wrongly (unknown unit, year outside the data, ...)."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One validation finding, formatted as cli.md prescribes.

    ``rows`` are 1-based spreadsheet rows (header = row 1). ``column`` is None for a
    table-level problem (missing file, unreadable encoding, ...).
    """

    file: str
    rule: str
    column: str | None = None
    rows: tuple[int, ...] = ()
    values: tuple[str, ...] = ()
    severity: str = "error"  # "error" or "warning"
    table: str | None = None
    n_rows: int | None = field(default=None, compare=False)  # total offending rows

    def format(self) -> str:
        parts = [printable(self.file, 1000)]
        if self.column is not None:
            parts.append(f"column {printable(self.column)}")
        if self.rows:
            listed = ", ".join(str(r) for r in self.rows[:MAX_ROWS_LISTED])
            total = self.n_rows if self.n_rows is not None else len(self.rows)
            if total > MAX_ROWS_LISTED:
                listed += f" and {total - MAX_ROWS_LISTED} more"
            parts.append(f"rows {listed}")
        line = ": ".join(parts) + ": " + self.rule
        if self.values:
            shown = ", ".join(repr(shorten(v)) for v in self.values[:MAX_VALUES_LISTED])
            line += f" (values: {shown})"
        if self.severity == "warning":
            line = "warning: " + line
        return line


class DeliveryError(UppfoljningError):
    """The delivery breaks the data contract; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__("\n".join(p.format() for p in errors) or "invalid delivery")


class NotebookError(UppfoljningError):
    """A notebook failed while executing; names the unit, the notebook and the cell."""

    def __init__(self, unit: str, notebook: str, cell: int | str, detail: str, kept_at: str):
        self.unit, self.notebook, self.cell, self.kept_at = unit, notebook, cell, kept_at
        super().__init__(
            f"notebook {notebook} failed for unit {unit} in cell {cell}: {detail} "
            f"(executed notebook kept at {kept_at})"
        )
