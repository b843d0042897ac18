"""Pieces of reader pages and API reads kept by each worker, current exactly as long as a
kept page is.

A page is rendered afresh when something it shows is purged; most of it often has not
changed. When a claim gets a verdict, the API's lists of claims and the ClaimReview feed are
purged (they list claims), and their other 49 claims' documents are the same as before; the
explainers citing it are purged, and their other claims' cards, with what each disputes and
cites, are the same; the claim's own page is purged, and its "More about these places" (the
newest other claims about its places, a query of some 10 ms on the benchmark's large set) is
the same; an explainer's timeline of its places is purged, and 39 of its 40 events are the
same; every reader page lists the standing pages, which a verdict does not change. Such a
piece is
kept like a page (store.LocalPages): with the number of the last purge applied when it was
rendered and the surrogate keys of everything it shows (what `keys.collecting` saw loaded
while it rendered, or `keys.loaded_keys` of the rows it was rendered from), and reused only
while no later purge names one of them (`PurgeLog.is_current`). So it is never staler than
the page around it would be; when it is reused its keys are added to the page's own, so that
the page is purged with it. It saves the piece's queries as well as its rendering.

Pieces are used only while the reader cache renders an anonymous page or API read
(`rendering_after`; outside it, for the desk or a logged-in user, the purge log may not
have been read this second, and what they see may differ), and are kept for at most
READER_CACHE_SECONDS, as pages are. `claims.site.fragments` is the other kind of kept
fragment: the explainer's cards and sources panel, keyed by a digest of the rows
they are rendered from, which must be loaded first.

The benchmark renders pages afresh with its bypass token; with it, X-Reader-Cache-Purged
names keys to take for purged for that render (store.keys_taken_for_purged): `claim-<id>`
measures a page as rendered after a verdict on that claim, `all` with nothing kept.
"""

import math
import threading
import time
from collections import OrderedDict
from contextvars import ContextVar

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.translation import get_language

from .keys import ALL, collecting, loaded_keys, shows
from .version import behind_the_schedule, purge_log

PIECES_BYTES = 16 * 1024 * 1024

# The render under way (`rendering_after`), or None outside the reader cache's renders.
_render = ContextVar("reader_cache_render", default=None)


class rendering_after:
    """`with rendering_after(seq) as render:` a reader page is being rendered after purge
    `seq`: pieces may be reused and kept meanwhile. `render.timeout()` is then how long the
    page may be kept: READER_CACHE_SECONDS, or less if a piece it reused expires sooner, so
    that reusing a piece never keeps what it shows for longer than a page would be kept.

    `as_if_purged`: keys to take for purged since every piece was kept, for this render
    only; the benchmark's way (store.keys_taken_for_purged, with its bypass token alone) to
    measure a page rendered afresh after a change to one claim (`claim-<id>`: pieces showing
    it are rendered again, the others reused) or with nothing kept (`all`)."""

    def __init__(self, seq, as_if_purged=frozenset()):
        self.seq = seq
        self.as_if_purged = frozenset(as_if_purged)
        self.expires = None  # the earliest deadline (time.monotonic()) of a piece reused
        # While this worker's clock is behind another's that read the schedule (and purged
        # what came due by its clock), the page and every piece it builds are kept no
        # longer than until this clock catches up (`version.behind_the_schedule`).
        behind = behind_the_schedule()
        self.not_after_all = time.monotonic() + behind if behind > 0 else None
        if self.not_after_all is not None:
            self.expires = self.not_after_all
        self.context = None  # what every piece's name holds besides its own (`_full_name`)

    def __enter__(self):
        self.token = _render.set(self)
        return self

    def __exit__(self, *exc):
        _render.reset(self.token)

    def reused(self, deadline):
        if self.expires is None or deadline < self.expires:
            self.expires = deadline

    def timeout(self):
        """Seconds the page rendered may be kept (at least 1, when some of it is kept)."""
        longest = settings.READER_CACHE_SECONDS
        if self.expires is None or longest <= 0:
            return longest
        return max(1, min(longest, math.ceil(self.expires - time.monotonic())))


