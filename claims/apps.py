from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims desk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The `length` lookup the check constraints use (sha256__length=64, text__length__gte
        # …): registered once, here, not as a side effect of importing a model module.
        from django.db.models import CharField, TextField
        from django.db.models.functions import Length

        CharField.register_lookup(Length)
        TextField.register_lookup(Length)

        # Reader pages are cached; any save or delete in the desk invalidates them.
        from claims.web.cache.version import connect_signals

        connect_signals()

        # Failed logins and lockouts go to the `claims.security` log.
        from claims import security

        security.connect_signals()

        # Cross-origin reads of public material (django-cors-headers asks claims.cors).
        from claims import cors

        cors.connect_signals()

        # The desk's own deploy checks (`check --deploy`), registered as the module loads.
        import claims.checks  # noqa: F401


class DeskAdminConfig(AdminConfig):
    """The admin, with the desk's own site (dashboard of queues on the index page)."""

    default_site = "claims.admin_site.DeskAdminSite"
