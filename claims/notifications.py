"""E-mail to the people a step of the desk concerns: one message per event and person.

Every step that concerns someone is already an audit event (claims.trail.record_event), so
who hears of what is decided here, once, from the event: submitted for review (the editors),
returned (the author, with the editor's note), published (the author), assigned (the
assignee), a scheduled explainer going live (its authors); and mentioned in a note
(`mention_notify`). Nobody is told of their own step; a person can turn each kind off
(MutedNotification, on the desk's *My e-mail* page).

Mail never holds up or undoes the step: messages are composed when the transaction commits
and sent from a background thread; a mail server that is down or slow leaves the step done,
and the failure is logged (`claims.notifications`).
"""

import logging
import re
import threading
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse

from claims.roles import EDITOR
from claims.web.links import absolute_url

logger = logging.getLogger(__name__)

# The kinds of e-mail, as a person sees them on the page where they turn some off.
KINDS = {
    "review": "Work submitted for review (editors)",
    "returned": "Your work returned to you, with the editor's note",
    "published": "Your work published",
    "assigned": "A claim or verification assigned to you",
    "mentioned": "You are mentioned in an internal note",
    "live": "A scheduled explainer you wrote goes live",
}

MENTION = re.compile(r"(?<![\w@.])@([\w.+-]+[\w+-])")

_senders = []  # the threads still sending, for `flush`
_paused = threading.local()


@contextmanager
def paused():
    """No e-mail for steps taken inside (the demo loader retelling a story that happened)."""
    _paused.on = True
    try:
        yield
    finally:
        _paused.on = False


def _is_paused():
    return getattr(_paused, "on", False)


def event_notify(event):
    """Tell the people `event` (an AuditEvent) concerns, once the transaction commits."""
    rule = _RULES.get(event.action)
    if rule is None or _is_paused():
        return
    transaction.on_commit(lambda: _compose_and_send(rule, event))


def mention_notify(note):
    """Tell the people mentioned in `note` (a Note), once the transaction commits."""
    if _is_paused():
        return

    def compose():
        subject = note.subject
        return [
            _message(
                person,
                "mentioned",
                f"{_name(note.author)} mentioned you: {_short(subject)}",
                f"{_name(note.author)} wrote in the notes on “{subject}”:\n\n{note.text}",
                subject,
            )
            for person in _wanting(note.mentions.all(), "mentioned", actor=note.author)
        ]

    transaction.on_commit(lambda: _send_in_background(_safely(compose)))


def mentioned_users(text):
    """The active desk members `text` mentions as @username."""
    names = {name.lower() for name in MENTION.findall(text or "")}
    if not names:
        return get_user_model().objects.none()
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    return users.filter(username__iregex=r"^(" + "|".join(map(re.escape, names)) + r")$")


def flush(timeout=10):
    """Wait for mail still being sent (tests, and commands that exit right after a step)."""
    while _senders:
        _senders.pop().join(timeout)


# --- who hears of what ------------------------------------------------------------------------


def _editors():
    return get_user_model().objects.filter(groups__name=EDITOR)


def _verification_review(event, verification):
    return (
        _editors(),
        f"For review: {_short(verification.claim)}",
        (
            f"{_name(event.actor)} submitted a verification of “{verification.claim}” "
            f"({verification.get_verdict_display()}) for review."
        ),
    )


def _verification_returned(event, verification):
    return (
        [verification.author],
        f"Returned to you: {_short(verification.claim)}",
        (
            f"{_name(event.actor)} returned your verification of “{verification.claim}”.\n\n"
            f"Their note:\n{event.note}"
        ),
    )


def _verification_published(event, verification):
    return (
        [verification.author],
        f"Published: {_short(verification.claim)}",
        (
            f"{_name(event.actor)} published your verification of “{verification.claim}”: "
            f"{verification.get_verdict_display()}."
        ),
    )


def _explainer_review(event, explainer):
    return (
        _editors(),
        f"For review: {_short(explainer)}",
        (f"{_name(event.actor)} sent the explainer “{explainer}” for review."),
    )


def _explainer_writers(explainer):
    people = list(explainer.authors.all())
    if explainer.created_by is not None:
        people.append(explainer.created_by)
    return people


