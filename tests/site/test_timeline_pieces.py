"""A kept explainer timeline, its kept events, the kept links to the standing pages and the
sources panel, tried as an outsider would: each test reads a reader page as an anonymous
reader, changes something through the desk, and reads the page again."""

import datetime
import html
import re
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import services, workflow
from claims.models import ExplainerClaim, Revision, Verification
from claims.services import merge, revisions
from claims.services.live import claim_save
from claims.web.cache import pieces
from claims.web.cache.store import local_pages
from claims.web.cache.version import purge
from tests import factories

from .conftest import SECRET

pytestmark = pytest.mark.django_db

EXPLAINER = "/explainers/why-toretsk-matters/"
TIMELINE = "site/explainer_detail:timeline"
TIMELINE_EVENT = "site/explainer_detail:timeline-event"


def page(client, url=EXPLAINER):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def timeline(client, url=EXPLAINER):
    found = re.search(
        r'<section[^>]*aria-labelledby="timeline-heading">.*?</section>', page(client, url), re.S
    )
    return found.group(0) if found else ""


def sources_panel(client, url=EXPLAINER):
    found = re.search(
        r'<section[^>]*aria-labelledby="sources-heading">.*?</section>', page(client, url), re.S
    )
    return found.group(0) if found else ""


def kept_events():
    """{(kind, id): the purge number its kept piece was made after} for timeline events."""
    return {
        name[0][1:]: found[1]
        for name, found in pieces.kept._items.items()
        if name[0][0] == TIMELINE_EVENT
    }


def esc(text):
    return html.escape(text)


@pytest.fixture
def second_explainer(desk, make_live_explainer):
    """Another live explainer about Toretsk citing nothing: its timeline lists Toretsk's
    claims whichever explainer makes them public."""
    explainer = make_live_explainer(
        title="Toretsk again", slug="toretsk-again", body="Body.", standfirst="Again."
    )
    explainer.places.add(desk.toretsk)
    return explainer


# --- which events are kept, and which rendered again ---------------------------------------


def test_a_verdict_re_renders_its_own_timeline_event_and_reuses_the_others(
    client, desk, publish_verification
):
    url = desk.explainer.get_absolute_url()
    first = timeline(client, url)
    before = kept_events()
    # Every claim readers see about Toretsk, and each published verdict on them.
    claims = {pk for kind, pk in before if kind == "claim"}
    assert claims == {desk.capture.pk, desk.holding.pk, desk.officer.pk}
    assert desk.unpublished.statement not in first

    verification = publish_verification(desk.holding, verdict="misleading")

    again = timeline(client, url)
    after = kept_events()
    assert after.keys() == before.keys() | {("verdict", verification.pk)}
    # The holding claim's own events are rendered again (its key was purged), the rest reused.
    holding = {("claim", desk.holding.pk)} | {
        ("verdict", pk) for pk in desk.holding.verifications.values_list("pk", flat=True)
    }
    assert len(holding & before.keys()) == 2  # it was made, and had a verdict
    assert all(after[event] > before[event] for event in holding & before.keys())
    unchanged = before.keys() - holding
    assert len(unchanged) == 4 and all(after[event] == before[event] for event in unchanged)
    assert again.count("verdict--misleading") == first.count("verdict--misleading") + 1
    # Rendered with nothing kept, the same timeline, byte for byte.
    pieces.kept.clear()
    purge([f"place-{desk.toretsk.pk}-list"])
    assert timeline(client, url) == again


def test_a_claimants_new_name_reaches_a_kept_timeline_event(client, desk):
    url = desk.explainer.get_absolute_url()
    assert "Russian Defence Ministry claims" in timeline(client, url)
    desk.capture.claimant.name = "Ministry of Defence of Russia"
    desk.capture.claimant.save()
    shown = timeline(client, url)
    assert "Ministry of Defence of Russia claims" in shown
    assert "Russian Defence Ministry" not in shown


