"""Seventeenth outside review: does the reader cache keep its promise by the clock and by the
schedule, after 0e5133e (the schedule kept as (latest due, next due, read at), a schedule
change marking it due instead of deleting it, the first worker to find it due purging all
that came due since "read at", and a worker's copy living no longer than the shared one)?

Under review: `claims.web.cache.version` (`schedule_changed`, `_schedule_out_of_date`,
`_schedule`, `_came_due`, `current`, `front_max_age`), `store.look_up`, `pieces`,
`claims.selectors.scheduled_publication_times` / `scheduled_explainers_due` /
`corrections_due`, and `claims.workflow.explainer_publish(at=…)`, `explainer_unpublish`,
`explainers_publish_due` (manage.py publish_scheduled).

The clock is moved as tests/site/test_caching.py moves it (`timezone.now` and `time.time`).
A second worker is simulated whole (`as_worker`): its own copies of pages (`local_pages`),
its kept pieces (`pieces.kept`) and its reading of the purge log (`purge_log`), swapped in
and out around the requests it answers; the shared cache is the one both use.

Tried, and held: a scheduled explainer going live on every reader surface (home, its page,
the list, its place's and claims' pages, a claim readers see only through it, RSS and Atom,
the sitemap, the API's list and detail, the bulk download), noticed by this worker or by
another while this one held copies and pieces of every page; a scheduled explainer
unpublished before its time never reaching any surface, after its time or after
publish_scheduled; two explainers due in the same second, and 300 ms apart; one rescheduled
earlier; publish_scheduled run before any reader noticed; corrections dated later on a claim
and on an explainer (the claim's page with its corrections kept as a piece, the explainer's
page, the API's explainer and its list of corrections), with another worker's copies and
pieces; the shared cache emptied between the scheduling and the go-live; If-Modified-Since
and If-None-Match from before a go-live; Surrogate-Control around a scheduled time.

A test marked FOUND fails on the code reviewed (0e5133e) and asserts what a correct server
does; the others pass there and stay as regression tests. FOUND (five):
- an explainer that went live by the clock and was then rescheduled for later never reaches
  the reader pages at its new time (no schedule mark when readers saw it before the move);
- a worker's reading of the schedule made before another explainer was scheduled is kept
  over that schedule's mark (a race the mark did not close: the new explainer never comes
  due for the cache);
- an explainer scheduled for a moment that passes before its transaction commits is never
  purged, when another worker read the schedule between the mark and the commit;
- a worker that finds the schedule due while another purges serves its old copy dated with
  the go-live's Last-Modified (and a front TTL of an hour), so a client holding it is told
  304 afterwards;
- the request that finds a correction dated later has come due answers with the
  Last-Modified read before it purged: a client from before is told 304.

All five mended in the commit after the review (each test's "Mended" says how): the
schedule is marked by a counter every change moves on, which a kept reading records as it
was before it was read; the workflow marks it for every move to or from the schedule; a
scheduling that commits after its own time purges what the explainer touches; the worker
that does not win the claim answers with the schedule as it was, due now; the schedule's
latest due counts corrections.
"""

import datetime
import io
from collections import OrderedDict
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from claims import selectors, workflow
from claims.models import Correction, Explainer, ExplainerClaim
from claims.web.cache import pieces, version
from claims.web.cache.store import local_pages
from claims.web.cache.version import PurgeLog, purge_log
from tests import factories
from tests.conftest import published_explainer, published_verification
from tests.site.test_caching import the_clock_at

pytestmark = [pytest.mark.django_db]

SECOND = datetime.timedelta(seconds=1)
MINUTE = datetime.timedelta(minutes=1)
TITLE = "Harbour cranes return"
OTHER = "Grain corridor reopens"


# --- a second worker, whole --------------------------------------------------------------

# What a worker keeps in its own memory: its copies of pages, its kept pieces, and its
# reading of the purge log (the lock aside).
MEMORY = (
    (local_pages, ("entries", "size")),
    (pieces.kept, ("_items", "size")),
    (
        purge_log,
        ("seq", "floor", "purged", "times", "values", "read_at", "unsent", "unsent_at"),
    ),
)


