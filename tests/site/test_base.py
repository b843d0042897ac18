"""Every reader page shares the base layout: landmarks, skip link, canonical, social tags."""

import pytest

from claims.verdicts import SCALE

pytestmark = pytest.mark.django_db


def test_methodology_page_has_the_shared_layout(client):
    response = client.get("/methodology/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en-GB">' in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html
    assert '<link rel="canonical" href="http://testserver/methodology/">' in html
    assert '<meta property="og:title" content="How we check claims">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert "site/site.css" in html and 'media="print"' in html
    # Our own assets only: no CDN, no web fonts.
    assert "//fonts." not in html and "cdn" not in html.lower()


def test_canonical_link_uses_site_url_when_set(client, settings):
    settings.SITE_URL = "https://claims.example.org"
    html = client.get("/methodology/?utm_source=x").content.decode()
    assert '<link rel="canonical" href="https://claims.example.org/methodology/">' in html


def test_methodology_page_shows_every_verdict_with_definition_and_rating(client):
    html = client.get("/methodology/").content.decode()
    for info in SCALE:
        assert info.label in html
        assert info.definition in html
        assert f'id="verdict-{info.value}"' in html
        assert f"<td>{info.rating}</td>" in html


def test_stylesheet_is_served_from_our_static_files():
    from django.contrib.staticfiles import finders

    assert finders.find("site/site.css")
    assert finders.find("site/print.css")


def test_every_page_names_its_icon_so_no_browser_asks_for_a_missing_favicon_ico(client):
    from django.contrib.staticfiles import finders

    html = client.get("/methodology/").content.decode()
    assert '<link rel="icon" href="/static/site/favicon.svg" type="image/svg+xml">' in html
    assert finders.find("site/favicon.svg")
    assert client.get("/static/site/favicon.svg").status_code == 200


def test_the_navigation_follows_the_script_prefix_each_request_is_served_under(client):
    """The header's and footer's addresses are reversed once per URLconf and script prefix
    (`{% fixed_url %}`): a desk served under a path prefix links under it, the same process
    serving at the root links at the root, and each address is the one `reverse()` gives."""
    from django.test.utils import override_script_prefix
    from django.urls import reverse

    from .helpers import fixed_url_names

    names = fixed_url_names()
    assert "site:home" in names and "site:feed-verdicts-rss" in names
    for prefix in ["/", "/newsroom/", "/", "/other/"]:
        # The test client, unlike a WSGI server, leaves the script prefix to the test.
        with override_script_prefix(prefix):
            html = client.get("/methodology/", SCRIPT_NAME=prefix.rstrip("/")).content.decode()
            paths = [reverse(name) for name in names]
        shown = [path for path in paths if f'href="{path}"' in html or f'action="{path}"' in html]
        assert all(path.startswith(prefix) for path in paths)
        assert len(shown) >= 12, shown  # the header's and footer's, on every page
        if prefix == "/":
            assert 'href="/newsroom/' not in html and 'href="/other/' not in html
