"""Validators (ETag, Last-Modified) come from what readers can see.

A draft saved, a verification drafted or sent for review, an unpublished explainer edited
or scheduled for later, an audit row, material gathered for a draft: none of it is visible
to readers, so none of it may move a public page's or an API response's ETag or
Last-Modified, or a reader's browser would learn when the desk is at work. A publish, an
unpublish, a correction or an edit of live material moves them.

The clock is moved on ten seconds before each action, so that a validator taken from the
time of any save would move; each action runs as a committed transaction does.
"""

import datetime
import time

import pytest
from django.utils import timezone

from claims import workflow
from claims.models import Appearance, AuditEvent, ClaimSubmission, PlaceName
from tests import factories

# Each test reads Last-Modified right after a change: as a second later, when it is given.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("served_a_second_later")]

EXPLAINER = "/explainers/why-toretsk-matters/"


def public_urls(desk):
    return [
        "/",
        EXPLAINER,
        "/explainers/",
        desk.capture.get_absolute_url(),
        desk.holding.get_absolute_url(),
        "/claims/",
        "/places/toretsk/",
        "/sources/",
        "/sources/russian-defence-ministry/",
        "/search/?q=Toretsk",
        "/methodology/",
        "/feeds/verdicts.atom",
        "/feeds/explainers.rss",
        "/sitemap.xml",
        "/api/v1/claims/",
        f"/api/v1/claims/{desk.capture.pk}/",
        f"/api/v1/explainers/{desk.explainer.pk}/",
        "/api/v1/places/",
        "/api/v1/claimreviews/",
    ]


def validators(client, urls):
    """{url: (ETag, Last-Modified)} as an anonymous reader gets them."""
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = (response.get("ETag"), response.get("Last-Modified"))
    return found


@pytest.fixture
def clock(monkeypatch):
    """time.time, moved on by hand."""
    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda *_: now[0])  # DRF calls it as a method too

    def move_on(seconds=10):
        now[0] += seconds

    return move_on


def edit_draft_claim(desk, users):
    desk.unpublished.statement = "Unpublished claim, reworded"
    desk.unpublished.save()


def add_claim_nobody_published(desk, users):
    claim = factories.ClaimFactory(statement="A new claim, not yet assessed")
    claim.places.add(desk.toretsk)


def draft_verification_of_published_claim(desk, users):
    workflow.verification_create(
        claim=desk.capture, by=users["factchecker"], verdict="false", rationale="A draft."
    )


def send_draft_for_review_and_back(desk, users):
    workflow.verification_submit(verification=desk.draft, by=users["factchecker"])
    workflow.verification_return(verification=desk.draft, by=users["editor"], note="Not yet.")


def edit_unpublished_explainer(desk, users):
    desk.draft_explainer.body = "A rewritten draft body."
    desk.draft_explainer.save()
    desk.draft_explainer.places.add(desk.toretsk)


def send_explainer_for_review(desk, users):
    workflow.explainer_submit(explainer=desk.draft_explainer, by=users["factchecker"])


def schedule_explainer_for_next_week(desk, users):
    workflow.explainer_submit(explainer=desk.draft_explainer, by=users["factchecker"])
    workflow.explainer_publish(
        explainer=desk.draft_explainer,
        by=users["editor"],
        at=timezone.now() + datetime.timedelta(days=7),
    )


def write_audit_row(desk, users):
    AuditEvent.objects.create(
        actor=users["editor"],
        action="claim.note",
        subject=desk.capture,
        object_repr=str(desk.capture),
        note="Checked the wire copy again.",
    )


def gather_material_for_a_draft(desk, users):
    place = factories.PlaceFactory(name="Shcherbynivka")
    desk.unpublished.places.add(place)
    article = factories.ArticleFactory(headline="A channel's post")
    Appearance.objects.create(claim=desk.unpublished, article=article, passage="It said so.")
    evidence = factories.EvidenceFactory(claim=desk.capture, description="New footage.")
    desk.draft.evidence.add(evidence)
    desk.draft_only_source.description = "A channel on a messaging app."
    desk.draft_only_source.save()


def receive_reader_submission(desk, users):
    ClaimSubmission.objects.create(text="Is it true that the bridge is down?")


DRAFT_WORK = [
    edit_draft_claim,
    add_claim_nobody_published,
    draft_verification_of_published_claim,
    send_draft_for_review_and_back,
    edit_unpublished_explainer,
    send_explainer_for_review,
    schedule_explainer_for_next_week,
    write_audit_row,
    gather_material_for_a_draft,
    receive_reader_submission,
]


