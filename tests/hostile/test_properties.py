"""Property tests (hypothesis) of the API's writable serializers and the Markdown renderer.

- Any JSON-like body, given to any writable serializer of the API (found from its router),
  ends in a verdict, never in an exception: `is_valid()` is True or False, and the errors are
  ValidationErrors.
- A valid body with arbitrary text in the serializer's text fields saves, and the database
  then holds the text as it was sent (less the surrounding whitespace DRF trims).
- The Markdown renderer never raises, and what it renders has no script, no event handler
  and no link other than http(s) or mailto, whatever the text.
- Any date-time, from year 1 to 9999 in any offset, sent as an article's publication time is
  accepted exactly when it lies in the desk's range (claims/dates.py), and refused with the
  range otherwise; every time in the range is written back as RFC 3339, the same instant,
  whatever time zone the newsroom runs in.

The example counts are fixed and generation is derandomized, so the run is repeatable and
takes seconds (`EXAMPLES`, below).
"""

import datetime
import re

import pytest
from django.db import models, transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from claims import dates
from claims.api.serializers.sources import ArticleSerializer
from claims.api.urls import router
from claims.api.views.base import ReadWriteViewSet
from claims.web.markdown import markdown_to_text, render_markdown

from .. import factories
from ..site.helpers import _ActiveContentFinder

EXAMPLES = {"markdown": 200, "any body": 25, "round trip": 15, "dates": 150}

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
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join),
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


# --- dates -------------------------------------------------------------------------------

# RFC 3339's date-time (the schema's `format: date-time`): the offset is Z or ±hh:mm.
RFC_3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

any_offset = st.builds(
    lambda minutes: datetime.timezone(datetime.timedelta(minutes=minutes)),
    st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59),
)


@pytest.mark.django_db
def test_a_sent_time_is_accepted_exactly_when_it_is_in_the_desks_range(editor):
    context = {"request": _request(editor), "desk": True}

    @settings(max_examples=EXAMPLES["dates"], **HYPOTHESIS)
    @given(st.datetimes(timezones=any_offset))
    @example(datetime.datetime(1591, 2, 7, 10, tzinfo=datetime.UTC))  # the review's
    @example(datetime.datetime.min.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=5))))
    @example(datetime.datetime.max.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=-5))))
    def check(when):
        body = {"headline": "H", "body": "B", "published_at": when.isoformat()}
        serializer = ArticleSerializer(data=body, context=context)
        if serializer.is_valid():
            assert dates.is_plausible(serializer.validated_data["published_at"])
        else:
            [message] = serializer.errors["published_at"]
            assert not dates.is_plausible(when), message
            # A time the calendar cannot hold in the newsroom's zone is DRF's own refusal.
            assert message.startswith("Enter a date between 1 January 1900 and") or (
                message == "Datetime value out of range."
            ), message

    check()


@settings(max_examples=EXAMPLES["dates"], **HYPOTHESIS)
@given(
    when=st.datetimes(
        min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2100, 12, 31)
    ),
    zone=st.timezones(),
)
def test_every_time_in_the_range_is_written_as_rfc_3339_in_any_newsroom_time_zone(when, zone):
    when = when.replace(tzinfo=datetime.UTC)
    field = ArticleSerializer().fields["published_at"]
    with timezone.override(zone):
        text = field.to_representation(when)
    assert RFC_3339.match(text), (str(zone), text)
    assert datetime.datetime.fromisoformat(text) == when
