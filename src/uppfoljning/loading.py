"""Read a data delivery: one file per table, CSV (UTF-8/BOM/Windows-1252, ',' or ';'),
XLSX (first sheet) or Parquet.

Reading happens in two steps so validation can report spreadsheet rows:

1. :func:`read_delivery` gives every table as a frame of *strings* (pandas ``str``
   dtype; a missing value for an empty cell) indexed by the 1-based spreadsheet row
   (header = row 1, index name ``row``), plus every file-level problem found. It never
   raises for bad data.
2. :func:`type_delivery` converts validated raw frames to typed frames
   (dates as ``datetime64``, counts as ``Int64``, text as ``str``) for computation.

:func:`load_delivery` does both and raises :class:`DeliveryError` on file-level
problems; the validation gate (:func:`uppfoljning.validation.gate`) sits between the
two steps in a build.

Reading is bounded: a file's size, its columns (a CSV's header, an XLSX sheet's declared
dimension, a Parquet file's metadata), rows, cells and unpacked bytes are checked against
limits from the contract before its cells are read, and a workbook's rows are capped
while they are read; beyond a limit the file is one problem line. A table that is not a
regular file (a dangling link, a folder, a pipe, a device) is an error, never "absent".
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .contract import (
    CODES,
    DATE,
    EXTRA_COLUMNS_ALLOWED,
    INT,
    MAX_CELLS,
    MAX_DATA_ROWS,
    MONTH,
    NUMBER,
    TABLES,
    YEAR,
)
from .errors import DeliveryError, Problem, name_some, printable

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}
ROW_INDEX = "row"
FIRST_DATA_ROW = 2  # spreadsheet row of the first data line (header = row 1)
TEXT = "str"  # pandas dtype of raw and typed text columns
# Spaces a Swedish spreadsheet may put between thousands (space, no-break, narrow).
THOUSANDS_SPACES = (" ", "\u00a0", "\u202f")
MISSING_COLUMN = "required column is missing"
# No cell of the contract needs more; a longer one is a broken export (e.g. an unclosed
# quote swallowing the rows after it). Python's csv module has the same default limit.
MAX_CELL_CHARS = 131_072

# Limits of a file, checked before its cells are read (the contract's own limits are
# contract.MAX_DATA_ROWS, MAX_CELLS and Table.max_columns). A delivered file of a
# few million rows is a few hundred megabytes; a workbook part compressed more than a
# hundredfold is a zip bomb, not an export.
GIB = 1 << 30
MAX_FILE_BYTES = GIB
MAX_UNPACKED_BYTES = GIB  # all parts of a workbook, or a Parquet file's row groups
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM = 16 << 20  # bytes unpacked; smaller parts may be as compressed as they like
MAX_ZIP_PARTS = 10_000
MAX_SHEETS = 100
SHEET_MAX_ROWS = 1_048_576  # a spreadsheet's last row (Excel, LibreOffice)
# A sheet's cells are held as Python objects while it is read (some 50 bytes each), so
# fewer than MAX_CELLS: a full sheet of the widest table with a dozen extra columns.
SHEET_MAX_CELLS = 20_000_000


@dataclass(frozen=True)
class SourceFile:
    """A delivered file, as the provenance appendix lists it."""

    table: str
    path: Path
    format: str
    sha256: str
    size_bytes: int
    rows: int = 0
    encoding: str | None = None
    delimiter: str | None = None

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def decimal_comma(self) -> bool:
        """CSV with ';' may use ',' as decimal separator (as Swedish Excel saves it)."""
        return self.format == "csv" and self.delimiter == ";"


@dataclass
class RawDelivery:
    """String frames of every readable table, with the problems met reading them."""

    data_dir: Path
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    sources: dict[str, SourceFile] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    extra_columns: dict[str, list[str]] = field(default_factory=dict)

    def file_of(self, table: str) -> str:
        source = self.sources.get(table)
        return source.name if source else f"{table}.csv"

    def has_error(self, table: str) -> bool:
        """True if reading ``table`` met an error (missing, unreadable, bad header...)."""
        return any(p.table == table and p.severity == "error" for p in self.problems)


@dataclass
class Delivery:
    """Typed frames of a validated delivery."""

    data_dir: Path
    tables: dict[str, pd.DataFrame]
    sources: dict[str, SourceFile]

    def table(self, name: str) -> pd.DataFrame | None:
        return self.tables.get(name)

    def has(self, name: str) -> bool:
        return name in self.tables


class FileProblem(Exception):
    """A file cannot be read at all (internal; becomes a table-level Problem)."""

    def __init__(self, message: str, rows: tuple[int, ...] = ()):
        super().__init__(message)
        self.rows = rows


# ---------------------------------------------------------------------------
# Finding files


def not_a_regular_file(path: Path) -> str | None:
    """Why ``path`` (named like a table) cannot be read as a file, or None if it is a
    regular file or a symbolic link to one."""
    link = f"a symbolic link to {printable(os.readlink(path))}" if path.is_symlink() else ""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if link:
            return f"is {link}, which leads to no file ({exc.strerror})"
        return f"cannot be read: {exc.strerror}"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        kind = "a folder"
    elif stat.S_ISFIFO(mode):
        kind = "a named pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "not a file"
    where = f" ({link})" if link else ""
    return f"is {kind}{where}, not a regular file; deliver the table as a file"


def find_table_files(data_dir: Path) -> tuple[dict[str, Path], list[Problem]]:
    """Map each contract table to its file; report duplicates, unknown tables and a
    table that is not a regular file (a dangling link, a folder, a pipe, a device)."""
    found: dict[str, list[Path]] = {}
    problems: list[Problem] = []
    for path in sorted(data_dir.iterdir()):
        if path.name.startswith("."):
            continue
        suffix = path.suffix.lower()
        if suffix not in FORMATS:
            continue
        stem = path.name[: -len(suffix)]
        if stem not in TABLES:
            if not_a_regular_file(path) is not None:
                continue  # a folder or link named like no table is not ours to judge
            problems.append(
                Problem(
                    path.name,
                    "file is not a table of the data contract; ignored",
                    severity="warning",
                )
            )
            continue
        found.setdefault(stem, []).append(path)
    files: dict[str, Path] = {}
    for table, paths in found.items():
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            problems.append(
                Problem(
                    paths[0].name,
                    f"table {table} is delivered twice ({names}); "
                    "deliver exactly one file per table",
                    table=table,
                )
            )
        elif (irregular := not_a_regular_file(paths[0])) is not None:
            problems.append(Problem(paths[0].name, irregular, table=table))
        else:
            files[table] = paths[0]
    for name, spec in TABLES.items():
        if name in found:
            continue
        if spec.required:
            problems.append(
                Problem(
                    f"{name}.csv",
                    f"required table {name} is missing (expected .csv, .xlsx or .parquet)",
                    table=name,
                )
            )
        else:
            problems.append(
                Problem(
                    f"{name}.csv",
                    f"optional table {name} is absent; its chapter will say 'uppgift saknas'",
                    severity="warning",
                    table=name,
                )
            )
    return files, problems


# ---------------------------------------------------------------------------
# Limits


def check_width(table: str, columns: int, what: str) -> None:
    """FileProblem if a file of ``table`` has more columns than it may."""
    spec = TABLES[table]
    if columns > spec.max_columns:
        raise FileProblem(
            f"{what} {columns} columns; a {table} file may have at most {spec.max_columns} "
            f"(the contract's {len(spec.columns)} and {EXTRA_COLUMNS_ALLOWED} others)"
        )


def check_rows(
    rows: int, columns: int, what: str, *, max_cells: int = MAX_CELLS, holder: str = "a table"
) -> None:
    """FileProblem if a file has more data rows, or cells, than a delivery may."""
    if rows > MAX_DATA_ROWS:
        raise FileProblem(f"{what} {rows} data rows; a table may have at most {MAX_DATA_ROWS}")
    if rows * columns > max_cells:
        raise FileProblem(
            f"{what} {rows * columns} cells ({rows} rows of {columns} columns); "
            f"{holder} may have at most {max_cells}"
        )


def check_sheet_rows(rows: int, columns: int, what: str) -> None:
    """:func:`check_rows` for a worksheet, whose cells are read as Python objects."""
    check_rows(rows, columns, what, max_cells=SHEET_MAX_CELLS, holder="a sheet")


def size_text(size: int) -> str:
    """ "1073741824 bytes (1 GiB)"; whole GiB are named as such."""
    return f"{size} bytes" + (f" ({size // GIB} GiB)" if size and size % GIB == 0 else "")


def check_file_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileProblem(
            f"file is {size} bytes; a delivered file may be at most {size_text(MAX_FILE_BYTES)}"
        )


# ---------------------------------------------------------------------------
# CSV


def detect_encoding(data: bytes) -> str:
    """The encoding of CSV bytes: 'utf-8-sig', 'utf-8' or 'cp1252'; FileProblem if none."""
    if not data.strip():
        raise FileProblem("file is empty")
    if data.startswith(b"PK\x03\x04"):
        raise FileProblem("file is a zip/XLSX workbook, not CSV; name it .xlsx")
    if data.startswith(b"PAR1"):
        raise FileProblem("file is a Parquet file, not CSV; name it .parquet")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem("file is UTF-16 encoded; save it as CSV UTF-8 or Windows-1252")
    if b"\x00" in data:
        raise FileProblem(
            "file contains NUL bytes: it is binary or damaged, not a CSV text file",
            rows=lines_with(data, b"\x00"),
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileProblem(
                f"file starts with a UTF-8 BOM but is not UTF-8 ({exc.reason} "
                f"at byte {exc.start + 3})"
            ) from None
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FileProblem(
            f"cannot decode file as UTF-8 or Windows-1252 (byte 0x{data[exc.start]:02x} at "
            f"position {exc.start})"
        ) from None
    return "cp1252"


def lines_with(data: bytes, needle: bytes) -> tuple[int, ...]:
    """1-based line numbers (= spreadsheet rows while no cell spans lines) of the lines
    of ``data`` that contain ``needle``."""
    return tuple(number for number, line in enumerate(data.split(b"\n"), start=1) if needle in line)


def sniff_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _csv_body(data: bytes, encoding: str) -> tuple[bytes, str]:
    """Bytes without a BOM, and the codec pandas should decode them with."""
    if encoding == "utf-8-sig":
        return data[3:], "utf-8"
    return data, encoding


def find_long_rows(text: str, delimiter: str) -> list[tuple[int, int]]:
    """(spreadsheet row, number of cells) of every record longer than the header."""
    limit = csv.field_size_limit()
    csv.field_size_limit(len(text) + 1)  # any cell fits: long cells are reported later
    try:
        records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = next(records, [])
        return [
            (row, len(cells))
            for row, cells in enumerate(records, start=FIRST_DATA_ROW)
            if len(cells) > len(header)
        ]
    finally:
        csv.field_size_limit(limit)


def _ragged_rows_problem(body: bytes, codec: str, delimiter: str) -> FileProblem:
    long_rows = find_long_rows(body.decode(codec), delimiter)
    if not long_rows:
        return FileProblem("cannot parse CSV")
    most = max(cells for _, cells in long_rows)
    return FileProblem(
        f"row has more cells than the header (up to {most}); check delimiters and quotes",
        rows=tuple(row for row, _ in long_rows),
    )


def count_header_cells(header_line: str, delimiter: str) -> int:
    """The number of cells of a CSV header line (quoted delimiters are no separators)."""
    limit = csv.field_size_limit()
    csv.field_size_limit(len(header_line) + 1)
    try:
        return len(next(csv.reader([header_line], delimiter=delimiter), []))
    except csv.Error:  # an unclosed quote: every delimiter counts
        return header_line.count(delimiter) + 1
    finally:
        csv.field_size_limit(limit)


def read_csv_text(data: bytes, table: str) -> tuple[pd.DataFrame, str, str]:
    """Header row + data rows of a CSV file as strings; (frame, encoding, delimiter).
    A header wider than the table may be (:attr:`Table.max_columns`) is refused before
    any row is parsed."""
    encoding = detect_encoding(data)
    body, codec = _csv_body(data, encoding)
    end = body.find(b"\n")
    header_line = body[: end if end >= 0 else len(body)].decode(codec)
    delimiter = sniff_delimiter(header_line)
    check_width(table, count_header_cells(header_line, delimiter), "header has")
    try:
        frame = pd.read_csv(
            io.BytesIO(body),
            sep=delimiter,
            encoding=codec,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.EmptyDataError:
        raise FileProblem("file has no header row") from None
    except pd.errors.ParserError as exc:
        if "Expected" in str(exc) and "fields" in str(exc):
            raise _ragged_rows_problem(body, codec, delimiter) from None
        raise parser_problem(str(exc)) from None
    check_rows(len(frame) - 1, len(frame.columns), "file has")
    return frame, encoding, delimiter


def parser_problem(message: str) -> FileProblem:
    """pandas' CSV parser error as a problem naming the spreadsheet row it gives."""
    detail = message.strip().removeprefix("Error tokenizing data. ").removeprefix("C error: ")
    found = re.search(r"EOF inside string starting at row (\d+)", detail)
    if found:  # the parser counts records from 0 (header = record 0 = spreadsheet row 1)
        return FileProblem(
            "a quoted cell is never closed: a '\"' opens a cell that runs to the end of the file",
            rows=(int(found.group(1)) + 1,),
        )
    found = re.search(r"\b(?:line|row) (\d+)", detail)
    rows = (int(found.group(1)),) if found else ()
    return FileProblem(
        f"cannot parse CSV: {detail.splitlines()[0] if detail else 'unknown error'}", rows=rows
    )


