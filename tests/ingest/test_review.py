"""The review step between a spotted candidate and a Claim: a form to correct it,
dismissal with a reason, and marks that stay on the article."""

import datetime

import pytest
from django.urls import reverse

from claims.errors import DeskError
from claims.ingest import candidates as candidate_services
from claims.models import AuditEvent, CandidateClaim, Claim, Source, SourceAlias

from .. import factories
from ..admin.conftest import change_url, messages_of
from .test_admin import PASTED


@pytest.fixture
def article(desk, reporter):
    from claims.ingest.importing import import_pasted

    return import_pasted(PASTED, by=reporter).article


def review_url(article, candidate):
    return reverse(
        "admin:claims_article_candidate_review", args=[article.pk, candidate.start, candidate.end]
    )


def spokesman(article):
    return CandidateClaim.objects.get(article=article, sentence__startswith='"Our units')


def ministry_claim(article):
    return CandidateClaim.objects.get(article=article, sentence__startswith="Russia's")


def test_the_review_form_starts_from_a_short_statement_and_the_articles_date(
    client, reporter, article
):
    client.force_login(reporter)
    page = client.get(review_url(article, spokesman(article))).content.decode()
    assert (
        'value="Ukrainian spokesman Viktor Trehubov says our units still hold the north-west"'
        in (page)
    )
    assert 'value="2025-02-07"' in page
    assert 'name="new_source_name" value="Ukrainian spokesman Viktor Trehubov"' in page
    assert "Dismiss this candidate" in page


# Written for these tests: a role in apposition that names the claimant's organisation.
INSPECTORS = """Inspectors to stay at the Zaporizhzhia plant
By Jane Doe
Published 10:05 AM GMT+2, March 4, 2025

VIENNA (Reuters) - Rafael Grossi, head of the IAEA, told reporters on Tuesday that two \
inspectors would stay at the plant through the spring.
"""


def grossi(reporter):
    from claims.ingest.importing import import_pasted

    article = import_pasted(INSPECTORS, by=reporter).article
    return article, CandidateClaim.objects.get(article=article, claimant="Rafael Grossi")


@pytest.mark.parametrize("named_by", ["name", "alias"])
def test_the_review_form_proposes_the_affiliation_of_the_organisation_a_role_names(
    client, reporter, named_by
):
    if named_by == "name":
        iaea = factories.SourceFactory(name="IAEA", affiliation=Source.Affiliation.INDEPENDENT)
    else:
        iaea = factories.SourceFactory(
            name="International Atomic Energy Agency", affiliation=Source.Affiliation.INDEPENDENT
        )
        SourceAlias.objects.create(source=iaea, name="IAEA")
    article, candidate = grossi(reporter)
    client.force_login(reporter)

    page = client.get(review_url(article, candidate)).content.decode()

    assert 'name="new_source_name" value="Rafael Grossi"' in page
    assert 'name="new_source_description" value="head of the IAEA"' in page
    assert '<option value="independent" selected>Independent</option>' in page
    assert f"Proposed: that of {iaea.name}, named in their role." in page


def test_the_review_form_proposes_no_affiliation_when_the_desk_lacks_the_organisation(
    client, reporter, db
):
    factories.SourceFactory(name="Kyiv Wire", affiliation=Source.Affiliation.INDEPENDENT)
    article, candidate = grossi(reporter)
    client.force_login(reporter)

    page = client.get(review_url(article, candidate)).content.decode()

    assert '<option value="other" selected>Other</option>' in page
    assert "Proposed: that of" not in page


