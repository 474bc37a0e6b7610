"""A threaded static file server for browser tests that answers HTTP Range requests.

Chromium can only seek in audio whose server answers ``Range: bytes=...`` with ``206 Partial
Content``; ``python -m http.server`` does not, so tests serve files through this handler.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import threading
from collections.abc import Iterator
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class RangeRequestHandler(SimpleHTTPRequestHandler):
    """``SimpleHTTPRequestHandler`` plus single-range ``Range: bytes=a-b`` support (RFC 9110 14)."""

    def end_headers(self) -> None:
        self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def do_GET(self) -> None:
        header = self.headers.get("Range")
        path = Path(self.translate_path(self.path))
        if header is None or not path.is_file():
            super().do_GET()
            return
        size = path.stat().st_size
        match = _RANGE.match(header.strip())
        if match is None or match.groups() == ("", ""):
            # Multiple or malformed ranges: a full response is always allowed.
            super().do_GET()
            return
        first_text, last_text = match.groups()
        if first_text == "":  # suffix range: the last N bytes
            first, last = max(0, size - int(last_text)), size - 1
        else:
            first = int(first_text)
            last = min(int(last_text), size - 1) if last_text else size - 1
        if first >= size or first > last:
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        length = last - first + 1
        self.send_response(HTTPStatus.PARTIAL_CONTENT)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.send_header("Content-Length", str(length))
        self.end_headers()
        with path.open("rb") as source:
            source.seek(first)
            remaining = length
            with contextlib.suppress(ConnectionError):
                while remaining > 0:
                    chunk = source.read(min(remaining, 64 * 1024))
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    remaining -= len(chunk)

    def copyfile(self, source, outputfile) -> None:  # type: ignore[no-untyped-def]
        # The browser drops connections when it seeks; that is not an error here.
        with contextlib.suppress(ConnectionError):
            super().copyfile(source, outputfile)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(directory: str | os.PathLike[str]) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) while the block runs.

    Yields the base URL with a trailing slash, e.g. ``http://127.0.0.1:41234/``.
    """
    handler = functools.partial(RangeRequestHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="test-http", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