def test_a_claim_leaving_the_explainers_places_leaves_its_timeline(client, desk):
    url = desk.explainer.get_absolute_url()
    assert html.escape(desk.officer.statement) in timeline(client, url)
    desk.officer.places.remove(desk.toretsk)
    assert html.escape(desk.officer.statement) not in timeline(client, url)


# --- what an event shows -------------------------------------------------------------------


def test_a_revised_statement_reaches_the_claim_and_verdict_events(client, desk, revise):
    before = timeline(client)
    old = esc(desk.capture.statement)
    assert before.count(old) == 3  # made, and two verdicts
    kept = kept_events()
    assert ("claim", desk.capture.pk) in kept
    revise(desk.capture, statement="Russia says its forces took the Toretsk mine")
    after = timeline(client)
    assert old not in after
    assert after.count("Russia says its forces took the Toretsk mine") == 3


def test_a_revised_date_moves_the_claim_event(client, desk, revise):
    before = timeline(client)
    assert "7 Feb 2025" in before or "2025-02-07" in before
    revise(desk.holding, claimed_on="2025-03-15")
    after = timeline(client)
    assert 'datetime="2025-03-15"' in after
    # now the newest claim event: after the officer's (8 Feb)
    assert after.index(esc(desk.officer.statement)) < after.index('datetime="2025-03-15"')


def test_a_claimant_made_confidential_is_named_by_its_description_in_kept_events(
    client, desk, editor
):
    assert "Ukrainian 100th Brigade claims" in timeline(client)
    desk.brigade.is_confidential = True
    desk.brigade.redacted_description = "a unit holding the town"
    services.source_save(source=desk.brigade, by=editor)
    after = timeline(client)
    assert "Ukrainian 100th Brigade" not in page(client)
    assert "a unit holding the town claims" in after


def test_a_claimant_revised_to_another_source_reaches_the_event(client, desk, revise):
    assert "Ukrainian 100th Brigade claims" in timeline(client)
    other = factories.SourceFactory(name="Another brigade", slug="another-brigade")
    revise(desk.holding, claimant=other.pk)
    after = timeline(client)
    assert "Another brigade claims" in after and "Ukrainian 100th Brigade claims" not in after


def test_a_renamed_place_reaches_the_timeline_heading(client, desk, editor):
    intro = re.search(r'<p class="section-intro">(.*?)</p>', timeline(client), re.S).group(1)
    assert "Toretsk" in intro and "Dzerzhynsk" not in intro
    desk.toretsk.name = "Toretsk (Dzerzhynsk)"
    services.record_save(obj=desk.toretsk, by=editor)
    intro = re.search(r'<p class="section-intro">(.*?)</p>', timeline(client), re.S).group(1)
    assert "Toretsk (Dzerzhynsk)" in intro


# --- which events are listed ---------------------------------------------------------------


def test_a_claim_taken_off_the_place_from_the_places_side_leaves_the_timeline(client, desk):
    officer = esc(desk.officer.statement)
    assert officer in timeline(client)
    desk.toretsk.claims.remove(desk.officer)  # the reverse side of Claim.places
    assert officer not in timeline(client)


def test_a_claim_revised_off_the_place_leaves_the_timeline(client, desk, revise):
    holding = esc(desk.holding.statement)
    assert holding in timeline(client)
    elsewhere = factories.PlaceFactory(name="Kurdiumivka", slug="kurdiumivka")
    revise(desk.holding, places=[elsewhere.pk])
    assert holding not in timeline(client)


def test_a_claim_made_invisible_leaves_another_explainers_timeline(
    client, desk, editor, second_explainer
):
    url = second_explainer.get_absolute_url()
    officer = esc(desk.officer.statement)
    assert officer in timeline(client, url)  # public only through the first explainer
    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Legal review")
    assert client.get(EXPLAINER).status_code == 404
    after = timeline(client, url)
    assert officer not in after
    assert "a Ukrainian officer" not in after


