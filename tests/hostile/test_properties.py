"""Property tests (hypothesis) of the API's writable serializers and the Markdown renderer.

- Any JSON-like body, given to any writable serializer of the API (found from its router),
  ends in a verdict, never in an exception: `is_valid()` is True or False, and the errors are
  ValidationErrors.
- A valid body with arbitrary text in the serializer's text fields saves, and the database
  then holds the text as it was sent (less the surrounding whitespace DRF trims).
- The Markdown renderer never raises, and what it renders has no script, no event handler
  and no link other than http(s) or mailto, whatever the text.

The example counts are fixed and generation is derandomized, so the run is repeatable and
takes seconds (`EXAMPLES`, below).
"""

import pytest
from django.db import models, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from claims.api.urls import router
from claims.api.views import ReadWriteViewSet
from claims.site.markdown import markdown_to_text, render_markdown

from .. import factories
from ..site.helpers import _ActiveContentFinder

EXAMPLES = {"markdown": 200, "any body": 25, "round trip": 15}

SERIALIZERS = {
    prefix: viewset.serializer_class
    for prefix, viewset, _ in router.registry
    if issubclass(viewset, ReadWriteViewSet)
}

HYPOTHESIS = dict(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- Markdown ----------------------------------------------------------------------------

FRAGMENTS = [
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:",
    "JaVaScRiPt:",
    "data:text/html,",
    "vbscript:",
    "[a](",
    "](",
    ")",
    "![i](",
    "<",
    ">",
    '"',
    "'",
    "`",
    "```",
    "*",
    "_",
    "#",
    "\n",
    "\n\n",
    "> ",
    "|",
    "-",
    "&#",
    "&lt;",
    " onmouseover=",
    "<a href=",
    "<svg/onload=",
    "\x00",
    "\u202e",
    "Торецьк",
    "🇺🇦",
    "[x]: ",
    "<javascript:alert(1)>",
    "%0a",
    "\\",
]
markdown_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map(
        "".join
    ),
)


@settings(max_examples=EXAMPLES["markdown"], **HYPOTHESIS)
@given(markdown_text)
def test_markdown_never_raises_and_never_renders_active_content(text):
    html = render_markdown(text)
    finder = _ActiveContentFinder(set())
    finder.feed(str(html))
    finder.close()
    assert finder.problems == [], (text, str(html))
    assert "<script" not in html.lower()
    markdown_to_text(text)  # plain text for snippets: never raises either


# --- serializers -------------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=50),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)


def _request(user):
    request = Request(APIRequestFactory().get("/api/v1/"))
    request.user = user
    return request


def any_body(serializer_class):
    names = sorted(serializer_class().fields)
    return st.dictionaries(
        st.one_of(st.sampled_from(names), st.text(max_size=10)), json_values, max_size=8
    )


@pytest.mark.django_db
@pytest.mark.parametrize("resource", sorted(SERIALIZERS))
def test_any_body_is_valid_or_refused_never_an_error(resource, editor):
    serializer_class = SERIALIZERS[resource]
    context = {"request": _request(editor), "desk": True}

    @settings(max_examples=EXAMPLES["any body"], **HYPOTHESIS)
    @given(any_body(serializer_class))
    def check(body):
        with transaction.atomic():
            serializer = serializer_class(data=body, context=context)
            if not serializer.is_valid():
                assert serializer.errors
            transaction.set_rollback(True)

    check()


def _text_fields(serializer_class):
    """Writable text fields of the serializer's model: (name, max_length)."""
    model = serializer_class.Meta.model
    fields = serializer_class().fields
    for name, field in fields.items():
        if field.read_only or name not in {f.name for f in model._meta.concrete_fields}:
            continue
        model_field = model._meta.get_field(name)
        if isinstance(model_field, models.SlugField | models.URLField) or model_field.choices:
            continue
        if isinstance(model_field, models.CharField | models.TextField):
            yield name, model_field.max_length or 2000


def valid_body(resource, world):
    return {
        "sources": {"name": "S", "kind": "other", "affiliation": "other"},
        "articles": {"headline": "H", "body": "B"},
        "places": {"name": "P"},
        "claims": {
            "statement": "S",
            "quote": "Q",
            "claimant_id": world["source"].pk,
            "claimed_on": "2025-02-07",
        },
        "evidence": {"claim": world["claim"].pk, "kind": "photo", "description": "D"},
        "verifications": {"claim": world["claim"].pk, "verdict": "unconfirmed", "rationale": "R"},
        "explainers": {"title": "T", "standfirst": "S", "body": "B"},
    }[resource]


printable = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=120,
)


@pytest.mark.django_db
@pytest.mark.parametrize("resource", sorted(SERIALIZERS))
def test_valid_bodies_with_any_text_round_trip(resource, editor):
    serializer_class = SERIALIZERS[resource]
    world = {"source": factories.SourceFactory(), "claim": factories.ClaimFactory()}
    context = {"request": _request(editor), "desk": True}
    text_fields = dict(_text_fields(serializer_class))
    assert text_fields, resource
    counter = iter(range(10**6))

    @settings(max_examples=EXAMPLES["round trip"], **HYPOTHESIS)
    @given(st.fixed_dictionaries({name: printable for name in text_fields}))
    def check(texts):
        texts = {name: text[: text_fields[name]] for name, text in texts.items()}
        body = {**valid_body(resource, world), **texts}
        if resource == "explainers":
            body["slug"] = f"explainer-{next(counter)}"
        with transaction.atomic():
            serializer = serializer_class(data=body, context=context)
            if serializer.is_valid():
                extra = {"author": editor} if resource == "verifications" else {}
                instance = serializer.save(**extra)
                stored = type(instance).objects.get(pk=instance.pk)
                for name, text in texts.items():
                    assert getattr(stored, name) == text.strip(), name
            else:
                # Refused only for text that is blank once trimmed (or a duplicate).
                assert any(not t.strip() for t in texts.values()) or resource == "articles", (
                    serializer.errors
                )
            transaction.set_rollback(True)

    check()
