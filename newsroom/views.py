"""Project-level views that belong to no part of the desk."""

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
