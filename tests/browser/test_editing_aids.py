"""Editing aids in headless Chromium: Markdown previews drawn by the reader site's renderer
as the editor types, and an explainer's claims put in order without typing numbers."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def open_as(browse, user, path):
    page = browse(viewport={"width": 1280, "height": 800})
    browse.login(page, user)
    assert page.goto(path).status == 200
    return page


def test_rationale_preview_follows_the_typing_and_stays_inert(
    browse, factchecker, draft_verification
):
    path = reverse("admin:claims_verification_change", args=[draft_verification.pk])
    page = open_as(browse, factchecker, path)
    page.fill("#id_rationale", "The **video** is older.\n\n<script>window.hit = 1</script>")
    rendered = page.locator("#id_rationale + .desk-markdown-preview .desk-markdown-rendered")
    rendered.locator("strong", has_text="video").wait_for()
    assert "<script>window.hit = 1</script>" in rendered.inner_text()
    assert page.evaluate("window.hit") is None
