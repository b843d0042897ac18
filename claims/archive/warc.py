"""A capture written as a WARC file (WARC/1.1, ISO 28500), the web archives' own format, with
warcio: a `warcinfo` record saying who made it, then a `request` and a `response` record for
each address fetched (the page first, then what its screenshot loaded), each with its
WARC-Date. Records are gzipped one by one (a `.warc.gz`), as web archives keep them, so any
WARC reader or replay tool (warcio, pywb, ReplayWeb.page) opens it.

The fetcher hands over bodies decoded, so a response record holds the body as the page's
reader got it: headers that describe only how the bytes travelled (Content-Encoding,
Transfer-Encoding) are left out and Content-Length is that of the bytes kept.
"""

import io
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from claims.ingest.config import ingest_setting
from claims.ingest.fetch import ACCEPT_HEADER, Fetched

DROPPED = {"content-encoding", "transfer-encoding", "content-length"}


@dataclass(frozen=True)
class Exchange:
    """One address fetched: what came back, and when."""

    fetched: Fetched
    at: datetime


def kept_headers(fetched):
    """The response's headers as the WARC keeps them (and the screenshot's browser gets
    them): without those of the transfer, with the length of the decoded body."""
    headers = [(name, value) for name, value in fetched.headers if name.lower() not in DROPPED]
    return [*headers, ("Content-Length", str(len(fetched.data)))]


def warc_bytes(exchanges, *, filename, description):
    """The WARC file of `exchanges` (the page first), as bytes."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="WARC/1.1")
    writer.write_record(
        writer.create_warcinfo_record(
            filename,
            {
                "software": "Claims desk (warcio)",
                "format": "WARC File Format 1.1",
                "http-header-user-agent": ingest_setting("USER_AGENT"),
                "description": description,
            },
        )
    )
    for exchange in exchanges:
        request, response = _records(writer, exchange)
        writer.write_request_response_pair(request, response)
    return buffer.getvalue()


def _records(writer, exchange):
    fetched = exchange.fetched
    date = {"WARC-Date": datetime_to_iso_date(exchange.at, use_micros=True)}
    parts = urlsplit(fetched.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_headers = StatusAndHeaders(
        f"GET {target} HTTP/1.1",
        [
            ("Host", parts.netloc),
            ("User-Agent", ingest_setting("USER_AGENT")),
            ("Accept", ACCEPT_HEADER),
        ],
        is_http_request=True,
    )
    request = writer.create_warc_record(
        fetched.url, "request", http_headers=request_headers, warc_headers_dict=dict(date)
    )
    response_headers = StatusAndHeaders(
        f"{fetched.status} {fetched.reason}".strip(), kept_headers(fetched), protocol="HTTP/1.1"
    )
    response = writer.create_warc_record(
        fetched.url,
        "response",
        payload=io.BytesIO(fetched.data),
        length=len(fetched.data),
        http_headers=response_headers,
        warc_headers_dict=dict(date),
    )
    return request, response
