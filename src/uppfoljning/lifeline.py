"""A build's processes stop together and leave nothing behind.

- **Stop signals.** In the main process SIGTERM (``timeout``, CI runners, systemd,
  container stops) and SIGHUP (a closed terminal) are handled like SIGINT: they raise
  :class:`Stopped`, a ``KeyboardInterrupt``, so the build's clean-up runs and the command
  exits with 128 + the signal's number (130, 143, 129) and one line.
- **Parent death.** A worker process dies with the build even when the build could not
  clean up (SIGKILL, the OOM killer): Linux sends it SIGTERM when its parent dies
  (``prctl(PR_SET_PDEATHSIG)``), and a watchdog thread polling the parent's pid does the
  same elsewhere (or if the signal was missed). Kernels already exit within a second of
  their worker's death (ipykernel polls ``JPY_PARENT_PID``, which jupyter_client sets).
- **One publisher at a time.** Builds publishing into the same ``OUT`` take turns
  (:func:`exclusive`, a lock on the folder itself), so each edition is replaced whole
  and ``OUT/index.html`` lists every edition published, whichever build ends last.
- **Leftovers.** Work folders and kernel socket folders carry an owner file (pid and
  process start time). The next build removes those whose owner is gone, keeping only
  the newest work folder of a build whose notebook failed, for inspection.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import gc
import importlib
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
OWNER_FILE = ".owner"
FAILED_FILE = ".failed"
SOCKET_PREFIX = "uppf-k-"
WATCHDOG_POLL_S = 0.5
PR_SET_PDEATHSIG = 1


class Stopped(KeyboardInterrupt):
    """The process was asked to stop by a signal (SIGINT, SIGTERM or SIGHUP)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = int(signum)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def exit_code_of(interrupt: KeyboardInterrupt) -> int:
    """128 + the signal that stopped us (a plain KeyboardInterrupt is SIGINT: 130)."""
    return interrupt.exit_code if isinstance(interrupt, Stopped) else 128 + signal.SIGINT


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within this block (main thread only) a stop signal raises :class:`Stopped` once;
    further stop signals are ignored so that the clean-up they started can finish (a
    process that must go at once can still be killed)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stopping = False

    def handler(signum: int, frame: object) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        raise Stopped(signum)

    previous = {s: signal.signal(s, handler) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


# ---------------------------------------------------------------------------
# Worker processes: die with the parent


def _find_prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


# looked up once, here: a preexec_fn must not load libraries between fork and exec
_PRCTL = _find_prctl()


def _set_parent_death_signal(signum: int) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent dies."""
    if _PRCTL is None:
        return False
    return _PRCTL(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0


def _watch_parent(parent_pid: int, signum: int, poll_s: float) -> None:
    while os.getppid() == parent_pid:
        time.sleep(poll_s)
    os.kill(os.getpid(), signum)


def die_with_parent(
    parent_pid: int, signum: int = signal.SIGTERM, poll_s: float = WATCHDOG_POLL_S
) -> None:
    """Send ``signum`` to this process as soon as ``parent_pid`` is no longer its parent
    (at once if that is already so). Call early in a child process."""
    _set_parent_death_signal(signum)
    threading.Thread(
        target=_watch_parent,
        args=(parent_pid, signum, poll_s),
        name="uppfoljning-parent-watchdog",
        daemon=True,
    ).start()


def preexec_die_with_parent() -> None:
    """``preexec_fn`` of a subprocess that must not outlive the build (Linux only)."""
    _set_parent_death_signal(signal.SIGKILL)


# ---------------------------------------------------------------------------
# Owned folders and their leftovers


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), else ''."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]


def _alive(pid: int, start: str) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: not ours to judge
    # a reused pid is a different process: its start time differs
    return not start or not _start_time(pid) or _start_time(pid) == start


# folders this process claimed and still uses (a process may build many times: serve)
_IN_USE: set[Path] = set()


def import_frozen(*names: str) -> None:
    """Import the modules ``names`` (large libraries: pandas, Great Expectations) that
    are not imported yet, without the cyclic garbage collector, then freeze what the
    process holds (``gc.freeze``). An import makes hundreds of thousands of objects that
    live as long as the process; the collector would walk all of them in every full
    collection, during the import and after it (about 1.5 s of a build's main process).
    Frozen objects are skipped. One collection first frees the imports' garbage (frozen,
    it would never be freed: 36 MiB in a build's main process). Does nothing when every
    module is imported already (a test process, a second build)."""
    missing = [name for name in names if name not in sys.modules]
    if not missing:
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        for name in missing:
            importlib.import_module(name)
    finally:
        gc.collect()
        gc.freeze()
        if enabled:
            gc.enable()


def give_back_memory() -> None:
    """Return freed memory to the system. pyarrow's allocator (behind pandas' strings)
    and glibc's malloc keep freed pages for reuse; after a build's results stage, and
    between a kernel's notebooks, the next allocations are smaller, so the pages would
    only add to the build's peak."""
    gc.collect()
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is not None:
        with contextlib.suppress(Exception):  # best effort: an optional optimisation
            pyarrow.default_memory_pool().release_unused()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def claim(folder: Path | str, pid: int | None = None) -> None:
    """Mark ``folder`` as owned by process ``pid`` (default: this one, until
    :func:`release`)."""
    if pid is None:
        pid = os.getpid()
        _IN_USE.add(Path(folder).resolve())
    (Path(folder) / OWNER_FILE).write_text(f"{pid} {_start_time(pid)}\n", encoding="ascii")


def release(folder: Path | str) -> None:
    """This process no longer uses ``folder`` (what is left of it may be removed)."""
    _IN_USE.discard(Path(folder).resolve())


def owner_alive(folder: Path) -> bool | None:
    """True/False whether the process owning ``folder`` still uses it; None if it has no
    owner file (made by an older version, or its owner died before writing it)."""
    try:
        fields = (folder / OWNER_FILE).read_text(encoding="ascii").split()
        pid = int(fields[0])
    except (OSError, ValueError, IndexError):
        return None
    if pid == os.getpid():
        return folder.resolve() in _IN_USE
    return _alive(pid, fields[1] if len(fields) > 1 else "")


def mark_failed(folder: Path) -> None:
    """Keep ``folder`` for inspection: a notebook of its build failed."""
    with contextlib.suppress(OSError):
        (folder / FAILED_FILE).touch()


def _stale(folder: Path, unowned_after_s: float | None) -> bool:
    alive = owner_alive(folder)
    if alive is None:  # no owner: stale once old enough not to be just being created
        if unowned_after_s is None:
            return False
        try:
            return time.time() - folder.stat().st_mtime > unowned_after_s
        except OSError:
            return False
    return not alive


def remove_stale_work(work_root: Path, unowned_after_s: float = 600) -> list[Path]:
    """Remove the work folders of builds no longer running (stopped or killed), except
    the newest one of a build whose notebook failed. Returns what was removed."""
    if not work_root.is_dir():
        return []
    stale = [p for p in work_root.iterdir() if p.is_dir() and _stale(p, unowned_after_s)]
    failed = sorted(
        (p for p in stale if (p / FAILED_FILE).exists()),
        key=lambda p: (p / FAILED_FILE).stat().st_mtime,
    )
    keep = set(failed[-1:])
    removed = [p for p in stale if p not in keep]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


def remove_stale_sockets(temp_dir: Path | None = None) -> list[Path]:
    """Remove kernel socket folders (sockets and connection file) of dead workers. One
    without an owner file is left alone: it may belong to a live kernel of an older
    version (unlinking its sockets would cut it off)."""
    temp_dir = Path(temp_dir or tempfile.gettempdir())
    removed = []
    with contextlib.suppress(OSError):
        for folder in temp_dir.glob(SOCKET_PREFIX + "*"):
            if folder.is_dir() and folder.stat().st_uid == os.getuid() and _stale(folder, None):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def remove_stale_staging(out_dir: Path) -> list[Path]:
    """Remove ``OUT/.<E>.new-<pid>`` folders of builds killed while publishing."""
    removed = []
    if not out_dir.is_dir():
        return removed
    for folder in out_dir.glob(".*.new-*"):
        try:
            pid = int(folder.name.rsplit("-", 1)[1])
        except ValueError:
            continue
        if folder.is_dir() and not _alive(pid, ""):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


# ---------------------------------------------------------------------------
# Taking turns


@contextlib.contextmanager
def exclusive(folder: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` itself (no lock file in it) for this block;
    ``waiting`` is called once if another process holds it first. The lock ends with
    the block, or with the process however it ends."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock
