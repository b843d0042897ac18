"""Pieces the desk's ModelAdmins share: refusals as messages, creators, links, audit trails."""

from datetime import date

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connection, models, transaction
from django.db.models import Max, Min
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from claims import selectors, services
from claims.errors import DeskError, Forbidden
from claims.models import AuditEvent

# Fields that record who brought an object in; set from the request when it is added.
CREATOR_FIELDS = ("created_by", "added_by", "imported_by")


def set_creator(obj, user):
    """Record `user` as the creator of a new `obj`, in whichever creator field it has."""
    for name in CREATOR_FIELDS:
        if hasattr(obj, f"{name}_id") and getattr(obj, f"{name}_id") is None:
            setattr(obj, name, user)


def adopt(obj, created):
    """Make the admin form's unsaved `obj` stand for `created`, the row a workflow call made.

    The admin goes on with `obj` (saving its many-to-many fields, logging, redirecting).
    """
    obj.pk = created.pk
    obj.refresh_from_db()
    obj._state.adding = False


def change_url(obj, site_name="admin"):
    """The admin change page of `obj`, or None when its model has no admin."""
    opts = obj._meta
    try:
        return reverse(
            f"{site_name}:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)]
        )
    except NoReverseMatch:
        return None


def change_link(obj, text=None):
    """An HTML link to the change page of `obj` (plain text if it has none)."""
    text = text if text is not None else str(obj)
    url = change_url(obj)
    return format_html('<a href="{}">{}</a>', url, text) if url else text


def _a(noun):
    """`noun` with its indefinite article."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def paragraphs(format_string, rows):
    """A paragraph of `format_string` with each row of arguments (escaped), or "—" for none."""
    return format_html_join("", f"<p>{format_string}</p>", rows) or "—"


class AutocompleteWithoutClearAll(AutocompleteSelectMultiple):
    """A multiple autocomplete without select2's "remove all" cross.

    select2 puts that cross inside its list of chosen items, where only list items belong,
    so screen readers misread the list; each item keeps its own cross.
    """

    def build_attrs(self, base_attrs, extra_attrs=None):
        return {**super().build_attrs(base_attrs, extra_attrs), "data-allow-clear": "false"}


class LabelledInlineFormSet(BaseInlineFormSet):
    """Rows of a tabular inline have column headings but no <label>: each control gets its
    column's name as `aria-label`, so screen readers can say what it is."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", str(field.label or name))


class UnchangeableMixin:
    """Rows that, once made, are never changed or deleted from here: the workflow keeps them
    as they are (corrections), or they are changed on their own page (evidence)."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ViewOnlyMixin(UnchangeableMixin):
    """Rows only shown here: none is added, changed or deleted (the audit trail, revisions,
    an explainer's log)."""

    def has_add_permission(self, request, obj=None):
        return False


class DeskTabularInline(admin.TabularInline):
    formset = LabelledInlineFormSet


class EstimatedCountPaginator(Paginator):
    """The admin's paginator for the desk's big tables: an unfiltered list of more than
    ESTIMATE_ABOVE rows takes PostgreSQL's own estimate of the table's size instead of
    counting every row on each page view (a cost that grows with the archive). Filtered and
    searched lists are counted exactly."""

    ESTIMATE_ABOVE = 10_000

    @cached_property
    def count(self):
        query = self.object_list.query
        if connection.vendor == "postgresql" and not query.where:
            # One query either way: the exact count runs only for a small table.
            table = self.object_list.model._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT CASE WHEN reltuples > %s THEN reltuples::bigint "  # nosec B608 # a model's own table name, quoted
                    f"ELSE (SELECT count(*) FROM {connection.ops.quote_name(table)}) END "
                    "FROM pg_class WHERE oid = %s::regclass",
                    [self.ESTIMATE_ABOVE, table],
                )
                row = cursor.fetchone()
            if row is not None:
                return row[0]
        return super().count


class YearsByRangeQuerySet(models.QuerySet):
    """A queryset whose `dates(field, "year")` (the admin's date hierarchy, before a year is
    chosen) asks for the first and last date and then, for each year between, whether any row
    falls in it, each an indexed lookup, instead of a DISTINCT over every row of the table."""

    def dates(self, field_name, kind, order="ASC"):
        if kind != "year":
            return super().dates(field_name, kind, order)
        bounds = self.aggregate(first=Min(field_name), last=Max(field_name))
        if bounds["first"] is None:
            return []
        years = [
            date(year, 1, 1)
            for year in range(bounds["first"].year, bounds["last"].year + 1)
            if self.filter(
                **{
                    f"{field_name}__gte": date(year, 1, 1),
                    f"{field_name}__lt": date(year + 1, 1, 1),
                }
            ).exists()
        ]
        return years if order == "ASC" else years[::-1]


def show_refusal(request, error, about=None):
    """How the desk shows a `DeskError` (claims.errors), whatever its kind: its message, as
    an error message on the next page, naming what it is `about` when a bulk action acts on
    several records."""
    messages.error(request, f"{about}: {error.message}" if about is not None else error.message)


def stored_with_reader_page(obj):
    """The stored row of `obj` if its model has reader pages, else None: a form sent back
    with errors has changed `obj` in memory, and its address with it."""
    if not hasattr(obj, "get_absolute_url") or obj.pk is None:
        return None
    return type(obj)._base_manager.filter(pk=obj.pk).first()


