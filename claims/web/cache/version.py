"""Which kept pages are current: the purge log, the schedule, and readers' Last-Modified.

A change readers see purges the surrogate keys it touches (keys.py), when its transaction
commits: each purge is numbered (an atomic counter in the shared cache) and its keys kept
under its number for a day, so every worker can read the purges it has not applied yet. A
page is kept with the number of the last purge its worker had applied when it was rendered,
and with the keys of what it shows; it is current while no later purge names one of them.
Each worker reads the counter again when the one it holds is READER_VERSION_CHECK_SECONDS
old (1 s), and the purges since then in the same round trip or one more: so a purge made in
another worker reaches its readers within that second, one made in this worker at once.

A save readers see nothing of (a draft, a note, the audit trail, the history, a submission,
an explainer scheduled for later) purges nothing. Scheduled explainers go live by the clock,
with no write: the first worker to find that one has come due purges what it touches.
Readers' Last-Modified moves with every purge, and with the schedule.
"""

import atexit
import logging
import threading
import time
from datetime import UTC, datetime
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from claims import selectors
from claims.models import Claim, Correction, Explainer
from claims.signals import explainer_schedule_changed, published_record_changed

from . import front
from . import keys as surrogate

# The number of the latest purge, and of the first one this counter ever held (the log has
# nothing before it); each purge's (time, keys) under PURGE_PREFIX + its number (a new layout
# gets a new prefix: a worker of the previous release finds no entries, and so takes every
# page it holds for out of date).
PURGES_KEY = "site:purges"
PURGES_SINCE_KEY = "site:purges-since"
PURGE_PREFIX = "site:purge:2:"
PURGE_LOG_SECONDS = 24 * 3600
# (latest due, next due, read at, marks): the schedule as last read, the time up to which what
# came due has been purged (the time it was read), and the schedule's marks counter as it was
# before it was read. A new layout gets a new name, so that the code of a new release never
# reads an entry the previous one left in the cache.
SCHEDULE_KEY = "site:schedule:4"
# A counter every change to the schedule moves on (`schedule_changed`): a schedule read
# before the latest mark is read again.
SCHEDULE_MARKS_KEY = "site:schedule-marks"
# How long the worker purging what came due holds its claim (should it die meanwhile, another
# purges it all again once the claim lapses).
CAME_DUE_CLAIM_SECONDS = 10
# When readers last saw something change: their Last-Modified (with the schedule's due time).
READERS_KEY = "site:readers-changed"
VERSION_KEYS = (PURGES_KEY, PURGES_SINCE_KEY, SCHEDULE_KEY, SCHEDULE_MARKS_KEY, READERS_KEY)
# A worker further behind than this many purges (or a purge whose keys are lost) takes every
# page it cannot check for out of date, rather than read the whole log.
MAX_CATCH_UP = 2000
# Keys remembered per worker; past that, the worker starts again from an empty memory (and
# takes its older pages for out of date).
MAX_REMEMBERED = 100_000


