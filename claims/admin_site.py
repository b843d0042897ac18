"""The desk's admin site. It lives outside the `claims.admin` package so that Django can build
the default site before the ModelAdmins in `claims.admin` register on it."""

from django.contrib import admin


class DeskAdminSite(admin.AdminSite):
    """The desk's admin site: its index page shows the dashboard of queues above the apps."""

    site_header = "Claims desk"
    site_title = "Claims desk"
    index_title = "The desk"

    def get_urls(self):
        from django.urls import path

        from claims.admin.markdown import markdown_preview_view
        from claims.admin.teamwork import notifications_view

        mine = [
            path(
                "my-email/",
                self.admin_view(lambda request: notifications_view(request, self)),
                name="desk_notifications",
            ),
            path(
                "markdown-preview/",
                self.admin_view(markdown_preview_view),
                name="desk_markdown_preview",
            ),
        ]
        return mine + super().get_urls()

    def index(self, request, extra_context=None):
        from claims.admin.dashboard import desk_queues

        extra_context = {
            **(extra_context or {}),
            "desk_queues": desk_queues(request, self.name),
            "desk_may_import": request.user.has_perm("claims.add_article"),
        }
        return super().index(request, extra_context)
