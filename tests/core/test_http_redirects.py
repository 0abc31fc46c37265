"""Redirects to addresses the HTTP library cannot use end in a named, permanent failure,
never in an exception that escapes the guarded client (which left sources "Fetching")."""

from __future__ import annotations

import socketserver
import threading

import pytest

from factdesk.core.http import FetchError, GuardedClient
from tests.servers import POLL_INTERVAL

HOST = "127.0.0.9"


class RawHandler(socketserver.StreamRequestHandler):
    """Answers /go/<name> with a 302 whose Location header is exactly the bytes in
    LOCATIONS[name], and anything else with a small page."""

    def handle(self):
        request_line = self.rfile.readline().decode("latin-1")
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass
        path = request_line.split(" ")[1] if " " in request_line else "/"
        if path.startswith("/go/"):
            location = LOCATIONS[path.removeprefix("/go/")].replace(b"{port}", self.port())
            head = b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\n"
            self.wfile.write(head + b"Content-Length: 0\r\nConnection: close\r\n\r\n")
        else:
            body = f"<html><title>landed</title><p>{path}</p></html>".encode()
            self.wfile.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )

    def port(self) -> bytes:
        return str(self.server.server_address[1]).encode()


LOCATIONS = {
    "no-slashes": b"http:127.0.0.9:{port}/x",
    "backslashes": b"http:\\\\127.0.0.9:{port}/x",
    "tab": b"/a\tb",
    "control": b"/a\x01b",
    "not-text": b"/\xff\xfe\xfa",
    "bad-port": b"http://127.0.0.9:99999/x",
    "cafe": "/café".encode(),
}


@pytest.fixture(scope="module")
def raw_server():
    server = socketserver.ThreadingTCPServer((HOST, 0), RawHandler)
    server.daemon_threads = True
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": POLL_INTERVAL}, daemon=True
    ).start()
    yield f"http://{HOST}:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def client(settings):
    settings.FETCH_ALLOW_NETWORKS = [f"{HOST}/32"]
    return GuardedClient()


@pytest.mark.parametrize(
    "name", ["no-slashes", "backslashes", "tab", "control", "not-text", "bad-port"]
)
def test_a_redirect_to_an_unusable_address_is_a_permanent_named_failure(raw_server, client, name):
    with pytest.raises(FetchError) as failure:
        client.get(f"{raw_server}/go/{name}")
    assert failure.value.reason.startswith("The page redirected to an address that is not valid")
    assert failure.value.permanent


def test_a_redirect_to_a_non_ascii_path_is_followed(raw_server, client):
    result = client.get(f"{raw_server}/go/cafe")
    assert result.status == 200
    assert "caf" in result.url
    assert b"landed" in result.body
