"""A real local HTTP server whose pages the test sets: path -> (status, headers, body)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

POLL_INTERVAL = 0.05  # seconds


class Pages(dict):
    """What the server answers, by path (with its query string, or without to answer any):
    (status, headers, body), or a callable returning one (to stall, or to answer differently
    the second time). Requests are kept in `hits`, query strings and all."""

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[str] = []
        self.posts: list[Posted] = []
        self.base = ""


@dataclass
class Posted:
    """A POST the server received (a webhook's delivery)."""

    path: str
    headers: dict[str, str]
    body: bytes


def serve(host: str, pages: Pages) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            pages.hits.append(self.path)
            # A path with a query string answers as the path alone when not given itself.
            page = pages.get(self.path) or pages.get(
                self.path.split("?", 1)[0], (404, {}, b"not found")
            )
            status, headers, body = page() if callable(page) else page
            self.send_response(status)
            for name, value in {"Content-Length": str(len(body)), **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            received = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            pages.posts.append(Posted(self.path, headers, received))
            self.do_GET()

    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    # shutdown() waits for serve_forever to next check its flag: poll often, or every test
    # that stops a server waits half a second for it.
    threading.Thread(target=server.serve_forever, args=(POLL_INTERVAL,), daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}"


@contextmanager
def local_site(host: str, settings) -> Iterator[Pages]:
    """A local server the guarded client may fetch from (its address allowed, no per-host
    interval: tests fetch one host in quick succession). `pages.base` is its URL."""
    settings.FETCH_ALLOW_NETWORKS = [*settings.FETCH_ALLOW_NETWORKS, f"{host}/32"]
    settings.FETCH_HOST_INTERVAL = 0
    pages = Pages()
    server, pages.base = serve(host, pages)
    try:
        yield pages
    finally:
        server.shutdown()
