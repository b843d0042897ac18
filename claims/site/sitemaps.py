"""sitemap.xml (django.contrib.sitemaps): every page a reader may reach, from the selectors."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.urls import reverse

from claims import selectors
from claims.web.cache import keys


class ReaderSitemap(Sitemap):
    """Names SITE_URL's host and scheme when it is set, the request's otherwise."""

    def get_domain(self, site=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).netloc
        return super().get_domain(site)

    def get_protocol(self, protocol=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).scheme
        return super().get_protocol(protocol)


class PagesSitemap(ReaderSitemap):
    changefreq = "daily"

    def items(self):
        return [
            "site:home",
            "site:explainers",
            "site:claims",
            "site:places",
            "site:sources",
            "site:methodology",
            "site:balance",
        ]

    def location(self, item):
        return reverse(item)


class ExplainerSitemap(ReaderSitemap):
    def items(self):
        return selectors.explainers_for_readers().order_by("-publish_at", "-id")

    def lastmod(self, item):
        return item.last_substantive_update or item.publish_at


class ClaimSitemap(ReaderSitemap):
    def items(self):
        return selectors.claims_for_readers().order_by("-id")

    def lastmod(self, item):
        """Its latest verdict, or a later published revision of its wording."""
        dates = [d for d in (item.current_verdict_as_of, item.last_substantive_update) if d]
        return max(dates, default=None)


class PlaceSitemap(ReaderSitemap):
    def items(self):
        return selectors.places_for_readers().order_by("name", "id")


class SourceSitemap(ReaderSitemap):
    def items(self):
        return selectors.sources_for_readers().order_by("name", "id")


SITEMAPS = {
    "pages": PagesSitemap,
    "explainers": ExplainerSitemap,
    "claims": ClaimSitemap,
    "places": PlaceSitemap,
    "sources": SourceSitemap,
}


def sitemap_query(sent):
    """How Django's sitemap view reads its query: `p`, the page, by `int()` (`01`, `+1`)."""
    if "p" not in sent:
        return []
    try:
        return [("p", str(int(sent["p"])))]
    except ValueError:
        return [("p", sent["p"])]  # a 404


def sitemap_tagged_by_lists(request, **kwargs):
    """Django's sitemap view, its page tagged with the lists it lists, not with each of the
    tens of thousands of rows it names (`keys.lists_only`)."""
    with keys.lists_only():
        response = sitemap(request, **kwargs)
        response.render()
    return response
