"""Evidence files: which kinds the desk keeps, told by their bytes, and the names they get.

An uploaded file is hostile until its bytes say otherwise. Its name and the type the browser
sent prove nothing: a page of script renamed `frame.jpg` is still a page of script. So the
kind is read from the file's first bytes (the `filetype` package's signatures) for binary
formats, and from its text for plain text, CSV and JSON; anything not on the allow-list
below is refused, with a message that says what it looked like. Web pages, SVG and XML are
refused even when they arrive as "text": a browser would run their script.

What passes is stored under a random name (`evidence_storage_name`), and served only by
`claims.site.files`, which checks who may see it and sends it with headers that keep a
browser from running it whatever it holds.
"""

import codecs
import json
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.deconstruct import deconstructible

SIGNATURE_BYTES = 8192  # what filetype reads; enough for every signature it knows
MARKUP_SNIFF_BYTES = 1024  # how far a browser looks for tags when it sniffs a type
JSON_PARSE_LIMIT = 20 * 1024 * 1024  # larger "JSON" is kept as plain text, not parsed
CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileKind:
    media_type: str
    label: str
    extension: str
    # Shown in the browser rather than downloaded: the image formats browsers draw, which
    # carry no script. Everything else is sent as an attachment, PDF included: a PDF can
    # carry script for its viewer, and Chromium's viewer does not open one under the
    # sandboxing policy every file is sent with (claims/site/files.py) anyway.
    inline: bool = False


def _kinds(*kinds):
    return {kind.media_type: kind for kind in kinds}


# The kinds a newsroom keeps as evidence. Media types are those `filetype` reports.
ALLOWED_KINDS = _kinds(
    FileKind("image/jpeg", "JPEG image", ".jpg", inline=True),
    FileKind("image/png", "PNG image", ".png", inline=True),
    FileKind("image/gif", "GIF image", ".gif", inline=True),
    FileKind("image/webp", "WebP image", ".webp", inline=True),
    FileKind("image/avif", "AVIF image", ".avif", inline=True),
    FileKind("image/heic", "HEIC image", ".heic"),
    FileKind("image/tiff", "TIFF image", ".tif"),
    FileKind("image/bmp", "BMP image", ".bmp"),
    FileKind("application/pdf", "PDF document", ".pdf"),
    FileKind("video/mp4", "MP4 video", ".mp4"),
    FileKind("video/x-m4v", "M4V video", ".m4v"),
    FileKind("video/quicktime", "QuickTime video", ".mov"),
    FileKind("video/webm", "WebM video", ".webm"),
    FileKind("video/x-matroska", "Matroska video", ".mkv"),
    FileKind("video/x-msvideo", "AVI video", ".avi"),
    FileKind("video/mpeg", "MPEG video", ".mpg"),
    FileKind("video/3gpp", "3GP video", ".3gp"),
    FileKind("video/x-ms-wmv", "WMV video", ".wmv"),
    FileKind("audio/mpeg", "MP3 audio", ".mp3"),
    FileKind("audio/mp4", "M4A audio", ".m4a"),
    FileKind("audio/aac", "AAC audio", ".aac"),
    FileKind("audio/ogg", "Ogg audio", ".ogg"),
    FileKind("audio/x-flac", "FLAC audio", ".flac"),
    FileKind("audio/x-wav", "WAV audio", ".wav"),
    FileKind("audio/amr", "AMR audio", ".amr"),
    FileKind("text/plain", "plain text", ".txt"),
    FileKind("text/csv", "CSV table", ".csv"),
    FileKind("application/json", "JSON data", ".json"),
    FileKind("application/msword", "Word document", ".doc"),
    FileKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word document",
        ".docx",
    ),
    FileKind("application/vnd.ms-excel", "Excel spreadsheet", ".xls"),
    FileKind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel spreadsheet",
        ".xlsx",
    ),
    FileKind("application/vnd.ms-powerpoint", "PowerPoint presentation", ".ppt"),
    FileKind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint presentation",
        ".pptx",
    ),
    FileKind("application/vnd.oasis.opendocument.text", "OpenDocument text", ".odt"),
    FileKind("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet", ".ods"),
    FileKind(
        "application/vnd.oasis.opendocument.presentation", "OpenDocument presentation", ".odp"
    ),
    FileKind("application/rtf", "Rich Text document", ".rtf"),
)

# What a file whose stored type is unknown or no longer allowed is sent as: bytes to save.
OPAQUE = FileKind("application/octet-stream", "file", "")

# The desk's own copies of evidence pages (claims.archive): a web archive file, always a
# download, and a screenshot, shown as the image it is. Made by the desk, never uploaded.
WARC = FileKind("application/warc", "web archive (WARC)", ".warc.gz")
SCREENSHOT = ALLOWED_KINDS["image/png"]
# The folder they are stored in, apart from uploads (evidence/): the file view looks a name
# under it up among the captures.
ARCHIVE_FOLDER = "archive/"

KINDS_FOR_PEOPLE = (
    "images (JPEG, PNG, GIF, WebP, AVIF, HEIC, TIFF), PDF, video (MP4, MOV, WebM, MKV, AVI), "
    "audio (MP3, M4A, Ogg, FLAC, WAV), plain text, CSV, JSON and office documents "
    "(Word, Excel, PowerPoint, OpenDocument, RTF)"
)

_PROGRAM_TYPES = {
    "application/x-executable",
    "application/x-msdownload",
    "application/x-deb",
    "application/x-rpm",
    "application/wasm",
    "application/x-shockwave-flash",
    "application/x-google-chrome-extension",
}

