"""Explainers, their ordered claims, and corrections (issued only through `claims.workflow`)."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.timezone import localtime

from claims import selectors, workflow
from claims.dates import PlausibleDate
from claims.models import Correction, Explainer, ExplainerClaim

from .base import (
    DeskModelAdmin,
    DeskTabularInline,
    ReaderPreviewMixin,
    UnchangeableMixin,
    ViewOnlyMixin,
    adopt,
)
from .history import HistoryAdminMixin
from .markdown import MarkdownFieldsMixin
from .revisions import RevisedWhenLiveMixin
from .teamwork import TeamworkAdminMixin
from .transitions import ReturnForm, Transition, WorkflowModelAdmin, note_field

ES = Explainer.Status

# Corrections and clarifications are issued by hand; updates come from republishing.
ISSUABLE_KINDS = [
    (k.value, k.label) for k in (Correction.Kind.CORRECTION, Correction.Kind.CLARIFICATION)
]


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label="Publish at",
        required=False,
        validators=[PlausibleDate(scheduled=True)],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=f"Leave empty to publish now. Time zone: {settings.TIME_ZONE}.",
    )
    change_note = note_field(
        "What changed",
        rows=2,
        help_text="Needed when it has been published before; readers see it in the log.",
    )


class UnpublishForm(forms.Form):
    reason = note_field("Reason", rows=2, help_text="Recorded in the audit trail.")


class CorrectionForm(forms.Form):
    kind = forms.ChoiceField(choices=ISSUABLE_KINDS)
    text = note_field("Text for readers")


def _may(user, permission):
    return user.has_perm(f"claims.{permission}")


def _publishable(user, explainer):
    """Offered to an editor who did not write it (four eyes, unless the desk waives it); a
    live explainer changes through revisions instead."""
    if not _may(user, "publish_explainer"):
        return False
    if explainer.status == ES.SCHEDULED:
        return True
    if explainer.status == ES.IN_REVIEW or (
        explainer.first_published_at is not None and explainer.status == ES.UNPUBLISHED
    ):
        return workflow.explainer_four_eyes_allows(explainer, user)
    return False


TRANSITIONS = (
    Transition(
        name="submit",
        label="Send for review",
        done="Sent for review.",
        run=workflow.explainer_submit,
        offered=lambda user, e: (
            e.status in (ES.DRAFT, ES.UNPUBLISHED) and _may(user, "submit_explainer")
        ),
        bulk="Send selected explainers for review",
        bulk_done="{count} explainer(s) sent for review.",
    ),
    Transition(
        name="publish",
        label="Publish or schedule",
        done=lambda e: (
            f"Scheduled for {localtime(e.publish_at):%Y-%m-%d %H:%M %Z}."
            if e.status == ES.SCHEDULED
            else "Published: readers see it now."
        ),
        run=workflow.explainer_publish,
        offered=_publishable,
        form_class=PublishForm,
        confirm="Publish this explainer? Readers will see it at once, or at the time you set.",
        bulk="Publish selected explainers now (first publication)",
        bulk_confirm="Publish the selected explainers now? Readers will see them at once.",
        bulk_done="{count} explainer(s) published.",
    ),
    Transition(
        name="return",
        label="Return to draft",
        done="Returned to draft with your note.",
        run=workflow.explainer_return,
        offered=lambda user, e: e.status == ES.IN_REVIEW and _may(user, "publish_explainer"),
        form_class=ReturnForm,
        danger=True,
        confirm="Return this explainer to draft with your note?",
    ),
    Transition(
        name="correction",
        label="Issue correction",
        done="Correction issued; readers see it under the explainer.",
        run=workflow.correction_issue,
        offered=lambda user, e: e.is_live and _may(user, "add_correction"),
        form_class=CorrectionForm,
    ),
    Transition(
        name="unpublish",
        label="Unpublish",
        done="Unpublished: readers no longer see it.",
        run=workflow.explainer_unpublish,
        offered=lambda user, e: (
            e.status in (ES.PUBLISHED, ES.SCHEDULED) and _may(user, "publish_explainer")
        ),
        form_class=UnpublishForm,
        danger=True,
        confirm="Unpublish this explainer? Readers will no longer see it.",
    ),
)


class ExplainerClaimInline(MarkdownFieldsMixin, DeskTabularInline):
    """The explainer's claims in the editor's order; locked when the explainer is."""

    model = ExplainerClaim
    markdown_fields = ("context_note",)
    markdown_attrs = {"rows": 2, "cols": 50}
    # Rows reordered by dragging or with move buttons (static/desk/reorder_rows.js).
    classes = ("desk-sortable",)
    fields = ("position", "claim", "claim_verdict", "context_note")
    readonly_fields = ("claim_verdict",)
    autocomplete_fields = ("claim",)
    ordering = ("position", "id")
    extra = 0

    @admin.display(description="Current verdict")
    def claim_verdict(self, obj):
        return obj.claim.current_verdict_label if obj.claim_id else "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("claim")

    def _explainer_editable(self, request, obj):
        return obj is None or workflow.can_edit_explainer(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._explainer_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._explainer_editable(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._explainer_editable(
            request, obj
        )


class CorrectionInline(ViewOnlyMixin, DeskTabularInline):
    """The explainer's public log of corrections and updates, read-only."""

    model = Correction
    fields = ("published_at", "kind", "text", "created_by")
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


