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
        return (
            response.status,
            response.headers.get("Content-Type", ""),
            response.read().decode("utf-8"),
        )


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


# ---------------------------------------------------------------------------
# Only the site, only to local names: no listings, no symlinks out, DNS rebinding


def _ask(port: int, path: str, host: str | None = None, method: str = "GET") -> tuple[int, str]:
    """Status and body of ``path`` with the Host header ``host`` (default: the
    address the request goes to)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


@pytest.fixture(params=[False, True], ids=["plain", "preview"])
def served(request, tmp_path):
    """A site folder served (with and without the preview's reload), a secret file
    next to it; yields (site folder, port, secret text)."""
    from uppfoljning.serve import PreviewState

    site, outside = tmp_path / "site", tmp_path / "outside"
    (site / "2024" / "data").mkdir(parents=True)
    (site / "2024" / "index.html").write_text("<html><body>utgåva</body></html>")
    (site / "2024" / "data" / "indikatorer.csv").write_text("edition\n2024\n")
    outside.mkdir()
    secret = "hemlig-qzx-nyckel"
    (outside / "secret.txt").write_text(secret)
    (outside / "index.html").write_text(f"<html><body>{secret}</body></html>")
    server = make_server(site, 0, preview=PreviewState() if request.param else None)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site, server.server_address[1], secret
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_requests_not_addressed_to_localhost_are_refused(served):
    """DNS rebinding: a page of evil.example, its name pointed at 127.0.0.1, sends
    ``Host: evil.example``."""
    _, port, _ = served
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", f"LocalHost:{port}"):
        assert _ask(port, "/2024/index.html", host)[0] == 200, host
    for host in (
        f"evil.example:{port}",
        "evil.example",
        f"localhost:{port + 1}",
        f"127.0.0.1.evil.example:{port}",
        "localhost",
        "",
    ):
        status, body = _ask(port, "/2024/index.html", host)
        assert status == 403 and "utgåva" not in body, host
        assert _ask(port, "/2024/data/indikatorer.csv", host, method="HEAD")[0] == 403
    status, body = _ask(port, "/__uppfoljning/status", f"evil.example:{port}")
    assert status == 403 and "generation" not in body


def test_symlinks_out_of_the_site_are_not_followed(served):
    site, port, secret = served
    outside = site.parent / "outside"
    (site / "2024" / "nyckel.txt").symlink_to(outside / "secret.txt")
    (site / "ute").symlink_to(outside, target_is_directory=True)
    (site / "2023").mkdir()
    (site / "2023" / "index.html").symlink_to(outside / "index.html")
    (site / "senaste").symlink_to(site / "2024", target_is_directory=True)  # inside: fine
    host = f"localhost:{port}"
    for path in (
        "/2024/nyckel.txt",
        "/ute/secret.txt",
        "/ute/",
        "/ute/index.html",
        "/2023/",
        "/2023/index.html",
    ):
        for method in ("GET", "HEAD"):
            status, body = _ask(port, path, host, method)
            assert status == 404 and secret not in body, (path, method)
    status, body = _ask(port, "/senaste/index.html", host)
    assert status == 200 and "utgåva" in body


def test_a_folder_without_an_index_page_is_not_listed(served):
    _, port, _ = served
    host = f"localhost:{port}"
    for path in ("/2024/data/", "/2024/data"):
        status, body = _ask(port, path, host)
        assert status == 404 and "indikatorer.csv" not in body, path
    assert _ask(port, "/2024/data/indikatorer.csv", host) == (200, "edition\n2024\n")
    status, body = _ask(port, "/2024/", host)
    assert status == 200 and "utgåva" in body  # a folder with its index page still is


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
    command = [
        sys.executable,
        "-m",
        "uppfoljning.cli",
        "serve",
        "--data",
        str(demo_site.project / "data" / "demo"),
        "--year",
        str(demo_site.edition),
        "--out",
        str(demo_site.out),
        "--port",
        str(port),
        "--jobs",
        "2",
    ] + (["--pdf"] if demo_site.pdf else [])
    errors = tmp_path / "stderr.txt"
    with errors.open("w") as err_file:
        process = subprocess.Popen(
            command,
            cwd=demo_site.project,
            stdout=subprocess.PIPE,
            stderr=err_file,
            text=True,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )
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
        code = process.wait(timeout=60)
        err = errors.read_text()
        assert code == 0, err
        assert "Traceback" not in err and "stopped" in err
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_rejects_a_busy_port_before_building(tmp_path, capsys, in_project):
    from uppfoljning.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.monotonic()
        demo = Path(__file__).resolve().parents[1] / "data" / "demo"
        code = main(
            [
                "serve",
                "--data",
                str(demo),
                "--year",
                "2024",
                "--out",
                str(tmp_path / "site"),
                "--port",
                str(port),
            ]
        )
    assert code == 2
    assert f"port {port} is in use" in capsys.readouterr().err
    assert time.monotonic() - started < 5
    assert not Path(tmp_path / "site").exists()


# ---------------------------------------------------------------------------
# Live preview: reload script, rebuild on save, the last good site on failure


def test_preview_pages_carry_the_reload_script_and_the_files_do_not(tmp_path):
    from uppfoljning.serve import SCRIPT_PATH, STATUS_PATH, PreviewState

    page = "<html><body><p>Inledning</p></body></html>"
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "2024" / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    state = PreviewState()
    server = make_server(tmp_path, 0, preview=state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        _, kind, body = _get(f"{base}/2024/index.html")
        assert kind.startswith("text/html")
        assert body == (
            '<html><body><p>Inledning</p><script src="/__uppfoljning/preview.js" '
            'data-generation="0"></script></body></html>'
        )
        assert 'data-generation="0"' in _get(f"{base}/2024/")[2]  # a folder's index too
        assert _get(f"{base}/2024/data.csv")[2] == "a,b\n1,2\n"  # only pages get it
        assert "location.reload()" in _get(f"{base}{SCRIPT_PATH}")[2]
        assert _get(f"{base}{STATUS_PATH}")[2] == '{"generation": 0, "error": null}'
        state.failed("chapter book/inledning.md, line 3: glue key 'x' is not a result")
        assert (
            '"generation": 0, "error": "chapter book/inledning.md'
            in _get(f"{base}{STATUS_PATH}")[2]
        )
        state.succeeded()
        assert _get(f"{base}{STATUS_PATH}")[2] == '{"generation": 1, "error": null}'
        assert 'data-generation="1"' in _get(f"{base}/2024/index.html")[2]
        # the published file itself never holds the script
        assert (tmp_path / "2024" / "index.html").read_text(encoding="utf-8") == page
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_failed_rebuild_is_printed_and_kept_as_the_error(capsys):
    from uppfoljning.errors import UppfoljningError
    from uppfoljning.serve import PreviewState, rebuild

    state = PreviewState()

    def broken():
        raise UppfoljningError("1 missing glue reference(s) in the book's chapters")

    assert rebuild(broken, state) is False
    assert state.snapshot() == {
        "generation": 0,
        "error": "1 missing glue reference(s) in the book's chapters",
    }
    err = capsys.readouterr().err
    assert "rebuild failed; the last good site is still served" in err
    assert "Traceback" not in err
    assert rebuild(lambda: None, state) is True
    assert state.snapshot() == {"generation": 1, "error": None}


def test_saving_a_watched_file_rebuilds(tmp_path):
    from uppfoljning.serve import PreviewState, watch_and_rebuild

    book = tmp_path / "book"
    book.mkdir()
    (book / "inledning.md").write_text("Första.\n", encoding="utf-8")
    state, stop, built = PreviewState(), threading.Event(), threading.Event()

    def build():
        built.set()
        stop.set()  # one rebuild is enough for the test

    watcher = threading.Thread(
        target=watch_and_rebuild,
        args=([book, tmp_path / "missing.yml"], build, state, stop),
        daemon=True,
    )
    watcher.start()
    try:
        for _ in range(100):  # until the watcher has started and sees the save
            (book / "inledning.md").write_text(f"Ändrad {_}.\n", encoding="utf-8")
            if built.wait(timeout=0.5):
                break
        assert built.is_set()
        watcher.join(timeout=10)
        assert not watcher.is_alive()
        assert state.snapshot()["generation"] == 1
    finally:
        stop.set()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.xdist_group("build")
def test_a_saved_chapter_shows_in_the_open_page_by_itself(demo_site, chromium, tmp_path):
    """``serve`` in a copy of the project with the edition's Inledning open in Chromium:
    a saved sentence appears without a reload by hand; a chapter citing a missing result
    shows the error on the page while the last good page stays; fixing it reloads."""
    from playwright.sync_api import Error as PlaywrightError

    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    chapter = project / "book" / "utgavor" / str(demo_site.edition) / "inledning.md"
    original = chapter.read_text(encoding="utf-8")
    port = _free_port()
    errors = tmp_path / "stderr.txt"
    with errors.open("w") as err_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uppfoljning.cli",
                "serve",
                "--year",
                str(demo_site.edition),
                "--out",
                str(tmp_path / "site"),
                "--port",
                str(port),
                "--jobs",
                "2",
            ],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=err_file,
            text=True,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )
    context = chromium.new_context()
    context.route(
        lambda url: not url.startswith(f"http://127.0.0.1:{port}/"), lambda route: route.abort()
    )

    def body_text(page) -> str:
        try:
            return page.inner_text("body", timeout=1000)
        except PlaywrightError:
            return ""  # reloading

    def wait_until(condition, what: str) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.1)
        raise AssertionError(f"{what}; serve said:\n{errors.read_text()}")

    try:
        line = process.stdout.readline()
        while line and not line.startswith("serving "):
            line = process.stdout.readline()
        assert line.startswith("serving "), errors.read_text()
        assert "watching for changes" in line
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}/{demo_site.edition}/inledning.html")
        assert "Levande förhandsvisning" not in body_text(page)

        chapter.write_text(original + "\nLevande förhandsvisning fungerar.\n", encoding="utf-8")
        wait_until(
            lambda: "Levande förhandsvisning fungerar." in body_text(page),
            "the saved sentence never showed in the open page",
        )

        chapter.write_text(
            original + "\n{glue:text}`stad/personalrorlighet.ipynb::finns_inte:s`\n",
            encoding="utf-8",
        )
        wait_until(
            lambda: page.locator("#uppf-preview-error").count() == 1,
            "the failed rebuild was not shown on the page",
        )
        assert "finns_inte" in page.inner_text("#uppf-preview-error")
        assert "Levande förhandsvisning fungerar." in body_text(page)  # last good site
        assert "rebuild failed; the last good site is still served" in errors.read_text()

        chapter.write_text(original, encoding="utf-8")
        wait_until(
            lambda: (
                "Levande förhandsvisning" not in body_text(page)
                and page.locator("#uppf-preview-error").count() == 0
            ),
            "fixing the chapter did not reload the page",
        )
        published = tmp_path / "site" / str(demo_site.edition) / "inledning.html"
        assert "preview.js" not in published.read_text(encoding="utf-8")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
        assert "Traceback" not in errors.read_text()
    finally:
        context.close()
        if process.poll() is None:
            process.kill()
            process.wait()
