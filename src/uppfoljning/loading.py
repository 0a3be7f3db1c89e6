"""Read a data delivery: one file per table, CSV (UTF-8/BOM/Windows-1252, ',' or ';'),
XLSX (first sheet) or Parquet.

Reading happens in two steps so validation can report spreadsheet rows:

1. :func:`read_delivery` gives every table as a frame of *strings* (``None`` for an
   empty cell) indexed by the 1-based spreadsheet row (header = row 1), plus every
   file-level problem found. It never raises for bad data.
2. :func:`type_delivery` converts validated raw frames to typed frames
   (dates as ``datetime64``, counts as integers, ...) for computation.

:func:`load_delivery` does both and raises :class:`DeliveryError` on file-level
problems; the validation gate sits between the two steps in a build.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .contract import (
    CODES,
    DATE,
    INT,
    MONTH,
    NUMBER,
    TABLES,
    YEAR,
)
from .errors import DeliveryError, Problem

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}
ROW_INDEX = "row"


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


# ---------------------------------------------------------------------------
# Finding and reading files


def find_table_files(data_dir: Path) -> tuple[dict[str, Path], list[Problem]]:
    """Map each contract table to its file; report duplicates and unknown tables."""
    found: dict[str, list[Path]] = {}
    problems: list[Problem] = []
    for path in sorted(data_dir.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        suffix = path.suffix.lower()
        stem = path.name[: -len(suffix)] if suffix else path.name
        if suffix not in FORMATS:
            continue
        if stem not in TABLES:
            problems.append(
                Problem(path.name, "file is not a table of the data contract; ignored",
                        severity="warning")
            )
            continue
        found.setdefault(stem, []).append(path)
    files: dict[str, Path] = {}
    for table, paths in found.items():
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            problems.append(
                Problem(paths[0].name, f"table {table} is delivered twice ({names}); "
                        "deliver exactly one file per table", table=table)
            )
        else:
            files[table] = paths[0]
    for name, spec in TABLES.items():
        if name in files or name in found:
            continue
        if spec.required:
            problems.append(Problem(f"{name}.csv", f"required table {name} is missing "
                                    "(expected .csv, .xlsx or .parquet)", table=name))
        else:
            problems.append(Problem(f"{name}.csv", f"optional table {name} is absent; its "
                                    "chapter will say 'uppgift saknas'", severity="warning",
                                    table=name))
    return files, problems


def _decode(data: bytes) -> tuple[str, str]:
    if not data.strip():
        raise FileProblem("file is empty")
    if data.startswith(b"PK\x03\x04"):
        raise FileProblem("file is a zip/XLSX workbook, not CSV; name it .xlsx")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem("file is UTF-16 encoded; save it as CSV UTF-8 or Windows-1252")
    if b"\x00" in data[:65536]:
        raise FileProblem("file is binary, not a CSV text file")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise FileProblem(f"file starts with a UTF-8 BOM but is not UTF-8 ({exc.reason} "
                              f"at byte {exc.start})") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise FileProblem(
            f"cannot decode file as UTF-8 or Windows-1252 (byte 0x{data[exc.start]:02x} at "
            f"position {exc.start})"
        ) from None


def _sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _read_csv(path: Path, data: bytes) -> tuple[pd.DataFrame, str, str]:
    text, encoding = _decode(data)
    delimiter = _sniff_delimiter(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        raise FileProblem(f"cannot parse CSV: {str(exc).strip()}") from None
    except pd.errors.EmptyDataError:
        raise FileProblem("file has no header row") from None
    return frame, encoding, delimiter


def _cell_to_str(value: object) -> str | None:
    """Normalise a typed cell (XLSX, Parquet) to the text a CSV would carry."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            return None
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _normalise_typed_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {col: [_cell_to_str(v) for v in frame[col].tolist()] for col in frame.columns},
        dtype=object,
    )


