"""schema.org structured data (JSON-LD) for reader pages, built from data, never from text
templates.

`claim_review` describes a claim page with a published verdict (Google's and the IFCN's
ClaimReview), `news_article` an explainer, and `organization` the publisher. `script_tag`
serializes any of them into a `<script type="application/ld+json">` element, escaping `<`, `>`
and `&` the way Django's `json_script` does, so that no editor text can close the element.
"""

import datetime
import json
from typing import NamedTuple

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from claims import selectors
from claims.verdicts import BEST_RATING, WORST_RATING, verdict_info

from . import links
from .cache import pieces
from .cache.keys import kept_around
from .markdown import markdown_to_text

HEADLINE_MAX = 110  # NewsArticle headline guidance

# Claimants that are people rather than organisations.
PERSON_KINDS = {"official", "individual"}

_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_tag(*items):
    """`items` (dicts) as one safe `<script type="application/ld+json">` element."""
    data = (
        items[0] if len(items) == 1 else {"@context": "https://schema.org", "@graph": list(items)}
    )
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_ESCAPES)
    # `text` cannot end the element or open another: <, > and & are JSON escapes (_ESCAPES).
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # nosec B308 B703


def shorten(text, limit):
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def iso(value):
    return value.isoformat() if value else None


def _drop_empty(data):
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def organization(request=None, *, full=False):
    """The publishing organisation; `full` adds the policy pages an IFCN signatory links."""
    data = {
        "@type": "NewsMediaOrganization",
        "name": settings.DESK["ORGANISATION_NAME"],
        "url": links.absolute_url(reverse("site:home"), request),
    }
    if full:
        for prop, path in policy_pages().items():
            data[prop] = links.absolute_url(path, request)
    return data


# The publisher's policy properties and the standing page that states each.
POLICY_PAGES = {
    "publishingPrinciples": "methodology",
    "verificationFactCheckingPolicy": "methodology",
    "correctionsPolicy": "corrections-policy",
    "ownershipFundingInfo": "ownership-and-funding",
}


def policy_pages():
    """{property: path} for each policy whose page readers can see (methodology always)."""
    existing = set(selectors.standing_pages_for_readers().values_list("kind", flat=True))
    existing.add("methodology")  # the verdict scale is there even before editors write text
    paths = {}
    for prop, kind in POLICY_PAGES.items():
        if kind in existing:
            paths[prop] = (
                reverse("site:methodology")
                if kind == "methodology"
                else reverse("site:standing-page", kwargs={"kind": kind})
            )
    return paths


def organization_document(request=None):
    return {"@context": "https://schema.org", **organization(request, full=True)}


def _claimant(source):
    data = {
        "@type": "Person" if source.kind in PERSON_KINDS else "Organization",
        "name": source.public_name,
    }
    if source.home_url and not source.is_confidential:
        data["url"] = data["sameAs"] = source.home_url
    return data


class Work(NamedTuple):
    """An appearance of a claim as its ClaimReview names it: the article as a CreativeWork
    (a dict never changed in place, without `archivedAt`, which comes from the verdicts'
    evidence) and when it was published. Plain values, so that they can be kept apart from
    the verdicts (`kept_appearance_works`)."""

    work: dict
    published_at: datetime.datetime | None


def appearance_works(claim):
    """The `Work` of each of `claim`'s appearances (loaded with article and outlet), oldest
    article first, undated ones last."""
    appearances = sorted(
        claim.appearances.all(),
        key=lambda a: (a.article.published_at is None, a.article.published_at, a.pk),
    )
    return tuple(
        Work(
            _drop_empty(
                {
                    "@type": "CreativeWork",
                    "url": a.article.url or None,
                    "headline": a.article.headline,
                    "datePublished": iso(a.article.published_at),
                    "author": _claimant(a.article.outlet) if a.article.outlet else None,
                }
            ),
            a.article.published_at,
        )
        for a in appearances
    )


