"""Two people acting on the same object at the same moment: exactly one of them succeeds."""

import threading

import pytest
from django.db import connection

from claims import workflow
from claims.models import AuditEvent, Explainer, Verification

from . import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _race(*actions):
    """Run the actions in threads released together; return ('ok' | WorkflowError code)s."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            action()
            results[index] = "ok"
        except workflow.WorkflowError as error:
            results[index] = error.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.parametrize("trial", range(5))
def test_concurrent_publishes_of_one_verification_one_wins(
    trial, claim, factchecker, editor, second_editor
):
    verification = workflow.verification_create(
        claim=claim, by=factchecker, verdict="disputed", rationale="Map and brigade contradict it."
    )
    workflow.verification_submit(verification=verification, by=factchecker)
    copies = [Verification.objects.get(pk=verification.pk) for _ in range(2)]

    results = _race(
        lambda: workflow.verification_publish(verification=copies[0], by=editor),
        lambda: workflow.verification_publish(verification=copies[1], by=second_editor),
    )

    assert sorted(results) == ["conflict", "ok"]
    assert AuditEvent.objects.filter(action="verification.publish").count() == 1
    claim.refresh_from_db()
    assert claim.current_verification_id == verification.pk


@pytest.mark.parametrize("trial", range(5))
def test_concurrent_publishes_of_one_explainer_one_wins(trial, factchecker, editor, second_editor):
    explainer = factories.ExplainerFactory()
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    copies = [Explainer.objects.get(pk=explainer.pk) for _ in range(2)]

    results = _race(
        lambda: workflow.explainer_publish(explainer=copies[0], by=editor),
        lambda: workflow.explainer_publish(explainer=copies[1], by=second_editor),
    )

    assert sorted(results) == ["conflict", "ok"]
    assert AuditEvent.objects.filter(action="explainer.publish").count() == 1
