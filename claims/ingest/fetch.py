"""Fetching a page over HTTP(S): one deadline, a size limit, a clear User-Agent, redirects,
and a connection only to an address that was checked.

Two rules hold for every address fetched, the first and each redirect:

- **One deadline for the whole fetch** (FETCH_TIMEOUT): looking the name up, connecting, the
  TLS handshake, the headers and every read of the body all come out of it. The name is
  looked up in a thread the fetch stops waiting for; once connected, a timer shuts the
  connection down when the time is up, wherever the fetch is then waiting, so a server that
  sends a byte a second cannot hold a worker.
- **The address connected to is the one checked.** The name is looked up once; every
  address it gives must be public (`is_public_address`), and the connection goes to those
  addresses and no others, so a name that answers a public address to the check and
  127.0.0.1 to the connection (DNS rebinding) cannot reach the desk's own network. The Host
  header, TLS server name and certificate check stay those of the name in the URL.
"""

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.template.defaultfilters import filesizeformat
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.exceptions import TimeoutError as Urllib3Timeout
from urllib3.util import parse_url

from .config import ingest_setting
from .errors import IngestError

REDIRECTS = (301, 302, 303, 307, 308)
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
ACCEPT_HEADER = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"

# Special-purpose ranges that Python's `ipaddress` calls global on some of the versions the
# desk runs on (3.11 does for all of these): they lead to other networks through a gateway.
_NOT_PUBLIC = tuple(
    ipaddress.ip_network(network)
    for network in (
        "64:ff9b::/96",  # NAT64 (RFC 6052): 64:ff9b::7f00:1 is 127.0.0.1 behind a NAT64 gateway
        "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215)
        "2002::/16",  # 6to4 (RFC 3056): an IPv4 address inside
        "2001::/32",  # Teredo (RFC 4380)
        "3fff::/20",  # documentation (RFC 9637)
    )
)


@dataclass
class Fetched:
    """A page as fetched: the address it ended at (after redirects) and its bytes; the
    response's status and headers as the server sent them (the body is decoded, whatever
    its Content-Encoding said)."""

    url: str
    data: bytes
    content_type: str
    charset: str | None
    status: int = 200
    reason: str = "OK"
    headers: tuple[tuple[str, str], ...] = ()