def _snapshot():
    return {(id(obj), name): getattr(obj, name) for obj, names in MEMORY for name in names}


def _load(memory):
    for obj, names in MEMORY:
        for name in names:
            setattr(obj, name, memory[(id(obj), name)])


def new_worker():
    """The memory of a worker that has answered nothing yet."""
    log = PurgeLog()
    fresh = {"entries": OrderedDict(), "_items": OrderedDict(), "size": 0}
    memory = {}
    for obj, names in MEMORY:
        for name in names:
            value = getattr(log, name) if obj is purge_log else fresh[name]
            memory[(id(obj), name)] = value
    return memory


@contextmanager
def as_worker(memory):
    """Answer the requests of the block as the worker whose memory is `memory` (kept in it
    afterwards); this worker's own memory is put back after."""
    mine = _snapshot()
    _load(memory)
    try:
        yield
    finally:
        memory.update(_snapshot())
        _load(mine)


# --- the desk's material --------------------------------------------------------------------


@pytest.fixture
def world(db, factchecker, editor):
    """A place with a claim readers see by its verdict, and one readers will see only
    through an explainer that cites it."""
    place = factories.PlaceFactory(name="Mariupol port", slug="mariupol-port")
    claimant = factories.SourceFactory(name="Port authority", slug="port-authority")
    assessed = factories.ClaimFactory(
        statement="Port authority says two berths were cleared", claimant=claimant
    )
    assessed.places.add(place)
    published_verification(assessed, "likely_true", factchecker=factchecker, editor=editor)
    cited_only = factories.ClaimFactory(
        statement="Port authority says the night ferry sails again", claimant=claimant
    )
    cited_only.places.add(place)
    return SimpleNamespace(place=place, assessed=assessed, cited_only=cited_only)


def scheduled(title, at, factchecker, editor, world=None, slug=None):
    """A new explainer `title` (about `world`'s place, citing its two claims, if given),
    submitted and scheduled for `at`."""
    slug = slug or title.lower().replace(" ", "-")
    explainer = factories.ExplainerFactory(title=title, slug=slug)
    if world is not None:
        explainer.places.add(world.place)
        for position, claim in enumerate((world.assessed, world.cited_only)):
            ExplainerClaim.objects.create(explainer=explainer, claim=claim, position=position)
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    workflow.explainer_publish(explainer=explainer, by=editor, at=at)
    explainer.refresh_from_db()
    return explainer


def home(client, **extra):
    return client.get("/", **extra).content.decode()


def surfaces(world, explainer):
    """{address: what shows the explainer there} over every kind of reader surface."""
    api_claim = f"/api/v1/claims/{world.cited_only.pk}/"
    return {
        "/": TITLE,
        "/explainers/": TITLE,
        f"/explainers/{explainer.slug}/": TITLE,
        f"/places/{world.place.slug}/": TITLE,
        world.assessed.get_absolute_url(): TITLE,
        "/feeds/explainers.rss": TITLE,
        "/feeds/explainers.atom": TITLE,
        "/sitemap-explainers.xml": explainer.slug,
        "/api/v1/explainers/": TITLE,
        f"/api/v1/explainers/{explainer.pk}/": TITLE,
        api_claim: "night ferry",
        "/downloads/explainers.csv": TITLE,
    }


def shown(client, address, text):
    response = client.get(address)
    return response.status_code == 200 and text in response.content.decode()


def a_second_later(*workers):
    """READER_VERSION_CHECK_SECONDS have passed for this worker and `workers` (their
    readings of the counter are out of date; time.monotonic is not moved with the clock)."""
    purge_log.forget()
    for memory in workers:
        memory[(id(purge_log), "values")] = None


def clock_at(monkeypatch, when, *workers):
    the_clock_at(monkeypatch, when)
    a_second_later(*workers)


def published_explainer_citing(world, factchecker, editor, title="Why the port matters"):
    explainer = factories.ExplainerFactory(title=title, slug=title.lower().replace(" ", "-"))
    ExplainerClaim.objects.create(explainer=explainer, claim=world.assessed, position=0)
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    return workflow.explainer_publish(explainer=explainer, by=editor)


