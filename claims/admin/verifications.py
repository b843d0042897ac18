"""Verifications: drafted here, moved through review only by `claims.workflow`."""

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html

from claims import workflow
from claims.models import Evidence, Verification
from claims.verdicts import SCALE
from claims.web.markdown import render_markdown

from .markdown import MarkdownFieldsMixin
from .teamwork import AssignedToFilter, TeamworkAdminMixin
from .transitions import ReturnForm, Transition, WorkflowModelAdmin

VS = Verification.Status


def offered_when(status, permission):
    """Offer a step while the verification is in `status` to users with `permission`."""
    return lambda user, v: v.status == status and user.has_perm(f"claims.{permission}")


def offered_to_other_editors(user, verification):
    """Review (publish or return) is offered to editors who neither wrote nor edited it
    (four eyes)."""
    return offered_when(VS.SUBMITTED, "publish_verification")(
        user, verification
    ) and not verification.was_written_by(user)


TRANSITIONS = (
    Transition(
        name="submit",
        label="Submit for review",
        done="Submitted for review.",
        run=workflow.verification_submit,
        offered=offered_when(VS.DRAFT, "submit_verification"),
        bulk="Submit selected verifications for review",
        bulk_done="{count} verification(s) submitted for review.",
    ),
    Transition(
        name="reopen",
        label="Reopen as draft",
        done="Reopened as a draft.",
        run=workflow.verification_reopen,
        offered=offered_when(VS.RETURNED, "change_verification"),
    ),
    Transition(
        name="publish",
        label="Publish",
        done="Published; it is now the claim's current verdict if it is the latest.",
        run=workflow.verification_publish,
        offered=offered_to_other_editors,
        confirm="Publish this verification? Readers will see it at once.",
        bulk="Publish selected verifications",
        bulk_confirm="Publish the selected verifications? Readers will see them at once.",
        bulk_done="{count} verification(s) published.",
    ),
    Transition(
        name="return",
        label="Return to author",
        done="Returned to its author with your note.",
        run=workflow.verification_return,
        offered=offered_to_other_editors,
        form_class=ReturnForm,
        danger=True,
        confirm="Return this verification to its author with your note?",
    ),
)


# Who wrote and reviewed it, and when: shown, never edited.
REVIEW_FIELDS = (
    "status",
    "author",
    "written_by",
    "reviewer",
    "review_note",
    "submitted_at",
    "published_at",
)


def verdict_choices():
    """The verdicts as the form offers them, each with its public definition beside it."""
    return [
        (
            info.value,
            format_html(
                '{} {} <span class="desk-definition">— {}</span>',
                info.symbol,
                info.label,
                info.definition,
            ),
        )
        for info in SCALE
    ]


class EvidenceChoiceField(forms.ModelMultipleChoiceField):
    """Evidence labelled in full with the claim it was gathered for."""

    def label_from_instance(self, obj):
        return f"{obj.get_kind_display()}: {obj.description} (claim: {obj.claim.statement})"


class VerificationForm(forms.ModelForm):
    """Offers as evidence only what was gathered for the verification's claim (and whatever
    was sent, so that a wrong choice is shown and refused by name)."""

    class Meta:
        model = Verification
        fields = ("claim", "verdict", "rationale", "evidence")
        field_classes = {"evidence": EvidenceChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        evidence = self.fields.get("evidence")
        if evidence is None:
            return
        claim = self.data.get("claim") if self.is_bound else self.initial.get("claim")
        claim = claim or self.instance.claim_id
        choices = Evidence.objects.select_related("claim").order_by("claim__statement", "pk")
        if claim:
            chosen = self.data.getlist("evidence") if self.is_bound else []
            choices = choices.filter(
                Q(claim=claim) | Q(pk__in=[pk for pk in chosen if pk.isdigit()])
            )
        evidence.queryset = choices

    def clean(self):
        cleaned = super().clean()
        claim = cleaned.get("claim")
        others = [e for e in cleaned.get("evidence") or () if claim and e.claim_id != claim.pk]
        if others:
            self.add_error(
                "evidence",
                "Gathered for another claim: "
                + "; ".join(str(e) for e in others)
                + ". Cite only this claim's evidence (add a copy to this claim if it applies "
                "to both).",
            )
        return cleaned


@admin.register(Verification)
class VerificationAdmin(MarkdownFieldsMixin, TeamworkAdminMixin, WorkflowModelAdmin):
    transitions = TRANSITIONS
    markdown_fields = ("rationale",)
    may_change = staticmethod(workflow.can_edit_verification)
    list_display = (
        "claim",
        "verdict",
        "status",
        "author",
        "reviewer",
        "submitted_at",
        "published_at",
        "assigned_to",
        "due_on",
    )
    list_select_related = ("claim", "author", "reviewer", "assigned_to")
    list_filter = (
        "status",
        AssignedToFilter,
        "verdict",
        ("author", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("claim__statement", "rationale")
    date_hierarchy = "created_at"
    form = VerificationForm
    autocomplete_fields = ("claim",)
    filter_horizontal = ("evidence",)
    radio_fields = {"verdict": admin.VERTICAL}
    readonly_fields = (*REVIEW_FIELDS, "audit_trail")

    class Media:
        css = {"all": ("desk/desk.css",)}

    def get_fieldsets(self, request, obj=None):
        # Whoever only reads it (a reviewer, say) sees the rationale as readers will.
        editable = obj is None or self.has_change_permission(request, obj)
        rationale = "rationale" if editable else "rationale_rendered"
        fieldsets = [
            (None, {"fields": ("claim", "verdict", rationale)}),
            (
                "Parts of the claim",
                {
                    "fields": (
                        ("location_verdict", "location_note"),
                        ("time_verdict", "time_note"),
                        ("actor_verdict", "actor_note"),
                        ("authenticity", "authenticity_note"),
                    ),
                    "description": "Assess each part separately where it applies; leave the "
                    "rest blank.",
                },
            ),
            ("Evidence", {"fields": ("evidence",)}),
        ]
        if obj is not None:
            fieldsets += [
                ("Review", {"fields": REVIEW_FIELDS}),
                ("Audit trail", {"fields": ("audit_trail",)}),
            ]
        return fieldsets

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "verdict":
            kwargs["choices"] = verdict_choices()
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_published)

    @admin.display(description="Rationale")
    def rationale_rendered(self, obj):
        return render_markdown(obj.rationale) if obj is not None else "—"

    @admin.display(description="Written or edited by")
    def written_by(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        names = [str(user) for user in obj.contributors.order_by("username")]
        return ", ".join(names) or str(obj.author or "—")

    def workflow_notes(self, request, obj):
        notes = []
        if obj.status == VS.RETURNED and obj.review_note:
            notes.append(
                f"Returned for changes by {obj.reviewer or 'an editor'}: {obj.review_note}"
            )
        if (
            obj.status == VS.SUBMITTED
            and request.user.has_perm("claims.publish_verification")
            and obj.was_written_by(request.user)
        ):
            notes.append(
                "Four eyes: you wrote or edited this verification, so another editor must "
                "review it."
            )
        return notes
