"""The guarded HTTP client against real local servers: the SSRF attack list, and bodies that
try to exhaust it. No test sends traffic anywhere but loopback."""

from __future__ import annotations

import contextlib
import gzip
import ipaddress
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from factdesk.core.http import (
    BlockedURL,
    FetchError,
    GuardedClient,
    TimedOut,
    TooLarge,
    is_public,
    seconds_words,
)
from tests.servers import POLL_INTERVAL

# The local server listens on 127.0.0.2, the only private address the tests allow: every
# other loopback and private address must still be refused.
SERVER_HOST = "127.0.0.2"


def table_resolver(table):
    def resolve(host, port):
        if host not in table:
            raise FetchError(
                f"The name {host} does not exist (DNS lookup failed).", permanent=False
            )
        return list(table[host])

    return resolve


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, str]] = []

    def log_message(self, *args):
        pass

    def handle(self):
        # The client hangs up on the drip and the oversized bodies: that is what is tested,
        # not an error for the server thread to print over the test run.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if not any(name.lower() == "content-length" for name, _ in headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        Handler.seen.append((self.path, self.headers.get("Host", "")))
        port = self.server.server_address[1]
        if self.path == "/ok":
            self.send(200, b"<html><title>ok</title></html>", [("Content-Type", "text/html")])
        elif self.path == "/ua":
            self.send(200, self.headers.get("User-Agent", "").encode())
        elif self.path == "/big-declared":
            self.send(200, b"x" * 10, [("Content-Length", str(50_000_000))])
        elif self.path == "/big-undeclared":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"x" * 1000)
        elif self.path == "/lying-long":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"y" * 50_000)
        elif self.path == "/lying-short":
            self.send_response(200)
            self.send_header("Content-Length", "5000")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"y" * 100)
        elif self.path == "/gzip-bomb":
            bomb = gzip.compress(b"\0" * 5_000_000)
            self.send(200, bomb, [("Content-Encoding", "gzip"), ("Content-Length", str(len(bomb)))])
        elif self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b".")
                self.wfile.flush()
                time.sleep(0.1)  # the slow server's behaviour, not synchronisation
        elif self.path == "/loop":
            self.send(302, headers=[("Location", "/loop")])
        elif self.path.startswith("/hop/"):
            left = int(self.path.rsplit("/", 1)[1])
            target = "/ok" if left == 0 else f"/hop/{left - 1}"
            self.send(302, headers=[("Location", target)])
        elif self.path == "/to-loopback":
            self.send(302, headers=[("Location", f"http://127.0.0.1:{port}/ok")])
        elif self.path == "/empty":
            self.send(200, b"")
        else:
            self.send(404, b"not here")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer((SERVER_HOST, 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(POLL_INTERVAL,), daemon=True)
    thread.start()
    yield f"http://{SERVER_HOST}:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def allow_server(settings):
    settings.FETCH_ALLOW_NETWORKS = [f"{SERVER_HOST}/32"]


RESOLVER = table_resolver(
    {
        "localhost": ["127.0.0.1"],
        "public-looking.example": ["127.0.0.1"],
        "mixed.example": ["93.184.216.34", "10.1.2.3"],
        "metadata.example": ["169.254.169.254"],
        "news.example": [SERVER_HOST],
    }
)

ATTACKS = [
    "http://127.0.0.1/",
    "http://localhost/",
    "http://0.0.0.0/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://0x7f.1/",
    "http://10.0.0.1/",
    "http://100.64.0.1/",
    "http://192.168.1.1/",
    "http://[fc00::1]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[2002:7f00:1::]/",
    "http://public-looking.example/",
    "http://mixed.example/",
    "http://metadata.example/",
    "http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/",  # full-width localhost
]


@pytest.mark.parametrize("url", ATTACKS)
def test_private_addresses_are_refused_before_connecting(url, settings):
    settings.FETCH_ALLOW_NETWORKS = []
    with pytest.raises(BlockedURL, match="points inside a private network"):
        GuardedClient(resolver=RESOLVER).get(url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "not file: addresses"),
        ("gopher://127.0.0.1:70/", "not gopher: addresses"),
        ("ftp://example.org/file", "not ftp: addresses"),
        ("http://user@127.0.0.1/", "user name or password"),
        ("http://user:secret@example.org/", "user name or password"),
        ("http:///nohost", "no host name"),
        ("http://exa mple.org/", "not a valid"),
    ],
)
def test_other_schemes_and_credentials_are_refused(url, reason):
    with pytest.raises(BlockedURL, match=reason):
        GuardedClient(resolver=RESOLVER).get(url)


def test_a_public_page_redirecting_to_loopback_is_refused(server, allow_server):
    with pytest.raises(BlockedURL, match=r"private network \(127\.0\.0\.1"):
        GuardedClient(resolver=RESOLVER).get(f"{server}/to-loopback")


def test_the_connection_is_pinned_and_names_the_host(server, allow_server):
    port = server.rsplit(":", 1)[1]
    Handler.seen.clear()
    result = GuardedClient(resolver=RESOLVER).get(f"http://news.example:{port}/ok")
    assert result.status == 200
    assert result.url == f"http://news.example:{port}/ok"
    assert Handler.seen == [("/ok", f"news.example:{port}")]


def test_the_user_agent_names_factdesk_and_a_contact(server, allow_server, settings):
    settings.FETCH_CONTACT_URL = "https://desk.example.org/about-our-bot"
    body = GuardedClient(resolver=RESOLVER).get(f"{server}/ua").body.decode()
    assert body.startswith("factdesk/")
    assert "https://desk.example.org/about-our-bot" in body


