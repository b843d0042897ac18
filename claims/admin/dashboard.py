"""The desk's queues on the admin index page, fed by `claims.selectors`."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils.timezone import localtime

from claims import selectors
from claims.models import Claim, Verification
from claims.services import teamwork

from .base import change_url

# How many items of each queue the dashboard lists; the rest are one click away.
SHOWN = 10


@dataclass(frozen=True)
class Queue:
    title: str
    count: int
    items: list  # (label, detail, change URL)
    list_url: str


def _when(value):
    return f"{localtime(value):%d %b %H:%M}" if value else ""


def _queue(site_name, title, queryset, changelist, filters, detail):
    url = reverse(f"{site_name}:claims_{changelist}_changelist")
    return Queue(
        title=title,
        count=queryset.count(),
        items=[(str(obj), detail(obj), change_url(obj, site_name)) for obj in queryset[:SHOWN]],
        list_url=f"{url}?{filters}",
    )


def _work_queue(site_name, title, querysets, filters):
    """A queue of claims and verifications together (assignments), soonest due first."""
    items, count = [], 0
    for queryset in querysets:
        count += queryset.count()
        items += list(queryset.order_by(F("due_on").asc(nulls_last=True), "pk")[:SHOWN])
    items.sort(key=lambda obj: (obj.due_on is None, obj.due_on or datetime.date.max))

    def detail(obj):
        due = f", due {obj.due_on:%d %b}" if obj.due_on else ""
        return f"{obj._meta.verbose_name} for {obj.assigned_to}{due}"

    url = reverse(f"{site_name}:claims_claim_changelist")
    return Queue(
        title=title,
        count=count,
        items=[(str(o), detail(o), change_url(o, site_name)) for o in items[:SHOWN]],
        list_url=f"{url}?{filters}",
    )


def desk_queues(request, site_name="admin"):
    """The dashboard's queues the user may see, each with a count, first items and full list.

    Two queries a queue, however long it is.
    """
    user = request.user
    days = settings.DESK["STALE_UNCONFIRMED_DAYS"]
    queues = []
    if user.has_perm("claims.view_claim") and user.has_perm("claims.view_verification"):
        claims = Claim.objects.select_related("assigned_to")
        verifications = Verification.objects.select_related("assigned_to", "claim")
        queues.append(
            _work_queue(
                site_name,
                "Assigned to me",
                [
                    teamwork.unfinished(claims.filter(assigned_to=user)),
                    teamwork.unfinished(verifications.filter(assigned_to=user)),
                ],
                "assigned=me",
            )
        )
        queues.append(
            _work_queue(
                site_name,
                "Overdue",
                [teamwork.overdue(claims), teamwork.overdue(verifications)],
                "assigned=overdue",
            )
        )
    if user.has_perm("claims.view_claim"):
        queues.append(
            _queue(
                site_name,
                "Claims with no verification started",
                selectors.claims_without_assessment().select_related("claimant"),
                "claim",
                "queue=unassessed",
                lambda claim: f"{claim.claimant}, {claim.claimed_on:%d %b %Y}",
            )
        )
    if user.has_perm("claims.view_verification"):
        queues.append(
            _queue(
                site_name,
                "Verifications awaiting review",
                selectors.verifications_awaiting_review().select_related("claim", "author"),
                "verification",
                "status__exact=submitted",
                lambda v: f"by {v.author}, submitted {_when(v.submitted_at)}",
            )
        )
        queues.append(
            _queue(
                site_name,
                "Verifications returned to their authors",
                selectors.verifications_returned().select_related("claim", "author"),
                "verification",
                "status__exact=returned",
                lambda v: f"by {v.author}",
            )
        )
    if user.has_perm("claims.view_revision"):
        queues.append(
            _queue(
                site_name,
                "Changes to published material awaiting review",
                selectors.revisions_awaiting_review().select_related(
                    "claim", "explainer", "created_by"
                ),
                "revision",
                "status__exact=pending",
                lambda r: f"by {r.created_by or 'the desk'}, {_when(r.updated_at)}",
            )
        )
    if user.has_perm("claims.view_explainer"):
        queues.append(
            _queue(
                site_name,
                "Scheduled explainers",
                selectors.explainers_scheduled(),
                "explainer",
                "status__exact=scheduled",
                lambda e: f"goes live {_when(e.publish_at)}",
            )
        )
    if user.has_perm("claims.view_claim"):
        queues.append(
            _queue(
                site_name,
                f"Unconfirmed for over {days} days",
                selectors.stale_unconfirmed_claims(days=days).select_related("claimant"),
                "claim",
                "queue=stale",
                lambda claim: f"unconfirmed since {_when(claim.current_verdict_as_of)}",
            )
        )
    if user.has_perm("claims.view_claimsubmission"):
        queues.append(
            _queue(
                site_name,
                "Claims readers asked us to check",
                selectors.claim_submissions_waiting(),
                "claimsubmission",
                "status__exact=new",
                lambda submission: f"sent {_when(submission.created_at)}",
            )
        )
    return queues
