"""Eighteenth outside review: the schedule's marks counter, the claim to purge what came due,
and the front-cache purge of an explainer scheduled for later, after c383def.

Under review: `claims.web.cache.version` (`schedule_changed`, `_mark_schedule`,
`_scheduled_for_later`, `_purge_when_committed`, `_committed`, `_schedule`, `_came_due`,
`current`), `claims.workflow._move` (`explainer_schedule_changed` for every move to or from
SCHEDULED), `claims.selectors.scheduled_publication_times` / `goes_live_later`, and
`claims.services.revisions` (a scheduled explainer is edited as a revision).

The clock is moved as tests/site/test_caching.py moves it; a second worker is simulated
whole with tests/site/test_review_seventeenth.py's `as_worker`. The shared cache "down" is
the test cache's methods raising ConnectionError, as tests/site/test_surrogate_keys_at_commit.py
does. Tests that need real commits (on_commit callbacks in their order, readers'
Last-Modified moving) run outside a test case's transaction.

Tried, and held: the marks counter lost alone; a mark landing while the winner purges; a
winner that dies before it purges (the next worker purges once the claim lapses, and the
site keeps serving meanwhile); the queries a reader pays after a mark (one schedule read,
then none), and a reporter's draft saves and revision proposals on a scheduled explainer
(no purge, no front purge, no Last-Modified moved); an explainer scheduled then withdrawn
before its time (nothing shown, nothing purged at its time); a mark alone leaving
Last-Modified and 304s as they were.

A test marked FOUND fails on the code reviewed (c383def) and asserts what a correct server
does; the others pass there and stay as regression tests. FOUND (see each docstring):
- the schedule's entry lost alone (SCHEDULE_KEY) after a go-live: the go-live is never
  purged;
- the shared cache not answering when an explainer is saved or scheduled: the desk's save
  fails (`_mark_schedule` is unguarded), where a publish survives the same outage (two
  tests: a draft save, a scheduling, which also never goes live);
- the shared cache taking reads but refusing writes once a scheduled time has come: every
  reader request fails with a 500 (`_came_due`'s claim is an unguarded `cache.add`);
- an explainer scheduled for a moment that passes before the commit, in a transaction that
  also changes something readers see after it: that change's purge is lost
  (`_scheduled_for_later` re-enters `_purge_when_committed` from an on_commit callback);
- an explainer scheduled and withdrawn in one transaction: readers' Last-Modified is moved
  to its (future) time, so every reader page goes without Last-Modified until then;
- a revision published on a scheduled explainer (readers see nothing yet) purges the reader
  pages and moves readers' Last-Modified.

All mended in the commit after the review: with no schedule kept while the purge counter
is, what came due since the oldest page kept anywhere could have been made is purged first
(`version._schedule`); a mark the shared cache does not take is logged and kept by the
worker, which takes the schedule for due until it is sent (`_mark_schedule`, `send_unsent`);
the claim to purge what came due, and the schedule's write, are guarded (answered as by the
worker that lost the claim); a scheduling that commits after its time is purged directly
(`_send_purge`, not through the transaction's pending keys) and decided by the explainer as
committed; readers' Last-Modified is never moved past now; a revision is announced to
readers only when they see its subject.
"""

from contextlib import contextmanager

import pytest
from django.core.cache import cache, caches
from django.db import DatabaseError, transaction
from django.utils import timezone

from claims import selectors, workflow
from claims.models import Explainer
from claims.services import revisions
from claims.web.cache import version
from claims.web.cache.version import PURGES_KEY, READERS_KEY, SCHEDULE_KEY, SCHEDULE_MARKS_KEY
from tests import factories
from tests.conftest import published_verification
from tests.site import test_review_seventeenth as seventeenth
from tests.site.test_caching import the_clock_at
from tests.site.test_review_seventeenth import (
    MINUTE,
    OTHER,
    SECOND,
    TITLE,
    a_second_later,
    as_worker,
    asked_on_both,
    clock_at,
    home,
    new_worker,
    scheduled,
    shown,
    surfaces,
)