def kept_appearance_works(claims):
    """`appearance_works` of each of `claims` (model instances), each kept as a piece of its
    own while a reader page or API read is rendered (claims.web.cache.pieces), under the keys
    of its appearances, articles and outlets and `claim-<id>-around` (`keys.kept_around`),
    not the claim's own: a verdict leaves it as it was, so a claim page or a feed item made
    again after one reads the claim's verdicts alone. The claims whose works are not kept
    get their appearances loaded (`selectors.appearance_prefetches`), unless they have them."""

    def load(missing):
        wanted = [claims[index] for index in missing]
        prefetch_related_objects(wanted, *selectors.appearance_prefetches())
        return wanted

    def build(loaded):
        return [appearance_works(claim) for claim in loaded]

    names = [("jsonld:appearance-works", claim.pk) for claim in claims]
    return pieces.kept_or_built(
        names, load, build, lambda claim: kept_around(claim, claim.appearances.all())
    )


def archived_copy(item):
    """(address, archived copy) of the piece of evidence `item` if it has both, else None:
    an article's archived copy is known when evidence cites the article's address."""
    return (item.url, item.archived_url) if item.url and item.archived_url else None


def archived_copies(verification):
    """`archived_copy` of each piece of `verification`'s evidence that has one (its
    `reader_evidence` loaded)."""
    return tuple(filter(None, map(archived_copy, verification.reader_evidence)))


def claim_review(claim, request=None, works=None, archived=None):
    """ClaimReview of `claim`'s current verdict, or None while it has none.

    `claim` must carry the reader prefetches (`published_verifications`, with their evidence
    unless `archived`, the `archived_copies` of each verdict, oldest first, are given; and
    `appearances` unless `works`, its `appearance_works`, are given).
    """
    verifications = claim.published_verifications
    if not verifications:
        return None
    current, first = verifications[-1], verifications[0]
    info = verdict_info(current.verdict)
    if archived is None:
        archived = [archived_copies(verification) for verification in verifications]
    archived = dict(pair for copies in archived for pair in copies)  # a later verdict's last
    if works is None:
        works = appearance_works(claim)
    shown = [
        {**w.work, "archivedAt": archived[w.work["url"]]}
        if w.work.get("url") in archived
        else w.work
        for w in works
    ]
    item_reviewed = _drop_empty(
        {
            "@type": "Claim",
            "author": _claimant(claim.claimant),
            "datePublished": claim.claimed_on.isoformat(),
            "appearance": shown,
            "firstAppearance": _first_appearance(claim, works, shown),
        }
    )
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": links.absolute_url(claim.get_absolute_url(), request),
        # The whole statement: a cut one misstates what was claimed.
        "claimReviewed": " ".join(claim.statement.split()),
        "datePublished": iso(first.published_at),
        # A new verdict, or a published revision of the claim's wording (an update or a
        # correction), whichever came last.
        "dateModified": iso(
            max(d for d in (current.published_at, claim.last_substantive_update) if d)
        ),
        "author": organization(request),
        "reviewRating": {
            "@type": "Rating",
            "name": info.label,
            "ratingValue": info.rating,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": info.label,
            "ratingExplanation": markdown_to_text(current.rationale),
        },
        "itemReviewed": item_reviewed,
    }


def _first_appearance(claim, works, shown):
    """The earliest appearance, when it is dated the day the claim was made: the claim's
    first appearance. One dated later is only an appearance (the claim was made somewhere the
    desk has no article for), and claiming otherwise would contradict `datePublished`."""
    if not works or works[0].published_at is None:
        return None
    if timezone.localtime(works[0].published_at).date() != claim.claimed_on:
        return None
    return shown[0]


def news_article(explainer, corrections=(), request=None):
    """NewsArticle of a live explainer; a correction or update moves `dateModified`."""
    published = explainer.first_published_at or explainer.publish_at
    modified = max(
        [d for d in [explainer.last_substantive_update, published] if d]
        + [c.published_at for c in corrections],
        default=None,
    )
    authors = [
        {"@type": "Person", "name": a.get_full_name()}
        for a in explainer.authors.all()
        if a.get_full_name()
    ] or [organization(request)]
    url = links.absolute_url(explainer.get_absolute_url(), request)
    return _drop_empty(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": shorten(explainer.title, HEADLINE_MAX),
            "description": explainer.standfirst,
            "url": url,
            "mainEntityOfPage": url,
            "datePublished": iso(published),
            "dateModified": iso(modified),
            "author": authors,
            "publisher": organization(request),
            "inLanguage": "en-GB",
            "isAccessibleForFree": True,
            "about": [{"@type": "Place", "name": place.name} for place in explainer.places.all()],
        }
    )
