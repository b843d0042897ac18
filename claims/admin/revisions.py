"""Revisions of live claims and explainers: saved from their change forms, reviewed here.

`RevisedWhenLiveMixin` makes the change form of a live claim or explainer save a pending
revision (claims.services.revisions) instead of changing what readers see: the form opens on
the pending revision's proposal, and what the editor changes in it (fields, places, rows)
amends that proposal. `RevisionAdmin` is where an editor reviews one: the live and proposed
versions side by side, part by part, a preview of the reader page as it would be, and
Publish (as an update, a correction or a minor edit, with the note readers see) or Discard.
"""

import difflib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, resolve, reverse
from django.utils.html import format_html

from claims.errors import DeskError
from claims.models import Article, Claim, Place, Revision, Source
from claims.services import revisions

from .base import DeskModelAdmin, ViewOnlyMixin, change_url, show_refusal

RK = Revision.Kind


# --- editing a live claim or explainer ------------------------------------------------------


class RevisedWhenLiveMixin:
    """For ModelAdmins of claims and explainers. `revision_fields` are the form fields that
    are parts of the document (claims.services.revisions) under the same names;
    `revision_rows` maps an inline's model to (the document part it holds, a function from
    one of its forms' cleaned data to a row)."""

    revision_fields = ()
    revision_rows = {}

    def _is_revised(self, request, obj):
        return obj is not None and obj.pk is not None and revisions.is_live(obj)

    def get_object(self, request, object_id, from_field=None):
        """On the change form of a live object, its pending proposal stands in for the live
        fields, so an edit amends it rather than starting from what readers see."""
        obj = super().get_object(request, object_id, from_field)
        match = getattr(request, "resolver_match", None)
        if obj is not None and match and match.url_name.endswith("_change"):
            pending = revisions.pending_revision(obj) if revisions.is_live(obj) else None
            if pending is not None:
                revisions.show_fields(obj, pending.proposed)
                obj._pending_revision = pending
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        pending = getattr(obj, "_pending_revision", None)
        if pending is None:
            return form
        many = {
            part: pending.proposed[part]
            for part in ("places", "authors")
            if part in pending.proposed and part in form.base_fields
        }

        class StartsFromTheProposal(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.initial.update(many)

        return StartsFromTheProposal

    def save_model(self, request, obj, form, change):
        if change and self._is_revised(request, obj):
            obj._revised = True  # kept with its rows, in save_related
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        if not getattr(obj, "_revised", False):
            return super().save_related(request, form, formsets, change)
        changes = {
            part: form.cleaned_data[part]
            for part in self.revision_fields
            if part in form.changed_data
        }
        for part in ("places", "authors"):
            if part in form.changed_data:
                changes[part] = form.cleaned_data[part]
        for formset in formsets:
            rows = self.revision_rows.get(formset.model)
            if rows is None:
                self.save_formset(request, form, formset, change)  # e.g. new evidence
                continue
            # Kept in the revision, not saved: nothing for the admin's change message.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if formset.has_changed():
                part, to_row = rows
                kept = [
                    f.cleaned_data
                    for f in formset.forms
                    if f.cleaned_data and not f.cleaned_data.get("DELETE")
                ]
                changes[part] = [to_row(data) for data in self.ordered(part, kept)]
        obj._revision = revisions.revision_propose(
            subject=type(obj).objects.get(pk=obj.pk),
            by=request.user,
            changes=changes,
            reason=(form.cleaned_data.get("change_reason") or "").strip(),
            seen=request.POST.get("revision_seen"),
        )

    def ordered(self, part, rows):
        return rows

    def response_change(self, request, obj):
        if not getattr(obj, "_revised", False):
            return super().response_change(request, obj)
        revision = obj._revision
        if revision is None:
            self.message_user(request, "Nothing changed.", messages.INFO)
            return HttpResponseRedirect(request.path)
        self.message_user(
            request,
            format_html(
                "Saved as a pending revision: readers still see the published version until "
                'an editor who did not write the change publishes it. <a href="{}">Review the '
                "revision</a>.",
                change_url(revision, self.admin_site.name),
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(request.path)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not add and revisions.is_live(obj):
            pending = getattr(obj, "_pending_revision", None) or revisions.pending_revision(obj)
            context["revision_seen"] = revisions.revision_token(obj)
            context["revision_note"] = (
                format_html(
                    "Readers see the published version. Your edits amend the pending revision "
                    '(started by {}); <a href="{}">review it</a>. Rows below show what readers '
                    "see now; changing them replaces the revision's rows.",
                    pending.created_by or "the desk",
                    change_url(pending, self.admin_site.name),
                )
                if pending
                else "Readers see this version. Saving keeps your edits as a pending revision "
                "until an editor who did not write them publishes it."
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


# --- reviewing a revision ---------------------------------------------------------------------


class PublishRevisionForm(forms.Form):
    kind = forms.ChoiceField(
        choices=RK.choices,
        widget=forms.RadioSelect,
        initial=RK.UPDATE,
        help_text="An update or a correction is shown to readers, dated, with your note. A "
        "minor edit (a typo, a link) shows nothing; never for a claim's statement, quote, "
        "claimant or date.",
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="What changed, for readers (not needed for a minor edit).",
    )


class DiscardRevisionForm(forms.Form):
    reason = forms.CharField(required=False, widget=forms.TextInput(attrs={"size": 80}))


def _labels(part, values):
    """Readable values of a document part, for the side-by-side view."""
    if part == "claimant":
        source = Source.objects.filter(pk=values).first()
        return str(source) if source else "—"
    if part == "places":
        return (
            ", ".join(
                Place.objects.filter(pk__in=values).order_by("name").values_list("name", flat=True)
            )
            or "—"
        )
    if part == "authors":
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(pk__in=values).order_by("username")
        return ", ".join(str(u) for u in users) or "—"
    if part == "appearances":
        rows = _with_objects(Article, values, "article")
        lines = [f"{article}: {row['passage']}" for article, row in rows]
    elif part == "links":
        rows = _with_objects(Claim, values, "to_claim")
        lines = [
            f"{row['relation']} {claim}" + (f" ({row['note']})" if row["note"] else "")
            for claim, row in rows
        ]
    elif part == "claims":
        rows = _with_objects(Claim, values, "claim")
        lines = [
            f"{n}. {claim}" + (f" — {row['context_note']}" if row["context_note"] else "")
            for n, (claim, row) in enumerate(rows, 1)
        ]
    else:
        return str(values)
    return "\n".join(lines) or "—"


def _with_objects(model, rows, key):
    """(object, row) for each row, the object being the `model` whose id is `row[key]` (or
    that id, when there is no such object any more)."""
    objects = model.objects.in_bulk([row[key] for row in rows])
    return [(objects.get(row[key], row[key]), row) for row in rows]


def _diff(old, new):
    """Word-level difference of two texts as (kind, text) pieces: same, removed, added."""
    old_words, new_words = old.split(" "), new.split(" ")
    pieces = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("same", " ".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("removed", " ".join(old_words[i1:i2])))
        if j2 > j1:
            pieces.append(("added", " ".join(new_words[j1:j2])))
    return pieces


def comparison(revision):
    """[(label, live text, proposed text, word diff)] for each part the revision changes."""
    live = revisions.document_of(revision.subject)
    rows = []
    for part in revisions.parts_of(revision.subject):
        if revision.proposed.get(part) == live[part]:
            continue
        old, new = _labels(part, live[part]), _labels(part, revision.proposed[part])
        rows.append((revisions.PART_LABELS[part], old, new, _diff(old, new)))
    return rows


@admin.register(Revision)
class RevisionAdmin(ViewOnlyMixin, DeskModelAdmin):
    list_display = ("__str__", "status", "created_by", "created_at", "decided_by", "kind")
    list_filter = ("status", "kind")
    list_select_related = ("claim", "explainer", "created_by", "decided_by")
    search_fields = ("claim__statement", "explainer__title", "note")
    fields = ()

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/preview/", view(self.preview_view), name="claims_revision_preview"
            ),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = self.get_object(request, object_id)
        if revision is None or not self.has_view_permission(request, revision):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        can_publish = revisions.may_publish(request.user, revision)
        can_discard = revisions.may_discard(request.user, revision)
        if request.method == "POST" and not (can_publish or can_discard):
            raise PermissionDenied
        publish_form = PublishRevisionForm(
            request.POST if request.POST.get("step") == "publish" else None
        )
        discard_form = DiscardRevisionForm(
            request.POST if request.POST.get("step") == "discard" else None
        )
        if request.method == "POST" and revision.is_pending:
            try:
                if request.POST.get("step") == "publish" and publish_form.is_valid():
                    revisions.revision_publish(
                        revision=revision,
                        by=request.user,
                        kind=publish_form.cleaned_data["kind"],
                        note=publish_form.cleaned_data["note"],
                    )
                    self.message_user(
                        request, "Published: readers now see the change.", messages.SUCCESS
                    )
                    return HttpResponseRedirect(change_url(revision.subject, self.admin_site.name))
                if request.POST.get("step") == "discard" and discard_form.is_valid():
                    revisions.revision_discard(
                        revision=revision,
                        by=request.user,
                        reason=discard_form.cleaned_data["reason"],
                    )
                    self.message_user(request, "Discarded.", messages.SUCCESS)
                    return HttpResponseRedirect(request.path)
            except DeskError as error:
                show_refusal(request, error)
                return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(revision),
            "revision": revision,
            "subject_url": change_url(revision.subject, self.admin_site.name),
            "rows": comparison(revision) if revision.is_pending else [],
            "authors": ", ".join(str(u) for u in revision.authors.order_by("username")),
            "publish_form": publish_form if can_publish else None,
            "four_eyes": revision.is_pending
            and request.user.has_perm("claims.publish_revision")
            and not can_publish,
            "discard_form": discard_form if can_discard else None,
            "preview_url": reverse(
                f"{self.admin_site.name}:claims_revision_preview", args=[revision.pk]
            ),
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/claims/revision/review.html", context)

    def preview_view(self, request, object_id):
        """The reader page as it would be with the revision published: rendered inside a
        transaction that is rolled back, so nothing of it is kept or seen by readers."""
        revision = self.get_object(request, object_id)
        if revision is None or not self.has_view_permission(request, revision):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        with transaction.atomic():
            subject = type(revision.subject).objects.select_for_update().get(pk=revision.subject.pk)
            revisions.apply_for_preview(subject, revision.proposed, by=request.user)
            # The reader page's own view, found through the URLconf as a reader's request is.
            page = resolve(subject.get_absolute_url())
            response = page.func(request, *page.args, **page.kwargs)
            if hasattr(response, "render"):
                response = response.render()
            transaction.set_rollback(True)
        response["Cache-Control"] = "private, no-store"
        return response
