"""Anonymous pages are cached, invalidated on publish, correction and unpublish, and carry
ETag/Last-Modified so repeat visits get 304."""

import datetime
import gzip
import time
from types import SimpleNamespace

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone
from django.utils.http import http_date, parse_http_date
from django.utils.text import slugify

from claims import services, workflow
from claims.services import teamwork
from claims.web.cache import conditional, decorators, store, version
from claims.web.cache.store import (
    LocalPages,
    content_etag,
    local_pages,
    page_key,
    worker_pages,
)
from claims.web.cache.version import PURGE_PREFIX, PURGES_KEY, purge_log
from tests import factories

pytestmark = pytest.mark.django_db

EXPLAINER = "/explainers/why-toretsk-matters/"


def test_second_visit_is_served_from_the_cache_without_a_query(
    client, desk, django_assert_num_queries
):
    first = client.get(EXPLAINER)
    assert "X-Reader-Cache" not in first
    with django_assert_num_queries(0):
        second = client.get(EXPLAINER)
    assert second["X-Reader-Cache"] == "hit"
    assert second.content == first.content


def test_anonymous_pages_are_public_and_carry_validators(client, desk, served_a_second_later):
    response = client.get(EXPLAINER)
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=60" in cache_control
    assert "s-maxage=60" in cache_control
    assert "Cookie" in response["Vary"]


