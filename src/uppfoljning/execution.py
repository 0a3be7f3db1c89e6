"""Running notebook templates with Papermill, in parallel worker processes.

Each job runs in a worker process of its own (spawned, so no state is shared), with an
absolute working directory, its own output path and its own kernel. Kernels talk over
IPC sockets in a private folder rather than TCP ports, so parallel kernels cannot race
for a port. The package's source folder is put on the kernel's ``PYTHONPATH`` so a
notebook can ``import uppfoljning`` without the package being installed.

Parameters are checked against the template's ``parameters`` cell before any kernel
starts: an unknown or missing parameter is an error. A failing cell becomes a
:class:`~uppfoljning.errors.NotebookError` naming the unit, the notebook and the cell,
with the executed notebook kept for inspection.
"""

from __future__ import annotations

import ast
import multiprocessing
import multiprocessing.util
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import lifeline
from .errors import NotebookError

KERNEL_NAME = "python3"
PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
REMOVE_CELL_TAG = "remove-cell"
CELL_TIMEOUT_S = 600
START_TIMEOUT_S = 120
PACKAGE_SOURCE = str(Path(__file__).resolve().parents[1])


@dataclass(frozen=True)
class NotebookJob:
    """One notebook to run: ``unit`` is a unit id or ``stockholm``."""

    unit: str
    template: Path
    output: Path
    parameters: dict[str, object]
    cwd: Path


@dataclass(frozen=True)
class JobResult:
    job: NotebookJob
    ok: bool
    cell: str = ""
    detail: str = ""
    seconds: float = 0.0


@dataclass
class RunSummary:
    results: list[JobResult] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(r.seconds for r in self.results)


# ---------------------------------------------------------------------------
# Parameters


