"""The desk dashboard on the admin index page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import workflow
from claims.models import Claim, ClaimSubmission
from claims.services import teamwork
from claims.services.revisions import revision_propose

from .. import factories
from .conftest import change_url


@pytest.fixture
def queues(claim, reporter, factchecker, editor, submitted_verification, publish_verification):
    """One item in each queue, and one item that is in none."""
    unassessed = factories.ClaimFactory(statement="Shelling hit the Kramatorsk station")
    returned = factories.VerificationFactory(
        claim=factories.ClaimFactory(statement="A brigade was moved from Pokrovsk"),
        author=factchecker,
    )
    workflow.verification_submit(verification=returned, by=factchecker)
    workflow.verification_return(verification=returned, by=editor, note="Add sources.")
    scheduled = factories.ExplainerFactory(title="Why Chasiv Yar matters")
    workflow.explainer_submit(explainer=scheduled, by=factchecker)
    workflow.explainer_publish(
        explainer=scheduled, by=editor, at=timezone.now() + timedelta(days=1)
    )
    stale = factories.ClaimFactory(statement="The dam at Kurakhove was breached")
    publish_verification(stale, verdict="unconfirmed")
    Claim.objects.filter(pk=stale.pk).update(
        current_verdict_as_of=timezone.now() - timedelta(days=30)
    )
    fresh = factories.ClaimFactory(statement="Russia says Niu-York was taken")
    publish_verification(fresh, verdict="unconfirmed")
    revision = revision_propose(
        subject=stale, by=factchecker, changes={"quote": "The dam was hit and breached."}
    )
    # The reporter's own work, and someone's work past its date.
    teamwork.assignment_set(obj=claim, by=editor, assignee=reporter)
    late = returned.claim
    teamwork.assignment_set(obj=late, by=editor, assignee=factchecker, due_on=timezone.localdate())
    Claim.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    return {
        "Assigned to me": claim,
        "Overdue": Claim.objects.get(pk=late.pk),
        "Claims with no verification started": unassessed,
        "Verifications awaiting review": submitted_verification,
        "Verifications returned to their authors": returned,
        "Changes to published material awaiting review": revision,
        "Scheduled explainers": scheduled,
        "Unconfirmed for over 14 days": stale,
        "Claims readers asked us to check": ClaimSubmission.objects.create(
            text="Did the bridge at Siversk really collapse this morning?"
        ),
    }


def test_dashboard_shows_each_queue_with_its_items(client, reporter, queues):
    client.force_login(reporter)

    response = client.get(reverse("admin:index"))

    shown = {queue.title: queue for queue in response.context["desk_queues"]}
    assert list(shown) == list(queues)
    for title, obj in queues.items():
        queue = shown[title]
        assert queue.count == 1, title
        assert [url for _, _, url in queue.items] == [change_url(obj)], title
    page = response.content.decode()
    for obj in queues.values():
        assert f'href="{change_url(obj)}"' in page
    assert "Russia says Niu-York was taken" not in page


def test_each_queue_links_to_its_full_list(client, reporter, queues):
    client.force_login(reporter)
    shown = client.get(reverse("admin:index")).context["desk_queues"]

    for queue, obj in zip(shown, queues.values(), strict=True):
        listing = client.get(queue.list_url)
        assert listing.status_code == 200
        assert list(listing.context["cl"].result_list) == [obj], queue.title


def test_dashboard_queries_do_not_grow_with_the_queues(client, reporter, queues, factchecker):
    client.force_login(reporter)
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("admin:index"))

    factories.ClaimFactory.create_batch(15)
    for verification in factories.VerificationFactory.create_batch(15, author=factchecker):
        workflow.verification_submit(verification=verification, by=factchecker)
    with CaptureQueriesContext(connection) as after:
        response = client.get(reverse("admin:index"))

    assert len(after.captured_queries) == len(before.captured_queries)
    [awaiting] = [
        q for q in response.context["desk_queues"] if q.title == "Verifications awaiting review"
    ]
    assert (awaiting.count, len(awaiting.items)) == (16, 10)
    assert f'href="{awaiting.list_url}"' in response.content.decode()


def test_dashboard_is_empty_handed_without_claims_permissions(client, db):
    client.force_login(factories.UserFactory(username="intern"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["desk_queues"] == []


def test_the_dashboard_links_to_the_article_import_for_those_who_may_import(client, reporter):
    client.force_login(reporter)
    page = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("admin:claims_article_import")}"' in page


def test_the_dashboard_has_no_import_link_for_those_who_may_not(client, db):
    client.force_login(factories.UserFactory(username="intern", is_staff=True))
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:claims_article_import") not in page


def test_the_article_list_links_to_the_import(client, reporter):
    client.force_login(reporter)
    page = client.get(reverse("admin:claims_article_changelist")).content.decode()
    assert f'href="{reverse("admin:claims_article_import")}"' in page
