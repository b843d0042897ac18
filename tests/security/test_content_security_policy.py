"""The Content-Security-Policy: every kind of page sends it, and no page we render has an
inline script without the response's nonce, an inline event handler or a javascript: link.

The pages are those of the demo desk (`load_demo`), for readers, desk staff and API
consumers. tests/browser/test_content_security_policy.py loads some of them in Chromium as
well.
"""

from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.devtools import demo
from claims.models import Article, Claim, Explainer, Verification

# Scripts browsers never run, which the policy's script rules do not concern.
DATA_BLOCK_TYPES = {"application/ld+json", "application/json"}


def parse_policy(header):
    """{'script-src': ["'self'", "'nonce-…'"], …} from a Content-Security-Policy header."""
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class ScriptFinder(HTMLParser):
    """Collects a page's script elements, inline event handlers and javascript: addresses."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts = []  # (attributes, text)
        self.handlers = []  # (tag, attribute)
        self.javascript_urls = []  # (tag, attribute, value)
        self._open_script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in {"href", "src", "action", "formaction", "xlink:href"} and value:
                if value.strip().lower().replace("\t", "").startswith("javascript:"):
                    self.javascript_urls.append((tag, name, value))
        if tag == "script":
            self._open_script = (attributes, [])

    def handle_data(self, data):
        if self._open_script is not None:
            self._open_script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open_script is not None:
            attributes, text = self._open_script
            self.scripts.append((attributes, "".join(text)))
            self._open_script = None


def find_scripts(html):
    finder = ScriptFinder()
    finder.feed(html)
    finder.close()
    return finder


@pytest.fixture
def demo_desk(db):
    call_command("load_demo", stdout=StringIO())


def reader_pages():
    claim = Claim.objects.get(slug=demo.CAPTURE_CLAIM)
    explainer = Explainer.objects.get(slug="why-toretsk-matters")
    place = explainer.places.first()
    source = claim.claimant
    return {
        "home": "/",
        "explainer": explainer.get_absolute_url(),
        "explainer list": reverse("site:explainers"),
        "claim": claim.get_absolute_url(),
        "claim list": reverse("site:claims"),
        "place": reverse("site:place", kwargs={"slug": place.slug}),
        "source": reverse("site:source", kwargs={"slug": source.slug}),
        "search": reverse("site:search") + "?q=Toretsk",
        "methodology": reverse("site:methodology"),
        "balance": reverse("site:balance"),
        "submit": reverse("site:submit"),
        "not found": "/no-such-page/",
        "admin login": reverse("admin:login"),
        "api docs": reverse("api:docs"),
        "api redoc": reverse("api:redoc"),
    }


def desk_pages():
    claim = Claim.objects.get(slug=demo.CAPTURE_CLAIM)
    verification = Verification.objects.filter(claim=claim).order_by("pk").first()
    explainer = Explainer.objects.get(slug="why-toretsk-matters")
    article = Article.objects.order_by("pk").first()
    draft = Explainer.objects.exclude(status=Explainer.Status.PUBLISHED).order_by("pk").first()
    return {
        "admin index": reverse("admin:index"),
        "admin claim list": reverse("admin:claims_claim_changelist"),
        "admin claim change form": reverse("admin:claims_claim_change", args=[claim.pk]),
        "admin claim add form": reverse("admin:claims_claim_add"),
        "admin verification change form": reverse(
            "admin:claims_verification_change", args=[verification.pk]
        ),
        "admin explainer change form": reverse(
            "admin:claims_explainer_change", args=[explainer.pk]
        ),
        "admin article change form": reverse("admin:claims_article_change", args=[article.pk]),
        "admin article import": reverse("admin:claims_article_import"),
        "explainer preview": draft.get_absolute_url(),
        "browsable api": reverse("api:claim-list"),
        "api docs (staff)": reverse("api:docs"),
    }


def fetch_every_page(client, editor):
    """(name, response) for every page type, anonymous first, then as an editor."""
    responses = []
    for name, path in reader_pages().items():
        responses.append((name, client.get(path, HTTP_ACCEPT="text/html")))
    client.force_login(editor)
    for name, path in desk_pages().items():
        responses.append((name, client.get(path, HTTP_ACCEPT="text/html")))
    return responses


def test_every_page_type_sends_the_policy(client, demo_desk):
    editor = demo_desk_editor()
    for name, response in fetch_every_page(client, editor):
        assert response.status_code in (200, 404), (name, response.status_code)
        assert "Content-Security-Policy" in response, name
        policy = parse_policy(response["Content-Security-Policy"])
        assert policy["object-src"] == ["'none'"], name
        assert policy["base-uri"] == ["'none'"], name
        assert policy["frame-ancestors"] == ["'none'"], name
        assert policy["default-src"] == ["'self'"], name
        script_src = policy["script-src"]
        assert "'self'" in script_src, name
        assert not {"'unsafe-inline'", "'unsafe-eval'", "data:", "*"} & set(script_src), name
        assert all(source == "'self'" or source.startswith("'nonce-") for source in script_src), (
            name,
            script_src,
        )


def test_no_inline_script_runs_without_the_nonce(client, demo_desk):
    editor = demo_desk_editor()
    seen = {"file": 0, "data block": 0, "inline": 0}
    for name, response in fetch_every_page(client, editor):
        policy = parse_policy(response["Content-Security-Policy"])
        nonces = {s[len("'nonce-") : -1] for s in policy["script-src"] if s.startswith("'nonce-")}
        found = find_scripts(response.content.decode())
        for attributes, text in found.scripts:
            if "src" in attributes:
                seen["file"] += 1
            elif attributes.get("type") in DATA_BLOCK_TYPES:
                seen["data block"] += 1
            else:
                seen["inline"] += 1
                assert attributes.get("nonce") in nonces, (name, attributes, text[:200])
        assert found.handlers == [], (name, found.handlers)
        assert found.javascript_urls == [], (name, found.javascript_urls)
    # The admin's and the docs' script files, JSON-LD on reader pages, and the Swagger UI
    # page's start-up script (with the nonce) were all seen.
    assert seen["file"] > 20 and seen["data block"] > 3 and seen["inline"] >= 1, seen


def test_reader_pages_allow_no_inline_styles_and_the_desk_does(client, demo_desk):
    reader = parse_policy(client.get("/")["Content-Security-Policy"])
    assert reader["style-src"] == ["'self'"]
    client.force_login(demo_desk_editor())
    desk = parse_policy(client.get(reverse("admin:index"))["Content-Security-Policy"])
    assert desk["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-inline'" not in desk["script-src"]


def test_a_cached_reader_page_carries_no_nonce(client, demo_desk):
    """Anonymous reader pages are kept in a shared cache, so they must not depend on a
    per-response nonce: they have no inline script that runs."""
    first = client.get("/")
    second = client.get("/")
    assert second.get("X-Reader-Cache") == "hit"
    for response in (first, second):
        assert "nonce-" not in response["Content-Security-Policy"]
        assert b"nonce=" not in response.content


def demo_desk_editor():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="editor")
