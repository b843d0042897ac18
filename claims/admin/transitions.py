"""Workflow steps as buttons on a change form, each posting to its own admin URL.

The buttons shown depend on the user and the object's state, but the view does not rely on
that: it calls `claims.workflow`, which checks permission and state on the server, and shows
its refusal as an error message. Each button also posts the status the user saw
(`seen_status`): the workflow acts on that state only, so a button on a page that has gone
stale (someone else published meanwhile) is refused rather than doing something else.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse

from claims.errors import DeskError

from .base import AuditTrailMixin, change_url, show_refusal
from .history import VersionedModelAdmin


@dataclass(frozen=True)
class Transition:
    """One workflow step: its URL name, button label, and the workflow function it calls.

    `run` is a `claims.workflow` function, called with the object under its model's name
    (`verification=…`), `by=` the user, and the cleaned data of `form_class`, whose fields are
    named after the function's other arguments. `offered(user, obj)` says whether to show the
    button; `done` is the success message, or a function of the object after the step that
    returns it. With `confirm`, the browser asks that question before the step is taken
    (static/desk/confirm.js), for steps readers notice or that send work back.

    With `bulk` (a description), the step is also an action on the objects ticked in the
    list, `<name>_selected`, run with no form data for users who have `has_<name>_permission`;
    `bulk_done` is its success message, with `{count}`; `bulk_confirm`, the question the
    browser asks before the action runs on the ticked objects.
    """

    name: str
    label: str
    done: str | Callable
    run: Callable
    offered: Callable
    form_class: type[forms.Form] | None = None
    danger: bool = False
    confirm: str = ""
    bulk: str = ""
    bulk_done: str = ""
    bulk_confirm: str = ""


def note_field(label, *, rows=3, help_text=""):
    """A box for the text a step takes (a note, a reason); optional in the form, because the
    workflow says when one is needed, and its refusal is shown like any other."""
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows, "cols": 60}),
        help_text=help_text,
    )


class ReturnForm(forms.Form):
    """The reviewer's note when sending something back; the workflow insists on one."""

    note = note_field("What needs to change")


class TransitionsAdminMixin:
    """Adds the `transitions` of a ModelAdmin as URLs and as buttons on its change form."""

    transitions = ()
    change_form_template = "admin/claims/workflow_change_form.html"
    change_list_template = "admin/claims/workflow_change_list.html"
    # The workflow's rule for who may change an object in its present state, (user, obj).
    may_change = staticmethod(lambda user, obj: True)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/workflow/<slug:transition>/",
                self.admin_site.admin_view(self.transition_view),
                name=f"{opts.app_label}_{opts.model_name}_transition",
            ),
            *super().get_urls(),
        ]

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return self.may_change(request.user, obj)

    def has_submit_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.submit_{self.opts.model_name}")

    def has_publish_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.publish_{self.opts.model_name}")

    def changelist_view(self, request, extra_context=None):
        """The list, with the question each list action of a step asks first (confirm.js)."""
        offered = self.get_actions(request)
        questions = {
            f"{step.name}_selected": step.bulk_confirm
            for step in self.transitions
            if step.bulk_confirm and f"{step.name}_selected" in offered
        }
        return super().changelist_view(
            request, {**(extra_context or {}), "desk_action_questions": questions}
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.actions is None or IS_POPUP_VAR in request.GET:
            return actions
        for step in self.transitions:
            if step.bulk and getattr(self, f"has_{step.name}_permission")(request):
                name = f"{step.name}_selected"
                actions[name] = (_bulk_action(step), name, step.bulk)
        return actions

    def transition_view(self, request, object_id, transition):
        """Run one workflow step (POST only) and return to the change page with a message."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        step = next((t for t in self.transitions if t.name == transition), None)
        if step is None:
            raise Http404(f"No workflow step {transition!r}.")
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with ID {object_id!r}.")
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        seen_status = request.POST.get("seen_status")
        if seen_status:
            obj.status = seen_status
        form = step.form_class(request.POST) if step.form_class else None
        if form is not None and not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        else:
            try:
                run_step(step.run, obj, request.user, form.cleaned_data if form else {})
            except DeskError as error:
                show_refusal(request, error)
            else:
                messages.success(request, step.done(obj) if callable(step.done) else step.done)
        return HttpResponseRedirect(change_url(obj, self.admin_site.name))

    def transition_url(self, obj, step):
        opts = self.opts
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_transition",
            args=[quote(obj.pk), step.name],
        )

    def workflow_notes(self, request, obj):
        """Short notes shown above the buttons (why a step is not offered, and the like)."""
        return []

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["desk_workflow"] = {
                "status": obj.get_status_display(),
                "seen_status": obj.status,
                "notes": self.workflow_notes(request, obj),
                "steps": [
                    {
                        "label": step.label,
                        "url": self.transition_url(obj, step),
                        "danger": step.danger,
                        "confirm": step.confirm,
                        "form": step.form_class(auto_id=f"id_{step.name}_%s")
                        if step.form_class
                        else None,
                    }
                    for step in self.transitions
                    if step.offered(request.user, obj)
                ],
            }
        return super().render_change_form(request, context, add, change, form_url, obj)


def run_step(step, obj, user, data):
    """Call the workflow function `step` on `obj` as `user`, with `data` as its further
    keyword arguments (see Transition)."""
    return step(**{obj._meta.model_name: obj}, by=user, **data)


class WorkflowModelAdmin(TransitionsAdminMixin, AuditTrailMixin, VersionedModelAdmin):
    """The desk's admin of a model that moves through `claims.workflow`: its steps as buttons
    and list actions, its audit trail, the version the editor saw, and its history."""


def _bulk_action(step):
    def action(modeladmin, request, queryset):
        run_for_each(modeladmin, request, queryset, step.run, step.bulk_done)

    return action


def run_for_each(modeladmin, request, queryset, step, done):
    """Run the workflow function `step` on each selected object, as the requesting user and
    with no further arguments; report successes and each refusal."""
    succeeded = 0
    for obj in queryset:
        try:
            run_step(step, obj, request.user, {})
        except DeskError as error:
            show_refusal(request, error, about=obj)
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(request, done.format(count=succeeded), messages.SUCCESS)
