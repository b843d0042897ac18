from django.contrib import admin

from .dashboard import desk_queues

# (models, ModelAdmin class) recorded by `register`, registered on every DeskAdminSite.
_DESK_MODEL_ADMINS = []


def register(*models):
    """Like `admin.register`, for the desk's own ModelAdmins.

    Django builds the default site while it imports this package (the site class lives here),
    so a ModelAdmin registered on `admin.site` during that import would land on a site
    instance Django then replaces. Recording them here and registering them as each site is
    built avoids that.
    """

    def record(admin_class):
        _DESK_MODEL_ADMINS.append((models, admin_class))
        return admin_class

    return record


class DeskAdminSite(admin.AdminSite):
    """The desk's admin site: its index page shows the dashboard of queues above the apps."""

    site_header = "Claims desk"
    site_title = "Claims desk"
    index_title = "The desk"

    def __init__(self, name="admin"):
        super().__init__(name)
        for models, admin_class in _DESK_MODEL_ADMINS:
            self.register(models, admin_class)

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "desk_queues": desk_queues(request, self.name)}
        return super().index(request, extra_context)
