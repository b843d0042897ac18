vcl 4.1;

# The claims desk's front cache (docs/deploy.md, "Front cache: Varnish"): Varnish 7 with the
# xkey module (Debian: varnish, varnish-modules), between the TLS terminator and the app
# servers. It keeps what the app says it may (Surrogate-Control: max-age=N), for anyone
# without a desk session, and drops pages by surrogate key when the desk publishes (the app's
# PURGE with an xkey-purge header, claims/web/cache/front.py).
#
# The site's own part is in backends.vcl, found on varnishd's vcl_path (/etc/varnish by
# default): the app servers, and the addresses allowed to purge.
#
# varnishd needs larger response headers than its defaults allow (an explainer's page names
# every claim it shows in its xkey header):
#   -p http_resp_hdr_len=65536 -p http_resp_size=98304 -p workspace_backend=131072

import directors;
import std;
import xkey;

# Each app server is asked every 2 s for /readyz (200 while it reaches its database); one that
# fails 3 of the last 5 gets no requests until it answers again. When none answers (the
# database is away, say), readers get the pages kept here, however old (vcl_recv). The
# timeout leaves room for a probe that waits behind a long render in a busy worker: with 1 s,
# the benchmark's newsroom day took its two busy workers for unready and readers got 503s.
probe ready {
    .url = "/readyz";
    .interval = 2s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
}

sub vcl_init {
    new app = directors.round_robin();
}

# The backends (added to `app`) and `acl purgers`.
include "backends.vcl";

sub vcl_recv {
    set req.backend_hint = app.backend();

    # A header a request names in its Connection header is dropped before the app sees it
    # (hop by hop), yet the page would still be filed here under it: the scheme, which pages
    # are filed by (vcl_hash), named so would file a page rendered for http under https.
    # Refused, as Varnish itself refuses a request that names Host so.
    if (req.http.Connection ~ "(?i)(^|[,\s])x-forwarded-proto($|[,\s])") {
        return (synth(400, "Bad Request"));
    }

    # Varnish serves one range of a page, not several: a request for several gets the whole
    # page (as HTTP allows a server to answer any range request), not a 416.
    if (req.http.Range ~ ",") {
        unset req.http.Range;
    }

    if (req.method == "PURGE") {
        # The TLS terminator sets X-Forwarded-Proto on everything it passes on, and the app
        # never does on its purges: a PURGE carrying it came from the internet, even when the
        # terminator runs on this machine and so connects from an address in the ACL.
        if (client.ip !~ purgers || req.http.X-Forwarded-Proto) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "No xkey-purge header"));
        }
        # A hard purge: the pages are gone, and the next reader waits for a fresh render. A
        # soft purge would let the next reader see the old page once more (from grace) while
        # Varnish fetched the new one; after a correction or an unpublish that is the page
        # the desk has just said is wrong.
        set req.http.xkey-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.xkey-purged));
    }
    if (req.method !~ "^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$") {
        return (synth(405, "Method Not Allowed"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }

    # The desk, and everyone with a desk session or credentials, past the cache: what they see
    # is theirs (drafts, previews, their name), and the app marks it private. So are the
    # forms that need a CSRF cookie (the reader's submission form; its thanks page is the
    # same for everyone), the API's login pages, and the health check.
    if (req.http.Authorization
        || req.http.Cookie ~ "(^|;\s*)sessionid="
        || req.url ~ "^/admin(/|\?|$)"
        || req.url ~ "^/api/v1/auth(/|\?|$)"
        || req.url ~ "^/submit/?(\?|$)"
        || req.url ~ "^/(healthz|readyz)(\?|$)") {
        return (pass);
    }

    # Anyone else is a reader, whatever cookies they carry (a CSRF cookie left from the
    # submission form, a stray analytics one): without them, readers share one cached copy
    # (the app's pages say Vary: Cookie).
    unset req.http.Cookie;

    # Campaign and click tags (a newsletter's utm_source, a social network's fbclid) mean
    # nothing to any page: dropped before the cache looks, so a shared link finds the page
    # kept. Any other parameter a page does not read reaches the app, which answers from the
    # page it keeps and says not to keep that spelling (Surrogate-Control: max-age=0), so
    # endless spellings of one page cannot fill this cache.
    if (req.url ~ "[?&](utm_[A-Za-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid)=") {
        set req.url = regsuball(req.url,
            "(?<=[?&])(utm_[A-Za-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid)=[^&]*(&|$)", "");
    }
    # Nor does a query's trailing `?` or `&` (`/claims/?` is `/claims/`).
    if (req.url ~ "[?&]$") {
        set req.url = regsub(req.url, "[?&]+$", "");
    }

    # While the app servers answer, a page past its TTL is fetched again before it is served
    # (its TTL may be cut to the moment a scheduled explainer goes live: served once more
    # from grace, the lists would go without it); when none answers, readers get the last
    # copy for up to an hour.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 0s;
    }
    return (hash);
}

sub vcl_hash {
    # The TLS terminator's scheme is part of the page (its canonical links); the host and the
    # address are added by the built-in vcl_hash.
    hash_data(req.http.X-Forwarded-Proto);
}

sub vcl_backend_response {
    # The app's 503 (its database away or too busy, newsroom/outage.py) never takes the place
    # of a page kept here: a refresh in the background is dropped, leaving the old page for
    # the readers after; a client that was waiting gets Varnish's own 503, with nothing put
    # in the cache that would hide the old page from the next reader (as a hit-for-miss
    # would). Once the probe finds the app servers unready, readers get the old page.
    if (beresp.status == 503) {
        return (abandon);
    }

    # Only a 200 that sets no cookie and is not private is ever kept; everything else is
    # handed to the client as it is, and the next request for the address goes to the app
    # too (hit-for-miss, so a cacheable answer is kept as soon as one comes).
    if (beresp.status != 200
        || beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)") {
        call not_kept;
    } elsif (beresp.http.Surrogate-Control ~ "(^|,)\s*max-age=[0-9]+") {
        # What the app says the front cache may keep (anonymous reader pages and API reads),
        # for as long as it says: it purges them by key when they change.
        set beresp.ttl = std.duration(
            regsub(beresp.http.Surrogate-Control, "^(.*,)?\s*max-age=([0-9]+).*$", "\2") + "s",
            0s);
        if (beresp.ttl <= 0s) {
            # Not to be kept at all (a scheduled explainer goes live now): kept for 0 s, it
            # would still be served from grace.
            call not_kept;
        } else {
            set beresp.grace = 1h;
        }
    } elsif (bereq.url ~ "^/static/" && beresp.ttl > 0s) {
        # Static files (whitenoise), for as long as their Cache-Control says: for ever under
        # the hashed names a release gives every changed file.
        set beresp.grace = 1h;
    } else {
        call not_kept;
    }
    # For this cache alone: clients get the app's Cache-Control.
    unset beresp.http.Surrogate-Control;
    return (deliver);
}

sub vcl_backend_error {
    # The app servers could not be reached: as with their 503, a refresh in the background is
    # dropped and the page kept here stays for the readers after.
    if (bereq.is_bgfetch) {
        return (abandon);
    }
}

sub not_kept {
    set beresp.ttl = 120s;
    set beresp.uncacheable = true;
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The surrogate keys are for this cache; a client sees them only when it asks
    # (X-Cache-Debug: 1), to see what a publish would purge.
    if (!req.http.X-Cache-Debug) {
        unset resp.http.xkey;
    }
}

sub vcl_synth {
    if (req.method == "PURGE") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        synthetic(resp.reason);
        return (deliver);
    }
}