# ---------------------------------------------------------------------------
# XLSX and Parquet: typed cells become the text a CSV would carry


def cell_to_text(value: object, kind: str | None = None) -> str | None:
    """Text of one typed cell (XLSX, Parquet), given the column's contract kind."""
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return None
    if isinstance(value, bool | np.bool_):
        return str(bool(value)).lower()
    if isinstance(value, float | np.floating):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            return value.isoformat(sep=" ")
        value = value.date()
    if isinstance(value, dt.date):
        if kind == MONTH and value.day == 1:
            return value.strftime("%Y-%m")
        return value.isoformat()
    return str(value)


def typed_column_to_text(values: pd.Series, kind: str | None) -> pd.Series:
    """Vectorised :func:`cell_to_text` for the common typed dtypes."""
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        return values.astype(TEXT)
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.map(lambda v: cell_to_text(v, kind), na_action="ignore").astype(TEXT)
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.astype(TEXT)
    if pd.api.types.is_float_dtype(values.dtype):
        whole = values.notna() & (values == np.floor(values)) & (values.abs() < 2**53)
        text = values.astype(TEXT)
        as_int = values.where(whole).astype("Int64").astype(TEXT)
        return as_int.where(whole, text).where(values.notna())
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.map(lambda v: cell_to_text(v, kind), na_action="ignore").astype(TEXT)
    return pd.Series(
        [cell_to_text(v, kind) for v in values.tolist()], index=values.index, dtype=TEXT
    )


