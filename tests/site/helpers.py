"""Checks shared by the reader-site tests."""

import datetime
import difflib
import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path

from django.utils import timezone

from claims.site import fragments
from claims.web.cache import pieces
from claims.web.cache.version import purge_all, purge_log

FORBIDDEN_TAGS = {"script", "iframe", "img", "svg", "style", "object", "embed", "form", "base"}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "/", "#", "?")


class _ActiveContentFinder(HTMLParser):
    def __init__(self, allowed_tags):
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.problems = []
        self.json_ld = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
        elif tag in FORBIDDEN_TAGS and tag not in self.allowed_tags:
            self.problems.append(f"<{tag}> {attrs}")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                if not value.strip().lower().startswith(SAFE_SCHEMES):
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(data)


def active_content(html, allowed_tags=()):
    """Every script, frame, image, event handler or non-web link in `html`, as a list of
    descriptions (empty when the markup is inert). JSON-LD script blocks are allowed."""
    finder = _ActiveContentFinder(set(allowed_tags))
    finder.feed(html)
    finder.close()
    return finder.problems


def kept_cards(claim):
    """{verification id: kept piece} of `claim`'s verdict cards (claims.site.views.verdict_cards)
    in this worker."""
    ids = set(claim.verifications.values_list("pk", flat=True))
    return {
        name[0][1]: found
        for name, found in pieces.kept._items.items()
        if name[0][0] == "site/claim_detail:verdict" and name[0][1] in ids
    }


LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def claim_review_in(page):
    """The ClaimReview a page's structured data carries (`page`: its text), or None; never
    more than one."""
    found = [d for d in map(json.loads, LD_JSON.findall(page)) if "reviewRating" in d]
    assert len(found) <= 1, found
    return found[0] if found else None


def same_as_fresh(client, urls, label=""):
    """Each of `urls` (one address, or a list) as served now, with whatever is kept, equals
    the page made with nothing kept, byte for byte, status and all; a failure shows the lines
    that differ. Returns the page's text (for a list, {url: text})."""

    def get(url):
        response = client.get(url)
        return response.status_code, response.content.decode()

    listed = [urls] if isinstance(urls, str) else list(urls)
    served = {url: get(url) for url in listed}
    pieces.kept.clear()
    fragments.kept.clear()
    purge_all()
    for url in listed:
        fresh = get(url)
        assert served[url][0] == fresh[0], f"{label}: {url} status"
        lines = fresh[1].splitlines(), served[url][1].splitlines()
        diff = "\n".join(difflib.unified_diff(*lines, "fresh", "served", lineterm="", n=1))
        assert served[url][1] == fresh[1], f"{label}: {url} differs from a fresh render:\n{diff}"
    pages = {url: page for url, (_, page) in served.items()}
    return pages[urls] if isinstance(urls, str) else pages


def fixed_url_names():
    """Every URL name the reader templates give `{% fixed_url %}`, sorted."""
    templates = Path(__file__).resolve().parents[2] / "templates" / "site"
    found = set()
    for template in templates.rglob("*.html"):
        found.update(re.findall(r"{% fixed_url '([^']+)' %}", template.read_text()))
    return sorted(found)


def come_due(explainer, monkeypatch):
    """Move the clock to a second after scheduled `explainer`'s time (Django's and the purge
    log's), so that the next request finds it due; the time it moved to."""
    explainer.refresh_from_db()
    due = explainer.publish_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: due)
    monkeypatch.setattr(time, "time", lambda: due.timestamp())
    purge_log.forget()  # the check time has passed
    return due


def history(response):
    """The "Verdict history" section of a claim page (`response`)."""
    return _section(response, r'<section aria-labelledby="history-heading">')


def corrections_section(response):
    """The "Corrections and updates" section of a claim or explainer page (`response`)."""
    return _section(response, r'<section aria-labelledby="corrections"')


def _section(response, opening):
    found = re.search(opening + r".*?</section>", response.content.decode(), re.S)
    return found.group(0)
