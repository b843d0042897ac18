"""Structured data: ClaimReview on claim pages, NewsArticle on explainers, Organization."""

import json
import re

import pytest

from claims.web.jsonld import script_tag, shorten

from .. import factories
from .conftest import SECRET

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def structured_data(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return [json.loads(block) for block in SCRIPT.findall(html)], html


def test_methodology_page_publishes_the_rating_mapping(client):
    html = client.get("/methodology/").content.decode()
    assert '<tr id="verdict-disputed">' in html and "<td>3</td>" in html


def test_claim_review_of_a_changed_verdict_keeps_first_and_latest_dates(client, desk):
    (review,), _ = structured_data(client, desk.capture.get_absolute_url())
    assert review["datePublished"] == desk.first.published_at.isoformat()
    assert review["dateModified"] == desk.second.published_at.isoformat()
    assert review["reviewRating"]["alternateName"] == "Disputed"
    assert review["reviewRating"]["ratingExplanation"] == (
        "The brigade and open-source maps contradict it."
    )


def test_appearance_has_archived_copy_where_evidence_archived_the_article(
    client, desk, publish_verification
):
    from tests import factories

    evidence = factories.EvidenceFactory(
        claim=desk.holding,
        url="https://wire.example/holding",
        archived_url="https://archive.example/wire-holding",
    )
    article = factories.ArticleFactory(url="https://wire.example/holding")
    desk.holding.appearances.create(article=article)
    publish_verification(desk.holding, verdict="likely_true", evidence=[evidence])
    (review,), _ = structured_data(client, desk.holding.get_absolute_url())
    (work,) = review["itemReviewed"]["appearance"]
    assert work["archivedAt"] == "https://archive.example/wire-holding"


def test_confidential_claimant_appears_only_by_description(client, desk, publish_verification):
    publish_verification(desk.officer, verdict="unconfirmed")
    (review,), html = structured_data(client, desk.officer.get_absolute_url())
    assert review["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": "a Ukrainian officer serving near the town",
    }
    assert SECRET not in html


def test_no_claim_review_without_a_published_verdict(client, desk):
    blocks, _ = structured_data(client, desk.officer.get_absolute_url())
    assert blocks == []


def test_claim_review_holds_nothing_unpublished(client, desk):
    (review,), _ = structured_data(client, desk.capture.get_absolute_url())
    text = json.dumps(review)
    assert SECRET not in text and "False" not in text


def test_staff_previews_carry_no_structured_data(client, desk, editor):
    client.force_login(editor)
    blocks, _ = structured_data(client, "/explainers/draft-explainer/")
    assert blocks == []


def test_news_article_on_explainers_with_date_modified_from_the_correction(client, desk, editor):
    (article,), _ = structured_data(client, "/explainers/why-toretsk-matters/")
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == "Why Toretsk matters"
    assert article["datePublished"] == desk.explainer.first_published_at.isoformat()
    assert article["dateModified"] == desk.correction.published_at.isoformat()
    assert article["author"] == [{"@type": "Person", "name": editor.get_full_name()}]
    assert article["publisher"]["name"] == "The Claims Desk"
    assert article["url"] == "http://testserver/explainers/why-toretsk-matters/"


def test_organization_on_the_home_page_links_its_policies(client, desk):
    (org,), _ = structured_data(client, "/")
    assert org["@type"] == "NewsMediaOrganization"
    assert org["publishingPrinciples"].startswith("http://testserver/")
    assert org["verificationFactCheckingPolicy"].startswith("http://testserver/")


def test_editor_text_cannot_break_out_of_the_script_element(client, publish_verification):
    from tests import factories

    hostile = '</script><script>alert("x")</script><!-- & >'
    claim = factories.ClaimFactory(statement=f"Claim {hostile}", quote=hostile)
    publish_verification(claim, rationale=hostile)
    (review,), html = structured_data(client, claim.get_absolute_url())
    assert review["claimReviewed"].startswith("Claim </script>")
    block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\\u003C/script\\u003E" in block


def test_script_tag_escapes_like_json_script():
    tag = script_tag({"text": "<b>&</b>\u2028"})
    assert tag == (
        '<script type="application/ld+json">'
        '{"text": "\\u003Cb\\u003E\\u0026\\u003C/b\\u003E\\u2028"}</script>'
    )


def test_a_headline_is_shortened_at_a_word():
    long = "Russia's Defence Ministry says its forces have captured the town of Toretsk in Donetsk"
    short = shorten(long, 74)
    assert len(short) < 75 and short.endswith("…") and long.startswith(short[:-1])


def test_a_confidential_claimant_has_no_address_in_structured_data(db):
    from claims.web.jsonld import _claimant

    source = factories.SourceFactory(
        home_url="https://secret.example/",
        is_confidential=True,
        redacted_description="an officer",
    )
    author = _claimant(source)
    assert author["name"] == "an officer"
    assert "url" not in author and "sameAs" not in author
