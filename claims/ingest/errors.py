"""The error an ingest step raises when one item cannot be brought in."""

from claims.errors import Invalid


class IngestError(Invalid):
    """One item (a file, a page, a pasted text) cannot be imported; the message says why.

    An `Invalid` (claims.errors), so every face already knows how to show it.
    """


class OutletNeeded(IngestError):
    """An article whose outlet is neither given nor told by its text or page: the desk
    records no claim "in" an article without its outlet, so it is not imported."""
