"""History and versions in the desk: who changed what, when and why; no lost updates.

`HistoryAdminMixin` puts django-simple-history's history page on a ModelAdmin, with the
fields each version changed (old → new) and a page per past version. Past versions are shown,
never restored: simple-history's revert is switched off in the settings, and a POST to a past
version is refused (405) for everyone, superusers included.

`VersionedAdminMixin` makes every save of a change form land on the version the editor opened
(`VersionedModel`): the form carries that version in a hidden field, and a save of an older
version is refused with a message at the top of the form saying who changed the object, when
and what changed, the editor's own input kept in the form.
"""

from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import (
    FieldDoesNotExist,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import connection, models
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator, capfirst
from django.utils.timezone import localtime
from simple_history.admin import SimpleHistoryAdmin

from .base import DeskModelAdmin

# Fields every row has that say nothing an editor changed.
BOOKKEEPING_FIELDS = {"id", "version", "created_at", "updated_at"}
SHORT = 80  # characters of a value shown in a list of changes


# --- describing versions -----------------------------------------------------------------


def compared_fields(model):
    """The model's fields a version shows and compares, in form order."""
    return [f for f in model._meta.concrete_fields if f.name not in BOOKKEEPING_FIELDS]


def display_value(field, value):
    """`value` of `field` as an editor reads it: choice labels, yes/no, "—" for nothing."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return f"{localtime(value):%Y-%m-%d %H:%M %Z}"
    return str(value)


def field_value(record, field):
    """The value of `field` on `record` (a row or a historical row), related objects by name."""
    if field.is_relation:
        try:
            return getattr(record, field.name)
        except ObjectDoesNotExist:
            return f"(deleted #{getattr(record, field.attname)})"
    return getattr(record, field.attname)


def changes_between(model, old, new):
    """[(field label, old value, new value)] for each field that differs from `old` to `new`."""
    changes = []
    for field in compared_fields(model):
        before, after = getattr(old, field.attname), getattr(new, field.attname)
        if before != after:
            changes.append(
                (
                    capfirst(field.verbose_name),
                    display_value(field, field_value(old, field)),
                    display_value(field, field_value(new, field)),
                )
            )
    return changes


def describe_changes(changes, limit=SHORT):
    """ "Field: “old” → “new”; …" for a message, each value shortened to `limit` characters."""

    def short(value):
        return Truncator(value.replace("\n", " ")).chars(limit)

    return "; ".join(f"{label}: “{short(old)}” → “{short(new)}”" for label, old, new in changes)


def who(record):
    return str(record.history_user) if record.history_user_id else "the scheduler or a script"


def when(record):
    return f"{localtime(record.history_date):%Y-%m-%d %H:%M}"


# --- the history pages -------------------------------------------------------------------


class HistoryAdminMixin(SimpleHistoryAdmin):
    """The object's history (simple-history's page, with who, when, why and what changed)
    and a read-only page per past version; nothing here writes."""

    object_history_template = "admin/claims/history/object_history.html"
    object_history_list_template = "admin/claims/history/object_history_list.html"
    history_list_display = ["version"]

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_simple_history"
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != name]
        return [
            path(
                "<path:object_id>/history/<int:version_id>/",
                self.admin_site.admin_view(self.history_form_view),
                name=name,
            ),
            *urls,
        ]

    def _key_or_404(self, object_id):
        """The object's key from the address, or a 404: `abc/history/` asked the database for
        the id `abc`, a 500."""
        try:
            return self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404("No such object.") from None

    def history_view(self, request, object_id, extra_context=None):
        self._key_or_404(object_id)
        return super().history_view(request, object_id, extra_context)

    def get_history_list_display(self, request):
        # "version" only for models that carry one.
        if any(f.name == "version" for f in self.model._meta.concrete_fields):
            return self.history_list_display
        return []

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        """Each version's changes from the one before it (newest first), over every field an
        editor or the workflow sets (status and current verdict included)."""
        records = list(historical_records)
        for record, older in zip(records, records[1:] + [None], strict=True):
            if older is None:
                older = record.prev_record
            record.history_delta_changes = [
                {
                    "field": label,
                    "old": Truncator(old).chars(SHORT),
                    "new": Truncator(new).chars(SHORT),
                }
                for label, old, new in (changes_between(self.model, older, record) if older else [])
            ]

    def revert_disabled(self, request, obj=None):
        return True

    def has_change_history_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One past version, read-only: its fields and what it changed from the one before.

        Only GET: nothing is ever restored from a past version (no revert), for anyone.
        """
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        history = self.model.history
        record = (
            history.filter(pk=version_id, id=self._key_or_404(object_id))
            .select_related("history_user")
            .first()
        )
        if record is None:
            raise Http404("No such version.")
        current = self.get_queryset(request).filter(pk=record.id).first()
        if not self.has_view_or_change_permission(request, current or record.instance):
            raise PermissionDenied
        previous = record.prev_record
        fields = [
            (capfirst(f.verbose_name), display_value(f, field_value(record, f)))
            for f in compared_fields(self.model)
        ]
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"{capfirst(opts.verbose_name)} as it was on {when(record)}",
            "subtitle": str(record.instance),
            "opts": opts,
            "object": current,
            "record": record,
            "who": who(record),
            "when": when(record),
            "fields": fields,
            "changes": changes_between(self.model, previous, record) if previous else None,
            "history_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                args=[quote(record.id)],
            ),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/claims/history/version.html", context)


