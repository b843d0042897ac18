"""Project-wide middleware: the Content-Security-Policy header."""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY), with inline styles allowed
    under settings.CSP_INLINE_STYLE_PATHS.

    The Django admin, DRF's browsable API, Swagger UI and Redoc set inline styles; an inline
    style cannot run code, so allowing them there keeps those pages whole without weakening
    the script rules. The reader site, where editors' text is shown to the public, keeps
    `style-src 'self'`.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(settings.CSP_INLINE_STYLE_PATHS):
            update = dict(parts.update or {})
            update["style-src"] = [*update.get("style-src", ()), UNSAFE_INLINE]
            parts.update = update
        return parts
