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