def template_parameters(template: Path) -> dict[str, str]:
    """Names assigned in the template's ``parameters`` cell, with their source text."""
    notebook = nbformat.read(template, as_version=4)
    cells = [c for c in notebook.cells if PARAMETERS_TAG in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ValueError(
            f"{template.name}: expected exactly one cell tagged 'parameters', found {len(cells)}"
        )
    names: dict[str, str] = {}
    for node in ast.parse(cells[0].source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] = ast.unparse(node.value) if node.value else ""
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names[target.id] = ast.unparse(node.value)
    return names


def check_parameters(template: Path, parameters: dict[str, object]) -> None:
    """Raise ValueError for unknown or missing parameters (before a kernel starts)."""
    declared = template_parameters(template)
    unknown = sorted(set(parameters) - set(declared))
    missing = sorted(set(declared) - set(parameters))
    if unknown or missing:
        parts = []
        if unknown:
            parts.append(f"unknown parameters {', '.join(unknown)}")
        if missing:
            parts.append(f"missing parameters {', '.join(missing)}")
        raise ValueError(f"{template.name}: {'; '.join(parts)} (declared: {', '.join(declared)})")


# ---------------------------------------------------------------------------
# One run (inside a worker process)


def _cell_label(notebook_path: Path, template: Path, cell_index: int) -> str:
    """Name a failing cell by its id and its number in the template (1-based): the
    executed notebook's cell with an error output (Papermill's index counts its own
    injected cells)."""
    try:
        executed = nbformat.read(notebook_path, as_version=4)
    except Exception:  # noqa: BLE001 - labelling must never hide the real error
        return str(cell_index)
    failed = [
        c
        for c in executed.cells
        if c.cell_type == "code"
        and any(o.get("output_type") == "error" for o in c.get("outputs", []))
    ]
    cell_id = failed[0].get("id", "") if failed else ""
    for number, cell in enumerate(nbformat.read(template, as_version=4).cells, start=1):
        if cell_id and cell.get("id") == cell_id:
            return f"{number} (id {cell_id})"
    return cell_id or str(cell_index)


def _ipc_kernel_manager_class(socket_dir: str, log_path: Path) -> type:
    """A kernel manager class whose kernels use IPC sockets in ``socket_dir`` and write
    their own stdout/stderr (e.g. the "KeyboardInterrupt caught in kernel" of a normal
    shutdown) to ``log_path`` instead of the terminal.

    Passed to nbclient as ``kernel_manager_class`` so nbclient owns (and shuts down)
    the kernel it starts."""
    from jupyter_client.manager import AsyncKernelManager

    class IpcKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            # sockets and connection file in one folder: removed together, also as a
            # leftover of a killed build (lifeline.remove_stale_sockets)
            kwargs.update(
                transport="ipc",
                ip=os.path.join(socket_dir, "k"),
                connection_file=os.path.join(socket_dir, "kernel.json"),
            )
            super().__init__(**kwargs)

        async def start_kernel(self, **kwargs):
            log_path.parent.mkdir(parents=True, exist_ok=True)
            log = log_path.open("ab")
            kwargs.setdefault("stdout", log)
            kwargs.setdefault("stderr", log)
            try:
                return await super().start_kernel(**kwargs)
            finally:
                log.close()  # the kernel process holds its own copy of the descriptor

    return IpcKernelManager


# A worker's kernel is started once, with the libraries the templates use already
# imported, then reused for every later job of that worker with the user namespace reset
# in between (modules stay imported). This halves the time per notebook (a fresh kernel
# costs ~1 s to start and ~1.5 s of imports). A job opens one client (one start-up
# handshake, ~0.2 s) for both the reset and Papermill's run; a client is never reused
# across jobs (nbclient cancels pending receives when a cell ends, which could swallow a
# later job's replies).
# (warm_up loads vl-convert's renderer for the charts' static pictures, ~1.5 s)
# Then the preload turns off what would cost every later job:
# - IPython saves each cell's source to its SQLite history (a thread writing to the
#   user's home, ~0.07 s a notebook);
# - the reset between jobs runs three full garbage collections (%reset twice,
#   give_back_memory once) that would each walk every object of the imported libraries
#   (~0.25 s a notebook);
# - Altair's debug mode validates every schema object against the JSON schema as it is
#   made (~12 % of building a unit page's charts); the charts are displayed without
#   validation anyway (uppfoljning.charts.chart_mimebundle), and the tests validate
#   every plotting function's spec (tests/test_charts.py).
# The libraries are imported through uppfoljning.lifeline.import_frozen: it freezes
# them (the collector skips frozen objects; a notebook's own garbage is still
# collected), and no collection runs during the imports either.
PRELOAD = (
    "import uppfoljning.lifeline\n"
    "uppfoljning.lifeline.import_frozen('pandas', 'altair', 'myst_nb',"
    " 'uppfoljning.context', 'uppfoljning.areas', 'uppfoljning.charts')\n"
    "import altair, uppfoljning.charts\n"
    "uppfoljning.charts.warm_up()\n"
    "altair.utils.schemapi.disable_debug_mode()\n"
    "get_ipython().history_manager.enabled = False"
)
WARM_ENGINE = "uppfoljning-warm"  # the Papermill engine name of :func:`_warm_engine_class`


READY_POLL_S = 0.02  # wait for a further IOPub message while a new client settles


async def _wait_for_ready(kc, timeout: float) -> None:
    """jupyter_client's ``wait_for_ready`` with short IOPub waits. That one ends by
    draining IOPub until nothing came for 0.2 s -- a fixed 0.2 s per client, so per
    notebook. Messages that arrive later are harmless: every reader filters replies by
    the id of its own request. As there, a kernel_info reply on shell followed by any
    IOPub message shows that both channels are connected."""
    import asyncio
    import time
    from queue import Empty

    from jupyter_core.utils import ensure_async

    deadline = time.monotonic() + timeout
    while True:
        kc.kernel_info()
        try:
            reply = await ensure_async(kc.shell_channel.get_msg(timeout=1))
        except Empty:
            reply = None
        if reply is not None and reply["msg_type"] == "kernel_info_reply":
            try:
                await ensure_async(kc.iopub_channel.get_msg(timeout=READY_POLL_S))
                break
            except Empty:
                pass  # IOPub not connected yet: ask again
        if not await ensure_async(kc.is_alive()):
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
        await asyncio.sleep(0)
    while True:  # drain what is already there
        try:
            await ensure_async(kc.iopub_channel.get_msg(timeout=READY_POLL_S))
        except Empty:
            return


def _open_client(km):
    """A client of the kernel of ``km`` with its channels open and the kernel ready."""
    from jupyter_core.utils import run_sync

    kc = km.client()
    kc.start_channels()
    try:
        run_sync(_wait_for_ready)(kc, START_TIMEOUT_S)
    except BaseException:
        kc.stop_channels()
        raise
    return kc


def _run_code(kc, code: str) -> None:
    """Run ``code`` through the client ``kc`` and wait for it (raises on an error)."""
    from jupyter_core.utils import run_sync

    reply = run_sync(kc.execute_interactive)(
        code, timeout=START_TIMEOUT_S, store_history=False, output_hook=lambda msg: None
    )
    if reply["content"].get("status") != "ok":
        raise RuntimeError(f"kernel set-up failed: {reply['content'].get('evalue')}")


def _shutdown_kernel(km, socket_dir: str) -> None:
    from jupyter_core.utils import run_sync

    try:
        # at once: a kernel holds nothing to save, and a graceful shutdown takes ~0.5 s
        # that the build would wait before its book stage
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 - best effort at worker exit
        pass
    shutil.rmtree(socket_dir, ignore_errors=True)


def _reset_code(cwd: Path) -> str:
    # into the job's folder first: the last job's folder may be gone (the editions of
    # one run share the kernels), and IPython's reset needs a working directory
    return (
        f"__import__('os').chdir({str(cwd)!r})\n"
        "get_ipython().run_line_magic('reset', '-f')\n"
        "__import__('uppfoljning.lifeline').lifeline.give_back_memory()\n"
        "__import__('uppfoljning.charts').charts.restart_numbering()"
    )


class WarmKernel:
    """One kernel kept warm across the jobs of one worker process (see ``PRELOAD``).

    :meth:`client` gives a job its own client on a clean namespace; the job hands that
    client and :attr:`km` to Papermill as engine arguments (:func:`execute_job`). A kernel
    that died, or failed a job in an unknown state, is :meth:`discard`-ed and the next
    :meth:`client` starts a fresh one."""

    def __init__(self, worker: Worker):
        self.worker = worker
        self.km = None
        self.socket_dir = ""

    def start(self, log_path: Path, cwd: Path) -> None:
        """Make sure a live, preloaded kernel runs (the kernel writes its own output to
        ``log_path``)."""
        from jupyter_core.utils import run_sync

        if self.km is not None and run_sync(self.km.is_alive)():
            return
        self.discard()
        socket_dir = self.worker.socket_dir()
        km = _ipc_kernel_manager_class(socket_dir, log_path)(kernel_name=KERNEL_NAME)
        run_sync(km.start_kernel)(cwd=str(cwd))
        self.km, self.socket_dir = km, socket_dir
        multiprocessing.util.Finalize(
            None, _shutdown_kernel, args=(km, socket_dir), exitpriority=10
        )
        kc = _open_client(km)
        try:
            _run_code(kc, PRELOAD)
        finally:
            kc.stop_channels()

    def client(self, log_path: Path, cwd: Path):
        """A new client of the (started) kernel, its namespace reset and its working
        directory ``cwd``. The caller stops the client's channels when its job ends."""
        self.start(log_path, cwd)
        kc = _open_client(self.km)
        try:
            _run_code(kc, _reset_code(cwd))
        except BaseException:
            kc.stop_channels()
            raise
        return kc

    def discard(self) -> None:
        """Shut the kernel down (never reuse a kernel in an unknown state)."""
        km, self.km = self.km, None
        if km is not None:
            _shutdown_kernel(km, self.socket_dir)
            self.worker.socket_dirs.discard(self.socket_dir)

    def kill(self) -> None:
        """Kill the kernel at once (it leads its own session: jupyter_client's
        ``start_new_session``)."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                pass


class Worker:
    """What one worker process holds across the jobs it runs: its warm kernel and the
    kernel socket folders it made (all removed when it is stopped).

    Made once per process by the pool's initializer (:func:`_init_lifeline`), which
    also points the stop signals at :meth:`stop`, and found by :func:`execute_job`
    through :func:`this_worker`. Papermill never sees it: a job passes its kernel and
    client to the engine explicitly."""

    def __init__(self) -> None:
        self.socket_dirs: set[str] = set()
        self.kernel = WarmKernel(self)

    def socket_dir(self) -> str:
        """A private folder for a kernel's sockets, owned by this process (a short path:
        unix sockets < 108 chars)."""
        socket_dir = tempfile.mkdtemp(prefix=lifeline.SOCKET_PREFIX)
        lifeline.claim(socket_dir)
        self.socket_dirs.add(socket_dir)
        return socket_dir

    def remove_socket_dir(self, socket_dir: str) -> None:
        shutil.rmtree(socket_dir, ignore_errors=True)
        self.socket_dirs.discard(socket_dir)

    def stop(self, signum: int, frame: object = None) -> None:
        """The worker is asked to stop (by the build, or by Linux because the build
        died): kill its kernel, remove the kernels' sockets and exit at once. Nothing a
        worker holds needs saving, and a clean Python exit could wait on a busy
        kernel."""
        self.kernel.kill()
        for socket_dir in list(self.socket_dirs):
            shutil.rmtree(socket_dir, ignore_errors=True)
        os._exit(128 + signum)


_worker: Worker | None = None  # this process's Worker, made by the pool's initializer


def this_worker() -> Worker:
    """This process's :class:`Worker` (made on first use outside a pool's worker)."""
    global _worker
    if _worker is None:
        _worker = Worker()
    return _worker


def _set_kernel_environment(environment: dict[str, str] | None = None) -> None:
    """This worker's environment, which its kernels inherit: the package on the
    ``PYTHONPATH``, plus ``environment`` (what the build tells every kernel, e.g. the
    folder of chart pictures drawn before, :data:`uppfoljning.cache.PICTURES_ENV`)."""
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (PACKAGE_SOURCE, os.environ.get("PYTHONPATH", "")) if p
    )
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ.update(environment or {})


# Libraries a worker never uses though Papermill imports them when they are there:
# pyarrow (with numpy, ~60 MiB a worker) only to offer HDFS paths. The kernels are
# separate processes and import what the notebooks need.
UNUSED_IN_WORKERS = ("pyarrow",)


def leave_out_unused_libraries() -> None:
    """Make :data:`UNUSED_IN_WORKERS` unimportable in this (worker) process: Papermill
    treats them as not installed."""
    for name in UNUSED_IN_WORKERS:
        sys.modules.setdefault(name, None)


# Workers and their kernels yield the CPU to the build's own process: the kernels warm
# up while the build runs the gate and the indicators, and with the higher priority the
# build keeps a whole core for that serial work (cold builds 0.4-2.4 s faster in four
# runs taking turns on two cores); once the notebooks run, the build itself is idle.
WORKER_NICENESS = 5


def _init_lifeline(parent_pid: int, environment: dict[str, str] | None = None) -> Worker:
    """A worker process's start: make its :class:`Worker`, which ends with the build on
    SIGTERM or SIGHUP from the build, and when the build is gone
    (lifeline.die_with_parent). Ctrl-C in a terminal reaches the whole process group;
    the build decides, so workers ignore SIGINT."""
    worker = this_worker()
    leave_out_unused_libraries()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, worker.stop)
    signal.signal(signal.SIGHUP, worker.stop)
    lifeline.die_with_parent(parent_pid)
    _set_kernel_environment(environment)
    os.nice(WORKER_NICENESS)
    return worker


def _init_worker(cwd: str, parent_pid: int, environment: dict[str, str] | None = None) -> None:
    """Worker start-up: warm the kernel at once (while the build does other work)."""
    worker = _init_lifeline(parent_pid, environment)
    worker.kernel.start(Path(cwd) / "logs" / f"kernel-{os.getpid()}.log", Path(cwd))


def start_pool(
    workers: int, cwd: Path, environment: dict[str, str] | None = None
) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes whose kernels start warming up now, so that
    kernel start and imports overlap with the gate and the indicator computation.
    ``environment`` is added to the kernels' environment variables."""
    executor = ProcessPoolExecutor(
        max_workers=max(1, workers),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(str(cwd), os.getpid(), environment),
    )
    # With the spawn context the pool starts a worker per submitted task while none is
    # idle: one task per worker starts them all now (one task started only the first,
    # and the second paid its ~3 s kernel warm-up during the notebook stage).
    for _ in range(max(1, workers)):
        executor.submit(os.getpid)
    return executor


