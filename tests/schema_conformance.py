"""Every API response a test receives is checked against the published OpenAPI schema, as
a generated client would check it (openapi-core).

`tests/api/conftest.py` switches this on for every test there: each response from
`/api/v1/…` that the schema describes (a JSON body, any status) is validated when the test
ends, and one that does not match fails the test, naming the operation and the field. A
response the schema cannot describe by design (the browsable API's HTML, a 304's empty body,
an address under /api/ that names nothing) is skipped.
"""

import gzip
import json
from functools import lru_cache
from urllib.parse import urlsplit

from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

API_PREFIX = "/api/v1/"
DESCRIBED_TYPES = ("application/json", "application/ld+json", "application/problem+json")


@lru_cache(maxsize=1)
def published_schema():
    """The schema as /api/schema/ serves it, loaded once per test process."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


@lru_cache(maxsize=1)
def openapi():
    json_media = {media_type: json.loads for media_type in DESCRIBED_TYPES}
    config = Config(extra_media_type_deserializers=json_media)
    return OpenAPI.from_dict(published_schema(), config=config)


class _Request:
    def __init__(self, wsgi_request):
        self.method = wsgi_request.method.lower()
        self.host_url = f"{wsgi_request.scheme}://{wsgi_request.get_host()}"
        self.path = wsgi_request.path
        self.full_url_pattern = self.host_url + self.path
        self.body = b""
        self.content_type = wsgi_request.META.get("CONTENT_TYPE", "")
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(wsgi_request.GET.lists()),
            header=Headers(wsgi_request.headers.items()),
            cookie=ImmutableMultiDict(wsgi_request.COOKIES),
        )


class _Response:
    def __init__(self, response):
        self.status_code = response.status_code
        self.content_type = response.get("Content-Type", "")
        self.headers = Headers(response.headers.items())
        self.data = response.content
        if response.get("Content-Encoding") == "gzip":
            self.data = gzip.decompress(self.data)


def is_described(response):
    """Is `response` one the schema means to describe?"""
    request = getattr(response, "wsgi_request", None)
    if request is None or not request.path.startswith(API_PREFIX):
        return False
    if response.status_code in (204, 304) or response.streaming:
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return content_type in DESCRIBED_TYPES


def mismatch(response):
    """What in `response` the schema does not allow, or None; None too for an address the
    schema has no operation for (the catch-all 404 and 405s)."""
    from openapi_core.templating.paths.exceptions import PathError

    request = _Request(response.wsgi_request)
    try:
        openapi().validate_response(request, _Response(response))
    except PathError:
        return None
    except Exception as error:  # every validation error openapi-core raises
        detail = "; ".join(str(cause) for cause in _causes(error)) or str(error)
        where = urlsplit(request.full_url_pattern).path
        return f"{request.method.upper()} {where} → {response.status_code}: {detail}"
    return None


def _causes(error):
    seen = getattr(error, "schema_errors", None) or []
    for cause in seen:
        yield f"{'/'.join(map(str, cause.absolute_path))}: {cause.message}"
    if error.__cause__ is not None and error.__cause__ is not error:
        yield from _causes(error.__cause__)
