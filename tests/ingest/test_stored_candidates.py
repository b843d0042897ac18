"""Candidate claims are spotted and stored when an article comes in; no page view spots them.

Spotting on every view of an article's admin page took 27 s for an article of 47 kB. The
import, a save of the text in the desk, "Spot claims again" (a POST, for
staff who may change articles) and `manage.py spot_articles` store them; the page reads them,
fifty at a time.
"""

import pytest
from django.contrib.auth.models import Permission
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from claims import selectors
from claims.ingest import spotting
from claims.ingest.importing import Overrides, import_pasted
from claims.models import Appearance, Article, CandidateClaim, CandidateSpotting, Claim

from .. import factories
from ..admin.conftest import change_url, messages_of

TEXT = """Ministry says a bridge near Toretsk was destroyed
By Olena Kravets

Russia's Defence Ministry said on Monday that its forces had destroyed a bridge near \
Dzerzhynsk. The claim could not be independently verified.

The district governor said the bridge had been damaged but was still standing.
"""
# Every article needs its outlet; these texts do not name theirs.
KYIV_WIRE = Overrides(outlet="Kyiv Wire")
MINISTRY_SENTENCE = (
    "Russia's Defence Ministry said on Monday that its forces had destroyed a bridge near "
    "Dzerzhynsk."
)


def spot_url(article):
    return reverse("admin:claims_article_candidates_spot", args=[article.pk])


@pytest.fixture
def article(desk, reporter):
    return import_pasted(TEXT, by=reporter, overrides=KYIV_WIRE).article


@pytest.fixture
def spotter_runs(monkeypatch):
    """Counts the spotter's runs from here on."""
    runs = []
    original = spotting.Spotter.spot

    def counting(self, body):
        runs.append(len(body))
        return original(self, body)

    monkeypatch.setattr(spotting.Spotter, "spot", counting)
    return runs


def test_candidates_are_stored_when_an_article_is_imported(article, desk):
    ministry, official = CandidateClaim.objects.filter(article=article).order_by("start")

    assert (ministry.sentence, ministry.claimant, ministry.source) == (
        MINISTRY_SENTENCE,
        "Russia's Defence Ministry",
        desk["ministry"],
    )
    assert article.body[ministry.start : ministry.end] == ministry.sentence
    assert list(ministry.places.all()) == [desk["toretsk"]]
    assert ministry.unverified
    assert (official.claimant, official.source, official.unverified) == (
        "The district governor",
        None,
        False,
    )
    assert article.spotting.body_hash == article.content_hash
    assert article.spotting.read_chars == len(article.body)


