"""The sitemap (django.contrib.sitemaps): every page a reader may reach, from the selectors.

`/sitemap.xml` is an index of the sections' sitemaps (`/sitemap-<section>.xml`, in pages of
SITEMAP_LIMIT addresses: `?p=2`, …). As one file, the benchmark's archive (100,000 claims)
gave 54,000 addresses on its first page, more than the 50,000 a sitemap may hold (search
engines refuse it), and took a worker 6 s to render after every publish."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.contrib.sites.requests import RequestSite
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import reverse

from claims import selectors
from claims.web.cache import keys

# Addresses in one page of a section: a page of claims is rendered in about a second.
SITEMAP_LIMIT = 10_000


class ReaderSitemap(Sitemap):
    """Names SITE_URL's host and scheme when it is set, the request's otherwise."""

    limit = SITEMAP_LIMIT

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

    def get_latest_lastmod(self):
        """The latest of `lastmod`, asked of the database (Django's asks each item)."""
        latest = Coalesce("last_substantive_update", "publish_at")
        return selectors.explainers_for_readers().aggregate(latest=Max(latest))["latest"]


class ClaimSitemap(ReaderSitemap):
    def items(self):
        return selectors.claims_for_readers().order_by("-id")

    def lastmod(self, item):
        """Its latest verdict, or a later published revision of its wording."""
        dates = [d for d in (item.current_verdict_as_of, item.last_substantive_update) if d]
        return max(dates, default=None)

    def get_latest_lastmod(self):
        """The latest of `lastmod`, asked of the database (Django's reads every claim)."""
        latest = selectors.claims_for_readers().aggregate(
            verdict=Max("current_verdict_as_of"), update=Max("last_substantive_update")
        )
        return max((d for d in latest.values() if d), default=None)


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


def section(request, section):
    """A section's sitemap (Django's view), its page tagged with the lists it lists, not with
    each of the thousands of rows it names (`keys.lists_only`)."""
    with keys.lists_only():
        response = sitemap(request, SITEMAPS, section=section)
        response.render()
    return response


def index(request):
    """The index of the sections' sitemaps and their pages, each with the date of its latest
    change, under SITE_URL's host and scheme as the sections' addresses are (Django's index
    names the request's)."""
    site = RequestSite(request)
    entries = []
    with keys.lists_only():
        for name, kind in SITEMAPS.items():
            sitemap_ = kind()
            address = (
                f"{sitemap_.get_protocol(request.scheme)}://{sitemap_.get_domain(site)}"
                f"{reverse('site:sitemap-section', kwargs={'section': name})}"
            )
            lastmod = sitemap_.get_latest_lastmod()
            entries.append({"location": address, "last_mod": lastmod})
            for page in range(2, sitemap_.paginator.num_pages + 1):
                entries.append({"location": f"{address}?p={page}", "last_mod": lastmod})
        response = TemplateResponse(
            request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
        )
        response.render()
    return response