# --- no lost updates ---------------------------------------------------------------------


class VersionedAdminForm(forms.ModelForm):
    """A change form that carries the version the editor opened, and an optional reason.

    `clean()` compares that version with the row's (locking the row on PostgreSQL until the
    save commits, so the comparison stays true); when someone else has saved meanwhile it
    refuses with who, when and what changed, keeps the editor's input, and sets the hidden
    version to the current one, so that saving again deliberately applies the editor's input
    over the changes they have now seen.
    """

    seen_version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    change_reason = forms.CharField(
        label="Reason for this change",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text="Optional: a few words for the history (e.g. “fixed the quote’s date”).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("seen_version", self.instance.version)

    def clean(self):
        data = super().clean()
        if self.instance.pk is None:
            return data
        seen = data.get("seen_version")
        if seen is None:
            raise forms.ValidationError(
                "This form does not say which version of the "
                f"{self.instance._meta.verbose_name} you opened; reload the page and make "
                "your change again.",
                code="no_version",
            )
        model = type(self.instance)
        rows = model._default_manager.filter(pk=self.instance.pk)
        if connection.in_atomic_block:
            rows = rows.select_for_update()
        current = rows.first()
        if current is None:
            raise forms.ValidationError(
                f"This {model._meta.verbose_name} has been deleted meanwhile.", code="gone"
            )
        if current.version != seen:
            self.data = self.data.copy()
            self.data[self.add_prefix("seen_version")] = str(current.version)
            self._take_their_changes(opened_version(current, seen), current)
            raise forms.ValidationError(
                conflict_message(
                    current,
                    seen,
                    then="Fields you had not changed now show their values; your own changes "
                    "are kept below but were not saved: check them and save again to apply "
                    "them.",
                ),
                code="stale",
            )
        self.instance.version = seen
        return data

    def _take_their_changes(self, opened, current):
        """Put the other editor's values into the fields this editor left as they were, so
        saving again applies this editor's changes on top of theirs without undoing any.
        Where both changed a field, the form keeps this editor's value."""
        if opened is None:
            return
        model = type(current)
        for name, formfield in self.fields.items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if (
                not field.concrete
                or field.many_to_many
                or isinstance(field, models.FileField)
                or isinstance(formfield.widget, forms.MultiWidget)
                or name not in self.cleaned_data
            ):
                continue
            theirs = getattr(current, field.attname)
            before = getattr(opened, field.attname)
            mine = self.cleaned_data[name]
            mine = mine.pk if isinstance(mine, models.Model) else mine
            if theirs != before and mine == before:
                self.data[self.add_prefix(name)] = "" if theirs is None else theirs


def conflict_message(current, seen, then="Nothing was saved."):
    """Someone else saved `current` after version `seen`: who, when and what changed; `then`
    says what happens now."""
    model = type(current)
    name = model._meta.verbose_name
    latest = current.history.select_related("history_user").first()
    by = f"{who(latest)} at {when(latest)}" if latest else "by someone"
    opened = opened_version(current, seen)
    if opened is None:
        changed = "not recorded (the version you opened is not in the history)"
    else:
        changes = changes_between(model, opened, current)
        changed = (
            describe_changes(changes)
            if changes
            else ("none of the fields above (linked items such as places or inline rows changed)")
        )
    return (
        f"Someone else saved this {name} since you opened it: {by}. What changed: {changed}. {then}"
    )


def opened_version(current, seen):
    """The history row of `current` at version `seen` (the last one if several), or None."""
    return current.history.filter(version=seen).order_by("-history_date", "-history_id").first()


class VersionedAdminMixin:
    """Change forms of a `VersionedModel` that never silently overwrite someone's save."""

    form = VersionedAdminForm

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        adminform = context.get("adminform")
        if (
            change
            and adminform is not None
            and "seen_version" in adminform.form.fields
            and self.has_change_permission(request, obj)
        ):
            adminform.fieldsets.append(("Saving", {"fields": ("change_reason", "seen_version")}))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        # What the editor said about the change, for the services' history row and rules.
        obj._desk_reason = (form.cleaned_data.get("change_reason") or "").strip()
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save of an object the user may no longer change because someone moved it on
        (published it, say) is refused with the same message, not a bare "forbidden"."""
        if request.method == "POST" and object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            seen = request.POST.get("seen_version", "")
            if (
                obj is not None
                and seen.isdigit()
                and int(seen) != obj.version
                and not self.has_change_permission(request, obj)
                and self.has_view_permission(request, obj)
            ):
                messages.error(request, conflict_message(obj, int(seen)))
                return HttpResponseRedirect(request.get_full_path())
        return super().changeform_view(request, object_id, form_url, extra_context)


class VersionedModelAdmin(VersionedAdminMixin, HistoryAdminMixin, DeskModelAdmin):
    """The desk's admin of a `VersionedModel` with a history: a save based on a version
    someone else has since changed is refused, and every save is kept as a past version."""