def test_repeat_visit_with_etag_gets_304(client, desk):
    etag = client.get(EXPLAINER)["ETag"]
    response = client.get(EXPLAINER, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_a_precondition_that_fails_gets_412_and_not_the_page(client, desk):
    client.get(EXPLAINER)  # kept, so the answer must come from the check, not the render
    response = client.get(EXPLAINER, headers={"if-match": '"not-this-page"'})
    assert response.status_code == 412
    assert b"Why Toretsk matters" not in response.content


def test_repeat_visit_with_last_modified_gets_304(client, desk, served_a_second_later):
    last_modified = client.get(EXPLAINER)["Last-Modified"]
    response = client.get(EXPLAINER, headers={"if-modified-since": last_modified})
    assert response.status_code == 304


def test_within_the_second_of_a_change_a_page_has_no_last_modified_to_be_told_304_by(
    client, desk, publish_verification, monkeypatch, django_capture_on_commit_callbacks
):
    """Two changes in one second leave a whole-second Last-Modified where it was: a client
    that had the page from between them and asks If-Modified-Since alone (as feed readers
    do) would be told 304 for the changed page. So within that second the page goes without
    the date (revalidated by its ETag), and a client that sends one anyway is not told 304."""
    with django_capture_on_commit_callbacks(execute=True):
        publish_verification(desk.holding, verdict="false")
    stamp = cache.get(version.READERS_KEY)  # when readers saw it change
    monkeypatch.setattr(conditional, "time", SimpleNamespace(time=lambda: stamp))
    within = client.get(EXPLAINER)
    assert "Last-Modified" not in within and within["ETag"]
    asked = client.get(EXPLAINER, headers={"if-modified-since": http_date(stamp)})
    assert asked.status_code == 200
    assert client.get(EXPLAINER, headers={"if-none-match": within["ETag"]}).status_code == 304

    monkeypatch.setattr(conditional, "time", SimpleNamespace(time=lambda: stamp + 1))
    after = client.get(EXPLAINER)
    assert parse_http_date(after["Last-Modified"]) == int(stamp)
    asked = client.get(EXPLAINER, headers={"if-modified-since": after["Last-Modified"]})
    assert asked.status_code == 304


def test_a_page_rendered_while_what_it_shows_is_purged_is_for_no_front_cache_to_keep(
    client, desk, monkeypatch
):
    """The front cache's purges of a change go out as it commits and once more a little
    later (claims/web/cache/front.py); a page whose render began before and ends after both
    would be kept there, with the old verdict, for READER_FRONT_MAX_AGE. Rendered across a
    purge of what it shows, a page says Surrogate-Control: max-age=0; across another's, the
    front cache may keep it."""
    page = desk.holding.get_absolute_url()
    purged = []
    store_page = decorators.store_page

    def purged_while_rendering(*args, **kwargs):
        version.purge(purged)  # as another worker's publish would, before this one answers
        return store_page(*args, **kwargs)

    monkeypatch.setattr(decorators, "store_page", purged_while_rendering)
    purged[:] = ["place-999-list"]  # nothing the claim page shows
    assert client.get(page)["Surrogate-Control"] == "max-age=3600"
    purged[:] = [f"claim-{desk.holding.pk}"]
    version.purge(purged)  # the kept page out of date: rendered again
    assert client.get(page)["Surrogate-Control"] == "max-age=0"
    monkeypatch.undo()
    assert client.get(page)["Surrogate-Control"] == "max-age=3600"  # rendered, kept, current


def test_each_page_has_its_own_etag(client, desk):
    assert client.get(EXPLAINER)["ETag"] != client.get("/")["ETag"]
    assert client.get("/claims/")["ETag"] != client.get("/claims/?verdict=disputed")["ETag"]


def test_publishing_a_verdict_invalidates_pages_that_show_it(client, desk, publish_verification):
    url = desk.holding.get_absolute_url()
    before_claim, before_home = client.get(url), client.get("/")
    assert "verdict--confirmed" not in before_claim.content.decode()
    publish_verification(desk.holding, verdict="confirmed")
    after_claim = client.get(url, headers={"if-none-match": before_claim["ETag"]})
    assert after_claim.status_code == 200
    assert "verdict--confirmed" in after_claim.content.decode()
    assert "X-Reader-Cache" not in after_claim
    after_home = client.get("/")
    assert after_home["ETag"] != before_home["ETag"]
    assert "verdict--confirmed" in after_home.content.decode()


def test_a_correction_invalidates_the_explainer(client, desk, editor):
    assert "The map was mislabelled." not in client.get(EXPLAINER).content.decode()
    workflow.correction_issue(explainer=desk.explainer, by=editor, text="The map was mislabelled.")
    assert "The map was mislabelled." in client.get(EXPLAINER).content.decode()


def test_unpublishing_takes_the_page_down_at_once(client, desk, editor):
    assert client.get(EXPLAINER).status_code == 200
    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Legal review")
    assert client.get(EXPLAINER).status_code == 404
    assert "Why Toretsk matters" not in client.get("/").content.decode()


def test_an_edit_saved_in_the_desk_invalidates_the_page(client, desk):
    client.get(EXPLAINER)
    desk.explainer.standfirst = "A new standfirst."
    desk.explainer.save()
    assert "A new standfirst." in client.get(EXPLAINER).content.decode()


def test_scheduled_explainer_appears_when_its_time_comes_without_any_write(
    client, desk, factchecker, editor, monkeypatch
):
    later = factories.ExplainerFactory(title="Due soon", slug="due-soon")
    workflow.explainer_submit(explainer=later, by=factchecker)
    workflow.explainer_publish(
        explainer=later, by=editor, at=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert "Due soon" not in client.get("/").content.decode()
    # Time passes: no save, no signal; only the clock moves past publish_at.
    later.refresh_from_db()
    due = later.publish_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: due)
    monkeypatch.setattr(time, "time", lambda: due.timestamp())
    assert "Due soon" in client.get("/").content.decode()
    assert client.get("/explainers/due-soon/").status_code == 200


def test_an_explainer_scheduled_after_the_page_was_kept_appears_when_due(
    client, desk, factchecker, editor, monkeypatch
):
    assert "Due soon" not in client.get("/").content.decode()  # kept before it is scheduled
    later = factories.ExplainerFactory(title="Due soon", slug="due-soon")
    workflow.explainer_submit(explainer=later, by=factchecker)
    workflow.explainer_publish(
        explainer=later, by=editor, at=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert client.get("/")["X-Reader-Cache"] == "hit"  # nothing readers see has changed
    later.refresh_from_db()
    due = later.publish_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: due)
    monkeypatch.setattr(time, "time", lambda: due.timestamp())
    assert "Due soon" in client.get("/").content.decode()


HOUR = datetime.timedelta(hours=1)


def schedule(title, at, factchecker, editor):
    """A new explainer `title`, scheduled by `editor` to go live `at`."""
    explainer = factories.ExplainerFactory(title=title, slug=slugify(title))
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    workflow.explainer_publish(explainer=explainer, by=editor, at=at)
    explainer.refresh_from_db()
    return explainer


def the_clock_at(monkeypatch, when):
    monkeypatch.setattr(timezone, "now", lambda: when)
    monkeypatch.setattr(time, "time", lambda: when.timestamp())


@pytest.mark.parametrize("rescheduled", ["before it is due", "after it is due"])
def test_an_explainer_due_appears_though_another_was_scheduled_around_its_time(
    client, desk, factchecker, editor, monkeypatch, rescheduled
):
    """The schedule was forgotten whenever an explainer was scheduled: the next request read
    it afresh, and took whatever had come due meanwhile for already shown, so nothing purged
    the pages it appears on (home kept without it for READER_CACHE_SECONDS)."""
    soon = timezone.now() + datetime.timedelta(minutes=5)
    due = schedule("Due soon", soon, factchecker, editor)
    assert "Due soon" not in client.get("/").content.decode()  # the schedule read here
    after = due.publish_at + datetime.timedelta(seconds=1)
    if rescheduled == "after it is due":
        the_clock_at(monkeypatch, after)
    schedule("Due later", after + HOUR, factchecker, editor)
    the_clock_at(monkeypatch, after)
    home = client.get("/").content.decode()
    assert "Due soon" in home and "Due later" not in home


def test_an_explainer_due_appears_on_a_worker_that_read_the_schedule_after_another(
    client, desk, factchecker, editor, monkeypatch
):
    """Two workers find the schedule due at once: the one that does not purge must not
    record the schedule as read up to its own later time, past what the other purged."""
    soon = timezone.now() + datetime.timedelta(minutes=5)
    first = schedule("Due soon", soon, factchecker, editor)
    second = schedule("Due next", soon + datetime.timedelta(milliseconds=500), factchecker, editor)
    client.get("/")
    entry = cache.get(version.SCHEDULE_KEY)
    # Another worker found it due at first's time and is purging: it holds the claim.
    the_clock_at(monkeypatch, first.publish_at)
    lock = version._came_due_lock(entry)
    assert cache.add(lock, True)
    purge_log.forget()
    later = second.publish_at + datetime.timedelta(milliseconds=1)
    the_clock_at(monkeypatch, later)
    client.get("/")  # this worker: its own reading, kept by nobody
    assert cache.get(version.SCHEDULE_KEY) == entry
    # The other purges what came due by its time, and records the schedule read then.
    the_clock_at(monkeypatch, first.publish_at)
    cache.delete(lock)
    purge_log.forget()
    assert "Due soon" in client.get("/").content.decode()
    the_clock_at(monkeypatch, later)
    purge_log.forget()
    assert "Due next" in client.get("/").content.decode()


def test_a_workers_copy_of_a_page_kept_for_less_lasts_no_longer(client, desk, monkeypatch):
    """A page the shared cache keeps for less than READER_CACHE_SECONDS (made of pieces kept
    until a correction comes due, say) was copied by another worker for the whole
    READER_CACHE_SECONDS."""
    real_store = store.store_page

    def for_ten_seconds(*args, **kwargs):
        return real_store(*args, **{**kwargs, "timeout": 10})

    monkeypatch.setattr(decorators, "store_page", for_ten_seconds)
    client.get(EXPLAINER)
    local_pages.clear()  # as another worker, which never rendered it
    assert client.get(EXPLAINER)["X-Reader-Cache"] == "hit"
    ((deadline, *_),) = local_pages.entries.values()
    assert deadline - time.monotonic() <= 10


def test_only_a_save_that_moves_the_schedule_has_it_read_again(
    client, desk, factchecker, editor, django_assert_num_queries
):
    """Every save of an explainer had the schedule read again (two queries) and what came due
    looked for (two more) by the next request: a draft saved every few seconds kept readers'
    requests reading it. Only a save that schedules, reschedules or takes one off the
    schedule marks it now."""
    later = schedule("Due soon", timezone.now() + HOUR, factchecker, editor)
    client.get("/")
    marks = cache.get(version.SCHEDULE_MARKS_KEY)
    desk.draft_explainer.standfirst = "Still drafting."
    desk.draft_explainer.save()
    later.standfirst = "A better standfirst before it goes live."
    later.save()
    assert cache.get(version.SCHEDULE_MARKS_KEY) == marks
    purge_log.forget()
    with django_assert_num_queries(0):
        assert client.get("/")["X-Reader-Cache"] == "hit"
    later.publish_at += HOUR
    later.save()
    assert cache.get(version.SCHEDULE_MARKS_KEY) != marks


def test_the_desk_at_work_on_drafts_keeps_every_page(client, desk, reporter, factchecker):
    # Drafts, notes, assignments and the history they write change nothing readers see: the
    # kept pages are served on, and nothing is rendered again.
    pages = [EXPLAINER, "/", "/claims/", desk.capture.get_absolute_url(), "/feeds/verdicts.rss"]
    for page in pages:
        client.get(page)
    claim = services.record_save(
        obj=factories.ClaimFactory.build(
            statement="A draft claim nobody may see yet", claimant=desk.capture.claimant
        ),
        by=reporter,
    )
    workflow.verification_create(
        claim=claim, by=factchecker, verdict="false", rationale="Still checking."
    )
    teamwork.note_add(subject=desk.capture, by=reporter, text="Ask the press officer again.")
    for page in pages:
        response = client.get(page)
        assert response["X-Reader-Cache"] == "hit", page
        assert "A draft claim" not in response.content.decode()


def test_staff_are_never_served_from_or_stored_in_the_cache(client, desk, editor):
    client.get(EXPLAINER)  # cached for readers
    client.force_login(editor)
    response = client.get(EXPLAINER)
    assert "X-Reader-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response
    preview = client.get("/explainers/draft-explainer/")
    assert preview.status_code == 200
    client.logout()
    assert client.get("/explainers/draft-explainer/").status_code == 404


def test_not_found_pages_are_not_cached(client, desk):
    assert client.get("/explainers/draft-explainer/").status_code == 404
    response = client.get("/explainers/draft-explainer/")
    assert response.status_code == 404 and "X-Reader-Cache" not in response


SEARCH = "/search/?q=Toretsk"


def test_a_search_is_kept_by_the_worker_alone(client, desk, django_assert_num_queries):
    first = client.get(SEARCH)
    assert "X-Reader-Cache" not in first
    assert "public" in first["Cache-Control"] and first["ETag"]
    with django_assert_num_queries(0):
        second = client.get(SEARCH)
    assert second["X-Reader-Cache"] == "hit" and second.content == first.content
    # Kept in this worker's memory for unbounded addresses, never in the shared cache nor
    # among the worker's copies of shared pages.
    (key,) = worker_pages.entries
    assert cache.get(key) is None and key not in local_pages


def test_a_kept_search_is_not_served_once_the_content_changes(client, desk, editor):
    assert EXPLAINER in client.get(SEARCH).content.decode()
    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Under review.")
    fresh = client.get(SEARCH)
    assert "X-Reader-Cache" not in fresh
    assert EXPLAINER not in fresh.content.decode()


def test_a_flood_of_searches_pushes_out_only_other_searches(client, desk, monkeypatch):
    monkeypatch.setattr(worker_pages, "max_bytes", 4096)
    client.get(EXPLAINER)
    client.get(SEARCH)
    (first_search,) = worker_pages.entries
    for n in range(20):
        client.get(f"/search/?q=Toretsk+{n}")
    assert 0 < worker_pages.size <= 4096 and first_search not in worker_pages
    assert client.get(EXPLAINER)["X-Reader-Cache"] == "hit"
    assert "X-Reader-Cache" not in client.get(SEARCH)


def test_searches_by_staff_or_with_the_bypass_token_are_not_kept(client, desk, editor, settings):
    settings.READER_CACHE_BYPASS_TOKEN = "bench-token"
    client.get(SEARCH, headers={"X-Reader-Cache-Bypass": "bench-token"})
    client.force_login(editor)
    client.get(SEARCH)
    assert "X-Reader-Cache" not in client.get(SEARCH)
    assert not worker_pages.entries


def test_feeds_and_sitemap_are_cached_and_invalidated(client, desk, publish_verification):
    client.get("/feeds/verdicts.atom")
    assert client.get("/feeds/verdicts.atom")["X-Reader-Cache"] == "hit"
    publish_verification(desk.officer, verdict="false")
    assert "False: Officer says" in client.get("/feeds/verdicts.atom").content.decode()


def test_the_bypass_token_renders_afresh_and_stores_nothing(client, desk, settings):
    settings.READER_CACHE_BYPASS_TOKEN = "bench-token"
    client.get(EXPLAINER)
    bypassed = client.get(EXPLAINER, headers={"X-Reader-Cache-Bypass": "bench-token"})
    assert bypassed.status_code == 200 and "X-Reader-Cache" not in bypassed
    wrong = client.get(EXPLAINER, headers={"X-Reader-Cache-Bypass": "guess"})
    assert wrong["X-Reader-Cache"] == "hit"


def test_without_a_token_no_header_bypasses_the_cache(client, desk, settings):
    settings.READER_CACHE_BYPASS_TOKEN = ""
    client.get(EXPLAINER)
    response = client.get(EXPLAINER, headers={"X-Reader-Cache-Bypass": ""})
    assert response["X-Reader-Cache"] == "hit"


def test_browsers_get_the_stored_page_gzipped_and_others_get_it_plain(client, desk):
    plain = client.get(EXPLAINER)
    assert plain.get("Content-Encoding") is None and b"Why Toretsk matters" in plain.content
    zipped = client.get(EXPLAINER, headers={"accept-encoding": "gzip, deflate, br"})
    assert zipped["X-Reader-Cache"] == "hit"
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 3
    # One page, two encodings: a weak ETag for the compressed bytes, and caches in between
    # told to keep them apart.
    assert zipped["ETag"] == f"W/{plain['ETag']}"
    for response in (plain, zipped):
        assert sorted(v.strip() for v in response["Vary"].split(",")) == [
            "Accept-Encoding",
            "Cookie",
        ]
    refused = client.get(EXPLAINER, headers={"accept-encoding": "gzip;q=0, identity"})
    assert refused.get("Content-Encoding") is None and refused.content == plain.content


def test_the_first_visit_of_a_browser_is_gzipped_too(client, desk):
    response = client.get(EXPLAINER, headers={"accept-encoding": "gzip"})
    assert "X-Reader-Cache" not in response and response["Content-Encoding"] == "gzip"
    assert b"Why Toretsk matters" in gzip.decompress(response.content)


def test_a_gzipped_page_and_its_etag_still_get_304(client, desk):
    etag = client.get(EXPLAINER, headers={"accept-encoding": "gzip"})["ETag"]
    assert etag.startswith("W/")
    again = client.get(EXPLAINER, headers={"accept-encoding": "gzip", "if-none-match": etag})
    assert again.status_code == 304 and again["ETag"] == etag


def test_a_worker_serves_its_own_copy_while_the_content_is_unchanged(
    client, desk, django_assert_num_queries
):
    first = client.get(EXPLAINER)
    # The shared cache loses the page (evicted, say); this worker still has it.
    cache.delete_many([key for key in local_pages.entries])
    with django_assert_num_queries(0):
        second = client.get(EXPLAINER)
    assert second["X-Reader-Cache"] == "hit" and second.content == first.content


def test_a_workers_copy_is_not_served_once_the_content_changes(client, desk):
    assert "Why Toretsk matters" in client.get(EXPLAINER).content.decode()
    desk.explainer.title = "Toretsk, retitled"
    desk.explainer.save()
    fresh = client.get(EXPLAINER)
    assert "X-Reader-Cache" not in fresh
    assert "Toretsk, retitled" in fresh.content.decode()


def page(seq, size, keys=("all",)):
    return (seq, b"x" * size, "text/html", (), frozenset(keys))


def test_a_workers_copies_stay_within_their_size():
    pages = LocalPages(max_bytes=100)
    always = lambda entry: True  # noqa: E731
    pages.put("a", page(1, 40), 60)
    pages.put("b", page(1, 40), 60)
    assert pages.get("a", always, 1) is not None  # a is now the most recently used
    pages.put("c", page(1, 40), 60)
    assert "b" not in pages and "a" in pages and "c" in pages
    assert pages.size == 80
    pages.put("huge", page(1, 101), 60)
    assert "huge" not in pages and pages.size == 80


def test_an_authorization_header_alone_is_answered_from_the_kept_page_for_that_client(client, desk):
    """The reader site reads the desk's session, never a token: any Authorization header,
    rendered afresh each time, made every page, download and the whole ClaimReview file cost a
    render per request. It is answered from the kept page, marked for that client alone."""
    client.get(EXPLAINER)
    for path in (EXPLAINER, "/downloads/claims.csv", "/api/v1/claimreviews.jsonld"):
        client.get(path)
        response = client.get(path, HTTP_AUTHORIZATION="Bearer nonsense")
        assert response["X-Reader-Cache"] == "hit", path
        assert set(response["Cache-Control"].split(", ")) == {
            "max-age=0",
            "no-cache",
            "no-store",
            "must-revalidate",
            "private",
        }
        assert "Surrogate-Control" not in response


@pytest.mark.parametrize("path", [EXPLAINER, "/api/v1/claimreviews.jsonld"])
def test_a_large_kept_page_goes_to_a_client_without_gzip_a_piece_at_a_time(
    client, desk, monkeypatch, path
):
    """A client that does not take gzip (curl without --compressed) was sent a kept page
    decompressed whole: 155 MB held by the worker for each request for the whole ClaimReview
    file of the benchmark's archive, by anyone who asks. A page kept larger than
    DECOMPRESS_WHOLE_UP_TO (gzipped) is decompressed as it is sent, in pieces."""
    rendered = client.get(path).content
    monkeypatch.setattr(store, "DECOMPRESS_WHOLE_UP_TO", 100)  # bytes: the page is larger
    monkeypatch.setattr(store, "DECOMPRESS_PIECE", 64)
    monkeypatch.setattr(store, "DECOMPRESS_OUT", 256)
    for _ in range(2):  # each answer from the kept page
        kept = client.get(path)
        assert kept["X-Reader-Cache"] == "hit"
        assert kept.streaming and "Content-Encoding" not in kept
        pieces = list(kept.streaming_content)
        assert len(pieces) > 2 and max(map(len, pieces)) <= 256
        assert b"".join(pieces) == rendered
    gzipped = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert not gzipped.streaming and gzip.decompress(gzipped.content) == rendered


def test_a_bulk_file_pushes_out_none_of_a_workers_copies_of_pages(client, desk, monkeypatch):
    """A worker keeps no copy of a page larger than an eighth of its copies' room (the whole
    ClaimReview file of the benchmark's archive is 14.5 MB gzipped, against 32 MB): it is
    served from the shared cache, and the pages readers ask for most stay."""
    assert local_pages.largest == local_pages.max_bytes // 8
    client.get(EXPLAINER)
    monkeypatch.setattr(local_pages, "largest", 100)  # bytes: the file is larger
    kept = dict(local_pages.entries)
    client.get("/api/v1/claimreviews.jsonld")
    assert local_pages.entries.keys() == kept.keys()
    again = client.get("/api/v1/claimreviews.jsonld")
    assert again["X-Reader-Cache"] == "hit"  # from the shared cache
    assert client.get(EXPLAINER)["X-Reader-Cache"] == "hit"


def test_a_workers_copy_is_served_only_while_no_later_purge_names_what_it_shows():
    pages = LocalPages(max_bytes=100)
    pages.put("claim", page(5, 10, {"all", "claim-1"}), 60)
    log = type(purge_log)()
    log.seq, log.floor = 5, 0

    def current(entry):
        return log.is_current(entry[0], entry[4])

    assert pages.get("claim", current, log.seq) is not None
    log.seq, log.purged = 6, {"claim-2": 6}  # another claim: still current
    assert pages.get("claim", current, log.seq) is not None
    log.seq, log.purged = 7, {"claim-2": 6, "claim-1": 7}
    assert pages.get("claim", current, log.seq) is None
    log.purged = {"all": 7}  # everything
    assert pages.get("claim", current, log.seq) is None


def test_a_workers_copies_last_no_longer_than_the_shared_ones(monkeypatch):
    pages = LocalPages(max_bytes=100)
    pages.put("never", page(1, 1), 0)
    assert "never" not in pages
    now = time.monotonic()
    pages.put("a", page(1, 10), 60)
    monkeypatch.setattr(time, "monotonic", lambda: now + 61)
    assert pages.get("a", lambda entry: True, 1) is None and "a" not in pages
    assert pages.size == 0


def test_with_the_cache_time_at_zero_nothing_is_kept(client, desk, settings):
    settings.READER_CACHE_SECONDS = 0
    client.get(EXPLAINER)
    assert "X-Reader-Cache" not in client.get(EXPLAINER)


def test_other_workers_see_a_change_within_the_version_check_time(client, desk, settings):
    settings.READER_VERSION_CHECK_SECONDS = 60
    client.get(EXPLAINER)
    assert client.get(EXPLAINER)["X-Reader-Cache"] == "hit"
    # Another worker publishes: the purge is in the shared log, this worker has not looked.
    another_worker_purges("all")
    assert client.get(EXPLAINER)["X-Reader-Cache"] == "hit"
    purge_log.read_at -= 61  # the check time has passed
    assert "X-Reader-Cache" not in client.get(EXPLAINER)


def test_with_no_version_check_time_every_request_reads_the_version(client, desk, settings):
    settings.READER_VERSION_CHECK_SECONDS = 0
    client.get(EXPLAINER)
    another_worker_purges("all")
    assert "X-Reader-Cache" not in client.get(EXPLAINER)


def another_worker_purges(*keys, ago=0.0):
    """A purge as another worker makes it (`ago` seconds ago): in the shared log, and nothing
    in this one."""
    cache.add(PURGES_KEY, 0)
    seq = cache.incr(PURGES_KEY)
    cache.set(f"{PURGE_PREFIX}{seq}", (time.time() - ago, frozenset(keys)))


# --- a page just purged is rendered once: the other workers serve their copy meanwhile ----


def another_worker_renders(url, variant=""):
    """Another worker has claimed the render of `url`'s page (in `variant`, an API read's
    media type), and has not finished it."""
    key = page_key(RequestFactory().get(url), variant)
    assert cache.add(f"{key}:rendering", "another worker", timeout=30)
    return f"{key}:rendering"


@pytest.fixture
def every_purge_read_at_once(settings):
    settings.READER_VERSION_CHECK_SECONDS = 0
    settings.READER_STALE_SECONDS = 1
    settings.READER_RENDER_WAIT_SECONDS = 0.2  # a claim no one lets go of is waited on briefly


def test_while_another_worker_renders_a_purged_page_its_readers_get_this_workers_copy(
    client, desk, every_purge_read_at_once, django_assert_num_queries
):
    old = client.get(EXPLAINER)
    another_worker_purges(f"explainer-{desk.explainer.pk}")
    another_worker_renders(EXPLAINER)
    with django_assert_num_queries(0):
        stale = client.get(EXPLAINER)
    assert stale["X-Reader-Cache"] == "stale" and stale.content == old.content
    # Kept by no one (browsers revalidate, Varnish keeps nothing that says no-cache), and not
    # said to be as new as the change.
    assert stale["Cache-Control"] == "no-cache"
    assert "Surrogate-Control" not in stale and "Last-Modified" not in stale
    assert stale["ETag"] == old["ETag"] and "Cookie" in stale["Vary"]
    assert client.get(EXPLAINER, headers={"if-none-match": old["ETag"]}).status_code == 304
    # Nor is anyone sending credentials: they wait for the render, and render it themselves
    # once the other worker has not kept it within READER_RENDER_WAIT_SECONDS.
    with_token = client.get(EXPLAINER, headers={"authorization": "Token not-a-reader"})
    assert "X-Reader-Cache" not in with_token
    # Nor a client holding the new page (from the worker that rendered it), after one more
    # purge (the other worker still holds its claim to render).
    another_worker_purges(f"explainer-{desk.explainer.pk}")
    newer = client.get(EXPLAINER, headers={"if-none-match": '"the-new-page"'})
    assert newer.status_code == 200 and "X-Reader-Cache" not in newer


def test_no_copy_is_served_longer_than_the_stale_time_after_the_purge(
    client, desk, every_purge_read_at_once
):
    client.get(EXPLAINER)
    # The explainer changed 2 s ago in another worker, which is still rendering its page.
    desk.explainer.standfirst = "Changed two seconds ago."
    type(desk.explainer).objects.filter(pk=desk.explainer.pk).update(
        standfirst=desk.explainer.standfirst
    )
    another_worker_purges(f"explainer-{desk.explainer.pk}", ago=2)
    another_worker_renders(EXPLAINER)
    fresh = client.get(EXPLAINER)
    assert "X-Reader-Cache" not in fresh
    assert "Changed two seconds ago." in fresh.content.decode()


def test_a_purge_dated_ahead_of_this_workers_clock_is_not_taken_for_a_recent_one(
    client, desk, every_purge_read_at_once
):
    client.get(EXPLAINER)
    # Made on a machine whose clock is 5 s ahead: its age here cannot be known.
    another_worker_purges(f"explainer-{desk.explainer.pk}", ago=-5)
    another_worker_renders(EXPLAINER)
    assert "X-Reader-Cache" not in client.get(EXPLAINER)


def test_a_purged_page_is_rendered_by_the_first_worker_to_ask_which_then_lets_go(
    client, desk, every_purge_read_at_once
):
    client.get(EXPLAINER)
    another_worker_purges("all")
    fresh = client.get(EXPLAINER)  # nobody else rendering it: this worker does
    assert "X-Reader-Cache" not in fresh
    claim = another_worker_renders(EXPLAINER)  # the claim was let go after the render
    cache.delete(claim)
    # A render that fails lets go too.
    another_worker_purges("all")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("claims.site.views.render", boom)
        with pytest.raises(RuntimeError):
            client.get(EXPLAINER)
    another_worker_renders(EXPLAINER)


def boom(*args, **kwargs):
    raise RuntimeError("the template broke")


def test_no_copy_is_served_when_this_worker_cannot_tell_how_old_it_is(
    client, desk, every_purge_read_at_once, settings
):
    client.get(EXPLAINER)
    seq = cache.incr(PURGES_KEY)  # a purge whose entry is lost: when was it made?
    another_worker_renders(EXPLAINER)
    assert seq and "X-Reader-Cache" not in client.get(EXPLAINER)
    # Nor with the stale time at zero.
    settings.READER_STALE_SECONDS = 0
    another_worker_purges("all")
    assert "X-Reader-Cache" not in client.get(EXPLAINER)


def test_an_api_read_being_rendered_elsewhere_is_served_from_this_workers_copy(
    client, desk, every_purge_read_at_once
):
    url = "/api/v1/claims/"
    old = client.get(url)
    another_worker_purges("claims")
    another_worker_renders(url, "application/json")
    stale = client.get(url)
    assert stale["X-Reader-Cache"] == "stale" and stale.json() == old.json()
    assert stale["Cache-Control"] == "no-cache" and "Surrogate-Control" not in stale


def test_an_api_read_lets_go_of_its_render_once_answered_or_failed(
    client, desk, every_purge_read_at_once
):
    for url in ("/api/v1/claims/", "/api/v1/claims/999999/"):  # rendered; a 404
        another_worker_purges("all")
        assert client.get(url).status_code in (200, 404)
        cache.delete(another_worker_renders(url, "application/json"))


def another_worker_keeps_its_render_just_before_the_claim(monkeypatch, url, content, variant=""):
    """The race the render claim must not lose: this worker looks the page up and finds it out
    of date; meanwhile another worker, which had claimed it, keeps its new render under the
    current purge and lets go; then this worker claims the render. (Its shared copy only: the
    other worker's memory is not this one's.)"""
    key = page_key(RequestFactory().get(url), variant)
    claimed = store.rendering.acquire

    def acquire(claim):
        if claim.name == f"{key}:rendering":
            seq = cache.get(PURGES_KEY)
            headers = (("ETag", content_etag(content)),)
            mime = "application/json" if variant else "text/html; charset=utf-8"
            entry = store.store_page(key, seq, content, mime, headers, own=LocalPages(10**6))
            cache.set(key, entry)
        return claimed(claim)

    monkeypatch.setattr(store.rendering, "acquire", acquire)


def test_a_page_kept_by_another_worker_just_before_this_one_claims_it_is_served_not_rendered(
    client, desk, every_purge_read_at_once, monkeypatch, served_a_second_later
):
    client.get(EXPLAINER)
    another_worker_purges(f"explainer-{desk.explainer.pk}")
    another_worker_keeps_its_render_just_before_the_claim(
        monkeypatch, EXPLAINER, b"<p>The other worker's render</p>"
    )
    monkeypatch.setattr("claims.site.views.render", boom)  # not rendered here
    served = client.get(EXPLAINER)
    assert served.content == b"<p>The other worker's render</p>"
    assert served["X-Reader-Cache"] == "hit" and "Last-Modified" in served
    # The claim was let go: the next purge's render is this worker's to take.
    cache.delete(another_worker_renders(EXPLAINER))


def test_an_api_read_kept_by_another_worker_just_before_this_one_claims_it_is_not_rendered(
    client, desk, every_purge_read_at_once, monkeypatch, django_assert_num_queries
):
    url = "/api/v1/claims/"
    client.get(url)
    another_worker_purges("claims")
    another_worker_keeps_its_render_just_before_the_claim(
        monkeypatch, url, b'{"results": ["from the other worker"]}', "application/json"
    )
    with django_assert_num_queries(0):  # not rendered here
        served = client.get(url)
    assert served.content == b'{"results": ["from the other worker"]}'
    assert served.get("X-Reader-Cache") != "stale"
    cache.delete(another_worker_renders(url, "application/json"))


def another_worker_keeps_its_render_while_this_one_waits(monkeypatch, url, content, variant=""):
    """Another worker holds the claim to render `url`'s page; while this worker waits, it keeps
    its render (`content`) under the current purge and lets go."""
    key = page_key(RequestFactory().get(url), variant)
    claim = another_worker_renders(url, variant)
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        if len(waits) == 3:  # the render takes a moment
            seq = cache.get(PURGES_KEY)
            mime = "application/json" if variant else "text/html; charset=utf-8"
            headers = (("ETag", content_etag(content)),)
            entry = store.store_page(key, seq, content, mime, headers, own=LocalPages(10**6))
            cache.set(key, entry)
            cache.delete(claim)

    monkeypatch.setattr("claims.web.cache.decorators.time.sleep", sleep)
    return waits


def test_a_worker_with_no_copy_to_serve_waits_for_the_other_workers_render(
    client, desk, every_purge_read_at_once, monkeypatch
):
    # The purge is older than READER_STALE_SECONDS by the time this worker reads it (it reads
    # purges once a second): its copy may not be served, and another worker is rendering.
    client.get(EXPLAINER)
    another_worker_purges(f"explainer-{desk.explainer.pk}", ago=1.5)
    waits = another_worker_keeps_its_render_while_this_one_waits(
        monkeypatch, EXPLAINER, b"<p>Rendered by the other worker</p>"
    )
    monkeypatch.setattr("claims.site.views.render", boom)  # not rendered here
    served = client.get(EXPLAINER)
    assert served.content == b"<p>Rendered by the other worker</p>"
    assert served["X-Reader-Cache"] == "hit" and served["Cache-Control"] != "no-cache"
    assert len(waits) == 3
    # Nothing held: the next purge's render is whoever's asks first.
    cache.delete(another_worker_renders(EXPLAINER))


def test_an_api_read_with_no_copy_to_serve_waits_for_the_other_workers_render(
    client, desk, every_purge_read_at_once, monkeypatch, django_assert_num_queries
):
    url = "/api/v1/claims/"
    client.get(url)
    another_worker_purges("claims", ago=1.5)  # this worker's copy is too old to serve
    another_worker_keeps_its_render_while_this_one_waits(
        monkeypatch, url, b'{"results": ["from the other worker"]}', "application/json"
    )
    with django_assert_num_queries(0):
        served = client.get(url)
    assert served.content == b'{"results": ["from the other worker"]}'


def test_a_worker_waits_no_longer_than_the_render_wait_time_then_renders_it_too(
    client, desk, every_purge_read_at_once, settings
):
    client.get(EXPLAINER)
    another_worker_purges(f"explainer-{desk.explainer.pk}", ago=1.5)
    another_worker_renders(EXPLAINER)  # and never lets go (its worker died)
    started = time.monotonic()
    fresh = client.get(EXPLAINER)
    waited = time.monotonic() - started
    assert "X-Reader-Cache" not in fresh and fresh.status_code == 200
    assert 0.2 <= waited < 2
    # With no wait at all, at once.
    settings.READER_RENDER_WAIT_SECONDS = 0
    another_worker_purges(f"explainer-{desk.explainer.pk}", ago=1.5)
    started = time.monotonic()
    assert "X-Reader-Cache" not in client.get(EXPLAINER)
    assert time.monotonic() - started < 0.2


def test_a_render_the_other_worker_gave_up_is_taken_over_by_the_one_waiting(
    client, desk, every_purge_read_at_once, monkeypatch
):
    client.get(EXPLAINER)
    desk.explainer.standfirst = "Changed while the other worker failed to render it."
    type(desk.explainer).objects.filter(pk=desk.explainer.pk).update(
        standfirst=desk.explainer.standfirst
    )
    another_worker_purges(f"explainer-{desk.explainer.pk}", ago=1.5)
    claim = another_worker_renders(EXPLAINER)
    monkeypatch.setattr(
        "claims.web.cache.decorators.time.sleep", lambda seconds: cache.delete(claim)
    )  # its render failed: it lets go, having kept nothing
    fresh = client.get(EXPLAINER)
    assert "Changed while the other worker failed" in fresh.content.decode()
    cache.delete(another_worker_renders(EXPLAINER))  # rendered with the claim, then let go


def test_a_copy_is_out_of_date_since_the_earliest_purge_after_it_whatever_its_number():
    log = type(purge_log)()
    now = time.time()
    log.seq, log.floor = 7, 0
    # Numbered in the order they reached the counter; 7 was made before 6.
    log.times = {6: now - 0.2, 7: now - 0.5}
    assert log.out_of_date_for(5, 1) == pytest.approx(0.5, abs=0.05)
    assert log.out_of_date_for(6, 1) == pytest.approx(0.5, abs=0.05)
    log.times[7] = now - 2  # one of them too old: too long, whatever the others say
    assert log.out_of_date_for(5, 1) is None
    del log.times[6]  # one not known: no telling
    assert log.out_of_date_for(5, 10) is None
    assert log.out_of_date_for(7, 1) is None  # no purge since: not out of date at all


# --- answers that depend on who asks say so ------------------------------------------------


def vary(response):
    return {value.strip() for value in response.get("Vary", "").split(",") if value.strip()}


def cache_control(response):
    return {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",") if d}


