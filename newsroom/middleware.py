"""Project-wide middleware: one spelling of the public host, the Content-Security-Policy
header, and private answers to requests with credentials and answers that set a cookie."""

from functools import lru_cache
from urllib.parse import urlsplit

from csp.constants import HEADER, HEADER_REPORT_ONLY, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.signals import setting_changed
from django.http.request import split_domain_port
from django.utils.cache import add_never_cache_headers, patch_vary_headers


@lru_cache(maxsize=4)
def _public_host(site_url):
    """(domain, host) of SITE_URL: its domain as Django compares hosts (lower case, no port,
    no trailing dot), and its host as written there (with its port, if it names one)."""
    host = urlsplit(site_url).netloc.lower()
    return split_domain_port(host)[0], host


def one_spelling_of_the_public_host(get_response):
    """A request for SITE_URL's host, however the Host header spells it (any port, any
    capitals, a trailing dot: Django accepts them all for a host in ALLOWED_HOSTS), reads as
    SITE_URL names it, for everything after.

    Pages name the public address (SITE_URL), and the reader cache keeps a page under the
    host it was asked for. Each spelling was a page of its own, rendered afresh: an outsider
    could ask `claims.example.org:1`, `:2`, … and have every page, the API's lists and the
    whole ClaimReview file rendered or put together again for each, with no limit. Now all
    spellings are one host, answered from one kept page; the API's own addresses, built on
    the request's host, are those of SITE_URL too. A request for another host (an app
    server's own name, a load balancer's probe) is left as it came; one for a host not in
    ALLOWED_HOSTS is still refused, since the domain it is checked by is unchanged.

    Only reads (GET, HEAD), which are all the reader cache keeps: a form posted from such a
    spelling carries the browser's Origin as spelt, which the CSRF check compares with the
    host, so a rewritten host refused every sign-in and every form of the desk there.

    First in the stack, so that the https redirect goes to the same spelling."""

    def middleware(request):
        if settings.SITE_URL and request.method in ("GET", "HEAD"):
            domain, host = _public_host(settings.SITE_URL)
            name = (
                "HTTP_X_FORWARDED_HOST"
                if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in request.META
                else "HTTP_HOST"
            )
            sent = request.META.get(name)
            if sent and sent != host and split_domain_port(sent)[0] == domain:
                request.META[name] = host
        return get_response(request)

    return middleware


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY), with inline styles allowed
    under settings.CSP_INLINE_STYLE_PATHS.

    The Django admin, DRF's browsable API, Swagger UI and Redoc set inline styles; an inline
    style cannot run code, so allowing them there keeps those pages whole without weakening
    the script rules. The reader site, where editors' text is shown to the public, keeps
    `style-src 'self'`.

    A page the reader cache answers early (claims.web.cache.middleware; `reader_kept`) was
    rendered with no nonce and sets no policy of its own, so its policy is the same for every
    such page: built once, and then copied (building it was a third of such an answer's cost).
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self.kept_page_headers = {}
        setting_changed.connect(self._forget_policies, weak=False)

    def _forget_policies(self, **kwargs):
        self.kept_page_headers.clear()

    def process_response(self, request, response):
        if not getattr(response, "reader_kept", False):
            return super().process_response(request, response)
        inline_styles = request.path_info.startswith(settings.CSP_INLINE_STYLE_PATHS)
        headers = self.kept_page_headers.get(inline_styles)
        if headers is None:
            response = super().process_response(request, response)
            names = (HEADER, HEADER_REPORT_ONLY)
            self.kept_page_headers[inline_styles] = [
                (n, response[n]) for n in names if n in response
            ]
            return response
        for name, value in headers:
            response.headers.setdefault(name, value)
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(settings.CSP_INLINE_STYLE_PATHS):
            update = dict(parts.update or {})
            update["style-src"] = [*update.get("style-src", ()), UNSAFE_INLINE]
            parts.update = update
        return parts


def private_answers_to_credentials(get_response):
    """Every answer to a request with credentials (a desk session, an API token) is for that
    user alone: `Cache-Control: private, no-cache, no-store, must-revalidate` and no
    Surrogate-Control, so that no shared cache keeps it and no browser stores it (desk staff
    see drafts: previews, the redirect to a draft's address, the API's desk fields). Every
    answer says `Vary: Cookie`, since the same address may answer a reader otherwise.

    After AuthenticationMiddleware, which gives the request its user. Whatever the view did,
    and whether it answered or raised (a 404 is an answer too), it is marked here.
    """

    def middleware(request):
        response = get_response(request)
        if "HTTP_AUTHORIZATION" in request.META or request.user.is_authenticated:
            # In place of whatever the view said (a kept reader page says `public`, `s-maxage`).
            if "Cache-Control" in response:
                del response["Cache-Control"]
            add_never_cache_headers(response)
            # Nor for a front cache: an answer from a kept reader page says how long one may
            # keep it (a request with an Authorization header alone is answered so).
            if "Surrogate-Control" in response:
                del response["Surrogate-Control"]
        if "Cookie" not in response.get("Vary", ""):
            patch_vary_headers(response, ("Cookie",))
        return response

    return middleware


def private_answers_that_set_cookies(get_response):
    """An answer that sets a cookie (the CSRF token of a form, such as the browsable API's
    login link or the reader's submission form, or a session) is for the client it was sent
    to: `Cache-Control: private, no-cache, no-store, must-revalidate`, and nothing for a front
    cache, whatever the view said. A shared cache that kept it would hand the same cookie to
    everyone after, or, for a cookie deleted, log them all out (the anonymous browsable API
    said `public, s-maxage=60` while setting a CSRF cookie). No reader page sets one.

    Outside the session and CSRF middleware, whose cookies are set as the answer passes
    them on its way out."""

    def middleware(request):
        response = get_response(request)
        # A cookie deleted too (a stale session's): a CDN keeping that answer would log out
        # everyone it served it to.
        if response.cookies:
            # As written afresh: what the view said (public, s-maxage) goes.
            for name in ("Cache-Control", "Surrogate-Control"):
                if name in response:
                    del response[name]
            add_never_cache_headers(response)
        return response

    return middleware