def test_a_claim_edited_while_invisible_shows_its_new_text_when_visible_again(
    client, desk, editor, second_editor, factchecker, second_explainer
):
    url = second_explainer.get_absolute_url()
    assert esc(desk.officer.statement) in timeline(client, url)
    kept_before = kept_events()
    assert ("claim", desk.officer.pk) in kept_before
    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Legal review")
    timeline(client, url)
    desk.officer.refresh_from_db()
    desk.officer.statement = "Officer says the north of the town has fallen"
    claim_save(claim=desk.officer, by=editor)
    workflow.explainer_submit(explainer=desk.explainer, by=factchecker)
    desk.explainer.refresh_from_db()
    workflow.explainer_publish(explainer=desk.explainer, by=second_editor, change_note="Back.")
    after = timeline(client, url)
    assert "Officer says the north of the town has fallen" in after
    assert esc("Officer says fighting continues in the town's north") not in after


def test_a_deleted_published_verdict_leaves_the_timeline(client, desk):
    before = timeline(client)
    assert ("verdict", desk.first.pk) in kept_events()
    n = before.count("verdict--unconfirmed")
    assert n >= 1
    Verification.objects.filter(pk=desk.first.pk).delete()  # a bulk delete (no model delete)
    after = timeline(client)
    assert after.count("verdict--unconfirmed") == n - 1


def test_a_duplicate_merged_into_a_live_claim_brings_no_pending_place_to_readers(
    client, desk, editor, make_live_explainer
):
    pokrovsk = factories.PlaceFactory(name="Pokrovsk", slug="pokrovsk")
    other = make_live_explainer(title="Pokrovsk", slug="pokrovsk-x", body="B.", standfirst="S.")
    other.places.add(pokrovsk)
    shown = factories.ClaimFactory(statement="A claim about Pokrovsk", claimant=desk.mod)
    shown.places.add(pokrovsk)
    ExplainerClaim.objects.create(explainer=other, claim=shown)
    url = other.get_absolute_url()
    assert "A claim about Pokrovsk" in timeline(client, url)
    duplicate = factories.ClaimFactory(statement=f"Duplicate {SECRET}", claimant=desk.mod)
    duplicate.places.add(pokrovsk)
    merge.claim_merge(duplicate=duplicate, into=desk.capture, by=editor)
    after = timeline(client, url)
    # The kept claim's new place is a pending revision: not for readers yet.
    assert esc(desk.capture.statement) not in after and SECRET not in page(client, url)
    revision = Revision.objects.get(claim=desk.capture, status=Revision.Status.PENDING)
    assert pokrovsk.pk in revision.proposed["places"]


def test_an_unpublished_explainer_is_gone_at_once(client, desk, editor):
    page(client)
    assert client.get(EXPLAINER).get("X-Reader-Cache") == "hit"
    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Legal review")
    assert client.get(EXPLAINER).status_code == 404


