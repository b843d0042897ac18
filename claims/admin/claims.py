"""Claims: where they appeared, which claims they dispute or support, evidence, similar claims."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from claims import selectors
from claims.models import Appearance, Claim, ClaimLink, Evidence
from claims.services import revisions

from .base import (
    DeskTabularInline,
    EstimatedCountPaginator,
    OptionalSlugMixin,
    ReaderPreviewMixin,
    UnchangeableMixin,
    YearsByRangeQuerySet,
    change_link,
    change_url,
    paragraphs,
)
from .evidence import EVIDENCE_FORMFIELDS
from .history import VersionedModelAdmin
from .revisions import RevisedWhenLiveMixin
from .teamwork import AssignedToFilter, TeamworkAdminMixin


class DeskQueueFilter(admin.SimpleListFilter):
    """The dashboard's claim queues, so each queue links to its full list."""

    title = "desk queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        days = settings.DESK["STALE_UNCONFIRMED_DAYS"]
        return (
            ("unassessed", "No verification started"),
            ("stale", f"Unconfirmed for over {days} days"),
        )

    def queryset(self, request, queryset):
        if self.value() == "unassessed":
            queue = selectors.claims_without_assessment()
        elif self.value() == "stale":
            queue = selectors.stale_unconfirmed_claims(days=settings.DESK["STALE_UNCONFIRMED_DAYS"])
        else:
            return queryset
        return queryset.filter(pk__in=queue.values("pk"))


class AppearanceInline(DeskTabularInline):
    model = Appearance
    autocomplete_fields = ("article",)
    extra = 0
    # A passage box that fits its column: the admin's default is 48em wide.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 50})},
    }


class ClaimLinkInline(DeskTabularInline):
    model = ClaimLink
    fk_name = "from_claim"
    autocomplete_fields = ("to_claim",)
    extra = 0
    verbose_name = "claim this one disputes or supports"
    verbose_name_plural = "claims this one disputes or supports"


class EvidenceInline(UnchangeableMixin, admin.StackedInline):
    """New evidence can be added here; existing evidence is changed on its own page."""

    model = Evidence
    fields = (
        "kind",
        "description",
        "source",
        ("url", "archived_url"),
        "file",
        "sha256",
        ("latitude", "longitude"),
        "captured_at",
    )
    readonly_fields = ("sha256",)
    autocomplete_fields = ("source",)
    show_change_link = True
    formfield_overrides = EVIDENCE_FORMFIELDS
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


