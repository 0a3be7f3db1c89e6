"""execution.py subclasses and re-implements parts of Papermill and nbclient (the warm
kernel engine), and charts.py Altair's display of a chart. These fast tests fail when an
upgrade changes what it relies on, before a build silently runs the old code path or
breaks at a cell; pyproject.toml pins Papermill and nbclient below their next major
version (Altair below 7)."""

from __future__ import annotations

import inspect
import tomllib
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbclient import NotebookClient
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import Engine, NBClientEngine, NotebookExecutionManager

from uppfoljning import execution

ROOT = Path(__file__).resolve().parents[1]


def _signature(function) -> str:
    return str(inspect.signature(function))


def test_papermill_and_nbclient_are_pinned_below_their_next_major():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert "papermill>=2.6,<3" in dependencies
    assert "nbclient>=0.10,<1" in dependencies


def test_engine_execute_notebook_is_what_the_warm_engine_reimplements():
    # WarmKernelEngine.execute_notebook copies Engine.execute_notebook with another
    # manager class: same parameters, same calls in the same order.
    assert _signature(Engine.execute_notebook) == (
        "(nb, kernel_name, output_path=None, progress_bar=True, log_output=False, "
        "autosave_cell_every=30, **kwargs)"
    )
    source = inspect.getsource(Engine.execute_notebook)
    calls = [
        "NotebookExecutionManager(",
        "nb_man.notebook_start()",
        "cls.execute_managed_notebook(",
        "nb_man.cleanup_pbar()",
        "nb_man.notebook_complete()",
        "return nb_man.nb",
    ]
    positions = [source.index(call) for call in calls]
    assert positions == sorted(positions)
    warm = execution._warm_engine_class()
    assert _signature(warm.execute_notebook) == _signature(Engine.execute_notebook)


def test_managed_execution_takes_the_arguments_the_warm_engine_passes_on():
    expected = (
        "(nb_man, kernel_name, log_output=False, stdout_file=None, "
        "stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs)"
    )
    assert _signature(NBClientEngine.execute_managed_notebook) == expected
    # the same, plus the kernel and the client a job hands over as engine arguments
    assert _signature(execution._warm_engine_class().execute_managed_notebook) == expected.replace(
        ", **kwargs)", ", *, km, kc, **kwargs)"
    )
    assert _signature(PapermillNotebookClient.__init__) == (
        "(self, nb_man, km=None, raise_on_iopub_timeout=True, **kw)"
    )


def test_the_final_write_manager_overrides_hooks_that_exist():
    assert _signature(NotebookExecutionManager.__init__) == (
        "(self, nb, output_path=None, log_output=False, progress_bar=True, autosave_cell_every=30)"
    )
    for hook in ("save", "notebook_complete", "notebook_start"):
        assert _signature(getattr(NotebookExecutionManager, hook)) == "(self, **kwargs)"
    assert _signature(NotebookExecutionManager.cleanup_pbar) == "(self)"


def test_nbclient_drops_a_client_given_to_its_constructor():
    # why the warm engine sets the job's client after constructing nbclient's
    manager = NotebookExecutionManager(nbformat.v4.new_notebook(), progress_bar=False)
    with pytest.warns(DeprecationWarning):
        client = PapermillNotebookClient(manager, km=None, kc=object())
    assert client.kc is None


def test_the_warm_engine_runs_on_the_kernel_and_client_a_job_hands_over(monkeypatch):
    """nbclient uses the job's open client (no second client, no second start-up
    handshake) and neither owns nor shuts down the worker's kernel."""
    seen = {}

    def execute(self, **kwargs):
        seen.update(km=self.km, kc=self.kc, owns_km=self.owns_km)
        return self.nb

    monkeypatch.setattr(PapermillNotebookClient, "execute", execute)
    manager = NotebookExecutionManager(nbformat.v4.new_notebook(), progress_bar=False)
    km, kc = object(), SimpleNamespace(allow_stdin=True)
    execution._warm_engine_class().execute_managed_notebook(manager, "python3", km=km, kc=kc)
    assert seen == {"km": km, "kc": kc, "owns_km": False}
    assert kc.allow_stdin is False


def test_a_managed_nbclient_with_a_client_opens_none_and_closes_none():
    # what the above relies on in nbclient's setup_kernel (also what papermill's
    # PapermillNotebookClient.execute enters)
    source = inspect.getsource(NotebookClient.async_setup_kernel)
    assert 'cleanup_kc = kwargs.pop("cleanup_kc", self.owns_km)' in source
    assert "if self.kc is None:" in source
    assert "setup_kernel(" in inspect.getsource(PapermillNotebookClient.execute)


def test_altair_display_is_what_charts_chart_mimebundle_reimplements():
    # charts.chart_mimebundle is Altair's TopLevelMixin._repr_mimebundle_ with
    # to_dict(validate=False): the spec made with the same context, then handed to the
    # enabled renderer. An upgrade that changes this must be looked at.
    import altair

    source = inspect.getsource(altair.TopLevelMixin._repr_mimebundle_)
    assert 'self.to_dict(context={"pre_transform": False})' in source
    assert "renderers.get()" in source and "return renderer(dct)" in source
