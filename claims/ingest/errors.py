"""The error an ingest step raises when one item cannot be brought in."""

from claims.errors import WorkflowError


class IngestError(WorkflowError):
    """One item (a file, a page, a pasted text) cannot be imported; the message says why.

    A `WorkflowError` with code INVALID, so every interface already knows how to show it.
    """

    def __init__(self, message):
        super().__init__(message, code=WorkflowError.INVALID)


class OutletNeeded(IngestError):
    """An article whose outlet is neither given nor told by its text or page: the desk
    records no claim "in" an article without its outlet, so it is not imported."""
