"""Absolute addresses of reader pages.

Each model names its own reader page (`get_absolute_url`); this gives it a host. Absolute
URLs use `SITE_URL` when it is set, so canonical links, feeds and structured data name the
public host whatever host the request came in on; without it they use the request's own.
"""

from django.conf import settings


def absolute_url(path, request=None):
    """`path` on the public host: SITE_URL when set, else the request's host."""
    base = getattr(settings, "SITE_URL", "")
    if base:
        return base.rstrip("/") + path
    if request is not None:
        return request.build_absolute_uri(path)
    return "http://localhost" + path