def asked_on_both(client, addresses, other):
    """Each of `addresses` asked for on this worker and on `other` (each keeps its copy)."""
    for address in addresses:
        client.get(address)
        with as_worker(other):
            client.get(address)


def assert_shown_on_both(client, addresses, other):
    """Each of `addresses` shows its text ({address: text}) on `other` and on this worker."""
    with as_worker(other):
        for address, text in addresses.items():
            assert shown(client, address, text), address
    for address, text in addresses.items():
        assert shown(client, address, text), address


def max_age(response):
    return int(response["Surrogate-Control"].removeprefix("max-age="))


# --- held ------------------------------------------------------------------------------------


@pytest.mark.parametrize("noticed_by", ["this worker", "another worker"])
def test_a_scheduled_explainer_reaches_every_surface_when_due(
    client, world, factchecker, editor, monkeypatch, noticed_by
):
    """Both workers hold a copy (and the pieces) of every surface from before the go-live;
    whichever notices it, neither serves one without the explainer a second later."""
    explainer = scheduled(TITLE, timezone.now() + 5 * MINUTE, factchecker, editor, world)
    addresses = surfaces(world, explainer)
    other = new_worker()
    for address, text in addresses.items():
        assert not shown(client, address, text), address
        with as_worker(other):
            assert not shown(client, address, text), address
    clock_at(monkeypatch, explainer.publish_at + SECOND, other)
    if noticed_by == "another worker":
        with as_worker(other):
            assert TITLE in home(client)
        a_second_later()
    for address, text in addresses.items():
        assert shown(client, address, text), address
    with as_worker(other):
        for address, text in addresses.items():
            assert shown(client, address, text), address


@pytest.mark.parametrize("taken_back", ["a minute before", "a second before"])
def test_a_scheduled_explainer_unpublished_before_its_time_never_appears(
    client, world, factchecker, editor, monkeypatch, taken_back
):
    """Unpublished just before its time, with both workers' copies made around then: after
    its time, and after publish_scheduled has run, no surface shows it or its claim."""
    explainer = scheduled(TITLE, timezone.now() + 5 * MINUTE, factchecker, editor, world)
    addresses = surfaces(world, explainer)
    other = new_worker()
    before = SECOND if taken_back == "a second before" else MINUTE
    clock_at(monkeypatch, explainer.publish_at - before, other)
    for address, text in addresses.items():
        assert not shown(client, address, text), address
        with as_worker(other):
            assert not shown(client, address, text), address
    workflow.explainer_unpublish(explainer=explainer, by=editor, reason="Sources withdrew.")
    for moment in (explainer.publish_at, explainer.publish_at + SECOND):
        clock_at(monkeypatch, moment, other)
        for address, text in addresses.items():
            assert not shown(client, address, text), address
            with as_worker(other):
                assert not shown(client, address, text), address
    call_command("publish_scheduled", stdout=io.StringIO())
    explainer.refresh_from_db()
    assert explainer.status == Explainer.Status.UNPUBLISHED
    a_second_later(other)
    for address, text in addresses.items():
        assert not shown(client, address, text), address


def test_explainers_due_in_the_same_second_all_appear(client, factchecker, editor, monkeypatch):
    """Two explainers at the very same instant, a third 300 ms later: the first request
    after the instant shows both, the one after the third's time shows it too, on a worker
    that read the schedule between them as on one that did not."""
    at = timezone.now().replace(microsecond=0) + 5 * MINUTE
    scheduled(TITLE, at, factchecker, editor)
    scheduled(OTHER, at, factchecker, editor)
    third = "Rail bridge rebuilt"
    scheduled(third, at + datetime.timedelta(milliseconds=300), factchecker, editor)
    other = new_worker()
    assert TITLE not in home(client)
    with as_worker(other):
        assert TITLE not in home(client)
    the_clock_at(monkeypatch, at)
    page = home(client)
    assert TITLE in page and OTHER in page and third not in page
    the_clock_at(monkeypatch, at + datetime.timedelta(milliseconds=301))
    assert third in home(client)
    a_second_later(other)
    with as_worker(other):
        page = home(client)
        assert TITLE in page and OTHER in page and third in page