def test_the_short_address_of_a_draft_sends_staff_there_privately_and_for_now(client, desk, editor):
    client.force_login(editor)
    response = client.get(f"/claims/{desk.unpublished.pk}/")
    assert response.status_code == 302
    assert response["Location"] == desk.unpublished.get_absolute_url()
    assert {"private", "no-store"} <= cache_control(response)
    assert "Cookie" in vary(response)


def test_a_drafts_old_address_sends_staff_on_privately_and_for_now(client, desk, editor):
    client.force_login(editor)
    response = client.get(f"/claims/{desk.unpublished.pk}-an-older-statement/")
    assert response.status_code == 302
    assert response["Location"] == desk.unpublished.get_absolute_url()
    assert {"private", "no-store"} <= cache_control(response)
    assert "Cookie" in vary(response)


def user_dependent_urls(desk):
    """Addresses whose answer depends on who asks: drafts (previews for staff, 404 for
    readers), redirects, and published pages."""
    return [
        "/",
        EXPLAINER,
        "/explainers/draft-explainer/",
        desk.capture.get_absolute_url(),
        desk.unpublished.get_absolute_url(),
        f"/claims/{desk.capture.pk}/",
        f"/claims/{desk.unpublished.pk}/",
        f"/claims/{desk.capture.pk}-an-older-statement/",
        f"/claims/{desk.unpublished.pk}-an-older-statement/",
        "/claims/999999/",
        "/places/toretsk/",
        "/places/dzerzhynsk/",
        "/places/secret-hamlet/",
        "/sources/draft-channel/",
        "/search/?q=Toretsk",
        "/feeds/verdicts.atom",
        "/sitemap.xml",
    ]


