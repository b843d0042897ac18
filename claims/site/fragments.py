"""Rendered claim cards and other pieces of reader pages, kept by each worker and keyed by
everything they show.

A card (`site/includes/claim_card.html`) is a pure function of the rows it is rendered from
(the claim, its claimant, its published verifications with their evidence, the evidence's
sources and captures), what it shows of the claim's appearances (plain values,
`presenters.appearances_shown`), the explainer's context note, and the reader's language,
time zone, the current year (short dates leave it out in the year they fall in) and the
site's script prefix. The key is a digest of all of that: every concrete field of every one
of those rows, so any edit, publish, correction or deletion a reader would see makes a new
key and the old card is simply never asked for again. Nothing is ever invalidated, so
nothing can be stale; what goes is pushed out by newer cards (least recently used first,
`FRAGMENT_CACHE_BYTES` a worker).

The rows are still loaded (the key is made from them); what a hit saves is rendering the card,
which was about three fifths of the explainer's CPU. When the reader cache renders an
explainer, each claim's card is first looked up among the worker's kept pieces
(`claims.web.cache.pieces`, site/views.py `explainer_claims`), which skip loading the claim's
rows as well, so that a verdict on one claim loads and renders that claim's card alone; the
cards here serve the rest (a piece expired or purged by a change that left the card as it
was, a logged-in reader's page). Previews are never cached: a desk preview renders every card
afresh and a reader page never gets a card a preview rendered.
"""

import hashlib
import threading
from collections import OrderedDict
from functools import lru_cache

from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from claims.web.cache import pieces
from claims.web.cache.keys import ALL

FRAGMENT_CACHE_BYTES = 16 * 1024 * 1024


class FragmentCache:
    """A least-recently-used map of key to HTML text, bounded by the text's size."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.size = 0
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            html = self._items.get(key)
            if html is not None:
                self._items.move_to_end(key)
            return html

    def set(self, key, html):
        cost = len(html)
        if cost > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= len(old)
            self._items[key] = html
            self.size += cost
            while self.size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self.size -= len(dropped)

    def clear(self):
        with self._lock:
            self._items.clear()
            self.size = 0


kept = FragmentCache(FRAGMENT_CACHE_BYTES)


@lru_cache(maxsize=64)
def _attnames(model):
    return tuple(field.attname for field in model._meta.concrete_fields)


def _row(obj):
    """A model instance as the values of all its concrete fields, labelled with its model."""
    if obj is None:
        return None
    values = obj.__dict__
    return (obj._meta.label, tuple(values.get(name) for name in _attnames(type(obj))))


def claim_card_key(claim, context_note, appearances):
    """The digest of everything `claim_card.html` shows for `claim` (see the module doc)."""
    rows = [_row(claim), _row(claim.claimant), context_note, appearances]
    for verification in claim.published_verifications:
        rows.append(_row(verification))
        for item in verification.reader_evidence:
            rows += [_row(item), _row(item.source)]
            rows += [_row(capture) for capture in item.reader_captures]
    return _digest(rows)


def rendered(template_name, values, key, shows=None, *, preview=False):
    """`template_name` rendered with `values()` (called only when the fragment is rendered),
    from the worker's kept fragments when one was made under the same `key()` (a digest of
    everything the fragment shows), else rendered and kept. A desk preview always renders
    afresh and keeps nothing. When the benchmark asks for a render as after a change
    (pieces.rendering_after), a fragment showing any of the keys it takes for purged
    (`shows`; None: any) is rendered afresh, as the change would have made it."""
    if preview:
        return render_to_string(template_name, values())
    name = f"{template_name}:{key()}"
    html = None if pieces.taken_for_purged(shows) else kept.get(name)
    if html is None:
        html = render_to_string(template_name, values())
        kept.set(name, html)
    return mark_safe(html)  # nosec B308 B703 # the template's own autoescaped output


def claim_card(claim, context_note, appearances, *, preview=False):
    """The HTML of `claim`'s card with `context_note` and `appearances`
    (`presenters.appearances_shown`): `rendered`, keyed by the rows."""
    return rendered(
        "site/includes/claim_card.html",
        lambda: {"claim": claim, "context_note": context_note, "appearances": appearances},
        lambda: claim_card_key(claim, context_note, appearances),
        (ALL, f"claim-{claim.pk}"),
        preview=preview,
    )


def sources_cited_panel(sources_cited, *, preview=False):
    """The HTML of an explainer's "Sources cited" panel (`rendered`, keyed by the list)."""
    return rendered(
        "site/includes/sources_cited.html",
        lambda: {"items": sources_cited_items(sources_cited)},
        lambda: sources_cited_key(sources_cited),
        preview=preview,
    )


def sources_cited_items(sources_cited):
    """The panel's list items, one a source: its name (a link to its page when it has one)
    and its roles, every value escaped. Written here rather than in a template loop: an
    explainer cites a few hundred sources, and the loop was most of the template work of a
    re-render; and with `escape` rather than `format_html` for each, whose checks for
    already-safe text took two thirds of the panel's 1.2 ms for 158 sources."""
    return mark_safe(  # nosec B308 B703 # every value below is escaped
        "\n".join(
            (
                f'<li><a href="{escape(source.path)}">{escape(source.name)}</a>'
                if source.path
                else f"<li>{escape(source.name)}"
            )
            + f' <span class="meta">({escape(", ".join(source.roles))})</span></li>'
            for source in sources_cited
        )
    )


def sources_cited_key(sources_cited):
    """The digest of an explainer's "Sources cited" list (names, addresses and roles)."""
    return _digest([(c.name, c.path, tuple(c.roles)) for c in sources_cited])


def _digest(rows):
    """`rows` and what else a reader's fragment depends on: the language, the time zone, the
    year (short dates leave out the current one) and the script prefix of its links."""
    rows.append(
        (
            get_language(),
            timezone.get_current_timezone_name(),
            timezone.localdate().year,
            get_script_prefix(),
        )
    )
    return hashlib.blake2b(repr(rows).encode(), digest_size=20).hexdigest()