def test_an_explainer_rescheduled_earlier_appears_at_the_earlier_time(
    client, world, factchecker, editor, monkeypatch
):
    """Rescheduled from ten minutes ahead to two: the front cache is told to keep nothing
    past the earlier time, and the pages show it from then."""
    start = timezone.now()
    explainer = scheduled(TITLE, start + 10 * MINUTE, factchecker, editor, world)
    the_clock_at(monkeypatch, start)
    assert max_age(client.get("/")) <= 600
    workflow.explainer_publish(explainer=explainer, by=editor, at=start + 2 * MINUTE)
    response = client.get("/")
    assert TITLE not in response.content.decode() and max_age(response) <= 120
    assert max_age(client.get("/api/v1/explainers/")) <= 120
    clock_at(monkeypatch, start + 2 * MINUTE + SECOND)
    assert TITLE in home(client)
    assert shown(client, f"/places/{world.place.slug}/", TITLE)


def test_publish_scheduled_before_any_reader_noticed_reaches_every_worker(
    client, world, factchecker, editor, monkeypatch
):
    """The command runs first (readers have asked for nothing since the time came): its
    publish purges what the explainer touches, and the schedule finding it due afterwards
    changes nothing wrongly."""
    explainer = scheduled(TITLE, timezone.now() + 5 * MINUTE, factchecker, editor, world)
    addresses = surfaces(world, explainer)
    other = new_worker()
    asked_on_both(client, addresses, other)
    clock_at(monkeypatch, explainer.publish_at + 30 * SECOND, other)
    call_command("publish_scheduled", stdout=io.StringIO())
    explainer.refresh_from_db()
    assert explainer.status == Explainer.Status.PUBLISHED
    a_second_later(other)
    for address, text in addresses.items():
        assert shown(client, address, text), address
        with as_worker(other):
            assert shown(client, address, text), address


def test_corrections_dated_later_come_due_on_every_surface_with_kept_pieces(
    client, world, factchecker, editor, monkeypatch
):
    """A correction dated five minutes ahead on a claim and one on an explainer citing it
    (written with the ORM; the desk issues each at once): both workers hold the claim page
    (its corrections kept as a piece), the explainer and the API's reads; a second after
    their time every one shows them, and the page is the one made with nothing kept."""
    live = published_explainer_citing(world, factchecker, editor)
    due = timezone.now() + 5 * MINUTE
    Correction.objects.create(
        claim=world.assessed,
        text="The berth count was for the outer harbour.",
        published_at=due,
        created_by=editor,
    )
    Correction.objects.create(
        explainer=live,
        text="The dredging date was a week out.",
        published_at=due,
        created_by=editor,
    )
    claim_page = world.assessed.get_absolute_url()
    addresses = {
        claim_page: "outer harbour",
        live.get_absolute_url(): "dredging date",
        f"/api/v1/explainers/{live.pk}/": "dredging date",
        "/api/v1/corrections/": "dredging date",
    }
    other = new_worker()
    for address, text in addresses.items():
        assert not shown(client, address, text), address
        with as_worker(other):
            assert not shown(client, address, text), address
    clock_at(monkeypatch, due + SECOND, other)
    assert_shown_on_both(client, addresses, other)


def test_the_shared_cache_emptied_between_the_schedule_and_the_go_live(
    client, world, factchecker, editor, monkeypatch
):
    """Redis restarted empty while both workers hold copies, pieces and a schedule read
    before: the explainer still appears at its time everywhere."""
    explainer = scheduled(TITLE, timezone.now() + 5 * MINUTE, factchecker, editor, world)
    addresses = surfaces(world, explainer)
    other = new_worker()
    asked_on_both(client, addresses, other)
    cache.clear()
    clock_at(monkeypatch, explainer.publish_at + SECOND, other)
    assert_shown_on_both(client, addresses, other)


