"""Dates in the admin: a date no newsroom could mean is a field error on the form the person
filled in, and nothing is saved; the first and last days of the range are accepted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import workflow
from claims.models import Article, Claim, Evidence, Explainer

from .. import factories
from .conftest import change_url, claim_form, messages_of, transition_url

OUT_OF_RANGE = "Enter a date between 1 January 1900 and"


def tomorrow_but_one():
    return timezone.localdate() + datetime.timedelta(days=2)


def form_error(response):
    assert response.status_code == 200  # the form again, not a redirect
    page = response.content.decode()
    assert OUT_OF_RANGE in page
    return page


@pytest.mark.parametrize("day", ["1591-02-07", "1899-12-31", "future"])
def test_a_claims_date_out_of_range_is_a_field_error_and_the_claim_is_unchanged(
    client, reporter, claim, day
):
    day = tomorrow_but_one().isoformat() if day == "future" else day
    client.force_login(reporter)
    form_error(client.post(change_url(claim), claim_form(claim, claimed_on=day)))
    claim.refresh_from_db()
    assert claim.claimed_on == datetime.date(2025, 2, 7)


def test_a_claim_made_on_the_first_day_of_the_range_is_saved(client, reporter, claim):
    client.force_login(reporter)
    response = client.post(change_url(claim), claim_form(claim, claimed_on="1900-01-01"))
    assert response.status_code == 302
    assert Claim.objects.get(pk=claim.pk).claimed_on == datetime.date(1900, 1, 1)


@pytest.mark.parametrize("day", ["1591-02-07", "future"])
def test_an_article_published_out_of_range_is_refused_and_nothing_is_saved(client, reporter, day):
    day = tomorrow_but_one().isoformat() if day == "future" else day
    client.force_login(reporter)
    form_error(
        client.post(
            reverse("admin:claims_article_add"),
            {
                "headline": "Toretsk under fire",
                "body": "Full text.",
                "language": "en",
                "published_at_0": day,
                "published_at_1": "10:00",
            },
        )
    )
    assert not Article.objects.exists()


def test_evidence_captured_out_of_range_is_refused_and_nothing_is_saved(client, reporter, claim):
    client.force_login(reporter)
    form_error(
        client.post(
            reverse("admin:claims_evidence_add"),
            {
                "claim": claim.pk,
                "kind": "photo",
                "description": "A photo of the square.",
                "captured_at_0": "1591-02-07",
                "captured_at_1": "10:00",
            },
        )
    )
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("at", ["1591-02-07T10:00", "in 400 days"])
def test_a_publish_time_out_of_range_is_refused_and_the_explainer_stays_in_review(
    client, editor, explainer, factchecker, at
):
    in_review = workflow.explainer_submit(explainer=explainer, by=factchecker)
    if at == "in 400 days":
        later = timezone.localtime() + datetime.timedelta(days=400)
        at = later.strftime("%Y-%m-%dT%H:%M")
    client.force_login(editor)
    response = client.post(transition_url(in_review, "publish"), {"at": at})
    assert any(OUT_OF_RANGE in message for message in messages_of(response))
    assert Explainer.objects.get(pk=in_review.pk).status == Explainer.Status.IN_REVIEW


def test_the_import_page_refuses_a_publication_date_out_of_range_and_imports_nothing(
    client, reporter
):
    client.force_login(reporter)
    response = client.post(
        reverse("admin:claims_article_import"),
        {
            "text": "Russia says it has taken Toretsk\n\nThe ministry said so on Friday.",
            "published_at": "1591-02-07 10:15",
        },
    )
    form_error(response)
    assert not Article.objects.exists()


def test_an_article_stored_with_a_date_from_before_the_rule_still_opens(client, reporter):
    article = factories.ArticleFactory(
        published_at=datetime.datetime(1591, 2, 7, 8, tzinfo=datetime.UTC)
    )
    client.force_login(reporter)
    page = client.get(change_url(article)).content.decode()
    assert 'value="07/02/1591"' in page  # there to be corrected; saving it asks for a date
