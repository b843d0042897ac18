"""Readers' claim submissions: received from the site's form, handled in the desk."""

from django.db import transaction

from claims.models import ClaimSubmission
from claims.trail import require

from .records import plain_save


def submission_receive(*, text, link="", contact="", client_hash):
    """Keep what a reader sent as a new submission in the desk's queue (never shown to
    readers). The reader is anonymous: the site's form has validated the fields and its rate
    limit has let the client through; `client_hash` is its keyed address hash."""
    submission = ClaimSubmission(
        text=text,
        link=link,
        contact=contact,
        client_hash=client_hash,
        status=ClaimSubmission.Status.NEW,
    )
    submission.full_clean()
    submission.save()
    return submission


def submission_handle(*, submission, by, changed=(), reason="", default_reason=""):
    """Save the desk's handling of `submission`: whoever changes its status or claim is
    recorded as having handled it, and one linked to a claim is turned into that claim."""
    if {"status", "claim"} & set(changed):
        submission.handled_by = by
    if submission.claim_id and submission.status == ClaimSubmission.Status.NEW:
        submission.status = ClaimSubmission.Status.ACCEPTED
    return plain_save(
        submission, by=by, reason=reason, default_reason=default_reason or "handled in the desk"
    )


@transaction.atomic
def submissions_decline(*, submissions, by):
    """Decline the new ones among `submissions` (a queryset) for `by`; how many were."""
    require(by, "change_claimsubmission", "handle readers' submissions")
    count = 0
    new = ClaimSubmission.objects.select_for_update().filter(
        pk__in=submissions.values("pk"), status=ClaimSubmission.Status.NEW
    )
    for submission in new:
        submission.status = ClaimSubmission.Status.DECLINED
        submission.handled_by = by
        plain_save(submission, by=by, default_reason="declined in the desk")
        count += 1
    return count
