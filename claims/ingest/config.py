"""The ingest limits, overridable in settings as `DESK_INGEST = {"MAX_BYTES": ..., ...}`."""

from django.conf import settings

DEFAULTS = {
    # The largest file, upload or page the desk takes in (bytes).
    "MAX_BYTES": 5 * 1024 * 1024,
    # Seconds a whole fetch may take: looking the name up, connecting, the headers and every
    # read of the page, redirects included.
    "FETCH_TIMEOUT": 20,
    # The spotter reads this many characters of an article at most (about 16,000 words,
    # longer than any news article): its time grows with the text, and an import waits for it.
    "SPOT_MAX_CHARS": 100_000,
    # Redirects followed before giving up.
    "MAX_REDIRECTS": 5,
    # Fetch pages on private, loopback or link-local addresses (the newsroom's own network)?
    # Off, so that the import page cannot be used to probe internal services. True allows
    # them all; a list of networks (["10.20.0.0/16"]) allows those only.
    "ALLOW_PRIVATE_ADDRESSES": False,
    # How the desk introduces itself to the sites it fetches from.
    "USER_AGENT": "ClaimsDesk/0.1 (newsroom claims desk; article import; +https://claims.example.org)",
}


def ingest_setting(name):
    return getattr(settings, "DESK_INGEST", {}).get(name, DEFAULTS[name])