def _warm_engine_class() -> type:
    """A Papermill engine that runs the (already parameterized) notebook on a kernel
    that is already running, through a client that is already open: both come as the
    engine arguments ``km`` and ``kc`` of ``papermill.execute_notebook``. Papermill
    still injects the parameters and writes the executed notebook with its outputs and
    cell metadata.

    Papermill writes the output notebook at every cell's start and end (about 30
    writes of a notebook carrying chart specs, ~0.3 s a notebook); this engine writes
    it once, when execution ends -- also when a cell failed or the run was
    interrupted, as Papermill's own final write does."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, NotebookExecutionManager

    class FinalWriteManager(NotebookExecutionManager):
        final = False

        def save(self, **kwargs):
            if self.final:
                return super().save(**kwargs)
            return None

        def notebook_complete(self, **kwargs):
            self.final = True
            return super().notebook_complete(**kwargs)

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_notebook(
            cls,
            nb,
            kernel_name,
            output_path=None,
            progress_bar=True,
            log_output=False,
            autosave_cell_every=30,
            **kwargs,
        ):
            # Papermill's Engine.execute_notebook with the manager above
            nb_man = FinalWriteManager(
                nb,
                output_path=output_path,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            *,
            km,
            kc,
            **kwargs,
        ):
            # the kernel is not nbclient's (it stays up); the job's open client
            # (execute_job) spares nbclient a client of its own and its start-up
            # handshake. nbclient's constructor drops a client given to it (it sets
            # self.kc = None after its traitlets init), so it is set afterwards, as
            # nbclient's own start_new_kernel_client does; with a client there,
            # setup_kernel opens none, and it closes none it does not own.
            client = PapermillNotebookClient(
                nb_man,
                km=km,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            kc.allow_stdin = False
            client.kc = kc
            return client.execute()

    return WarmKernelEngine


def execute_job(job: NotebookJob, warm: bool = True) -> JobResult:
    """Run one notebook with Papermill; never raises for a failing cell. With ``warm``
    this worker's warm kernel runs it (reset first); else a fresh kernel per notebook."""
    import time

    import papermill
    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillExecutionError

    started = time.perf_counter()
    _set_kernel_environment()
    job.output.parent.mkdir(parents=True, exist_ok=True)
    log_path = job.cwd / "logs" / f"kernel-{os.getpid()}.log"
    worker = this_worker()
    socket_dir = None
    kc = None
    try:
        if warm:
            kc = worker.kernel.client(log_path, job.cwd)
            papermill_engines.register(WARM_ENGINE, _warm_engine_class())
            extra = {"engine_name": WARM_ENGINE, "km": worker.kernel.km, "kc": kc}
        else:
            socket_dir = worker.socket_dir()
            extra = {
                "kernel_manager_class": _ipc_kernel_manager_class(
                    socket_dir, job.cwd / "logs" / f"{job.template.stem}-{job.unit}.log"
                )
            }
        papermill.execute_notebook(
            str(job.template),
            str(job.output),
            parameters=dict(job.parameters),
            kernel_name=KERNEL_NAME,
            cwd=str(job.cwd),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            start_timeout=START_TIMEOUT_S,
            execution_timeout=CELL_TIMEOUT_S,
            **extra,
        )
    except PapermillExecutionError as exc:
        return JobResult(
            job,
            False,
            _cell_label(job.output, job.template, exc.cell_index),
            f"{exc.ename}: {exc.evalue}",
            time.perf_counter() - started,
        )
    except Exception as exc:  # noqa: BLE001 - kernel death, timeouts: reported, not swallowed
        if warm:
            worker.kernel.discard()  # never reuse a kernel in an unknown state
        return JobResult(
            job, False, "?", f"{type(exc).__name__}: {exc}", time.perf_counter() - started
        )
    finally:
        if kc is not None:
            kc.stop_channels()
        if socket_dir is not None:
            worker.remove_socket_dir(socket_dir)
    return JobResult(job, True, seconds=time.perf_counter() - started)