def _explainer_returned(event, explainer):
    return (
        _explainer_writers(explainer),
        f"Returned to you: {_short(explainer)}",
        (
            f"{_name(event.actor)} returned the explainer “{explainer}” for changes.\n\n"
            f"Their note:\n{event.note}"
        ),
    )


def _explainer_published(event, explainer):
    if event.actor is None:  # the scheduler
        return (
            _explainer_writers(explainer),
            f"Now live: {_short(explainer)}",
            (f"The explainer “{explainer}” went live at its scheduled time."),
            "live",
        )
    return (
        _explainer_writers(explainer),
        f"Published: {_short(explainer)}",
        (f"{_name(event.actor)} published the explainer “{explainer}”."),
    )


def _assigned(event, obj):
    if obj.assigned_to is None:
        return None
    due = f" Due {obj.due_on:%A %d %B %Y}." if obj.due_on else ""
    kind = obj._meta.verbose_name
    return (
        [obj.assigned_to],
        f"Assigned to you: {_short(obj)}",
        (
            f"{_name(event.actor)} assigned you the {kind} “{obj}”.{due}"
            + (f"\n\nTheir note:\n{event.note}" if event.note else "")
        ),
    )


# action → (kind, rule); a rule gives (recipients, subject line, text[, kind]) or None.
_RULES = {
    "verification.submit": ("review", _verification_review),
    "verification.return": ("returned", _verification_returned),
    "verification.publish": ("published", _verification_published),
    "verification.assign": ("assigned", _assigned),
    "claim.assign": ("assigned", _assigned),
    "explainer.submit": ("review", _explainer_review),
    "explainer.return": ("returned", _explainer_returned),
    "explainer.publish": ("published", _explainer_published),
}


# --- composing and sending ----------------------------------------------------------------


def _compose_and_send(rule, event):
    kind, decide = rule

    def compose():
        obj = event.subject
        if obj is None:
            return []
        decided = decide(event, obj)
        if decided is None:
            return []
        people, subject, text, *override = decided
        chosen = override[0] if override else kind
        return [
            _message(person, chosen, subject, text, obj)
            for person in _wanting(people, chosen, actor=event.actor)
        ]

    _send_in_background(_safely(compose))


def _safely(compose):
    try:
        return compose()
    except Exception:
        logger.exception("notification not composed")
        return []


def _wanting(people, kind, *, actor):
    """Those of `people` who can be written to and want `kind`, without `actor`."""
    chosen = {}
    for person in people:
        if person is None or not person.is_active or not person.email:
            continue
        if actor is not None and person.pk == actor.pk:
            continue
        chosen[person.pk] = person
    if not chosen:
        return []
    muted = set(
        get_user_model()
        .objects.filter(pk__in=chosen, muted_notifications__kind=kind)
        .values_list("pk", flat=True)
    )
    return [person for pk, person in chosen.items() if pk not in muted]


def _message(person, kind, subject, text, obj):
    body = (
        f"{text}\n\n{absolute_url(_desk_path(obj))}\n\n"
        f"—\nYou get this because of: {KINDS[kind]}. Turn it off at "
        f"{absolute_url(reverse('admin:desk_notifications'))}"
    )
    return EmailMessage(
        subject=f"[Claims desk] {subject}"[:200],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        headers={"X-Desk-Notification": kind},
    )


def _send_in_background(messages):
    if not messages:
        return
    thread = threading.Thread(target=_send, args=(messages,), name="desk-mail")
    # Forget the threads that have finished, so a long-running worker keeps no list of them.
    _senders[:] = [sender for sender in _senders if sender.is_alive()]
    _senders.append(thread)
    thread.start()


def _send(messages):
    try:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages(messages)
    except Exception as error:
        logger.warning(
            "notification not sent: %s (%d message(s), %s)",
            error.__class__.__name__,
            len(messages),
            ", ".join(sorted({m.extra_headers["X-Desk-Notification"] for m in messages})),
        )


def _desk_path(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def _name(user):
    if user is None:
        return "The scheduler"
    return user.get_full_name() or user.get_username()


def _short(obj, length=80):
    text = str(obj)
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"
