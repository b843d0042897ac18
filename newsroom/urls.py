"""The project's URLs: the desk (admin), the REST API and its docs, and the reader site."""

from django.contrib import admin
from django.urls import include, path

from claims.api.urls import not_found as api_not_found
from newsroom import views

urlpatterns = [
    # For load balancers and uptime checks: the app server answers (no database, no cache).
    path("healthz", views.healthz, name="healthz"),
    # For the front cache's probe (docs/varnish/claimsdesk.vcl): the database answers too.
    path("readyz", views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # Log in and out of the browsable API with a desk account (session + CSRF). At the top
    # level because DRF's templates reverse "rest_framework:login" (and the API's catch-all
    # 404 below would take the address otherwise).
    path("api/v1/auth/", include("rest_framework.urls", namespace="rest_framework")),
    # The REST API (/api/v1/), its OpenAPI schema and docs (/api/schema/, /api/docs/, /api/redoc/).
    path("api/", include("claims.api.urls")),
    path("api", api_not_found),
    path("", include("claims.site.urls")),
]

# Every PermissionDenied (admin, site) is logged to `claims.security`, then answered with
# Django's own 403 page.
handler403 = "claims.security.permission_denied"
# Every other uncaught exception gets Django's 500 page, except the database being away or
# staying busy, which newsroom.outage.DatabaseOutageMiddleware (settings.MIDDLEWARE) answers
# with a 503 "back shortly" page (JSON under /api/) with Retry-After.
