"""Sixteenth review: a claim page's kept pieces of evidence (`evidence-<id>`, reused by every
verdict card citing it) and its kept "Corrections and updates" (`claim-<id>-around`, kept
until the next correction comes due).

Tried, and held (the page served with kept pieces is the one made with nothing kept):
archived copies added and deleted for evidence two verdicts cite (both cards, and the
ClaimReview's archivedAt); the evidence's source renamed and made confidential; evidence
taken from a verdict and given back from either side of the many-to-many; evidence only a
draft cited given to a published verdict from the evidence's side; the same evidence cited
on two claims' pages and then archived; evidence two verdicts cite deleted (refused: it is
frozen); a correction edited or deleted (refused: corrections are public record, so none
can be moved earlier either) and one back-dated with the ORM; a correction issued through a
revision after a new verdict reused the kept section; a desk preview of the claim, then an
anonymous reader once it is published.

FOUND: the corrections section is kept for READER_CACHE_SECONDS from its build, bounded by
the next correction due *as it was read then* (`pieces.until` in `views.claim_corrections`).
A correction dated later that is written after the section was kept sends its signal but
purges nothing (readers do not see it yet: `selectors.corrections_for_readers`,
`version._after_save`), so the section's deadline never learns of it. When it comes due and
the page is rendered again (a verdict purges the page, not the section), the kept section is
reused without it, while the page made with nothing kept shows it: before this change the
page read its corrections on every render.

Mended: a correction dated later now purges, when saved, what will show it, so the section
is built again and learns its time.

FOUND (low, older than this change): the front cache is told to keep such a page for
READER_FRONT_MAX_AGE (Surrogate-Control), past a correction's time, and no purge comes then.
Mended: such a correction joins the schedule, as a scheduled explainer does.
"""

import datetime
import re
import time

import pytest
from django.utils import timezone

from claims import services
from claims.errors import Conflict
from claims.models import Correction
from tests import factories
from tests.archives import store_capture

from .conftest import SECRET
from .helpers import claim_review_in, corrections_section, history, same_as_fresh

pytestmark = pytest.mark.django_db


def archived_at(page_text):
    review = claim_review_in(page_text)
    works = review["itemReviewed"].get("appearance", []) if review else []
    if isinstance(works, dict):
        works = [works]
    return [work.get("archivedAt") for work in works if work.get("archivedAt")]


def test_an_archived_copy_deleted_leaves_both_cards_citing_the_evidence(
    client, desk, publish_verification
):
    url = desk.capture.get_absolute_url()
    publish_verification(
        desk.capture, verdict="false", rationale="Imagery settles it.", evidence=[desk.satellite]
    )
    capture = store_capture(desk.satellite)
    assert history(client.get(url)).count(capture.warc_sha256) == 2
    capture.delete()
    page = client.get(url)
    assert capture.warc_sha256 not in history(page)
    assert same_as_fresh(client, url) == page.content.decode()
    # A second copy, then the newest deleted: the older one is shown again in both.
    older = store_capture(desk.satellite, warc=b"WARC/1.1 the older one")
    client.get(url)
    newer = store_capture(desk.satellite, warc=b"WARC/1.1 the newer one")
    assert history(client.get(url)).count(newer.warc_sha256) == 2
    newer.delete()
    page = client.get(url)
    assert history(page).count(older.warc_sha256) == 2
    assert same_as_fresh(client, url) == page.content.decode()


def test_the_evidence_source_made_confidential_reaches_every_card(
    client, desk, editor, publish_verification
):
    url = desk.capture.get_absolute_url()
    publish_verification(
        desk.capture, verdict="false", rationale="Imagery settles it.", evidence=[desk.satellite]
    )
    assert history(client.get(url)).count(desk.mapper.name) == 2
    desk.mapper.is_confidential = True
    desk.mapper.redacted_description = "an independent mapping group"
    services.record_save(obj=desk.mapper, by=editor, reason="its people are at risk")
    page = client.get(url)
    assert "Frontline Mapping Project" not in page.content.decode()
    assert history(page).count("an independent mapping group") == 2
    assert same_as_fresh(client, url) == page.content.decode()