# --- hostile text --------------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_names_and_statements_are_escaped_in_the_timeline_and_sources_panel(
    client, desk, publish_verification
):
    evil = factories.SourceFactory(name=f"Claimant {HOSTILE}", slug="evil-claimant")
    secret_evil = factories.SourceFactory(
        name="Hidden",
        slug="hidden-evil",
        is_confidential=True,
        redacted_description=f"An official {HOSTILE}",
    )
    claim = factories.ClaimFactory(
        statement=f"Statement {HOSTILE}", claimant=evil, claimed_on=datetime.date(2025, 3, 3)
    )
    claim.places.add(desk.toretsk)
    other = factories.ClaimFactory(
        statement="A quiet claim", claimant=secret_evil, claimed_on=datetime.date(2025, 3, 4)
    )
    other.places.add(desk.toretsk)
    publish_verification(claim, verdict="false")
    ExplainerClaim.objects.create(explainer=desk.explainer, claim=claim, position=5)
    ExplainerClaim.objects.create(explainer=desk.explainer, claim=other, position=6)
    desk.toretsk.name = f"Toretsk {HOSTILE}"
    desk.toretsk.save()
    purge(["all"])
    for attempt in range(2):  # rendered, then from the kept pieces
        if attempt:
            purge([f"place-{desk.toretsk.pk}-list", f"explainer-{desk.explainer.pk}"])
        text = page(client)
        assert "<script>alert" not in text and "<img src=x" not in text, attempt
        tl = timeline(client)
        assert esc(f"Claimant {HOSTILE}") in tl and esc(f"Statement {HOSTILE}") in tl
        assert esc(f"An official {HOSTILE}") in tl
        panel = sources_panel(client)
        assert esc(f"Claimant {HOSTILE}") in panel and esc(f"An official {HOSTILE}") in panel
        assert "Hidden" not in panel


def test_the_sources_panel_lists_each_source_with_link_and_roles(client, desk):
    panel = sources_panel(client)
    assert re.search(
        r'<li><a href="/sources/russian-defence-ministry/">Russian Defence Ministry</a> '
        r'<span class="meta">\(claimant\)</span></li>',
        panel,
    )
    assert re.search(
        r"<li>a Ukrainian officer serving near the town "
        r'<span class="meta">\(claimant\)</span></li>',
        panel,
    )
    roles = '<span class="meta">(publisher, evidence)</span>'
    assert f"Frontline Mapping Project</a> {roles}" in panel


# --- the desk's previews -----------------------------------------------------------------------


def test_a_desk_preview_of_a_draft_explainer_about_the_same_place_keeps_nothing(
    client, desk, editor
):
    desk.draft_explainer.places.add(desk.toretsk)
    client.force_login(editor)
    preview = page(client, "/explainers/draft-explainer/")
    assert "This explainer is draft." in preview
    assert pieces.kept.size == 0
    client.logout()
    text = page(client)
    assert SECRET not in text
    assert not any(SECRET in str(found[3]) for found in pieces.kept._items.values())


def test_an_admin_revision_preview_leaks_nothing_into_readers_pieces(
    client, desk, factchecker, second_editor, second_explainer
):
    url = second_explainer.get_absolute_url()
    timeline(client, url)
    page(client)
    revision = revisions.revision_propose(
        subject=desk.officer, by=factchecker, changes={"statement": f"Officer {SECRET}"}
    )
    client.force_login(second_editor)
    preview = client.get(reverse("admin:claims_revision_preview", args=[revision.pk]))
    assert preview.status_code == 200 and SECRET in preview.content.decode()
    explainer_revision = revisions.revision_propose(
        subject=desk.explainer,
        by=factchecker,
        changes={
            "claims": [
                {"claim": desk.capture.pk, "context_note": "x"},
                {"claim": desk.unpublished.pk, "context_note": SECRET},
            ]
        },
    )
    preview = client.get(reverse("admin:claims_revision_preview", args=[explainer_revision.pk]))
    assert preview.status_code == 200
    client.logout()
    for u in (url, EXPLAINER, desk.officer.get_absolute_url()):
        assert SECRET not in page(client, u), u
    # and once more after a purge that re-renders the pages from kept pieces
    purge([f"explainer-{desk.explainer.pk}", f"explainer-{second_explainer.pk}"])
    for u in (url, EXPLAINER):
        assert SECRET not in page(client, u), u


# --- kept no longer than a page may be ---------------------------------------------------------


