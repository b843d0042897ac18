import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from claims import workflow
from claims.models import AuditEvent, ClaimSubmission, Correction, StandingPage
from claims.services import claim_merge
from claims.services.revisions import revision_propose

from .. import factories


@pytest.fixture
def desk_objects(claim, draft_verification, live_explainer, editor):
    """One object of each model that has an admin, keyed by model name."""
    correction = workflow.correction_issue(
        explainer=live_explainer,
        by=editor,
        text="An earlier version misnamed the brigade.",
        kind=Correction.Kind.CORRECTION,
    )
    return {
        "source": claim.claimant,
        "article": factories.ArticleFactory(),
        "place": factories.PlaceFactory(name="Toretsk"),
        "claim": claim,
        "verification": draft_verification,
        "evidence": factories.EvidenceFactory(claim=claim),
        "explainer": live_explainer,
        "correction": correction,
        "auditevent": AuditEvent.objects.latest("id"),
        "standingpage": StandingPage.objects.get(kind="methodology"),
        "revision": revision_propose(
            subject=live_explainer, by=editor, changes={"standfirst": "Reworded for readers."}
        ),
        "claimsubmission": ClaimSubmission.objects.create(
            text="Is it true that the dam near the town was blown up last night?"
        ),
        "mergedclaim": claim_merge(
            duplicate=factories.ClaimFactory(statement="Moscow says Toretsk has fallen"),
            into=claim,
            by=editor,
        )[1],
    }


def messages_of(response):
    """The texts of the messages queued for the user by `response`."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def transition_url(obj, step):
    """The admin URL that runs workflow `step` on `obj`."""
    return reverse(f"admin:claims_{obj._meta.model_name}_transition", args=[obj.pk, step])


def change_url(obj):
    return reverse(f"admin:claims_{obj._meta.model_name}_change", args=[obj.pk])


# The claim change form's inline formsets.
CLAIM_INLINES = ("appearances", "links_out", "evidence")


def claim_form(claim, **changes):
    """The claim's change form as a browser posts it, with the version it was opened at and
    no inline rows; `changes` override fields."""
    return {
        "statement": claim.statement,
        "quote": claim.quote,
        "claimant": claim.claimant_id,
        "claimed_on": claim.claimed_on.isoformat(),
        "slug": claim.slug,
        "seen_version": claim.version,
        **no_inline_forms(*CLAIM_INLINES),
        **changes,
    }


def no_inline_forms(*prefixes):
    """Management-form data for inline formsets posted with no rows."""
    data = {}
    for prefix in prefixes:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data