pytestmark = [pytest.mark.django_db]

world = seventeenth.world  # the fixture: a place, a claim readers see, one cited only


@pytest.fixture
def front_purges(monkeypatch):
    """Every set of keys sent to the front cache, in order."""
    sent = []
    monkeypatch.setattr(version.front, "purge_at_front", lambda keys: sent.append(set(keys)))
    return sent


@contextmanager
def shared_cache_down(monkeypatch, *methods):
    """The shared cache answers none of `methods` (all writes by default)."""
    methods = methods or ("add", "incr", "set", "set_many", "delete")

    def no_answer(*args, **kwargs):
        raise ConnectionError("the cache did not answer in time")

    with monkeypatch.context() as outage:
        for name in methods:
            outage.setattr(caches["default"], name, no_answer)
        yield


# --- the kept schedule and its counter lost alone --------------------------------------------


def test_the_schedule_entry_lost_alone_after_a_go_live_still_purges_it(
    client, world, factchecker, editor, monkeypatch
):
    """FOUND: the kept schedule (SCHEDULE_KEY) is lost on its own while pages are kept (a
    `cache.delete` by an operator or a tool clearing `site:schedule*`, a Redis failover that
    kept the pages' keys but not this one), after a scheduled explainer's time has come and
    before any request noticed it. The next request reads the schedule from the database as
    if new and purges nothing (`version._schedule`: `entry is None` goes straight to the
    read, `came_due` False): home, its place's page and the lists keep the version without
    the explainer for READER_CACHE_SECONDS, though its Last-Modified says the go-live.

    A lost marks counter is handled (a reading whose marks differ is due, and purges since
    its "read at"), but a lost reading has no "read at" to purge from. Fix: keep a
    "purged up to" time apart from the reading (or in the purge counter's entry), or, with
    no entry, purge what came due within READER_CACHE_SECONDS before now (what any page
    kept could have missed)."""
    explainer = scheduled(TITLE, timezone.now() + 5 * MINUTE, factchecker, editor, world)
    place = f"/places/{world.place.slug}/"
    assert TITLE not in home(client) and not shown(client, place, TITLE)
    clock_at(monkeypatch, explainer.publish_at + SECOND)
    cache.delete(SCHEDULE_KEY)
    assert TITLE in home(client)
    assert shown(client, place, TITLE)


def test_the_marks_counter_lost_alone_still_brings_every_later_schedule_change(
    client, factchecker, editor, monkeypatch
):
    """The marks counter deleted while a reading and pages are kept, before and after a
    go-live: a reading whose marks differ from the counter (now none) is read again, and a
    scheduling after it starts the counter again and is noticed; both explainers appear at
    their times on this worker and on another that read the schedule before the loss."""
    start = timezone.now()
    first = scheduled(TITLE, start + 5 * MINUTE, factchecker, editor)
    other = new_worker()
    assert TITLE not in home(client)
    with as_worker(other):
        assert TITLE not in home(client)
    cache.delete(SCHEDULE_MARKS_KEY)
    a_second_later(other)
    assert TITLE not in home(client)
    second = scheduled(OTHER, start + 7 * MINUTE, factchecker, editor)
    cache.delete(SCHEDULE_MARKS_KEY)  # lost again, after the scheduling's mark
    clock_at(monkeypatch, first.publish_at + SECOND, other)
    with as_worker(other):
        page = home(client)
        assert TITLE in page and OTHER not in page
    clock_at(monkeypatch, second.publish_at + SECOND, other)
    page = home(client)
    assert TITLE in page and OTHER in page
    with as_worker(other):
        assert OTHER in home(client)


