"""Surrogate keys: each kept page names what it shows, and a change readers see re-renders
only the pages that show what it touched; a draft re-renders nothing."""

import datetime
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims import selectors, services, workflow
from claims.models import Appearance, ExplainerClaim
from claims.web.cache import stats
from claims.web.cache.keys import touched_by
from claims.web.cache.version import PURGE_PREFIX, PURGES_KEY, purge_log
from tests import factories

from .conftest import claim_elsewhere

pytestmark = pytest.mark.django_db

EXPLAINER = "/explainers/why-toretsk-matters/"


def keys_of(response):
    return set(response["xkey"].split())


def kept(client, url):
    """Whether `url` is answered from the reader cache now."""
    return client.get(url).get("X-Reader-Cache") == "hit"


@pytest.fixture
def elsewhere(desk, publish_verification):
    return claim_elsewhere(publish_verification)


def test_a_page_names_what_it_shows_and_nothing_unpublished(client, desk):
    explainer = client.get(EXPLAINER)
    shown = keys_of(explainer)
    assert {f"explainer-{desk.explainer.pk}", "all"} <= shown
    assert {f"claim-{c.pk}" for c in (desk.capture, desk.holding, desk.officer)} <= shown
    assert f"place-{desk.toretsk.pk}" in shown
    assert f"claim-{desk.unpublished.pk}" not in shown
    # The kept copy names the same, for a front cache that fetches it from the cache.
    again = client.get(EXPLAINER)
    assert again["X-Reader-Cache"] == "hit" and keys_of(again) == shown

    claim_page = keys_of(client.get(desk.holding.get_absolute_url()))
    assert {f"claim-{desk.holding.pk}", f"source-{desk.brigade.pk}"} <= claim_page
    assert {"claims", "explainers"} <= keys_of(client.get("/"))
    assert f"place-{desk.toretsk.pk}-list" in keys_of(client.get("/places/toretsk/"))


def test_api_reads_name_what_they_show(client, desk):
    listed = keys_of(client.get("/api/v1/claims/"))
    assert "claims" in listed and f"claim-{desk.holding.pk}" in listed
    one = keys_of(client.get(f"/api/v1/claims/{desk.holding.pk}/"))
    assert f"claim-{desk.holding.pk}" in one and "claims" not in one
    assert "claims" in keys_of(client.get("/api/v1/claimreviews/"))


