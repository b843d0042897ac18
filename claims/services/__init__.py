"""Every write of the desk's records that is not a workflow step (those are claims.workflow).

The admin, the API, the import and the commands save a source, an article, a place, a claim,
a piece of evidence, a verification or an explainer through `record_save`, delete one through
`record_delete`, and replace a record's rows (appearances, links, an explainer's claims, other
names) through `claims.services.rows`; they archive an evidence item's page through
`evidence_archive`; they merge a duplicate claim into the one kept through `claim_merge`.
These apply the rules of each kind: who may save it, what they may change,
what must be recorded. Each rule is written once, here, and holds whichever face the write
came through. Functions take keyword arguments only and run in one transaction (an archive
fetches its page before its transaction); a refusal is a `DeskError` (claims.errors),
which each face turns into its own message or status.
"""

from .evidence import evidence_archive
from .merge import claim_merge
from .records import record_delete, record_save
from .rows import (
    claim_rows_set,
    explainer_claims_set,
    place_names_set,
    source_aliases_set,
)
from .sources import source_save
from .verifications import verification_save

__all__ = [
    "claim_merge",
    "claim_rows_set",
    "evidence_archive",
    "explainer_claims_set",
    "place_names_set",
    "record_delete",
    "record_save",
    "source_aliases_set",
    "source_save",
    "verification_save",
]
