"""The desk's admin, one module per aggregate; importing them registers the ModelAdmins on
the desk's site (`claims.admin_site.DeskAdminSite`, the default admin site)."""

from . import (
    articles,
    audit,
    claims,
    evidence,
    explainers,
    pages,
    places,
    revisions,
    sources,
    submissions,
    verifications,
)

__all__ = [
    "articles",
    "audit",
    "claims",
    "evidence",
    "explainers",
    "pages",
    "places",
    "revisions",
    "sources",
    "submissions",
    "verifications",
]