class PurgeLog:
    """The purges as this worker last read them from the shared cache, and when.

    `seq` is the latest purge applied; `purged` the number of the latest purge of each key;
    `floor` the oldest page still checkable (pages rendered before it are out of date: it
    moves when purges are lost, or when the counter is new). The values read with the
    counter (the schedule, readers' last change) are reused for READER_VERSION_CHECK_SECONDS,
    so that a page this worker holds can be served with no round trip at all.
    """

    def __init__(self):
        self.seq = None
        self.floor = 0
        self.purged = {}
        self.times = {}  # purge number: when it was made (time.time())
        self.values = None
        self.read_at = 0.0
        self.lock = threading.Lock()
        # Keys this worker could not purge in the shared cache (it did not answer when a
        # change committed): out of date here until the purge is made (`send_unsent`).
        self.unsent = frozenset()
        self.unsent_at = 0.0  # when the latest of them was made (time.time())
        self.unsent_tried_at = 0.0
        self.unsent_at_exit = False
        # A change to the schedule this worker could not mark in the shared cache: the
        # schedule is due here until the mark is made (`_mark_schedule`, `send_unsent`).
        self.mark_unsent = False

    def fresh(self):
        ttl = settings.READER_VERSION_CHECK_SECONDS
        if self.values is not None and ttl > 0 and time.monotonic() - self.read_at < ttl:
            return self.values
        return None

    def keep(self, values):
        self.values = values if values.get(PURGES_KEY) is not None else None
        self.read_at = time.monotonic()

    def forget(self):
        self.values = None

    def reset(self):
        """Forget everything read (a test's fresh start: its cache is a new one)."""
        self.__init__()

    def is_current(self, seq, keys):
        """Whether a page rendered after purge `seq`, showing `keys`, is still true."""
        if seq < self.floor:
            return False
        if self.unsent and not self.unsent.isdisjoint(keys):
            return False  # changed in this worker; the purge has not reached the cache yet
        if self.seq is not None and seq >= self.seq:
            return True
        purged = self.purged
        return all(purged.get(key, 0) <= seq for key in keys)

    def out_of_date_for(self, seq, limit):
        """Seconds since the earliest purge after `seq` was made: a page known to be current
        at purge `seq` has been out of date for at most this long. None when a purge after
        it is not in this worker's memory, or there is none yet, or one is `limit` seconds
        old or more (then the answer is "too long" whatever the others say).

        The earliest of them all, not the one numbered `seq + 1`: purges are numbered in
        the order they reach the counter, and a purge's time is taken just before, so a
        later number may carry an earlier time."""
        latest = self.seq
        if latest is None or latest <= seq or latest - seq > MAX_CATCH_UP:
            return None
        oldest = time.time() - limit
        earliest = None
        times = self.times
        for n in range(seq + 1, latest + 1):
            made = times.get(n)
            if made is None or made <= oldest:
                return None
            if earliest is None or made < earliest:
                earliest = made
        return time.time() - earliest

    def catch_up(self, seq, since):
        """Apply the purges after the last one applied, up to `seq` (the counter now)."""
        with self.lock:
            if self.seq is not None and seq == self.seq:
                return
            if self.seq is None or seq < self.seq or len(self.purged) > MAX_REMEMBERED:
                # A new worker, or a counter started again: nothing older can be checked.
                # Built apart and put in place whole once read (with threads, a request may
                # be checking a page meanwhile): the floor first, so that no page older than
                # it is taken for current by the emptied memory.
                start = max(since if since is not None else seq, seq - MAX_CATCH_UP)
                floor, purged, times = start, {}, {}
                self.floor = max(self.floor, start)
            else:
                start = self.seq
                floor, purged, times = self.floor, self.purged, self.times
                if seq - start > MAX_CATCH_UP:
                    start = floor = self.floor = seq - MAX_CATCH_UP
            numbers = range(start + 1, seq + 1)
            found = cache.get_many([f"{PURGE_PREFIX}{n}" for n in numbers]) if numbers else {}
            for n in numbers:
                entry = found.get(f"{PURGE_PREFIX}{n}")
                if entry is None:  # expired, or not written yet: nothing older is sure
                    floor = n
                    continue
                made, keys = entry
                times[n] = made
                for key in keys:
                    purged[key] = n
            if len(times) > 2 * MAX_CATCH_UP:
                times = {n: made for n, made in times.items() if n > seq - MAX_CATCH_UP}
            self.floor = floor
            self.purged, self.times = purged, times
            self.seq = seq


purge_log = PurgeLog()
logger = logging.getLogger("claims.cache")


def _counter():
    """(latest purge, first purge) from the shared cache, starting the counter if it is new:
    at the time in milliseconds, so that a counter lost with the cache starts again above
    every number it gave out before."""
    values = cache.get_many([PURGES_KEY, PURGES_SINCE_KEY])
    seq = values.get(PURGES_KEY)
    if seq is None:
        start = int(time.time() * 1000)
        if cache.add(PURGES_KEY, start, timeout=None):
            cache.set(PURGES_SINCE_KEY, start, timeout=None)
            return start, start
        return _counter()
    return seq, values.get(PURGES_SINCE_KEY)


def purge(keys):
    """Purge `keys` in the shared cache: every page showing one of them is out of date (at
    once in this worker; in the others within READER_VERSION_CHECK_SECONDS)."""
    keys = frozenset(keys)
    if not keys:
        return
    _counter()
    made = time.time()  # before the number: no purge numbered after it was made earlier
    seq = cache.incr(PURGES_KEY)
    cache.set(f"{PURGE_PREFIX}{seq}", (made, keys), timeout=PURGE_LOG_SECONDS)
    purge_log.forget()


