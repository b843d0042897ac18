"""What a given user may see.

Readers (anonymous visitors and API consumers) see published material only; these querysets
are the one statement of that rule, reused by the site, the API, feeds, sitemaps and search.
The desk's queues for the admin dashboard live here too.
"""

import re
from datetime import timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from claims.models import Claim, Explainer, Verification

VS = Verification.Status
ES = Explainer.Status


def live_explainer_q(now=None, prefix=""):
    """Q for explainers readers may see: published, or scheduled with the time come."""
    now = now or timezone.now()
    return Q(**{f"{prefix}status": ES.PUBLISHED}) | Q(
        **{f"{prefix}status": ES.SCHEDULED, f"{prefix}publish_at__lte": now}
    )


def explainers_for_readers(now=None):
    return Explainer.objects.filter(live_explainer_q(now))


def verifications_for_readers():
    return Verification.objects.filter(status=VS.PUBLISHED)


def claims_for_readers(now=None):
    """Claims with a published verification, or cited by an explainer readers can see."""
    now = now or timezone.now()
    cited = Claim.objects.filter(live_explainer_q(now, prefix="explainers__")).values("pk")
    return Claim.objects.filter(Q(current_verification__isnull=False) | Q(pk__in=cited))


# --- the desk's queues (admin dashboard) -------------------------------------------------


def claims_without_assessment():
    """Claims no verification has been started for."""
    return Claim.objects.filter(verifications__isnull=True).order_by("created_at")


def verifications_awaiting_review():
    return Verification.objects.filter(status=VS.SUBMITTED).order_by("submitted_at")


def verifications_returned():
    return Verification.objects.filter(status=VS.RETURNED).order_by("-updated_at")


def explainers_scheduled():
    return Explainer.objects.filter(status=ES.SCHEDULED).order_by("publish_at")


def stale_unconfirmed_claims(*, days, now=None):
    """Claims whose current verdict is still Unconfirmed `days` days after it was given."""
    now = now or timezone.now()
    return Claim.objects.filter(
        current_verdict="unconfirmed", current_verdict_as_of__lt=now - timedelta(days=days)
    ).order_by("current_verdict_as_of")


# --- similar claims ----------------------------------------------------------------------

# Words too common in war reporting to say two claims are alike.
_STOPWORDS = frozenset(
    "a an and are as at be been by for from had has have in is it its of on or that the "
    "their they this to was were which with its has said says claims claimed forces".split()
)


def similar_claims(statement, *, exclude_pk=None, limit=5):
    """Existing claims whose statement resembles `statement`, most similar first.

    On PostgreSQL: trigram similarity (pg_trgm, GIN-indexed). On SQLite: claims sharing the
    most significant words with it.
    """
    statement = (statement or "").strip()[:300]
    if not statement:
        return []
    qs = Claim.objects.select_related("claimant")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        return list(
            qs.annotate(similarity=TrigramSimilarity("statement", statement))
            .filter(similarity__gte=0.3)
            .order_by("-similarity", "-id")[:limit]
        )
    words = {w for w in re.findall(r"\w{3,}", statement.lower()) if w not in _STOPWORDS}
    if not words:
        return []
    query = Q()
    for word in words:
        query |= Q(statement__icontains=word)
    scored = []
    for claim in qs.filter(query).order_by("-id")[:200]:
        theirs = {w for w in re.findall(r"\w{3,}", claim.statement.lower()) if w not in _STOPWORDS}
        score = len(words & theirs) / len(words | theirs)
        if score >= 0.3:
            claim.similarity = round(score, 2)
            scored.append(claim)
    scored.sort(key=lambda c: (-c.similarity, -c.pk))
    return scored[:limit]
