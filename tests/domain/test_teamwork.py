"""The desk's working day between people: assignments, internal notes with mentions, and the
e-mail each step sends, checked at a real SMTP server the test starts (aiosmtpd)."""

import datetime
import logging

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from claims import notifications, workflow
from claims.errors import DeskError
from claims.models import AuditEvent, Claim, MutedNotification, Verification
from claims.services import teamwork

from .. import factories
from ..network import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a step as a request would: its on-commit work (the e-mail) runs after it."""

    def run(step, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return step(*args, **kwargs)

    return run


@pytest.fixture
def draft(claim, factchecker):
    return workflow.verification_create(
        claim=claim, by=factchecker, verdict="disputed", rationale="Two accounts differ."
    )


def test_a_verification_submitted_returned_and_published_tells_each_person_once(
    inbox, committed, draft, factchecker, editor, second_editor, reporter
):
    committed(workflow.verification_submit, verification=draft, by=factchecker)
    review = inbox.received()
    assert sorted(to for to, _, _ in review) == sorted([editor.email, second_editor.email])
    assert all(subject.startswith("[Claims desk] For review:") for _, subject, _ in review)
    assert f"/admin/claims/verification/{draft.pk}/change/" in review[0][2]

    committed(workflow.verification_return, verification=draft, by=editor, note="Cite the map.")
    [(subject, body)] = inbox.to(factchecker)
    assert subject.startswith("[Claims desk] Returned to you:")
    assert "Cite the map." in body

    committed(workflow.verification_reopen, verification=draft, by=factchecker)
    committed(workflow.verification_submit, verification=draft, by=factchecker)
    committed(workflow.verification_publish, verification=draft, by=second_editor)
    published = [s for s, _ in inbox.to(factchecker) if s.startswith("[Claims desk] Published")]
    assert len(published) == 1
    assert not inbox.to(reporter)  # concerned by none of it
    # Nobody hears of their own step: editor2 published, and got only the review requests.
    assert [s for s, _ in inbox.to(second_editor)] == [
        "[Claims desk] For review: " + str(draft.claim)
    ] * 2


def test_an_editor_assigns_a_claim_with_a_due_date_and_the_assignee_hears_of_it(
    inbox, committed, claim, editor, reporter
):
    due = timezone.localdate() + datetime.timedelta(days=2)
    committed(
        teamwork.assignment_set,
        obj=claim,
        by=editor,
        assignee=reporter,
        due_on=due,
        note="Call the brigade.",
    )

    claim.refresh_from_db()
    assert (claim.assigned_to, claim.due_on) == (reporter, due)
    [(subject, body)] = inbox.to(reporter)
    assert subject == f"[Claims desk] Assigned to you: {claim}"
    assert f"Due {due:%A %d %B %Y}" in body and "Call the brigade." in body
    event = AuditEvent.objects.get(action="claim.assign")
    assert event.actor == editor and event.note == "Call the brigade."
    assert (
        claim.history.first().history_change_reason == f"assigned to {reporter}, due {due:%d %b %Y}"
    )


def test_only_an_editor_assigns_someone_else_and_nobody_sets_a_past_due_date(
    claim, reporter, factchecker, editor
):
    with pytest.raises(DeskError, match="Only an editor assigns work to someone else"):
        teamwork.assignment_set(obj=claim, by=reporter, assignee=factchecker)
    teamwork.assignment_set(obj=claim, by=reporter, assignee=reporter)  # takes it on
    with pytest.raises(DeskError, match="Only an editor takes an assignment away"):
        teamwork.assignment_set(obj=claim, by=factchecker, assignee=None)
    with pytest.raises(DeskError, match="in the past"):
        teamwork.assignment_set(
            obj=claim,
            by=editor,
            assignee=reporter,
            due_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    outsider = factories.UserFactory(is_staff=False)
    with pytest.raises(DeskError, match="cannot be assigned"):
        teamwork.assignment_set(obj=claim, by=editor, assignee=outsider)
    claim.refresh_from_db()
    assert claim.assigned_to == reporter and claim.due_on is None


def test_a_person_who_turned_a_kind_off_gets_none_of_it(inbox, committed, claim, editor, reporter):
    MutedNotification.objects.create(user=reporter, kind="assigned")

    committed(teamwork.assignment_set, obj=claim, by=editor, assignee=reporter)

    assert inbox.received() == []


def test_a_mention_in_a_note_emails_the_person_mentioned_and_the_note_stays_in_the_desk(
    inbox, committed, claim, editor, factchecker, reporter, client
):
    note = committed(
        teamwork.note_add,
        subject=claim,
        by=editor,
        text="@FactChecker can you find the drone video? (not @nobody, not me@example.org)",
    )

    assert list(note.mentions.all()) == [factchecker]
    [(subject, body)] = inbox.to(factchecker)
    assert subject.startswith("[Claims desk] ") and "mentioned you" in subject
    assert "can you find the drone video?" in body
    assert not inbox.to(reporter)


def test_the_mail_server_down_leaves_the_publish_done_and_the_failure_logged(
    settings, committed, draft, factchecker, editor, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    workflow.verification_submit(verification=draft, by=factchecker)

    with caplog.at_level(logging.WARNING, logger="claims.notifications"):
        committed(workflow.verification_publish, verification=draft, by=editor)
        notifications.flush()

    draft.refresh_from_db()
    assert draft.status == Verification.Status.PUBLISHED
    assert draft.claim.current_verification_id == draft.pk
    assert "notification not sent: ConnectionRefusedError (1 message(s), published)" in caplog.text


def test_a_scheduled_explainer_going_live_tells_its_authors(
    inbox, committed, explainer, factchecker, editor, reporter
):
    explainer.authors.add(reporter)
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    soon = timezone.now() + datetime.timedelta(minutes=5)
    workflow.explainer_publish(explainer=explainer, by=editor, at=soon)

    committed(workflow.explainers_publish_due, now=soon + datetime.timedelta(seconds=1))

    [(subject, body)] = inbox.to(reporter)
    assert subject == f"[Claims desk] Now live: {explainer}"
    assert "went live at its scheduled time" in body


def test_the_desk_pages_assign_add_notes_and_show_the_queues(client, claim, editor, reporter):
    client.force_login(editor)
    change = reverse("admin:claims_claim_change", args=[claim.pk])
    due = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    response = client.post(
        reverse("admin:claims_claim_assign", args=[claim.pk]),
        {"assignee": reporter.pk, "due_on": due, "note": ""},
    )
    assert response.status_code == 302 and response["Location"] == change
    response = client.post(
        reverse("admin:claims_claim_note", args=[claim.pk]), {"text": "Ask @reporter first."}
    )
    assert response.status_code == 302

    page = client.get(change).content.decode()
    assert f"Assigned to <strong>{reporter}</strong>" in page
    assert "Ask @reporter first." in page and "Internal notes (1)" in page

    client.force_login(reporter)
    dashboard = client.get(reverse("admin:index")).content.decode()
    assert "Assigned to me" in dashboard and str(claim)[:40] in dashboard
    mine = client.get(reverse("admin:claims_claim_changelist") + "?assigned=me")
    assert str(claim)[:40] in mine.content.decode()


def test_a_reporter_cannot_assign_a_colleague_in_the_desk_and_is_told_why(
    client, claim, reporter, factchecker
):
    client.force_login(reporter)
    response = client.post(
        reverse("admin:claims_claim_assign", args=[claim.pk]),
        {"assignee": factchecker.pk, "due_on": "", "note": ""},
        follow=True,
    )
    assert "Only an editor assigns work to someone else" in response.content.decode()
    claim.refresh_from_db()
    assert claim.assigned_to is None


def test_overdue_work_is_on_the_dashboard_until_it_is_done(
    client, claim, editor, reporter, publish_verification
):
    teamwork.assignment_set(obj=claim, by=editor, assignee=reporter, due_on=timezone.localdate())
    from claims.models import Claim

    today = timezone.localdate() + datetime.timedelta(days=1)
    assert list(teamwork.overdue(Claim.objects.all(), today=today)) == [claim]
    publish_verification(claim, verdict="false")
    assert list(teamwork.overdue(Claim.objects.all(), today=today)) == []


def test_the_api_assigns_and_keeps_notes_for_the_desk_only(claim, editor, reporter):
    staff = APIClient()
    staff.force_authenticate(editor)

    assigned = staff.post(
        f"/api/v1/claims/{claim.pk}/assign/", {"assignee": reporter.pk}, format="json"
    )
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["assigned_to"]["username"] == "reporter"
    listed = staff.get("/api/v1/claims/?assigned_to=" + str(reporter.pk)).json()["results"]
    assert [c["id"] for c in listed] == [claim.pk]
    added = staff.post(
        f"/api/v1/claims/{claim.pk}/notes/", {"text": "Check @reporter"}, format="json"
    )
    assert added.status_code == 201, added.content
    assert added.json()["mentions"][0]["username"] == "reporter"
    assert [n["text"] for n in staff.get(f"/api/v1/claims/{claim.pk}/notes/").json()["notes"]] == [
        "Check @reporter"
    ]

    anonymous = APIClient()
    assert anonymous.get(f"/api/v1/claims/{claim.pk}/notes/").status_code in (401, 403, 404)
    assert anonymous.get("/api/v1/claims/?assigned_to=me").status_code == 400
    assert anonymous.post(
        f"/api/v1/claims/{claim.pk}/assign/", {"assignee": None}, format="json"
    ).status_code in (401, 403)


def test_the_api_filters_overdue_work_and_refuses_a_filter_it_does_not_know(
    claim, editor, reporter
):
    teamwork.assignment_set(obj=claim, by=editor, assignee=reporter, due_on=timezone.localdate())
    Claim.objects.filter(pk=claim.pk).update(due_on=timezone.localdate() - datetime.timedelta(1))
    staff = APIClient()
    staff.force_authenticate(editor)

    overdue = staff.get("/api/v1/claims/?assigned_to=overdue").json()["results"]
    refused = staff.get("/api/v1/claims/?assigned_to=someone")

    assert [c["id"] for c in overdue] == [claim.pk]
    assert refused.status_code == 400 and "overdue" in refused.content.decode()


def test_a_hostile_note_is_shown_as_text_in_the_desk(client, claim, editor):
    teamwork.note_add(subject=claim, by=editor, text='<script>alert("x")</script> <b>bold</b>')
    client.force_login(editor)

    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()

    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in page
    assert '<script>alert("x")</script>' not in page


def test_a_worker_keeps_no_list_of_the_mail_threads_that_have_finished(
    inbox, committed, claim, editor, reporter
):
    for due in range(1, 4):
        committed(
            teamwork.assignment_set,
            obj=claim,
            by=editor,
            assignee=reporter,
            due_on=timezone.localdate() + datetime.timedelta(days=due),
        )
        for sender in list(notifications._senders):
            sender.join(10)

    assert len(notifications._senders) <= 1
    assert len(inbox.to(reporter)) == 3