def purge_all():
    """Every kept page out of date (a deployment's new templates, the benchmark's start)."""
    purge({surrogate.ALL})


# --- what readers see changed: moved only by what readers can see ---------------------------
#
# Kept pages are purged, and readers' Last-Modified moves, only when readers see the change:
# a write that readers see the object of, before or after it (claims.selectors.
# seen_by_readers), and the workflow's transitions that change the published record
# (claims.signals.published_record_changed). The keys are purged when the transaction
# commits, here and at the front cache, and not before: a purge made before the commit sent
# the other workers to render the pages again from the old data, only to be purged again by
# the commit (two renders of every page a publish touched, and the second purge too early to
# let a worker serve its copy while another rendered). Under a test case's transaction,
# which is rolled back and never committed, they are purged at once. Drafts purge nothing:
# the desk at work costs readers no fresh renders, and a Last-Modified that moved with every
# draft would tell anyone when the desk is at work. A page's ETag is a digest of the page.

_pending = threading.local()


def readers_saw(
    instance, came_or_went=False, related=(), seen_at=None, also=(), renamed=True, verdict=False
):
    """Readers saw `instance` change (see keys.touched_by for the arguments): purge what it
    touches, and the keys `also`, now, and again with readers' Last-Modified moved on (to
    then, or to `seen_at`, a datetime, if readers saw it earlier) when the transaction
    commits."""
    touched = surrogate.touched_by(instance, came_or_went, related, renamed, verdict) | set(also)
    _purge_when_committed(touched, seen_at)


def _purge_when_committed(touched, seen_at=None):
    connection = transaction.get_connection()
    if _never_committed(connection):
        purge(touched)
    # What is pending belongs to one transaction (its outermost atomic block). A transaction
    # rolled back leaves its keys and its date here, its on_commit never run: the next one
    # would have purged them for nothing and, worse, taken that date for readers' new
    # Last-Modified instead of the time it commits, so a client asking If-Modified-Since
    # would have been told the changed page was the one it had.
    owner = connection.atomic_blocks[0] if connection.atomic_blocks else None
    if getattr(_pending, "owner", None) is not owner:
        _pending.owner, _pending.keys, _pending.seen_at = owner, None, None
    pending = getattr(_pending, "keys", None)
    if pending is None:
        pending = _pending.keys = {}
    for key in touched:
        pending.setdefault(key, None)
    if seen_at is not None:
        _pending.seen_at = max(seen_at, getattr(_pending, "seen_at", None) or seen_at)
    transaction.on_commit(_committed)


