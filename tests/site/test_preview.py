"""Drafts are 404 for readers; logged-in desk staff get a clearly marked preview."""

import pytest
from django.contrib.auth import get_user_model

from .conftest import SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_of_public(db):
    return get_user_model().objects.create_user("reader", password="not a staff member")


@pytest.fixture
def draft_urls(desk):
    return [
        "/explainers/draft-explainer/",
        desk.unpublished.get_absolute_url(),
        "/places/secret-hamlet/",
        "/sources/draft-channel/",
    ]


def test_drafts_are_404_for_anonymous_readers(client, draft_urls):
    for url in draft_urls:
        assert client.get(url).status_code == 404, url


def test_drafts_are_404_for_logged_in_users_who_are_not_staff(client, draft_urls, member_of_public):
    client.force_login(member_of_public)
    for url in draft_urls:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", ["reporter", "factchecker", "editor"])
def test_staff_get_a_marked_preview_of_drafts(client, draft_urls, role_users, role):
    client.force_login(role_users[role])
    for url in draft_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<div class="preview-banner" role="status">' in html
        assert '<meta name="robots" content="noindex">' in html
        assert SECRET in html


def test_explainer_preview_shows_the_claims_it_will_publish(client, desk, editor):
    client.force_login(editor)
    html = client.get("/explainers/draft-explainer/").content.decode()
    assert "This explainer is draft." in html
    assert f"Unpublished claim {SECRET}" in html


def test_published_pages_are_not_marked_as_previews_for_staff(client, desk, editor):
    client.force_login(editor)
    html = client.get("/explainers/why-toretsk-matters/").content.decode()
    assert "preview-banner" not in html