def test_the_front_cache_may_keep_the_api_reads_this_cache_keeps(client, desk, editor, settings):
    settings.READER_FRONT_MAX_AGE = 3600
    for url in ("/api/v1/claims/", f"/api/v1/claims/{desk.holding.pk}/", "/api/v1/claimreviews/"):
        first, again = client.get(url), client.get(url)  # rendered, then from the cache
        assert first["Surrogate-Control"] == again["Surrogate-Control"] == "max-age=3600", url
        etag = again["ETag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    # Never what this cache does not keep: free-text searches, the browsable API, the desk.
    assert "Surrogate-Control" not in client.get("/api/v1/claims/?search=toretsk")
    assert "Surrogate-Control" not in client.get("/api/v1/claims/", headers={"Accept": "text/html"})
    assert "Surrogate-Control" not in client.get("/api/v1/claims/999999/")
    client.force_login(editor)
    assert "Surrogate-Control" not in client.get("/api/v1/claims/")


def test_a_verdict_on_one_claim_re_renders_only_the_pages_that_show_it(
    client, desk, elsewhere, publish_verification
):
    touched = [
        desk.holding.get_absolute_url(),
        EXPLAINER,  # shows the claim
        "/places/toretsk/",  # lists it
        f"/sources/{desk.brigade.slug}/",  # its claimant's record
        "/",
        "/claims/",
        "/feeds/verdicts.rss",
        "/api/v1/claims/",
        f"/api/v1/claims/{desk.holding.pk}/",
    ]
    untouched = [
        elsewhere.get_absolute_url(),
        "/places/chasiv-yar/",
        "/sources/regional-governor/",
        f"/api/v1/claims/{elsewhere.pk}/",
    ]
    for url in touched + untouched:
        assert client.get(url).status_code == 200, url
        assert kept(client, url), url

    publish_verification(desk.holding, verdict="confirmed")

    for url in touched:
        assert not kept(client, url), f"{url} still served from the cache"
    for url in untouched:
        assert kept(client, url), f"{url} rendered again for nothing"
    assert "verdict--confirmed" in client.get(desk.holding.get_absolute_url()).content.decode()


def test_the_desk_at_work_purges_nothing(client, desk, reporter, factchecker, editor):
    pages = [EXPLAINER, "/", desk.holding.get_absolute_url(), "/api/v1/claims/"]
    for url in pages:
        client.get(url)
    purges = cache.get(PURGES_KEY)
    draft = factories.ClaimFactory(statement="A draft nobody has checked")
    draft.places.add(desk.toretsk)
    verification = workflow.verification_create(
        claim=desk.holding, by=factchecker, verdict="false", rationale="Not yet."
    )
    workflow.verification_submit(verification=verification, by=factchecker)
    workflow.verification_return(verification=verification, by=editor, note="More sources.")
    services.teamwork.note_add(subject=desk.holding, by=reporter, text="@editor look at this")
    assert cache.get(PURGES_KEY) == purges
    for url in pages:
        assert kept(client, url), url


def test_new_sources_places_articles_and_evidence_purge_nothing_and_ask_nothing(client, desk):
    """Rows readers see only through others (a source cited, a place a claim is about) are
    seen by none as they are inserted: the import of an article makes many, and each is
    saved without a query about readers (only its own INSERTs, and its history rows')."""
    client.get(EXPLAINER)
    purges = cache.get(PURGES_KEY)
    with CaptureQueriesContext(connection) as queries:
        source = factories.SourceFactory(name="A new outlet")
        factories.PlaceFactory(name="Ozarianivka", slug="ozarianivka")
        factories.ArticleFactory(headline="A new report", outlet=source)
        factories.EvidenceFactory(claim=desk.holding, source=source, description="A new video")
    # What decides visibility reads verdicts and explainers (selectors.claims_for_readers).
    asked = [
        q["sql"]
        for q in queries
        if not q["sql"].lstrip().upper().startswith("INSERT")
        and ("claims_verification" in q["sql"] or "claims_explainer" in q["sql"])
    ]
    assert asked == []
    assert cache.get(PURGES_KEY) == purges and kept(client, EXPLAINER)


def test_a_row_loaded_raw_is_asked_about_as_it_may_be_referred_to_already(desk, monkeypatch):
    """A fixture (loaddata) inserts rows raw, in any order: a source may come after the
    claims citing it, so whether readers see it is asked of the database."""
    asked = []
    seen = selectors.seen_by_readers
    monkeypatch.setattr(
        selectors, "seen_by_readers", lambda obj, **kw: asked.append(kw) or seen(obj, **kw)
    )
    source = factories.SourceFactory.build(name="Loaded from a fixture", slug="fixture-source")
    source.created_at = source.updated_at = timezone.now()  # raw: nothing fills them in
    source.save_base(raw=True)
    assert asked == [{"inserted": False}]


def test_a_scheduled_explainer_coming_due_re_renders_only_what_names_it(
    client, desk, elsewhere, factchecker, editor, monkeypatch
):
    later = factories.ExplainerFactory(title="Due soon", slug="due-soon")
    later.claims.add(desk.capture, through_defaults={"position": 0})
    workflow.explainer_submit(explainer=later, by=factchecker)
    workflow.explainer_publish(
        explainer=later, by=editor, at=timezone.now() + datetime.timedelta(minutes=5)
    )
    for url in ("/", desk.capture.get_absolute_url(), elsewhere.get_absolute_url()):
        client.get(url)
    later.refresh_from_db()
    due = later.publish_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: due)
    monkeypatch.setattr(time, "time", lambda: due.timestamp())
    purge_log.forget()  # the check time has passed
    assert "Due soon" in client.get("/").content.decode()
    assert "Due soon" in client.get(desk.capture.get_absolute_url()).content.decode()
    assert kept(client, elsewhere.get_absolute_url())


def test_what_a_change_to_a_claim_touches(desk, elsewhere):
    touched = touched_by(desk.second)  # a verification of the capture claim
    assert {f"claim-{desk.capture.pk}", "claims", f"place-{desk.toretsk.pk}-list"} <= touched
    assert f"source-{desk.mod.pk}-list" in touched
    assert f"claim-{elsewhere.pk}" not in touched and "all" not in touched
    # An explainer published or unpublished: the pages of its claims, which name it.
    came = touched_by(desk.explainer, came_or_went=True)
    assert {f"explainer-{desk.explainer.pk}", "explainers", f"claim-{desk.holding.pk}"} <= came
    # Edited while live: itself and the lists of explainers only.
    edited = touched_by(desk.explainer)
    assert f"claim-{desk.holding.pk}" not in edited


