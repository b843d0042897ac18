"""The import service: one file, upload, pasted text or URL in, one article (or a reason) out.

The `import_articles` command and the admin's "Import article" page both call these
functions, so they behave the same and say the same things. Each article is written in one
transaction; an item that cannot be imported is reported as failed and leaves nothing behind.
The same URL or the same text (by content hash) is never imported twice: it is skipped, and
the outcome names the article already on the desk.
"""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat

from claims import dates, selectors, services
from claims.errors import DeskError
from claims.models import Article, Source

from . import candidates
from .config import ingest_setting
from .decode import decode_text, looks_like_html
from .errors import IngestError, OutletNeeded
from .fetch import check_url, fetch_url
from .html import extract_page
from .text import clean_text

IMPORTED, SKIPPED, FAILED = "imported", "skipped", "failed"


@dataclass
class ImportOutcome:
    """What became of one item: imported (with the article), skipped or failed, and why."""

    item: str
    status: str
    message: str
    article: Article | None = None
    notes: list[str] = field(default_factory=list)
    needs_outlet: bool = False  # failed only for want of its outlet: name it and import again

    def __str__(self):
        return f"{self.status} {self.item}: {self.message}"

    @property
    def ok(self):
        return self.status != FAILED

    @classmethod
    def failed(cls, item, error):
        """The outcome of an item refused with `error` (an IngestError)."""
        return cls(item, FAILED, error.message, needs_outlet=isinstance(error, OutletNeeded))


@dataclass
class Overrides:
    """What the person importing says about the article, which wins over what is found."""

    outlet: str | Source | None = None
    # An article needs its outlet: given, or told from the text or the page; without one it
    # is refused (OutletNeeded), so that no claim appears "in" an article without its outlet.
    require_outlet: bool = True
    headline: str = ""
    published_at: object = None
    language: str = ""
    url: str = ""


@dataclass
class _Parsed:
    headline: str
    body: str
    byline: str = ""
    published_at: object = None
    outlet_name: str = ""
    language: str = ""
    url: str = ""
    headline_derived: bool = False


# --- entry points --------------------------------------------------------------------------


def import_file(path, *, by=None, overrides=None):
    """Import a plain-text or saved HTML file from disk."""
    item = str(path)
    try:
        data = _read_file(Path(path))
        return _import_bytes(
            data, item=item, filename=item, imported_from=item, by=by, overrides=overrides
        )
    except IngestError as error:
        return ImportOutcome.failed(item, error)


def import_upload(upload, *, by=None, overrides=None):
    """Import an uploaded file (a Django `UploadedFile`)."""
    item = upload.name
    try:
        if upload.size > ingest_setting("MAX_BYTES"):
            raise _too_large(upload.size)
        data = b"".join(upload.chunks())
        return _import_bytes(
            data,
            item=item,
            filename=item,
            imported_from=f"upload: {item}",
            by=by,
            overrides=overrides,
        )
    except IngestError as error:
        return ImportOutcome.failed(item, error)


def import_pasted(text, *, by=None, overrides=None):
    """Import text pasted into the admin."""
    item = "pasted text"
    try:
        if len(text.encode("utf-8")) > ingest_setting("MAX_BYTES"):
            raise _too_large(len(text.encode("utf-8")))
        if not text.strip():
            raise IngestError("is empty.")
        return _import_text(
            text, item=item, filename="", imported_from="pasted", by=by, overrides=overrides
        )
    except IngestError as error:
        return ImportOutcome.failed(item, error)


def import_url(url, *, by=None, overrides=None):
    """Fetch `url` and import the page; skipped without fetching if the URL is on the desk."""
    url = url.strip()
    try:
        check_url(url)
        existing = _article_with_url(url)
        if existing:
            return _skipped(url, existing, "same URL")
        fetched = fetch_url(url)
        return _import_bytes(
            fetched.data,
            item=url,
            filename=urlsplit(fetched.url).path,
            imported_from=url,
            by=by,
            overrides=overrides,
            charset=fetched.charset,
            page_url=fetched.url,
            is_html=fetched.content_type != "text/plain",
        )
    except IngestError as error:
        return ImportOutcome.failed(url, error)


# --- steps ---------------------------------------------------------------------------------


def _read_file(path):
    try:
        if path.is_dir():
            raise IngestError("is a directory, not a file.")
        size = path.stat().st_size
        if size > ingest_setting("MAX_BYTES"):
            raise _too_large(size)
        with path.open("rb") as handle:
            return handle.read(ingest_setting("MAX_BYTES") + 1)
    except FileNotFoundError as error:
        raise IngestError("no such file.") from error
    except PermissionError as error:
        raise IngestError("cannot be read (permission denied).") from error
    except OSError as error:
        raise IngestError(f"cannot be read ({error.strerror or error}).") from error


def _too_large(size):
    limit = filesizeformat(ingest_setting("MAX_BYTES"))
    return IngestError(f"is too large ({filesizeformat(size)}; the limit is {limit}).")


def _import_bytes(
    data, *, item, filename, imported_from, by, overrides, charset=None, page_url="", is_html=None
):
    if len(data) > ingest_setting("MAX_BYTES"):
        raise _too_large(len(data))
    if not data.strip():
        raise IngestError("is empty.")
    text = decode_text(data, charset=charset)
    return _import_text(
        text,
        item=item,
        filename=filename,
        imported_from=imported_from,
        by=by,
        overrides=overrides,
        page_url=page_url,
        is_html=is_html,
    )


