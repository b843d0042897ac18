"""The text of a file as the desk would import it, without importing it."""

from pathlib import Path

from .decode import decode_text, looks_like_html
from .errors import IngestError
from .html import extract_page
from .importing import _read_file
from .text import clean_text


def article_text_of(path):
    """(headline, body) of a text or HTML file, cleaned exactly as `import_articles` would.

    Raises `IngestError` for a file that cannot be imported.
    """
    path = Path(path)
    text = decode_text(_read_file(path))
    if looks_like_html(text, path.name):
        page = extract_page(text)
        return page.headline, page.body
    cleaned = clean_text(text)
    if not cleaned.body:
        raise IngestError("has no article text left after cleaning.")
    return cleaned.headline, cleaned.body
