"""Running notebooks: parameters checked before a kernel starts, parallel runs in warm
kernels that never collide, and failures that name the unit, the notebook and the cell.

The slow tests start real kernels on a tiny template written here (no report code), so
they test the execution machinery, not the report's notebooks."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from uppfoljning import execution
from uppfoljning.errors import NotebookError


def _template(folder: Path, *body: str, cell_id: str = "work") -> Path:
    """A template with a ``parameters`` cell (unit_id, value) and ``body`` cells."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    title = nbformat.v4.new_markdown_cell("# {glue:text}`unit_name`")
    title["id"] = "title"
    parameters = nbformat.v4.new_code_cell('unit_id: str = "x"\nvalue: int = 0')
    parameters.metadata["tags"] = ["parameters", "remove-cell"]
    parameters["id"] = "parameters"
    notebook.cells = [title, parameters]
    for number, source in enumerate(body):
        cell = nbformat.v4.new_code_cell(source)
        cell["id"] = cell_id if number == 0 else f"{cell_id}-{number}"
        notebook.cells.append(cell)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "probe.ipynb"
    nbformat.write(notebook, path)
    return path


def _jobs(tmp_path: Path, template: Path, units: list[str]) -> list[execution.NotebookJob]:
    return [
        execution.NotebookJob(
            unit=unit,
            template=template,
            output=tmp_path / "book" / f"{unit}.ipynb",
            parameters={"unit_id": unit, "value": number},
            cwd=tmp_path / "work",
        )
        for number, unit in enumerate(units)
    ]


def _outputs_text(path: Path) -> str:
    notebook = nbformat.read(path, as_version=4)
    return "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )


# ---------------------------------------------------------------------------
# Without a kernel


def test_parameters_are_checked_before_any_kernel(tmp_path):
    template = _template(tmp_path / "t", "print(unit_id)")
    (tmp_path / "work").mkdir()
    job = execution.NotebookJob(
        "a", template, tmp_path / "a.ipynb", {"unit_id": "a", "colour": "red"}, tmp_path / "work"
    )

    def never(job):  # pragma: no cover - must not be reached
        raise AssertionError("a kernel was started")

    with pytest.raises(ValueError, match="unknown parameters colour; missing parameters value"):
        execution.run_jobs([job], 1, tmp_path / "failed", runner=never)


def _papermill_imports_pyarrow() -> bool:
    import sys

    import papermill  # noqa: F401 - the import is what is tested

    return sys.modules.get("pyarrow") is not None


