"""The API's URLs, under /api/v1/ (namespace "api"), and its description and docs."""

from csp.constants import SELF
from csp.decorators import csp_update
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other address under /api/: the API's JSON 404, not the reader site's page."""
    return JsonResponse({"status": 404, "code": "not_found", "detail": "Not found."}, status=404)


router = DefaultRouter()
router.register("sources", views.SourceViewSet, basename="source")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("places", views.PlaceViewSet, basename="place")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("verifications", views.VerificationViewSet, basename="verification")
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("explainers", views.ExplainerViewSet, basename="explainer")
router.register("corrections", views.CorrectionViewSet, basename="correction")
router.register("claimreviews", views.ClaimReviewFeedViewSet, basename="claimreview")

urlpatterns = [
    path("v1/", include(router.urls)),
    # /api/v1/auth/ (logging in to the browsable API) is in newsroom/urls.py: DRF's templates
    # name its top-level "rest_framework" namespace.
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path(
        "redoc/",
        # Redoc runs its search index in a web worker it creates from a blob: address.
        csp_update({"worker-src": [SELF, "blob:"]})(
            SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
        ),
        name="redoc",
    ),
    # Last: unknown addresses ending in a slash (others get the slash appended first).
    re_path(r"^.*/$", not_found),
]
