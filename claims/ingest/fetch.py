"""Fetching a page over HTTP(S): a timeout, a size limit, a clear User-Agent, redirects."""

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import (
    HTTPError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
    TimeoutError,
)

from .config import human_size, ingest_setting
from .errors import IngestError

REDIRECTS = (301, 302, 303, 307, 308)
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass
class Fetched:
    """A page as fetched: the address it ended at (after redirects) and its bytes."""

    url: str
    data: bytes
    content_type: str
    charset: str | None


def check_url(url):
    """Refuse anything but an absolute http(s) address, before any network traffic."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise IngestError("only http:// and https:// addresses can be fetched.")
    return url


def check_public(url):
    """Refuse an address that resolves to a private, loopback or link-local network, unless
    ALLOW_PRIVATE_ADDRESSES is set."""
    if ingest_setting("ALLOW_PRIVATE_ADDRESSES"):
        return
    host = urlsplit(url).hostname
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError) as error:
        raise IngestError("could not find the server (its name does not resolve).") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise IngestError(
                "the address is on a private or local network; the desk fetches public pages only."
            )


def fetch_url(url, *, timeout=None, max_bytes=None):
    """GET `url`, following up to MAX_REDIRECTS redirects; return `Fetched`.

    Every address on the way (the first and each redirect) must be http(s) and, unless
    ALLOW_PRIVATE_ADDRESSES is set, public. Raises `IngestError` with a message for the desk
    on HTTP errors, timeouts, too many redirects, pages larger than `max_bytes`, and content
    that is not a web page or text.
    """
    timeout = timeout if timeout is not None else ingest_setting("FETCH_TIMEOUT")
    max_bytes = max_bytes if max_bytes is not None else ingest_setting("MAX_BYTES")
    max_redirects = ingest_setting("MAX_REDIRECTS")
    http = urllib3.PoolManager(
        headers={
            "User-Agent": ingest_setting("USER_AGENT"),
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
        },
        retries=False,
    )
    deadline = time.monotonic() + timeout
    current = url
    for _ in range(max_redirects + 1):
        check_url(current)
        check_public(current)
        try:
            response = http.request(
                "GET",
                current,
                preload_content=False,
                redirect=False,
                timeout=urllib3.Timeout(connect=timeout, read=timeout),
            )
        except MaxRetryError as error:
            raise IngestError(_reason(error.reason)) from error
        except HTTPError as error:
            raise IngestError(_reason(error)) from error
        location = response.headers.get("Location")
        if response.status in REDIRECTS and location:
            response.drain_conn()
            response.release_conn()
            current = urljoin(current, location)
            continue
        try:
            return _read(response, current, max_bytes, deadline, timeout)
        finally:
            response.release_conn()
    raise IngestError(f"too many redirects (more than {max_redirects}).")


def _read(response, url, max_bytes, deadline, timeout):
    """The body of a final (non-redirect) response, within the limits."""
    if response.status >= 400:
        raise IngestError(f"the server answered HTTP {response.status} {response.reason or ''}.")
    if response.status >= 300:
        raise IngestError(f"the server answered HTTP {response.status} without a usable redirect.")
    content_type = response.headers.get("Content-Type", "")
    mime = content_type.split(";")[0].strip().lower()
    if mime and mime not in ACCEPTED_TYPES:
        raise IngestError(f"the address gives {mime}, not a web page or text.")
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise IngestError(
            f"the page is too large ({human_size(int(length))}; the limit is "
            f"{human_size(max_bytes)})."
        )
    chunks, size = [], 0
    try:
        for chunk in response.stream(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise IngestError(
                    f"the page is too large (over {human_size(max_bytes)}, the limit)."
                )
            if time.monotonic() > deadline:
                raise IngestError(f"the page did not arrive within {timeout} seconds.")
            chunks.append(chunk)
    except (TimeoutError, ReadTimeoutError) as error:
        raise IngestError(f"the server stopped sending within {timeout} seconds.") from error
    except ProtocolError as error:
        raise IngestError(f"the connection broke off while reading the page ({error}).") from error
    charset = None
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"') or None
    return Fetched(url=url, data=b"".join(chunks), content_type=mime, charset=charset)


def _reason(reason):
    # NewConnectionError is a kind of ConnectTimeoutError in urllib3, so it comes first.
    if isinstance(reason, NameResolutionError):
        return "could not find the server (its name does not resolve)."
    if isinstance(reason, NewConnectionError):
        return "could not connect to the server."
    if isinstance(reason, TimeoutError | ReadTimeoutError):
        return "the server did not answer in time (timeout)."
    if isinstance(reason, SSLError):
        return "the secure connection failed (TLS certificate or handshake)."
    return f"could not fetch the page ({reason})."
