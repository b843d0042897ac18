"""Readers send claims to check: CSRF, honeypot, length limits, rate limit, thank-you."""

import pytest
from django.test import Client

from claims import selectors
from claims.models import ClaimSubmission

pytestmark = pytest.mark.django_db

GOOD = {
    "text": "A channel says a bridge near Kostiantynivka was destroyed on Monday.",
    "link": "https://social.example/post/1",
    "contact": "reader@example.org",
    "website": "",
}


def test_form_page_has_labels_and_a_csrf_token(client):
    html = client.get("/submit/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<label for="id_text">' in html and '<label for="id_link">' in html
    assert 'class="honeypot"' in html


def test_a_claim_lands_in_the_desks_queue_and_the_reader_is_thanked(client):
    response = client.post("/submit/", GOOD, follow=True)
    assert response.redirect_chain == [("/submit/thanks/", 302)]
    assert "Thank you" in response.content.decode()
    (submission,) = selectors.claim_submissions_waiting()
    assert submission.text == GOOD["text"] and submission.contact == "reader@example.org"
    assert len(submission.client_hash) == 64 and "127.0.0.1" not in submission.client_hash


def test_post_without_csrf_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/submit/", GOOD).status_code == 403
    assert not ClaimSubmission.objects.exists()


def test_honeypot_filled_in_is_thanked_but_not_saved(client):
    response = client.post("/submit/", {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not ClaimSubmission.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("text", "", "This field is required."),
        ("text", "too short", "at least 10 characters"),
        ("text", "x" * 2001, "at most 2000 characters"),
        ("link", "javascript:alert(1)", "Enter a valid URL."),
        ("link", "https://e.example/" + "x" * 1000, "at most 1000 characters"),
        ("contact", "x" * 201, "at most 200 characters"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, field, value, message):
    response = client.post("/submit/", {**GOOD, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ClaimSubmission.objects.exists()


def test_each_client_is_rate_limited(client, settings):
    settings.READER_SUBMISSIONS_PER_HOUR = 2
    for _ in range(2):
        assert client.post("/submit/", GOOD).status_code == 302
    response = client.post("/submit/", GOOD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "try again in an hour" in html
    assert GOOD["text"] in html  # what the reader typed is kept
    assert ClaimSubmission.objects.count() == 2
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/submit/", GOOD).status_code == 302


def test_rate_limit_uses_the_proxy_header_when_configured(settings, db):
    settings.READER_SUBMISSIONS_PER_HOUR = 1
    settings.READER_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    first = Client(HTTP_X_REAL_IP="203.0.113.1")
    second = Client(HTTP_X_REAL_IP="203.0.113.2")
    assert first.post("/submit/", GOOD).status_code == 302
    assert first.post("/submit/", GOOD).status_code == 429
    assert second.post("/submit/", GOOD).status_code == 302


def test_submissions_are_never_shown_to_readers(client, desk):
    client.post("/submit/", {**GOOD, "text": "Reader says SUBMITTED-TEXT happened in Toretsk"})
    assert ClaimSubmission.objects.count() == 1
    for url in (
        "/",
        "/claims/",
        "/places/toretsk/",
        "/feeds/verdicts.atom",
        "/sitemap.xml",
    ):
        assert "SUBMITTED-TEXT" not in client.get(url).content.decode(), url
    assert (
        "Nothing we have published matches"
        in client.get("/search/", {"q": "SUBMITTED-TEXT"}).content.decode()
    )


def test_every_role_can_see_and_handle_the_queue(reporter, factchecker, editor):
    for user in (reporter, factchecker, editor):
        assert user.has_perm("claims.view_claimsubmission")
        assert user.has_perm("claims.change_claimsubmission")


def test_the_form_page_is_never_cached(client):
    response = client.get("/submit/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_reader_submissions_do_not_invalidate_cached_pages(client, desk):
    client.get("/")
    client.post("/submit/", GOOD)
    assert client.get("/")["X-Reader-Cache"] == "hit"