def test_a_lost_purge_is_taken_for_a_purge_of_everything(client, desk, settings):
    settings.READER_VERSION_CHECK_SECONDS = 0
    client.get(EXPLAINER)
    assert kept(client, EXPLAINER)
    seq = cache.incr(PURGES_KEY)  # another worker counted a purge, whose keys are gone
    cache.delete(f"{PURGE_PREFIX}{seq}")
    assert not kept(client, EXPLAINER)


def test_a_counter_lost_with_the_cache_leaves_no_copy_served(client, desk, settings):
    settings.READER_VERSION_CHECK_SECONDS = 0
    client.get(EXPLAINER)
    assert kept(client, EXPLAINER)
    cache.clear()  # Redis emptied: this worker's own copies cannot be checked any more
    assert client.get(EXPLAINER).get("X-Reader-Cache") is None


def test_hits_and_renders_are_counted_for_the_benchmark(client, desk, settings):
    settings.READER_CACHE_STATS = True
    client.get(EXPLAINER)
    client.get(EXPLAINER)
    client.get("/api/v1/claims/")
    client.get("/api/v1/claims/")
    stats.flush()
    assert stats.read() == {"hit": 2, "render": 2, "stale": 0}


def test_the_key_header_speaks_the_front_caches_dialect(client, desk, settings):
    settings.SURROGATE_KEY_HEADER = "Cache-Tag"  # Cloudflare: comma-separated
    response = client.get(EXPLAINER)
    assert "xkey" not in response
    assert f"explainer-{desk.explainer.pk}" in response["Cache-Tag"].split(",")


def test_the_front_cache_keeps_a_page_until_the_next_scheduled_explainer(
    client, desk, factchecker, editor, settings
):
    settings.READER_FRONT_MAX_AGE = 3600
    assert client.get(EXPLAINER)["Surrogate-Control"] == "max-age=3600"
    later = factories.ExplainerFactory(title="Due soon", slug="due-soon")
    workflow.explainer_submit(explainer=later, by=factchecker)
    workflow.explainer_publish(
        explainer=later, by=editor, at=timezone.now() + datetime.timedelta(minutes=5)
    )
    max_age = int(client.get(EXPLAINER)["Surrogate-Control"].removeprefix("max-age="))
    assert 290 <= max_age <= 300


def test_a_claim_coming_to_a_place_reaches_the_pages_that_list_that_places_claims(
    client, desk, publish_verification
):
    fresh = factories.ClaimFactory(statement="Volunteers say the water station was repaired")
    fresh.places.add(desk.toretsk)
    neighbour = desk.holding.get_absolute_url()  # lists the latest claims about Toretsk
    assert fresh.statement not in client.get(neighbour).content.decode()
    client.get(EXPLAINER)  # about Toretsk: its timeline lists the town's claims
    assert kept(client, neighbour) and kept(client, EXPLAINER)
    publish_verification(fresh, verdict="likely_true")
    assert fresh.statement in client.get(neighbour).content.decode()
    assert fresh.statement in client.get(EXPLAINER).content.decode()


def test_a_new_verdict_on_a_claim_already_public_leaves_its_places_membership_alone(
    desk, elsewhere
):
    verification = desk.second  # a verdict on a claim readers already see
    assert f"place-{desk.toretsk.pk}-claims" not in touched_by(verification)
    assert f"place-{desk.toretsk.pk}-claims" in touched_by(desk.capture, came_or_went=True)


# --- pages that only name an explainer ----------------------------------------------------


