"""Fuzzing the loaders and the gate (issue 18, point 3): seeded random mutations of a
delivery's files (random bytes, truncation, NUL bytes, a BOM mid-file, huge cells, mixed
line endings, spreadsheet error values, formulas, swapped headers, unclosed quotes,
wrong formats...) must each end in exit 0 or 1 from ``uppfoljning validate`` within a
time bound, with no traceback; reading the edition year from the data (what ``build``
does first) must not crash either.

The quick test mutates the small hand-made delivery; the slow one the demo delivery.
Run the slow one with ``-s`` to see its figures (cases, refusals, acceptances)."""

from __future__ import annotations

import random
import shutil
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from support.deliveries import write_minimal_delivery
from uppfoljning import editions, loading
from uppfoljning.cli import main
from uppfoljning.validation import EXCEL_ERRORS

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
SECONDS_PER_CASE = 60  # the demo delivery validates in a few seconds

Mutation = Callable[[random.Random, bytes], bytes]


def _cells(rng: random.Random, data: bytes) -> tuple[list[bytes], int, list[bytes], int]:
    """(lines, a data line's index, its cells, a cell's index) of CSV bytes."""
    lines = data.split(b"\n")
    row = rng.randrange(1, max(2, len(lines) - 1)) if len(lines) > 2 else 0
    cells = lines[row].split(b",")
    return lines, row, cells, rng.randrange(len(cells))


def _set_cell(rng: random.Random, data: bytes, value: bytes) -> bytes:
    lines, row, cells, cell = _cells(rng, data)
    cells[cell] = value
    lines[row] = b",".join(cells)
    return b"\n".join(lines)


def random_bytes(rng, data):
    if not data:
        return bytes(rng.randrange(256) for _ in range(16))
    data = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def truncate(rng, data):
    return data[: rng.randrange(len(data) + 1)]


def nul_bytes(rng, data):
    at = rng.randrange(len(data) + 1)
    return data[:at] + b"\x00" * rng.randint(1, 3) + data[at:]


def bom_mid_file(rng, data):
    at = rng.randrange(len(data) + 1)
    return data[:at] + b"\xef\xbb\xbf" + data[at:]


def huge_cell(rng, data):
    return _set_cell(rng, data, b"x" * rng.choice([131_073, 200_000, 1_000_000]))


def mixed_line_endings(rng, data):
    return b"".join(line + rng.choice([b"\n", b"\r\n", b"\r"]) for line in data.split(b"\n"))


def error_value(rng, data):
    return _set_cell(rng, data, rng.choice(EXCEL_ERRORS).encode())


def formula(rng, data):
    return _set_cell(
        rng,
        data,
        rng.choice([b"=1+1", b"+A1", b"-2+3", b"@SUM(A1)", b'"=HYPERLINK(""http://x"",""y"")"']),
    )


def swap_headers(rng, data):
    lines = data.split(b"\n")
    names = lines[0].split(b",")
    if len(names) > 1:
        i, j = rng.sample(range(len(names)), 2)
        names[i], names[j] = names[j], names[i]
    lines[0] = b",".join(names)
    return b"\n".join(lines)


def unclosed_quote(rng, data):
    lines, row, cells, cell = _cells(rng, data)
    cells[cell] = b'"' + cells[cell]
    lines[row] = b",".join(cells)
    return b"\n".join(lines)


def extra_cells(rng, data):
    lines, row, _, _ = _cells(rng, data)
    lines[row] += b"," * rng.randint(1, 50)
    return b"\n".join(lines)


def other_encoding(rng, data):
    return rng.choice(
        [
            data.decode("utf-8", "replace").encode("utf-16"),
            data + b"\x81\x8d\x8f",
            b"\xff\xfe" + data,
        ]
    )


