from django.conf import settings

from .links import absolute_url


def reader_site(request):
    """What every reader page needs: the publisher's name and the page's canonical address.

    A view that knows a better canonical address (without a page number, say) passes its own
    `canonical_url`, which wins over this one.
    """
    return {
        "desk_name": settings.DESK["ORGANISATION_NAME"],
        "canonical_url": absolute_url(request.path, request),
    }
