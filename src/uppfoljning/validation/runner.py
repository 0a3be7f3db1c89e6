"""Running a Great Expectations suite on a frame (the input gate and the results checks).

``great_expectations`` is imported lazily, once per process (it takes seconds), and only
when a suite really has to run.
:func:`new_context` gives an ephemeral context (nothing written to disk, no analytics),
:func:`run_suite` validates one suite document on one frame, and
:func:`exception_message` reads what GX met when it could not evaluate an expectation.

:class:`SuiteRunner` is what the gates use: it returns each expectation's outcome as a
plain :class:`ExpectationOutcome` (JSON-safe), and with an outcome store
(:class:`uppfoljning.cache.OutcomeStore`) it reuses the outcome of an earlier run of the
same suite on the same frame. The key (:func:`run_key`) is exactly what GX sees: the GX
version, the suite, the parameters the suite refers to, the result format and the
frame's content (:func:`frame_digest`: values, index labels -- the spreadsheet rows --,
column names and dtypes). A delivery where one table changed runs only the suites whose
check frame changed, and a run where nothing has to run never imports GX.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import importlib.metadata
import json
import sys
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from ..errors import MAX_ROWS_LISTED

RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": MAX_ROWS_LISTED}


def exception_message(info: Any) -> str | None:
    """The first line of the exception GX met evaluating an expectation, if any.

    GX gives either one {raised_exception, exception_message, ...} dict or a dict of
    them keyed by metric.
    """
    if not isinstance(info, dict):
        return None
    found = (
        [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    )
    for entry in found:
        if entry.get("raised_exception"):
            text = str(entry.get("exception_message") or "unknown error").strip()
            return text.splitlines()[0] if text else "unknown error"
    return None


# Optional dependencies of GX that no suite here needs and that its import would load
# when installed: SQLAlchemy (~0.3 s of GX's ~1.8 s import), installed for jupyter-cache,
# which only the Jupyter Book process uses. GX treats it as not installed (it has no SQL
# datasource then; the suites validate pandas frames).
UNUSED_BY_GX = ("sqlalchemy",)


@functools.cache
def gx_module() -> Any:
    """The ``great_expectations`` module, imported once per process (frozen: it is
    the largest import of a build, :func:`uppfoljning.lifeline.import_frozen`), without
    :data:`UNUSED_BY_GX` unless this process already imported them."""
    from ..lifeline import import_frozen

    for name in UNUSED_BY_GX:
        # None: "import sqlalchemy" fails at once (the documented way to block an import)
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
    import_frozen("great_expectations")
    import great_expectations as gx

    return gx


def new_context() -> Any:
    """A fresh ephemeral GX context without progress bars or analytics (nothing is
    written to disk)."""
    gx = gx_module()
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    # No analytics: the machine is offline and a build must never wait on the network.
    return gx.get_context(
        mode="ephemeral",
        project_config=DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False),
        ),
    )


@contextlib.contextmanager
def steady_expectations() -> Any:
    """Let GX build each expectation's configuration once per run instead of on every
    access.

    ``Expectation.configuration`` is a property that serialises the pydantic model
    afresh each time it is read, and a validation run reads it about 70 times per
    expectation: two thirds of GX's time on our suites went there (about 6 s a build).
    An expectation is not changed after GX builds it for a run (it builds a new one from
    the configuration for each step), so within this block the first configuration of
    an instance is returned again. The original property is restored on exit;
    ``tests/test_validation.py`` checks that the results are the same either way."""
    from great_expectations.expectations.expectation import Expectation

    original = Expectation.__dict__["configuration"]
    built: dict[int, tuple[Any, Any]] = {}

    def configuration(self: Any) -> Any:
        entry = built.get(id(self))
        if entry is None or entry[0] is not self:  # the instance is kept: ids stay unique
            entry = built[id(self)] = (self, original.fget(self))
        return entry[1]

    # a library's property replaced on purpose, and restored below
    Expectation.configuration = property(  # type: ignore[method-assign, assignment]
        configuration, doc=original.__doc__
    )
    try:
        yield
    finally:
        Expectation.configuration = original  # type: ignore[method-assign]


def run_suite(
    context: Any,
    suite: dict[str, Any],
    frame: pd.DataFrame,
    parameters: dict[str, Any],
    *,
    key: str = "rule_id",
    result_format: dict[str, Any] = RESULT_FORMAT,
) -> dict[str, Any]:
    """Run one suite (a JSON document of ``validation/``) on one frame; the GX result of
    each expectation by its ``meta[key]``. The suite is validated on a batch directly,
    not stored in the context (storing it only serialised it once more)."""
    from great_expectations.core.expectation_suite import ExpectationSuite

    name = suite["name"]
    batch = (
        context.data_sources.add_pandas(f"data_{name}")
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe(name)
        .get_batch(batch_parameters={"dataframe": frame})
    )
    gx_suite = ExpectationSuite(**copy.deepcopy(suite))
    if len(gx_suite.expectations) != len(suite["expectations"]):
        # GX logs and drops an expectation it cannot build; never run a partial suite.
        raise RuntimeError(
            f"suite {name}: GX accepted {len(gx_suite.expectations)} of "
            f"{len(suite['expectations'])} expectations"
        )
    with steady_expectations():
        run = batch.validate(
            gx_suite, expectation_parameters=parameters, result_format=result_format
        )
    return {r.expectation_config.meta[key]: r for r in run.results}


# ---------------------------------------------------------------------------
# Plain outcomes and the outcome cache

RECORD_VERSION = "1"  # bump when what run_suite asks of GX or what a record holds changes


@dataclass(frozen=True)
class ExpectationOutcome:
    """What GX reported for one expectation, as plain JSON values: ``success``, the
    ``result`` dict (counts, failing index labels, observed value), the
    ``exception_info`` and the expectation's ``kwargs`` as GX evaluated them (parameters
    filled in). ``success``, ``result`` and ``exception_info`` are read as on a GX
    result."""

    success: bool
    result: dict[str, Any]
    exception_info: dict[str, Any] | None
    kwargs: dict[str, Any]

    def to_record(self) -> dict[str, Any]:
        return {
            "success": self.success,
            "result": self.result,
            "exception_info": self.exception_info,
            "kwargs": self.kwargs,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ExpectationOutcome:
        """The outcome of a stored record; ValueError when it is not one."""
        if not (
            isinstance(record, dict)
            and isinstance(record.get("success"), bool)
            and isinstance(record.get("result"), dict)
            and isinstance(record.get("kwargs"), dict)
            and isinstance(record.get("exception_info"), dict | None)
        ):
            raise ValueError("not an outcome record")
        return cls(record["success"], record["result"], record["exception_info"], record["kwargs"])


def _json_value(value: Any) -> Any:
    """JSON stand-in for a value GX puts in a result that JSON does not know."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if value is pd.NaT or value is pd.NA:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=_json_value))


