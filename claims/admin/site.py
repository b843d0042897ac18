from django.contrib import admin


class DeskAdminSite(admin.AdminSite):
    site_header = "Claims desk"
    site_title = "Claims desk"
    index_title = "The desk"