def test_workers_leave_out_what_papermill_would_import_for_nothing():
    """A worker process (spawned, with the pool's start-up) runs Papermill without
    loading pyarrow, which it imports only to offer HDFS paths."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=execution._init_lifeline,
        initargs=(os.getpid(),),
    ) as pool:
        assert pool.submit(_papermill_imports_pyarrow).result() is False
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        # the test means something: without the start-up, Papermill does load it
        assert pool.submit(_papermill_imports_pyarrow).result() is True


def test_jobs_need_an_absolute_cwd_and_their_own_outputs(tmp_path):
    template = _template(tmp_path / "t", "print(unit_id)")
    jobs = _jobs(tmp_path, template, ["a", "b"])
    relative = [
        execution.NotebookJob(
            "a", template, tmp_path / "a.ipynb", {"unit_id": "a", "value": 1}, Path("work")
        )
    ]
    with pytest.raises(ValueError, match="absolute"):
        execution.run_jobs(relative, 1, tmp_path / "failed")
    same = [
        jobs[0],
        execution.NotebookJob(
            "b", template, jobs[0].output, {"unit_id": "b", "value": 2}, jobs[0].cwd
        ),
    ]
    with pytest.raises(ValueError, match="share an output path"):
        execution.run_jobs(same, 2, tmp_path / "failed")


def test_first_failure_stops_the_run_and_names_unit_notebook_and_cell(tmp_path):
    template = _template(tmp_path / "t", "print(unit_id)")
    jobs = _jobs(tmp_path, template, ["a", "b", "c"])
    ran = []

    def runner(job):
        ran.append(job.unit)
        job.output.parent.mkdir(parents=True, exist_ok=True)
        job.output.write_text("{}", encoding="utf-8")
        ok = job.unit != "b"
        return execution.JobResult(
            job,
            ok,
            "" if ok else "3 (id work)",
            "" if ok else "ZeroDivisionError: division by zero",
        )

    seen = []
    # a stub runner in a thread: injected as the build injects its pool of warm kernels
    with ThreadPoolExecutor(max_workers=1) as executor, pytest.raises(NotebookError) as raised:
        execution.run_jobs(
            jobs, 1, tmp_path / "failed", runner=runner, on_done=seen.append, executor=executor
        )
    error = raised.value
    assert (error.unit, error.notebook) == ("b", "probe.ipynb")
    assert "id work" in str(error.cell) and "ZeroDivisionError" in str(error)
    assert Path(error.kept_at) == tmp_path / "failed" / "probe-b.ipynb"
    assert Path(error.kept_at).is_file()
    assert ran == ["a", "b"]  # c never ran
    assert [r.ok for r in seen] == [True, False]


# ---------------------------------------------------------------------------
# Real kernels (slow)


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_parallel_runs_in_warm_kernels_do_not_collide(tmp_path):
    """Six notebooks on two workers: each output is its own, parameterized by
    Papermill, run in the job's absolute working directory; a warm kernel's namespace is
    reset between notebooks (a name left by the previous notebook is gone), each
    notebook numbers its charts from 1 (its HTML does not depend on earlier notebooks),
    and the kernel skips the preload's objects when collecting, keeps no history, does
    not validate Altair objects as they are made and yields the CPU to the build."""
    template = _template(
        tmp_path / "t",
        "import os\n"
        "import uppfoljning.charts\n"
        "assert 'leftover' not in globals(), 'namespace not reset'\n"
        "leftover = unit_id\n"
        "chart = next(uppfoljning.charts._chart_counter)\n"
        "import gc\n"
        "import altair\n"
        "lean = (gc.get_freeze_count() > 0 and not get_ipython().history_manager.enabled\n"
        "        and not altair.utils.schemapi.DEBUG_MODE\n"
        f"        and os.nice(0) == min(19, {os.nice(0)} + {execution.WORKER_NICENESS}))\n"
        "print(f'{unit_id}|{value}|{os.getcwd()}|{os.getpid()}|{chart}|{lean}')",
    )
    units = ["a", "b", "c", "d", "e", "f"]
    jobs = _jobs(tmp_path, template, units)
    (tmp_path / "work").mkdir()
    summary = execution.run_jobs(jobs, 2, tmp_path / "failed")
    assert sorted(r.job.unit for r in summary.results) == units
    kernels = set()
    for number, job in enumerate(jobs):
        unit, value, cwd, pid, chart, lean = _outputs_text(job.output).strip().split("|")
        assert (unit, int(value), cwd, chart) == (job.unit, number, str(job.cwd), "1")
        assert lean == "True"  # the preload's settings and the worker's priority
        kernels.add(pid)
        notebook = nbformat.read(job.output, as_version=4)
        injected = [
            c for c in notebook.cells if execution.INJECTED_TAG in c.metadata.get("tags", [])
        ]
        assert len(injected) == 1 and f'unit_id = "{job.unit}"' in injected[0].source
        assert notebook.metadata["papermill"]["parameters"] == job.parameters
    assert len(kernels) <= 2  # one warm kernel per worker, reused
    assert not (tmp_path / "failed").exists()
    # the injected cell is hidden from readers after execution
    execution.finish_notebook(jobs[0].output, {})
    finished = nbformat.read(jobs[0].output, as_version=4)
    assert all(
        execution.REMOVE_CELL_TAG in c.metadata["tags"]
        for c in finished.cells
        if execution.INJECTED_TAG in c.metadata.get("tags", [])
    )


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_failing_cell_is_named_and_its_notebook_kept(tmp_path):
    template = _template(
        tmp_path / "t",
        "print(unit_id)",
        "assert unit_id != 'b', f'no data for {unit_id}'",
        cell_id="ok",
    )
    jobs = _jobs(tmp_path, template, ["a", "b", "c", "d"])
    (tmp_path / "work").mkdir()
    with pytest.raises(NotebookError) as raised:
        execution.run_jobs(jobs, 2, tmp_path / "failed")
    error = raised.value
    assert (error.unit, error.notebook) == ("b", "probe.ipynb")
    # the template's fourth cell, by number and id (not Papermill's shifted index)
    assert str(error.cell) == "4 (id ok-1)"
    assert "AssertionError: no data for b" in str(error)
    kept = nbformat.read(error.kept_at, as_version=4)
    assert any(
        o.get("output_type") == "error"
        for c in kept.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
    )


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_kernels_get_the_environment_the_build_gives(tmp_path):
    """What the build tells its kernels (the chart pictures' folder) reaches them, from
    a warm pool and from the pool run_jobs starts itself."""
    template = _template(
        tmp_path / "t", "import os\nprint(os.environ.get('UPPFOLJNING_PROBE', 'unset'))"
    )
    (tmp_path / "work").mkdir()
    own, pooled, bare = _jobs(tmp_path, template, ["own", "pooled", "bare"])
    execution.run_jobs([own], 1, tmp_path / "failed", environment={"UPPFOLJNING_PROBE": "own pool"})
    assert _outputs_text(own.output).strip() == "own pool"
    pool = execution.start_pool(1, tmp_path / "work", {"UPPFOLJNING_PROBE": "warm pool"})
    try:
        execution.run_jobs([pooled], 1, tmp_path / "failed", executor=pool)
    finally:
        execution.stop_pool(pool)
    assert _outputs_text(pooled.output).strip() == "warm pool"
    execution.run_jobs([bare], 1, tmp_path / "failed")
    assert _outputs_text(bare.output).strip() == "unset"