def _read_xlsx(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise FileProblem(f"cannot read XLSX workbook: {type(exc).__name__}: {exc}") from None
    frame.columns = [str(c) for c in frame.columns]
    return _normalise_typed_frame(frame)


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ...
        raise FileProblem(f"cannot read Parquet file: {type(exc).__name__}: {exc}") from None
    return _normalise_typed_frame(frame.astype(object))


def _finish_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip cells, turn '' into None, index by spreadsheet row, drop empty lines."""
    frame.columns = [str(c).strip().lstrip("\ufeff").lower() for c in frame.columns]
    frame = frame.astype(object)
    for col in frame.columns:
        stripped = frame[col].map(lambda v: v.strip() if isinstance(v, str) else v)
        frame[col] = stripped.where(stripped.map(lambda v: v is not None and v != ""), None)
    frame.index = pd.RangeIndex(2, len(frame) + 2, name=ROW_INDEX)
    if len(frame.columns):
        frame = frame[frame.notna().any(axis=1)]
    return frame


def read_table_file(table: str, path: Path) -> tuple[pd.DataFrame, SourceFile]:
    """Read one file into a string frame; raise FileProblem if it cannot be read."""
    data = path.read_bytes()
    fmt = FORMATS[path.suffix.lower()]
    encoding = delimiter = None
    if fmt == "csv":
        frame, encoding, delimiter = _read_csv(path, data)
    elif not data:
        raise FileProblem("file is empty")
    elif fmt == "xlsx":
        frame = _read_xlsx(path)
    else:
        frame = _read_parquet(path)
    frame = _finish_frame(frame)
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


def read_delivery(data_dir: Path | str) -> RawDelivery:
    """Read every table file of a delivery as strings, collecting file-level problems."""
    data_dir = Path(data_dir)
    raw = RawDelivery(data_dir=data_dir)
    if not data_dir.is_dir():
        raw.problems.append(Problem(str(data_dir), "delivery folder does not exist"))
        return raw
    files, raw.problems = find_table_files(data_dir)
    for table, path in files.items():
        spec = TABLES[table]
        try:
            frame, source = read_table_file(table, path)
        except FileProblem as exc:
            raw.problems.append(Problem(path.name, str(exc), table=table))
            continue
        except OSError as exc:
            raw.problems.append(Problem(path.name, f"cannot read file: {exc.strerror}",
                                        table=table))
            continue
        raw.sources[table] = source
        duplicated = sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
        if duplicated:
            raw.problems.append(Problem(path.name, "column names occur twice: "
                                        + ", ".join(duplicated), table=table))
            continue
        missing = [c.name for c in spec.columns if c.required and c.name not in frame.columns]
        for name in missing:
            raw.problems.append(Problem(path.name, "required column is missing", column=name,
                                        table=table))
        extra = [c for c in frame.columns if c not in spec.column_names]
        if extra:
            raw.extra_columns[table] = extra
            for name in extra:
                raw.problems.append(Problem(path.name, "column is not in the data contract; "
                                            "ignored", column=name, severity="warning",
                                            table=table))
        if len(frame) == 0:
            severity = "error" if spec.required else "warning"
            raw.problems.append(Problem(path.name, "file has a header but no data rows",
                                        severity=severity, table=table))
        # Optional columns absent from the file become empty columns.
        for column in spec.columns:
            if column.name not in frame.columns and not column.required:
                frame[column.name] = None
        keep = [c for c in spec.column_names if c in frame.columns]
        raw.frames[table] = frame[keep]
    return raw


# ---------------------------------------------------------------------------
# Typing


def parse_number(values: pd.Series, decimal_comma: bool) -> pd.Series:
    text = values.astype("string")
    if decimal_comma:
        text = (
            text.str.replace("\u00a0", "", regex=False)
            .str.replace(" ", "", regex=False)
            .str.replace(",", ".", regex=False)
        )
    return pd.to_numeric(text, errors="coerce")


def type_table(table: str, frame: pd.DataFrame, source: SourceFile | None) -> pd.DataFrame:
    """Typed copy of a validated string frame."""
    spec = TABLES[table]
    decimal_comma = source is not None and source.delimiter == ";"
    typed = {}
    for column in spec.columns:
        values = frame[column.name]
        if column.kind == DATE:
            typed[column.name] = pd.to_datetime(values.str.slice(0, 10), format="%Y-%m-%d",
                                                errors="coerce")
        elif column.kind == MONTH:
            typed[column.name] = values.str.slice(0, 7).astype(object)
        elif column.kind == YEAR:
            typed[column.name] = parse_number(values, False).astype("Int64")
        elif column.kind == INT:
            typed[column.name] = parse_number(values, decimal_comma).astype("Int64")
        elif column.kind == NUMBER:
            typed[column.name] = parse_number(values, decimal_comma).astype("float64")
        elif column.kind == CODES:
            typed[column.name] = values.astype(object)
        else:
            typed[column.name] = values.astype(object)
    result = pd.DataFrame(typed, index=frame.index)
    if spec.has_unit and "unit_id" in result:
        result["unit_id"] = result["unit_id"].astype(object)
    return result


def type_delivery(raw: RawDelivery) -> Delivery:
    tables = {
        name: type_table(name, frame, raw.sources.get(name)) for name, frame in raw.frames.items()
    }
    return Delivery(data_dir=raw.data_dir, tables=tables, sources=dict(raw.sources))


def load_delivery(data_dir: Path | str) -> Delivery:
    """Read and type a delivery; raise DeliveryError on any file-level error.

    This does not run the Great Expectations gate: callers that publish anything go
    through :func:`uppfoljning.validation.validate_delivery` first.
    """
    raw = read_delivery(data_dir)
    errors = [p for p in raw.problems if p.severity == "error"]
    if errors:
        raise DeliveryError(raw.problems)
    return type_delivery(raw)
