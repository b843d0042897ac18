"""Purging the front cache (Varnish, docs/deploy.md "Front cache: Varnish") by surrogate key.

Every anonymous reader response names the surrogate keys of what it shows (keys.py; in the
header SURROGATE_KEY_HEADER), and Varnish keeps it for up to READER_FRONT_MAX_AGE seconds.
When readers see something change, the keys the change touches are handed to
`purge_at_front` after the transaction commits (version.py), and every Varnish in
FRONT_CACHE_PURGE_URLS drops the pages carrying any of them: `PURGE` with the keys in the
`xkey-purge` header, the protocol of docs/varnish/claimsdesk.vcl.

Each purge is sent twice: at once, and again once every worker has read it
(READER_VERSION_CHECK_SECONDS, and a little more). In between, a Varnish that lost a page
may fetch it again from a worker that has not yet read the purge and still holds its old
copy, and would then keep that for READER_FRONT_MAX_AGE; the second purge drops it (the
newsroom-day benchmark caught this: two publishes in three never reached readers through
Varnish).

A purge never holds up or undoes the change that asked for it: the requests are sent by one
background thread per process, each as soon as its time comes. A Varnish that does not answer, or
answers anything but 2xx, is tried again a few times (RETRY_DELAYS), then the failure is
logged as an error (`claims.cache.front`) naming the endpoint, the keys and the reason; the
pages it keeps then stay until their front TTL runs out. With FRONT_CACHE_PURGE_URLS empty
(the default) nothing is queued and no thread is started.

A process that exits (a management command such as `publish_scheduled`) first waits up to
EXIT_WAIT seconds for the purges it queued, so a scheduled publish reaches the front cache too.
"""

import atexit
import http.client
import itertools
import logging
import queue
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger("claims.cache.front")

PURGE_HEADER = "xkey-purge"
# Varnish refuses a request header longer than its http_req_hdr_len (8 kB by default): the
# keys are sent in requests whose header stays under this many characters.
MAX_HEADER_LENGTH = 4000
# Seconds to wait for a Varnish to connect and answer, and between a failed try and the next.
TIMEOUT = 2
RETRY_DELAYS = (0.5, 1, 2)
EXIT_WAIT = 10

# After a purge, the time every worker has read it, with a margin: when it is sent again.
SETTLE_MARGIN = 0.25

# (when to send, order asked, endpoint, keys): sent by one thread, each when its time comes.
_jobs = queue.PriorityQueue()
_order = itertools.count()
_sender = None
_sender_lock = threading.Lock()


def purge_at_front(keys):
    """Have every front cache in FRONT_CACHE_PURGE_URLS drop the pages carrying any of `keys`
    (an iterable of str), in the background; returns at once."""
    endpoints = settings.FRONT_CACHE_PURGE_URLS
    if not endpoints:
        return
    batches = list(key_batches(keys))
    if not batches:
        return
    for when in _rounds(time.monotonic()):
        for endpoint in endpoints:
            for batch in batches:
                _jobs.put((when, next(_order), endpoint, batch))
    _start_sender()


def _rounds(now):
    """When each purge is sent: now, and once every worker has read it."""
    return (now, now + settings.READER_VERSION_CHECK_SECONDS + SETTLE_MARGIN)


def key_batches(keys, limit=MAX_HEADER_LENGTH):
    """`keys`, without repeats, sorted, joined by spaces into strings of at most `limit`
    characters (a key longer than that alone on its own). A single string is taken for
    space-separated keys, not for its letters."""
    if isinstance(keys, str):
        keys = keys.split()
    batch = ""
    for key in sorted(set(keys)):
        if batch and len(batch) + 1 + len(key) > limit:
            yield batch
            batch = ""
        batch = f"{batch} {key}" if batch else key
    if batch:
        yield batch


def wait_for_purges(timeout=10):
    """Wait until every purge queued so far is sent or given up on (at most `timeout`
    seconds); whether the queue is drained."""
    deadline = time.monotonic() + timeout
    with _jobs.all_tasks_done:
        while _jobs.unfinished_tasks:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            _jobs.all_tasks_done.wait(left)
    return True


def _start_sender():
    global _sender
    # A thread does not survive a fork: a worker forked from a process that had one starts
    # its own.
    if _sender is not None and _sender.is_alive():
        return
    with _sender_lock:
        if _sender is None or not _sender.is_alive():
            if _sender is None:
                atexit.register(wait_for_purges, EXIT_WAIT)
            _sender = threading.Thread(target=_send_forever, name="front-cache-purge", daemon=True)
            _sender.start()


def _send_forever():
    while True:
        job = _jobs.get()
        when, _, endpoint, keys = job
        wait = when - time.monotonic()
        if wait > 0:  # the earliest job is not due yet: look again soon (or at a new one)
            _jobs.put(job)
            _jobs.task_done()
            time.sleep(min(wait, 0.05))
            continue
        try:
            _send_with_retries(endpoint, keys)
        except Exception:  # the thread must outlive any mistake, or no purge is sent again
            logger.exception("front cache purge failed at %s (keys: %s)", endpoint, keys)
        finally:
            _jobs.task_done()


def _send_with_retries(endpoint, keys):
    reason = ""
    for delay in (0, *RETRY_DELAYS):
        time.sleep(delay)
        try:
            status, body = _purge(endpoint, keys)
        except (OSError, http.client.HTTPException) as error:
            reason = f"{error.__class__.__name__}: {error}"
            continue
        if 200 <= status < 300:
            logger.debug("front cache purged at %s (keys: %s): %s", endpoint, keys, body)
            return
        reason = f"HTTP {status} {body}"
    logger.error(
        "front cache not purged at %s after %d tries (keys: %s): %s",
        endpoint,
        1 + len(RETRY_DELAYS),
        keys,
        reason,
        extra={"endpoint": endpoint, "keys": keys, "reason": reason},
    )


def _purge(endpoint, keys):
    """(status, the start of the body) of one PURGE of `keys` at `endpoint`."""
    address = urlsplit(endpoint)
    kind = http.client.HTTPSConnection if address.scheme == "https" else http.client.HTTPConnection
    connection = kind(address.hostname, address.port, timeout=TIMEOUT)
    try:
        path = (address.path or "/") + (f"?{address.query}" if address.query else "")
        connection.request("PURGE", path, headers={PURGE_HEADER: keys})
        response = connection.getresponse()
        return response.status, response.read(200).decode(errors="replace").strip()
    finally:
        connection.close()
