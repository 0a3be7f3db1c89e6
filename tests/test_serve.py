"""``uppfoljning serve``: serves OUT on localhost only, and Ctrl-C stops it with exit 0."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from uppfoljning.errors import UsageError
from uppfoljning.serve import make_server


def _get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return (response.status, response.headers.get("Content-Type", ""),
                response.read().decode("utf-8"))


def test_server_serves_the_folder_on_localhost_only(tmp_path):
    (tmp_path / "index.html").write_text('<html lang="sv">utgåvor</html>', encoding="utf-8")
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "index.html").write_text("2024", encoding="utf-8")
    server = make_server(tmp_path, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1"
        status, kind, body = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and kind.startswith("text/html") and "utgåvor" in body
        assert _get(f"http://localhost:{port}/2024/index.html")[2] == "2024"
        with pytest.raises(UsageError, match=f"port {port} is in use"):
            make_server(tmp_path, port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_serve_command_builds_serves_and_stops_on_ctrl_c(demo_site, tmp_path):
    """The CLI in the project copy the session built: the build finds the edition up to
    date, the server answers, SIGINT (Ctrl-C) ends it with exit 0."""
    port = _free_port()
    command = [sys.executable, "-m", "uppfoljning.cli", "serve",
               "--data", str(demo_site.project / "data" / "demo"),
               "--year", str(demo_site.edition), "--out", str(demo_site.out),
               "--port", str(port), "--jobs", "2"] + (["--pdf"] if demo_site.pdf else [])
    errors = tmp_path / "stderr.txt"
    with errors.open("w") as err_file:
        process = subprocess.Popen(command, cwd=demo_site.project, stdout=subprocess.PIPE,
                                   stderr=err_file, text=True,
                                   env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        lines = []
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("serving "):
                break
        assert lines and lines[-1].startswith("serving "), (lines, errors.read_text())
        assert f"http://localhost:{port}/" in lines[-1]
        status, _, body = _get(f"http://localhost:{port}/")
        assert status == 200 and f'href="{demo_site.edition}/index.html"' in body
        assert _get(f"http://127.0.0.1:{port}/{demo_site.edition}/index.html")[0] == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
        err = errors.read_text()
        assert "Traceback" not in err and "stopped" in err
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_rejects_a_busy_port_before_building(tmp_path, capsys):
    from uppfoljning.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.monotonic()
        code = main(["serve", "--data", str(tmp_path / "nothing"), "--year", "2024",
                     "--out", str(tmp_path / "site"), "--port", str(port)])
    assert code == 2
    assert f"port {port} is in use" in capsys.readouterr().err
    assert time.monotonic() - started < 5
    assert not Path(tmp_path / "site").exists()