# The start of a document a browser would render as a page: HTML, SVG, XML, or the tags
# browsers look for when they sniff (WHATWG MIME Sniffing, "rules for identifying an
# unknown MIME type").
_MARKUP = re.compile(
    rb"<\s*(?:!doctype|!--|\?xml|html|head|body|script|iframe|svg|math|object|embed|meta|"
    rb"link|style|title|img|form|base|frameset|table|div|font|br|p|a|b|h1)[\s/>]",
    re.IGNORECASE,
)


# Control characters (C0 and C1) other than tab, line feed, page break and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def max_upload_bytes():
    return settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    """A file the desk serves (`claims.site.files`): its stored bytes (a FieldFile), the kind
    it is sent as, the name it is downloaded under and the SHA-256 of its bytes."""

    file: object
    kind: FileKind
    name: str
    sha256: str


def kind_of(media_type):
    """The allowed kind with this media type, or OPAQUE."""
    return ALLOWED_KINDS.get(media_type, OPAQUE)


def detect_kind(file, *, name=""):
    """The allowed kind of `file` (a Django File or any binary file object), by its bytes.

    Raises ValidationError, saying what the file looked like, when it is not a kind the desk
    keeps. The file is left at its start.
    """
    file.seek(0)
    head = file.read(SIGNATURE_BYTES)
    file.seek(0)
    if not head:
        raise ValidationError("The file is empty.", code="empty_file")
    found = filetype.guess(head)
    if found is not None:
        if found.mime in ALLOWED_KINDS:
            return ALLOWED_KINDS[found.mime]
        if found.mime in _PROGRAM_TYPES:
            raise ValidationError(
                "This file is a program (%(type)s). The desk does not keep programs as evidence.",
                code="program_file",
                params={"type": found.mime},
            )
        raise ValidationError(
            "This file's type is %(type)s, which the desk does not keep as evidence. It keeps "
            "%(kinds)s.",
            code="file_kind_refused",
            params={"type": found.mime, "kinds": KINDS_FOR_PEOPLE},
        )
    return _text_kind(file, head, name)


def _text_kind(file, head, name):
    stripped = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if stripped.startswith(b"<") or _MARKUP.search(head[:MARKUP_SNIFF_BYTES]):
        raise ValidationError(
            "This file is a web page, SVG image or XML document. The desk does not keep "
            "these as evidence files, because a browser would run any script they carry: "
            "save the page as PDF or a screenshot, or give its address as the evidence link.",
            code="markup_file",
        )
    if stripped.startswith(b"#!"):
        raise ValidationError(
            "This file is a script. The desk does not keep programs as evidence.",
            code="program_file",
        )
    if not _is_text(file):
        raise ValidationError(
            "The desk could not tell what kind of file this is, so it is refused. It keeps "
            "%(kinds)s.",
            code="file_kind_unknown",
            params={"kinds": KINDS_FOR_PEOPLE},
        )
    if stripped[:1] in (b"{", b"[") and _is_json(file):
        return ALLOWED_KINDS["application/json"]
    if PurePath(name).suffix.lower() in (".csv", ".tsv"):
        return ALLOWED_KINDS["text/csv"]
    return ALLOWED_KINDS["text/plain"]


def _is_text(file):
    """UTF-8 throughout, with no control characters but tabs, line and page breaks."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    file.seek(0)
    try:
        for chunk in iter(lambda: file.read(CHUNK), b""):
            if _CONTROL.search(decoder.decode(chunk)):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(0)
    return True


def _is_json(file):
    if file.size > JSON_PARSE_LIMIT:
        return False
    file.seek(0)
    try:
        json.loads(file.read().decode("utf-8-sig"))
    except ValueError:
        return False
    finally:
        file.seek(0)
    return True


def validate_evidence_upload(value):
    """Model field validator: a new upload must be small enough and of an allowed kind.

    Returns its kind. A file already stored (an edit that does not replace it) passes.
    """
    if not value or getattr(value, "_committed", False):
        return None
    if value.size > max_upload_bytes():
        raise ValidationError(
            "This file is %(size)s; the desk keeps evidence files of up to %(limit)s. Link to "
            "the original, or upload a shorter clip or a smaller copy.",
            code="file_too_large",
            params={
                "size": filesizeformat(value.size),
                "limit": filesizeformat(max_upload_bytes()),
            },
        )
    return detect_kind(value, name=value.name)


def display_name(name):
    """The uploader's file name, for display only: no folders, no control characters."""
    base = PurePath(str(name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if len(base) > 255:
        suffix = PurePath(base).suffix[:20]
        base = base[: 255 - len(suffix)] + suffix
    return base or "file"


def evidence_storage_name(media_type):
    """A random, unguessable name under evidence/, with the extension of its detected kind."""
    return f"evidence/{secrets.token_hex(16)}{kind_of(media_type).extension}"


def archive_storage_name(kind):
    """A random, unguessable name under archive/ for a capture's file of `kind`."""
    return f"{ARCHIVE_FOLDER}{secrets.token_hex(16)}{kind.extension}"


@deconstructible(path="claims.files.EvidenceFileStorage")
class EvidenceFileStorage(FileSystemStorage):
    """MEDIA_ROOT, whose files' addresses lead to the app's guarded view
    (`claims.site.files`), never to the folder itself: whatever shows a file's `.url` (the
    admin's file widget, the API, a page) links to a check of who may see it."""

    def url(self, name):
        return reverse("site:evidence-file", kwargs={"name": name})
