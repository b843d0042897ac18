"""Markdown fields show, beneath them, what readers will see: the reader site's renderer."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from .conftest import change_url

HOSTILE = (
    "<script>alert(1)</script>\n\n"
    "[click](javascript:alert(2))\n\n"
    '<img src=x onerror="alert(3)">\n\n'
    "![pic](javascript:alert(4))\n\n"
    "**bold** and [a source](https://example.org/report)"
)


class Elements(HTMLParser):
    """The tags and attributes of an HTML fragment, as a browser would build them."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def preview(client, text):
    return client.post(reverse("admin:desk_markdown_preview"), {"text": text})


def test_preview_renders_markdown_as_the_reader_site_does(client, factchecker):
    client.force_login(factchecker)
    response = preview(client, "# Findings\n\nThe *video* is [older](https://example.org/a).")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2>Findings</h2>" in html
    assert "<em>video</em>" in html
    assert 'href="https://example.org/a"' in html


def test_hostile_markdown_comes_back_inert(client, factchecker):
    client.force_login(factchecker)
    html = preview(client, HOSTILE).content.decode()
    elements = Elements(html).found
    assert {tag for tag, _ in elements} <= {"p", "a", "strong"}
    assert all(not name.startswith("on") for _, attrs in elements for name in attrs)
    hrefs = [attrs.get("href", "") for tag, attrs in elements if tag == "a"]
    assert hrefs == ["https://example.org/report"]
    assert "&lt;script&gt;" in html  # shown to the editor as the text they typed


@pytest.mark.django_db
def test_anonymous_preview_is_refused(client):
    response = preview(client, "**hello**")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert b"<strong>" not in response.content


@pytest.mark.django_db
def test_non_staff_preview_is_refused(client):
    reader = get_user_model().objects.create_user("reader", password="x")
    client.force_login(reader)
    response = preview(client, "**hello**")
    assert response.status_code == 302
    assert b"<strong>" not in response.content


@pytest.mark.django_db
def test_staff_without_permission_to_see_texts_is_refused(client):
    stranger = get_user_model().objects.create_user("stranger", password="x", is_staff=True)
    client.force_login(stranger)
    assert preview(client, "**hello**").status_code == 403


def test_preview_refuses_get(client, factchecker):
    client.force_login(factchecker)
    response = client.get(reverse("admin:desk_markdown_preview"), {"text": "**hello**"})
    assert response.status_code == 405


def test_preview_checks_csrf(factchecker):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(factchecker)
    assert preview(client, "**hello**").status_code == 403


def test_rationale_field_has_a_preview_of_the_saved_text(client, factchecker, draft_verification):
    draft_verification.rationale = "The **geolocation** matches."
    draft_verification.save(update_fields=["rationale"])
    client.force_login(factchecker)
    page = client.get(change_url(draft_verification)).content.decode()
    assert 'data-markdown-preview="/' in page
    assert "<strong>geolocation</strong>" in page
    assert "desk/markdown_preview.js" in page


def test_explainer_body_and_context_notes_have_previews(client, editor, explainer, claim):
    explainer.explainer_claims.create(claim=claim, position=0, context_note="See *the map*.")
    client.force_login(editor)
    page = client.get(change_url(explainer)).content.decode()
    assert 'name="body"' in page
    assert page.count("data-markdown-preview=") >= 2
    assert "<em>the map</em>" in page


def test_reviewer_sees_the_rendered_rationale_not_raw_markdown(
    client, editor, submitted_verification
):
    submitted_verification.rationale = "The **geolocation** matches [the map](https://x.org)."
    submitted_verification.save(update_fields=["rationale"])
    client.force_login(editor)
    page = client.get(change_url(submitted_verification)).content.decode()
    assert "<strong>geolocation</strong>" in page
    assert "**geolocation**" not in page