def test_every_answer_to_staff_is_private_never_stored_and_varies_by_cookie(client, desk, editor):
    client.force_login(editor)
    wrong = {}
    for url in user_dependent_urls(desk):
        response = client.get(url)
        if not {"private", "no-store"} <= cache_control(response) or "Cookie" not in vary(response):
            wrong[url] = (response.status_code, response.get("Cache-Control"), vary(response))
    assert wrong == {}


def test_every_answer_to_readers_varies_by_cookie_and_none_is_private(client, desk):
    wrong = {}
    for url in user_dependent_urls(desk) * 2:  # rendered, then from the cache
        response = client.get(url)
        if "Cookie" not in vary(response) or "private" in cache_control(response):
            wrong[url] = (response.status_code, response.get("Cache-Control"), vary(response))
    assert wrong == {}


def test_a_kept_page_is_answered_before_the_rest_of_the_stack_runs(client, desk):
    client.get(EXPLAINER)
    early = client.get(EXPLAINER)
    assert early["X-Reader-Cache"] == "hit"
    # Nothing below the early path ran: no session, no user was ever given to the request.
    assert not hasattr(early.wsgi_request, "session")
    assert not hasattr(early.wsgi_request, "user")


@pytest.mark.parametrize("page", [EXPLAINER, "/", "/claims/", "/feeds/verdicts.rss"])
def test_the_early_answer_carries_the_headers_the_whole_stack_gives(client, desk, settings, page):
    client.get(page)
    early = client.get(page, HTTP_ACCEPT_ENCODING="gzip")
    # A session cookie (of an anonymous session that holds something, so that it is neither
    # deleted nor saved again): the request goes down the whole stack, is anonymous there,
    # and is answered from the cache by the view's decorator.
    session = SessionStore()
    session["seen"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    whole = client.get(page, HTTP_ACCEPT_ENCODING="gzip")
    assert hasattr(whole.wsgi_request, "session") and not hasattr(early.wsgi_request, "session")
    assert early["X-Reader-Cache"] == whole["X-Reader-Cache"] == "hit"
    assert dict(early.headers) == dict(whole.headers)
    assert early.content == whole.content


def test_the_early_path_answers_conditional_requests_as_the_view_does(client, desk):
    first = client.get(EXPLAINER)
    again = client.get(EXPLAINER, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert not hasattr(again.wsgi_request, "session")
    assert again["ETag"] == first["ETag"]


def test_the_desk_and_api_clients_never_take_the_early_path(client, desk, editor):
    client.get(EXPLAINER)
    client.force_login(editor)
    staff = client.get(EXPLAINER)
    assert hasattr(staff.wsgi_request, "session") and "X-Reader-Cache" not in staff
    client.logout()
    token = client.get(EXPLAINER, HTTP_AUTHORIZATION="Token abc")
    assert hasattr(token.wsgi_request, "session")
