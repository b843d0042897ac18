"""Addresses of reader pages, relative and absolute.

The models leave their public addresses to the site; everything that links to a reader page
(templates, feeds, sitemaps, JSON-LD) gets it from here. Absolute URLs use `SITE_URL` when it
is set, so canonical links and structured data name the public host whatever host the request
came in on; without it they use the request's own host.
"""

from django.conf import settings
from django.urls import reverse


def claim_path(claim):
    return reverse("site:claim", kwargs={"pk": claim.pk, "slug": claim.slug or "claim"})


def explainer_path(explainer):
    return reverse("site:explainer", kwargs={"slug": explainer.slug})


def place_path(place):
    return reverse("site:place", kwargs={"slug": place.slug})


def source_path(source):
    """The source's page, or None: confidential sources have no page."""
    if source is None or source.is_confidential:
        return None
    return reverse("site:source", kwargs={"slug": source.slug})


def absolute_url(path, request=None):
    """`path` on the public host: SITE_URL when set, else the request's host."""
    base = getattr(settings, "SITE_URL", "")
    if base:
        return base.rstrip("/") + path
    if request is not None:
        return request.build_absolute_uri(path)
    return "http://localhost" + path