class DeskModelAdmin(admin.ModelAdmin):
    """A ModelAdmin that turns a `DeskError` into an error message and records creators.

    Models refuse some saves and deletes themselves (a published verification, frozen
    evidence, a correction); the refusal is shown to the user, never a server error.
    """

    # Why a record that its kind's deleters may not delete is kept (has_delete_permission).
    kept_because = "readers have seen it, and the desk keeps what they saw"

    def view_on_site(self, obj):
        """ "View on site" leads to the record's reader page while readers can open it; a
        draft has none yet (its preview is on the change form)."""
        stored = stored_with_reader_page(obj)
        if stored is None or not selectors.seen_by_readers(stored):
            return None
        return stored.get_absolute_url()

    def action_checkbox(self, obj):
        """The row's checkbox for actions, Django's markup written directly: Django renders a
        CheckboxInput through the form renderer's templates for each row, 16 ms of the claim
        list's 100 rows against 1.4 ms so (about a quarter of the page, the admin list's p95
        target in docs/benchmarks.md). tests/admin/test_changelist.py pins it to Django's own
        output, so a Django upgrade that changes the markup fails the suite, not the desk."""
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DeskError as error:
            return self.refuse(request, error, request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and not self.has_delete_permission(request, obj):
            refusal = self.delete_refusal(request, obj)
            if refusal is not None:
                return self.refuse(request, refusal, change_url(obj, self.admin_site.name))
        try:
            return super().delete_view(request, object_id, extra_context)
        except DeskError as error:
            obj = self.get_object(request, unquote(object_id))
            url = change_url(obj, self.admin_site.name) if obj else request.get_full_path()
            return self.refuse(request, error, url)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except DeskError as error:
            return self.refuse(request, error, request.get_full_path())
        except (ValueError, OverflowError):
            # A lookup on a date outside the calendar (`?created_at__year=99999`, or year 1
            # before the zone's offset) fails as the list is counted: answered as Django
            # answers a lookup it cannot apply, by the list with `?e=1`.
            if not request.GET or ERROR_FLAG in request.GET:
                raise
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteWithoutClearAll(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def delete_refusal(self, request, obj):
        """Why the user may not delete `obj`, which they can see: the record's state
        (`kept_because`), or their role, naming the roles that may; None for a record they
        cannot see (Django's 403)."""
        opts = self.opts
        if not self.has_view_or_change_permission(request, obj):
            return None
        codename = get_permission_codename("delete", opts)
        if request.user.has_perm(f"{opts.app_label}.{codename}"):
            return Forbidden(f"This {opts.verbose_name} cannot be deleted: {self.kept_because}.")
        roles = selectors.roles_with_permission(opts.app_label, codename)
        if not roles:
            return Forbidden(f"No one on the desk can delete {_a(opts.verbose_name)}.")
        who = " or ".join(_a(role.lower()) for role in roles)
        return Forbidden(
            f"Only {who} can delete {_a(opts.verbose_name)}; ask one to, saying why it should go."
        )

    def refuse(self, request, error, url):
        show_refusal(request, error)
        return HttpResponseRedirect(url)

    def save_model(self, request, obj, form, change):
        """Through the desk's services (claims.services), which hold the rules of each kind
        of record: the admin's own checks only shape the form."""
        if not change:
            set_creator(obj, request.user)
        relations = {field.name for field in obj._meta.many_to_many}
        services.record_save(
            obj=obj,
            by=request.user,
            reason=getattr(obj, "_desk_reason", ""),
            default_reason="edited in the desk" if change else "added in the desk",
            relations_changed=bool(relations & set(form.changed_data)),
            changed=form.changed_data,
        )

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            adding = obj._state.adding
            if adding:
                set_creator(obj, request.user)
            services.record_save(
                obj=obj,
                by=request.user,
                default_reason="added in the desk" if adding else "edited in the desk",
            )
        for obj in formset.deleted_objects:
            services.record_delete(obj=obj, by=request.user, reason="deleted in the desk")
        formset.save_m2m()

    def delete_model(self, request, obj):
        services.record_delete(obj=obj, by=request.user, reason="deleted in the desk")

    def delete_queryset(self, request, queryset):
        """Delete one by one, so each record's delete rules apply; all or nothing."""
        with transaction.atomic(using=queryset.db):
            for obj in queryset:
                services.record_delete(obj=obj, by=request.user, reason="deleted in the desk")


class AuditTrailMixin:
    """Adds `audit_trail`, a read-only list of the object's audit events, for fieldsets."""

    @admin.display(description="Audit trail")
    def audit_trail(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        events = AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).select_related("actor")
        return render_to_string("admin/claims/includes/audit_trail.html", {"events": events})


class OptionalSlugMixin:
    """The slug may be left empty (the model makes one); on add it is prefilled as you type."""

    slug_from = "name"

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": (self.slug_from,)} if obj is None else {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "slug":
            formfield.required = False
            formfield.help_text = f"Leave empty to make one from the {self.slug_from}."
        return formfield


class ReaderPreviewMixin:
    """A "Preview" button on the change form of a record readers cannot see yet: its reader
    page, which desk staff are shown as a marked preview. A record readers can see has
    "View on site" instead."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        stored = None if add else stored_with_reader_page(obj)
        if stored is not None and not selectors.seen_by_readers(stored):
            context["desk_preview_url"] = stored.get_absolute_url()
        return super().render_change_form(request, context, add, change, form_url, obj)