def test_the_reviewer_s_affiliation_wins_over_the_one_proposed(client, reporter):
    factories.SourceFactory(name="IAEA", affiliation=Source.Affiliation.INDEPENDENT)
    article, candidate = grossi(reporter)
    client.force_login(reporter)

    response = client.post(
        review_url(article, candidate),
        {
            "statement": "IAEA head Rafael Grossi says two inspectors will stay at the plant",
            "new_source_name": "Rafael Grossi",
            "new_source_kind": Source.Kind.OFFICIAL,
            "new_source_affiliation": Source.Affiliation.OTHER,
            "new_source_description": "head of the IAEA",
            "claimed_on": "2025-03-04",
            "similar": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    source = Claim.objects.get().claimant
    assert (source.name, source.kind, source.affiliation, source.description) == (
        "Rafael Grossi",
        Source.Kind.OFFICIAL,
        Source.Affiliation.OTHER,
        "head of the IAEA",
    )


def test_a_reviewed_candidate_becomes_a_claim_with_the_corrected_claimant_and_date(
    client, reporter, article
):
    client.force_login(reporter)
    candidate = spokesman(article)
    response = client.post(
        review_url(article, candidate),
        {
            "statement": "Ukrainian spokesman says troops still hold north-west Toretsk",
            "new_source_name": "Viktor Trehubov",
            "new_source_kind": Source.Kind.OFFICIAL,
            "new_source_affiliation": Source.Affiliation.UKRAINIAN_STATE,
            "new_source_description": "spokesman of the Khortytsia group",
            "claimed_on": "2025-02-06",
            "similar": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    claim = Claim.objects.get()
    assert claim.statement == "Ukrainian spokesman says troops still hold north-west Toretsk"
    assert claim.slug == "ukrainian-spokesman-says-troops-still-hold-north-west-toretsk"
    assert claim.claimed_on == datetime.date(2025, 2, 6)
    source = claim.claimant
    assert (source.name, source.kind, source.affiliation) == (
        "Viktor Trehubov",
        Source.Kind.OFFICIAL,
        Source.Affiliation.UKRAINIAN_STATE,
    )
    candidate.refresh_from_db()
    assert (candidate.status, candidate.claim, candidate.reviewed_by) == (
        "created",
        claim,
        reporter,
    )
    assert "Claim created" in messages_of(response)[0]
    page = client.get(change_url(article)).content.decode()
    assert "Made a claim: <a href=" in page


def test_an_existing_source_can_be_chosen_for_the_claimant(client, reporter, article, desk):
    client.force_login(reporter)
    trehubov = factories.SourceFactory(name="Viktor Trehubov")
    response = client.post(
        review_url(article, spokesman(article)),
        {
            "statement": "Trehubov says Ukrainian units hold the north-west of Toretsk",
            "claimant": trehubov.pk,
            "new_source_kind": "other",
            "new_source_affiliation": "other",
            "claimed_on": "2025-02-07",
        },
    )
    assert response.status_code == 302
    assert Claim.objects.get().claimant == trehubov
    assert Source.objects.filter(name__icontains="spokesman").count() == 0


def test_the_review_form_can_link_a_similar_claim_instead(client, reporter, article, desk):
    client.force_login(reporter)
    existing = factories.ClaimFactory(
        statement="Russia's Defence Ministry says its forces have captured Toretsk",
        claimant=desk["ministry"],
    )
    candidate = ministry_claim(article)
    page = client.get(review_url(article, candidate)).content.decode()
    assert "Defence Ministry says its forces have captured Toretsk" in page
    response = client.post(
        review_url(article, candidate),
        {
            "statement": "x",
            "new_source_kind": "other",
            "new_source_affiliation": "other",
            "claimed_on": "2025-02-07",
            "similar": existing.pk,
        },
    )
    assert response.status_code == 302
    assert Claim.objects.count() == 1
    assert existing.appearances.get().article == article
    candidate.refresh_from_db()
    assert (candidate.status, candidate.claim) == ("linked", existing)


def test_a_candidate_is_dismissed_with_a_reason_and_stays_marked(client, reporter, article):
    client.force_login(reporter)
    candidate = spokesman(article)
    url = reverse("admin:claims_article_candidate_dismiss", args=[article.pk])

    refused = client.post(url, {"start": candidate.start, "end": candidate.end, "reason": " "})
    assert messages_of(refused) == ["Say why this passage is dismissed."]

    client.post(url, {"start": candidate.start, "end": candidate.end, "reason": "a denial only"})
    candidate.refresh_from_db()
    assert (candidate.status, candidate.dismissed_reason) == ("dismissed", "a denial only")
    assert AuditEvent.objects.filter(action="candidate_dismissed").count() == 1
    page = client.get(change_url(article)).content.decode()
    assert "Dismissed: a denial only" in page

    candidate_services.article_spot_again(article=article, by=reporter)
    assert spokesman(article).status == "dismissed"  # spotting again keeps the marks


def test_a_reviewed_candidate_cannot_be_made_a_claim_twice(reporter, article):
    candidate = spokesman(article)
    candidate_services.candidate_dismiss(
        article=article, start=candidate.start, end=candidate.end, by=reporter, reason="no"
    )
    with pytest.raises(DeskError, match="already been reviewed"):
        candidate_services.claim_create_from_candidate(
            article=article, start=candidate.start, end=candidate.end, by=reporter
        )
    assert Claim.objects.count() == 0


def test_the_article_page_lists_candidates_most_check_worthy_first(client, reporter, article):
    client.force_login(reporter)
    page = client.get(change_url(article)).content.decode()
    ministry = page.index("Russia&#x27;s Defence Ministry said on Friday")
    spokesman_at = page.index("Our units still hold")
    assert ministry < spokesman_at  # a capture (an action, a place) before a denial