def plain_outcome(result: Any) -> ExpectationOutcome:
    """A GX ``ExpectationValidationResult`` as an :class:`ExpectationOutcome`."""
    return ExpectationOutcome(
        bool(result.success),
        _plain(dict(result.result or {})),
        _plain(result.exception_info) or None,
        _plain(dict(result.expectation_config.kwargs)),
    )


def _digest(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def _values_digest(values: pd.Series | pd.Index) -> str:
    """Digest of one column's (or the index's) values. pandas hashes an object column
    through the values' text, so the missing cells and, when not every value is a
    string, each value's type are added: "None" is not a missing cell, "1" is not 1."""
    hashed = (
        pd.util.hash_pandas_object(values, index=False)
        if isinstance(values, pd.Series)
        else pd.util.hash_pandas_object(values)
    )
    parts: list[bytes | str] = [
        np.asarray(hashed, dtype="uint64").tobytes(),
        np.asarray(pd.isna(values), dtype=bool).tobytes(),
    ]
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) not in (
        "string",
        "empty",
    ):
        parts.append("|".join(type(v).__qualname__ for v in values))
    return _digest(*parts)


def frame_digest(frame: pd.DataFrame) -> str:
    """What GX sees of ``frame``: its shape, index (labels, names, dtype) and each
    column's name, dtype and values, in order."""
    index = frame.index
    parts = [repr(frame.shape), repr(list(index.names)), repr(index.dtype), _values_digest(index)]
    for position, name in enumerate(frame.columns):
        column = frame.iloc[:, position]
        parts += [repr(name), repr(column.dtype), _values_digest(column)]
    return _digest(*parts)