def active():
    """Whether pieces are used now: a reader page or anonymous API read being rendered by
    the reader cache."""
    return _render.get() is not None


def render_seq():
    """The purge the reader cache's render under way follows; None outside one."""
    render = _render.get()
    return None if render is None else render.seq


def taken_for_purged(keys):
    """Whether this render is to take any of `keys` (`all` among them: every piece; None:
    any key at all) for purged, as the benchmark asks (`rendering_after`)."""
    render = _render.get()
    if render is None or not render.as_if_purged:
        return False
    return keys is None or not render.as_if_purged.isdisjoint(keys)


class KeptPieces:
    """name: (deadline, purge number, keys, value, size), least recently used out first,
    within `max_bytes` in all (a piece's size is what its caller says: the length of its
    HTML, or of its JSON)."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.size = 0
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def get(self, name):
        with self._lock:
            found = self._items.get(name)
            if found is None:
                return None
            if found[0] <= time.monotonic():
                self._drop(name)
                return None
            self._items.move_to_end(name)
            return found

    def put(self, name, seq, keys, value, size, not_after=None):
        """Keep `value` for READER_CACHE_SECONDS, or until `not_after` (time.monotonic())
        if that is sooner: the earliest deadline of the pieces it was made from."""
        timeout = settings.READER_CACHE_SECONDS
        with self._lock:
            self._drop(name)
            if timeout <= 0 or size > self.max_bytes:
                return
            deadline = time.monotonic() + timeout
            if not_after is not None:
                deadline = min(deadline, not_after)
            self._items[name] = (deadline, seq, frozenset(keys), value, size)
            self.size += size
            while self.size > self.max_bytes:
                self._drop(next(iter(self._items)))

    def _drop(self, name):
        found = self._items.pop(name, None)
        if found is not None:
            self.size -= found[4]

    def clear(self):
        with self._lock:
            self._items.clear()
            self.size = 0


kept = KeptPieces(PIECES_BYTES)


def _full_name(name, render):
    """`name` with what else a piece depends on: the reader's language, time zone, the year
    (short dates leave out the current one) and the script prefix of its links, as for the
    explainer's fragments. Those are read once a render (an explainer looks up some hundred
    pieces), and they do not change while it lasts."""
    if render.context is None:
        render.context = (
            get_language(),
            timezone.get_current_timezone_name(),
            timezone.localdate().year,
            get_script_prefix(),
        )
    return (name, *render.context)


def look_up(name):
    """The value kept as piece `name` if it is current (its keys then added to the page's),
    else None; always None outside a reader cache render."""
    render = _render.get()
    if render is None:
        return None
    found = kept.get(_full_name(name, render))
    if found is None:
        return None
    deadline, made_after, keys, value, _ = found
    if not purge_log.is_current(made_after, keys) or taken_for_purged(keys):
        return None
    shows(*keys)
    render.reused(deadline)
    return value


def keep(name, value, keys, size, not_after=None):
    """Keep `value` as piece `name`, showing `keys` (added to the page's too), made after the
    purge this render started after, until `not_after` at the latest (`made_of_pieces`);
    nothing outside a reader cache render."""
    render = _render.get()
    if render is None:
        return
    shows(*keys)
    if render.not_after_all is not None:
        not_after = min(not_after or render.not_after_all, render.not_after_all)
    kept.put(_full_name(name, render), render.seq, {ALL, *keys}, value, size, not_after)


class made_of_pieces:
    """`with made_of_pieces() as made:` a piece is being built, which may itself reuse kept
    pieces (an explainer's timeline reuses its events). Afterwards `made.not_after` is the
    earliest deadline of those (None: none reused), which the piece may not outlive: kept
    until then at the latest, it never keeps what a reused piece shows for longer than that
    piece would have been kept. The page being rendered is bound by it as well."""

    def __enter__(self):
        self.render = _render.get()
        self.not_after = None
        if self.render is not None:
            self.outer, self.render.expires = self.render.expires, None
        return self

    def __exit__(self, *exc):
        if self.render is not None:
            self.not_after = self.render.expires
            self.render.expires = self.outer
            if self.not_after is not None:
                self.render.reused(self.not_after)


def until(when):
    """Say that what is being rendered changes by itself at `when` (an aware datetime: a
    correction coming due), so that neither the piece being built nor the page around it is
    kept past it; nothing outside a reader cache render."""
    render = _render.get()
    if render is not None:
        render.reused(time.monotonic() + max(0.0, (when - timezone.now()).total_seconds()))


def size_of(value):
    """Roughly the memory `value` takes: a string about its length (an explainer's card);
    a tuple its items'; a set of keys (a piece of evidence's) a set's and its strings';
    JSON-like data (dicts, lists, numbers: the API's claim documents) six times the length of
    its repr, as measured on claims' documents (5.1 to 5.8 times)."""
    if isinstance(value, str):
        return 50 + len(value)
    if isinstance(value, tuple):
        return 56 + sum(size_of(item) for item in value)
    if isinstance(value, frozenset):
        return 216 + sum(size_of(item) for item in value)
    return 6 * len(repr(value))


def piece(name, render):
    """The piece `name` (what identifies it: the view and its arguments): HTML, or a value
    that is never changed in place (a tuple), from this worker's kept copy while it is
    current, else `render()`'s, kept for the next render, with the keys of what it loaded.
    Outside a reader cache render, `render()` every time."""
    if not active():
        return render()
    value = look_up(name)
    if value is None:
        with made_of_pieces() as made, collecting() as keys:
            value = render()
        keep(name, value, keys, size_of(value), made.not_after)
    return value


def per_object(objects, name_of, prefetches, build, *, reload=None, keys_of=loaded_keys):
    """A value for each of `objects` (model instances, in order): the one kept as piece
    `name_of(obj)` while it is current, else built. The objects not kept get `prefetches()`
    loaded onto them (a function: a prefetch's querysets take a millisecond or two to build,
    for nothing when every value is kept), then `build(missing)` gives their values in order,
    each kept with the keys `keys_of` gives (`kept_or_built`). Outside a reader cache render,
    everything is built.

    With `reload` (a queryset), `objects` were read with their ids alone (`only("id")`: a
    list of 50 claims whose values are nearly all kept): the objects not kept are read again
    whole from it, by id, with the prefetches, and one it no longer holds (deleted since) gets
    None, not built."""

    def load(missing):
        missing = [objects[index] for index in missing]
        if reload is None:
            prefetch_related_objects(missing, *prefetches())
            return missing
        ids = [obj.pk for obj in missing]
        found = {obj.pk: obj for obj in reload.filter(pk__in=ids).prefetch_related(*prefetches())}
        return [found.get(pk) for pk in ids]

    def build_found(instances):
        values = iter(build([obj for obj in instances if obj is not None]))
        return [None if obj is None else next(values) for obj in instances]

    names = [name_of(obj) for obj in objects]
    return kept_or_built(names, load, build if reload is None else build_found, keys_of)


def kept_or_built(names, load, build, keys_of=loaded_keys):
    """A value for each piece of `names`, in order: the one kept while it is current, else
    built. `load(indexes)` gives a model instance for each of the pieces not kept (their
    indexes in `names`, in order), with everything their values are built from loaded onto
    them, or None for one whose row is gone (deleted since its id was read: its value is
    built and not kept); `build(instances)` gives their values in order. Each built value is
    kept with the keys of what it shows, `keys_of(instance)` (by default those of the rows
    reachable from it, `loaded_keys`), and of any row read while building. A value may be
    None. Outside a reader cache render, everything is built."""
    found = [look_up(name) for name in names]
    missing = [index for index, kept_value in enumerate(found) if kept_value is None]
    if missing:
        instances = load(missing)
        with made_of_pieces() as made, collecting() as read_lazily:  # none expected
            built = list(build(instances))
        for index, instance, value in zip(missing, instances, built, strict=True):
            found[index] = (value,)  # kept in a tuple, so that None can be kept too
            if instance is not None:
                keys = keys_of(instance) | read_lazily
                keep(names[index], found[index], keys, size_of(value), made.not_after)
    return [kept_value[0] for kept_value in found]
