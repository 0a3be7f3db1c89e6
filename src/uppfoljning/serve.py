"""``uppfoljning serve``: build the edition, serve ``OUT`` on ``http://localhost:PORT/``
(bound to 127.0.0.1 only), and keep watching the project: a saved chapter, notebook
template, configuration or delivery file rebuilds through the same cached build (a prose
edit stays an incremental book build) and the open page reloads by itself. Ctrl-C exits 0.

The reload is a small script that only this server adds to the HTML it sends (never to
the published files): it polls :data:`STATUS_PATH` and reloads when a rebuild has
published a new site, or shows the rebuild's error over the page. A failed rebuild is
printed in the terminal and the last good site stays served (publishing is all or
nothing).

This module does not import the command line: :mod:`uppfoljning.cli` hands it the build
as a callable. A local preview only: Python's ``http.server``, no TLS. It serves files
under ``OUT`` and nothing else: no folder listings (a folder without ``index.html`` is
404), no file whose real path (symbolic links resolved) is outside ``OUT``, and only to
requests addressed to ``localhost``, ``127.0.0.1`` or ``[::1]`` at its own port (a page
of another site that points its own name at 127.0.0.1, DNS rebinding, is refused).
"""

from __future__ import annotations

import errno
import functools
import http
import json
import os
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .errors import DeliveryError, UppfoljningError, UsageError

HOST = "127.0.0.1"
LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")  # the Host a request may be addressed to
PREVIEW_PREFIX = "/__uppfoljning/"
STATUS_PATH = PREVIEW_PREFIX + "status"
SCRIPT_PATH = PREVIEW_PREFIX + "preview.js"
POLL_MS = 250
DEBOUNCE_MS = 150  # a save often writes a file twice in a few milliseconds

# Reloads the page when the server's generation moves on; shows a failed rebuild's error.
PREVIEW_SCRIPT = """(function () {
  "use strict";
  var me = document.currentScript;
  var seen = Number(me.getAttribute("data-generation"));
  var banner = null;
  function show(error) {
    if (!error) { if (banner) { banner.remove(); banner = null; } return; }
    if (!banner) {
      banner = document.createElement("div");
      banner.id = "uppf-preview-error";
      banner.setAttribute("role", "alert");
      banner.style.cssText = "position:fixed;z-index:10000;left:0;right:0;top:0;" +
        "max-height:50vh;overflow:auto;padding:1rem;background:#7a0000;color:#fff;" +
        "font:14px/1.4 monospace;white-space:pre-wrap";
      document.body.appendChild(banner);
    }
    banner.textContent = "Ombyggnaden misslyckades; sidan visar den senaste lyckade " +
      "versionen.\\n\\n" + error;
  }
  function poll() {
    fetch("__STATUS__", {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.generation !== seen) { location.reload(); return; }
        show(s.error);
        setTimeout(poll, __POLL__);
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, __POLL__);
})();
""".replace("__STATUS__", STATUS_PATH).replace("__POLL__", str(POLL_MS))


@dataclass
class PreviewState:
    """What the open pages poll: the generation of the served site (one more after every
    successful rebuild) and the last rebuild's error, if it failed."""

    generation: int = 0
    error: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def succeeded(self) -> None:
        with self._lock:
            self.generation += 1
            self.error = None

    def failed(self, message: str) -> None:
        with self._lock:
            self.error = message

    def snapshot(self) -> dict:
        with self._lock:
            return {"generation": self.generation, "error": self.error}