@admin.register(Claim)
class ClaimAdmin(
    ReaderPreviewMixin,
    TeamworkAdminMixin,
    RevisedWhenLiveMixin,
    OptionalSlugMixin,
    VersionedModelAdmin,
):
    slug_from = "statement"
    change_form_template = "admin/claims/claim/change_form.html"
    # What readers see of a live claim changes only through a revision (admin/revisions.py).
    revision_fields = ("statement", "quote", "claimant", "claimed_on")
    revision_rows = {
        Appearance: (
            "appearances",
            lambda row: {"article": row["article"].pk, "passage": row.get("passage", "")},
        ),
        ClaimLink: (
            "links",
            lambda row: {
                "to_claim": row["to_claim"].pk,
                "relation": row["relation"],
                "note": row.get("note", ""),
            },
        ),
    }
    list_display = (
        "statement",
        "claimant",
        "claimed_on",
        "verdict",
        "current_verdict_as_of",
        "assigned_to",
        "due_on",
    )
    list_select_related = ("claimant", "assigned_to")
    list_filter = (
        DeskQueueFilter,
        AssignedToFilter,
        "current_verdict",
        "claimant__affiliation",
        "claimant__kind",
    )
    search_fields = (
        "statement",
        "quote",
        "claimant__name",
        "claimant__aliases__name",
        "places__name",
        "places__alternative_names__name",
    )
    date_hierarchy = "claimed_on"
    # The claim list must not count the whole archive on every view: an estimate when
    # unfiltered, and no second count of all claims next to a filtered one.
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    autocomplete_fields = ("claimant", "places")
    readonly_fields = (
        "similar",
        "verdict",
        "current_verdict_as_of",
        "verifications_list",
        "linked_from",
        "created_by",
        "created_at",
        "updated_at",
    )
    inlines = (AppearanceInline, ClaimLinkInline, EvidenceInline)

    class Media:
        css = {"all": ("desk/desk.css",)}
        js = ("desk/similar_claims.js",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return YearsByRangeQuerySet(model=Claim, query=queryset.query, using=queryset.db)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "statement":
            # One line, as wide as the quote's box below it: a statement runs to 300 characters.
            kwargs["widget"] = forms.TextInput(attrs={"class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and revisions.is_live(obj):
            fields = (*fields, "slug")  # readers' links and search engines keep the address
        return fields

    def get_fieldsets(self, request, obj=None):
        main = ("statement", "similar", "quote", "claimant", "claimed_on", "places")
        if obj is None:
            return [(None, {"fields": main}), ("Record", {"fields": ("slug",)})]
        return [
            (None, {"fields": main}),
            ("Verdict", {"fields": ("verdict", "current_verdict_as_of", "verifications_list")}),
            ("Claims that dispute or support this one", {"fields": ("linked_from",)}),
            ("Record", {"fields": ("slug", "created_by", "created_at", "updated_at")}),
        ]

    @admin.display(description="Current verdict", ordering="current_verdict")
    def verdict(self, obj):
        return obj.current_verdict_label

    @admin.display(description="Similar claims already on the desk")
    def similar(self, obj):
        found = selectors.similar_claims(obj.statement, exclude_pk=obj.pk) if obj.statement else []
        return render_to_string(
            "admin/claims/claim/similar_claims.html",
            {
                "claims": [(claim, change_url(claim)) for claim in found],
                "lookup_url": reverse(f"{self.admin_site.name}:claims_claim_similar"),
                "exclude": obj.pk or "",
            },
        )

    @admin.display(description="Verifications")
    def verifications_list(self, obj):
        if obj.pk is None:
            return "—"
        add_url = reverse(f"{self.admin_site.name}:claims_verification_add")
        start = format_html(
            '<a class="addlink" href="{}?claim={}">Start a verification</a>', add_url, obj.pk
        )
        rows = format_html_join(
            "",
            "<li>{} — {}, by {}</li>",
            (
                (change_link(v, v.get_verdict_display()), v.get_status_display(), v.author)
                for v in obj.verifications.select_related("author").order_by("-created_at")
            ),
        )
        return format_html('<ul class="desk-list">{}</ul>{}', rows, start)

    @admin.display(description="Linked from")
    def linked_from(self, obj):
        if obj.pk is None:
            return "—"
        rows = (
            (change_link(link.from_claim), link.relation, f" ({link.note})" if link.note else "")
            for link in obj.links_in.select_related("from_claim")
        )
        return paragraphs("{} {} this claim{}", rows)

    def get_urls(self):
        return [
            path(
                "similar/",
                self.admin_site.admin_view(self.similar_view),
                name="claims_claim_similar",
            ),
            *super().get_urls(),
        ]

    def similar_view(self, request):
        """JSON: claims resembling the statement in `?q=`, for the live list on the form."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        exclude = request.GET.get("exclude", "")
        found = selectors.similar_claims(
            request.GET.get("q", ""), exclude_pk=int(exclude) if exclude.isdigit() else None
        )
        return JsonResponse(
            [
                {
                    "id": claim.pk,
                    "statement": claim.statement,
                    "claimant": claim.claimant.name,
                    "current_verdict_label": claim.current_verdict_label,
                    "change_url": change_url(claim, self.admin_site.name),
                }
                for claim in found
            ],
            safe=False,
        )

    def response_add(self, request, obj, post_url_continue=None):
        found = selectors.similar_claims(obj.statement, exclude_pk=obj.pk)
        if found:
            self.message_user(
                request,
                format_html(
                    "Similar claims are already on the desk; check this is not one of them: {}",
                    format_html_join("; ", "{}", ((change_link(claim),) for claim in found)),
                ),
                messages.WARNING,
            )
        return super().response_add(request, obj, post_url_continue)