def test_a_kept_timeline_is_kept_no_longer_than_the_events_it_reused(client, desk):
    """A page (or a piece) made with a kept piece may be kept no longer than that piece
    (pieces.rendering_after): the bound on a lost purge. The timeline piece reuses its
    events' pieces; it must not be kept past the earliest of their deadlines."""
    page(client)
    for name, found in list(pieces.kept._items.items()):
        if name[0][0] == TIMELINE_EVENT:
            pieces.kept._items[name] = (time.monotonic() + 5, *found[1:])  # 5 s from expiry
    purge([f"place-{desk.toretsk.pk}-list"])  # the timeline again, from the kept events
    page(client)
    ((deadline, *_),) = (
        found for name, found in pieces.kept._items.items() if name[0][0] == TIMELINE
    )
    assert deadline - time.monotonic() <= 6


def test_a_page_reusing_a_kept_timeline_is_kept_no_longer_than_its_events(client, desk):
    """The same, as readers meet it: the events (near expiry) reused by a new timeline
    piece, and that piece reused by the page after a change to the explainer alone."""
    page(client)
    for name, found in list(pieces.kept._items.items()):
        if name[0][0] == TIMELINE_EVENT:
            pieces.kept._items[name] = (time.monotonic() + 5, *found[1:])
    purge([f"place-{desk.toretsk.pk}-list"])
    page(client)
    purge([f"explainer-{desk.explainer.pk}"])  # the page again, its timeline piece reused
    local_pages.entries.clear()
    page(client)
    deadlines = [kept[0] for kept in local_pages.entries.values()]
    assert deadlines and max(deadlines) - time.monotonic() <= 6


def claim_about_toretsk(desk, statement, *, day):
    """A new claim about Toretsk by the ministry, made on `day` March 2025, that readers do
    not see yet (no verdict, in no explainer)."""
    claim = factories.ClaimFactory(
        statement=statement, claimant=desk.mod, claimed_on=datetime.date(2025, 3, day)
    )
    claim.places.add(desk.toretsk)
    return claim


def test_a_claim_made_public_by_a_scheduled_explainer_coming_due_joins_the_timeline(
    client, desk, factchecker, second_editor, second_explainer
):
    url = second_explainer.get_absolute_url()
    claim = claim_about_toretsk(desk, "Scheduled claim about the mine", day=9)
    scheduled = factories.ExplainerFactory(title="Later", slug="later", body="B.")
    ExplainerClaim.objects.create(explainer=scheduled, claim=claim)
    workflow.explainer_submit(explainer=scheduled, by=factchecker)
    workflow.explainer_publish(
        explainer=scheduled, by=second_editor, at=timezone.now() + datetime.timedelta(seconds=2)
    )
    assert "Scheduled claim" not in timeline(client, url)
    assert "Scheduled claim" not in timeline(client, url)
    time.sleep(2.5)
    assert "Scheduled claim about the mine" in timeline(client, url)


def test_a_claim_revised_out_of_its_only_explainer_leaves_another_timeline(
    client, desk, revise, second_explainer
):
    url = second_explainer.get_absolute_url()
    officer = esc(desk.officer.statement)
    assert officer in timeline(client, url)
    revise(
        desk.explainer,
        claims=[
            {"claim": desk.capture.pk, "context_note": "The claim that started it."},
            {"claim": desk.holding.pk, "context_note": "The *answer*."},
        ],
    )
    assert officer not in timeline(client, url)


def test_a_claim_revised_into_a_live_explainer_joins_another_timeline(
    client, desk, revise, second_explainer
):
    url = second_explainer.get_absolute_url()
    claim = claim_about_toretsk(desk, "Claim that becomes public", day=2)
    assert "Claim that becomes public" not in timeline(client, url)
    revise(
        desk.explainer,
        claims=[
            {"claim": desk.capture.pk, "context_note": "x"},
            {"claim": desk.holding.pk, "context_note": "y"},
            {"claim": desk.officer.pk, "context_note": ""},
            {"claim": claim.pk, "context_note": ""},
        ],
    )
    assert "Claim that becomes public" in timeline(client, url)


# --- which claims and which verdicts it lists, kept apart ------------------------------------