def _never_committed(connection):
    """Whether the transaction is a test case's (django.test.TestCase marks its own atomic
    blocks, as Django's durable check reads them): rolled back at the end of the test, so
    that no on_commit callback of it ever runs."""
    return any(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _committed():
    """Purge what the transaction's changes touched (once, however many callbacks ask)."""
    keys = getattr(_pending, "keys", None)
    if not keys:
        return
    seen_at = getattr(_pending, "seen_at", None)
    _pending.keys, _pending.seen_at = None, None
    _send_purge(keys, seen_at)


def _send_purge(keys, seen_at=None):
    """Purge `keys` here and at the front cache, and move readers' Last-Modified on (to
    `seen_at` if readers saw the change earlier), once committed."""
    try:
        purge(keys)
        _move_readers_stamp(seen_at)
    except Exception:  # the shared cache did not answer; the change is committed all the same
        _keep_unsent(keys)
    front.purge_at_front(keys)  # nothing to do, at once, without a front cache


def _keep_unsent(keys):
    """A purge the shared cache did not take (Redis down or too slow): logged, and kept by
    this worker, which serves nothing showing those keys meanwhile, and sends it with the
    next request that reads the cache (`send_unsent`). The editor's change is committed, so
    their request does not fail; the other workers keep serving what they hold until the
    purge reaches the cache (or for READER_CACHE_SECONDS at most)."""
    with purge_log.lock:
        purge_log.unsent = purge_log.unsent | frozenset(keys)
        # Readers' Last-Modified moves with it, in this worker at once (`current`): a client
        # asking If-Modified-Since alone is not told the changed page is the one it has.
        purge_log.unsent_at = time.time()
        if not purge_log.unsent_at_exit:  # a worker stopping first tries once more
            purge_log.unsent_at_exit = True
            atexit.register(send_unsent, at_exit=True)
    logger.exception(
        "reader cache: a change was committed but its purge did not reach the shared cache; "
        "retried with the next request (keys: %s)",
        " ".join(sorted(keys)),
    )


# Seconds between a worker's attempts to send a purge the shared cache did not take.
UNSENT_RETRY_SECONDS = 1.0


def send_unsent(at_exit=False):
    """Make the purges and the schedule mark this worker could not make (`_keep_unsent`,
    `_mark_schedule`), if any, at most once every UNSENT_RETRY_SECONDS: at the start of
    every request that reads the cache, and once more as the worker exits. Kept again, and
    logged, if the cache still does not take them; the request goes on. Once made, the front
    cache is purged again too: it may have fetched another worker's page from before the
    change meanwhile."""
    if not purge_log.unsent and not purge_log.mark_unsent:  # as nearly always: no lock taken
        return
    with purge_log.lock:
        keys = purge_log.unsent
        now = time.monotonic()
        if not at_exit and now - purge_log.unsent_tried_at < UNSENT_RETRY_SECONDS:
            return
        purge_log.unsent_tried_at = now
    if purge_log.mark_unsent and _mark_schedule():
        logger.warning("reader cache: schedule mark sent on retry")
    if not keys:
        return
    try:
        purge(keys)
        _move_readers_stamp()
    except Exception:
        logger.warning("reader cache: purge not sent again, the cache did not answer")
        return
    with purge_log.lock:
        purge_log.unsent = purge_log.unsent - keys
    front.purge_at_front(keys)
    logger.warning("reader cache: purge sent on retry (keys: %s)", " ".join(sorted(keys)))


def _published_record_changed(
    sender,
    instance,
    seen_at=None,
    came_or_went=True,
    related=(),
    renamed=True,
    verdict=False,
    **kwargs,
):
    readers_saw(
        instance,
        came_or_went=came_or_went,
        seen_at=seen_at,
        related=related,
        renamed=renamed,
        verdict=verdict,
    )


def schedule_changed(instance=None, **kwargs):
    """An explainer was scheduled, rescheduled or left the schedule: read the schedule again,
    now and again when the transaction commits, so that it goes live on the reader pages
    when it is due. The schedule is marked, not forgotten: the next request to read it purges
    what came due since it was last read (`_schedule`).

    Scheduled for later, it also has the front cache drop (and fetch again) the pages it
    will appear on, when the transaction commits: kept before, they were told to stay for
    READER_FRONT_MAX_AGE, and when it comes due no request need reach an app server to
    notice while the front cache answers every reader. Fetched again, they are told to stay
    no later than its time (`front_max_age`). The app's own copies stay: the first request
    to find it due purges them (`_came_due`)."""
    _mark_schedule()
    transaction.on_commit(_mark_schedule)
    if isinstance(instance, Explainer) and selectors.goes_live_later(instance):
        keys = surrogate.touched_by(instance, came_or_went=True)
        transaction.on_commit(partial(_scheduled_for_later, instance, keys))


def _mark_schedule():
    """Move the schedule's marks counter on: the schedule kept was read before it, and is
    read again by the next request (started at the time in milliseconds, as the purge
    counter is, so that a counter lost with the cache never comes back to a value a kept
    schedule holds). When the shared cache does not take it, the desk's change goes on: the
    mark is logged and kept by this worker, which takes the schedule for due meanwhile,
    and sent with its next request (`send_unsent`). Whether it was made."""
    purge_log.forget()
    try:
        if not cache.add(SCHEDULE_MARKS_KEY, int(time.time() * 1000), timeout=None):
            cache.incr(SCHEDULE_MARKS_KEY)
    except Exception:
        with purge_log.lock:
            purge_log.mark_unsent = True
            if not purge_log.unsent_at_exit:  # a worker stopping first tries once more
                purge_log.unsent_at_exit = True
                atexit.register(send_unsent, at_exit=True)
        logger.exception(
            "reader cache: the schedule changed but the shared cache did not take the mark; "
            "sent again with the next request"
        )
        return False
    purge_log.mark_unsent = False
    return True


def _scheduled_for_later(explainer, keys):
    """When the scheduling of `explainer` (touching `keys` once live) has committed: the
    front cache fetches those pages again, or, should its time have come before the commit,
    they are purged now. (A request may have read the schedule between its time and the
    commit, without it, and marked it read up to then: nothing would find it due.) Decided
    by the explainer as committed: the same transaction may have taken it off the
    schedule, or moved it."""
    now = timezone.now()
    stored = Explainer.objects.filter(pk=explainer.pk).first()
    if stored is None or selectors.schedule_of(stored) is None:
        return
    if selectors.goes_live_later(stored, now):
        front.purge_at_front(keys)
    else:
        _send_purge(keys, seen_at=min(stored.publish_at, now))


def _move_readers_stamp(seen_at=None):
    """Move readers' Last-Modified to now (or to `seen_at`, when readers saw the change
    earlier; never later than now: a time to come is no change yet), and never back: a
    worker whose clock is behind another's leaves it where the other put it. (The workers'
    clocks are taken to agree within well under a second, docs/deploy.md: a change made by
    one whose clock is further behind may leave it in the second a client holds, and the
    client be told 304.)"""
    purge_log.forget()
    now = time.time()
    stamp = now if seen_at is None else min(seen_at.timestamp(), now)
    cache.set(READERS_KEY, max(stamp, cache.get(READERS_KEY) or 0.0), timeout=None)


def _may_be_seen(sender):
    return sender._meta.app_label == "claims" and not selectors.never_public(sender)


def _before_save(sender, instance, **kwargs):
    if not _may_be_seen(sender) or instance._state.adding:
        return
    stored = sender._base_manager.filter(pk=instance.pk).first()
    if stored is not None and sender is Explainer:
        instance._explainer_renamed = surrogate.explainer_name_changed(stored, instance)
        instance._schedule_moved = selectors.schedule_of(stored) != selectors.schedule_of(instance)
    if stored is not None and selectors.seen_by_readers(stored):
        # What the row touched as it was (the claimant's page it leaves, say).
        renamed = instance.__dict__.get("_explainer_renamed", True)
        instance._touched_before = surrogate.touched_by(stored, renamed=renamed)


def _after_save(sender, instance, created=False, raw=False, **kwargs):
    if not _may_be_seen(sender):
        return
    if sender is Explainer:  # scheduled, rescheduled or taken off the schedule
        moved = instance.__dict__.pop("_schedule_moved", None)
        if moved or (moved is None and selectors.schedule_of(instance) is not None):
            schedule_changed(instance=instance)
    before = instance.__dict__.pop("_touched_before", None)
    renamed = instance.__dict__.pop("_explainer_renamed", True)
    # (A fixture loaded raw may insert a row after the rows that refer to it.)
    after = selectors.seen_by_readers(instance, inserted=created and not raw)
    if before is not None or after:
        # A live claim saved (a published revision) may have a new date or claimant, which
        # move it within the lists it is on: as if it went and came back.
        came_or_went = (before is None) == after or sender is Claim
        readers_saw(instance, came_or_went=came_or_went, also=before or (), renamed=renamed)
    elif sender is Correction and instance.published_at > timezone.now():
        # Dated later (the desk issues each at once; the ORM need not): unseen yet. It joins
        # the schedule, so that what shows it is purged when it comes due, and the front
        # cache keeps no page past then (`front_max_age`); and what will show it is purged
        # now, so that a kept piece of it learns when that is (a claim page's corrections,
        # kept until then: `pieces.until`).
        schedule_changed()
        readers_saw(instance)


def _before_delete(sender, instance, **kwargs):
    if _may_be_seen(sender) and selectors.seen_by_readers(instance):
        # Worked out before the rows it reaches through are deleted with it.
        instance._touched_before = surrogate.touched_by(instance, came_or_went=True)


def _after_delete(sender, instance, **kwargs):
    before = instance.__dict__.pop("_touched_before", None)
    if before is not None:
        _purge_when_committed(before)


def _relation_changed(sender, instance, action, model, pk_set, **kwargs):
    """A many-to-many change (claim.places.add(…), explainer.claims.remove(…)): seen when
    readers see the object it is made on, before or after (a place added to a live claim, a
    claim added to a live explainer); it touches both ends."""
    if not _may_be_seen(sender):
        return
    if action.startswith("pre_"):
        instance._seen_by_readers = selectors.seen_by_readers(instance)
    elif instance.__dict__.pop("_seen_by_readers", False) or selectors.seen_by_readers(instance):
        # A clear() names no rows: everything it may have reached.
        related = [(model, pk_set)] if pk_set is not None else []
        readers_saw(instance, related=related, also=() if related else (surrogate.ALL,))


# What readers see of a person on the desk: their name in a byline.
SHOWN_USER_FIELDS = ("username", "first_name", "last_name")


def _before_user_save(sender, instance, update_fields=None, **kwargs):
    if instance._state.adding or (update_fields and not set(update_fields) & {*SHOWN_USER_FIELDS}):
        return  # a login (last_login alone), say: nothing readers see
    stored = sender._base_manager.filter(pk=instance.pk).values(*SHOWN_USER_FIELDS).first()
    shown = {name: getattr(instance, name) for name in SHOWN_USER_FIELDS}
    instance._renamed = stored is not None and stored != shown


def _after_user_save(sender, instance, **kwargs):
    if instance.__dict__.pop("_renamed", False):
        _purge_when_committed({f"user-{instance.pk}"})


def connect_signals():
    """Purge reader pages, and move readers' Last-Modified on, for each save, delete or
    transition readers see; read the schedule again when an explainer's may have moved;
    tag pages with what they show (called by the app config)."""
    for signal, receiver in (
        (pre_save, _before_save),
        (post_save, _after_save),
        (pre_delete, _before_delete),
        (post_delete, _after_delete),
        (m2m_changed, _relation_changed),
        (published_record_changed, _published_record_changed),
        (explainer_schedule_changed, schedule_changed),
    ):
        signal.connect(receiver, dispatch_uid=f"reader-site-validators-{signal}")
    user = get_user_model()
    pre_save.connect(_before_user_save, sender=user, dispatch_uid="reader-cache-user-before")
    post_save.connect(_after_user_save, sender=user, dispatch_uid="reader-cache-user-after")
    surrogate.connect_signals()


def _first_readers_stamp():
    """Readers' last change when the cache has none (a new or emptied cache): now, which is
    never earlier than the truth; kept, so that it moves only with what readers see."""
    cache.add(READERS_KEY, time.time(), timeout=None)
    stamp = cache.get(READERS_KEY) or time.time()
    if purge_log.values is not None:
        purge_log.values[READERS_KEY] = stamp
    return stamp


def _schedule(entry, marks, now, counter=None):
    """((latest due, next due, read at, marks) of the scheduled explainers, and of corrections
    (the next one dated later), as read at a time), and whether any came due just now:
    `entry` (as kept in the cache) while its next is not yet due and no mark has come since
    it was read (`marks`, the counter now), else read from the database after purging what
    came due since `entry` was read, and kept for the next request, with the counter as it
    was before the read (a mark made meanwhile has it read again).

    Only the worker that purges reads and keeps the schedule: another that finds it due at
    the same moment answers with `entry` as it was (its copies have not been purged yet:
    they keep their Last-Modified), due now (no front cache is to keep what it answers).

    No schedule kept while the purge counter is (`counter`, its value as read: the
    schedule's entry lost alone): what came due since the oldest page or piece kept anywhere
    could have been made is purged first, as if the schedule had been read then, by the
    first worker to claim it for that counter."""
    lock = None
    if entry is None and counter is not None:
        oldest = now - max(settings.READER_CACHE_SECONDS, settings.READER_FRONT_MAX_AGE)
        entry, lock = (0.0, now, oldest, None), f"site:schedule-lost:{counter}"
    if entry is not None:
        latest_due, next_due, read_at, read_marks = entry
        due = purge_log.mark_unsent or read_marks != marks
        if not due and (next_due is None or now < next_due):
            return entry, False
        if not _came_due(entry, marks, now, lock):
            return (latest_due, now, read_at, read_marks), False
    times = selectors.scheduled_publication_times(now=datetime.fromtimestamp(now, tz=UTC))
    latest_due = times["latest_due"].timestamp() if times["latest_due"] else 0.0
    next_due = times["next_due"].timestamp() if times["next_due"] else None
    read = (latest_due, next_due, now, marks)
    try:
        cache.set(SCHEDULE_KEY, read, timeout=None)
    except Exception:  # read again by the next request; this one is answered all the same
        logger.warning("reader cache: the schedule read could not be kept in the shared cache")
    if purge_log.values is not None:
        purge_log.values[SCHEDULE_KEY] = read
    return read, entry is not None


def _came_due_lock(entry, marks=None):
    """The claim to purge what came due since `entry` was read, with the marks counter at
    `marks` (as when it was read, unless given)."""
    _, next_due, read_at, read_marks = entry
    return f"site:came-due:{read_at}:{next_due}:{read_marks if marks is None else marks}"


def _came_due(entry, marks, now, lock=None):
    """Scheduled explainers went live, or corrections dated later came due, since the
    schedule `entry` was read, with no write: the first worker to notice purges what each
    touches, here and at the front cache (dated when it came due). False for the others."""
    try:
        lock = lock or _came_due_lock(entry, marks)
        claimed = cache.add(lock, True, timeout=CAME_DUE_CLAIM_SECONDS)
    except Exception:  # the shared cache takes no writes: answered as by a worker that lost it
        logger.warning("reader cache: could not claim the purge of what came due")
        return False
    if not claimed:
        return False
    read_at = entry[2]
    for explainer in selectors.scheduled_explainers_due(after=read_at, until=now):
        readers_saw(explainer, came_or_went=True, seen_at=explainer.publish_at)
    for correction in selectors.corrections_due(after=read_at, until=now):
        readers_saw(correction, seen_at=correction.published_at)
    return True


def current(values):
    """(the last purge applied, Last-Modified as a Unix timestamp) from the counter, the
    schedule and readers' last change `values` read from the cache; the purges since the
    last ones applied are applied first."""
    seq, since = values.get(PURGES_KEY), values.get(PURGES_SINCE_KEY)
    counter = seq
    if seq is None:
        seq, since = _counter()
    purge_log.catch_up(seq, since)
    (latest_due, *_), came_due = _schedule(
        values.get(SCHEDULE_KEY), values.get(SCHEDULE_MARKS_KEY), time.time(), counter
    )
    if came_due:
        purge_log.catch_up(*_counter())
    readers_changed = values.get(READERS_KEY) or _first_readers_stamp()
    return purge_log.seq, int(max(readers_changed, latest_due, purge_log.unsent_at))


def still_current(seq, keys):
    """Whether a page rendered after purge `seq`, showing `keys`, is still true now, asked of
    the shared cache itself as the page leaves (the counter read afresh and the purges since
    applied, not this worker's reading of up to READER_VERSION_CHECK_SECONDS ago). False
    when the cache does not answer: nothing then says the page is current."""
    try:
        values = cache.get_many(list(VERSION_KEYS))
        purge_log.keep({name: values.get(name) for name in VERSION_KEYS})
        current(values)
    except Exception:  # the shared cache is away; the page is answered all the same
        logger.warning("reader cache: could not check a rendered page against the purges")
        return False
    return purge_log.is_current(seq, keys)


def behind_the_schedule():
    """Seconds until this worker's clock reaches the time the schedule was last read at, by
    a worker whose clock is ahead (0 when it is not behind): until then, what that worker
    found due (and purged) may not be due yet by this clock, so that what this worker
    renders is kept no longer than that (`pieces.rendering_after`) and by no front cache."""
    schedule = (purge_log.values or {}).get(SCHEDULE_KEY)
    if not schedule:
        return 0.0
    return max(0.0, schedule[2] - time.time())


def front_max_age(rendered=None):
    """How long the front cache may keep a page: READER_FRONT_MAX_AGE, or less when a
    scheduled explainer goes live, or a correction dated later comes due, sooner (no purge
    reaches the front cache by itself then, until a request reaches a worker).

    For a page just rendered, `rendered` is (the purge it was rendered after, the keys it
    shows): 0 (not to be kept) when a purge of one of them came while it was rendered. The
    front cache's purges of that change were sent as it committed and once more a little
    later (front.py); a render that reaches the front cache after both would be kept with
    the old verdict, correction or unpublished page for READER_FRONT_MAX_AGE."""
    if rendered is not None and not still_current(*rendered):
        return 0
    if behind_the_schedule() > 0:
        return 0
    schedule = (purge_log.values or {}).get(SCHEDULE_KEY)
    next_due = schedule[1] if schedule else None
    if next_due is None:
        return settings.READER_FRONT_MAX_AGE
    return max(0, min(settings.READER_FRONT_MAX_AGE, int(next_due - time.time())))