def delete_lines(rng, data):
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 3)):
        if lines:
            del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def weird_text(rng, data):
    return _set_cell(
        rng,
        data,
        rng.choice(
            [
                "\u202e\u0000x",
                "🙂" * 1000,
                "\x1b[31m",
                "9999-99-99",
                "1e309",
                "-0",
                "NaN",
                "inf",
                " ; ; ",
                "0000-01-01",
                "2024-02-30",
            ]
        ).encode("utf-8", "surrogatepass"),
    )


def emptied(rng, data):
    return rng.choice([b"", b"\n\n\n", b",,,,\n", b"\xef\xbb\xbf"])


MUTATIONS: tuple[Mutation, ...] = (
    random_bytes,
    truncate,
    nul_bytes,
    bom_mid_file,
    huge_cell,
    mixed_line_endings,
    error_value,
    formula,
    swap_headers,
    unclosed_quote,
    extra_cells,
    other_encoding,
    delete_lines,
    weird_text,
    emptied,
)


def mutate(source: Path, target: Path, rng: random.Random) -> list[str]:
    """Copy delivery ``source`` to ``target`` with 1-3 mutations of random files (now
    and then a file is renamed to another format, or removed); what was done."""
    shutil.copytree(source, target)
    files = sorted(target.glob("*.csv"))
    done = []
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(files)
        if not path.exists():
            continue
        roll = rng.random()
        if roll < 0.05:
            path.rename(path.with_suffix(rng.choice([".xlsx", ".parquet"])))
            done.append(f"{path.name}: renamed to another format")
            continue
        if roll < 0.08:
            path.unlink()
            done.append(f"{path.name}: removed")
            continue
        mutation = rng.choice(MUTATIONS)
        path.write_bytes(mutation(rng, path.read_bytes()))
        done.append(f"{path.name}: {mutation.__name__}")
    return done


def run_case(delivery: Path, capsys) -> tuple[int | str, float]:
    """Exit code of ``uppfoljning validate`` on ``delivery`` (or the exception that
    escaped: a traceback), and the seconds it took."""
    started = time.perf_counter()
    try:
        span = editions.data_span(loading.read_delivery(delivery).frames)
        if span is not None:
            span.supported()
        code: int | str = main(["validate", "--data", str(delivery)])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    except Exception as exc:  # noqa: BLE001 - this is what the test looks for
        code = f"traceback: {type(exc).__name__}: {exc}"
    err = capsys.readouterr().err
    if "Traceback" in err:
        code = "traceback in output"
    return code, time.perf_counter() - started


def fuzz(source: Path, cases: int, seed: int, tmp_path: Path, capsys) -> Counter:
    rng = random.Random(seed)
    outcomes: Counter = Counter()
    failures = []
    for case in range(cases):
        delivery = tmp_path / f"case-{case}"
        done = mutate(source, delivery, rng)
        code, seconds = run_case(delivery, capsys)
        outcomes[{0: "accepted", 1: "refused", 2: "usage"}.get(code, "traceback")] += 1
        if code not in (0, 1, 2) or seconds > SECONDS_PER_CASE:
            failures.append((case, done, code, round(seconds, 1)))
        shutil.rmtree(delivery)
    with capsys.disabled():
        print(
            f"\nfuzz of {source.name} (seed {seed}): {cases} cases, "
            f"{outcomes['refused']} refused, {outcomes['accepted']} accepted, "
            f"{outcomes['usage']} usage errors, {outcomes['traceback']} tracebacks"
        )
    assert failures == []
    return outcomes


def test_fuzz_the_gate_on_a_small_delivery(tmp_path, capsys):
    source = write_minimal_delivery(tmp_path / "source")
    outcomes = fuzz(source, cases=8, seed=18, tmp_path=tmp_path, capsys=capsys)
    assert outcomes["refused"] > 0  # the mutations do reach the gate


@pytest.mark.slow
def test_fuzz_the_gate_on_the_demo_delivery(tmp_path, capsys):
    outcomes = fuzz(DEMO, cases=40, seed=2024, tmp_path=tmp_path, capsys=capsys)
    assert outcomes["refused"] > 0