def _referenced_parameters(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        if "$PARAMETER" in node:
            found.add(str(node["$PARAMETER"]))
        for value in node.values():
            _referenced_parameters(value, found)
    elif isinstance(node, list):
        for value in node:
            _referenced_parameters(value, found)


def suite_parameters(suite: dict[str, Any], parameters: dict[str, Any]) -> dict[str, Any]:
    """The parameters ``suite`` refers to (all of them when it refers to one by an
    expression rather than by name)."""
    found: set[str] = set()
    _referenced_parameters(suite, found)
    if not found <= set(parameters):
        return parameters
    return {name: parameters[name] for name in sorted(found)}


@functools.cache
def gx_version() -> str:
    """The installed GX version, read without importing GX."""
    return importlib.metadata.version("great_expectations")


def run_key(
    suite: dict[str, Any],
    frame: pd.DataFrame,
    parameters: dict[str, Any],
    *,
    key: str = "rule_id",
    result_format: dict[str, Any] = RESULT_FORMAT,
) -> str | None:
    """The outcome cache's key of one suite run, or None when the frame cannot be
    hashed (then the suite simply runs)."""
    try:
        frame_part = frame_digest(frame)
        return _digest(
            "gx-suite-run",
            RECORD_VERSION,
            gx_version(),
            json.dumps(suite, sort_keys=True, default=str),
            json.dumps(suite_parameters(suite, parameters), sort_keys=True, default=str),
            json.dumps(result_format, sort_keys=True),
            key,
            frame_part,
        )
    except (TypeError, ValueError):
        return None


class OutcomeStore(Protocol):
    """Where suite outcomes are kept (:class:`uppfoljning.cache.OutcomeStore`)."""

    def load(self, key: str) -> Any: ...

    def store(self, key: str, value: Any) -> None: ...


class SuiteRunner:
    """Runs suites for one gate, through ``store`` when given. The GX context (and GX
    itself) is created on the first suite that has to run; ``runs`` counts them."""

    def __init__(self, store: OutcomeStore | None = None):
        self.store = store
        self.runs = 0
        self._context: Any = None

    @property
    def context(self) -> Any:
        if self._context is None:
            self._context = new_context()
        return self._context

    def run(
        self,
        suite: dict[str, Any],
        frame: pd.DataFrame,
        parameters: dict[str, Any],
        *,
        key: str = "rule_id",
        result_format: dict[str, Any] = RESULT_FORMAT,
    ) -> dict[str, ExpectationOutcome]:
        """Each expectation's outcome by its ``meta[key]`` (see :func:`run_suite`)."""
        cache_key = None
        if self.store is not None:
            cache_key = run_key(suite, frame, parameters, key=key, result_format=result_format)
            cached = self._load(cache_key, suite, key) if cache_key else None
            if cached is not None:
                return cached
        self.runs += 1
        results = run_suite(
            self.context, suite, frame, parameters, key=key, result_format=result_format
        )
        outcomes = {name: plain_outcome(result) for name, result in results.items()}
        # an expectation GX could not evaluate is tried again next time, never replayed
        evaluated = all(exception_message(o.exception_info) is None for o in outcomes.values())
        if self.store is not None and cache_key and evaluated:
            self.store.store(
                cache_key,
                {
                    "version": RECORD_VERSION,
                    "outcomes": {name: o.to_record() for name, o in outcomes.items()},
                },
            )
        return outcomes

    def _load(
        self, cache_key: str, suite: dict[str, Any], key: str
    ) -> dict[str, ExpectationOutcome] | None:
        """The stored outcomes, or None for a missing, corrupt or foreign entry."""
        entry = self.store.load(cache_key) if self.store is not None else None
        if not isinstance(entry, dict) or entry.get("version") != RECORD_VERSION:
            return None
        records = entry.get("outcomes")
        expected = {e["meta"][key] for e in suite["expectations"]}
        if not isinstance(records, dict) or set(records) != expected:
            return None
        try:
            return {name: ExpectationOutcome.from_record(r) for name, r in records.items()}
        except ValueError:
            return None
