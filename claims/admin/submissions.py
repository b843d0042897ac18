from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from claims.models import ClaimSubmission
from claims.services.submissions import submissions_decline

from .base import DeskModelAdmin


@admin.register(ClaimSubmission)
class ClaimSubmissionAdmin(DeskModelAdmin):
    """Readers' claim submissions: the desk reads them, records a claim or declines them.

    What the reader sent is never edited, and nothing here is ever shown to readers.
    """

    list_display = ("short_text", "created_at", "status", "claim", "handled_by")
    list_filter = ("status",)
    list_select_related = ("claim", "handled_by")
    search_fields = ("text", "link")
    date_hierarchy = "created_at"
    autocomplete_fields = ("claim",)
    readonly_fields = ("text", "link", "contact", "created_at", "handled_by", "record_claim")
    fields = (
        "text",
        "link",
        "contact",
        "created_at",
        "record_claim",
        "status",
        "claim",
        "handled_by",
    )
    actions = ("decline_selected",)

    def has_add_permission(self, request):
        return False  # submissions come from readers, through the site's form

    @admin.display(description="Submission")
    def short_text(self, obj):
        return obj.text[:100]

    @admin.display(description="Record it")
    def record_claim(self, obj):
        if obj is None or obj.pk is None or obj.claim_id:
            return "—"
        url = reverse(f"{self.admin_site.name}:claims_claim_add")
        query = urlencode({"statement": obj.text[:300], "quote": obj.text})
        return format_html(
            '<a class="button" href="{}?{}">Start a claim from this submission</a> '
            "then choose that claim below and mark this submission as turned into a claim.",
            url,
            query,
        )

    @admin.action(description="Decline selected submissions", permissions=["change"])
    def decline_selected(self, request, queryset):
        count = submissions_decline(submissions=queryset, by=request.user)
        self.message_user(request, f"{count} submission(s) declined.")
