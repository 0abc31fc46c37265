"""The one door to the network: every outbound HTTP request factdesk makes goes through here.

Fetching URLs that users give is a server-side request forgery risk, so the client:

1. accepts only http and https URLs without credentials, on a host name or public address;
2. resolves the name itself and refuses unless *every* address is public (an attacker's
   name may answer with a public and a private address), unwrapping IPv6 forms that embed
   an IPv4 address (::ffff:a.b.c.d, 6to4, NAT64);
3. connects to the address it checked (pinned: no second lookup), sending the name as Host
   and as TLS SNI so certificates are still verified against the name;
4. follows at most five redirects, checking each hop from step 1 again;
5. enforces connect and read timeouts and a total deadline, and caps the body while it
   streams (whatever Content-Length says) and after decompression.

Nothing else in factdesk imports httpx.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import certifi
import httpx
from django.conf import settings

from factdesk.core.sizes import size_words

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated, ::a.b.c.d
_IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # SIIT, ::ffff:0:a.b.c.d
_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")
_NUMERIC_HOST = re.compile(r"^[0-9a-fx.]+$", re.IGNORECASE)
_HOST_NAME = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.?$")


class FetchError(Exception):
    """A fetch that did not produce a body. `reason` is written for an editor; `permanent`
    says whether trying again later can help."""

    def __init__(
        self,
        reason: str,
        *,
        permanent: bool = True,
        retry_after: float | None = None,
        gone: bool = False,
    ):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after
        self.gone = gone  # the page or its name no longer exists (404, 410, NXDOMAIN)


class BlockedURL(FetchError):  # noqa: N818 - reads as the reason, like the others
    """The URL's form or address is not one factdesk fetches (permanent)."""


class PrivateAddress(BlockedURL):
    """The host stands for an address that is not public (permanent). Names the address."""

    def __init__(self, host: str, address: IPAddress) -> None:
        super().__init__(
            f"The address points inside a private network ({host} is {address}), which "
            "factdesk does not fetch."
        )
        self.host = host
        self.address = address


class TooLarge(FetchError):  # noqa: N818
    """The body is over the size cap, before or after decompression (permanent)."""


class TimedOut(FetchError):  # noqa: N818
    """The server was too slow; worth trying again later."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, permanent=False)


@dataclass
class FetchResult:
    url: str  # the final URL, after redirects
    status: int
    headers: httpx.Headers
    body: bytes
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset the Content-Type header declares, if any."""
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                return value.strip("\"' ")
        return None


def system_resolver(host: str, port: int) -> list[str]:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise FetchError(
            f"The name {host} does not exist (DNS lookup failed).", permanent=False, gone=True
        ) from None
    return list(dict.fromkeys(str(answer[4][0]) for answer in answers))


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, where it embeds one."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if any(address in net for net in (_NAT64, _NAT64_LOCAL, _IPV4_COMPATIBLE, _IPV4_TRANSLATED)):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.teredo:
        return address.teredo[1]
    return None


def is_public(address: IPAddress) -> bool:
    """Whether the guard lets an address be fetched. An IPv6 address must be global unicast
    (inside 2000::/3, and global), and one that embeds an IPv4 address (mapped, compatible,
    translated, 6to4, NAT64, Teredo) only as far as the IPv4 inside is public: the rule
    allows what is known to be public rather than refusing what is known to be private."""
    inner = embedded_ipv4(address)
    if inner is not None:
        return is_public(inner)
    if isinstance(address, ipaddress.IPv6Address) and address not in _GLOBAL_UNICAST:
        return False
    return address.is_global and not address.is_multicast