TIMELINE_CLAIMS = "site/explainer_detail:timeline-claims"
TIMELINE_VERDICTS = "site/explainer_detail:timeline-verdicts"


def kept_lists():
    """{piece name: the purge number it was made after} for the timeline's two lists."""
    return {
        name[0][0]: found[1]
        for name, found in pieces.kept._items.items()
        if name[0][0] in (TIMELINE_CLAIMS, TIMELINE_VERDICTS)
    }


def test_a_verdict_reads_the_verdicts_again_and_reuses_the_list_of_claims(
    client, desk, publish_verification
):
    url = desk.explainer.get_absolute_url()
    timeline(client, url)
    before = kept_lists()
    assert before.keys() == {TIMELINE_CLAIMS, TIMELINE_VERDICTS}

    verification = publish_verification(desk.officer, verdict="unconfirmed")

    again = timeline(client, url)
    after = kept_lists()
    assert after[TIMELINE_CLAIMS] == before[TIMELINE_CLAIMS]  # reused
    assert after[TIMELINE_VERDICTS] > before[TIMELINE_VERDICTS]  # read again
    assert ("verdict", verification.pk) in kept_events()
    # Rendered with nothing kept, the same timeline, byte for byte.
    pieces.kept.clear()
    purge([f"place-{desk.toretsk.pk}-list"])
    assert timeline(client, url) == again


def test_a_first_verdict_brings_its_claim_into_the_list_of_claims(
    client, desk, publish_verification
):
    claim = claim_about_toretsk(desk, "A claim readers meet with its verdict", day=4)
    assert "A claim readers meet" not in timeline(client)
    publish_verification(claim, verdict="false")
    # Made and given a verdict: two events, the list of claims read again.
    assert timeline(client).count("A claim readers meet with its verdict") == 2


@pytest.fixture
def pivnichne(desk, factchecker, second_editor):
    """A live explainer about a place of its own, citing three claims about it made on 1, 2
    and 3 March 2025, with no verdicts: its timeline lists claims alone."""
    place = factories.PlaceFactory(name="Pivnichne", slug="pivnichne")
    explainer = factories.ExplainerFactory(title="Pivnichne", slug="pivnichne", body="B.")
    explainer.places.add(place)
    claims = []
    for day in (1, 2, 3):
        claim = factories.ClaimFactory(
            statement=f"Claim of {day} March about Pivnichne",
            claimant=desk.mod,
            claimed_on=datetime.date(2025, 3, day),
        )
        claim.places.add(place)
        ExplainerClaim.objects.create(explainer=explainer, claim=claim, position=day)
        claims.append(claim)
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    workflow.explainer_publish(explainer=explainer, by=second_editor)
    return explainer, claims


def test_a_claim_dated_anew_moves_into_the_newest_claims_about_its_place(
    client, pivnichne, revise, monkeypatch
):
    """The lists of a place's newest claims (a short timeline; another claim's "More about
    these places") follow a claim whose date is revised into them from below: a change that
    is no verdict, to a claim neither lists, which no claim of theirs would have purged."""
    from claims.site import views

    monkeypatch.setattr(views, "TIMELINE_LENGTH", 2)
    monkeypatch.setattr(views, "MORE_ABOUT_THESE_PLACES", 1)
    explainer, (first, second, third) = pivnichne
    url = explainer.get_absolute_url()
    shown = timeline(client, url)
    assert second.statement in shown and first.statement not in shown
    other_claims = client.get(third.get_absolute_url()).content.decode()
    assert second.statement in other_claims and first.statement not in other_claims

    revise(first, claimed_on="2025-04-01")

    shown = timeline(client, url)
    assert first.statement in shown and second.statement not in shown
    assert shown.index(third.statement) < shown.index(first.statement)  # oldest first
    other_claims = client.get(third.get_absolute_url()).content.decode()
    assert first.statement in other_claims and second.statement not in other_claims
