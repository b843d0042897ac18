from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims desk"
    default_auto_field = "django.db.models.BigAutoField"


class DeskAdminConfig(AdminConfig):
    """The admin, with the desk's own site (dashboard of queues on the index page)."""

    default_site = "claims.admin_site.DeskAdminSite"