# ---------------------------------------------------------------------------
# Many runs


def _raise_failure(result: JobResult, keep_dir: Path) -> None:
    keep_dir.mkdir(parents=True, exist_ok=True)
    kept = keep_dir / f"{result.job.template.stem}-{result.job.unit}.ipynb"
    if result.job.output.exists():
        shutil.copyfile(result.job.output, kept)
        kept_at = str(kept)
    else:
        kept_at = "(no notebook was written)"
    raise NotebookError(
        result.job.unit, result.job.template.name, result.cell, result.detail, kept_at
    )


def run_jobs(
    jobs: Sequence[NotebookJob],
    workers: int,
    keep_dir: Path,
    runner: Callable[[NotebookJob], JobResult] = execute_job,
    on_done: Callable[[JobResult], None] | None = None,
    executor: Executor | None = None,
    environment: dict[str, str] | None = None,
) -> RunSummary:
    """Run every job with ``workers`` processes; on the first failure, start no further
    job, keep that executed notebook in ``keep_dir`` and raise :class:`NotebookError`.
    ``on_done`` is called with each result as it arrives (progress reporting). An
    ``executor`` from :func:`start_pool` is used (and left running) when given; without
    one, a pool of its own is started and stopped here, its kernels given
    ``environment`` as :func:`start_pool` gives it.

    At most ``workers`` jobs are handed to the executor at a time, the next one as one
    ends: a job the executor holds can no longer be withdrawn, so after a failure only
    the jobs already running finish. ``runner`` runs one job in a worker (a module-level
    function: it is pickled to the worker)."""
    for job in jobs:
        check_parameters(job.template, job.parameters)
        if not job.cwd.is_absolute():
            raise ValueError(f"working directory must be absolute: {job.cwd}")
    outputs = [job.output for job in jobs]
    if len(set(outputs)) != len(outputs):
        raise ValueError("two notebook jobs share an output path")
    summary = RunSummary()
    if not jobs:
        return summary
    workers = max(1, min(workers, len(jobs)))
    own = executor is None
    if own:
        executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_lifeline,
            initargs=(os.getpid(), environment),
        )
    try:
        waiting = list(reversed(jobs))
        running: set[Future] = set()
        while waiting or running:
            while waiting and len(running) < workers:
                running.add(executor.submit(runner, waiting.pop()))
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                result = future.result()
                summary.results.append(result)
                if on_done is not None:
                    on_done(result)
                if not result.ok:
                    _raise_failure(result, keep_dir)
    except BaseException:
        if own:
            stop_pool(executor)  # a failure or a stop: don't wait for running notebooks
        raise
    finally:
        if own:
            executor.shutdown(wait=True, cancel_futures=True)
    return summary


