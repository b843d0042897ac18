"""The content version: which kept pages are current, and readers' Last-Modified.

The generation moves on with a change readers see, when its transaction commits; the schedule
adds the time the latest scheduled explainer came due; readers' Last-Modified moves with the
generation. A save readers see nothing of (a draft, a note, the audit trail, the history, a
submission, an explainer scheduled for later) keeps every page.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from claims import selectors
from claims.models import Explainer
from claims.signals import explainer_schedule_changed, published_record_changed

GENERATION_KEY = "site:generation"
SCHEDULE_KEY = "site:schedule"
# When readers last saw something change: their Last-Modified (with the schedule's due time).
READERS_KEY = "site:readers-changed"
VERSION_KEYS = (GENERATION_KEY, SCHEDULE_KEY, READERS_KEY)


class VersionSnapshot:
    """The generation, schedule and readers' last change as this worker last read them from
    the shared cache, and when (time.monotonic()); reused for READER_VERSION_CHECK_SECONDS,
    so that a page this worker holds can be served with no round trip at all."""

    def __init__(self):
        self.values = None
        self.read_at = 0.0

    def fresh(self):
        ttl = settings.READER_VERSION_CHECK_SECONDS
        if self.values is not None and ttl > 0 and time.monotonic() - self.read_at < ttl:
            return self.values
        return None

    def keep(self, values):
        self.values = values if values.get(GENERATION_KEY) else None
        self.read_at = time.monotonic()

    def forget(self):
        self.values = None


version_snapshot = VersionSnapshot()


def bump_generation():
    """Move the content generation forward: every cached page is now out of date (at once in
    this process; other workers notice within READER_VERSION_CHECK_SECONDS)."""
    version_snapshot.forget()
    cache.set(GENERATION_KEY, time.time(), timeout=None)


# --- what readers see changed: moved only by what readers can see ---------------------------
#
# Kept pages go stale, and readers' Last-Modified moves, only when readers see the change:
# a write that readers see the object of, before or after it (claims.selectors.
# seen_by_readers), and the workflow's transitions that change the published record
# (claims.signals.published_record_changed), each when its transaction commits (a change
# rolled back was never seen; a page another request renders from the old data meanwhile is
# kept under the old generation, which the commit leaves behind). Drafts move nothing: the
# desk at work costs readers no fresh renders, and a Last-Modified that moved with every
# draft would tell anyone when the desk is at work. A page's ETag is a digest of the page.


def readers_saw_a_change(seen_at=None, **kwargs):
    """When the transaction commits (at once outside one): every kept page is out of date,
    and readers' Last-Modified moves on, to then, or to `seen_at` (a datetime) if readers saw
    the change earlier and it is later than the last one (a scheduled explainer marked
    published after its time came). The kept pages go stale now too, for this process, so
    that its own next request renders afresh."""
    bump_generation()
    transaction.on_commit(lambda: _readers_saw(seen_at))


def _readers_saw(seen_at=None):
    bump_generation()
    _move_readers_stamp(seen_at)


def schedule_changed(**kwargs):
    """An explainer was scheduled, rescheduled or left the schedule: read the schedule again,
    now and again when the transaction commits, so that it goes live on the reader pages
    when it is due."""
    _forget_schedule()
    transaction.on_commit(_forget_schedule)


def _forget_schedule():
    version_snapshot.forget()
    cache.delete(SCHEDULE_KEY)


def _move_readers_stamp(seen_at=None):
    version_snapshot.forget()
    stamp = time.time()
    if seen_at is not None:
        stamp = max(seen_at.timestamp(), cache.get(READERS_KEY) or 0.0)
    cache.set(READERS_KEY, stamp, timeout=None)


def _may_be_seen(sender):
    return sender._meta.app_label == "claims" and not selectors.never_public(sender)


def _before_save(sender, instance, **kwargs):
    if not _may_be_seen(sender) or instance._state.adding:
        return
    stored = sender._base_manager.filter(pk=instance.pk).first()
    instance._seen_by_readers = stored is not None and selectors.seen_by_readers(stored)


def _after_save(sender, instance, **kwargs):
    if not _may_be_seen(sender):
        return
    if sender is Explainer:  # its publication time may have moved
        schedule_changed()
    if instance.__dict__.pop("_seen_by_readers", False) or selectors.seen_by_readers(instance):
        readers_saw_a_change()


def _before_delete(sender, instance, **kwargs):
    if _may_be_seen(sender):
        instance._seen_by_readers = selectors.seen_by_readers(instance)


def _after_delete(sender, instance, **kwargs):
    if _may_be_seen(sender) and instance.__dict__.pop("_seen_by_readers", False):
        readers_saw_a_change()


def _relation_changed(sender, instance, action, **kwargs):
    """A many-to-many change (claim.places.add(…), explainer.claims.remove(…)): seen when
    readers see the object it is made on, before or after (a place added to a live claim, a
    claim added to a live explainer)."""
    if not _may_be_seen(sender):
        return
    if action.startswith("pre_"):
        instance._seen_by_readers = selectors.seen_by_readers(instance)
    elif instance.__dict__.pop("_seen_by_readers", False) or selectors.seen_by_readers(instance):
        readers_saw_a_change()


def connect_signals():
    """Invalidate reader pages, and move readers' Last-Modified on, for each save, delete
    or transition readers see; read the schedule again when an explainer's may have moved
    (called by the app config)."""
    for signal, receiver in (
        (pre_save, _before_save),
        (post_save, _after_save),
        (pre_delete, _before_delete),
        (post_delete, _after_delete),
        (m2m_changed, _relation_changed),
        (published_record_changed, readers_saw_a_change),
        (explainer_schedule_changed, schedule_changed),
    ):
        signal.connect(receiver, dispatch_uid=f"reader-site-validators-{signal}")


def _new_generation():
    cache.add(GENERATION_KEY, time.time(), timeout=None)
    return cache.get(GENERATION_KEY) or time.time()


def _first_readers_stamp():
    """Readers' last change when the cache has none (a new or emptied cache): now, which is
    never earlier than the truth; kept, so that it moves only with what readers see."""
    cache.add(READERS_KEY, time.time(), timeout=None)
    stamp = cache.get(READERS_KEY) or time.time()
    if version_snapshot.values is not None:
        version_snapshot.values[READERS_KEY] = stamp
    return stamp


def _schedule(entry, changed, now):
    """(latest due, next due) Unix timestamps of scheduled explainers, from `entry` (as kept
    in the cache) while it is for this generation and the next one is not yet due, else from
    the database (and kept for the next request)."""
    if entry is not None:
        for_generation, latest_due, next_due = entry
        if for_generation == changed and (next_due is None or now < next_due):
            return latest_due
    times = selectors.scheduled_publication_times()
    latest_due = times["latest_due"].timestamp() if times["latest_due"] else 0.0
    next_due = times["next_due"].timestamp() if times["next_due"] else None
    cache.set(SCHEDULE_KEY, (changed, latest_due, next_due), timeout=None)
    if version_snapshot.values is not None:
        version_snapshot.values[SCHEDULE_KEY] = (changed, latest_due, next_due)
    return latest_due


def content_version(values):
    """(version string, Last-Modified as a Unix timestamp) of what readers can see now, from
    the generation, schedule and readers' last change `values` fetched from the cache.

    The version (which kept pages are current) moves with any save; Last-Modified only when
    readers saw something change, or a scheduled explainer came due.
    """
    changed = values.get(GENERATION_KEY) or _new_generation()
    due_ts = _schedule(values.get(SCHEDULE_KEY), changed, time.time())
    readers_changed = values.get(READERS_KEY) or _first_readers_stamp()
    return f"{changed:.6f}-{due_ts:.6f}", int(max(readers_changed, due_ts))


# Digests of addresses, kept per worker: a busy page's key is worked out once.
