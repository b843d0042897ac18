"""Editor Markdown to safe HTML: the one place where editor text becomes markup.

markdown-it-py parses CommonMark with raw HTML switched off (so `<script>` typed by an editor
is shown as text), then nh3 sanitizes the result against an allow-list of tags, attributes and
URL schemes before it is marked safe. Both steps run on every render: the parser guards
against HTML, the sanitizer against anything the parser lets through (links with odd schemes,
attributes from plugins).

The result depends on nothing but the text and the heading level, so each worker keeps the
most recently rendered texts in memory, keyed by the text itself: an edited text is a new
key, so nothing can be served stale, and a page of 50 claims no longer parses and sanitizes
the same rationales and notes on every request.
"""

from functools import lru_cache
from html import unescape

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "blockquote",
        "br",
        "code",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
        "del",
        "s",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


@lru_cache(maxsize=1)
def _parser():
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    # A picture would load from someone else's server as the page opens; show a link to it.
    md.add_render_rule("image", _image_as_link)
    return md


def _image_as_link(renderer, tokens, idx, options, env):
    token = tokens[idx]
    alt = renderer.renderInlineAsText(token.children or [], options, env) or "image"
    src = escapeHtml(token.attrGet("src") or "")
    return f'<a href="{src}">{escapeHtml(alt)} (image)</a>'


# Texts rendered per worker: a few thousand notes and rationales; big enough for every text
# on a busy page and the pages around it, small enough to stay a few megabytes.
RENDERED_CACHE_SIZE = 4096
# Longer texts are rendered every time, so the cache stays small whatever editors paste.
CACHED_TEXT_LIMIT = 20_000


def render_markdown(text, *, top_heading=2):
    """Editor Markdown `text` as sanitized HTML, marked safe for templates.

    Headings are shifted so the highest one in the text becomes `top_heading`, whether the
    editor started at "#" or "##": inside a page whose title is the h1 the text's headings
    start at h2, keeping the page's headings in order.
    """
    if not text:
        return mark_safe("")  # nosec B308 # a constant empty string
    text = str(text)
    render = _sanitized_html if len(text) <= CACHED_TEXT_LIMIT else _sanitized_html.__wrapped__
    return mark_safe(render(text, top_heading))  # nosec B308 B703 # sanitized by nh3 below


@lru_cache(maxsize=RENDERED_CACHE_SIZE)
def _sanitized_html(text, top_heading):
    md = _parser()
    tokens = md.parse(text)
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    shift = top_heading - min(levels) if levels else 0
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + shift, 6)
            token.tag = f"h{level}"
    html = md.renderer.render(tokens, md.options, {})
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
        filter_style_properties={"text-align"},
    )
    return clean


def markdown_to_text(text):
    """Editor Markdown as plain text (for snippets and structured data): rendered and
    sanitized as above, then tags dropped and entities turned back into characters."""
    if not text:
        return ""
    text = str(text)
    return (_plain_text if len(text) <= CACHED_TEXT_LIMIT else _plain_text.__wrapped__)(text)


@lru_cache(maxsize=RENDERED_CACHE_SIZE)
def _plain_text(text):
    return " ".join(unescape(strip_tags(render_markdown(text))).split())
