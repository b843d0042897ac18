"""The desk's own `check --deploy` checks."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def site_url_is_set(app_configs, **kwargs):
    """Without SITE_URL, canonical links, feeds, the sitemap and the ClaimReview file name the
    Host header each request came with: a client chooses it (any port of an allowed host
    passes), and each spelling is kept as pages of its own, and as the ClaimReview file's
    items, built again for it (claims/api/views/feed.py)."""
    if settings.SITE_URL:
        return []
    return [
        Warning(
            "SITE_URL is not set: links, feeds and structured data name the Host header "
            "each request came with, and each spelling of it is kept apart.",
            hint="Set SITE_URL to the address readers use, e.g. https://claims.example.org.",
            id="claims.W001",
        )
    ]


@register(Tags.security, deploy=True)
def client_address_header_is_set(app_configs, **kwargs):
    """Behind the proxy docs/deploy.md puts in front, every request comes from the proxy's
    address unless READER_CLIENT_IP_HEADER names the header it passes the client's in: the
    reader site's render budget (READER_RENDERS_PER_MINUTE), the submission and login limits
    and the API's throttles would count all readers as one client, and refuse them all at
    once."""
    if settings.READER_CLIENT_IP_HEADER:
        return []
    return [
        Warning(
            "READER_CLIENT_IP_HEADER is not set: behind a proxy, every reader counts as the "
            "proxy's one address in the rate limits, and is refused with all the others.",
            hint="Set it to the header the proxy sets, e.g. READER_CLIENT_IP_HEADER="
            "HTTP_X_REAL_IP for nginx's X-Real-IP (docs/deploy.md, § 6), or to REMOTE_ADDR "
            "where clients reach the app servers directly.",
            id="claims.W002",
        )
    ]
