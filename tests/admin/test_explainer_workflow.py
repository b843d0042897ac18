"""Explainer workflow from the admin: review, publish now or later, unpublish, corrections."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import workflow
from claims.models import AuditEvent, Correction, Explainer, ExplainerClaim

from .. import factories
from .conftest import change_url, messages_of, no_inline_forms, transition_url

ES = Explainer.Status


@pytest.fixture
def in_review(explainer, factchecker):
    return workflow.explainer_submit(explainer=explainer, by=factchecker)


def test_factchecker_sends_a_draft_for_review(client, factchecker, explainer):
    client.force_login(factchecker)
    client.post(transition_url(explainer, "submit"))

    explainer.refresh_from_db()
    assert explainer.status == ES.IN_REVIEW
    assert AuditEvent.objects.filter(action="explainer.submit", actor=factchecker).exists()


def test_editor_publishes_now(client, editor, in_review):
    client.force_login(editor)
    response = client.post(transition_url(in_review, "publish"), {"at": "", "change_note": ""})

    assert messages_of(response) == ["Published: readers see it now."]
    in_review.refresh_from_db()
    assert in_review.status == ES.PUBLISHED
    assert in_review.first_published_at is not None
    assert AuditEvent.objects.filter(action="explainer.publish", actor=editor).exists()


def test_editor_schedules_for_a_time(client, editor, in_review):
    at = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    client.force_login(editor)

    response = client.post(
        transition_url(in_review, "publish"), {"at": at.strftime("%Y-%m-%dT%H:%M")}
    )

    assert messages_of(response)[0].startswith("Scheduled for")
    in_review.refresh_from_db()
    assert in_review.status == ES.SCHEDULED
    assert in_review.publish_at == at
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.to_state) == ("explainer.schedule", ES.SCHEDULED)


def test_bad_publish_time_is_refused(client, editor, in_review):
    client.force_login(editor)
    response = client.post(transition_url(in_review, "publish"), {"at": "next tuesday"})

    assert messages_of(response)
    in_review.refresh_from_db()
    assert in_review.status == ES.IN_REVIEW


def test_a_live_explainer_is_not_published_again_but_revised(client, editor, live_explainer):
    client.force_login(editor)

    page = client.get(change_url(live_explainer)).content.decode()
    refused = client.post(transition_url(live_explainer, "publish"), {"change_note": "Again."})

    assert transition_url(live_explainer, "publish") not in page
    assert any("live already" in message for message in messages_of(refused))
    assert not live_explainer.corrections.exists()


def test_republishing_an_unpublished_explainer_needs_a_change_note(
    client, editor, second_editor, live_explainer
):
    workflow.explainer_unpublish(explainer=live_explainer, by=editor, reason="Checking a fact.")
    client.force_login(second_editor)

    refused = client.post(transition_url(live_explainer, "publish"), {"change_note": ""})
    assert any("say what changed" in message for message in messages_of(refused))

    client.post(
        transition_url(live_explainer, "publish"), {"change_note": "Added the brigade's statement."}
    )
    assert live_explainer.corrections.get().kind == Correction.Kind.UPDATE


def test_editor_unpublishes_with_a_reason(client, editor, live_explainer):
    client.force_login(editor)

    refused = client.post(transition_url(live_explainer, "unpublish"), {"reason": ""})
    assert any("reason" in message for message in messages_of(refused))
    live_explainer.refresh_from_db()
    assert live_explainer.status == ES.PUBLISHED

    client.post(transition_url(live_explainer, "unpublish"), {"reason": "Source withdrew."})

    live_explainer.refresh_from_db()
    assert live_explainer.status == ES.UNPUBLISHED
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.note) == ("explainer.unpublish", "Source withdrew.")


def test_editor_returns_an_explainer_in_review(client, editor, in_review):
    client.force_login(editor)
    client.post(transition_url(in_review, "return"), {"note": "Shorter standfirst."})

    in_review.refresh_from_db()
    assert in_review.status == ES.DRAFT
    assert AuditEvent.objects.filter(action="explainer.return", note="Shorter standfirst.").exists()


def test_editor_issues_a_correction(client, editor, live_explainer):
    client.force_login(editor)
    page = client.get(change_url(live_explainer)).content.decode()
    assert transition_url(live_explainer, "correction") in page

    client.post(
        transition_url(live_explainer, "correction"),
        {"kind": "correction", "text": "The brigade is the 100th, not the 101st."},
    )

    correction = live_explainer.corrections.get()
    assert (correction.kind, correction.created_by) == ("correction", editor)
    assert AuditEvent.objects.filter(action="correction.correction", actor=editor).exists()
    page = client.get(change_url(live_explainer)).content.decode()
    assert "The brigade is the 100th, not the 101st." in page


def test_correction_add_form_issues_through_the_workflow(client, editor, live_explainer):
    client.force_login(editor)
    response = client.post(
        reverse("admin:claims_correction_add"),
        {
            "explainer": live_explainer.pk,
            "kind": "clarification",
            "text": "To be clear: ...",
        },
    )

    assert response.status_code == 302
    correction = Correction.objects.get()
    assert (correction.kind, correction.created_by) == ("clarification", editor)
    assert AuditEvent.objects.filter(action="correction.clarification").exists()


def test_correction_add_form_refuses_a_draft_explainer(client, editor, explainer):
    client.force_login(editor)
    response = client.post(
        reverse("admin:claims_correction_add"),
        {
            "explainer": explainer.pk,
            "kind": "correction",
            "text": "Too early.",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["explainer"]
    assert not Correction.objects.exists()


def test_published_explainer_cannot_be_deleted(client, editor, live_explainer):
    client.force_login(editor)
    url = reverse("admin:claims_explainer_delete", args=[live_explainer.pk])
    response = client.post(url, {"post": "yes"})
    assert response.url == change_url(live_explainer)
    assert messages_of(response) == [
        "This explainer cannot be deleted: readers have seen it, and the desk keeps what they saw."
    ]
    assert Explainer.objects.filter(pk=live_explainer.pk).exists()


def test_explainer_in_review_is_read_only_for_a_factchecker(client, factchecker, in_review, claim):
    ExplainerClaim.objects.create(explainer=in_review, claim=claim, context_note="Why.")
    client.force_login(factchecker)

    page = client.get(change_url(in_review)).content.decode()

    assert 'name="body"' not in page
    assert 'name="explainer_claims-0-context_note"' not in page
    assert "Why." in page


def test_explainer_claims_are_listed_in_their_order_with_notes(client, editor, explainer):
    second = factories.ClaimFactory(statement="Ukraine says its brigade still holds the mine")
    first = factories.ClaimFactory(statement="Russia says it took the town centre")
    ExplainerClaim.objects.create(
        explainer=explainer, claim=second, position=2, context_note="The brigade's answer."
    )
    ExplainerClaim.objects.create(explainer=explainer, claim=first, position=1)
    client.force_login(editor)

    page = client.get(change_url(explainer)).content.decode()

    assert page.index(first.statement) < page.index(second.statement)
    assert "The brigade&#x27;s answer." in page
    assert "Not yet assessed" in page


def test_explainer_added_in_the_admin_records_its_creator(client, factchecker):
    client.force_login(factchecker)
    response = client.post(
        reverse("admin:claims_explainer_add"),
        {
            "title": "Why Toretsk matters",
            "slug": "why-toretsk-matters",
            "standfirst": "High ground.",
            "body": "The town sits on high ground.",
            **no_inline_forms("explainer_claims", "corrections"),
        },
    )

    assert response.status_code == 302
    explainer = Explainer.objects.get()
    assert explainer.status == ES.DRAFT
    assert explainer.created_by == factchecker
    assert list(explainer.authors.all()) == [factchecker]


def test_button_on_a_stale_page_is_refused(client, editor, second_editor, in_review):
    """Two editors publish at once: the second, still seeing "in review", is refused."""
    client.force_login(editor)
    page = client.get(change_url(in_review)).content.decode()
    assert 'name="seen_status" value="in_review"' in page
    workflow.explainer_publish(explainer=in_review, by=second_editor)

    response = client.post(
        transition_url(in_review, "publish"),
        {"seen_status": "in_review", "change_note": "My edit."},
    )

    assert any("Someone else has just changed" in m for m in messages_of(response))
    assert not in_review.corrections.exists()


def test_a_draft_explainer_has_a_preview_of_its_reader_page(client, factchecker, explainer):
    client.force_login(factchecker)
    page = client.get(change_url(explainer)).content.decode()
    assert f'<a href="{explainer.get_absolute_url()}" class="viewsitelink" target="_blank"' in page
    preview = client.get(explainer.get_absolute_url())
    assert '<div class="preview-banner" role="status">' in preview.content.decode()


def test_a_live_explainer_has_view_on_site_not_preview(client, editor, live_explainer):
    client.force_login(editor)
    page = client.get(change_url(live_explainer)).content.decode()
    assert "View on site" in page
    assert ">Preview<" not in page


def test_unpublish_asks_first_what_readers_will_lose(client, editor, live_explainer):
    client.force_login(editor)
    page = client.get(change_url(live_explainer)).content.decode()
    assert 'data-confirm="Unpublish this explainer? Readers will no longer see it."' in page
    assert "desk/confirm.js" in page
