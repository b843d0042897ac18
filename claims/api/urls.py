"""The API's URLs, under /api/v1/ (namespace "api"), and its description and docs."""

import json

from csp.constants import SELF
from csp.decorators import csp_update
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, include, path, re_path, resolve
from django.utils.http import escape_leading_slashes
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import conditional_page
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from claims.web.cache.decorators import reader_cache

from .exceptions import JSONErrorsMixin, problem_response
from .views.claims import ClaimViewSet
from .views.explainers import CorrectionViewSet, ExplainerViewSet
from .views.feed import ClaimReviewFeedViewSet, claim_review_file
from .views.revisions import RevisionViewSet
from .views.sources import ArticleViewSet, PlaceViewSet, SourceViewSet
from .views.verifications import EvidenceViewSet, VerificationViewSet

app_name = "api"


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other address under /api/, whatever its characters and method: the API's JSON 404,
    not the reader site's page.

    An address that lacks only its final slash is sent to the one with it, as Django's
    APPEND_SLASH does elsewhere (which can not see them, this view answering every address):
    301 for GET and HEAD, 308 for other methods, which keeps the method and the body where a
    301 would lose them.
    """
    with_slash = _with_final_slash(request)
    if with_slash is not None:
        preserve = request.method not in ("GET", "HEAD")
        status_code = 308 if preserve else 301
        body = {
            "status": status_code,
            "code": "moved_permanently",
            "detail": f"The address ends with a slash: {with_slash}",
        }
        return HttpResponsePermanentRedirect(
            with_slash,
            preserve_request=preserve,
            content=json.dumps(body),
            content_type="application/json",
        )
    return problem_response(request, 404, "not_found", "Not found.")


def _with_final_slash(request):
    """The request's address with a final slash, if that is one of the API's; else None."""
    if request.path_info.endswith("/"):
        return None
    try:
        match = resolve(request.path_info + "/", getattr(request, "urlconf", None))
    except Resolver404:
        return None
    if match.func is not_found:
        return None
    return escape_leading_slashes(request.get_full_path(force_append_slash=True))


class SchemaView(JSONErrorsMixin, SpectacularAPIView):
    pass


class SwaggerView(JSONErrorsMixin, SpectacularSwaggerView):
    pass


class RedocView(JSONErrorsMixin, SpectacularRedocView):
    pass


router = DefaultRouter()
router.register("sources", SourceViewSet, basename="source")
router.register("articles", ArticleViewSet, basename="article")
router.register("places", PlaceViewSet, basename="place")
router.register("claims", ClaimViewSet, basename="claim")
router.register("verifications", VerificationViewSet, basename="verification")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("explainers", ExplainerViewSet, basename="explainer")
router.register("corrections", CorrectionViewSet, basename="correction")
router.register("claimreviews", ClaimReviewFeedViewSet, basename="claimreview")
router.register("revisions", RevisionViewSet, basename="revision")

urlpatterns = [
    # Before the router, whose format suffixes would take it for a page of the feed.
    path(
        "v1/claimreviews.jsonld",
        # It shows every claim readers see with a verdict, with the names of its claimant
        # and of the articles it appeared in and their outlets.
        reader_cache(
            claim_review_file,
            lists=("claims", "sources", "articles"),
            params=None,
            problem=problem_response,
        ),
        name="claimreview-file",
    ),
    path("v1/", include(router.urls)),
    # /api/v1/auth/ (logging in to the browsable API) is in newsroom/urls.py: DRF's templates
    # name its top-level "rest_framework" namespace.
    # The description is large (about 270 kB) and changes only with a release: compressed for
    # clients that accept gzip, with an ETag (a digest of the bytes) and 304 for revalidation.
    path("schema/", gzip_page(conditional_page(SchemaView.as_view())), name="schema"),
    path(
        "docs/",
        SwaggerView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path(
        "redoc/",
        # Redoc runs its search index in a web worker it creates from a blob: address.
        csp_update({"worker-src": [SELF, "blob:"]})(
            RedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
        ),
        name="redoc",
    ),
    # Last: every other address, with any characters (newlines too) or none.
    re_path(r"^[\s\S]*$", not_found),
]
