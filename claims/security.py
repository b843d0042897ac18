"""The desk's security log: failed logins, lockouts and refused authorisations.

Everything here goes to one named logger, `claims.security`, so that operations can route it
(to a file, a SIEM, an alert) apart from the application's other messages. Entries name the
user (or the username tried) and the client address, never a password or a token.

- `user_login_failed` (Django's signal, sent by every login form: the admin's and the
  browsable API's) and django-axes' `user_locked_out` are logged as they happen;
- `permission_denied` is the project's 403 handler (`handler403` in `newsroom.urls`): every
  PermissionDenied raised by a view (the admin, the site) is logged, then answered with
  Django's own 403 page;
- `log_forbidden_step` is called by `claims.workflow` for every step it refuses a user, and
  `log_refusal` by the API for the 401s and 403s of its own permission checks.
"""

import logging

from django.views.defaults import permission_denied as django_permission_denied

from claims.web.ratelimit import client_address

logger = logging.getLogger("claims.security")


def _who(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    return user.get_username()


def log_refusal(request, *, status, reason, user=None):
    """Record that `user` (default: the request's) was refused with HTTP `status`."""
    user = user if user is not None else getattr(request, "user", None)
    logger.warning(
        "refused %s %s %s for %s from %s: %s",
        status,
        getattr(request, "method", "-"),
        getattr(request, "path", "-"),
        _who(user),
        client_address(request) or "-",
        reason,
        extra={"security_event": "refused", "status_code": status},
    )


def log_forbidden_step(user, *, message, reason):
    """Record a workflow step refused to `user` (admin, API or command alike)."""
    logger.warning(
        "refused workflow step for %s: %s (%s)",
        _who(user),
        message,
        reason,
        extra={"security_event": "refused", "status_code": 403},
    )


def permission_denied(request, exception):
    """The 403 handler: log the refusal, then Django's own 403 page."""
    log_refusal(request, status=403, reason=str(exception) or "permission denied")
    return django_permission_denied(request, exception)


def connect_signals():
    """Connect the login receivers (called from ClaimsConfig.ready)."""
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.connect(_login_failed, dispatch_uid="claims.security.login_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="claims.security.locked_out")


def _username(credentials):
    credentials = credentials or {}
    return credentials.get("username") or credentials.get("email") or "?"


def _login_failed(sender, credentials=None, request=None, **kwargs):
    logger.warning(
        "login failed for %r from %s at %s",
        _username(credentials),
        client_address(request) or "-",
        getattr(request, "path", "-"),
        extra={"security_event": "login_failed"},
    )


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    logger.error(
        "login locked out for %r from %s after repeated failures",
        username or "?",
        ip_address or client_address(request) or "-",
        extra={"security_event": "locked_out"},
    )