@pytest.mark.parametrize("work", DRAFT_WORK, ids=lambda work: work.__name__)
def test_draft_work_leaves_every_etag_and_last_modified_unchanged(
    client, desk, role_users, clock, django_capture_on_commit_callbacks, work
):
    urls = public_urls(desk)
    before = validators(client, urls)
    clock()
    with django_capture_on_commit_callbacks(execute=True):
        work(desk, role_users)
    clock()
    assert validators(client, urls) == before
    # So a reader's browser revalidating its copy is told that nothing changed.
    for url, (etag, last_modified) in before.items():
        assert client.get(url, headers={"if-none-match": etag}).status_code == 304, url
        if last_modified:
            since = client.get(url, headers={"if-modified-since": last_modified})
            assert since.status_code == 304, url


def publish_verification_of_holding(desk, users):
    verification = workflow.verification_create(
        claim=desk.holding, by=users["factchecker"], verdict="confirmed", rationale="Footage."
    )
    workflow.verification_submit(verification=verification, by=users["factchecker"])
    workflow.verification_publish(verification=verification, by=users["editor"])


def publish_the_draft_explainer(desk, users):
    workflow.explainer_submit(explainer=desk.draft_explainer, by=users["factchecker"])
    workflow.explainer_publish(explainer=desk.draft_explainer, by=users["editor"])


def issue_correction(desk, users):
    workflow.correction_issue(explainer=desk.explainer, by=users["editor"], text="A fix.")


def unpublish_the_explainer(desk, users):
    workflow.explainer_unpublish(explainer=desk.explainer, by=users["editor"], reason="Legal.")


def edit_the_live_explainer(desk, users):
    desk.explainer.standfirst = "A new standfirst."
    desk.explainer.save()


def add_a_name_to_a_published_place(desk, users):
    PlaceName.objects.create(place=desk.toretsk, name="Shcherbynivka")


def reword_a_confidential_sources_description(desk, users):
    desk.confidential.redacted_description = "an officer of a brigade near the town"
    desk.confidential.save()


# Each change readers can see, and a page that shows it.
PUBLISHED_CHANGES = [
    (publish_verification_of_holding, "/claims/"),
    (publish_the_draft_explainer, "/explainers/"),
    (issue_correction, EXPLAINER),
    (unpublish_the_explainer, "/"),
    (edit_the_live_explainer, "/explainers/"),
    (add_a_name_to_a_published_place, "/places/toretsk/"),
    (reword_a_confidential_sources_description, "/claims/"),
]


@pytest.mark.parametrize(
    "change, shown_on", PUBLISHED_CHANGES, ids=[c.__name__ for c, _ in PUBLISHED_CHANGES]
)
def test_a_change_readers_see_moves_last_modified_and_the_etag_of_what_shows_it(
    client, desk, role_users, clock, django_capture_on_commit_callbacks, change, shown_on
):
    urls = ["/", "/claims/", "/explainers/", "/places/toretsk/", "/feeds/explainers.rss"]
    before = validators(client, [*urls, shown_on])
    clock()
    with django_capture_on_commit_callbacks(execute=True):
        change(desk, role_users)
    clock()
    after = validators(client, [*urls, shown_on])
    for url in urls:
        assert _seconds(after[url][1]) > _seconds(before[url][1]), url
    assert after[shown_on][0] != before[shown_on][0]


def _seconds(http_date):
    from django.utils.http import parse_http_date

    return parse_http_date(http_date)


def test_the_etag_is_the_same_on_every_worker_and_after_the_cache_is_emptied(client, desk):
    from django.core.cache import cache

    from claims.web.cache import pieces
    from claims.web.cache.store import local_pages
    from claims.web.cache.version import purge_log

    first = client.get(EXPLAINER)
    cache.clear()
    local_pages.clear()
    pieces.kept.clear()
    purge_log.reset()
    again = client.get(EXPLAINER)
    assert "X-Reader-Cache" not in again  # rendered afresh
    assert again["ETag"] == first["ETag"]


def test_a_scheduled_explainer_moves_last_modified_to_its_time_and_the_scheduler_leaves_it(
    client, desk, role_users, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        schedule_explainer_for_next_week(desk, role_users)
    desk.draft_explainer.refresh_from_db()
    due = desk.draft_explainer.publish_at
    before = client.get("/")["Last-Modified"]
    # A minute after its time, before and after the scheduler marks it published.
    later = due + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(time, "time", lambda *_: later.timestamp())
    when_due = client.get("/")["Last-Modified"]
    assert _seconds(when_due) == int(due.timestamp()) > _seconds(before)
    with django_capture_on_commit_callbacks(execute=True):
        assert workflow.explainers_publish_due() == [desk.draft_explainer]
    even_later = later + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: even_later)
    monkeypatch.setattr(time, "time", lambda *_: even_later.timestamp())
    assert client.get("/")["Last-Modified"] == when_due