def test_five_redirects_are_followed_six_are_not(server, allow_server):
    result = GuardedClient(resolver=RESOLVER).get(f"{server}/hop/4")
    assert result.status == 200
    assert len(result.redirects) == 5
    with pytest.raises(FetchError, match="redirected more than 5 times"):
        GuardedClient(resolver=RESOLVER).get(f"{server}/hop/5")


def test_a_redirect_loop_is_named(server, allow_server):
    with pytest.raises(FetchError, match="redirects in a loop"):
        GuardedClient(resolver=RESOLVER).get(f"{server}/loop")


@pytest.mark.parametrize("path", ["/big-declared", "/big-undeclared"])
def test_bodies_over_the_cap_are_refused(server, allow_server, path):
    with pytest.raises(TooLarge, match="larger than") as refused:
        GuardedClient(resolver=RESOLVER, max_bytes=20_000).get(f"{server}{path}")
    assert refused.value.permanent


def test_a_body_longer_than_declared_is_cut_at_the_declared_length(server, allow_server):
    result = GuardedClient(resolver=RESOLVER, max_bytes=20_000).get(f"{server}/lying-long")
    assert result.body == b"y" * 100


def test_a_body_shorter_than_declared_is_an_incomplete_fetch(server, allow_server):
    with pytest.raises(FetchError, match="before the whole page arrived") as failed:
        GuardedClient(resolver=RESOLVER).get(f"{server}/lying-short")
    assert not failed.value.permanent


def test_a_declared_oversize_body_is_refused_by_its_header(server, allow_server):
    with pytest.raises(TooLarge, match="larger than the 1 MB limit"):
        GuardedClient(resolver=RESOLVER, max_bytes=1_000_000).get(f"{server}/big-declared")


def test_a_gzip_bomb_is_stopped_while_unpacking(server, allow_server):
    with pytest.raises(TooLarge, match="unpacks to more than"):
        GuardedClient(resolver=RESOLVER, max_bytes=1_000_000, max_decompressed_bytes=1_000_000).get(
            f"{server}/gzip-bomb"
        )


def test_a_slow_drip_hits_the_total_deadline(server, allow_server):
    # The server trickles its 100 bytes over ten seconds, so only the deadline can end this.
    Handler.seen.clear()
    with pytest.raises(TimedOut) as refused:
        GuardedClient(resolver=RESOLVER, deadline=1).get(f"{server}/drip")
    assert refused.value.reason == ("The server did not finish sending the page within 1 second.")
    assert [path for path, _ in Handler.seen] == ["/drip"]
    assert not refused.value.permanent  # worth trying again later


@pytest.mark.parametrize(
    ("seconds", "words"), [(1, "1 second"), (0.5, "0.5 seconds"), (60, "60 seconds")]
)
def test_a_deadline_reads_right_for_one_and_for_many_seconds(seconds, words):
    assert seconds_words(seconds) == words


def test_an_empty_body_and_a_404_are_results_not_errors(server, allow_server):
    client = GuardedClient(resolver=RESOLVER)
    assert client.get(f"{server}/empty").body == b""
    missing = client.get(f"{server}/nowhere")
    assert missing.status == 404


def test_an_unknown_name_is_a_transient_failure():
    with pytest.raises(FetchError, match="does not exist") as failed:
        GuardedClient(resolver=RESOLVER).get("http://no-such-name.example/")
    assert not failed.value.permanent


@pytest.mark.parametrize(
    ("address", "public"),
    [
        # IPv4-compatible (::/96, deprecated): the IPv4 inside decides.
        ("::127.0.0.1", False),
        ("::a9fe:a9fe", False),  # ::169.254.169.254, the cloud metadata address
        ("::10.0.0.1", False),
        ("::8.8.8.8", True),
        ("::", False),
        ("::1", False),
        # IPv4-mapped (::ffff:0:0/96) and IPv4-translated (::ffff:0:0:0/96, SIIT).
        ("::ffff:127.0.0.1", False),
        ("::ffff:8.8.8.8", True),
        ("::ffff:0:127.0.0.1", False),
        ("::ffff:0:a9fe:a9fe", False),
        ("::ffff:0:8.8.8.8", True),
        # NAT64 (64:ff9b::/96 lies outside 2000::/3) and its local-use neighbour.
        ("64:ff9b::7f00:1", False),
        ("64:ff9b::808:808", True),
        ("64:ff9b:1::a00:1", False),
        # 6to4 and Teredo embed an IPv4 address too.
        ("2002:7f00:1::", False),
        ("2002:808:808::", True),
        # Outside 2000::/3 nothing is fetched: site-local (deprecated), unique local,
        # link-local, multicast, documentation and the discard prefix.
        ("fec0::1", False),
        ("feff::1", False),
        ("fc00::1", False),
        ("fe80::1", False),
        ("ff02::1", False),
        ("100::1", False),
        ("2001:db8::1", False),
        # Global unicast.
        ("2606:4700:4700::1111", True),
        ("2a00:1450:4001:82a::200e", True),
    ],
)
def test_ipv6_is_public_only_when_global_unicast_or_embedding_a_public_ipv4(address, public):
    assert is_public(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize(
    "url",
    [
        "http://[::127.0.0.1]/",
        "http://[::ffff:0:127.0.0.1]/",
        "http://[::a9fe:a9fe]/",
        "http://[fec0::1]/",
    ],
)
def test_ipv6_forms_embedding_private_ipv4_are_refused(url, settings):
    settings.FETCH_ALLOW_NETWORKS = []
    with pytest.raises(BlockedURL, match="points inside a private network"):
        GuardedClient(resolver=RESOLVER).get(url)