def _import_text(text, *, item, filename, imported_from, by, overrides, page_url="", is_html=None):
    overrides = overrides or Overrides()
    if is_html is None:
        is_html = looks_like_html(text, filename)
    if is_html:
        page = extract_page(text, url=page_url or None)
        parsed = _Parsed(**page.__dict__)
        if page_url:
            parsed.url = page_url
    else:
        cleaned = clean_text(text, headline=overrides.headline)
        if not cleaned.body:
            raise IngestError("has no article text left after cleaning.")
        parsed = _Parsed(
            headline=cleaned.headline,
            body=cleaned.body,
            byline=cleaned.byline,
            published_at=cleaned.published_at,
            headline_derived=cleaned.headline_derived,
            outlet_name=cleaned.outlet,
        )
    return save_article(
        parsed, raw_text=text, item=item, imported_from=imported_from, by=by, overrides=overrides
    )


def save_article(parsed, *, raw_text, item, imported_from, by, overrides):
    """Write the article, its candidate claims and a new outlet Source (if one is named and
    unknown) in one transaction. The spotter runs first, outside it."""
    url = (overrides.url or parsed.url or "").strip()
    headline = (overrides.headline or parsed.headline).strip()[:500]
    duplicate = _duplicate(url, parsed.body)
    if duplicate:
        return _skipped(item, *duplicate)
    notes = []
    published_at = overrides.published_at or _found_date(parsed.published_at, notes)
    spotted = candidates.spot(parsed.body)
    try:
        with transaction.atomic():
            outlet = _outlet(
                overrides.outlet, parsed, url, notes, by=by, require=overrides.require_outlet
            )
            article = Article(
                headline=headline,
                outlet=outlet,
                url=url,
                byline=parsed.byline[:300],
                published_at=published_at,
                language=(overrides.language or parsed.language or "en")[:16],
                body=parsed.body,
                raw_text=raw_text,
                imported_from=imported_from[:1000],
                imported_by=by,
            )
            article.full_clean(validate_constraints=False)
            services.record_save(obj=article, by=by, default_reason="imported")
            candidates.article_store_candidates(article=article, spotted=spotted)
    except ValidationError as error:
        raise IngestError(_validation_message(error)) from error
    except IngestError:
        raise
    except DeskError as error:  # who imports may not add articles or sources
        raise IngestError(error.message) from error
    except IntegrityError:
        # Someone imported the same article at the same moment.
        duplicate = _duplicate(url, parsed.body)
        if duplicate:
            return _skipped(item, *duplicate)
        raise
    if parsed.headline_derived and not overrides.headline:
        notes.append(
            "no headline line was found: the headline was made from the first sentence, check it"
        )
    if spotted.read_chars < len(article.body):
        notes.append(f"claims were spotted in the first {spotted.read_chars:,} characters only")
    found = len(spotted.candidates)
    claims = "1 candidate claim" if found == 1 else f"{found} candidate claims"
    message = f"imported as article #{article.pk} “{article.headline}” with {claims}"
    if notes:
        message += " (" + "; ".join(notes) + ")"
    return ImportOutcome(item, IMPORTED, message, article=article, notes=notes)


def _found_date(when, notes):
    """The publication date found in the article, unless it is one the desk does not accept
    (claims/dates.py): a misread line should not cost the reporter the article, so it is left
    empty with a note instead. A date the person importing gives is checked as given."""
    if when is None or dates.is_plausible(when):
        return when
    notes.append(
        f"the date found in it ({when:%Y-%m-%d}) is not one the desk accepts, so the "
        "publication date was left empty: check it"
    )
    return None


def _duplicate(url, body):
    """(article, why) if an article with this URL or this text is on the desk, else None."""
    if url:
        existing = _article_with_url(url)
        if existing:
            return existing, "same URL"
    existing = Article.objects.filter(content_hash=Article.hash_of(body)).first()
    if existing:
        return existing, "same text"
    return None


def _article_with_url(url):
    return Article.objects.filter(Q(url=url) | Q(imported_from=url)).first()


def _skipped(item, existing, why):
    return ImportOutcome(
        item,
        SKIPPED,
        f"already on the desk as article #{existing.pk} “{existing.headline}” ({why})",
        article=existing,
    )


def _source_at(url):
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if not host:
        return None
    for source in Source.objects.exclude(home_url="").only("pk", "home_url"):
        if (urlsplit(source.home_url).hostname or "").removeprefix("www.") == host:
            return source
    return None


def _outlet(given, parsed, url, notes, *, by, require=False):
    if isinstance(given, Source):
        return given
    name = (given or "").strip()
    if not name:
        found = _source_at(url) if url else None
        if found:
            return found
        name = parsed.outlet_name
        if name:
            notes.append(f"outlet “{name}” taken from the text")
    if not name and require:
        raise OutletNeeded(
            "needs its outlet: the text does not say which outlet published it (no credit such "
            "as “(AP) —” or “Reuters contributed”); name it and import it again."
        )
    if not name:
        return None
    found = selectors.source_named(name)
    if found:
        return found
    outlet = Source(name=name[:200], kind=Source.Kind.NEWS_OUTLET, home_url=_home(url))
    services.record_save(
        obj=outlet, by=by, default_reason="added as the outlet of an imported article"
    )
    notes.append(f"new outlet “{outlet.name}” added to sources")
    return outlet


def _home(url):
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else ""


def _validation_message(error):
    messages = []
    for field_name, errors in error.message_dict.items():
        label = field_name if field_name != "__all__" else ""
        messages.extend(f"{label}: {e}" if label else str(e) for e in errors)
    return "the article is not valid: " + "; ".join(messages)