def test_evidence_moved_between_verdicts_from_either_side(client, desk, publish_verification):
    url = desk.capture.get_absolute_url()
    third = publish_verification(
        desk.capture, verdict="false", rationale="Imagery settles it.", evidence=[desk.satellite]
    )
    assert history(client.get(url)).count(desk.satellite.description) == 2
    desk.satellite.verifications.remove(third)  # from the evidence's side
    page = client.get(url)
    assert history(page).count(desk.satellite.description) == 1
    assert same_as_fresh(client, url) == page.content.decode()
    desk.second.evidence.remove(desk.satellite)  # from the verdict's side: shown nowhere
    page = client.get(url)
    assert desk.satellite.description not in history(page)
    assert same_as_fresh(client, url) == page.content.decode()
    third.evidence.add(desk.satellite)
    page = client.get(url)
    assert history(page).count(desk.satellite.description) == 1
    assert same_as_fresh(client, url) == page.content.decode()


def test_evidence_only_a_draft_cited_given_to_a_published_verdict(client, desk):
    """Given from the evidence's side, whose row readers did not see before."""
    url = desk.capture.get_absolute_url()
    assert SECRET not in client.get(url).content.decode()
    desk.unused_evidence.verifications.add(desk.second)
    page = client.get(url)
    assert f"Evidence {SECRET}" in history(page)  # the desk gave it to readers
    assert same_as_fresh(client, url) == page.content.decode()
    desk.unused_evidence.verifications.remove(desk.second)
    page = client.get(url)
    assert SECRET not in page.content.decode()
    assert same_as_fresh(client, url) == page.content.decode()


def test_evidence_two_verdicts_cite_with_its_copy_cannot_be_deleted(
    client, desk, publish_verification
):
    url = desk.capture.get_absolute_url()
    extra = factories.EvidenceFactory(
        claim=desk.capture,
        kind="photo",
        description="A photo of the square, sent by a resident.",
        url="https://photo.example/square",
    )
    publish_verification(desk.capture, verdict="false", rationale="The photo.", evidence=[extra])
    publish_verification(
        desk.capture, verdict="false", rationale="The photo again.", evidence=[extra]
    )
    capture = store_capture(extra)
    assert history(client.get(url)).count(capture.warc_sha256) == 2
    with pytest.raises(Conflict):  # frozen: the desk cannot delete it either
        extra.delete()
    page = client.get(url)
    assert history(page).count(extra.description) == 2
    assert same_as_fresh(client, url) == page.content.decode()


def test_the_same_evidence_on_two_claims_pages(client, desk, publish_verification):
    """Evidence of one claim cited (by the ORM: the workflow refuses it) by a verdict on
    another: one kept piece, on both pages, and an archived copy reaches both."""
    urls = [desk.capture.get_absolute_url(), desk.holding.get_absolute_url()]
    for url in urls:
        client.get(url)
    current = desk.holding.verifications.get(status="published")
    current.evidence.add(desk.satellite)
    for url in urls:
        assert desk.satellite.description in history(client.get(url))
    capture = store_capture(desk.satellite)
    for url in urls:
        assert capture.warc_sha256 in history(client.get(url))
    same_as_fresh(client, urls)


def test_archived_at_follows_the_evidence_citing_an_article(client, desk, publish_verification):
    """The ClaimReview's archivedAt comes from the kept pieces of evidence: evidence citing
    the article the claim appeared in, cited by two verdicts, taken from one and the other."""
    url = desk.capture.get_absolute_url()
    article = factories.EvidenceFactory(
        claim=desk.capture,
        kind="document",
        description="The ministry's statement as the wire carried it.",
        url="https://wire.example/1",
        archived_url="https://archive.example/wire-1",
    )
    assert archived_at(client.get(url).content.decode()) == []
    third = publish_verification(
        desk.capture, verdict="false", rationale="The statement.", evidence=[article]
    )
    fourth = publish_verification(
        desk.capture, verdict="false", rationale="The statement again.", evidence=[article]
    )
    assert archived_at(client.get(url).content.decode()) == ["https://archive.example/wire-1"]
    fourth.evidence.remove(article)
    page = client.get(url).content.decode()
    assert archived_at(page) == ["https://archive.example/wire-1"]
    assert same_as_fresh(client, url) == page
    article.verifications.remove(third)
    page = client.get(url).content.decode()
    assert archived_at(page) == []
    assert same_as_fresh(client, url) == page


