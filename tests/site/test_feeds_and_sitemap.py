"""Feeds parse and list only published items; the sitemap and robots.txt; 404 and 500."""

import datetime
import re
from urllib.parse import urlsplit

import feedparser
import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from .conftest import SECRET

pytestmark = pytest.mark.django_db

FEEDS = [
    "/feeds/explainers.atom",
    "/feeds/explainers.rss",
    "/feeds/verdicts.atom",
    "/feeds/verdicts.rss",
]


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed, response.content.decode()


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_parse_and_hold_nothing_unpublished(client, desk, url):
    feed, raw = parsed(client, url)
    assert feed.entries
    assert SECRET not in raw
    assert "verdict--" not in raw


@pytest.mark.parametrize("url", FEEDS[:2])
def test_explainer_feeds_list_live_explainers_only(client, desk, url):
    feed, _ = parsed(client, url)
    assert [entry.title for entry in feed.entries] == ["Why Toretsk matters"]
    assert feed.entries[0].link == "http://testserver/explainers/why-toretsk-matters/"
    assert feed.entries[0].summary == "A hilltop town on the road to Kostiantynivka."


@pytest.mark.parametrize("url", FEEDS[2:])
def test_verdict_feeds_list_each_published_verdict_once(client, desk, url):
    feed, _ = parsed(client, url)
    titles = [entry.title for entry in feed.entries]
    assert sorted(titles) == sorted(
        [
            "Unconfirmed: Russia says its forces captured Toretsk",
            "Disputed: Russia says its forces captured Toretsk",
            "Likely true: Ukrainian brigade says it still holds positions in Toretsk",
        ]
    )
    assert not any(title.startswith("False") for title in titles)  # the draft verdict
    links = [entry.link for entry in feed.entries]
    assert (
        f"http://testserver{desk.capture.get_absolute_url()}#verification-{desk.second.pk}" in links
    )
    assert len(set(entry.id for entry in feed.entries)) == 3


def test_scheduled_explainer_joins_the_feed_only_when_due(client, desk, factchecker, editor):
    import datetime

    from django.utils import timezone

    from claims import workflow
    from tests import factories

    later = factories.ExplainerFactory(title="Due tomorrow", slug="due-tomorrow")
    workflow.explainer_submit(explainer=later, by=factchecker)
    workflow.explainer_publish(
        explainer=later, by=editor, at=timezone.now() + datetime.timedelta(days=1)
    )
    feed, _ = parsed(client, "/feeds/explainers.atom")
    assert "Due tomorrow" not in [entry.title for entry in feed.entries]


def crawled(client, index="/sitemap.xml"):
    """The sitemap as a crawler reads it: the index, then each section's page it lists."""
    response = client.get(index)
    assert response.status_code == 200 and b"<sitemapindex" in response.content
    pages = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    texts = []
    for page in pages:
        section = client.get(urlsplit(page)._replace(scheme="", netloc="").geturl())
        assert section.status_code == 200, page
        assert section["Content-Type"].startswith("application/xml")
        texts.append(section.content.decode())
    return pages, texts


def test_sitemap_lists_reader_pages_and_nothing_else(client, desk):
    pages, texts = crawled(client)
    assert [urlsplit(page).path for page in pages] == [
        f"/sitemap-{section}.xml"
        for section in ("pages", "explainers", "claims", "places", "sources")
    ]
    xml = "".join(texts)
    for path in (
        "/",
        "/explainers/why-toretsk-matters/",
        desk.capture.get_absolute_url(),
        desk.officer.get_absolute_url(),
        "/places/toretsk/",
        "/sources/russian-defence-ministry/",
        "/sources/frontline-mapping-project/",
        "/methodology/",
    ):
        assert f"<loc>http://testserver{path}</loc>" in xml
    for hidden in (
        "/explainers/draft-explainer/",
        desk.unpublished.get_absolute_url(),
        "/places/secret-hamlet/",
        "/sources/draft-channel/",
        "/sources/confidential-colonel/",
    ):
        assert hidden not in xml
    assert SECRET not in xml


def test_sitemap_uses_site_url_when_set(client, desk, settings):
    settings.SITE_URL = "https://claims.example.org"
    pages, texts = crawled(client)
    assert all(page.startswith("https://claims.example.org/sitemap-") for page in pages)
    assert "<loc>https://claims.example.org/explainers/why-toretsk-matters/</loc>" in "".join(texts)


def test_a_long_section_is_split_into_pages_each_in_the_index_with_its_latest_change(
    client, desk, monkeypatch
):
    """A sitemap holds at most 50,000 addresses: the benchmark's archive gave 54,000 on its
    one page. Each section's pages hold at most SITEMAP_LIMIT, and the index lists them all,
    with the date of the section's latest change (asked of the database, not of each row)."""
    from claims import selectors
    from claims.site import sitemaps

    monkeypatch.setattr(sitemaps.ReaderSitemap, "limit", 2)
    pages, texts = crawled(client)
    claims = selectors.claims_for_readers().count()
    assert claims > 2
    claim_pages = [page for page in pages if "/sitemap-claims.xml" in page]
    assert len(claim_pages) == (claims + 1) // 2
    assert claim_pages[1].endswith("/sitemap-claims.xml?p=2")
    assert all(text.count("<url>") <= 2 for text in texts)
    listed = {loc for text in texts for loc in re.findall(r"<loc>([^<]+)</loc>", text)}
    for claim in selectors.claims_for_readers():
        assert f"http://testserver{claim.get_absolute_url()}" in listed
    index = client.get("/sitemap.xml").content.decode()
    latest = max(
        d
        for c in selectors.claims_for_readers()
        for d in (c.current_verdict_as_of, c.last_substantive_update)
        if d
    )
    entry = re.search(r"sitemap-claims\.xml</loc>\s*<lastmod>([^<]+)</lastmod>", index)
    assert entry and datetime.datetime.fromisoformat(entry.group(1)) == latest


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_the_desk(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_custom_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We cannot find that page" in html
    assert '<a class="skip-link"' in html and 'role="search"' in html


def test_custom_500_page_needs_no_database_or_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_feed_links_use_site_url_when_set(client, desk, settings):
    settings.SITE_URL = "https://claims.example.org"
    feed, _ = parsed(client, "/feeds/verdicts.atom")
    assert all(e.link.startswith("https://claims.example.org/claims/") for e in feed.entries)


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/verdicts.atom",
        "/feeds/verdicts.rss",
        "/feeds/explainers.atom",
        "/feeds/explainers.rss",
    ],
)
def test_a_feed_names_its_own_address_on_site_url_whatever_the_host(client, desk, settings, path):
    """Django's feeds write their own address (Atom's rel="self", RSS's atom:link) on the
    Host the request came with; the page is kept for everyone after, so one client's
    `Host: testserver:6666` named that port to every reader."""
    settings.SITE_URL = "https://claims.example.org"
    text = client.get(path, HTTP_HOST="testserver:6666").content.decode()
    assert f'href="https://claims.example.org{path}"' in text
    assert "6666" not in text


def test_the_sitemap_is_tagged_with_the_lists_it_lists_not_each_page(client, desk, settings):
    """Named row by row, the benchmark archive's sitemap carried 54,000 keys (650 kB), ten
    times what Varnish takes in a response header."""
    for address in ("/sitemap.xml", "/sitemap-claims.xml", "/sitemap-explainers.xml"):
        keys = client.get(address)[settings.SURROGATE_KEY_HEADER].split()
        assert {"all", "claims", "explainers", "places", "sources", "pages"} <= set(keys)
        assert not [key for key in keys if key[-1].isdigit()], keys
