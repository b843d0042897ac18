"""Claims: where they appeared, which claims they dispute or support, evidence, similar claims,
and merging a duplicate into the claim kept."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from claims import selectors
from claims.errors import DeskError
from claims.models import Appearance, Claim, ClaimLink, Evidence, MergedClaim
from claims.services import claim_merge, revisions
from claims.trail import require

from .base import (
    DeskTabularInline,
    EstimatedCountPaginator,
    OptionalSlugMixin,
    ReaderPreviewMixin,
    UnchangeableMixin,
    ViewOnlyMixin,
    YearsByRangeQuerySet,
    change_link,
    change_url,
    paragraphs,
    show_refusal,
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


class MergeForm(forms.Form):
    """Which claim a duplicate is merged into, and (once both are shown) the confirmation."""

    into = forms.ModelChoiceField(
        queryset=Claim.objects.all(),
        label="Claim to keep",
        help_text="Search by statement, claimant or place.",
    )
    reason = forms.CharField(
        required=False,
        label="Why (for the history)",
        widget=forms.TextInput(attrs={"size": 60}),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        # The claim links' autocomplete: it searches claims as the claim list does.
        into = self.fields["into"]
        into.widget = AutocompleteSelect(ClaimLink._meta.get_field("to_claim"), admin_site)
        into.widget.choices = into.choices


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
            path(
                "<path:object_id>/merge/",
                self.admin_site.admin_view(self.merge_view),
                name="claims_claim_merge",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.user.has_perm("claims.merge_claim"):
            context["desk_merge_url"] = reverse(
                f"{self.admin_site.name}:claims_claim_merge", args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def merge_view(self, request, object_id):
        """Merge this claim, a duplicate, into the claim kept: pick it, see both statements,
        confirm. claims.services.claim_merge decides; a refusal comes back as a message."""
        duplicate = self.get_object(request, unquote(object_id))
        if duplicate is None or not self.has_view_permission(request, duplicate):
            raise Http404(f"No claim with ID {object_id!r}.")
        back = change_url(duplicate, self.admin_site.name)
        try:
            require(request.user, "merge_claim", "merge duplicate claims")
        except DeskError as error:
            show_refusal(request, error)
            return HttpResponseRedirect(back)
        posted = request.method == "POST"
        form = MergeForm(request.POST if posted else None, admin_site=self.admin_site)
        into = None
        if posted and form.is_valid():
            into = form.cleaned_data["into"]
            if form.cleaned_data["confirmed"]:
                return self._merge(request, duplicate, into, form.cleaned_data["reason"], back)
            form = MergeForm({**request.POST.dict(), "confirmed": "on"}, admin_site=self.admin_site)
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge into another claim",
            "opts": self.opts,
            "original": duplicate,
            "duplicate": duplicate,
            "into": into,
            "form": form,
            "media": self.media + form.media,
            "back": back,
        }
        return TemplateResponse(request, "admin/claims/claim/merge.html", context)

    def _merge(self, request, duplicate, into, reason, back):
        try:
            claim_merge(duplicate=duplicate, into=into, by=request.user, reason=reason)
        except DeskError as error:
            show_refusal(request, error)
            return HttpResponseRedirect(back)
        self.message_user(
            request,
            format_html(
                "“{}” was merged into this claim; its old address leads here.",
                duplicate.statement,
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(change_url(into, self.admin_site.name))

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


@admin.register(MergedClaim)
class MergedClaimAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """The duplicates merged away, newest first: what each said, the claim it went into and
    who merged it (claims.services.merge). A record, changed by nobody."""

    list_display = ("merged_at", "duplicate", "kept", "merged_by")
    list_select_related = ("into", "merged_by")
    list_filter = (("merged_by", admin.RelatedOnlyFieldListFilter), "merged_at")
    search_fields = ("statement", "into__statement", "=old_id", "=into__id")
    date_hierarchy = "merged_at"
    fields = ("merged_at", "duplicate", "kept", "merged_by")
    readonly_fields = fields

    @admin.display(description="Duplicate merged away", ordering="old_id")
    def duplicate(self, obj):
        return f"#{obj.old_id} “{obj.statement}”"

    @admin.display(description="Claim kept", ordering="into")
    def kept(self, obj):
        url = reverse(f"{self.admin_site.name}:claims_claim_change", args=[obj.into_id])
        return format_html('<a href="{}">#{} {}</a>', url, obj.into_id, obj.into.statement)