def check_url(url):
    """Refuse anything but an absolute http(s) address, before any network traffic."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise IngestError("only http:// and https:// addresses can be fetched.")
    return url


def is_public_address(address):
    """Whether the desk may fetch from `address` (an `ipaddress` address).

    Public means global in `ipaddress`'s terms (no private, loopback, link-local, shared,
    documentation, benchmarking or other special-purpose range), not multicast or reserved,
    and in none of the gateway ranges above; an IPv4-mapped IPv6 address is judged by the
    IPv4 address inside. Networks listed in ALLOW_PRIVATE_ADDRESSES are allowed too (all of
    them when it is True).
    """
    allowed = ingest_setting("ALLOW_PRIVATE_ADDRESSES")
    if allowed is True:
        return True
    if allowed and any(address in ipaddress.ip_network(network) for network in allowed):
        return True
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address.is_global
        and not address.is_multicast
        and not address.is_reserved
        and not any(address in network for network in _NOT_PUBLIC)
    )


def fetch_url(url, *, timeout=None, max_bytes=None, accept=ACCEPTED_TYPES):
    """GET `url`, following up to MAX_REDIRECTS redirects; return `Fetched`.

    Every address on the way (the first and each redirect) must be http(s) and resolve to
    public addresses only (see the module's docstring), and the whole fetch must end within
    `timeout` seconds (FETCH_TIMEOUT). Raises `IngestError` with a message for the desk on
    HTTP errors, timeouts, too many redirects, pages larger than `max_bytes`, and content
    whose type is not one of `accept` (a web page or text; None takes any type).
    """
    timeout = timeout if timeout is not None else ingest_setting("FETCH_TIMEOUT")
    max_bytes = max_bytes if max_bytes is not None else ingest_setting("MAX_BYTES")
    max_redirects = ingest_setting("MAX_REDIRECTS")
    deadline = _Deadline(timeout)
    pools = []
    try:
        current = url
        for _ in range(max_redirects + 1):
            check_url(current)
            pools.append(_pool_for(current, deadline))
            response = _get(pools[-1], current, deadline)
            location = response.headers.get("Location")
            if response.status in REDIRECTS and location:
                response.release_conn()  # unread: the connection is closed with its pool
                current = urljoin(current, location)
                continue
            try:
                fetched = _read(response, current, max_bytes, deadline, accept)
            finally:
                response.release_conn()
            deadline.check()  # a body cut short by the deadline is not a page
            return fetched
        raise IngestError(f"too many redirects (more than {max_redirects}).")
    finally:
        for pool in pools:
            pool.close()
        deadline.close()


def _pool_for(url, deadline):
    """A connection pool for `url`'s host that connects only to its checked addresses."""
    parts = parse_url(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = _public_addresses(parts.host, port, deadline)
    pool_class = _CheckedHTTPSPool if parts.scheme == "https" else _CheckedHTTPPool
    return pool_class(
        parts.host,
        port,
        maxsize=1,
        retries=False,
        headers={
            "User-Agent": ingest_setting("USER_AGENT"),
            "Accept": ACCEPT_HEADER,
        },
        addresses=addresses,
        deadline=deadline,
    )


def _get(pool, url, deadline):
    """The response to a GET of `url` (its body not yet read)."""
    each = min(deadline.seconds, deadline.remaining())
    try:
        return pool.urlopen(
            "GET",
            parse_url(url).request_uri,
            redirect=False,
            preload_content=False,
            timeout=urllib3.Timeout(connect=each, read=each),
        )
    except MaxRetryError as error:
        raise IngestError(_reason(error.reason, deadline)) from error
    except (HTTPError, OSError) as error:
        raise IngestError(_reason(error, deadline)) from error


def _public_addresses(host, port, deadline):
    """Every address `host` resolves to, looked up once within the deadline, each of them
    public; as (family, socket address) pairs to connect to."""
    host = host.strip("[]")
    found = {}

    def look_up():
        try:
            found["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            found["error"] = error

    lookup = threading.Thread(target=look_up, daemon=True)
    lookup.start()
    lookup.join(deadline.remaining())
    if lookup.is_alive():
        raise IngestError("the server's name could not be looked up in time (timeout).")
    if "error" in found or not found.get("infos"):
        raise IngestError("could not find the server (its name does not resolve).")
    addresses = []
    for family, _, _, _, sockaddr in found["infos"]:
        if not is_public_address(ipaddress.ip_address(sockaddr[0].split("%")[0])):
            raise IngestError(
                "the address is on a private or local network; the desk fetches public pages only."
            )
        if (family, sockaddr) not in addresses:
            addresses.append((family, sockaddr))
    return addresses


class _Deadline:
    """The time a whole fetch may take, and a watch on its connections that shuts each one
    down when that time is up."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.passed = False
        self._lock = threading.Lock()
        self._watches = []  # (timer, a duplicate of the connection's socket)

    def remaining(self):
        """Seconds left; IngestError when there are none."""
        left = self.ends - time.monotonic()
        if left <= 0:
            self.passed = True
            raise self.error()
        return left

    def check(self):
        if self.passed or time.monotonic() >= self.ends:
            self.passed = True
            raise self.error()

    def error(self):
        return IngestError(f"the page did not arrive within {self.seconds:g} seconds.")

    def error_if_passed(self):
        """The deadline's error if it has passed (what else went wrong followed from it)."""
        if self.passed or time.monotonic() >= self.ends:
            self.passed = True
            return self.error()
        return None

    def watch(self, sock):
        """Shut `sock`'s connection down when the deadline passes. A duplicate of the socket
        is kept for that: TLS takes the original over."""
        duplicate = sock.dup()
        timer = threading.Timer(max(self.ends - time.monotonic(), 0), self._cut, (duplicate,))
        timer.daemon = True
        with self._lock:
            self._watches.append((timer, duplicate))
        timer.start()

    def _cut(self, duplicate):
        with self._lock:
            self.passed = True
            if duplicate.fileno() != -1:
                try:
                    duplicate.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # already closed by the other side

    def close(self):
        with self._lock:
            for timer, duplicate in self._watches:
                timer.cancel()
                duplicate.close()
            self._watches.clear()


class _CheckedAddressMixin:
    """A urllib3 connection that connects to the addresses the fetch checked, not to what
    its host name resolves to now; everything else (Host header, TLS server name and
    certificate check on the host name) is urllib3's own."""

    def __init__(self, *args, addresses, deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self._checked_addresses = addresses
        self._deadline = deadline

    def _new_conn(self):
        # urllib3's hook for opening the socket (it would look the name up again here).
        # tests/ingest/test_fetch_limits.py fails if urllib3 stops calling it.
        failure = None
        for family, sockaddr in self._checked_addresses:
            connect_timeout = self._deadline.remaining()
            if isinstance(self.timeout, int | float):
                connect_timeout = min(connect_timeout, self.timeout)
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                for option in self.socket_options or ():
                    sock.setsockopt(*option)
                sock.settimeout(connect_timeout)
                sock.connect(sockaddr)
            except TimeoutError as error:  # socket.timeout
                sock.close()
                failure = ConnectTimeoutError(self, f"Connection to {self.host} timed out.")
                failure.__cause__ = error
                continue
            except OSError as error:
                sock.close()
                failure = NewConnectionError(self, f"Failed to establish a new connection: {error}")
                failure.__cause__ = error
                continue
            self._deadline.watch(sock)
            return sock
        raise failure


class _CheckedHTTPConnection(_CheckedAddressMixin, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedAddressMixin, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


def _read(response, url, max_bytes, deadline, accept=ACCEPTED_TYPES):
    """The body of a final (non-redirect) response, within the limits."""
    if response.status >= 400:
        raise IngestError(f"the server answered HTTP {response.status} {response.reason or ''}.")
    if response.status >= 300:
        raise IngestError(f"the server answered HTTP {response.status} without a usable redirect.")
    content_type = response.headers.get("Content-Type", "")
    mime = content_type.split(";")[0].strip().lower()
    if mime and accept is not None and mime not in accept:
        raise IngestError(f"the address gives {mime}, not a web page or text.")
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise IngestError(
            f"the page is too large ({filesizeformat(int(length))}; the limit is "
            f"{filesizeformat(max_bytes)})."
        )
    chunks, size = [], 0
    try:
        for chunk in response.stream(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise IngestError(
                    f"the page is too large (over {filesizeformat(max_bytes)}, the limit)."
                )
            deadline.check()
            chunks.append(chunk)
    except (Urllib3Timeout, ReadTimeoutError) as error:
        raise deadline.error_if_passed() or IngestError(
            f"the server stopped sending within {deadline.seconds:g} seconds."
        ) from error
    except (ProtocolError, OSError) as error:
        raise deadline.error_if_passed() or IngestError(
            f"the connection broke off while reading the page ({error})."
        ) from error
    charset = None
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"') or None
    return Fetched(
        url=url,
        data=b"".join(chunks),
        content_type=mime,
        charset=charset,
        status=response.status,
        reason=response.reason or "",
        headers=tuple(response.headers.items()),
    )


def _reason(reason, deadline):
    """Why a request failed before its body: connecting, the TLS handshake, the headers.
    Whatever broke once the deadline had passed (the watch shut the connection) is a
    timeout."""
    # NewConnectionError is a kind of ConnectTimeoutError in urllib3, so it comes first.
    if isinstance(reason, NameResolutionError):
        return "could not find the server (its name does not resolve)."
    if isinstance(reason, NewConnectionError) and not deadline.error_if_passed():
        return "could not connect to the server."
    if isinstance(reason, Urllib3Timeout | ReadTimeoutError | NewConnectionError) or (
        deadline.error_if_passed()
    ):
        return "the server did not answer in time (timeout)."
    if isinstance(reason, SSLError):
        return "the secure connection failed (TLS certificate or handshake)."
    return f"could not fetch the page ({reason})."
