"""Values kept in the shared cache for every worker, each current exactly as long as a kept
page showing it would be: the items of files too large to build in one request.

Per-worker pieces (pieces.py) die with their worker and are kept within 16 MB: enough for a
page's fifty cards. The whole ClaimReview file of the benchmark's large archive is 94,000
items and 155 MB, and building them all takes some 90 s of CPU, three times gunicorn's
timeout. Kept here, an item is built once, by whichever worker (or `manage.py
prepare_claimreview_file`) first needs it, and reused by every worker after, until a purge
names something it shows; the file is then put together from the items in a few seconds.

An entry is (the purge it was made after, the keys of what it shows, when it was kept, the
value). It is taken for current as a kept page is (version.PurgeLog.is_current): while no
later purge names one of its keys. The purge log checks back a day at most
(version.PURGE_LOG_SECONDS), and a new worker MAX_CATCH_UP purges, so an entry found current
that was kept more than RESTAMP_SECONDS ago, or RESTAMP_PURGES purges ago, is kept again,
stamped with the purge it was just checked against; one nobody asks for in a day is dropped by
the cache and built again when asked.

The caller says which purge its work follows (`seq`: the render's, pieces.rendering_after, or
the counter read afresh) and checks nothing it has not caught up with: the purge log must have
applied every purge up to `seq` (version.current).
"""

import time

from django.core.cache import cache

from .keys import ALL
from .pieces import render_seq, taken_for_purged
from .store import look_up
from .version import MAX_CATCH_UP, PURGE_LOG_SECONDS, purge_log

# Entries live as long as the purge log that checks them; one found current after half of
# that, or half as many purges as a new worker can check back, is kept again.
ITEM_SECONDS = PURGE_LOG_SECONDS
RESTAMP_SECONDS = ITEM_SECONDS // 2
RESTAMP_PURGES = MAX_CATCH_UP // 2


def current_seq():
    """The purge work done now follows: the reader cache's render's, or outside one (the desk,
    a command) the counter read afresh, with the purges since applied."""
    seq = render_seq()
    return look_up(None)[0] if seq is None else seq


def look_up_many(names, seq):
    """{name: value} of the entries of `names` (shared-cache keys) that are current, for a
    render after purge `seq`; the others are left out. Those kept more than RESTAMP_SECONDS
    or RESTAMP_PURGES ago are kept again, stamped `seq`."""
    found = cache.get_many(names)
    now = time.time()
    current, restamp = {}, {}
    for name, entry in found.items():
        made_after, keys, kept_at, value = entry
        if not purge_log.is_current(made_after, keys) or taken_for_purged(keys):
            continue
        current[name] = value
        old = now - kept_at > RESTAMP_SECONDS or seq - made_after > RESTAMP_PURGES
        if old and made_after < seq:
            restamp[name] = (seq, keys, now, value)
    if restamp:
        cache.set_many(restamp, timeout=ITEM_SECONDS)
    return current


def keep_many(values, seq):
    """Keep `values`, {name: (value, keys of what it shows)}, made after purge `seq`."""
    now = time.time()
    entries = {
        name: (seq, frozenset({ALL, *keys}), now, value) for name, (value, keys) in values.items()
    }
    if entries:
        cache.set_many(entries, timeout=ITEM_SECONDS)