def test_a_revision_of_an_explainers_text_leaves_the_pages_that_only_name_it(client, desk, revise):
    naming = [desk.holding.get_absolute_url(), f"/api/v1/claims/{desk.holding.pk}/"]
    pk = desk.explainer.pk
    # Positions say only the order: with gaps (as an import may leave them), the same claims
    # in the same order are the same claims, not rewritten by the revision.
    for entry in ExplainerClaim.objects.filter(explainer=desk.explainer):
        ExplainerClaim.objects.filter(pk=entry.pk).update(position=10 * entry.position + 10)
    for url in naming:
        shown = keys_of(client.get(url))
        assert f"explainer-{pk}-name" in shown and f"explainer-{pk}" not in shown, url
    client.get(EXPLAINER)
    revise(desk.explainer, standfirst="A town on the high ground, and why both sides want it.")
    assert all(kept(client, url) for url in naming)
    assert "why both sides want it" in client.get(EXPLAINER).content.decode()
    # Renamed, it is renamed everywhere it is named.
    revise(desk.explainer, title="Toretsk: the high ground")
    for url in naming:
        assert "Toretsk: the high ground" in client.get(url).content.decode(), url


def test_an_explainer_saved_purges_the_pages_naming_it_only_when_renamed_or_moved(client, desk):
    page = desk.holding.get_absolute_url()
    client.get(page)
    desk.explainer.body = "## High ground\n\nThe town overlooks three roads."
    desk.explainer.save()
    assert kept(client, page)
    desk.explainer.slug = "toretsk-high-ground"
    desk.explainer.save()
    assert "/explainers/toretsk-high-ground/" in client.get(page).content.decode()
    assert kept(client, page)
    desk.explainer.title = "Toretsk and its roads"
    desk.explainer.save()
    assert "Toretsk and its roads" in client.get(page).content.decode()


def test_an_explainer_moved_in_time_reorders_the_pages_naming_it(client, desk, make_live_explainer):
    """Pages naming explainers list them newest first: a new publication time moves it."""
    water = make_live_explainer(title="The water of Toretsk", slug="toretsk-water")
    ExplainerClaim.objects.create(explainer=water, claim=desk.holding, position=0)
    page = desk.holding.get_absolute_url()
    html = client.get(page).content.decode()
    assert html.index("The water of Toretsk") < html.index(desk.explainer.title)
    assert kept(client, page)
    desk.explainer.publish_at = water.publish_at + datetime.timedelta(hours=1)
    desk.explainer.save()
    html = client.get(page).content.decode()
    assert html.index(desk.explainer.title) < html.index("The water of Toretsk")


def test_an_explainer_taken_down_leaves_no_page_naming_it(client, desk, editor):
    page = desk.holding.get_absolute_url()
    assert "Why Toretsk matters" in client.get(page).content.decode()
    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Legal review.")
    assert "Why Toretsk matters" not in client.get(page).content.decode()


def test_a_revision_keeps_the_rows_it_sends_back_unchanged(desk, revise):
    """Rows deleted and made again purge every page showing them: a revision of wording
    keeps the rows it sends back as they were, whatever order they come in."""
    second = factories.ArticleFactory(headline="Second report", url="https://wire.example/2")
    # Stored in another order than the revision's document lists them (by article).
    first = desk.capture.appearances.get()
    Appearance.objects.create(claim=desk.capture, article=second, passage="Later.")
    first.delete()
    Appearance.objects.create(claim=desk.capture, article=first.article, passage=first.passage)
    appearances = set(desk.capture.appearances.values_list("pk", flat=True))
    links = set(desk.holding.links_out.values_list("pk", flat=True))
    entries = list(ExplainerClaim.objects.filter(explainer=desk.explainer).values_list("pk"))
    assert len(appearances) == 2 and links
    revise(desk.capture, statement="Moscow says its forces took the centre of Toretsk")
    revise(desk.holding, statement="Brigade says it still holds the Toretsk ridge")
    revise(desk.explainer, standfirst="The ridge, the roads, and who holds them.")
    assert set(desk.capture.appearances.values_list("pk", flat=True)) == appearances
    assert set(desk.holding.links_out.values_list("pk", flat=True)) == links
    assert list(ExplainerClaim.objects.filter(explainer=desk.explainer).values_list("pk")) == (
        entries
    )
    # A changed list is written: the reordered claims of the explainer.
    claims = [
        {"claim": pk}
        for pk in reversed(
            [e.claim_id for e in desk.explainer.explainer_claims.order_by("position")]
        )
    ]
    revise(desk.explainer, claims=claims)
    order = desk.explainer.explainer_claims.order_by("position").values_list("claim_id", flat=True)
    assert list(order) == [row["claim"] for row in claims]
