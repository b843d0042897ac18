"""Absolute addresses of reader pages.

Each model names its own reader page (`get_absolute_url`); this gives it a host. Absolute
URLs use `SITE_URL` when it is set, so canonical links, feeds and structured data name the
public host whatever host the request came in on; without it they use the request's own.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def absolute_url(path, request=None):
    """`path` on the public host: SITE_URL when set, else the request's host."""
    base = getattr(settings, "SITE_URL", "")
    if base:
        return base.rstrip("/") + path
    if request is not None:
        return request.build_absolute_uri(path)
    return "http://localhost" + path


def fixed_path(name):
    """`reverse(name)` of a URL name that takes no arguments (the reader site's navigation,
    its feeds), reversed once per URLconf and script prefix: every reader page names some
    twenty such addresses, and reversing each every time was a tenth of a claim page's
    render."""
    # Outside a request no URLconf is set for the thread, and reverse() takes ROOT_URLCONF.
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _fixed_path(name, urlconf, get_script_prefix())


@lru_cache(maxsize=256)
def _fixed_path(name, urlconf, script_prefix):
    return reverse(name, urlconf=urlconf)
