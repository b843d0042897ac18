"""Checks shared by the reader-site tests."""

from html.parser import HTMLParser

from claims.web.cache import pieces

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