def stop_pool(executor: ProcessPoolExecutor) -> None:
    """Stop a pool now: each worker kills its kernel and exits (:meth:`Worker.stop`),
    then the pool is shut down. Used when a build fails or is stopped."""
    processes = getattr(executor, "_processes", None) or {}  # no public API for this
    for process in list(processes.values()):
        try:
            process.terminate()  # SIGTERM
        except (OSError, ValueError):
            pass  # already gone
    executor.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------------------
# After execution


def finish_notebook(path: Path, html_outputs: Mapping[str, str]) -> None:
    """Tag Papermill's injected-parameters cell ``remove-cell`` and give the code cells
    named in ``html_outputs`` (by cell id) their output: an HTML fragment the build
    decides after execution (the unit's PDF link exists only with ``--pdf``), or none.

    Nothing is written into a cell's *source*: a Markdown cell is MyST source (roles,
    directives, ``{{ }}`` substitutions, raw HTML), so text that came with a delivery
    reaches a page through ``glue`` only. The fragments here are made by the package's
    autoescaping templates. A named cell missing from the notebook is an error."""
    notebook = nbformat.read(path, as_version=4)
    missing = set(html_outputs) - {cell.get("id") for cell in notebook.cells}
    if missing:
        raise ValueError(f"{path.name}: no cell with id {', '.join(sorted(missing))}")
    for cell in notebook.cells:
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if INJECTED_TAG in tags and REMOVE_CELL_TAG not in tags:
            tags.append(REMOVE_CELL_TAG)
        if cell.cell_type == "code" and cell.get("id") in html_outputs:
            html = html_outputs[cell.id]
            cell.outputs = (
                [nbformat.v4.new_output("display_data", data={"text/html": html})] if html else []
            )
    nbformat.write(notebook, path)