def inject_script(page: bytes, generation: int) -> bytes:
    """``page`` (HTML) with the preview script before ``</body>`` (or at the end)."""
    tag = f'<script src="{SCRIPT_PATH}" data-generation="{generation}"></script>'.encode("ascii")
    at = page.rfind(b"</body>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site; logs only errors (not every request) to stderr. With a
    ``preview`` state, HTML pages carry the reload script and the preview paths answer."""

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".csv": "text/csv; charset=utf-8",
        ".html": "text/html; charset=utf-8",
        ".pdf": "application/pdf",
    }

    def __init__(self, *args, preview: PreviewState | None = None, **kwargs) -> None:
        self.preview = preview
        super().__init__(*args, **kwargs)

    def _host_allowed(self) -> bool:
        """The request is addressed to this server by a local name (DNS rebinding: a
        page of another site that resolves its own name to 127.0.0.1 sends that name)."""
        host = (self.headers.get("Host") or "").strip().lower()
        port = self.server.server_address[1]
        allowed = {f"{name}:{port}" for name in LOCAL_NAMES}
        if port == 80:
            allowed |= set(LOCAL_NAMES)
        return host in allowed

    def _inside(self, path: str) -> bool:
        """``path`` (a file or folder, symbolic links resolved) lies in the served folder."""
        root = os.path.realpath(self.directory)
        real = os.path.realpath(path)
        return real == root or real.startswith(root.rstrip(os.sep) + os.sep)

    def _refused(self) -> bool:
        """Answer a request the server does not serve (and say so): a foreign Host
        (403), a path or a folder's index page outside the site, or a folder without
        one (404)."""
        if not self._host_allowed():
            self.send_error(
                http.HTTPStatus.FORBIDDEN, "requests to this preview must be addressed to localhost"
            )
            return True
        path = self.translate_path(self.path)
        # a folder is answered with its index page (the base's two names)
        pages = (
            [os.path.join(path, name) for name in ("index.html", "index.htm")]
            if os.path.isdir(path)
            else []
        )
        if not all(self._inside(p) for p in [path, *pages]) or (
            pages and not any(os.path.isfile(p) for p in pages)
        ):  # no listing
            self.send_error(http.HTTPStatus.NOT_FOUND, "File not found")
            return True
        return False

    def list_directory(self, path):  # the base's name: a folder without index.html
        self.send_error(http.HTTPStatus.NOT_FOUND, "File not found")
        return None

    def do_HEAD(self) -> None:  # the base's name
        if not self._refused():
            super().do_HEAD()

    def log_request(self, code="-", size="-") -> None:
        if str(code).startswith(("4", "5")):
            super().log_request(code, size)

    def log_message(self, format, *args) -> None:  # `format`: the base's signature
        if self.path.split("?")[0] != "/favicon.ico":  # browsers ask; the site has none
            super().log_message(format, *args)

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # the base's name
        if self._refused():
            return
        if self.preview is None:
            super().do_GET()
            return
        route = urllib.parse.urlsplit(self.path).path
        if route == STATUS_PATH:
            self._send(json.dumps(self.preview.snapshot()).encode("utf-8"), "application/json")
            return
        if route == SCRIPT_PATH:
            self._send(PREVIEW_SCRIPT.encode("utf-8"), "text/javascript")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir() and route.endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            generation = self.preview.snapshot()["generation"]
            self._send(inject_script(path.read_bytes(), generation), "text/html; charset=utf-8")
            return
        super().do_GET()


def make_server(
    directory: Path, port: int, host: str = HOST, preview: PreviewState | None = None
) -> ThreadingHTTPServer:
    """An HTTP server for ``directory`` on ``host:port`` (``port`` 0: a free port; the
    chosen one is ``server.server_address[1]``). Not started. With ``preview``, served
    pages reload themselves when it moves on."""
    handler = functools.partial(_QuietHandler, directory=str(directory), preview=preview)
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} is in use; choose another with --port") from exc
        raise
    server.daemon_threads = True
    return server


def describe(error: BaseException) -> str:
    """A failed rebuild in the words the command line would use (no traceback)."""
    if isinstance(error, DeliveryError):
        lines = [p.format() for p in error.problems if p.severity == "error"]
        return "\n".join([*lines, "the delivery is invalid"])
    if isinstance(error, UppfoljningError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def rebuild(build: Callable[[], object], state: PreviewState) -> bool:
    """Run ``build``; on success the open pages reload, on failure the error is printed
    and shown on them while the last good site stays served."""
    started = time.perf_counter()
    try:
        build()
    except Exception as error:  # noqa: BLE001 (any failure: keep serving the last site)
        message = describe(error)
        print(
            f"uppfoljning: rebuild failed; the last good site is still served:\n{message}",
            file=sys.stderr,
            flush=True,
        )
        state.failed(message)
        return False
    state.succeeded()
    print(
        f"rebuilt in {time.perf_counter() - started:.1f} s; open pages reload",
        file=sys.stderr,
        flush=True,
    )
    return True


def watch_changes(paths: Iterable[Path], stop: threading.Event | None = None):
    """Sets of changed paths under ``paths`` (files or folders; missing ones are skipped),
    as they are saved (watchfiles; editor swap files, caches and dot folders ignored)."""
    import watchfiles

    existing = [str(p) for p in paths if Path(p).exists()]
    for changes in watchfiles.watch(
        *existing,
        debounce=DEBOUNCE_MS,
        step=50,
        stop_event=stop,
        watch_filter=watchfiles.DefaultFilter(),
        raise_interrupt=True,
    ):
        yield {Path(p) for _, p in changes}


def watch_and_rebuild(
    paths: Iterable[Path],
    build: Callable[[], object],
    state: PreviewState,
    stop: threading.Event | None = None,
    root: Path | None = None,
) -> None:
    """Rebuild after every batch of saved changes until ``stop`` is set (or Ctrl-C);
    changed files are named relative to ``root`` (the project), if given."""
    for changed in watch_changes(paths, stop):
        names = sorted(_shown(p, root) for p in changed)
        print(
            f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}; rebuilding",
            file=sys.stderr,
            flush=True,
        )
        rebuild(build, state)


def _shown(path: Path, root: Path | None) -> str:
    if root is None:
        return str(path)
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def serve(
    *,
    out: Path,
    port: int,
    edition: int,
    build: Callable[[], object],
    watch: Iterable[Path] = (),
    root: Path | None = None,
) -> int:
    """Build (``build()``), then serve ``out`` until interrupted, rebuilding when a file
    under ``watch`` is saved (named relative to ``root``, the project)."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a port number (0-65535)")
    out = Path(out).resolve()
    state = PreviewState()
    server = make_server(out, port, preview=state)  # bound first: a busy port fails first
    try:
        build()
    except BaseException:
        server.server_close()
        raise
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="serve", daemon=True)
    thread.start()
    watched = [Path(p) for p in watch]
    try:
        # inside: a Ctrl-C the moment the line is out stops the server as any other does
        print(
            f"serving {out} on http://localhost:{port}/ (this edition: "
            f"http://localhost:{port}/{edition}/index.html); "
            f"{'watching for changes; ' if watched else ''}Ctrl-C stops",
            flush=True,
        )
        if watched:
            watch_and_rebuild(watched, build, state, root=root)
        else:
            thread.join()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr, flush=True)
    finally:
        server.shutdown()
        server.server_close()
    return 0