def test_a_mark_landing_while_the_winner_purges_is_not_lost(
    client, factchecker, editor, monkeypatch
):
    """The desk schedules a second explainer while the worker that won the claim is in the
    middle of purging what came due (inside `selectors.scheduled_explainers_due`, before it
    reads the schedule): the reading it keeps carries the counter from before that mark, so
    the next request reads again; the second explainer appears at its time."""
    first = scheduled(TITLE, timezone.now() + 5 * MINUTE, factchecker, editor)
    assert TITLE not in home(client)
    clock_at(monkeypatch, first.publish_at + SECOND)
    real = selectors.scheduled_explainers_due
    desk = {}

    def due_while_the_desk_schedules(after, until):
        found = list(real(after=after, until=until))
        if not desk:
            desk["second"] = scheduled(OTHER, first.publish_at + MINUTE, factchecker, editor)
        return found

    monkeypatch.setattr(selectors, "scheduled_explainers_due", due_while_the_desk_schedules)
    assert TITLE in home(client)
    monkeypatch.setattr(selectors, "scheduled_explainers_due", real)
    a_second_later()
    assert OTHER not in home(client)
    clock_at(monkeypatch, desk["second"].publish_at + SECOND)
    assert OTHER in home(client)


def test_a_winner_that_dies_before_purging_is_taken_over_once_its_claim_lapses(
    client, world, factchecker, editor, monkeypatch
):
    """The worker that wins the claim dies in its database read (before any purge); its
    claim is held for CAME_DUE_CLAIM_SECONDS. Meanwhile the site keeps answering (another
    worker serves its copy, due now, kept by no front cache); once the claim lapses the
    next worker purges, and every surface shows the explainer."""
    explainer = scheduled(TITLE, timezone.now() + 5 * MINUTE, factchecker, editor, world)
    addresses = surfaces(world, explainer)
    other = new_worker()
    for address, text in addresses.items():
        assert not shown(client, address, text), address
    with as_worker(other):
        assert TITLE not in home(client)
    clock_at(monkeypatch, explainer.publish_at + SECOND, other)

    def database_away(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    with monkeypatch.context() as dying:
        dying.setattr(selectors, "scheduled_explainers_due", database_away)
        with pytest.raises(DatabaseError):
            client.get("/")
    a_second_later(other)
    with as_worker(other):
        response = client.get("/")
        assert response.status_code == 200
        assert response["Surrogate-Control"] == "max-age=0"
    clock_at(
        monkeypatch, explainer.publish_at + (version.CAME_DUE_CLAIM_SECONDS + 2) * SECOND, other
    )
    with as_worker(other):
        assert TITLE in home(client)
    for address, text in addresses.items():
        assert shown(client, address, text), address


# --- the shared cache down ------------------------------------------------------------------


def test_a_draft_explainer_saves_while_the_shared_cache_is_down(reporter, monkeypatch):
    """FOUND: with Redis not answering (a restart, a network blip of REDIS_TIMEOUT), a
    reporter saving a draft explainer, which readers see nothing of, gets an error and loses
    the save: every Explainer save calls `version.schedule_changed`, whose `_mark_schedule`
    does `cache.add`/`cache.incr` unguarded. A publish of a verdict in the same outage
    completes (`_committed` keeps the purge as unsent). Impact: the desk cannot write or
    edit any explainer while the cache is away. Fix: in `_mark_schedule`, catch the cache's
    error, log it, and keep the mark as unsent (as `_keep_unsent` does for purges: e.g.
    forget this worker's reading and send the mark with the next request)."""
    explainer = factories.ExplainerFactory(title="Ferry timetable draft", slug="ferry-draft")
    explainer.standfirst = "A first go at the ferry story."
    with shared_cache_down(monkeypatch):
        explainer.save()
    explainer.refresh_from_db()
    assert explainer.standfirst == "A first go at the ferry story."


def test_an_explainer_scheduled_while_the_shared_cache_is_down_still_goes_live(
    client, world, factchecker, editor, monkeypatch
):
    """FOUND: the editor schedules an explainer while Redis does not answer: the scheduling
    raises (`_mark_schedule` unguarded, from the workflow's `explainer_schedule_changed`),
    so the editor's request fails; and where the caller survives it, the mark never reaches
    the cache, so the reading kept from before (no next due) never comes due and the
    explainer never reaches the pages kept before. A correct server completes the scheduling
    and shows it at its time once the cache answers again. Fix: as for draft saves, keep an
    unsent mark per worker (forgetting the local reading) and send it with the next request
    that reaches the cache."""
    assert TITLE not in home(client)
    at = timezone.now() + 5 * MINUTE
    explainer = factories.ExplainerFactory(title=TITLE, slug="harbour-cranes")
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    with shared_cache_down(monkeypatch, "add", "incr"):
        workflow.explainer_publish(explainer=explainer, by=editor, at=at)
    explainer.refresh_from_db()
    assert explainer.status == Explainer.Status.SCHEDULED
    clock_at(monkeypatch, at + SECOND)
    assert TITLE in home(client)


def test_a_reader_is_answered_while_the_claim_to_purge_cannot_be_taken(
    client, factchecker, editor, monkeypatch
):
    """FOUND (medium): the shared cache answers reads but refuses writes (Redis at
    `maxmemory` with nothing volatile left to evict answers OOM to writes; a replica
    promoted read-only after a failover answers READONLY). Kept pages are served as
    usual, with reads alone, until a scheduled explainer's time comes: from then on every
    reader request finds the schedule due, tries to take the claim (`_came_due`:
    `cache.add`, unguarded) and fails with a 500, on every page of the site, until the
    cache takes writes again. (With the cache wholly away reader pages fail anyway, by
    design; here the reads that serve them work.)

    Fix: in `_came_due` (and `_schedule`'s `cache.set`), catch the cache's error and answer
    as the worker that lost the claim does (the old entry, due now: max-age 0), logging
    it."""
    explainer = scheduled(TITLE, timezone.now() + 5 * MINUTE, factchecker, editor)
    assert TITLE not in home(client)
    clock_at(monkeypatch, explainer.publish_at + SECOND)
    with shared_cache_down(monkeypatch, "add"):
        assert client.get("/").status_code == 200
    a_second_later()
    assert TITLE in home(client)


# --- what the desk at work costs readers ------------------------------------------------------


def test_after_a_mark_readers_pay_one_schedule_read_then_nothing(
    client,
    factchecker,
    editor,
    reporter,
    monkeypatch,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    """A reporter saving a draft explainer marks the schedule: the first reader request
    after it reads the schedule (a handful of queries); the requests after it, on this
    worker and another, a second apart each, query nothing; kept pages stay kept."""
    scheduled(TITLE, timezone.now() + 5 * MINUTE, factchecker, editor)
    other = new_worker()
    for _ in range(2):
        home(client)
        with as_worker(other):
            home(client)
    draft = factories.ExplainerFactory(title="Grain draft", slug="grain-draft")
    for n in range(3):
        draft.body = f"Version {n} of the grain piece."
        draft.save()
        a_second_later(other)
        with django_assert_max_num_queries(4):
            assert client.get("/")["X-Reader-Cache"] == "hit"
        for _ in range(3):
            a_second_later(other)
            with django_assert_num_queries(0):
                assert client.get("/")["X-Reader-Cache"] == "hit"
            with as_worker(other), django_assert_num_queries(0):
                assert client.get("/")["X-Reader-Cache"] == "hit"


def test_desk_edits_of_a_scheduled_explainer_purge_nothing(
    client, world, factchecker, editor, monkeypatch, front_purges
):
    """A scheduled explainer edited on the desk by its fact-checker (a revision proposed,
    then amended, as `revisions.is_live` requires for a scheduled one; reporters may not
    change explainers at all): no purge in the shared cache, nothing
    sent to the front cache, readers' Last-Modified unmoved, home still kept."""
    explainer = scheduled(TITLE, timezone.now() + 5 * MINUTE, factchecker, editor, world)
    held = client.get("/")
    purges, stamp = cache.get(PURGES_KEY), cache.get(READERS_KEY)
    front_purges.clear()
    for words in ("The cranes arrived by barge.", "The cranes arrived by barge in March."):
        revisions.revision_propose(subject=explainer, by=factchecker, changes={"body": words})
    assert cache.get(PURGES_KEY) == purges and cache.get(READERS_KEY) == stamp
    assert front_purges == []
    a_second_later()
    response = client.get("/")
    assert response["X-Reader-Cache"] == "hit" and response["ETag"] == held["ETag"]


def test_a_revision_published_on_a_scheduled_explainer_purges_nothing_readers_see(
    client, world, factchecker, editor, monkeypatch
):
    """FOUND (low): an editor publishes a revision of an explainer that is scheduled, not
    yet live (readers see nothing of it): `revisions.revision_publish` sends
    `published_record_changed` whatever the subject's visibility, so `readers_saw` purges
    home, the lists, its places' and claims' pages and moves readers' Last-Modified: every
    page is rendered again and anyone polling If-Modified-Since learns that the desk did
    something, though nothing readers see changed. (The front purge that `_apply`'s save
    sends through `_scheduled_for_later` is the scheduling's own and is not asserted here.)
    Fix: in `revision_publish`, send `published_record_changed` only when
    `selectors.seen_by_readers(subject)` (the schedule's own mark covers the rest)."""
    explainer = scheduled(TITLE, timezone.now() + 5 * MINUTE, factchecker, editor, world)
    revision = revisions.revision_propose(
        subject=explainer, by=factchecker, changes={"body": "The cranes came by barge."}
    )
    held = client.get("/")
    purges = cache.get(PURGES_KEY)
    explainer.refresh_from_db()
    revisions.revision_publish(revision=revision, by=editor, kind="minor")
    assert cache.get(PURGES_KEY) == purges
    a_second_later()
    assert client.get("/")["ETag"] == held["ETag"]


def test_a_mark_alone_leaves_last_modified_and_304s_as_they_were(
    client, factchecker, editor, monkeypatch, served_a_second_later
):
    """Drafts saved and an explainer scheduled for later (marks only, nothing readers see):
    a client holding home and the API's list, asking If-Modified-Since or If-None-Match,
    is still told 304, and Last-Modified does not move (it would tell anyone when the desk
    is at work)."""
    addresses = ("/", "/explainers/", "/feeds/explainers.rss")
    held = {address: client.get(address) for address in addresses}
    draft = factories.ExplainerFactory(title="Dam draft", slug="dam-draft")
    draft.body = "Notes on the dam."
    draft.save()
    scheduled(OTHER, timezone.now() + 30 * MINUTE, factchecker, editor)
    a_second_later()
    for address, old in held.items():
        for asked in (
            {"HTTP_IF_MODIFIED_SINCE": old["Last-Modified"]},
            {"HTTP_IF_NONE_MATCH": old["ETag"]},
        ):
            response = client.get(address, **asked)
            assert response.status_code == 304, (address, asked)
        assert client.get(address)["Last-Modified"] == old["Last-Modified"]


# --- withdrawn before its time ------------------------------------------------------------------


def test_an_explainer_withdrawn_before_its_time_is_never_purged_for_nor_shown(
    client, world, factchecker, editor, monkeypatch, front_purges
):
    """Scheduled (the front cache told to fetch its pages again), then unpublished a minute
    before its time: past its time, nothing is purged in the shared cache or at the front,
    on this worker or another, and no surface shows it."""
    explainer = scheduled(TITLE, timezone.now() + 5 * MINUTE, factchecker, editor, world)
    addresses = surfaces(world, explainer)
    other = new_worker()
    asked_on_both(client, addresses, other)
    workflow.explainer_unpublish(explainer=explainer, by=editor, reason="The yard denied it.")
    a_second_later(other)
    home(client)
    purges, sent = cache.get(PURGES_KEY), len(front_purges)
    for moment in (
        explainer.publish_at,
        explainer.publish_at + SECOND,
        explainer.publish_at + MINUTE,
    ):
        clock_at(monkeypatch, moment, other)
        for address, text in addresses.items():
            assert not shown(client, address, text), address
            with as_worker(other):
                assert not shown(client, address, text), address
    assert cache.get(PURGES_KEY) == purges and len(front_purges) == sent


# --- one transaction, real commits ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_scheduling_come_due_before_commit_does_not_swallow_the_transaction_s_purges(
    client, claim, factchecker, editor, monkeypatch, front_purges
):
    """FOUND: one transaction schedules an explainer two seconds ahead and then publishes a
    verdict readers see; it commits three seconds later (after the explainer's time). The
    on_commit callbacks run in order: `_scheduled_for_later` (the explainer's time passed)
    calls `_purge_when_committed` from inside a callback, where there is no atomic block:
    the owner it finds (None) is not the transaction's, so it drops the transaction's
    pending keys (`_pending.keys = None`), purges the explainer's alone, and the
    transaction's own `_committed` then finds nothing to purge. The claim page stays kept
    with the old verdict (READER_CACHE_SECONDS here, an hour at the front: its keys are
    never sent there either).

    Fix: `_scheduled_for_later` should not re-enter the pending machinery after commit:
    call `purge(keys)`, `_move_readers_stamp(seen_at)` and `front.purge_at_front(keys)`
    directly (guarded as `_committed` is), or register its keys into the pending set before
    the commit and let `_committed` do the purge."""
    published_verification(claim, "unconfirmed", factchecker=factchecker, editor=editor)
    page = claim.get_absolute_url()
    start = timezone.now()
    the_clock_at(monkeypatch, start)
    assert "Footage matched" not in client.get(page).content.decode()
    assert client.get(page)["X-Reader-Cache"] == "hit"
    with transaction.atomic():
        scheduled(TITLE, start + 2 * SECOND, factchecker, editor)
        published_verification(
            claim, "false", factchecker=factchecker, editor=editor, rationale="Footage matched."
        )
        the_clock_at(monkeypatch, start + 3 * SECOND)
    a_second_later()
    assert "Footage matched" in client.get(page).content.decode()
    assert any(f"claim-{claim.pk}" in keys for keys in front_purges)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_explainer_scheduled_and_withdrawn_in_one_transaction_moves_nothing(
    client, factchecker, editor, monkeypatch, served_a_second_later
):
    """FOUND (narrow): one transaction schedules an explainer an hour ahead and unpublishes
    it again (the same object: `_move` refreshes it in place). At commit
    `_scheduled_for_later` looks at the object as it is then: not scheduled, so it takes
    the explainer's time to have passed, purges what it would touch (readers never saw it)
    and moves readers' Last-Modified to `seen_at=explainer.publish_at`, an hour ahead
    (`_move_readers_stamp` takes the max). Every reader page then goes without
    Last-Modified for that hour (`conditional.second_over` holds it back until the
    "change" is over): no If-Modified-Since revalidation anywhere, by Varnish or by feed
    readers, until something else changes.

    Fix: decide in `_scheduled_for_later` by the explainer's status in the database and its
    time (`publish_at <= now`), not by the object's state in memory, and never take a
    `seen_at` later than now (clamp in `_move_readers_stamp`)."""
    start = timezone.now()
    the_clock_at(monkeypatch, start)
    explainer = factories.ExplainerFactory(title=TITLE, slug="harbour-cranes")
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    client.get("/")
    with transaction.atomic():
        workflow.explainer_publish(explainer=explainer, by=editor, at=start + 60 * MINUTE)
        workflow.explainer_unpublish(explainer=explainer, by=editor, reason="Held back.")
    clock_at(monkeypatch, start + 5 * SECOND)
    assert cache.get(READERS_KEY) <= (start + 5 * SECOND).timestamp()
    response = client.get("/")
    assert TITLE not in response.content.decode()
    assert "Last-Modified" in response
