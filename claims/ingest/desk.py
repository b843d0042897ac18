"""Export and restore of the whole desk as JSON, with natural keys for users and groups.

Everything the desk holds goes out: sources, articles, places, claims and their links,
evidence, verifications in every state (drafts too), explainers with their corrections, the
audit trail and the admin's change history, the users (with their roles and password hashes)
and the role groups. Users, groups, permissions and content types are referred to by natural
key (username, group name, app label and codename), so authorship survives a restore into a
database where they got other ids; the desk's own rows keep their ids. Content types and
permissions are not exported: `migrate` makes them in every database.

A restore goes into an empty desk (a freshly migrated database); exporting it again gives the
same canonical dump. Uploaded evidence files live in MEDIA_ROOT and are backed up with it,
not in this file.
"""

import datetime
import io
import json

from django.apps import apps
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, transaction

from claims.dates import PlausibleDate

from .errors import IngestError

# What an export holds besides every model of the claims app, in loading order.
OTHER_MODELS = ("auth.Group", "auth.User", "admin.LogEntry")


def desk_models():
    """The models an export holds, each after the models its foreign keys point to where
    possible (Claim and Verification point at each other: the nullable key gives way)."""
    chosen = [apps.get_model(label) for label in OTHER_MODELS]
    chosen += list(apps.get_app_config("claims").get_models())
    ordered, remaining = [], list(chosen)
    while remaining:
        ready = next((m for m in remaining if not _points_to(m, remaining, required=False)), None)
        ready = ready or next(
            (m for m in remaining if not _points_to(m, remaining, required=True)), remaining[0]
        )
        ordered.append(ready)
        remaining.remove(ready)
    return ordered


def _points_to(model, others, *, required):
    targets = {
        f.related_model
        for f in model._meta.concrete_fields
        if f.many_to_one and (f.null is False or not required) and f.related_model is not model
    }
    return targets & set(others)


class ExactJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond. Django's encoder cuts them to milliseconds, so a time saved
    at 10:36:07.000123 would come back from a restore as 10:36:07: not the same desk."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


def export_desk(stream):
    """Write the whole desk to `stream` as indented JSON; returns the number of objects."""
    count = 0

    def objects():
        nonlocal count
        for model in desk_models():
            for obj in model._base_manager.order_by(model._meta.pk.name).iterator():
                count += 1
                yield obj

    serializers.serialize(
        "json",
        objects(),
        stream=stream,
        indent=1,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
        cls=ExactJSONEncoder,
    )
    return count


# The desk's content; other rows a fresh database may hold were made by migrations (roles,
# standing pages) and are replaced by the export's copies of them.
CONTENT_MODELS = ("Source", "Article", "Place", "Claim", "Verification", "Explainer", "AuditEvent")


def desk_is_empty():
    """No user and no desk content (sources, articles, claims ...) is in the database."""
    user_model = apps.get_model("auth.User")
    return not user_model.objects.exists() and not any(
        apps.get_model("claims", name)._base_manager.exists() for name in CONTENT_MODELS
    )


def import_desk(path):
    """Load an export into an empty desk, all or nothing; returns the number of objects.

    Refuses (IngestError) when the desk already holds users or content, so a restore never
    mixes with, or overwrites, what is there.
    """
    if not desk_is_empty():
        raise IngestError(
            "The database already holds users or desk content; restore into an empty, freshly "
            "migrated database."
        )
    with open(path, encoding="utf-8") as handle:
        try:
            objects = json.load(handle)
        except json.JSONDecodeError as error:
            raise IngestError(f"{path} is not a desk export (invalid JSON: {error}).") from error
    problem = _implausible_date(objects)
    if problem:
        raise IngestError(f"{path} could not be restored; nothing was loaded ({problem}).")
    count = len(objects)
    try:
        with transaction.atomic():
            call_command("loaddata", str(path), format="json", verbosity=0)
    except (DeserializationError, DatabaseError) as error:
        raise IngestError(f"{path} could not be restored; nothing was loaded ({error}).") from error
    return count


def _implausible_date(objects):
    """The first date in the export the desk would not accept (claims/dates.py), as
    "claims.claim 7, claimed_on: Enter a date …", or None. `loaddata` writes what it is given
    without validating, so the dates people enter are checked here first; past versions in
    the history are the record of what was, and are restored as they are."""
    for obj in objects if isinstance(objects, list) else ():
        try:
            model = apps.get_model(obj["model"])
            fields = dict(obj["fields"])
        except (LookupError, KeyError, TypeError, ValueError):
            continue  # not a desk object: loaddata refuses it with its own reason
        if getattr(model, "instance_type", None):  # a history row (django-simple-history)
            continue
        for name, value in fields.items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            checked = any(isinstance(v, PlausibleDate) for v in field.validators)
            if value is None or not checked:
                continue
            try:
                field.run_validators(field.to_python(value))
            except ValidationError as error:
                message = " ".join(error.messages).rstrip(".")
                return f"{obj['model']} {obj.get('pk')}, {name}: {message}"
    return None


def canonical_dump():
    """The desk as a canonical JSON string: objects sorted, many-to-many lists sorted.

    Two databases holding the same desk give the same string, whatever ids users and groups
    got and whatever order rows came back in.
    """
    buffer = io.StringIO()
    export_desk(buffer)
    objects = json.loads(buffer.getvalue())
    for obj in objects:
        for name, value in obj["fields"].items():
            if isinstance(value, list) and value and isinstance(value[0], list | int | str):
                obj["fields"][name] = sorted(value, key=json.dumps)
    objects.sort(
        key=lambda o: (o["model"], json.dumps(o.get("pk")), json.dumps(o["fields"], sort_keys=True))
    )
    return json.dumps(objects, sort_keys=True, indent=1, ensure_ascii=False)