def test_validators_from_before_a_go_live_get_the_new_page(
    client, world, factchecker, editor, monkeypatch, served_a_second_later
):
    """A client holding the home page, the place page and the API's list from before the
    go-live, revalidating with If-Modified-Since (or If-None-Match) after it: a 200 with the
    explainer, never 304, on the worker that notices and on the other."""
    explainer = scheduled(TITLE, timezone.now() + 5 * MINUTE, factchecker, editor, world)
    addresses = ("/", f"/places/{world.place.slug}/", "/api/v1/explainers/")
    held = {address: client.get(address) for address in addresses}
    other = new_worker()
    with as_worker(other):
        for address in addresses:
            client.get(address)
    clock_at(monkeypatch, explainer.publish_at + 5 * SECOND, other)
    just_before = http_date(explainer.publish_at.timestamp() - 1)
    for address, old in held.items():
        conditionals = [{"HTTP_IF_NONE_MATCH": old["ETag"]}]
        if "Last-Modified" in old:  # the API's reads carry an ETag alone
            conditionals += [
                {"HTTP_IF_MODIFIED_SINCE": old["Last-Modified"]},
                {"HTTP_IF_MODIFIED_SINCE": just_before},
            ]
        for conditional in conditionals:
            response = client.get(address, **conditional)
            assert response.status_code == 200 and TITLE in response.content.decode()
            with as_worker(other):
                response = client.get(address, **conditional)
                assert response.status_code == 200 and TITLE in response.content.decode()
            if "Last-Modified" in old:
                went_live = int(explainer.publish_at.timestamp())
                assert parse_http_date(response["Last-Modified"]) >= went_live


def test_the_front_cache_keeps_nothing_past_a_scheduled_time(
    client, world, factchecker, editor, monkeypatch
):
    """Surrogate-Control, on a page rendered and on a kept one, on the site and the API:
    never past the next scheduled time; an hour again once it has gone live."""
    start = timezone.now()
    explainer = scheduled(TITLE, start + 100 * SECOND, factchecker, editor, world)
    the_clock_at(monkeypatch, start)
    for address in ("/", f"/places/{world.place.slug}/", "/api/v1/explainers/"):
        assert 98 <= max_age(client.get(address)) <= 100
    the_clock_at(monkeypatch, start + 70 * SECOND)
    for address in ("/", f"/places/{world.place.slug}/", "/api/v1/explainers/"):
        response = client.get(address)
        assert response["X-Reader-Cache"] == "hit" and max_age(response) <= 30
    the_clock_at(monkeypatch, explainer.publish_at - datetime.timedelta(milliseconds=200))
    assert max_age(client.get("/")) == 0
    clock_at(monkeypatch, explainer.publish_at + SECOND)
    response = client.get("/")
    assert TITLE in response.content.decode() and max_age(response) == 3600


# --- found -----------------------------------------------------------------------------------


def test_an_explainer_taken_back_for_later_after_it_went_live_appears_again_at_its_new_time(
    client, world, factchecker, editor, monkeypatch
):
    """FOUND: an explainer live by the clock (scheduled, its time come, noticed by a worker)
    that the desk reschedules for ten minutes later leaves the pages at once (purged: readers
    saw it), but never comes back at its new time: the home page, its place's page and the
    rest keep the version without it for READER_CACHE_SECONDS (600 s), and the front cache is
    told to keep them an hour (Surrogate-Control: max-age=3600) though it goes live in 600 s.

    `workflow._move` sends `published_record_changed` when readers saw the explainer before
    or after the move, and `explainer_schedule_changed` only otherwise (`elif`): this move is
    seen (it leaves readers), so the schedule is never marked, and the kept entry, read after
    the first go-live, names no next time (`version._schedule`).

    Mended: `_move` sends `explainer_schedule_changed` for every move to or from the
    schedule, after `published_record_changed` when readers saw it."""
    explainer = scheduled(TITLE, timezone.now() + 5 * MINUTE, factchecker, editor, world)
    assert TITLE not in home(client)
    the_clock_at(monkeypatch, explainer.publish_at + SECOND)
    assert TITLE in home(client)
    later = explainer.publish_at + 10 * MINUTE
    workflow.explainer_publish(explainer=explainer, by=editor, at=later)
    place = f"/places/{world.place.slug}/"
    assert not shown(client, place, TITLE)
    response = client.get("/")
    assert TITLE not in response.content.decode()
    # Kept by the front cache no longer than the new go-live is away.
    assert max_age(response) <= 600 - 1
    clock_at(monkeypatch, later + SECOND)
    assert TITLE in home(client)
    assert shown(client, place, TITLE)


