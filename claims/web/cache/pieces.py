"""Pieces of a reader page kept by each worker, current exactly as long as a kept page is.

A page is rendered afresh when something it shows is purged; most of it often has not
changed. A claim's page is purged when the claim gets a verdict, and then its "More about
these places" (the newest other claims about its places, a query of some 10 ms on the
benchmark's large set) is the same as before. Such a piece is kept like a page
(store.LocalPages): with the number of the last purge applied when it was rendered and the
surrogate keys of everything loaded to render it (keys.collecting), and reused only while no
later purge names one of them (`PurgeLog.is_current`). So it is never staler than the page
around it would be, and when it is reused its keys are added to the page's own, so that the
page is purged with it.

Unlike `claims.site.fragments` (the explainer's cards, keyed by a digest of the rows they are
rendered from, which must be loaded first), a kept piece saves its queries too. Pieces are
used only while the reader cache renders a page (`rendering_after`: outside it, in a desk
preview or a logged-in user's page, the purge log may not have been read this second), and
are kept for at most READER_CACHE_SECONDS, as pages are.
"""

import threading
import time
from collections import OrderedDict
from contextvars import ContextVar

from django.conf import settings
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.translation import get_language

from .keys import collecting, shows
from .version import purge_log

PIECES_BYTES = 8 * 1024 * 1024

# The purge number the reader cache's render started after (None outside such a render).
_after = ContextVar("reader_cache_rendering_after", default=None)


class rendering_after:
    """`with rendering_after(seq):` a reader page is being rendered after purge `seq`: pieces
    may be reused and kept meanwhile."""

    def __init__(self, seq):
        self.seq = seq

    def __enter__(self):
        self.token = _after.set(self.seq)

    def __exit__(self, *exc):
        _after.reset(self.token)


class KeptPieces:
    """name: (deadline, purge number, keys, html), least recently used out first, within
    `max_bytes` of HTML in all."""

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

    def put(self, name, seq, keys, html):
        timeout = settings.READER_CACHE_SECONDS
        with self._lock:
            self._drop(name)
            if timeout <= 0 or len(html) > self.max_bytes:
                return
            self._items[name] = (time.monotonic() + timeout, seq, frozenset(keys), html)
            self.size += len(html)
            while self.size > self.max_bytes:
                self._drop(next(iter(self._items)))

    def _drop(self, name):
        found = self._items.pop(name, None)
        if found is not None:
            self.size -= len(found[3])

    def clear(self):
        with self._lock:
            self._items.clear()
            self.size = 0


kept = KeptPieces(PIECES_BYTES)


def piece(name, render):
    """The HTML of the piece `name` (what identifies it: the view and its arguments), from
    this worker's kept copy while it is current, else `render()`'s, kept for the next render.
    Outside a reader cache render, `render()` every time and keep nothing.

    The reader's language, time zone, year (short dates leave out the current one) and the
    script prefix are part of the name, as for the explainer's fragments."""
    seq = _after.get()
    if seq is None:
        return render()
    name = (
        name,
        get_language(),
        timezone.get_current_timezone_name(),
        timezone.localdate().year,
        get_script_prefix(),
    )
    found = kept.get(name)
    if found is not None:
        _, made_after, keys, html = found
        if purge_log.is_current(made_after, keys):
            shows(*keys)
            return html
    with collecting() as keys:
        html = render()
    shows(*keys)
    kept.put(name, seq, keys, html)
    return html