def test_an_article_and_its_candidates_are_written_together_or_not_at_all(
    desk, reporter, monkeypatch
):
    def failing(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(CandidateClaim.objects, "bulk_create", failing)

    with pytest.raises(DatabaseError):
        import_pasted(TEXT, by=reporter, overrides=KYIV_WIRE)

    assert not Article.objects.exists()
    assert not CandidateSpotting.objects.exists()


def test_the_article_page_shows_stored_candidates_without_running_the_spotter(
    client, reporter, article, spotter_runs
):
    client.force_login(reporter)

    page = client.get(change_url(article)).content.decode()

    assert spotter_runs == []
    assert "Candidate claims in this article (2)" in page
    assert "Russia&#x27;s Defence Ministry said on Monday" in page
    assert "source: Russian Defence Ministry" in page
    assert "places: Toretsk" in page
    assert "the article says this could not be verified" in page
    assert page.count("Review and create claim") == 2


def test_making_and_linking_claims_use_the_stored_candidates(
    client, reporter, article, desk, spotter_runs
):
    existing = factories.ClaimFactory(
        statement="The district governor said the bridge was still standing"
    )
    client.force_login(reporter)
    start = article.body.index(MINISTRY_SENTENCE)

    client.post(
        reverse("admin:claims_article_candidate_create", args=[article.pk]),
        {"start": start, "end": start + len(MINISTRY_SENTENCE)},
    )
    official = CandidateClaim.objects.get(article=article, claimant="The district governor")
    response = client.post(
        reverse("admin:claims_article_candidate_link", args=[article.pk]),
        {"start": official.start, "end": official.end, "claim": existing.pk},
    )

    assert spotter_runs == []
    made = Claim.objects.exclude(pk=existing.pk).get()
    assert (made.claimant, list(made.places.all())) == (desk["ministry"], [desk["toretsk"]])
    assert Appearance.objects.get(claim=existing).passage == official.sentence
    assert "now recorded as an appearance" in messages_of(response)[-1]


def test_an_article_from_before_has_its_claims_spotted_when_staff_ask(
    client, reporter, desk, spotter_runs
):
    article = factories.ArticleFactory(body=f"{MINISTRY_SENTENCE}\n\nNothing else happened.")
    client.force_login(reporter)

    page = client.get(change_url(article)).content.decode()
    assert "The claims in this article have not been spotted yet." in page
    assert "Spot claims</button>" in page and "Create claim" not in page
    assert spotter_runs == []

    response = client.post(spot_url(article))

    assert response.url == change_url(article)
    assert messages_of(response) == ["Claims spotted again: 1 candidate claim."]
    candidate = CandidateClaim.objects.get(article=article)
    assert candidate.sentence == MINISTRY_SENTENCE
    assert article.spotting.spotted_by == reporter
    page = client.get(change_url(article)).content.decode()
    assert "Candidate claims in this article (1)" in page
    assert "Spot claims again</button>" in page


def test_spotting_again_needs_permission_to_change_articles(client, article, desk):
    viewer = factories.UserFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    CandidateClaim.objects.filter(article=article).delete()

    assert "Spot claims again" not in client.get(change_url(article)).content.decode()
    response = client.post(spot_url(article))

    assert messages_of(response) == ["You are not allowed to spot the claims in articles."]
    assert not CandidateClaim.objects.filter(article=article).exists()


def test_spotting_again_is_a_post_with_a_csrf_token(reporter, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    spotted_at = article.spotting.spotted_at

    assert client.get(spot_url(article)).status_code == 405
    assert client.post(spot_url(article)).status_code == 403
    article.spotting.refresh_from_db()
    assert article.spotting.spotted_at == spotted_at


def test_a_text_saved_in_the_desk_has_its_claims_spotted_again(client, reporter, article):
    client.force_login(reporter)
    new_body = article.body + "\n\nKyiv denied that the bridge had been hit."
    form = {
        "headline": article.headline,
        "outlet": article.outlet_id or "",
        "url": article.url,
        "byline": article.byline,
        "published_at_0": "",
        "published_at_1": "",
        "language": article.language,
        "body": new_body,
        "raw_text": article.raw_text,
        "imported_from": article.imported_from,
        "seen_version": article.version,
        "change_reason": "added Kyiv's denial",
    }

    response = client.post(change_url(article), form)

    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.spotting.body_hash == article.content_hash
    assert CandidateClaim.objects.filter(
        article=article, sentence="Kyiv denied that the bridge had been hit."
    ).exists()


def test_candidates_of_a_text_changed_elsewhere_are_not_offered(client, reporter, article):
    start = article.body.index(MINISTRY_SENTENCE)
    article.body = "A new first paragraph.\n\n" + article.body
    article.save()  # as the API or a shell would: the stored candidates are out of date
    client.force_login(reporter)

    page = client.get(change_url(article)).content.decode()
    response = client.post(
        reverse("admin:claims_article_candidate_create", args=[article.pk]),
        {"start": start, "end": start + len(MINISTRY_SENTENCE)},
    )

    assert "The text has changed since its claims were spotted" in page
    assert "Create claim" not in page and "Spot claims again</button>" in page
    assert messages_of(response) == [
        "The claims in this article have not been spotted in its current text. Spot them "
        "again, then try."
    ]
    assert not Claim.objects.exists()


def test_the_article_page_lists_candidates_fifty_at_a_time(client, reporter, desk, monkeypatch):
    body = "\n\n".join(f"The ministry said {n} drones were shot down." for n in range(1, 121))
    article = import_pasted(f"Drones\n\n{body}", by=reporter, overrides=KYIV_WIRE).article
    looked_up = []
    original = selectors.similar_claims

    def counting(statement, **kwargs):
        looked_up.append(statement)
        return original(statement, **kwargs)

    monkeypatch.setattr(selectors, "similar_claims", counting)
    client.force_login(reporter)

    first = client.get(change_url(article)).content.decode()
    last = client.get(change_url(article), {"candidates": 3}).content.decode()

    assert "Candidate claims in this article (120)" in first
    assert "Candidates 1–50 of 120." in first and "?candidates=2" in first
    assert first.count("Review and create claim") == 50
    assert "The ministry said 101 drones" in last and "Candidates 101–120 of 120." in last
    assert len(looked_up) == 50 + 20


def test_spot_articles_spots_articles_with_none_stored_or_a_changed_text(
    run_command, article, desk, reporter
):
    old = factories.ArticleFactory(body=MINISTRY_SENTENCE)
    article.body += "\n\nKyiv denied it."
    article.save()
    untouched = import_pasted(
        "Quiet day\n\nThe governor said the night was quiet.", by=reporter, overrides=KYIV_WIRE
    ).article

    result = run_command("spot_articles")

    assert result.out.strip() == "Spotted 2 articles: 4 candidate claims stored."
    assert CandidateClaim.objects.filter(article=old).count() == 1
    article.refresh_from_db()
    assert article.spotting.body_hash == article.content_hash
    assert run_command("spot_articles", "--all").out.strip() == (
        "Spotted 3 articles: 5 candidate claims stored."
    )
    assert untouched.spotting.read_chars == len(untouched.body)
