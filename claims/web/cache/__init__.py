"""Caching of anonymous reader pages, with invalidation, ETag and Last-Modified.

Every reader page is a function of the published content and the clock. The content's
*generation* (a timestamp in Django's cache, shared by all workers when the cache is Redis) is
moved forward whenever readers see a change (a save, delete or transition of something
published, before or after it: claims.selectors.seen_by_readers), when its transaction
commits; a draft, a note, the audit trail or a submission moves nothing, so the desk at work
costs readers no fresh renders (version.py). Scheduled explainers go live
by the clock alone, so the time the latest one became due is part of the version too. A page
is cached under (scheme, host, path and query) with the version it was rendered for: when
anything is published, corrected or unpublished, the version changes and every page is
rendered afresh, so no page can show something that is no longer true, or miss something new,
for longer than it takes to render plus READER_VERSION_CHECK_SECONDS (below). The times of the
latest and the next scheduled explainer are kept in the cache for the current generation (and
looked up again once the next is due), so a page served from the cache costs at most one round
trip to the cache and no database query.

Anonymous responses get an ETag and Last-Modified, so repeat visits are answered 304 without
rendering, and a `Cache-Control: public` a CDN may honour for a short time. Both come from
what readers can see: the ETag is a digest of the page itself, kept with
it, and Last-Modified is when readers last saw anything change (a publish, an unpublish, a
correction, an edit of live material, a scheduled explainer coming due; see "readers'
Last-Modified" below). Logged-in users
(the desk, and its previews) are never served from or stored in the cache; what they get is
marked private and not to be stored (newsroom.middleware), and every page says it varies by
cookie.

A page is kept gzip-compressed, compressed once when it is stored: readers' browsers all ask
for gzip, and get the stored bytes as they are (`Content-Encoding: gzip`, a weak ETag, `Vary:
Accept-Encoding`); a client that does not is sent the page decompressed. Each worker also
keeps the pages it served most recently in its own memory (up to READER_LOCAL_CACHE_MB), with
the purge each was rendered after, and serves a copy only while it is current, exactly like
the shared one; so a busy page no longer travels from Redis on every request. A worker reads
the purge counter (and the purges it has not applied) from the shared cache again when the
one it holds is READER_VERSION_CHECK_SECONDS old (1 s): a publish, correction or unpublish
made in another worker reaches its readers within that second; one made in this worker, at
once. (Browsers and a CDN may keep a page for READER_BROWSER_MAX_AGE / READER_CDN_MAX_AGE, a
minute, anyway; a front cache purged by key, READER_FRONT_MAX_AGE.) A page this worker
holds, with the counter read within the second, is served with no round trip at all.

With the local-memory cache (the demo, one process) the purge log lives in each process; in
production REDIS_URL makes it one for all workers.
"""
