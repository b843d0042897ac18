"""Editing aids in headless Chromium: Markdown previews drawn by the reader site's renderer
as the editor types, and an explainer's claims put in order without typing numbers."""

import pytest
from django.urls import reverse

from .. import factories

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


def test_editor_moves_a_claim_to_the_top_with_the_buttons_and_saves(browse, editor, explainer):
    claims = [factories.ClaimFactory(statement=f"Claim number {n} about the dam") for n in "123"]
    for position, claim in enumerate(claims):
        explainer.explainer_claims.create(claim=claim, position=position)
    path = reverse("admin:claims_explainer_change", args=[explainer.pk])
    page = open_as(browse, editor, path)
    last = page.locator("#explainer_claims-group tr.form-row.has_original").nth(2)
    last.get_by_role("button", name="Move up").click()
    page.keyboard.press("Enter")  # focus stays on the button: move it up once more
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    order = explainer.explainer_claims.order_by("position").values_list("claim", flat=True)
    assert list(order) == [claims[2].pk, claims[0].pk, claims[1].pk]


def test_editor_drags_a_claim_to_the_top(browse, editor, explainer):
    claims = [factories.ClaimFactory(statement=f"Claim number {n} about the dam") for n in "12"]
    for position, claim in enumerate(claims):
        explainer.explainer_claims.create(claim=claim, position=position)
    path = reverse("admin:claims_explainer_change", args=[explainer.pk])
    page = open_as(browse, editor, path)
    rows = page.locator("#explainer_claims-group tr.form-row.has_original")
    rows.nth(1).locator(".desk-drag-handle").drag_to(rows.nth(0), target_position={"x": 5, "y": 2})
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    order = explainer.explainer_claims.order_by("position").values_list("claim", flat=True)
    assert list(order) == [claims[1].pk, claims[0].pk]


def test_reordering_a_live_explainers_claims_waits_for_review_then_reaches_readers(
    browse, factchecker, editor, live_explainer, publish_verification, client
):
    from claims.models import Revision
    from claims.services import revisions

    claims = [factories.ClaimFactory(statement=f"Claim number {n} about the dam") for n in "12"]
    for position, claim in enumerate(claims):
        publish_verification(claim)
        live_explainer.explainer_claims.create(claim=claim, position=position)

    def reader_order():
        page = client.get(live_explainer.get_absolute_url()).content.decode()
        return [page.index(claim.statement) for claim in claims]

    first, second = reader_order()
    assert first < second
    path = reverse("admin:claims_explainer_change", args=[live_explainer.pk])
    page = open_as(browse, factchecker, path)
    rows = page.locator("#explainer_claims-group tr.form-row.has_original")
    rows.nth(1).locator(".desk-drag-handle").drag_to(rows.nth(0), target_position={"x": 5, "y": 2})
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    # Readers still see the published order: the new one is a revision for an editor.
    first, second = reader_order()
    assert first < second
    revision = Revision.objects.get(explainer=live_explainer, status=Revision.Status.PENDING)
    assert [row["claim"] for row in revision.proposed["claims"]] == [claims[1].pk, claims[0].pk]

    revisions.revision_publish(revision=revision, by=editor, kind="minor")
    first, second = reader_order()
    assert second < first
