"""An outside review's attempts to see a stale or leaked verdict card on a claim page (the
eighth session's kept verdict cards, views.verdict_cards): every way the desk changes what a
card shows, each page served compared with the page made with nothing kept, byte for byte.

Two attempts write rows the way no product code does, sending no signal (a through row of
Verification.evidence created directly; a queryset `update()` of a source): nothing is
purged, so the page is stale, as it was before the cards; and the next verdict on the claim,
which used to render the page whole again, now reuses the stale card for as long as a piece
is kept (READER_CACHE_SECONDS). They are kept as expected failures: writes of that kind
(SQL, a script) must be followed by `manage.py purge_reader_cache` (docs/deploy.md)."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import services, workflow
from claims.errors import Conflict
from claims.models import Appearance, Evidence, EvidenceCapture, Source, Verification
from claims.services import evidence as evidence_service
from claims.services import merge, revisions
from claims.web.cache.version import purge
from tests import factories
from tests.archives import sha256, store_capture

from .conftest import SECRET
from .helpers import claim_review_in, kept_cards, same_as_fresh

# Its subject is which keys purge a kept card, which no database changes: run once, on SQLite
# (tests/conftest.py), as the other attacks on the reader cache's bookkeeping are.
pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

WRITTEN_WITHOUT_A_SIGNAL = (
    "out of contract: a write that sends no signal purges nothing, and the kept card outlives "
    "the next verdict (the module's docstring)"
)


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def warm(client, *urls):
    for url in urls:
        client.get(url)
        client.get(url)


def new_evidence(claim, description, **fields):
    return factories.EvidenceFactory(claim=claim, description=description, **fields)


@pytest.fixture
def url(desk):
    return desk.capture.get_absolute_url()


@pytest.fixture
def warmed(client, desk, url):
    warm(client, url)
    assert set(kept_cards(desk.capture)) == {desk.first.pk, desk.second.pk}
    return url


# --- verdicts ----------------------------------------------------------------------------------


def test_new_verdicts_one_after_another(client, desk, warmed, publish_verification):
    for n in range(2):
        publish_verification(desk.capture, verdict="false", rationale=f"Newest number {n}.")
        page = same_as_fresh(client, warmed, label=f"verdict {n}")
        assert f"Newest number {n}." in page
        warm(client, warmed)


def test_a_new_verdict_citing_evidence_already_shown(client, desk, warmed, publish_verification):
    publish_verification(desk.capture, verdict="false", evidence=[desk.satellite])
    page = same_as_fresh(client, warmed, label="shared evidence")
    assert page.count(desk.satellite.description) == 2
    warm(client, warmed)
    capture = store_capture(desk.satellite)  # both cards show the copy
    page = same_as_fresh(client, warmed, label="copy of shared evidence")
    assert page.count(capture.warc_sha256) == 2


def test_a_published_verification_and_its_evidence_cannot_be_changed_or_deleted(
    client, desk, warmed
):
    desk.second.rationale = "changed"
    with pytest.raises(Conflict):
        desk.second.save()
    with pytest.raises(Conflict):
        desk.second.delete()
    with pytest.raises(Conflict):
        desk.satellite.delete()
    same_as_fresh(client, warmed, label="refused")


# --- evidence given and taken, either side ---------------------------------------------------


def test_evidence_added_from_the_evidence_side(client, desk, warmed):
    footage = new_evidence(desk.capture, "Footage from the north district.", source=desk.brigade)
    footage.verifications.add(desk.second)
    page = same_as_fresh(client, warmed, label="added from evidence")
    assert "Footage from the north district." in page


def test_evidence_removed_from_the_evidence_side(client, desk, warmed):
    desk.satellite.verifications.remove(desk.second)
    page = same_as_fresh(client, warmed, label="removed from evidence")
    assert desk.satellite.description not in page


def test_evidence_cleared_from_the_verification_side(client, desk, warmed):
    desk.second.evidence.clear()
    page = same_as_fresh(client, warmed, label="verification clear")
    assert desk.satellite.description not in page


def test_evidence_cleared_from_the_evidence_side(client, desk, warmed):
    desk.satellite.verifications.clear()
    page = same_as_fresh(client, warmed, label="evidence clear")
    assert desk.satellite.description not in page


def test_evidence_set_from_the_verification_side(client, desk, warmed):
    footage = new_evidence(desk.capture, "Replacement footage.")
    desk.second.evidence.set([footage])
    page = same_as_fresh(client, warmed, label="verification set")
    assert "Replacement footage." in page and desk.satellite.description not in page


def test_evidence_set_from_its_side_moves_it_to_the_first_verdict(client, desk, warmed):
    desk.satellite.verifications.set([desk.first])
    page = same_as_fresh(client, warmed, label="evidence set")
    cards = page.split('class="claim-card"')  # newest first: the second verdict's, the first's
    assert desk.satellite.description not in cards[1]
    assert desk.satellite.description in cards[2]


@pytest.mark.xfail(strict=True, reason=WRITTEN_WITHOUT_A_SIGNAL)
def test_through_rows_written_directly_then_a_new_verdict(
    client, desk, warmed, publish_verification
):
    # Django sends no save signal for an auto-created through model.
    Verification.evidence.through.objects.create(verification=desk.first, evidence=desk.satellite)
    publish_verification(desk.capture, verdict="false", rationale="A verdict after the write.")
    page = same_as_fresh(client, warmed, label="through create, then a verdict")
    assert page.count(desk.satellite.description) == 2


def test_evidence_taken_away_edited_while_unseen_then_given_back(client, desk, warmed, editor):
    desk.second.evidence.remove(desk.satellite)
    warm(client, warmed)
    satellite = Evidence.objects.get(pk=desk.satellite.pk)
    satellite.description = "Imagery re-described while no verdict cited it."
    services.record_save(obj=satellite, by=editor, reason="re-described")
    warm(client, warmed)
    satellite.verifications.add(desk.second)
    page = same_as_fresh(client, warmed, label="given back")
    assert "Imagery re-described while no verdict cited it." in page


def test_another_claims_evidence_given_to_a_verdict_then_archived(client, desk, warmed):
    other = new_evidence(desk.holding, "The holding claims own evidence.", source=desk.brigade)
    desk.second.evidence.add(other)
    page = same_as_fresh(client, warmed, label="other claim's evidence")
    assert "The holding claims own evidence." in page
    warm(client, warmed)
    store_capture(other)
    same_as_fresh(client, warmed, label="copy of other claim's evidence")


# --- archived copies -------------------------------------------------------------------------


def test_archived_copies_added_and_deleted(client, desk, warmed):
    capture = store_capture(desk.satellite)
    assert capture.warc_sha256 in same_as_fresh(client, warmed, label="copy added")
    warm(client, warmed)
    newer = store_capture(desk.satellite, warc=b"a newer one")
    page = same_as_fresh(client, warmed, label="newer copy")
    assert newer.warc_sha256 in page and capture.warc_sha256 not in page
    warm(client, warmed)
    EvidenceCapture.objects.get(pk=newer.pk).delete()
    page = same_as_fresh(client, warmed, label="copy deleted")
    assert capture.warc_sha256 in page and newer.warc_sha256 not in page
    warm(client, warmed)
    EvidenceCapture.objects.filter(evidence=desk.satellite).delete()
    page = same_as_fresh(client, warmed, label="copies deleted by queryset")
    assert "Our archived copy" not in page


def test_the_archive_service_fills_archived_at_in_the_structured_data(
    client, desk, url, editor, publish_verification, settings
):
    settings.SITE_URL = "https://claims.example.org"
    wire = desk.capture.appearances.get().article
    cited = new_evidence(desk.capture, "The wire report itself.", url=wire.url, archived_url="")
    publish_verification(desk.capture, verdict="false", evidence=[cited])
    warm(client, url)
    (work,) = claim_review_in(text(client, url))["itemReviewed"]["appearance"]
    assert "archivedAt" not in work
    made = SimpleNamespace(
        source_url=wire.url,
        page=SimpleNamespace(url=wire.url, status=200, content_type="text/html"),
        warc=b"WARC/1.1 wire",
        warc_sha256=sha256(b"WARC/1.1 wire"),
        screenshot=None,
        screenshot_sha256="",
        screenshot_note="no browser",
        captured_at=timezone.now(),
    )
    evidence_service._keep(cited, by=editor, made=made, base=settings.SITE_URL)
    page = same_as_fresh(client, url, label="archived by the service")
    (work,) = claim_review_in(page)["itemReviewed"]["appearance"]
    assert work["archivedAt"].startswith("https://claims.example.org/files/archive/")


def test_a_copy_of_a_drafts_evidence_stays_unseen(client, desk, warmed):
    store_capture(desk.unused_evidence, warc=f"WARC {SECRET}".encode())
    hidden = new_evidence(desk.capture, f"More {SECRET}", source=desk.draft_only_source)
    desk.draft.evidence.add(hidden, desk.satellite)
    page = same_as_fresh(client, warmed, label="draft material")
    assert SECRET not in page


# --- sources and the claimant ----------------------------------------------------------------


def test_an_evidence_source_concealed_then_revealed_and_moved(client, desk, warmed, editor):
    desk.mapper.is_confidential = True
    desk.mapper.redacted_description = "an open-source mapping group"
    services.record_save(obj=desk.mapper, by=editor, reason="concealed")
    page = same_as_fresh(client, warmed, label="source concealed")
    assert "Frontline Mapping Project" not in page
    warm(client, warmed)
    desk.mapper.is_confidential = False
    desk.mapper.slug = "open-map"
    services.record_save(obj=desk.mapper, by=editor, reason="may be named again")
    page = same_as_fresh(client, warmed, label="source revealed and moved")
    assert "/sources/open-map/" in page


def test_the_claimant_concealed_then_described_anew(client, desk, warmed, editor):
    desk.mod.is_confidential = True
    desk.mod.redacted_description = "a ministry"
    services.record_save(obj=desk.mod, by=editor, reason="concealed")
    page = same_as_fresh(client, warmed, label="claimant concealed")
    assert "Russian Defence Ministry" not in page
    warm(client, warmed)
    desk.mod.redacted_description = "a defence ministry"
    services.record_save(obj=desk.mod, by=editor, reason="redescribed")
    page = same_as_fresh(client, warmed, label="claimant redescribed")
    assert page.count("a defence ministry") >= 2


def test_the_claimant_changed_then_old_and_new_renamed(client, desk, warmed, editor, revise):
    other = factories.SourceFactory(name="Russian General Staff", slug="russian-general-staff")
    revise(desk.capture, kind="correction", claimant=other.pk)
    same_as_fresh(client, warmed, label="claimant changed")
    warm(client, warmed)
    desk.mod.name = "Old claimant renamed"
    services.record_save(obj=desk.mod, by=editor, reason="renamed")
    page = same_as_fresh(client, warmed, label="old claimant renamed")
    assert "Old claimant renamed" not in page
    warm(client, warmed)
    other.name = "General Staff of Russia"
    services.record_save(obj=other, by=editor, reason="renamed")
    page = same_as_fresh(client, warmed, label="new claimant renamed")
    assert page.count("General Staff of Russia") >= 2


def test_the_claimant_changed_then_a_new_verdict(
    client, desk, warmed, revise, publish_verification
):
    other = factories.SourceFactory(name="Russian General Staff", slug="russian-general-staff")
    revise(desk.capture, kind="correction", claimant=other.pk)
    warm(client, warmed)
    publish_verification(desk.capture, verdict="false")
    page = same_as_fresh(client, warmed, label="claimant changed, new verdict")
    assert "Russian Defence Ministry" not in page.split('id="history-heading"')[1]


def test_a_minor_revision_of_the_claims_places(client, desk, warmed, revise):
    place = factories.PlaceFactory(name="Pivnichne", slug="pivnichne")
    revise(desk.capture, kind="minor", places=[desk.toretsk.pk, place.pk])
    same_as_fresh(client, warmed, label="places revised")


# --- merges, people, settings ----------------------------------------------------------------


def test_a_duplicate_merged_in_and_its_verdict_published(client, desk, warmed, factchecker, editor):
    duplicate = factories.ClaimFactory(statement="Ministry repeats Toretsk", claimant=desk.brigade)
    gathered = new_evidence(duplicate, "Evidence gathered for the duplicate.")
    drafted = workflow.verification_create(
        claim=duplicate,
        by=factchecker,
        verdict="false",
        rationale="Drafted on the duplicate.",
        evidence=[gathered],
    )
    merge.claim_merge(duplicate=duplicate, into=desk.capture, by=editor)
    page = same_as_fresh(client, warmed, label="merged")
    assert "Drafted on the duplicate." not in page
    warm(client, warmed)
    drafted.refresh_from_db()
    workflow.verification_submit(verification=drafted, by=factchecker)
    workflow.verification_publish(verification=drafted, by=editor)
    page = same_as_fresh(client, warmed, label="merged verdict published")
    assert "Evidence gathered for the duplicate." in page


def test_users_renamed(client, desk, warmed, editor, factchecker):
    for user in (editor, factchecker):
        user.first_name, user.last_name = "Renamed", SECRET
        user.save()
    page = same_as_fresh(client, warmed, label="users renamed")
    assert SECRET not in page


def test_the_time_zone_changed_then_the_page_purged(client, desk, warmed, settings):
    settings.TIME_ZONE = "America/New_York"
    purge([f"claim-{desk.capture.pk}"])
    page = same_as_fresh(client, warmed, label="time zone")
    assert "EST" in page or "EDT" in page


def test_staff_previews_keep_nothing(client, desk, url, factchecker, second_editor):
    other = factories.SourceFactory(name=f"Claimant {SECRET}", slug="secret-claimant")
    revision = revisions.revision_propose(
        subject=desk.capture, by=factchecker, changes={"claimant": other.pk}
    )
    client.force_login(second_editor)
    preview = client.get(reverse("admin:claims_revision_preview", args=[revision.pk]))
    assert preview.status_code == 200 and SECRET in preview.content.decode()
    client.get(url)
    client.get(desk.unpublished.get_absolute_url())
    assert not kept_cards(desk.capture) and not kept_cards(desk.unpublished)
    client.logout()
    page = same_as_fresh(client, url, label="after previews")
    assert SECRET not in page
    warm(client, url)
    purge([f"claim-{desk.capture.pk}"])
    assert SECRET not in text(client, url)


# --- the API and the feed for the same claim --------------------------------------------------


def test_the_api_and_the_feed_after_a_copy_and_evidence_taken_away(client, desk, warmed):
    api = f"/api/v1/claims/{desk.capture.pk}/"
    feed = "/api/v1/claimreviews/"
    warm(client, api, feed)
    store_capture(desk.satellite)
    desk.satellite.verifications.remove(desk.second)
    same_as_fresh(client, [warmed, api, feed], "api and feed")


def test_head_then_get_after_a_change(client, desk, warmed):
    client.head(warmed)
    store_capture(desk.satellite)
    client.head(warmed)
    same_as_fresh(client, warmed, label="head then get")


def test_an_appearance_at_the_evidence_address_gets_its_archived_copy(client, desk, warmed, revise):
    article = factories.ArticleFactory(
        headline="Imagery article", outlet=desk.brigade, url=desk.satellite.url
    )
    appearances = [
        {"article": a.article_id, "passage": a.passage} for a in desk.capture.appearances.all()
    ]
    revise(
        desk.capture,
        kind="update",
        appearances=[*appearances, {"article": article.pk, "passage": "Imagery."}],
    )
    page = same_as_fresh(client, warmed, label="appearance at the evidence url")
    works = claim_review_in(page)["itemReviewed"]["appearance"]
    assert any(w.get("archivedAt") == desk.satellite.archived_url for w in works)
    assert Appearance.objects.filter(article=article).exists()


def test_the_claim_dated_anew_by_a_revision(client, desk, warmed, revise):
    revise(desk.capture, kind="correction", claimed_on=datetime.date(2025, 2, 6).isoformat())
    same_as_fresh(client, warmed, label="claim redated")


# --- deletes and updates by queryset --------------------------------------------------------


def test_frozen_evidence_deleted_by_queryset(client, desk, warmed):
    Evidence.objects.filter(pk=desk.satellite.pk).delete()  # Evidence.delete's rule skipped
    page = same_as_fresh(client, warmed, label="evidence deleted by queryset")
    assert desk.satellite.description not in page


@pytest.mark.xfail(strict=True, reason=WRITTEN_WITHOUT_A_SIGNAL)
def test_an_evidence_source_updated_by_queryset_then_a_new_verdict(
    client, desk, url, publish_verification
):
    only_here = factories.SourceFactory(name="Evidence-only source", slug="evidence-only")
    cited = new_evidence(desk.capture, "Cited once.", source=only_here)
    publish_verification(desk.capture, verdict="false", evidence=[cited])
    warm(client, url)
    Source.objects.filter(pk=only_here.pk).update(name="Renamed without a signal")
    publish_verification(desk.capture, verdict="disputed", rationale="A verdict after it.")
    page = same_as_fresh(client, url, label="raw update, then a verdict")
    assert "Renamed without a signal" in page


def test_evidence_archived_while_unused_then_given(client, desk, warmed):
    footage = new_evidence(desk.capture, "Archived before it was cited.", url="https://v.example/1")
    early = store_capture(footage, warc=b"archived early")
    warm(client, warmed)
    footage.verifications.add(desk.second)
    page = same_as_fresh(client, warmed, label="archived, then given")
    assert early.warc_sha256 in page


def test_a_confidential_evidence_source_revealed_and_concealed_again(
    client, desk, url, editor, publish_verification
):
    told = new_evidence(desk.capture, "An officer's account.", source=desk.confidential)
    publish_verification(desk.capture, verdict="false", evidence=[told])
    warm(client, url)
    page = text(client, url)
    assert SECRET not in page and "a Ukrainian officer serving near the town" in page
    desk.confidential.is_confidential = False
    services.record_save(obj=desk.confidential, by=editor, reason="He agreed to be named.")
    assert SECRET in same_as_fresh(client, url, label="revealed")
    warm(client, url)
    desk.confidential.is_confidential = True
    services.record_save(obj=desk.confidential, by=editor, reason="concealed again")
    assert SECRET not in same_as_fresh(client, url, label="concealed again")
    warm(client, url)
    purge([f"claim-{desk.capture.pk}"])
    assert SECRET not in text(client, url)


def test_the_claimant_changed_to_a_confidential_source(client, desk, warmed, revise):
    revise(desk.capture, kind="correction", claimant=desk.confidential.pk)
    page = same_as_fresh(client, warmed, label="confidential claimant")
    assert SECRET not in page
    assert page.count("a Ukrainian officer serving near the town") >= 3  # header, two cards
