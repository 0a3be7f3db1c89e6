"""Running a Great Expectations suite on a frame (the input gate and the results checks).

``great_expectations`` is imported lazily, once per process (it takes seconds).
:func:`new_context` gives an ephemeral context (nothing written to disk, no analytics),
:func:`run_suite` validates one suite document on one frame, and
:func:`exception_message` reads what GX met when it could not evaluate an expectation.
"""

from __future__ import annotations

import contextlib
import copy
import functools
from typing import Any

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
    found = [info] if "raised_exception" in info else [
        v for v in info.values() if isinstance(v, dict)]
    for entry in found:
        if entry.get("raised_exception"):
            text = str(entry.get("exception_message") or "unknown error").strip()
            return text.splitlines()[0] if text else "unknown error"
    return None



@functools.cache
def gx_module() -> Any:
    """The ``great_expectations`` module, imported once per process."""
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
    return gx.get_context(mode="ephemeral", project_config=DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    ))


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

    Expectation.configuration = property(configuration, doc=original.__doc__)
    try:
        yield
    finally:
        Expectation.configuration = original


def run_suite(context: Any, suite: dict[str, Any], frame: pd.DataFrame,
              parameters: dict[str, Any], *, key: str = "rule_id",
              result_format: dict[str, Any] = RESULT_FORMAT) -> dict[str, Any]:
    """Run one suite (a JSON document of ``validation/``) on one frame; the GX result of
    each expectation by its ``meta[key]``. The suite is validated on a batch directly,
    not stored in the context (storing it only serialised it once more)."""
    from great_expectations.core.expectation_suite import ExpectationSuite

    name = suite["name"]
    batch = (context.data_sources.add_pandas(f"data_{name}").add_dataframe_asset(name)
             .add_batch_definition_whole_dataframe(name)
             .get_batch(batch_parameters={"dataframe": frame}))
    gx_suite = ExpectationSuite(**copy.deepcopy(suite))
    if len(gx_suite.expectations) != len(suite["expectations"]):
        # GX logs and drops an expectation it cannot build; never run a partial suite.
        raise RuntimeError(f"suite {name}: GX accepted {len(gx_suite.expectations)} of "
                           f"{len(suite['expectations'])} expectations")
    with steady_expectations():
        run = batch.validate(gx_suite, expectation_parameters=parameters,
                             result_format=result_format)
    return {r.expectation_config.meta[key]: r for r in run.results}
