"""Atom and RSS feeds of explainers and of new verdicts (django.contrib.syndication).

Items come from `claims.selectors`, so a feed lists only what readers may see. Their text is
the desk's, less the control characters XML 1.0 cannot carry (which would make the feed
impossible to write).
"""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claims import selectors
from claims.verdicts import verdict_info
from claims.web import links

from . import presenters

FEED_LENGTH = 30

# Characters that have no place in an XML 1.0 document, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text):
    """`text` without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", text)


def public(path):
    """`path` on SITE_URL when it is set; otherwise the feed framework adds the request's
    host."""
    return links.absolute_url(path) if settings.SITE_URL else path


class ReaderFeed(Feed):
    """What every feed of the reader site shares: items link to their reader pages, on
    SITE_URL when it is set, and the desk is the author. The feed names its own address
    (Atom's `rel="self"`) on SITE_URL too: Django's feeds write it on the Host the request
    came with, which a client chooses, and the page is kept for everyone who asks after."""

    url_name = None  # the feed's own route (claims/site/urls.py)

    def feed_url(self):
        return public(reverse(f"site:{self.url_name}"))

    def item_link(self, item):
        return public(item.get_absolute_url())

    def item_author_name(self, item):
        return settings.DESK["ORGANISATION_NAME"]


class ExplainersFeed(ReaderFeed):
    """The latest explainers, as RSS 2.0."""

    description = "Explainers on the claims made about the war in eastern Ukraine."
    url_name = "feed-explainers-rss"

    def title(self):
        return f"{settings.DESK['ORGANISATION_NAME']}: explainers"

    def link(self):
        return public(reverse("site:explainers"))

    def items(self):
        return selectors.explainers_for_readers().order_by("-publish_at", "-id")[:FEED_LENGTH]

    def item_title(self, item):
        return xml_text(item.title)

    def item_description(self, item):
        return xml_text(item.standfirst)

    def item_pubdate(self, item):
        return item.first_published_at or item.publish_at

    def item_updateddate(self, item):
        return item.last_substantive_update or item.publish_at


class ExplainersAtomFeed(ExplainersFeed):
    """The latest explainers, as Atom 1.0."""

    feed_type = Atom1Feed
    subtitle = ExplainersFeed.description
    url_name = "feed-explainers-atom"


class VerdictsFeed(ReaderFeed):
    """Every newly published verdict, newest first, as RSS 2.0: a verdict that changes
    (Unconfirmed, then Disputed) appears once for each change."""

    description = "New and changed verdicts on claims about the war in eastern Ukraine."
    url_name = "feed-verdicts-rss"

    def title(self):
        return f"{settings.DESK['ORGANISATION_NAME']}: new verdicts"

    def link(self):
        return public(reverse("site:claims"))

    def items(self):
        return selectors.latest_verifications_for_readers()[:FEED_LENGTH]

    def item_title(self, item):
        return xml_text(f"{item.get_verdict_display()}: {item.claim.statement}")

    def item_description(self, item):
        return xml_text(f"{presenters.attribution(item)} {verdict_info(item.verdict).definition}")

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        """The verdict's time, or a later published revision of the claim's wording."""
        changed = item.claim.last_substantive_update
        return max(item.published_at, changed) if changed else item.published_at


class VerdictsAtomFeed(VerdictsFeed):
    """Every newly published verdict, as Atom 1.0."""

    feed_type = Atom1Feed
    subtitle = VerdictsFeed.description
    url_name = "feed-verdicts-atom"
