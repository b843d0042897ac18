"""Project-level views that belong to no part of the desk."""

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """200 "ok" while this app server can answer requests.

    It touches neither the database nor the cache, so a load balancer keeps sending traffic
    to a worker whose database is briefly away (reader pages then fail on their own), and the
    benchmark uses it as the ceiling of any Django page: the full middleware stack, no I/O.
    """
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@never_cache
def readyz(request):
    """200 "ok" while this app server can reach its database, else 503: what a front cache
    probes (docs/varnish/claimsdesk.vcl), so that when the database is away it serves the
    pages it holds, however old, instead of asking the app servers for pages they cannot
    make. Load balancers probe /healthz, which keeps a worker in service meanwhile."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse(
            "database unavailable\n", status=503, content_type="text/plain; charset=utf-8"
        )
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