def literal_address(host: str) -> IPAddress | None:
    """The address a host written as a number stands for: dotted, bracketed IPv6, and the
    forms inet_aton accepts (2130706433, 0177.0.0.1, 0x7f.1), which browsers accept too."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(net) for net in getattr(settings, "FETCH_ALLOW_NETWORKS", [])]


@dataclass
class Target:
    url: str
    scheme: str
    host: str  # IDNA-encoded
    port: int
    path: str


def check_url(url: str) -> Target:
    """Step 1: the URL's form. Returns the parts to connect with."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        raise BlockedURL(f"“{url}” is not a valid web address.") from None
    if parts.scheme not in ("http", "https"):
        raise BlockedURL(
            f"Only web addresses (http:// or https://) are fetched, not {parts.scheme or 'this'}:"
            " addresses."
        )
    if parts.username is not None or parts.password is not None:
        raise BlockedURL("Addresses with a user name or password in them are not fetched.")
    host = parts.hostname or ""
    if not host:
        raise BlockedURL(f"“{url}” has no host name.")
    if literal_address(host) is None:
        try:
            # IDNA with UTS 46 mapping: full-width and other look-alike forms become the
            # plain name they stand for (full-width "localhost" is localhost) before any check.
            host = host.encode("idna").decode("ascii").lower()
        except UnicodeError:
            host = ""
        if not _HOST_NAME.match(host):
            raise BlockedURL(f"The host name in “{url}” is not a valid domain name.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise BlockedURL(f"The port in “{url}” is not valid.") from None
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return Target(url=url, scheme=parts.scheme, host=host, port=port, path=path)


def check_addresses(host: str, port: int, resolver: Resolver) -> IPAddress:
    """Step 2: every address the host stands for must be public (or explicitly allowed).
    Returns the address to connect to."""
    literal = literal_address(host)
    addresses = [literal] if literal else [ipaddress.ip_address(a) for a in resolver(host, port)]
    if not addresses:
        raise FetchError(f"The name {host} has no address.", permanent=False)
    allowed = _allowed_networks()
    for address in addresses:
        if any(address in network for network in allowed):
            continue
        if not is_public(address):
            raise PrivateAddress(host, address)
    return addresses[0]


def check_fetchable(url: str, resolver: Resolver = system_resolver) -> None:
    """Steps 1 and 2 without connecting, for a URL as it is cited: raises BlockedURL (or
    PrivateAddress) when the fetch would refuse it. A name that does not resolve now is let
    through: the lookup may fail for a moment, and the fetch tries again later."""
    target = check_url(url)
    try:
        check_addresses(target.host, target.port, resolver)
    except BlockedURL:
        raise
    except FetchError:
        return


_tls_lock = threading.Lock()


def tls_context() -> ssl.SSLContext:
    """One certificate-verifying TLS context for every fetch: loading the CA bundle costs
    more CPU than a small page's whole fetch, so it is not done per request (nor by each of
    a fresh worker's threads at once: they wait for the first)."""
    with _tls_lock:
        return _tls_context()


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=certifi.where())


def warm_up() -> None:
    """Build the TLS context and one transport at worker start (httpx loads its connection
    code with the first), so that the first fetches do not pay for it."""
    httpx.HTTPTransport(verify=tls_context()).close()


def _bad_redirect(why: str) -> FetchError:
    return FetchError(f"The page redirected to an address that is not valid ({why}).")


def _redirect_target(base: str, headers: httpx.Headers) -> str:
    """The absolute URL a redirect points to, or a permanent FetchError naming what is wrong
    with its Location: bytes that are not text, control characters, a port out of range, an
    address the HTTP library cannot parse."""
    raw = next(value for name, value in headers.raw if name.lower() == b"location")
    try:
        location = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise _bad_redirect("it is not text") from None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in location):
        raise _bad_redirect("it has characters no address can have")
    url = urljoin(base, location)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError when out of range
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL):
        raise _bad_redirect(f"“{location[:200]}”") from None
    if not parts.netloc or "\\" in url:
        raise _bad_redirect(f"“{location[:200]}”")
    return url


