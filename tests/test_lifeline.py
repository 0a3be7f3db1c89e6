"""A build's processes stop together and leave nothing behind (issue 18, point 1):
stop signals, parent death, and the leftovers the next build removes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from uppfoljning import lifeline

SRC = str(Path(__file__).resolve().parents[1] / "src")


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"


@pytest.mark.parametrize(
    "signum, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)]
)
def test_a_stop_signal_raises_stopped_once(signum, code):
    with pytest.raises(KeyboardInterrupt) as caught, lifeline.stop_on_signals():
        os.kill(os.getpid(), signum)
        time.sleep(1)
    assert isinstance(caught.value, lifeline.Stopped)
    assert lifeline.exit_code_of(caught.value) == code
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # restored


def test_a_second_signal_does_not_interrupt_the_clean_up():
    cleaned = False
    with pytest.raises(lifeline.Stopped), lifeline.stop_on_signals():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)
        finally:
            os.kill(os.getpid(), signal.SIGTERM)  # e.g. a second `kill`
            time.sleep(0.1)
            cleaned = True
    assert cleaned


def test_plain_ctrl_c_exits_130():
    assert lifeline.exit_code_of(KeyboardInterrupt()) == 130


CHILD = f"""
import os, sys, time
sys.path.insert(0, {SRC!r})
from uppfoljning import lifeline
lifeline.die_with_parent(os.getppid(), poll_s=0.2)
print("ready", flush=True)
time.sleep(60)
"""

MIDDLE = f"""
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", {CHILD!r}], stdout=subprocess.PIPE, text=True)
assert child.stdout.readline() == "ready\\n"
print(child.pid, flush=True)
time.sleep(60)
"""


def test_a_child_dies_when_its_parent_is_killed():
    middle = subprocess.Popen([sys.executable, "-c", MIDDLE], stdout=subprocess.PIPE, text=True)
    child = int(middle.stdout.readline())
    assert not gone(child)
    middle.kill()  # SIGKILL: no clean-up of its own
    middle.wait()
    deadline = time.monotonic() + 5
    while not gone(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert gone(child)


def test_the_watchdog_alone_notices_a_missing_parent():
    """Without prctl (not Linux) the watchdog is what stops the child."""
    code = (
        f"import sys, time; sys.path.insert(0, {SRC!r})\n"
        "from uppfoljning import lifeline\n"
        "lifeline._PRCTL = None\n"
        "lifeline.die_with_parent(-1, poll_s=0.1)  # -1 is never our parent\n"
        "time.sleep(30)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], timeout=20)
    assert done.returncode == -signal.SIGTERM


# ---------------------------------------------------------------------------
# Leftovers


def folder(
    root: Path, name: str, owner: int | None = None, failed: bool = False, age_s: float = 0
) -> Path:
    path = root / name
    path.mkdir(parents=True)
    if owner is not None:
        lifeline.claim(path, owner)
    if failed:
        lifeline.mark_failed(path)
    if age_s:
        stamp = time.time() - age_s
        os.utime(path, (stamp, stamp))
    return path


def test_stale_work_folders_go_but_running_and_last_failed_stay(tmp_path):
    dead = dead_pid()
    running = folder(tmp_path, "2024-running", owner=os.getppid())  # another build
    killed = folder(tmp_path, "2024-killed", owner=dead)
    old_failed = folder(tmp_path, "2023-failed", owner=dead, failed=True)
    os.utime(old_failed / lifeline.FAILED_FILE, (time.time() - 100,) * 2)
    last_failed = folder(tmp_path, "2024-failed", owner=dead, failed=True, age_s=10)
    unowned_old = folder(tmp_path, "2022-old", age_s=3600)
    unowned_new = folder(tmp_path, "2022-new")  # perhaps being created just now
    removed = lifeline.remove_stale_work(tmp_path)
    assert sorted(removed) == sorted([killed, old_failed, unowned_old])
    assert sorted(p for p in tmp_path.iterdir()) == sorted([running, last_failed, unowned_new])


def test_a_reused_pid_does_not_keep_a_folder(tmp_path):
    path = folder(tmp_path, "2024-x")
    (path / lifeline.OWNER_FILE).write_text(f"{os.getppid()} 1\n", encoding="ascii")
    assert lifeline.owner_alive(path) is False  # a live pid, but another start time


def test_stale_kernel_socket_folders_go(tmp_path):
    mine = folder(tmp_path, lifeline.SOCKET_PREFIX + "alive", owner=os.getppid())
    dead = folder(tmp_path, lifeline.SOCKET_PREFIX + "dead", owner=dead_pid())
    (dead / "kernel.json").write_text("{}")
    other = folder(tmp_path, "something-else", owner=dead_pid())
    unowned = folder(tmp_path, lifeline.SOCKET_PREFIX + "older-version", age_s=86400)
    assert lifeline.remove_stale_sockets(tmp_path) == [dead]
    assert mine.is_dir() and other.is_dir() and unowned.is_dir() and not dead.exists()


def test_staging_copies_of_killed_builds_go(tmp_path):
    killed = folder(tmp_path, f".2024.new-{dead_pid()}")
    running = folder(tmp_path, f".2023.new-{os.getppid()}")
    edition = folder(tmp_path, "2024")
    assert lifeline.remove_stale_staging(tmp_path) == [killed]
    assert running.is_dir() and edition.is_dir()


def test_a_folder_this_process_released_is_stale(tmp_path):
    """One process may build many times (serve, tests): a finished build's folder is
    stale although its owner runs."""
    path = folder(tmp_path, "2024-earlier")
    lifeline.claim(path)
    assert lifeline.owner_alive(path) is True
    lifeline.release(path)
    assert lifeline.owner_alive(path) is False
    assert lifeline.remove_stale_work(tmp_path) == [path]


def test_publishers_into_one_folder_take_turns(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sys, time; sys.path.insert(0, {SRC!r})\n"
            "from pathlib import Path\n"
            "from uppfoljning import lifeline\n"
            f"with lifeline.exclusive(Path({str(tmp_path)!r})):\n"
            "    print('holding', flush=True)\n"
            "    time.sleep(1.5)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline() == "holding\n"
    waited = []
    started = time.monotonic()
    with lifeline.exclusive(tmp_path, waiting=lambda: waited.append(True)):
        assert holder.poll() is not None or time.monotonic() - started > 1.0
    holder.wait()
    assert waited == [True]
    assert list(tmp_path.iterdir()) == []  # no lock file left in the folder
    with lifeline.exclusive(tmp_path, waiting=lambda: waited.append(True)):
        pass  # free again at once
    assert waited == [True]


def test_import_frozen_imports_once_without_collections_then_freezes():
    """In a fresh interpreter: no garbage collection runs during the import, one full
    collection after it, what the process holds then is frozen, the collector is on
    again, and a second call for an imported module changes nothing."""
    probe = (
        "import gc, sys\n"
        "from uppfoljning import lifeline\n"
        "runs = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start'"
        " and runs.append(info['generation']))\n"
        "assert 'email.mime.multipart' not in sys.modules\n"
        "lifeline.import_frozen('email.mime.multipart')\n"
        "frozen = gc.get_freeze_count()\n"
        "print('email.mime.multipart' in sys.modules, runs == [2], frozen > 1000,"
        " gc.isenabled())\n"
        "lifeline.import_frozen('email.mime.multipart')\n"
        "print(gc.get_freeze_count() == frozen)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": SRC},
        check=True,
    )
    assert done.stdout.split() == ["True", "True", "True", "True", "True"]
