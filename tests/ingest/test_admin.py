"""The admin: the Import article page, and an article's candidates becoming Claims."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from claims.models import Appearance, Article, Claim, Source

from .. import factories
from ..admin.conftest import change_url, messages_of
from .conftest import respond

IMPORT_URL = "admin:claims_article_import"

PASTED = """Russia says it has taken Toretsk
By Jane Doe, Kyiv Wire
Published 9:40 AM GMT+2, February 7, 2025

KYIV, Ukraine (AP) — Russia's Defence Ministry said on Friday that its forces had taken Dzerzhynsk.

"Our units still hold the north-west," Ukrainian spokesman Viktor Trehubov said. The claim \
could not be independently verified.
"""


@pytest.fixture
def article(desk, reporter):
    from claims.ingest.importing import import_pasted

    return import_pasted(PASTED, by=reporter).article


# --- import page -------------------------------------------------------------------------


def test_the_article_list_links_to_the_import_page(client, reporter):
    client.force_login(reporter)
    page = client.get(reverse("admin:claims_article_changelist")).content.decode()
    assert f'href="{reverse(IMPORT_URL)}"' in page


def test_pasted_text_is_imported_and_opens_the_article(client, reporter, desk):
    client.force_login(reporter)

    response = client.post(reverse(IMPORT_URL), {"text": PASTED, "outlet": "Kyiv Wire"})

    article = Article.objects.get()
    assert response.status_code == 302
    assert response.url == change_url(article)
    assert article.headline == "Russia says it has taken Toretsk"
    assert article.imported_by == reporter
    assert article.imported_from == "pasted"
    assert article.outlet.name == "Kyiv Wire"
    assert article.published_at == datetime.datetime(2025, 2, 7, 7, 40, tzinfo=datetime.UTC)
    assert messages_of(response) == [
        f"pasted text: imported as article #{article.pk} “Russia says it has taken Toretsk” "
        "with 2 candidate claims (new outlet “Kyiv Wire” added to sources)"
    ]


def test_the_same_text_again_is_skipped_and_opens_the_article_on_file(client, reporter, article):
    client.force_login(reporter)
    response = client.post(reverse(IMPORT_URL), {"text": PASTED})
    assert response.url == change_url(article)
    assert Article.objects.count() == 1
    assert "(same text)" in messages_of(response)[0]


def test_an_uploaded_file_is_imported(client, reporter, desk):
    client.force_login(reporter)
    upload = SimpleUploadedFile("toretsk.txt", PASTED.encode(), content_type="text/plain")
    response = client.post(reverse(IMPORT_URL), {"file": upload, "headline": "Toretsk claims"})
    article = Article.objects.get()
    assert response.url == change_url(article)
    assert article.headline == "Toretsk claims"
    assert article.imported_from == "upload: toretsk.txt"


def test_a_bad_upload_is_refused_with_the_reason_and_nothing_saved(client, reporter):
    client.force_login(reporter)
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.7 ...", content_type="application/pdf")

    response = client.post(reverse(IMPORT_URL), {"file": upload})

    assert response.status_code == 200
    assert "scan.pdf: looks like a PDF document, not text or HTML." in messages_of(response)
    assert not Article.objects.exists()


def test_an_address_is_fetched_and_imported(client, reporter, web_server):
    web_server.routes["/story"] = respond(
        body=(
            b"<html><head><title>Kyiv says attack repelled</title></head><body><article>"
            b"<h1>Kyiv says attack repelled</h1><p>Ukraine's General Staff said on Monday its "
            b"troops had repelled 40 attacks near Pokrovsk over the previous day.</p>"
            b"</article></body></html>"
        )
    )
    client.force_login(reporter)

    response = client.post(reverse(IMPORT_URL), {"url": web_server.url("/story")})

    article = Article.objects.get()
    assert response.url == change_url(article)
    assert article.url == web_server.url("/story")


def test_an_address_that_fails_is_reported(client, reporter, web_server):
    web_server.routes["/gone"] = respond(404)
    client.force_login(reporter)
    response = client.post(reverse(IMPORT_URL), {"url": web_server.url("/gone")})
    assert response.status_code == 200
    assert "the server answered HTTP 404" in messages_of(response)[0]


def test_one_of_text_file_or_address_is_needed(client, reporter):
    client.force_login(reporter)
    response = client.post(reverse(IMPORT_URL), {"text": PASTED, "url": "https://x.example/"})
    assert "one of the three" in response.content.decode()
    assert not Article.objects.exists()


def test_the_import_page_needs_permission_to_add_articles(client, db):
    client.force_login(factories.UserFactory(username="intern"))  # staff, no role
    assert client.get(reverse(IMPORT_URL)).status_code == 403


# --- candidates --------------------------------------------------------------------------


def test_the_article_page_lists_its_candidates_with_buttons(client, reporter, article):
    client.force_login(reporter)
    page = client.get(change_url(article)).content.decode()

    assert "Candidate claims in this article (2)" in page
    assert "Russia&#x27;s Defence Ministry said on Friday" in page
    assert "source: Russian Defence Ministry" in page
    assert "places: Toretsk" in page
    assert "the article says this could not be verified" in page
    assert page.count("Review and create claim") == 2
    assert 'name="csrfmiddlewaretoken"' in page


def create(client, article, start, end):
    url = reverse("admin:claims_article_candidate_create", args=[article.pk])
    return client.post(url, {"start": start, "end": end})


def test_one_click_makes_a_claim_with_its_appearance(client, reporter, article, desk):
    client.force_login(reporter)
    sentence = "Russia's Defence Ministry said on Friday that its forces had taken Dzerzhynsk."
    start = article.body.index(sentence)

    response = create(client, article, start, start + len(sentence))

    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response.url == change_url(claim)
    assert claim.statement == "Russia's Defence Ministry says its forces had taken Dzerzhynsk"
    assert claim.quote == sentence
    assert claim.claimant == desk["ministry"]
    assert claim.claimed_on == datetime.date(2025, 2, 7)
    assert list(claim.places.all()) == [desk["toretsk"]]
    assert claim.created_by == reporter
    appearance = Appearance.objects.get()
    assert (appearance.article, appearance.passage) == (article, sentence)
    assert messages_of(response)[0].startswith("Claim created from the article. Shorten")

    page = client.get(change_url(article)).content.decode()
    assert "Made a claim: <a href=" in page
    assert page.count("Review and create claim") == 1


def test_an_unmatched_claimant_becomes_a_new_source(client, reporter, article):
    client.force_login(reporter)
    start = article.body.index('"Our units')
    end = article.body.index("said.") + len("said.")

    response = create(client, article, start, end)

    claim = Claim.objects.get()
    assert claim.claimant.name == "Ukrainian spokesman Viktor Trehubov"
    assert claim.quote == "Our units still hold the north-west"
    assert "New source “Ukrainian spokesman Viktor Trehubov” added" in messages_of(response)[0]


def test_a_candidate_can_be_linked_to_an_existing_similar_claim(client, reporter, article, desk):
    existing = factories.ClaimFactory(
        statement="Russia's Defence Ministry said its forces had taken Dzerzhynsk",
        claimant=desk["ministry"],
    )
    client.force_login(reporter)
    page = client.get(change_url(article)).content.decode()
    assert "Link to this claim" in page
    assert "said its forces had taken Dzerzhynsk</a>" in page

    sentence = "Russia's Defence Ministry said on Friday that its forces had taken Dzerzhynsk."
    start = article.body.index(sentence)
    response = client.post(
        reverse("admin:claims_article_candidate_link", args=[article.pk]),
        {"start": start, "end": start + len(sentence), "claim": existing.pk},
    )

    assert response.url == change_url(article)
    appearance = Appearance.objects.get()
    assert (appearance.claim, appearance.passage) == (existing, sentence)
    assert Claim.objects.count() == 1
    assert "now recorded as an appearance" in messages_of(response)[0]


def test_a_stale_passage_is_refused(client, reporter, article):
    client.force_login(reporter)
    response = create(client, article, 3, 10)
    assert response.url == change_url(article)
    assert "no longer a candidate in this article" in messages_of(response)[0]
    assert not Claim.objects.exists()


def test_making_claims_needs_permission(client, article):
    viewer = factories.UserFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    start = article.body.index("Russia's")

    response = create(client, article, start, article.body.index("\n"))

    assert messages_of(response) == ["You are not allowed to make claims from articles."]
    assert not Claim.objects.exists()
    assert "Create claim" not in client.get(change_url(article)).content.decode()


def test_the_buttons_only_post_with_a_csrf_token(reporter, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    sources = Source.objects.count()
    url = reverse("admin:claims_article_candidate_create", args=[article.pk])
    assert client.post(url, {"start": 0, "end": 10}).status_code == 403
    assert client.get(url).status_code == 405
    dismiss = reverse("admin:claims_article_candidate_dismiss", args=[article.pk])
    assert client.post(dismiss, {"start": 0, "end": 10, "reason": "x"}).status_code == 403
    assert not Claim.objects.exists() and Source.objects.count() == sources


def test_the_import_page_needs_the_outlet_when_the_text_does_not_say_it(client, reporter):
    client.force_login(reporter)
    text = "Bridge reopens\n\nThe regional governor said the bridge had reopened on Friday morning."
    response = client.post(reverse(IMPORT_URL), {"text": text})
    assert not Article.objects.exists()
    assert "needs its outlet" in " ".join(messages_of(response))

    client.post(reverse(IMPORT_URL), {"text": text + "\n\nReuters contributed to this report."})
    assert Article.objects.get().outlet.name == "Reuters"