def test_a_schedule_read_before_another_explainer_was_scheduled_is_not_kept_over_its_mark(
    client, factchecker, editor, monkeypatch
):
    """FOUND (a race): a worker finds the schedule due (the first explainer's time has come),
    purges, and reads the schedule from the database; before it writes what it read to the
    cache, the desk schedules a second explainer, whose mark (`_schedule_out_of_date`) it
    then overwrites with a reading that does not know the second one. Nothing ever finds
    the second explainer due: when its time comes the home page keeps the version without it
    for READER_CACHE_SECONDS, and the front cache for as long as it was told (an hour when
    nothing else is scheduled).

    Simulated in one process by letting the desk's request run inside the worker's read
    (`selectors.scheduled_publication_times` wrapped: the read made, then the scheduling,
    then the read returned). `version._schedule` writes `cache.set(SCHEDULE_KEY, read)`
    unconditionally once it has won the claim; the mark is a plain `set` too.

    Mended: a mark moves a counter on (`version.SCHEDULE_MARKS_KEY`); a reading is kept
    with the counter as it was before the read, and is read again once it has moved."""
    start = timezone.now()
    first = scheduled(TITLE, start + 5 * MINUTE, factchecker, editor)
    assert TITLE not in home(client)
    the_clock_at(monkeypatch, first.publish_at + SECOND)
    real = selectors.scheduled_publication_times
    desk = {}

    def read_while_the_desk_schedules(now=None):
        times = real(now=now)
        if not desk:  # the desk's request, between the read and its write
            desk["second"] = scheduled(OTHER, first.publish_at + 2 * MINUTE, factchecker, editor)
        return times

    monkeypatch.setattr(selectors, "scheduled_publication_times", read_while_the_desk_schedules)
    assert TITLE in home(client)
    monkeypatch.setattr(selectors, "scheduled_publication_times", real)
    clock_at(monkeypatch, desk["second"].publish_at + SECOND)
    assert OTHER in home(client)


def test_an_explainer_scheduled_for_a_moment_past_before_its_commit_is_purged(
    client, factchecker, editor, monkeypatch, django_capture_on_commit_callbacks
):
    """FOUND (a race, low): the desk schedules an explainer two seconds ahead in a
    transaction that commits three seconds later. `schedule_changed` marks the schedule due
    at once; another worker then finds it due (its time come), reads the database, which
    does not have the row yet, and keeps its reading as made at that moment; the commit's
    mark then says "purge what came due since" that moment, which the explainer's time is
    before. Nothing purges what it touches: home keeps the version without it for
    READER_CACHE_SECONDS (and the other worker's render, made without it, is kept too).

    The mark (`_schedule_out_of_date`) keeps the entry's "read at" whatever the change was;
    a schedule change carries no time of its own, so `_came_due` cannot reach back to it.

    Mended: when the scheduling commits after the explainer's time, what it touches is
    purged then (`version._scheduled_for_later`)."""
    start = timezone.now()
    the_clock_at(monkeypatch, start)
    assert TITLE not in home(client)
    other = new_worker()
    with as_worker(other):
        assert TITLE not in home(client)
    with django_capture_on_commit_callbacks(execute=True):
        explainer = scheduled(TITLE, start + 2 * SECOND, factchecker, editor)
        # The other worker, at 3 s, on its own connection: the row is not committed, so
        # it sees no scheduled explainer (a draft shows readers, and the schedule, nothing).
        clock_at(monkeypatch, start + 3 * SECOND, other)
        Explainer.objects.filter(pk=explainer.pk).update(status=Explainer.Status.DRAFT)
        with as_worker(other):
            assert TITLE not in home(client)
        Explainer.objects.filter(pk=explainer.pk).update(status=Explainer.Status.SCHEDULED)
        the_clock_at(monkeypatch, start + 4 * SECOND)  # the commit
    clock_at(monkeypatch, start + 5 * SECOND, other)
    assert TITLE in home(client)
    with as_worker(other):
        assert TITLE in home(client)


