"""Markdown fields with a preview of what readers will see, drawn by the reader site's own
renderer (`claims.web.markdown.render_markdown`, sanitized by nh3): never a second one."""

from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from claims.web.markdown import render_markdown

# Whoever may see a verification or an explainer in the desk may see a preview of its text.
PREVIEW_PERMISSIONS = (
    "claims.view_verification",
    "claims.change_verification",
    "claims.view_explainer",
    "claims.change_explainer",
)


class MarkdownTextarea(AdminTextareaWidget):
    """A textarea with, beneath it, the text as readers will see it. The page draws the
    preview of the saved text; static/desk/markdown_preview.js redraws it as the editor
    types, asking the desk's preview view."""

    class Media:
        js = ("desk/markdown_preview.js",)

    def __init__(self, attrs=None, admin_site_name="admin"):
        super().__init__(attrs)
        self.admin_site_name = admin_site_name

    def render(self, name, value, attrs=None, renderer=None):
        try:
            url = reverse(f"{self.admin_site_name}:desk_markdown_preview")
        except NoReverseMatch:
            url = ""
        attrs = {**(attrs or {}), "data-markdown-preview": url}
        textarea = super().render(name, value, attrs, renderer)
        return format_html(
            '{}<div class="desk-markdown-preview" role="region" aria-label="Preview">'
            '<p class="desk-quiet">Preview: as readers will see it</p>'
            '<div class="desk-markdown-rendered" aria-live="polite">{}</div></div>',
            textarea,
            render_markdown(value),
        )


@require_POST
def markdown_preview_view(request):
    """The posted `text` rendered as the reader site renders it: an HTML fragment. The admin
    site wraps it (staff only, CSRF checked); here, only who may see such texts."""
    if not any(request.user.has_perm(permission) for permission in PREVIEW_PERMISSIONS):
        raise PermissionDenied
    return HttpResponse(render_markdown(request.POST.get("text", "")), content_type="text/html")


class MarkdownFieldsMixin:
    """Gives the admin's (or inline's) `markdown_fields` a preview of what readers see."""

    markdown_fields = ()
    markdown_attrs = None

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.markdown_fields:
            kwargs["widget"] = MarkdownTextarea(
                self.markdown_attrs, admin_site_name=self.admin_site.name
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
