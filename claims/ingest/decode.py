"""Turning bytes into text, or a clear reason why they are not text."""

import codecs
import re

from .errors import IngestError

_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a ZIP archive (or a Word/Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Office document",
    b"{\\rtf": "an RTF document",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_text(data, *, charset=None):
    """The text in `data`: UTF-8 (or the declared `charset`), or `IngestError` saying why not.

    Refuses binary content (NUL bytes, known file signatures, many control characters), text
    that is not valid UTF-8, and empty content.
    """
    for signature, what in _SIGNATURES.items():
        if data.startswith(signature):
            raise IngestError(f"looks like {what}, not text or HTML.")
    if b"\x00" in data[:65536]:
        raise IngestError("looks like a binary file (it contains NUL bytes), not text or HTML.")
    encoding = _known_encoding(charset) or "utf-8"
    if encoding == "utf-8" and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        bad = data[error.start : error.start + 1].hex().upper()
        raise IngestError(
            f"is not {encoding.upper()} text (byte 0x{bad} at position {error.start} cannot be "
            f"read); save it as UTF-8 and try again."
        ) from error
    if len(_CONTROL.findall(text[:65536])) > max(8, len(text[:65536]) // 100):
        raise IngestError("looks like a binary file (many control characters), not text.")
    if not text.strip():
        raise IngestError("is empty.")
    return text


def _known_encoding(charset):
    if not charset:
        return None
    try:
        return codecs.lookup(charset).name.replace("utf_8", "utf-8")
    except LookupError:
        return None


def looks_like_html(text, filename=""):
    """A saved web page rather than plain text: by its name, or by its first tags."""
    if filename.lower().endswith((".html", ".htm", ".xhtml", ".shtml")):
        return True
    head = text.lstrip()[:2048].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")):
        return True
    return bool(re.search(r"<(?:head|body|article|meta)\b", head))
