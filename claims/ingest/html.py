"""A web page's headline, byline, publish date, outlet and body, extracted with trafilatura."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import trafilatura
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .errors import IngestError
from .text import clean_text, parse_when


@dataclass
class ExtractedPage:
    headline: str
    body: str
    byline: str = ""
    published_at: datetime | None = None
    outlet_name: str = ""
    language: str = ""
    url: str = ""
    headline_derived: bool = False


def extract_page(html, *, url=None):
    """Take the story out of a web page; `IngestError` when the page has none.

    trafilatura finds the main text and the metadata (title, author, date, site name,
    language, canonical address); the text then goes through the same cleaner as pasted text
    so captions, datelines and trailing boilerplate are dropped the same way.
    """
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            deduplicate=False,
            date_extraction_params={
                "extensive_search": True,
                "original_date": True,
                "outputformat": "%Y-%m-%dT%H:%M:%S%z",
            },
        )
    except Exception as error:  # trafilatura wraps lxml; a broken page must not stop a batch
        raise IngestError(f"the page could not be read as HTML ({error}).") from error
    if document is None or not (document.text or "").strip():
        raise IngestError("no article text was found in the page.")
    # trafilatura gives one paragraph per line.
    text = (document.text or "").replace("\n", "\n\n")
    cleaned = clean_text(text, headline=document.title or "")
    if not cleaned.body:
        raise IngestError("no article text was left in the page after cleaning.")
    return ExtractedPage(
        headline=cleaned.headline,
        body=cleaned.body,
        byline=(document.author or cleaned.byline or "").replace(";", ",")[:300],
        published_at=_when(document.date) or cleaned.published_at,
        outlet_name=(document.sitename or document.hostname or _host(url) or "").strip(),
        language=(document.language or "")[:16],
        url=document.url or url or "",
        headline_derived=cleaned.headline_derived,
    )


def _when(value):
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        return parse_when(value)
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _host(url):
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")