def _kind_of(table: str, column: object) -> str | None:
    name = str(column).strip().lower()
    spec = TABLES[table]
    return spec.column(name).kind if name in spec.column_names else None


def check_workbook_parts(path: Path) -> None:
    """FileProblem if the zip parts of a workbook unpack to more than
    :data:`MAX_UNPACKED_BYTES`, any large part is compressed more than
    :data:`MAX_COMPRESSION_RATIO` to 1 (a zip bomb), or there are absurdly many parts.
    Reads only the zip's directory."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise FileProblem(f"cannot read XLSX workbook: it is not a zip file ({exc})") from None
    if len(parts) > MAX_ZIP_PARTS:
        raise FileProblem(
            f"workbook has {len(parts)} parts; a workbook may have at most {MAX_ZIP_PARTS}"
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileProblem(
            f"workbook unpacks to {unpacked} bytes; a workbook may unpack to "
            f"at most {size_text(MAX_UNPACKED_BYTES)}"
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size >= RATIO_CHECKED_FROM and ratio > MAX_COMPRESSION_RATIO:
            raise FileProblem(
                f"workbook part {printable(part.filename)} unpacks {int(ratio)} times its "
                f"size ({part.file_size} bytes); a workbook's parts may be compressed at most "
                f"{MAX_COMPRESSION_RATIO} to 1 (is it a zip bomb?)"
            )


def check_declared_size(table: str, sheet: Any) -> None:
    """FileProblem if a sheet's declared size (its ``<dimension ref=...>``, which
    openpyxl's read-only ``max_row``/``max_column`` come from) is beyond the limits."""
    rows, columns = sheet.max_row, sheet.max_column  # None: no dimension declared
    if columns is not None:
        check_width(table, columns, "first sheet declares")
    if rows is not None:
        if rows > SHEET_MAX_ROWS:
            raise FileProblem(
                f"first sheet declares {rows} rows; a sheet has at most {SHEET_MAX_ROWS}"
            )
        check_sheet_rows(rows - 1, columns or 1, "first sheet declares")


