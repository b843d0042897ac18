"""Assignments and internal notes on change pages, and each person's e-mail choices.

A claim's or verification's page shows who it is assigned to (and by when), with a small form
to assign it; claims, verifications and explainers show their internal notes with a box to add
one. Each form posts to its own admin URL, which calls claims.services.teamwork: the rules
(who may assign whom, what a note may be) are there, and a refusal comes back as a message.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from claims import notifications
from claims.errors import DeskError
from claims.models import Claim, Verification
from claims.services import teamwork

from .base import change_url, show_refusal


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=teamwork.desk_members(),
        required=False,
        empty_label="nobody",
        label="Assign to",
    )
    due_on = forms.DateField(
        required=False,
        label="Due by",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        required=False, label="Note for them", widget=forms.TextInput(attrs={"size": 40})
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add a note",
        max_length=teamwork.NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
        help_text="Seen only on the desk. Mention someone with @username to send them an e-mail.",
    )


class TeamworkAdminMixin:
    """Adds the assignment panel (claims, verifications) and the notes thread to the change
    page, with the URLs their forms post to."""

    def get_urls(self):
        opts = self.model._meta
        prefix = f"{opts.app_label}_{opts.model_name}"
        assign = [
            path(
                "<path:object_id>/assign/",
                self.admin_site.admin_view(self.assign_view),
                name=f"{prefix}_assign",
            )
        ]
        return [
            *(assign if issubclass(self.model, Claim | Verification) else []),
            path(
                "<path:object_id>/notes/",
                self.admin_site.admin_view(self.note_view),
                name=f"{prefix}_note",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context = {**(extra_context or {}), "desk_teamwork": self.teamwork(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    def teamwork(self, request, obj):
        opts = self.model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        assignable = isinstance(obj, Claim | Verification)
        context = {
            "notes": list(teamwork.notes_of(obj)),
            "note_form": NoteForm(),
            "note_url": _reverse(f"{prefix}_note", obj),
            "assignable": assignable,
        }
        if assignable:
            context.update(
                assigned_to=obj.assigned_to,
                due_on=obj.due_on,
                finished=teamwork.assignment_is_finished(obj),
                overdue=obj.due_on is not None
                and teamwork.overdue(type(obj).objects.filter(pk=obj.pk)).exists(),
                assign_form=AssignForm(
                    initial={"assignee": obj.assigned_to_id, "due_on": obj.due_on}
                ),
                assign_url=_reverse(f"{prefix}_assign", obj),
            )
        return context

    def _posted_object(self, request, object_id):
        if request.method != "POST":
            return None, HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404(f"No {self.opts.verbose_name} with ID {object_id!r}.")
        return obj, None

    def assign_view(self, request, object_id):
        obj, refused = self._posted_object(request, object_id)
        if refused:
            return refused
        form = AssignForm(request.POST)
        back = change_url(obj, self.admin_site.name)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return HttpResponseRedirect(back)
        try:
            teamwork.assignment_set(
                obj=obj,
                by=request.user,
                assignee=form.cleaned_data["assignee"],
                due_on=form.cleaned_data["due_on"],
                note=form.cleaned_data["note"],
            )
        except DeskError as error:
            show_refusal(request, error)
        else:
            who = form.cleaned_data["assignee"]
            messages.success(request, f"Assigned to {who}." if who else "Assignment cleared.")
        return HttpResponseRedirect(back)

    def note_view(self, request, object_id):
        obj, refused = self._posted_object(request, object_id)
        if refused:
            return refused
        form = NoteForm(request.POST)
        back = change_url(obj, self.admin_site.name) + "#desk-notes"
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return HttpResponseRedirect(back)
        try:
            note = teamwork.note_add(subject=obj, by=request.user, text=form.cleaned_data["text"])
        except DeskError as error:
            show_refusal(request, error)
        else:
            told = ", ".join(str(user) for user in note.mentions.all())
            messages.success(request, "Note added." + (f" Mentioned: {told}." if told else ""))
        return HttpResponseRedirect(back)


class AssignedToFilter(admin.SimpleListFilter):
    """Assigned to me, to anyone, to nobody, overdue, or to one person."""

    title = "assignment"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        people = [(str(user.pk), str(user)) for user in teamwork.desk_members()]
        return [("me", "Assigned to me"), ("overdue", "Overdue"), ("none", "Nobody"), *people]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        found = teamwork.assigned(queryset, self.value(), user=request.user)
        return queryset.none() if found is None else found


def _reverse(name, obj):
    return reverse(name, args=[obj.pk])


def _form_errors(form):
    return " ".join(
        f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errors)}".strip(
            ": "
        )
        for field, errors in form.errors.items()
    )


class NotificationsForm(forms.Form):
    wanted = forms.MultipleChoiceField(
        choices=list(notifications.KINDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Send me an e-mail when",
    )


def notifications_view(request, admin_site):
    """The signed-in person's e-mail choices: every kind is on until they turn it off."""
    user = request.user
    muted = set(user.muted_notifications.values_list("kind", flat=True))
    if request.method == "POST":
        form = NotificationsForm(request.POST)
        if form.is_valid():
            wanted = set(form.cleaned_data["wanted"])
            teamwork.notifications_mute(user=user, muted=set(notifications.KINDS) - wanted)
            messages.success(request, "Your e-mail choices are saved.")
            return HttpResponseRedirect(request.path)
    else:
        form = NotificationsForm(
            initial={"wanted": [k for k in notifications.KINDS if k not in muted]}
        )
    context = {
        **admin_site.each_context(request),
        "title": "My e-mail",
        "form": form,
        "address": user.email,
    }
    return TemplateResponse(request, "admin/claims/notifications.html", context)
