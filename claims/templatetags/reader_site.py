"""Template filters and tags for the reader site (`{% load reader_site %}`)."""

import datetime
from urllib.parse import quote_plus

from django import template

from claims.site import presenters
from claims.verdicts import NOT_YET_ASSESSED, verdict_info
from claims.web.links import fixed_path
from claims.web.markdown import render_markdown

register = template.Library()


@register.filter
def query_value(value):
    """`value` encoded for a link's query as a browser's form and the reader cache write it
    (a space as `+`; Django's |urlencode writes `%20`, a spelling the cache answers but no
    shared cache keeps: claims.web.cache.store.read_as_written)."""
    return quote_plus(str(value))


@register.filter
def markdown(text):
    """Editor Markdown as sanitized HTML; headings start at h3 (inside a page section)."""
    return render_markdown(text, top_heading=3)


@register.filter
def markdown_in_card(text):
    """Editor Markdown inside a card whose title is an h3; its headings start at h4."""
    return render_markdown(text, top_heading=4)


@register.filter
def markdown_body(text):
    """Editor Markdown for a page's main body; headings start at h2."""
    return render_markdown(text, top_heading=2)


@register.simple_tag
def fixed_url(name):
    """`{% url name %}` for a URL name without arguments, reversed once per URLconf and
    script prefix (`claims.web.links.fixed_path`)."""
    return fixed_path(name)


@register.filter
def local_date(value):
    return presenters.local_date(value)


@register.filter
def html_datetime(value):
    """A time for a `<time datetime>` attribute as HTML allows it: in UTC, to the second
    (HTML takes at most three decimals and an offset in whole minutes)."""
    if not value:
        return ""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@register.filter
def short_date(value):
    return presenters.short_date(value)


@register.filter
def attribution(verification):
    return presenters.attribution(verification)


@register.filter
def verdict_history(claim):
    return presenters.verdict_history(claim)


@register.inclusion_tag("site/includes/verdict_badge.html")
def verdict_badge(verdict, size=""):
    """The verdict as symbol and words (never colour alone), for a stored verdict value."""
    info = verdict_info(verdict) if verdict else None
    return {
        "value": verdict or "none",
        "label": info.label if info else NOT_YET_ASSESSED,
        "symbol": info.symbol if info else "…",
        "size": size,
    }


@register.inclusion_tag("site/includes/source_name.html")
def source_name(source):
    """A source's public name, linked to its page when it has one (never for confidential)."""
    return {
        "name": source.public_name if source else "",
        "path": source.get_absolute_url() if source else None,
    }


@register.filter
def web_url(url):
    """`url` if it is an http(s) address, else "": stored links never become script links."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""