def test_a_worker_finding_the_schedule_due_while_another_purges_does_not_date_its_old_copy(
    client, factchecker, editor, monkeypatch, served_a_second_later
):
    """FOUND: two workers find the schedule due at once; the one that does not win the claim
    (`_came_due` returns False) reads the schedule for itself and serves the copy of home it
    holds, made before the go-live and not yet purged, but with the Last-Modified of the
    go-live (`current` takes `latest_due` from its own reading) and Surrogate-Control
    max-age=3600 (`front_max_age` reads its own reading's next time). A client given that
    copy (a feed reader, a front cache revalidating) asks If-Modified-Since that date and is
    told 304 once the other worker has purged: it keeps the page without the explainer until
    something else changes. The race is as long as the other worker's purge (the database
    read and the purges), or the READER_VERSION_CHECK_SECONDS a worker reuses its reading.

    Simulated as tests/site/test_caching.py does: the claim taken by hand for the other
    worker, then let go.

    Mended: the worker that does not win the claim answers with the schedule as it was
    (its copies keep their Last-Modified), due now (no front cache keeps the answer)."""
    explainer = scheduled(TITLE, timezone.now() + 5 * MINUTE, factchecker, editor)
    assert TITLE not in home(client)
    entry = cache.get(version.SCHEDULE_KEY)
    clock_at(monkeypatch, explainer.publish_at + SECOND)
    claim = version._came_due_lock(entry)
    assert cache.add(claim, True)  # the other worker is purging
    copy = client.get("/")
    assert TITLE not in copy.content.decode()  # within the race: the old copy, served
    cache.delete(claim)  # the other worker has purged
    a_second_later()
    response = client.get("/", HTTP_IF_MODIFIED_SINCE=copy["Last-Modified"])
    assert response.status_code == 200 and TITLE in response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_correction_coming_due_is_not_answered_304_to_a_client_from_before(
    client, factchecker, editor, monkeypatch, served_a_second_later
):
    """FOUND: the request that finds a correction dated later has come due purges the
    explainer and moves readers' Last-Modified to the correction's time (`_came_due`,
    `readers_saw(..., seen_at=...)`), but answers with the Last-Modified read before it did
    (`version.current` returns `values[READERS_KEY]` as read, and `latest_due` counts
    scheduled explainers only). A client holding the page from before, asking
    If-Modified-Since, is told 304 and keeps the page without the correction; the next
    request gets 200. A front cache revalidating its copy at that moment keeps it too.

    Run outside a test case's transaction, so that the purge's commit moves readers'
    Last-Modified as in production (in a test case's transaction it never moves).

    Mended: the schedule's latest due counts corrections
    (`selectors.scheduled_publication_times`), so the request that finds one due answers
    with its time at least."""
    explainer = published_explainer(
        factchecker=factchecker, editor=editor, title="Why the dam matters", slug="why-the-dam"
    )
    url = explainer.get_absolute_url()
    start = timezone.now()
    due = start + 5 * MINUTE
    Correction.objects.create(
        explainer=explainer,
        text="The reservoir level was last spring's.",
        published_at=due,
        created_by=editor,
    )
    the_clock_at(monkeypatch, start + 5 * SECOND)
    held = client.get(url)
    assert "reservoir level" not in held.content.decode()
    clock_at(monkeypatch, due + SECOND)
    response = client.get(url, HTTP_IF_MODIFIED_SINCE=held["Last-Modified"])
    assert response.status_code == 200 and "reservoir level" in response.content.decode()
