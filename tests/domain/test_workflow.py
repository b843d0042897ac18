"""Every workflow transition, allowed and refused, per role and state."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from claims import selectors, workflow
from claims.errors import DeskError
from claims.models import AuditEvent, Claim, Correction, Explainer, Verification

from .. import factories

pytestmark = pytest.mark.django_db

VS = Verification.Status
ES = Explainer.Status
OK, FORBIDDEN, CONFLICT = "ok", "forbidden", "conflict"


# --- verifications ------------------------------------------------------------------------


def _verification_in(state, *, claim, author, publisher):
    verification = workflow.verification_create(
        claim=claim, by=author, verdict="unconfirmed", rationale="No footage confirms it."
    )
    if state == VS.DRAFT:
        return verification
    workflow.verification_submit(verification=verification, by=author)
    if state == VS.RETURNED:
        workflow.verification_return(verification=verification, by=publisher, note="Add a source")
    elif state == VS.PUBLISHED:
        workflow.verification_publish(verification=verification, by=publisher)
    return verification


VERIFICATION_ACTIONS = {
    "submit": lambda v, user: workflow.verification_submit(verification=v, by=user),
    "return": lambda v, user: workflow.verification_return(
        verification=v, by=user, note="Needs the map"
    ),
    "reopen": lambda v, user: workflow.verification_reopen(verification=v, by=user),
    "publish": lambda v, user: workflow.verification_publish(verification=v, by=user),
}
# action -> (roles allowed, states it may start from, state it ends in)
VERIFICATION_RULES = {
    "submit": ({"factchecker", "editor"}, {VS.DRAFT}, VS.SUBMITTED),
    "return": ({"editor"}, {VS.SUBMITTED}, VS.RETURNED),
    "reopen": ({"reporter", "factchecker", "editor"}, {VS.RETURNED}, VS.DRAFT),
    "publish": ({"editor"}, {VS.SUBMITTED}, VS.PUBLISHED),
}


@pytest.mark.parametrize("action", VERIFICATION_RULES)
@pytest.mark.parametrize("role", ["reporter", "factchecker", "editor"])
@pytest.mark.parametrize("state", VS.values)
def test_verification_transition_per_role_and_state(
    action, role, state, claim, role_users, second_editor
):
    roles_allowed, from_states, to_state = VERIFICATION_RULES[action]
    # The author is a second editor so that four eyes never decides these cases.
    verification = _verification_in(
        state, claim=claim, author=second_editor, publisher=role_users["editor"]
    )
    events_before = AuditEvent.objects.count()
    expected = (
        FORBIDDEN if role not in roles_allowed else (OK if state in from_states else CONFLICT)
    )

    if expected == OK:
        VERIFICATION_ACTIONS[action](verification, role_users[role])
        verification.refresh_from_db()
        assert verification.status == to_state
        event = AuditEvent.objects.latest("id")
        assert (event.actor, event.action, event.from_state, event.to_state) == (
            role_users[role],
            f"verification.{action}",
            state,
            to_state,
        )
    else:
        with pytest.raises(DeskError) as refused:
            VERIFICATION_ACTIONS[action](verification, role_users[role])
        assert refused.value.code == expected
        assert refused.value.http_status == {FORBIDDEN: 403, CONFLICT: 409}[expected]
        verification.refresh_from_db()
        assert verification.status == state
        assert AuditEvent.objects.count() == events_before


def test_four_eyes_the_author_cannot_publish_their_own(claim, editor, second_editor):
    verification = _verification_in(VS.SUBMITTED, claim=claim, author=editor, publisher=None)
    with pytest.raises(DeskError) as refused:
        workflow.verification_publish(verification=verification, by=editor)
    assert refused.value.code == FORBIDDEN
    assert "Four eyes" in refused.value.message
    workflow.verification_publish(verification=verification, by=second_editor)
    verification.refresh_from_db()
    assert verification.status == VS.PUBLISHED
    assert verification.reviewer == second_editor


def test_four_eyes_the_author_cannot_return_their_own(claim, editor):
    verification = _verification_in(VS.SUBMITTED, claim=claim, author=editor, publisher=None)
    with pytest.raises(DeskError) as refused:
        workflow.verification_return(verification=verification, by=editor, note="Hmm")
    assert refused.value.code == FORBIDDEN
    verification.refresh_from_db()
    assert verification.status == VS.SUBMITTED and verification.reviewer is None


def test_return_needs_a_note_and_keeps_it_for_the_author(submitted_verification, editor):
    with pytest.raises(DeskError) as refused:
        workflow.verification_return(verification=submitted_verification, by=editor, note="  ")
    assert refused.value.code == "invalid"
    workflow.verification_return(
        verification=submitted_verification, by=editor, note="Geolocate the video first."
    )
    submitted_verification.refresh_from_db()
    assert submitted_verification.status == VS.RETURNED
    assert submitted_verification.review_note == "Geolocate the video first."
    assert submitted_verification.reviewer == editor
    assert AuditEvent.objects.latest("id").note == "Geolocate the video first."


def test_inactive_user_cannot_publish(submitted_verification, editor):
    editor.is_active = False
    editor.save()
    with pytest.raises(DeskError) as refused:
        workflow.verification_publish(verification=submitted_verification, by=editor)
    assert refused.value.code == FORBIDDEN


def test_publishing_sets_the_claims_current_verdict_and_as_of(claim, publish_verification):
    verification = publish_verification(claim, verdict="unconfirmed")
    claim.refresh_from_db()
    assert claim.current_verdict == "unconfirmed"
    assert claim.current_verdict_as_of == verification.published_at
    assert claim.current_verification == verification


def test_newer_verification_supersedes_and_history_stays(claim, publish_verification):
    first = publish_verification(claim, verdict="unconfirmed")
    second = publish_verification(claim, verdict="disputed")
    claim.refresh_from_db()
    assert claim.current_verdict == "disputed"
    assert claim.current_verification == second
    history = list(claim.verifications.filter(status=VS.PUBLISHED).order_by("published_at"))
    assert history == [first, second]
    first.refresh_from_db()
    assert first.verdict == "unconfirmed" and first.status == VS.PUBLISHED


def test_unpublished_verifications_never_change_the_current_verdict(
    claim, factchecker, publish_verification
):
    publish_verification(claim, verdict="unconfirmed")
    draft = workflow.verification_create(
        claim=claim, by=factchecker, verdict="false", rationale="Draft only"
    )
    workflow.verification_submit(verification=draft, by=factchecker)
    claim.refresh_from_db()
    assert claim.current_verdict == "unconfirmed"


def test_verdict_update_is_in_the_same_transaction_as_the_publish(
    submitted_verification, editor, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(workflow, "claim_refresh_current_verdict", broken)
    with pytest.raises(RuntimeError):
        workflow.verification_publish(verification=submitted_verification, by=editor)
    submitted_verification.refresh_from_db()
    assert submitted_verification.status == VS.SUBMITTED
    assert not AuditEvent.objects.filter(action="verification.publish").exists()
    assert Claim.objects.get(pk=submitted_verification.claim_id).current_verdict == ""


def test_second_publish_of_the_same_verification_is_refused(
    submitted_verification, editor, second_editor
):
    stale_copy = Verification.objects.get(pk=submitted_verification.pk)
    workflow.verification_publish(verification=submitted_verification, by=editor)
    with pytest.raises(DeskError) as refused:
        workflow.verification_publish(verification=stale_copy, by=second_editor)
    assert refused.value.code == CONFLICT
    assert AuditEvent.objects.filter(action="verification.publish").count() == 1
    assert Verification.objects.get(pk=stale_copy.pk).reviewer == editor


def test_submit_needs_a_rationale(claim, factchecker):
    verification = factories.VerificationFactory(claim=claim, author=factchecker, rationale=" ")
    with pytest.raises(DeskError) as refused:
        workflow.verification_submit(verification=verification, by=factchecker)
    assert refused.value.code == "invalid"


def test_reporter_can_draft_but_the_draft_is_theirs(claim, reporter):
    verification = workflow.verification_create(
        claim=claim, by=reporter, verdict="unconfirmed", rationale="First look"
    )
    assert verification.author == reporter
    assert verification.status == VS.DRAFT
    assert workflow.can_edit_verification(reporter, verification)


def test_submitted_and_published_verifications_are_not_editable(
    submitted_verification, editor, factchecker
):
    assert not workflow.can_edit_verification(factchecker, submitted_verification)
    workflow.verification_publish(verification=submitted_verification, by=editor)
    assert not workflow.can_edit_verification(editor, submitted_verification)


# --- explainers ---------------------------------------------------------------------------


def _explainer_in(state, *, author, publisher):
    explainer = factories.ExplainerFactory()
    if state == ES.DRAFT:
        return explainer
    workflow.explainer_submit(explainer=explainer, by=author)
    if state == ES.IN_REVIEW:
        return explainer
    at = timezone.now() + datetime.timedelta(days=1) if state == ES.SCHEDULED else None
    workflow.explainer_publish(explainer=explainer, by=publisher, at=at)
    if state == ES.UNPUBLISHED:
        workflow.explainer_unpublish(explainer=explainer, by=publisher, reason="Legal review")
    return explainer


TOMORROW = object()
EXPLAINER_ACTIONS = {
    "submit": lambda e, user: workflow.explainer_submit(explainer=e, by=user),
    "return": lambda e, user: workflow.explainer_return(explainer=e, by=user, note="Tighten"),
    "publish": lambda e, user: workflow.explainer_publish(
        explainer=e, by=user, change_note="Added the map claim"
    ),
    "unpublish": lambda e, user: workflow.explainer_unpublish(
        explainer=e, by=user, reason="Legal review"
    ),
}
EXPLAINER_RULES = {
    "submit": ({"factchecker", "editor"}, {ES.DRAFT, ES.UNPUBLISHED}, ES.IN_REVIEW),
    "return": ({"editor"}, {ES.IN_REVIEW}, ES.DRAFT),
    # A live explainer is not published again: its changes are revisions.
    "publish": ({"editor"}, {ES.IN_REVIEW, ES.SCHEDULED, ES.UNPUBLISHED}, ES.PUBLISHED),
    "unpublish": ({"editor"}, {ES.PUBLISHED, ES.SCHEDULED}, ES.UNPUBLISHED),
}


@pytest.mark.parametrize("action", EXPLAINER_RULES)
@pytest.mark.parametrize("role", ["reporter", "factchecker", "editor"])
@pytest.mark.parametrize("state", ES.values)
def test_explainer_transition_per_role_and_state(action, role, state, role_users, second_editor):
    roles_allowed, from_states, to_state = EXPLAINER_RULES[action]
    explainer = _explainer_in(state, author=role_users["factchecker"], publisher=second_editor)
    events_before = AuditEvent.objects.count()
    expected = (
        FORBIDDEN if role not in roles_allowed else (OK if state in from_states else CONFLICT)
    )

    if expected == OK:
        EXPLAINER_ACTIONS[action](explainer, role_users[role])
        explainer.refresh_from_db()
        assert explainer.status == to_state
        event = AuditEvent.objects.latest("id")
        assert (event.actor, event.from_state, event.to_state) == (
            role_users[role],
            state,
            to_state,
        )
    else:
        with pytest.raises(DeskError) as refused:
            EXPLAINER_ACTIONS[action](explainer, role_users[role])
        assert refused.value.code == expected
        explainer.refresh_from_db()
        assert explainer.status == state
        assert AuditEvent.objects.count() == events_before


def test_first_publish_sets_first_published_and_update_times(explainer, factchecker, editor):
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    workflow.explainer_publish(explainer=explainer, by=editor)
    assert explainer.status == ES.PUBLISHED
    assert explainer.first_published_at == explainer.publish_at == explainer.last_substantive_update
    assert not explainer.corrections.exists()


def test_every_publish_after_the_first_records_what_changed(live_explainer, editor):
    workflow.explainer_unpublish(explainer=live_explainer, by=editor, reason="A fact to check.")
    with pytest.raises(DeskError) as refused:
        workflow.explainer_publish(explainer=live_explainer, by=editor)
    assert refused.value.code == "invalid"
    first_published = live_explainer.first_published_at
    workflow.explainer_publish(
        explainer=live_explainer, by=editor, change_note="Added the DeepState map claim."
    )
    live_explainer.refresh_from_db()
    assert live_explainer.first_published_at == first_published
    assert live_explainer.last_substantive_update > first_published
    update = live_explainer.corrections.get()
    assert (update.kind, update.text) == (Correction.Kind.UPDATE, "Added the DeepState map claim.")


def test_a_live_explainer_is_not_published_again_it_is_revised(live_explainer, editor):
    with pytest.raises(DeskError) as refused:
        workflow.explainer_publish(explainer=live_explainer, by=editor, change_note="Again.")
    assert refused.value.code == CONFLICT
    assert "revision" in refused.value.message


def test_live_explainer_cannot_be_rescheduled_into_hiding(live_explainer, editor):
    with pytest.raises(DeskError) as refused:
        workflow.explainer_publish(
            explainer=live_explainer,
            by=editor,
            change_note="x",
            at=timezone.now() + datetime.timedelta(hours=2),
        )
    assert refused.value.code == CONFLICT
    live_explainer.refresh_from_db()
    assert live_explainer.status == ES.PUBLISHED


def test_schedule_more_than_a_year_ahead_is_refused(explainer, factchecker, editor):
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    with pytest.raises(DeskError) as refused:
        workflow.explainer_publish(
            explainer=explainer, by=editor, at=timezone.now() + datetime.timedelta(days=400)
        )
    assert refused.value.code == "invalid"


def test_unpublish_needs_a_reason(live_explainer, editor):
    with pytest.raises(DeskError):
        workflow.explainer_unpublish(explainer=live_explainer, by=editor, reason="")
    assert Explainer.objects.get(pk=live_explainer.pk).status == ES.PUBLISHED


# --- scheduled publishing -----------------------------------------------------------------


@pytest.fixture
def scheduled_explainer(explainer, factchecker, editor):
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    at = timezone.now() + datetime.timedelta(hours=3)
    return workflow.explainer_publish(explainer=explainer, by=editor, at=at)


def test_scheduled_explainer_is_hidden_until_its_time(scheduled_explainer):
    assert scheduled_explainer.status == ES.SCHEDULED
    assert scheduled_explainer not in selectors.explainers_for_readers()
    later = scheduled_explainer.publish_at + datetime.timedelta(seconds=1)
    # A late scheduler never delays it: readers' queries treat the due time as published.
    assert scheduled_explainer in selectors.explainers_for_readers(now=later)


def test_publish_scheduled_publishes_what_is_due_at_its_scheduled_time(scheduled_explainer):
    Explainer.objects.filter(pk=scheduled_explainer.pk).update(
        publish_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    scheduled_time = Explainer.objects.get(pk=scheduled_explainer.pk).publish_at
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    scheduled_explainer.refresh_from_db()
    assert scheduled_explainer.status == ES.PUBLISHED
    assert scheduled_explainer.first_published_at == scheduled_time
    assert f"published: {scheduled_explainer.slug}" in out.getvalue()
    event = AuditEvent.objects.latest("id")
    assert event.actor is None and event.to_state == ES.PUBLISHED


def test_publish_scheduled_leaves_future_ones_alone(scheduled_explainer):
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    assert Explainer.objects.get(pk=scheduled_explainer.pk).status == ES.SCHEDULED
    assert "0 explainer(s) published" in out.getvalue()


def test_publish_scheduled_dry_run_changes_nothing(scheduled_explainer):
    Explainer.objects.filter(pk=scheduled_explainer.pk).update(
        publish_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    out = StringIO()
    call_command("publish_scheduled", "--dry-run", stdout=out)
    assert f"due: {scheduled_explainer.slug}" in out.getvalue()
    assert Explainer.objects.get(pk=scheduled_explainer.pk).status == ES.SCHEDULED


def test_unpublished_explainer_is_not_published_by_the_scheduler(scheduled_explainer, editor):
    workflow.explainer_unpublish(explainer=scheduled_explainer, by=editor, reason="Pulled")
    Explainer.objects.filter(pk=scheduled_explainer.pk).update(
        publish_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    call_command("publish_scheduled", stdout=StringIO())
    assert Explainer.objects.get(pk=scheduled_explainer.pk).status == ES.UNPUBLISHED


# --- corrections --------------------------------------------------------------------------


def test_editor_issues_a_dated_public_correction(live_explainer, editor):
    correction = workflow.correction_issue(
        explainer=live_explainer, by=editor, text="The town had about 30,000 residents."
    )
    live_explainer.refresh_from_db()
    assert correction.published_at == live_explainer.last_substantive_update
    assert AuditEvent.objects.latest("id").action == "correction.correction"


@pytest.mark.parametrize("role", ["reporter", "factchecker"])
def test_only_editors_issue_corrections(role, live_explainer, role_users):
    with pytest.raises(DeskError) as refused:
        workflow.correction_issue(explainer=live_explainer, by=role_users[role], text="x")
    assert refused.value.code == FORBIDDEN
    assert not Correction.objects.exists()


def test_corrections_only_on_live_explainers(explainer, editor):
    with pytest.raises(DeskError) as refused:
        workflow.correction_issue(explainer=explainer, by=editor, text="Fix")
    assert refused.value.code == CONFLICT


# --- what readers may see -----------------------------------------------------------------


def test_readers_see_only_published_verifications_and_claims(
    claim, factchecker, publish_verification
):
    hidden_claim = factories.ClaimFactory()
    workflow.verification_create(
        claim=hidden_claim, by=factchecker, verdict="false", rationale="draft"
    )
    published = publish_verification(claim)
    assert list(selectors.verifications_for_readers()) == [published]
    assert list(selectors.claims_for_readers()) == [claim]


def test_claim_cited_by_a_live_explainer_is_visible_before_assessment(live_explainer):
    cited = factories.ClaimFactory()
    live_explainer.explainer_claims.create(claim=cited, position=1)
    assert cited in selectors.claims_for_readers()


def test_verification_cannot_cite_another_claims_evidence(claim, factchecker):
    elsewhere = factories.EvidenceFactory()
    verification = workflow.verification_create(
        claim=claim,
        by=factchecker,
        verdict="confirmed",
        rationale="See the map.",
        evidence=[elsewhere],
    )
    with pytest.raises(DeskError) as refused:
        workflow.verification_submit(verification=verification, by=factchecker)
    assert refused.value.code == "invalid"
    assert Verification.objects.get(pk=verification.pk).status == VS.DRAFT
