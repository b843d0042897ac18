"""Fuzzing the live API against its own OpenAPI schema with schemathesis.

Every operation gets schema-conforming (positive) and schema-violating (negative) requests,
as an anonymous consumer and as an editor, on the `desk` data. The API must never answer
with a 5xx; every response must be one the schema documents, of a documented media type,
with a body that matches the schema; schema-violating requests must be refused.

The number of examples per operation is small and fixed (and the generation derandomized)
so the run is repeatable and takes seconds, not minutes. `API_FUZZ_DEEP=1` adds
schemathesis's coverage phase (boundary values for every parameter), which takes minutes.
"""

import datetime
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from claims.models import Article, Evidence

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 6

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def wsgi_app_in_test_transaction():
    """The project's WSGI application, kept from closing the database connection at the end
    of each request (as Django's test client does), so every request sees the test data."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from newsroom.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def live_schema(desk, wsgi_app_in_test_transaction):
    # Times from before May 1924, when Kyiv kept local mean time (+02:02:04): every response
    # that carries them is checked against the schema's `date-time` (RFC 3339) too.
    old = datetime.datetime(1901, 5, 1, 10, tzinfo=datetime.UTC)
    Article.objects.filter(pk=desk.wire.pk).update(published_at=old)
    Evidence.objects.filter(pk=desk.imagery.pk).update(captured_at=old)
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", wsgi_app_in_test_transaction
    )
    schema.config.generation.update(
        modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE],
        max_examples=EXAMPLES_PER_OPERATION,
    )
    deep = os.environ.get("API_FUZZ_DEEP") == "1"
    phases = ["examples", "coverage", "fuzzing"] if deep else ["examples", "fuzzing"]
    schema.config.phases.update(phases=phases)
    return schema


schema = schemathesis.pytest.from_fixture("live_schema")

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_anonymous(case):
    # Anonymous reads may come from the reader cache gzipped; schemathesis calls the WSGI app
    # directly, with no HTTP client to decompress, so it asks for the plain bytes.
    case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_editor(case, editor):
    token, _ = Token.objects.get_or_create(user=editor)
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Token {token.key}"})