def test_a_correction_cannot_be_edited_or_deleted_and_a_back_dated_one_reaches_the_section(
    client, desk, editor, revise, publish_verification
):
    """Corrections are public record: the ORM refuses to edit or delete one (so neither can
    leave the kept section stale). One written by the ORM dated earlier than now is seen at
    once: its save purges `claim-<id>-around`."""
    url = desk.holding.get_absolute_url()
    revise(desk.holding, kind="correction", quote="Our positions in the town are held.")
    assert "Updated for readers." in corrections_section(client.get(url))
    correction = desk.holding.corrections.get()
    correction.text = "The quote was shortened."
    with pytest.raises(Conflict):
        correction.save()
    with pytest.raises(Conflict):
        correction.delete()
    publish_verification(desk.holding, verdict="disputed", rationale="Footage shows otherwise.")
    client.get(url)  # the section reused
    Correction.objects.create(
        claim=desk.holding,
        text="A date was wrong.",
        published_at=timezone.now() - datetime.timedelta(days=2),
        created_by=editor,
    )
    page = client.get(url)
    section = corrections_section(page)
    assert section.index("A date was wrong.") < section.index("Updated for readers.")
    assert same_as_fresh(client, url) == page.content.decode()


def test_a_revision_after_a_verdict_reused_the_section(client, desk, revise, publish_verification):
    url = desk.holding.get_absolute_url()
    client.get(url)
    publish_verification(desk.holding, verdict="disputed", rationale="Footage shows otherwise.")
    assert "We have not corrected" in corrections_section(client.get(url))  # reused
    revise(desk.holding, kind="update", quote="Our positions in the town are held.")
    page = client.get(url)
    assert "Updated for readers." in corrections_section(page)
    assert same_as_fresh(client, url) == page.content.decode()


def test_a_desk_preview_then_an_anonymous_reader(client, desk, editor, publish_verification):
    """The desk previews an unpublished claim with a correction dated later; once published,
    an anonymous reader is shown neither the correction nor anything else of the preview."""
    url = desk.unpublished.get_absolute_url()
    Correction.objects.create(
        claim=desk.unpublished,
        text=f"Not yet {SECRET}",
        published_at=timezone.now() + datetime.timedelta(hours=1),
        created_by=editor,
    )
    client.force_login(editor)
    assert f"Not yet {SECRET}" in client.get(url).content.decode()
    client.logout()
    assert client.get(url).status_code == 404
    publish_verification(desk.unpublished, verdict="false", rationale="Nothing shows it.")
    page = client.get(url)
    assert f"Not yet {SECRET}" not in page.content.decode()
    assert same_as_fresh(client, url) == page.content.decode()


def test_a_correction_dated_later_written_after_the_section_was_kept(
    client, desk, editor, publish_verification
):
    """FOUND. The section is kept (no correction due: READER_CACHE_SECONDS), then a
    correction dated a second later is written (ORM). Its save purges nothing: readers do
    not see it yet (`selectors.corrections_for_readers`, `version._after_save`), and the kept
    section's deadline was set from the corrections due when it was built (`pieces.until`,
    none). Once it is due a verdict re-renders the page, which reuses the kept section
    without the correction; the page made with nothing kept shows it.

    Mended: a correction dated later purges, when saved, what will show it
    (`version._after_save`), so the section is built again and kept until it is due."""
    url = desk.holding.get_absolute_url()
    assert "We have not corrected" in corrections_section(client.get(url))
    due = timezone.now() + datetime.timedelta(seconds=1)
    Correction.objects.create(
        claim=desk.holding, text="Shown from its time.", published_at=due, created_by=editor
    )
    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.2)
    publish_verification(desk.holding, verdict="disputed", rationale="Footage shows otherwise.")
    page = client.get(url)
    assert "Footage shows otherwise." in page.content.decode()  # rendered afresh
    assert "Shown from its time." in corrections_section(page)


def test_the_front_cache_is_not_told_to_keep_the_page_past_a_correction_due(client, desk, editor):
    """FOUND (low; older than this change, which bounds the worker's copies alone). A page
    showing a claim whose correction comes due in a minute is sent with Surrogate-Control
    max-age READER_FRONT_MAX_AGE (`version.front_max_age` knows only the explainers'
    schedule), and no purge comes when the correction falls due: a key-purged front cache
    keeps the page without it for up to an hour.

    Mended: a correction dated later joins the schedule, as a scheduled explainer does
    (`selectors.scheduled_publication_times`): the front cache is told to keep no page past
    its time, and what shows it is purged when it comes due (`version._came_due`)."""
    url = desk.holding.get_absolute_url()
    due = timezone.now() + datetime.timedelta(seconds=60)
    Correction.objects.create(
        claim=desk.holding, text="Shown from its time.", published_at=due, created_by=editor
    )
    response = client.get(url)
    assert "Shown from its time." not in corrections_section(response)
    max_age = int(re.search(r"max-age=(\d+)", response["Surrogate-Control"]).group(1))
    assert max_age <= 60
