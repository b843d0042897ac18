"""The desk's models, one module per aggregate."""

from .articles import Article, CandidateClaim, CandidateSpotting
from .audit import AuditEvent
from .claims import Appearance, Claim, ClaimLink, MergedClaim
from .explainers import Correction, Explainer, ExplainerClaim
from .pages import StandingPage
from .places import Place, PlaceName
from .revisions import Revision
from .sources import Source, SourceAlias
from .submissions import ClaimSubmission
from .teamwork import MutedNotification, Note
from .verifications import Evidence, EvidenceCapture, Verification

__all__ = [
    "Appearance",
    "Article",
    "AuditEvent",
    "CandidateClaim",
    "CandidateSpotting",
    "Claim",
    "ClaimLink",
    "ClaimSubmission",
    "Correction",
    "Evidence",
    "EvidenceCapture",
    "Explainer",
    "ExplainerClaim",
    "MutedNotification",
    "MergedClaim",
    "Note",
    "Place",
    "PlaceName",
    "Revision",
    "Source",
    "SourceAlias",
    "StandingPage",
    "Verification",
]
