"""The desk's errors: one family, each kind shown once per face.

Every refused step or broken editorial rule raises a `DeskError` with a message for people.
Its kind says what went wrong, and each face turns the kind into its own form in one place:
the admin shows the message (`claims/admin/base.py`), the API answers with the kind's HTTP
status as problem details (`claims/api/exceptions.py`), a command exits with the kind's
status (`claims/management/base.py`).

- `Forbidden`: the user may not do this. HTTP 403; exit 77 (EX_NOPERM).
- `Conflict`: the record is not in a state that allows it. HTTP 409; exit 1.
- `StaleVersion` (a Conflict, claims.models.base): someone else saved it first. HTTP 409,
  or 412 under If-Match; exit 75 (EX_TEMPFAIL: try again).
- `Invalid`: the request itself is incomplete or wrong. HTTP 400; exit 65 (EX_DATAERR).
- `IngestError` (an Invalid, claims.ingest.errors): an item cannot be imported.
"""


class DeskError(Exception):
    """A refusal, with a message for the person who asked."""

    code = "invalid"  # the kind, as the API names it
    http_status = 400
    exit_code = 1

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class Forbidden(DeskError):
    """The user may not do this."""

    code = "forbidden"
    http_status = 403
    exit_code = 77


class Conflict(DeskError):
    """The record is not in a state that allows it."""

    code = "conflict"
    http_status = 409
    exit_code = 1


class Invalid(DeskError):
    """The request itself is incomplete or wrong."""

    code = "invalid"
    http_status = 400
    exit_code = 65