def used_width(row: tuple, hint: int) -> int:
    """The length of ``row`` without its trailing empty cells; ``hint`` (a width the
    row likely has) saves looking at the empty cells one by one."""
    width = len(row)
    if 0 < hint < width and row[hint:].count(None) == width - hint:
        width = hint
    while width and row[width - 1] is None:
        width -= 1
    return width


def read_xlsx_cells(table: str, path: Path) -> pd.DataFrame:
    """Every cell of the first sheet as openpyxl gives it (numbers, datetimes, text).

    Read with openpyxl rather than ``pd.read_excel``: pandas turns a cell holding an
    error value (``#REF!``, ``#N/A``...: a formula that failed) into an empty cell, which
    in an optional column would pass as "no value" (an open spell, say). openpyxl gives
    the error's text, which the gate refuses.

    Bounded: the zip's parts, the sheet count and the sheet's declared size are checked
    before any cell is read (:func:`check_workbook_parts`, :func:`check_declared_size`),
    and what is read is capped as it comes, since a sheet may hold more than it
    declares: a row wider than the table may be is refused, so is a row past a sheet's
    last or more cells than :data:`SHEET_MAX_CELLS`. Cells past the first column too many are
    not read at all (a lone cell there goes unseen: reading it would mean building rows
    as wide as a sheet). Rows are read as the sheet holds them, not padded or cut to the
    declared size (openpyxl's read-only default)."""
    from openpyxl import load_workbook

    check_workbook_parts(path)
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        if len(book.sheetnames) > MAX_SHEETS:
            raise FileProblem(
                f"workbook has {len(book.sheetnames)} sheets; a workbook may "
                f"have at most {MAX_SHEETS} (only the first is read)"
            )
        sheet = book.worksheets[0]
        check_declared_size(table, sheet)
        max_columns = TABLES[table].max_columns
        width = sheet.max_column or 0
        sheet.reset_dimensions()
        rows: list[tuple] = []
        cells = sheet.iter_rows(max_col=max_columns + 1, values_only=True)
        for number, row in enumerate(cells, start=1):
            used = used_width(row, width)
            if used > max_columns:
                check_width(table, used, f"row {number} has at least")
            if number > SHEET_MAX_ROWS:
                raise FileProblem(f"sheet has rows past row {SHEET_MAX_ROWS}, a sheet's last")
            width = max(width, used)
            rows.append(row[:used])
            if number % 65_536 == 0:
                check_sheet_rows(number - 1, width, "first sheet has at least")
    finally:
        book.close()
    while rows and not rows[-1]:
        rows.pop()
    width = max((len(row) for row in rows), default=0)
    check_sheet_rows(max(len(rows) - 1, 0), width, "first sheet has")
    return pd.DataFrame([row + (None,) * (width - len(row)) for row in rows], dtype=object)


