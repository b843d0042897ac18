"""Every hostile payload, in every reader-visible text field, comes out inert on every reader
page, feed and JSON-LD block that shows it, and as itself: escaped in HTML, whole in JSON-LD
and in the API's JSON, and in the feeds as far as XML can carry it (XML 1.0 has no way to
write most control characters, so feeds leave those out).

HTML is checked by parsing: no script element but JSON-LD, no on* attribute, no link or
source with a scheme other than http(s)/mailto. tests/browser/test_hostile_input.py loads the
same pages in Chromium.
"""

import json
import xml.etree.ElementTree as ET

import pytest

from ..site.helpers import _ActiveContentFinder
from .conftest import reader_pages
from .corpus import PAYLOADS, xml_safe

pytestmark = pytest.mark.django_db

FEEDS = (
    "/feeds/explainers.rss",
    "/feeds/explainers.atom",
    "/feeds/verdicts.rss",
    "/feeds/verdicts.atom",
    "/sitemap.xml",
)


def inspect(html):
    finder = _ActiveContentFinder({"svg", "form"})
    finder.feed(html)
    finder.close()
    return finder.problems, finder.json_ld


def strings(data):
    """Every string in a JSON document."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_reader_pages_feeds_and_json_ld_show_the_payload_inert(name, client, hostile_desk):
    payload = PAYLOADS[name]
    desk = hostile_desk(payload)
    problems = []
    for url in reader_pages(desk, payload):
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}")
            continue
        html = response.content.decode()
        active, blocks = inspect(html)
        problems += [f"{url}: {item}" for item in active]
        for block in blocks:
            try:
                document = json.loads("".join(block))
            except ValueError as error:
                problems.append(f"{url}: JSON-LD does not parse: {error}")
                continue
            if url == f"/claims/{desk.claim.pk}-{desk.claim.slug}/":
                found = set(strings(document))
                if desk.claimant.name not in found or desk.article.headline not in found:
                    problems.append(f"{url}: JSON-LD lost the claimant's or article's text")
            if url == "/explainers/hostile/" and desk.explainer.standfirst not in set(
                strings(document)
            ):
                problems.append(f"{url}: JSON-LD lost the standfirst")
    for url in FEEDS:
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}")
            continue
        try:
            tree = ET.fromstring(response.content)
        except ET.ParseError as error:
            problems.append(f"{url}: not well-formed XML: {error}")
            continue
        texts = {el.text for el in tree.iter() if el.text}
        if "explainers" in url and xml_safe(desk.explainer.title) not in texts:
            problems.append(f"{url}: the title is not there as text")
    for url in (
        f"/api/v1/claims/{desk.claim.pk}/",
        f"/api/v1/explainers/{desk.explainer.pk}/",
        "/api/v1/claimreviews/",
    ):
        response = client.get(url)
        body = response.json()
        if url.startswith("/api/v1/claims/") and body["quote"] != desk.claim.quote:
            problems.append(f"{url}: the quote changed")
        if "/explainers/" in url and body["body"] != desk.explainer.body:
            problems.append(f"{url}: the body changed")
    assert not problems, "\n".join(problems)
