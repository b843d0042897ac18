"""The reader's path through the demo desk: home → "Why Toretsk matters"
→ a claim → its source's track record → and back by search."""

import io
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def links(html):
    return re.findall(r'<a[^>]* href="(/[^"#]*)"[^>]*>(.*?)</a>', html, re.S)


def follow(client, html, text):
    """Click the first link on the page whose text contains `text`."""
    for href, label in links(html):
        if text in re.sub(r"<[^>]+>", "", label):
            response = client.get(href)
            assert response.status_code == 200, href
            return href, response.content.decode()
    raise AssertionError(f"no link {text!r} on the page")


def test_home_to_explainer_to_claim_to_source_and_back_by_search(client):
    call_command("load_demo", stdout=io.StringIO())
    home = client.get("/").content.decode()

    url, explainer = follow(client, home, "Why Toretsk matters")
    assert url == "/explainers/why-toretsk-matters/"
    assert "Dzerzhynsk" in explainer  # the facts panel gives the town's other name

    url, claim = follow(client, explainer, "says its forces have captured Toretsk")
    assert url.startswith("/claims/")
    assert "Unconfirmed on" in claim and "→ Disputed on" in claim

    url, source = follow(client, claim, "Russian Defence Ministry")
    assert url == "/sources/russian-defence-ministry/"
    assert "Track record" in source

    results = client.get("/search/", {"q": "Dzerzhynsk"}).content.decode()
    url, _ = follow(client, results, "Toretsk")
    assert url == "/places/toretsk/"
    results = client.get("/search/", {"q": "Toretsk"}).content.decode()
    url, _ = follow(client, results, "Why Toretsk matters")
    assert url == "/explainers/why-toretsk-matters/"
