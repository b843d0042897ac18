"""The desk's one domain error type.

Every refused transition or broken editorial rule raises `WorkflowError`. Each interface turns
it into its own form of a clear message: an admin message, an HTTP status (`http_status`), or
a command's exit status.
"""


class WorkflowError(Exception):
    FORBIDDEN = "forbidden"  # the user may not do this (HTTP 403)
    CONFLICT = "conflict"  # the object is not in a state that allows it (HTTP 409)
    INVALID = "invalid"  # the request itself is incomplete or wrong (HTTP 400)

    _HTTP_STATUS = {FORBIDDEN: 403, CONFLICT: 409, INVALID: 400}

    def __init__(self, message, *, code):
        if code not in self._HTTP_STATUS:
            raise ValueError(f"unknown WorkflowError code {code!r}")
        super().__init__(message)
        self.message = message
        self.code = code

    @property
    def http_status(self):
        return self._HTTP_STATUS[self.code]