def read_xlsx_text(table: str, path: Path) -> pd.DataFrame:
    """Header row + data rows of the first sheet, as text like a CSV would carry."""
    try:
        cells = read_xlsx_cells(table, path)
    except FileProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl/zipfile raise many kinds; re-raised as one
        raise FileProblem(f"cannot read XLSX workbook: {one_line(exc)}") from None
    if cells.empty:
        raise FileProblem("file has no header row")
    header = [cell_to_text(v) or "" for v in cells.iloc[0].tolist()]
    body = cells.iloc[1:]
    columns = {
        i: typed_column_to_text(body[col], _kind_of(table, header[i]))
        for i, col in enumerate(body.columns)
    }
    frame = pd.DataFrame(columns, index=body.index)
    header_row = pd.DataFrame([header], columns=frame.columns).astype(TEXT)
    return pd.concat([header_row, frame], ignore_index=True)


def check_parquet_size(table: str, path: Path) -> None:
    """FileProblem if a Parquet file's metadata declares more columns, rows, cells or
    unpacked bytes than a file of ``table`` may have."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as parquet:
        metadata = parquet.metadata
        columns = len(parquet.schema_arrow.names)
        unpacked = sum(
            metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups)
        )
    check_width(table, columns, "file has")
    check_rows(metadata.num_rows, columns, "file has")
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileProblem(
            f"file unpacks to {unpacked} bytes; a Parquet file may unpack to "
            f"at most {size_text(MAX_UNPACKED_BYTES)}"
        )


def read_parquet_text(table: str, path: Path) -> pd.DataFrame:
    """Header row + data rows of a Parquet file, as text like a CSV would carry. Its
    size (columns, rows, unpacked bytes) is checked from its metadata first."""
    try:
        check_parquet_size(table, path)
        typed = pd.read_parquet(path)
    except FileProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - pyarrow raises ArrowInvalid, OSError, ...; re-raised
        raise FileProblem(f"cannot read Parquet file: {one_line(exc)}") from None
    header = [str(c) for c in typed.columns]
    columns = {
        i: typed_column_to_text(typed.iloc[:, i], _kind_of(table, name)).reset_index(drop=True)
        for i, name in enumerate(header)
    }
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(typed)))
    header_row = pd.DataFrame([header], columns=frame.columns).astype(TEXT)
    return pd.concat([header_row, frame], ignore_index=True)


# ---------------------------------------------------------------------------
# From header + rows to a raw frame


def normalise_header(names: list[object]) -> list[str]:
    return [str(n if n is not None else "").strip().lstrip("\ufeff").strip().lower() for n in names]


def clean_text(values: pd.Series) -> pd.Series:
    """Strip cells; an empty cell becomes missing."""
    text = values.astype(TEXT).str.strip()
    return text.mask(text == "")


def finish_frame(cells: pd.DataFrame) -> pd.DataFrame:
    """Frame of header + rows (positional) -> raw frame indexed by spreadsheet row.

    Columns with an empty header and no data (Excel's trailing separators) are dropped;
    rows with no data at all are dropped without renumbering the others.
    """
    header = normalise_header(cells.iloc[0].tolist())
    body = cells.iloc[1:]
    index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(body), name=ROW_INDEX)
    data: dict[str, pd.Series] = {}
    duplicated: set[str] = set()
    for position, name in enumerate(header):
        values = clean_text(body.iloc[:, position]).set_axis(index)
        if not name:
            if values.isna().all():
                continue
            name = f"(unnamed column {position + 1})"
        if name in data:
            duplicated.add(name)
        data[name] = values
    if duplicated:
        raise FileProblem("column names occur twice: " + name_some(sorted(duplicated)))
    frame = pd.DataFrame(data, index=index)
    has_data = frame.notna().any(axis=1)
    if len(frame.columns) and not has_data.all():
        frame = frame[has_data]
    return frame


def read_table_file(table: str, path: Path) -> tuple[pd.DataFrame, SourceFile]:
    """Read one file into a string frame; raise FileProblem if it cannot be read or is
    larger than a delivered file may be."""
    check_file_size(path)
    data = path.read_bytes()
    fmt = FORMATS[path.suffix.lower()]
    encoding = delimiter = None
    if fmt == "csv":
        cells, encoding, delimiter = read_csv_text(data, table)
    elif not data:
        raise FileProblem("file is empty")
    elif fmt == "xlsx":
        cells = read_xlsx_text(table, path)
    else:
        cells = read_parquet_text(table, path)
    frame = finish_frame(cells)
    source = SourceFile(
        table=table,
        path=path,
        format=fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        rows=len(frame),
        encoding=encoding,
        delimiter=delimiter,
    )
    return frame, source


def extra_columns_problem(table: str, extra: list[str], file: str) -> Problem:
    """One warning for all of a file's columns outside the contract."""
    if len(extra) == 1:
        return Problem(
            file,
            "column is not in the data contract; ignored",
            column=extra[0],
            severity="warning",
            table=table,
        )
    return Problem(
        file,
        f"{len(extra)} columns are not in the data contract; ignored: {name_some(extra)}",
        severity="warning",
        table=table,
    )


def check_columns(table: str, frame: pd.DataFrame, file: str) -> tuple[list[Problem], list[str]]:
    """Problems with a frame's columns, and its columns outside the contract."""
    spec = TABLES[table]
    problems = [
        Problem(file, MISSING_COLUMN, column=c.name, table=table)
        for c in spec.columns
        if c.required and c.name not in frame.columns
    ]
    extra = [c for c in frame.columns if c not in spec.column_names]
    if extra:
        problems.append(extra_columns_problem(table, extra, file))
    if len(frame) == 0:
        severity = "error" if spec.required else "warning"
        problems.append(
            Problem(file, "file has a header but no data rows", severity=severity, table=table)
        )
    return problems, extra


def long_cell_problems(table: str, frame: pd.DataFrame, file: str) -> list[Problem]:
    """One problem per column with cells longer than :data:`MAX_CELL_CHARS`."""
    problems = []
    for column in frame.columns:
        lengths = frame[column].str.len()
        rows = frame.index[(lengths > MAX_CELL_CHARS).fillna(False).to_numpy(dtype=bool)]
        if len(rows):
            longest = int(lengths.max())
            problems.append(
                Problem(
                    file,
                    f"cell is longer than {MAX_CELL_CHARS} characters ({longest}); check "
                    "for an unclosed quote",
                    column=str(column),
                    rows=tuple(int(r) for r in rows[:10]),
                    n_rows=len(rows),
                    table=table,
                )
            )
    return problems


def contract_columns(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The contract's columns of a frame; absent optional columns become empty."""
    spec = TABLES[table]
    frame = frame.copy()
    for column in spec.columns:
        if column.name not in frame.columns and not column.required:
            frame[column.name] = pd.Series(pd.NA, index=frame.index, dtype=TEXT)
    return frame[[c for c in spec.column_names if c in frame.columns]]


def one_line(exc: BaseException, limit: int = 200) -> str:
    """``Type: message`` of an unexpected reader error, on one line of bounded length."""
    text = " ".join(str(exc).split()) or "no details"
    if len(text) > limit:
        text = text[:limit] + "…"
    return f"{type(exc).__name__}: {text}"


def read_delivery(data_dir: Path | str) -> RawDelivery:
    """Read every table file of a delivery as strings, collecting file-level problems."""
    data_dir = Path(data_dir)
    raw = RawDelivery(data_dir=data_dir)
    if not data_dir.is_dir():
        raw.problems.append(Problem(str(data_dir), "delivery folder does not exist"))
        return raw
    files, raw.problems = find_table_files(data_dir)
    for table, path in files.items():
        try:
            frame, source = read_table_file(table, path)
        except FileProblem as exc:
            raw.problems.append(
                Problem(
                    path.name,
                    str(exc),
                    rows=exc.rows[:10],
                    n_rows=len(exc.rows) or None,
                    table=table,
                )
            )
            continue
        except OSError as exc:
            raw.problems.append(
                Problem(path.name, f"cannot read file: {exc.strerror}", table=table)
            )
            continue
        except Exception as exc:  # noqa: BLE001 - no byte of a delivery may crash the gate
            raw.problems.append(
                Problem(path.name, f"cannot read file: {one_line(exc)}", table=table)
            )
            continue
        raw.sources[table] = source
        problems, extra = check_columns(table, frame, path.name)
        problems += long_cell_problems(table, frame, path.name)
        raw.problems += problems
        if extra:
            raw.extra_columns[table] = extra
        raw.frames[table] = contract_columns(table, frame)
    return raw


# ---------------------------------------------------------------------------
# Typing


def normalise_number_text(values: pd.Series, decimal_comma: bool) -> pd.Series:
    """Number text with '.' as decimal separator (and no thousands spaces) if the file
    may use a decimal comma; unchanged otherwise."""
    text = values.astype(TEXT)
    if not decimal_comma:
        return text
    for space in THOUSANDS_SPACES:
        text = text.str.replace(space, "", regex=False)
    return text.str.replace(",", ".", regex=False)


def parse_number(values: pd.Series, decimal_comma: bool) -> pd.Series:
    return pd.to_numeric(normalise_number_text(values, decimal_comma), errors="coerce")


def parse_dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")


def normalise_codes(values: pd.Series) -> pd.Series:
    """'a; b' -> 'a;b' for ';'-separated code lists."""
    return values.astype(TEXT).str.replace(r"\s*;\s*", ";", regex=True)


def type_column(values: pd.Series, kind: str, decimal_comma: bool) -> pd.Series:
    """Typed copy of one validated string column."""
    if kind == DATE:
        return parse_dates(values)
    if kind == YEAR:
        return parse_number(values, False).astype("Int64")
    if kind == INT:
        return parse_number(values, decimal_comma).astype("Int64")
    if kind == NUMBER:
        return parse_number(values, decimal_comma).astype("float64")
    if kind == CODES:
        return normalise_codes(values)
    return values.astype(TEXT)  # str, slug, ident, code, month (YYYY-MM)


def type_table(table: str, frame: pd.DataFrame, source: SourceFile | None) -> pd.DataFrame:
    """Typed copy of a validated string frame."""
    spec = TABLES[table]
    decimal_comma = source is not None and source.decimal_comma
    typed = {
        column.name: type_column(frame[column.name], column.kind, decimal_comma)
        for column in spec.columns
    }
    return pd.DataFrame(typed, index=frame.index)


def type_delivery(raw: RawDelivery) -> Delivery:
    tables = {
        name: type_table(name, frame, raw.sources.get(name)) for name, frame in raw.frames.items()
    }
    return Delivery(data_dir=raw.data_dir, tables=tables, sources=dict(raw.sources))


def load_delivery(data_dir: Path | str) -> Delivery:
    """Read and type a delivery; raise DeliveryError on any file-level error.

    This does not run the Great Expectations gate: callers that publish anything go
    through :func:`uppfoljning.validation.gate` instead.
    """
    raw = read_delivery(data_dir)
    errors = [p for p in raw.problems if p.severity == "error"]
    if errors:
        raise DeliveryError(raw.problems)
    return type_delivery(raw)