@admin.register(Explainer)
class ExplainerAdmin(
    MarkdownFieldsMixin,
    ReaderPreviewMixin,
    TeamworkAdminMixin,
    RevisedWhenLiveMixin,
    WorkflowModelAdmin,
):
    transitions = TRANSITIONS
    markdown_fields = ("body",)
    may_change = staticmethod(workflow.can_edit_explainer)
    # What readers see of a live explainer changes only through a revision
    # (admin/revisions.py).
    revision_fields = ("title", "standfirst", "body")
    revision_rows = {
        ExplainerClaim: (
            "claims",
            lambda row: {"claim": row["claim"].pk, "context_note": row.get("context_note", "")},
        ),
    }
    list_display = (
        "title",
        "status",
        "publish_at",
        "first_published_at",
        "last_substantive_update",
        "updated_at",
    )
    list_filter = ("status", "places")
    search_fields = ("title", "slug", "standfirst")
    autocomplete_fields = ("places",)
    filter_horizontal = ("authors",)
    inlines = (ExplainerClaimInline, CorrectionInline)
    fieldsets = (
        (None, {"fields": ("title", "slug", "standfirst", "body")}),
        ("Places and authors", {"fields": ("places", "authors")}),
        (
            "Publication",
            {
                "fields": (
                    "status",
                    "publish_at",
                    "first_published_at",
                    "last_substantive_update",
                    "created_by",
                )
            },
        ),
        ("Audit trail", {"fields": ("audit_trail",)}),
    )

    class Media:
        css = {"all": ("desk/desk.css",)}
        js = ("desk/reorder_rows.js",)

    def get_readonly_fields(self, request, obj=None):
        fields = [
            "status",
            "publish_at",
            "first_published_at",
            "last_substantive_update",
            "created_by",
            "audit_trail",
        ]
        if obj is not None and obj.first_published_at is not None:
            fields.append("slug")  # readers' links must keep working
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("title",)} if obj is None else {}

    def ordered(self, part, rows):
        """An explainer's claims in the order of their positions."""
        return sorted(rows, key=lambda row: row.get("position") or 0) if part == "claims" else rows

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "authors":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        ever_public = obj is not None and (
            obj.first_published_at is not None or obj.status in (ES.SCHEDULED, ES.PUBLISHED)
        )
        return super().has_delete_permission(request, obj) and not ever_public

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and not form.instance.authors.exists():
            form.instance.authors.add(request.user)

    def workflow_notes(self, request, obj):
        notes = []
        if obj.status == ES.SCHEDULED:
            notes.append(f"Scheduled for {localtime(obj.publish_at):%Y-%m-%d %H:%M %Z}.")
        if obj.first_published_at is not None and obj.status != ES.PUBLISHED:
            notes.append(
                "Published before: publishing again is an update and needs a note "
                "saying what changed."
            )
        return notes


@admin.register(Correction)
class CorrectionAdmin(UnchangeableMixin, HistoryAdminMixin, DeskModelAdmin):
    """Corrections are issued (through the workflow), never changed or deleted."""

    list_display = ("explainer", "kind", "published_at", "created_by")
    list_select_related = ("explainer", "created_by")
    list_filter = ("kind", "published_at")
    search_fields = ("text", "explainer__title")
    date_hierarchy = "published_at"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("explainer", "kind", "text")
        return ("explainer", "kind", "text", "published_at", "created_by", "created_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "explainer":
            kwargs["queryset"] = selectors.explainers_for_readers()
            kwargs["help_text"] = "Only explainers readers can see take corrections."
        if db_field.name == "kind":
            kwargs["choices"] = ISSUABLE_KINDS
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        correction = workflow.correction_issue(
            explainer=obj.explainer, by=request.user, text=obj.text, kind=obj.kind
        )
        adopt(obj, correction)
