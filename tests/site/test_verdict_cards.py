"""A claim page's verdict cards, kept apart from the claim: a new verdict re-renders the page
and builds its own card, and reuses the cards of the claim's earlier verdicts without reading
their evidence again. Whatever a card shows still reaches it: its evidence revised, an
archived copy made, its source renamed, evidence taken away, the claimant renamed or changed.
Each time the page is the one made with nothing kept, byte for byte."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.errors import Conflict
from tests import factories
from tests.archives import store_capture

from .helpers import history, kept_cards, same_as_fresh

pytestmark = pytest.mark.django_db


def test_a_new_verdict_reuses_the_cards_of_the_earlier_ones(client, desk, publish_verification):
    url = desk.capture.get_absolute_url()
    client.get(url)
    earlier = kept_cards(desk.capture)
    assert set(earlier) == {desk.first.pk, desk.second.pk}

    newest = publish_verification(
        desk.capture, verdict="false", rationale="Geolocated footage shows the flag elsewhere."
    )
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    cards = kept_cards(desk.capture)
    assert cards[desk.first.pk] is earlier[desk.first.pk]  # reused
    assert cards[desk.second.pk] is earlier[desk.second.pk]
    assert newest.pk in cards
    # Evidence was read for the new verdict alone.
    (read,) = [q["sql"] for q in queries.captured_queries if "verification_evidence" in q["sql"]]
    (ids,) = re.findall(r'"verification_id" IN \(([^)]*)\)', read)
    assert [int(pk) for pk in ids.split(",")] == [newest.pk]
    shown = history(page)
    assert "Geolocated footage shows the flag elsewhere." in shown
    assert desk.satellite.description in shown  # the earlier verdict's evidence, kept
    assert shown.index("(current)") < shown.index("Geolocated footage")
    assert same_as_fresh(client, url) == page.content.decode()


def evidence_read(queries):
    """The queries among `queries` that read rows of evidence (not their ids alone)."""
    return [q["sql"] for q in queries.captured_queries if 'FROM "claims_evidence"' in q["sql"]]


def test_a_new_verdict_citing_evidence_shown_before_reads_none_of_it(
    client, desk, publish_verification
):
    """A new assessment mostly cites evidence an earlier verdict on the claim cited: each
    piece of evidence is kept apart from the verdicts citing it, so the new card is made
    without reading it, or its archived copies, again."""
    url = desk.capture.get_absolute_url()
    client.get(url)
    newest = publish_verification(
        desk.capture,
        verdict="false",
        rationale="The imagery settles it.",
        evidence=[desk.satellite],
    )
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert evidence_read(queries) == []
    assert not [q for q in queries.captured_queries if "claims_evidencecapture" in q["sql"]]
    assert newest.pk in kept_cards(desk.capture)
    shown = history(page)
    assert shown.count(desk.satellite.description) == 2  # the new card and the earlier one
    assert shown.count("https://archive.example/imagery-toretsk") == 2
    assert same_as_fresh(client, url) == page.content.decode()


def test_a_new_verdict_reads_only_the_evidence_never_shown(
    client, desk, publish_verification, editor
):
    url = desk.capture.get_absolute_url()
    client.get(url)
    fresh = factories.EvidenceFactory(
        claim=desk.capture,
        kind="geolocated_video",
        description="Drone footage of the square, geolocated by our team.",
        url="https://video.example/square",
        archived_url="https://archive.example/square",
        source=desk.brigade,
    )
    publish_verification(
        desk.capture,
        verdict="false",
        rationale="The footage shows the square held.",
        evidence=[desk.satellite, fresh],
    )
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    (read,) = evidence_read(queries)
    (ids,) = re.findall(r'"claims_evidence"\."id" IN \(([^)]*)\)', read)
    assert [int(pk) for pk in ids.split(",")] == [fresh.pk]
    shown = history(page)
    assert "Drone footage of the square" in shown
    assert shown.count(desk.satellite.description) == 2
    assert same_as_fresh(client, url) == page.content.decode()

    # An archived copy made later reaches both cards citing the evidence.
    capture = store_capture(desk.satellite)
    page = client.get(url)
    assert history(page).count(capture.warc_sha256) == 2
    # Its source renamed reaches both as well.
    desk.mapper.name = "Open Map of the Front"
    services.record_save(obj=desk.mapper, by=editor, reason="its new name")
    page = client.get(url)
    assert history(page).count("Open Map of the Front") == 2
    assert same_as_fresh(client, url) == page.content.decode()


def test_a_new_archived_copy_of_its_evidence_reaches_the_kept_card(client, desk, editor):
    """Evidence a published verdict cites cannot be changed (the desk adds new evidence
    instead), but the desk archives it later: the copy reaches the card."""
    url = desk.capture.get_absolute_url()
    client.get(url)
    desk.satellite.description = "Imagery of the centre, taken on 3 July."
    with pytest.raises(Conflict):
        services.record_save(obj=desk.satellite, by=editor, reason="a clearer description")
    capture = store_capture(desk.satellite)
    page = client.get(url)
    assert "Our archived copy" in history(page) and capture.warc_sha256 in history(page)
    assert same_as_fresh(client, url) == page.content.decode()


def test_a_renamed_evidence_source_reaches_the_kept_card(client, desk, editor):
    url = desk.capture.get_absolute_url()
    old_name = desk.mapper.name
    assert old_name in history(client.get(url))
    desk.mapper.name = "Open Map of the Front"
    services.record_save(obj=desk.mapper, by=editor, reason="its new name")
    page = client.get(url)
    assert "Open Map of the Front" in history(page) and old_name not in history(page)
    assert same_as_fresh(client, url) == page.content.decode()


def test_evidence_taken_from_a_verdict_leaves_its_kept_card(client, desk):
    url = desk.capture.get_absolute_url()
    assert desk.satellite.description in history(client.get(url))
    desk.second.evidence.remove(desk.satellite)
    page = client.get(url)
    assert desk.satellite.description not in history(page)
    assert same_as_fresh(client, url) == page.content.decode()
    desk.satellite.verifications.add(desk.second)  # and given back, from the evidence's side
    assert desk.satellite.description in history(client.get(url))


def test_the_claimant_renamed_or_changed_reaches_the_kept_cards_attribution(
    client, desk, editor, revise
):
    url = desk.capture.get_absolute_url()
    client.get(url)
    desk.mod.name = "Ministry of Defence of Russia"
    services.record_save(obj=desk.mod, by=editor, reason="its full name")
    shown = history(client.get(url))
    assert shown.count("Ministry of Defence of Russia") >= 2  # each card's attribution
    other = factories.SourceFactory(name="Russian General Staff", slug="russian-general-staff")
    revise(desk.capture, kind="correction", claimant=other)
    page = client.get(url)
    assert "Ministry of Defence of Russia" not in history(page)
    assert history(page).count("Russian General Staff") >= 2
    assert same_as_fresh(client, url) == page.content.decode()


def test_a_desk_preview_keeps_no_card(client, desk, editor):
    client.force_login(editor)
    client.get(desk.unpublished.get_absolute_url())
    client.get(desk.capture.get_absolute_url())
    assert not kept_cards(desk.capture) and not kept_cards(desk.unpublished)
