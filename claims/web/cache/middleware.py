"""The early path: a kept page answered before the middleware stack runs.

A reader's request for a page the cache holds needs no session, no CSRF check, no user, no
history, no messages: only the page and its headers. `KeptPageMiddleware` sits right after
the security, CORS, static-file and Content-Security-Policy middleware (whose headers every
answer gets on its way out) and the database-outage one (reading the schedule may need the
database, which may be away) and answers such a request from the cache with the headers the
rest of the stack would have added (X-Frame-Options, Content-Length, Vary: Cookie; the test
compares the two answers header by header). Anything else goes on down the stack as before:
a request with a session cookie (the desk) or credentials, a method other than GET or HEAD,
the benchmark's bypass, and any page this worker holds no copy of: a page not kept
(rendered by its view, which keeps it), one kept only in the shared cache (its view's
decorator serves it), and the searches each worker keeps for itself.
"""

from django.conf import settings

from .decorators import kept_answer
from .store import bypasses_cache, local_pages, page_key


def _for_a_reader(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not bypasses_cache(request)
    )


class KeptPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _for_a_reader(request):
            key = page_key(request)
            # Only pages this worker holds a copy of (of some version): the popular ones.
            # Any other address goes down the stack without a round trip to the cache here
            # (an admin page, an API call, a page not kept); its view looks it up if it may.
            if key in local_pages:
                _, _, kept = kept_answer(request, key)
                if kept is not None:
                    return self.as_the_stack_would(kept)
        return self.get_response(request)

    @staticmethod
    def as_the_stack_would(response):
        # What the middleware this answer skips would have added to it: Django's
        # clickjacking protection and CommonMiddleware's length. (Vary: Cookie is part of
        # the kept page's headers; a reader gets no session and no CSRF cookie from a page.)
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS.upper())
        response.reader_kept = True  # its policy is every kept page's (newsroom.middleware)
        if not response.streaming:
            response.headers.setdefault("Content-Length", str(len(response.content)))
        return response
