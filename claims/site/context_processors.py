from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from claims import selectors
from claims.web.cache import pieces
from claims.web.cache.keys import shows
from claims.web.links import absolute_url


def standing_page_links():
    """(title, path) of each standing page other than methodology, which has its own link;
    a page that shows them lists the standing pages (a new one purges it). Kept as a piece
    of the reader pages (claims.web.cache.pieces), which show them all."""
    return pieces.piece(("site/standing-page-links",), _standing_page_links)


def _standing_page_links():
    shows("pages")
    return tuple(
        (page.title, reverse("site:standing-page", kwargs={"kind": page.kind}))
        for page in selectors.standing_pages_for_readers().exclude(kind="methodology")
    )


def reader_site(request):
    """What every reader page needs: the publisher's name, the page's canonical address and
    the links to the standing pages (looked up only when a template shows them).

    A view that knows a better canonical address (without a page number, say) passes its own
    `canonical_url`, which wins over this one.
    """
    return {
        "desk_name": settings.DESK["ORGANISATION_NAME"],
        "canonical_url": absolute_url(request.path, request),
        "standing_page_links": SimpleLazyObject(standing_page_links),
    }
