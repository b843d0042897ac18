from django.urls import path, register_converter

from claims.web.cache.decorators import reader_cache

from . import feeds, files, sitemaps, views

app_name = "site"


class ClaimKey:
    """A claim's key as its address spells it: a whole number with no leading zero. The same
    key spelt otherwise (/claims/007-<slug>/) is led to that address (`claim_redirect`)."""

    regex = "[1-9][0-9]*"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(ClaimKey, "claim_key")

# What each page lists, besides what it shows (surrogate keys, claims/web/cache/keys.py): a
# change that adds to, removes from or reorders one of these lists re-renders the page.
CLAIMS = ("claims",)
EXPLAINERS = ("explainers",)
SOURCES = ("sources",)
PAGES = ("pages",)
EVERY_LIST = ("claims", "explainers", "places", "sources", "pages")
# How a page reads its query (reader_cache's `params`): a list's page number; a page that
# reads none is given none.
PAGE = views.paged

urlpatterns = [
    path("", reader_cache(views.home, lists=("claims", "explainers")), name="home"),
    path(
        "explainers/",
        reader_cache(views.explainer_list, lists=EXPLAINERS, params=PAGE),
        name="explainers",
    ),
    path("explainers/<slug:slug>/", reader_cache(views.explainer_detail), name="explainer"),
    path(
        "explainers/<slug:slug>/share.png",
        reader_cache(views.explainer_share_image),
        name="explainer-share-image",
    ),
    path(
        "claims/",
        reader_cache(views.claim_list, lists=CLAIMS, params=views.claim_list_query),
        name="claims",
    ),
    path("claims/<int:pk>/", views.claim_redirect, name="claim-short"),
    path("claims/<claim_key:pk>-<slug:slug>/", reader_cache(views.claim_detail), name="claim"),
    path("claims/<int:pk>-<slug:slug>/", views.claim_redirect, name="claim-spelt-otherwise"),
    path(
        "places/",
        reader_cache(views.place_list, lists=("places", "claims"), params=PAGE),
        name="places",
    ),
    path("places/<slug:slug>/", reader_cache(views.place_detail, params=PAGE), name="place"),
    path(
        "sources/",
        reader_cache(views.source_list, lists=("sources", "claims"), params=PAGE),
        name="sources",
    ),
    path("sources/<slug:slug>/", reader_cache(views.source_detail, params=PAGE), name="source"),
    # Search addresses are unbounded: each worker keeps its own copies, within
    # READER_SEARCH_CACHE_MB, and none goes to the shared cache.
    path(
        "search/",
        reader_cache(views.search, worker_only=True, lists=EVERY_LIST, params=views.search_query),
        name="search",
    ),
    path("methodology/", reader_cache(views.methodology, lists=PAGES), name="methodology"),
    # Tallies by claimant affiliation: a claimant's new affiliation moves them.
    path("balance/", reader_cache(views.balance, lists=CLAIMS + SOURCES), name="balance"),
    # Bulk downloads: built from the readers' selectors once per content version, then served
    # from the cache with ETag and Last-Modified.
    path("downloads/", reader_cache(views.downloads, lists=EVERY_LIST), name="downloads"),
    path(
        "downloads/<slug:dataset>.<slug:file_format>",
        reader_cache(views.download_file, lists=EVERY_LIST),
        name="download",
    ),
    path(
        "about/<slug:kind>/", reader_cache(views.standing_page, lists=PAGES), name="standing-page"
    ),
    # The form carries a per-visitor CSRF token: never cached.
    path("submit/", views.submit_claim, name="submit"),
    path("submit/thanks/", reader_cache(views.submit_thanks, lists=PAGES), name="submit-thanks"),
    path(
        "feeds/explainers.rss",
        reader_cache(feeds.ExplainersFeed(), lists=EXPLAINERS),
        name="feed-explainers-rss",
    ),
    path(
        "feeds/explainers.atom",
        reader_cache(feeds.ExplainersAtomFeed(), lists=EXPLAINERS),
        name="feed-explainers-atom",
    ),
    path(
        "feeds/verdicts.rss",
        reader_cache(feeds.VerdictsFeed(), lists=CLAIMS),
        name="feed-verdicts-rss",
    ),
    path(
        "feeds/verdicts.atom",
        reader_cache(feeds.VerdictsAtomFeed(), lists=CLAIMS),
        name="feed-verdicts-atom",
    ),
    # Evidence files: checked for who may see them and sent so no browser runs them; never
    # kept by the reader cache (claims/site/files.py sets their own Cache-Control).
    path("files/<path:name>", files.evidence_file, name="evidence-file"),
    # The index of the sections' sitemaps, and each section's, in pages (sitemaps.py).
    path("sitemap.xml", reader_cache(sitemaps.index, lists=EVERY_LIST), name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        reader_cache(sitemaps.section, lists=EVERY_LIST, params=sitemaps.sitemap_query),
        name="sitemap-section",
    ),
    path("robots.txt", reader_cache(views.robots_txt), name="robots"),
]