class GuardedClient:
    """Fetches a URL under all of the module's rules. One instance may serve many fetches."""

    def __init__(
        self,
        *,
        resolver: Resolver = system_resolver,
        max_bytes: int | None = None,
        max_decompressed_bytes: int | None = None,
        max_redirects: int = 5,
        connect_timeout: float = 5.0,
        read_timeout: float = 15.0,
        deadline: float | None = None,
    ) -> None:
        self.resolver = resolver
        self.max_bytes = max_bytes or settings.FETCH_MAX_BYTES
        self.max_decompressed_bytes = max_decompressed_bytes or 5 * self.max_bytes
        self.max_redirects = max_redirects
        self.deadline = deadline or settings.FETCH_DEADLINE_SECONDS
        self.timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        self.user_agent = f"factdesk/1.0 (fact-checking archiver; +{settings.FETCH_CONTACT_URL})"

    def get(self, url: str, *, headers: dict[str, str] | None = None) -> FetchResult:
        ends_at = time.monotonic() + self.deadline
        redirects: list[str] = []
        with httpx.Client(
            timeout=self.timeout, follow_redirects=False, trust_env=False, verify=tls_context()
        ) as client:
            while True:
                target = check_url(url)
                address = check_addresses(target.host, target.port, self.resolver)
                result = self._fetch(client, target, address, ends_at, "GET", None, headers)
                if result.status not in REDIRECT_STATUSES or "location" not in result.headers:
                    result.redirects = redirects
                    return result
                if len(redirects) >= self.max_redirects:
                    raise FetchError(
                        f"The page redirected more than {self.max_redirects} times "
                        f"(last to {result.headers['location']}).",
                    )
                url = _redirect_target(target.url, result.headers)
                if url in redirects or url == target.url:
                    raise FetchError(f"The page redirects in a loop ({url}).")
                redirects.append(target.url)

    def post(self, url: str, *, body: bytes, headers: dict[str, str]) -> FetchResult:
        """POST `body` to `url` once, under the same rules as `get`, and read the answer. A
        redirect is not followed (a webhook receiver that moved answers with its new
        address, which the sender should be told of, not sent to blindly)."""
        ends_at = time.monotonic() + self.deadline
        with httpx.Client(
            timeout=self.timeout, follow_redirects=False, trust_env=False, verify=tls_context()
        ) as client:
            target = check_url(url)
            address = check_addresses(target.host, target.port, self.resolver)
            return self._fetch(client, target, address, ends_at, "POST", body, headers)

    def _fetch(
        self,
        client: httpx.Client,
        target: Target,
        address: IPAddress,
        ends_at: float,
        method: str = "GET",
        body: bytes | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> FetchResult:
        netloc = f"[{address}]" if address.version == 6 else str(address)
        default_port = 443 if target.scheme == "https" else 80
        host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
        pinned = f"{target.scheme}://{netloc}:{target.port}{target.path}"
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        headers = {
            **(extra_headers or {}),
            "Host": host_header,
            "User-Agent": self.user_agent,
            "Accept": "*/*",
        }
        try:
            with client.stream(
                method, pinned, headers=headers, content=body, extensions=extensions
            ) as response:
                if response.status_code in REDIRECT_STATUSES:
                    return FetchResult(target.url, response.status_code, response.headers, b"")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise TooLarge(self._too_large(int(declared)))
                received = bytearray()
                for chunk in response.iter_bytes():
                    received += chunk
                    if response.num_bytes_downloaded > self.max_bytes:
                        raise TooLarge(self._too_large(response.num_bytes_downloaded))
                    if len(received) > self.max_decompressed_bytes:
                        raise TooLarge(
                            "The page unpacks to more than "
                            f"{size_words(self.max_decompressed_bytes)} (a compression "
                            "bomb?), so it was not stored."
                        )
                    if time.monotonic() > ends_at:
                        raise TimedOut(self._too_slow())
                return FetchResult(
                    target.url, response.status_code, response.headers, bytes(received)
                )
        except httpx.TimeoutException:
            raise TimedOut(self._too_slow()) from None
        except httpx.InvalidURL:
            # httpx reads a redirect's Location even when it does not follow it.
            raise _bad_redirect("the HTTP library cannot read it") from None
        except httpx.RemoteProtocolError as error:
            if str(error).startswith("Invalid URL in location header"):
                raise _bad_redirect("it has characters no address can have") from None
            raise FetchError(
                "The server closed the connection before the whole page arrived.",
                permanent=False,
            ) from None
        except httpx.DecodingError:
            raise FetchError("The server sent a body that could not be decompressed.") from None
        except httpx.TransportError as error:
            raise FetchError(
                f"Could not connect to {target.host}: {type(error).__name__}.", permanent=False
            ) from None
        except httpx.HTTPError as error:  # anything else the HTTP library raises
            raise FetchError(
                f"The page could not be fetched ({type(error).__name__}).", permanent=False
            ) from None

    def _too_large(self, size: int) -> str:
        return (
            f"The file is larger than the {size_words(self.max_bytes)} limit "
            f"({size_words(size)} or more), so it was not stored."
        )

    def _too_slow(self) -> str:
        return f"The server did not finish sending the page within {seconds_words(self.deadline)}."


def seconds_words(seconds: float) -> str:
    """A duration as an editor reads it: 1 second, 0.5 seconds, 60 seconds."""
    return f"{seconds:g} second" + ("" if seconds == 1 else "s")
