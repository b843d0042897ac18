"""Fetching a page over HTTP(S): a timeout, a size limit, a clear User-Agent, redirects."""

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
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise IngestError("only http:// and https:// addresses can be fetched.")
    return url


def fetch_url(url, *, timeout=None, max_bytes=None):
    """GET `url`, following up to MAX_REDIRECTS redirects; return `Fetched`.

    Raises `IngestError` with a message for the desk on HTTP errors, timeouts, pages larger
    than `max_bytes`, and content that is not a web page or text.
    """
    check_url(url)
    timeout = timeout if timeout is not None else ingest_setting("FETCH_TIMEOUT")
    max_bytes = max_bytes if max_bytes is not None else ingest_setting("MAX_BYTES")
    http = urllib3.PoolManager(
        headers={
            "User-Agent": ingest_setting("USER_AGENT"),
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
        },
        retries=urllib3.Retry(
            total=None,
            connect=0,
            read=0,
            status=0,
            other=0,
            redirect=ingest_setting("MAX_REDIRECTS"),
            raise_on_redirect=True,
            raise_on_status=False,
        ),
    )
    deadline = time.monotonic() + timeout
    try:
        response = http.request(
            "GET",
            url,
            preload_content=False,
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
        )
    except MaxRetryError as error:
        raise IngestError(_reason(error.reason)) from error
    except (TimeoutError, ReadTimeoutError) as error:
        raise IngestError(f"the server did not answer within {timeout} seconds.") from error
    except HTTPError as error:
        raise IngestError(f"could not fetch the page ({error}).") from error
    try:
        return _read(response, url, max_bytes, deadline, timeout)
    finally:
        response.release_conn()


def _read(response, url, max_bytes, deadline, timeout):
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
    return Fetched(url=urljoin(url, response.url or url), data=b"".join(chunks), content_type=mime,
                   charset=charset)


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
    if reason is not None and "redirect" in str(reason).lower():
        return f"too many redirects (more than {ingest_setting('MAX_REDIRECTS')})."
    return f"could not fetch the page ({reason})."
