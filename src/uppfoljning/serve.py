"""``uppfoljning serve``: build the edition, then serve ``OUT`` on
``http://localhost:PORT/`` (bound to 127.0.0.1 only) until Ctrl-C, which exits 0.

A local preview only: Python's ``http.server``, no caching headers, no TLS.
"""

from __future__ import annotations

import argparse
import errno
import functools
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .errors import UsageError

HOST = "127.0.0.1"


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site; logs only errors (not every request) to stderr."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".csv": "text/csv; charset=utf-8",
                      ".html": "text/html; charset=utf-8", ".pdf": "application/pdf"}

    def log_request(self, code="-", size="-") -> None:
        if str(code).startswith(("4", "5")):
            super().log_request(code, size)

    def log_message(self, format, *args) -> None:  # noqa: A002 (the base's signature)
        if self.path.split("?")[0] != "/favicon.ico":  # browsers ask; the site has none
            super().log_message(format, *args)


def make_server(directory: Path, port: int, host: str = HOST) -> ThreadingHTTPServer:
    """An HTTP server for ``directory`` on ``host:port`` (``port`` 0: a free port; the
    chosen one is ``server.server_address[1]``). Not started."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} is in use; choose another with --port") from exc
        raise
    server.daemon_threads = True
    return server


def serve(args: argparse.Namespace) -> int:
    """Build (same options as ``build``), then serve until interrupted."""
    from .cli import _year, cmd_build

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port number (0-65535)")
    out = Path(args.out).resolve()
    server = make_server(out, args.port)  # bound first: a busy port fails before the build
    try:
        cmd_build(args)
    except BaseException:
        server.server_close()
        raise
    port = server.server_address[1]
    edition = _year(args)
    print(f"serving {out} on http://localhost:{port}/ (this edition: "
          f"http://localhost:{port}/{edition}/index.html); Ctrl-C stops", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr, flush=True)
    finally:
        server.server_close()
    return 0
