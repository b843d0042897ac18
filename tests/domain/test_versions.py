"""The version every editable record carries: each save lands only on the version it was
based on, and moves it on by one."""

import pytest
from django.db import transaction

from claims import workflow
from claims.models import Claim, Explainer
from claims.models.base import StaleVersion

pytestmark = pytest.mark.django_db


def test_each_save_moves_the_version_on(claim):
    claim.quote = "First."
    claim.save()
    claim.quote = "Second."
    claim.save()
    assert (claim.version, Claim.objects.get(pk=claim.pk).version) == (3, 3)


def test_a_save_based_on_an_older_version_is_refused_and_changes_nothing(claim):
    mine, theirs = Claim.objects.get(pk=claim.pk), Claim.objects.get(pk=claim.pk)
    theirs.statement = "Theirs"
    theirs.save()
    mine.quote = "Mine"

    with pytest.raises(StaleVersion) as refused, transaction.atomic():
        mine.save()

    assert (refused.value.seen, refused.value.current, refused.value.code) == (1, 2, "conflict")
    saved = Claim.objects.get(pk=claim.pk)
    assert (saved.statement, saved.quote, saved.version) == ("Theirs", claim.quote, 2)
    assert saved.history.count() == 2  # nothing recorded for the refused save


def test_workflow_steps_move_the_version_on_so_older_copies_are_refused(
    explainer, factchecker, editor
):
    stale = Explainer.objects.get(pk=explainer.pk)
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    workflow.explainer_publish(explainer=explainer, by=editor)
    assert Explainer.objects.get(pk=explainer.pk).version == stale.version + 2

    stale.title = "Overwritten"
    with pytest.raises(StaleVersion), transaction.atomic():
        stale.save()
    assert Explainer.objects.get(pk=explainer.pk).status == Explainer.Status.PUBLISHED


def test_a_correction_moves_its_explainer_on(live_explainer, editor):
    before = Explainer.objects.get(pk=live_explainer.pk).version
    workflow.correction_issue(explainer=live_explainer, by=editor, text="The brigade is the 28th.")
    after = Explainer.objects.get(pk=live_explainer.pk)
    assert after.version == before + 1
    latest = after.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        editor,
        "correction issued: The brigade is the 28th.",
    )
