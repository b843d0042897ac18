"""The API's request bodies: JSON, as DRF reads it, without lone surrogates.

JSON may write half of a UTF-16 pair on its own (`"\\ud800"`), which Python reads as a string
no UTF-8 can carry: stored, it would fail in the database or in every page that shows it, and
a refusal that quoted it failed as it was written out (a 500 for a 400). So a body holding one
is refused as unreadable, before anything reads it.
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _lone_surrogate(data):
    """Whether any string in `data` (keys included) holds half of a UTF-16 pair."""
    if isinstance(data, str):
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(data, dict):
        return any(_lone_surrogate(k) or _lone_surrogate(v) for k, v in data.items())
    if isinstance(data, list):
        return any(_lone_surrogate(item) for item in data)
    return False


class DeskJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if _lone_surrogate(data):
            raise ParseError("JSON parse error - a string holds half of a UTF-16 surrogate pair.")
        return data
