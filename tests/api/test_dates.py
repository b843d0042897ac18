"""Dates through the API: a date no newsroom could mean (before DESK_EARLIEST_DATE, or after
tomorrow; after a year ahead for scheduling) is a 400 naming the field, wherever it is sent,
and writes nothing; every time the API writes out is valid RFC 3339, whatever the year."""

import datetime
import re

import pytest
from django.utils import timezone

from claims.models import Article, Claim, Evidence, Explainer

from .. import factories

pytestmark = pytest.mark.django_db

# RFC 3339's date-time: the offset is Z or ±hh:mm, never with seconds.
RFC_3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
LOOKS_LIKE_A_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")

THE_REVIEWS_DATE = "1591-02-07T10:00:00Z"


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def new_objects(desk):
    """A valid new object of each kind that carries a date a person enters."""
    return {
        "claims": (
            "claimed_on",
            {
                "statement": "Russia says its forces entered Pivnichne",
                "quote": "Our units have entered the village.",
                "claimant_id": desk.ministry.pk,
            },
        ),
        "articles": ("published_at", {"headline": "Fighting near Toretsk", "body": "Text."}),
        "evidence": (
            "captured_at",
            {"claim": desk.capture.pk, "kind": "photo", "description": "A photo."},
        ),
    }


def refused_for(response, field):
    assert response.status_code == 400, response.content
    body = response.json()
    [message] = body["errors"][field]
    assert "Enter a date between 1 January 1900 and" in message
    return message


@pytest.mark.parametrize("resource", ["claims", "articles", "evidence"])
@pytest.mark.parametrize(
    "when",
    [
        THE_REVIEWS_DATE,
        "1899-12-31T12:00:00Z",
        "0001-01-01T00:00:00Z",
        "future",
    ],
)
def test_a_date_no_newsroom_could_mean_is_a_400_naming_the_field_and_saves_nothing(
    as_editor, desk, resource, when
):
    field, body = new_objects(desk)[resource]
    if when == "future":
        when = f"{in_days(2).isoformat()}T12:00:00Z"
    value = when[:10] if field == "claimed_on" else when
    model = {"claims": Claim, "articles": Article, "evidence": Evidence}[resource]
    before = model.objects.count()
    response = as_editor.post(f"/api/v1/{resource}/", {**body, field: value}, format="json")
    refused_for(response, field)
    assert model.objects.count() == before


@pytest.mark.parametrize("resource", ["claims", "articles", "evidence"])
def test_the_first_and_the_last_day_of_the_range_are_accepted(as_editor, desk, resource):
    field, body = new_objects(desk)[resource]
    for day in (datetime.date(1900, 1, 1), in_days(1)):
        value = day.isoformat() if field == "claimed_on" else f"{day.isoformat()}T00:00:00"
        extra = {"statement": f"{body['statement']} on {day}"} if resource == "claims" else {}
        extra |= {"body": f"Text of {day}."} if resource == "articles" else {}
        response = as_editor.post(
            f"/api/v1/{resource}/", {**body, **extra, field: value}, format="json"
        )
        assert response.status_code == 201, response.content


def test_an_update_to_a_date_out_of_range_is_refused_and_leaves_the_article_as_it_was(
    as_editor, desk
):
    article = factories.ArticleFactory(
        published_at=datetime.datetime(2025, 2, 7, 8, tzinfo=datetime.UTC)
    )
    url = f"/api/v1/articles/{article.pk}/"
    response = as_editor.patch(
        url,
        {"published_at": THE_REVIEWS_DATE, "headline": "Changed"},
        format="json",
        HTTP_IF_MATCH=as_editor.get(url)["ETag"],
    )
    refused_for(response, "published_at")
    article.refresh_from_db()
    assert article.published_at.year == 2025 and article.headline != "Changed"


def test_scheduling_an_explainer_takes_a_time_up_to_a_year_ahead_and_no_earlier_than_1900(
    as_editor, as_factchecker, desk
):
    explainer = factories.ExplainerFactory()
    url = f"/api/v1/explainers/{explainer.pk}"
    assert as_factchecker.post(f"{url}/submit/", format="json").status_code == 200
    for at in (THE_REVIEWS_DATE, (timezone.now() + datetime.timedelta(days=400)).isoformat()):
        response = as_editor.post(f"{url}/publish/", {"at": at}, format="json")
        message = refused_for(response, "at")
        assert str(in_days(366).year) in message
    assert Explainer.objects.get(pk=explainer.pk).status == "in_review"
    at = timezone.now() + datetime.timedelta(days=300)
    response = as_editor.post(f"{url}/publish/", {"at": at.isoformat()}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "scheduled"


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/claims/?verdict_changed_since=1591-02-07",
        "/api/v1/claims/?updated_since=0001-01-01T00:00:00%2B05:00",
        "/api/v1/claims/?claimed_from=1591-02-07",
        "/api/v1/claims/?claimed_to=9999-12-31",
        "/api/v1/claimreviews/?updated_since=1591-02-07",
        "/api/v1/articles/?published_until=2999-01-01T00:00:00Z",
        "/api/v1/evidence/?captured_since=1800-01-01",
        "/api/v1/verifications/?published_since=1000-01-01",
        "/api/v1/explainers/?updated_since=1591-02-07",
        "/api/v1/corrections/?published_since=1591-02-07",
    ],
)
def test_a_filter_date_out_of_range_is_a_400_naming_the_parameter(anon, desk, address):
    response = anon.get(address)
    parameter = address.split("?")[1].split("=")[0]
    assert response.status_code == 400, response.content
    [message] = response.json()["errors"][parameter]
    assert "Enter a date between 1 January 1900 and" in message


def test_filters_take_any_date_in_the_range(anon, desk):
    for address in (
        "/api/v1/claims/?verdict_changed_since=1900-01-01&claimed_to=" + in_days(1).isoformat(),
        "/api/v1/claimreviews/?updated_since=2025-02-08",
        "/api/v1/explainers/?published_since=" + in_days(300).isoformat(),
    ):
        assert anon.get(address).status_code == 200, address


def _times_in(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from _times_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from _times_in(value)
    elif isinstance(data, str) and LOOKS_LIKE_A_TIME.match(data):
        yield data


def test_every_time_the_api_writes_is_rfc_3339_even_where_kyiv_kept_local_mean_time(
    as_editor, desk, settings
):
    # Until May 1924 Kyiv's offset from UTC was +02:02:04, which RFC 3339 cannot write.
    settings.TIME_ZONE = "Europe/Kyiv"
    old = datetime.datetime(1901, 5, 1, 10, 0, tzinfo=datetime.UTC)
    Article.objects.filter(pk=desk.wire.pk).update(published_at=old)
    Evidence.objects.filter(pk=desk.imagery.pk).update(captured_at=old)
    addresses = [
        f"/api/v1/articles/{desk.wire.pk}/",
        "/api/v1/articles/",
        f"/api/v1/evidence/{desk.imagery.pk}/",
        f"/api/v1/claims/{desk.capture.pk}/",
        "/api/v1/claims/",
        "/api/v1/verifications/",
        "/api/v1/explainers/",
        "/api/v1/corrections/",
        "/api/v1/claimreviews/",
    ]
    seen = []
    for address in addresses:
        response = as_editor.get(address)
        assert response.status_code == 200, address
        for text in _times_in(response.json()):
            seen.append(text)
            assert RFC_3339.match(text), (address, text)
    assert "1901-05-01T10:00:00Z" in seen
