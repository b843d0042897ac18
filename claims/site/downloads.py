"""Bulk downloads for researchers: everything published, as CSV and as JSON Lines.

Four data sets (claims, verdicts, evidence, explainers), each a list of columns with their
meaning (the data dictionary page shows them) and the rows readers may see. Every row comes
from the selectors the reader pages use (`claims.selectors`), whoever asks, so a file holds
nothing a reader could not see on the site: no draft, no unpublished claim, no confidential
source's name (only its redacted description, as on the claim pages).

The files are served through the reader cache (claims/web/cache/): built once per
content version, that is after anything readers see has changed (a publish, correction,
unpublish, an edit of live material, a scheduled explainer coming due), then kept gzipped
and revalidated with ETag (a digest of the file) and Last-Modified (when readers last saw a
change), so a nightly crawler fetches only what changed.
"""

import csv
import datetime
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from claims import selectors
from claims.models import ExplainerClaim, Place, Verification
from claims.models.sources import SourceAffiliation
from claims.models.verifications import EvidenceKind
from claims.verdicts import Authenticity, DimensionVerdict, Verdict, verdict_info
from claims.web import links
from claims.web.cache import keys

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
}
# How a list is written in one CSV cell (JSON Lines has real arrays).
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    # The values the column takes, with their labels, for a column of choices.
    values: tuple = ()


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    columns: tuple
    rows: object  # rows(request) -> iterable of dicts keyed by the column names

    def file_name(self, file_format):
        return f"{self.name}.{file_format}"


# Rows read at a time: a prefetch asks for the related rows of a chunk's ids at once, and
# PostgreSQL takes at most 65,535 parameters in a query (the benchmark's archive has 100,000
# claims: read whole, its claims file was a 503).
CHUNK = 2000


def _claims(request):
    places = Prefetch("places", queryset=Place.objects.only("id", "name"), to_attr="named")
    claims = (
        selectors.claims_for_readers()
        .select_related("claimant")
        .only(*CLAIM_FIELDS)
        .prefetch_related(places)
        .order_by("id")
    )
    for claim in claims.iterator(CHUNK):
        source = claim.claimant
        yield {
            "id": claim.pk,
            "url": links.absolute_url(claim.get_absolute_url(), request),
            "statement": claim.statement,
            "quote": claim.quote,
            "claimant": source.public_name,
            "claimant_affiliation": source.affiliation,
            "claimant_is_confidential": source.is_confidential,
            "claimed_on": claim.claimed_on,
            "places": [place.name for place in claim.named],
            "current_verdict": claim.current_verdict or None,
            "current_verdict_label": _label(claim.current_verdict),
            "current_verdict_as_of": claim.current_verdict_as_of,
        }


# What the files show of a claim and of a verdict, and nothing else: on the benchmark's
# archive, reading whole rows (every date parsed, a manager made for each row's places or
# evidence) took the verdicts file past gunicorn's 30 s.
CLAIM_FIELDS = (
    "id",
    "slug",
    "statement",
    "quote",
    "claimed_on",
    "current_verdict",
    "current_verdict_as_of",
    "claimant",
    "claimant__name",
    "claimant__redacted_description",
    "claimant__is_confidential",
    "claimant__affiliation",
)
VERDICT_FIELDS = (
    "id",
    "claim",
    "verdict",
    "published_at",
    "rationale",
    "location_verdict",
    "time_verdict",
    "actor_verdict",
    "authenticity",
)


def _verdicts(request):
    verifications = (
        selectors.verifications_for_readers()
        .only(*VERDICT_FIELDS)
        .order_by("claim_id", "published_at", "id")
    )
    cites = Verification.evidence.through.objects.values_list("verification_id", "evidence_id")
    for chunk in _chunks(verifications.iterator(CHUNK)):
        evidence = defaultdict(list)
        for verification_id, evidence_id in cites.filter(verification_id__in=list(chunk)):
            evidence[verification_id].append(evidence_id)
        for verification in chunk.values():
            yield {
                "id": verification.pk,
                "claim_id": verification.claim_id,
                "verdict": verification.verdict,
                "verdict_label": _label(verification.verdict),
                "published_at": verification.published_at,
                "rationale": verification.rationale,
                "location_verdict": verification.location_verdict or None,
                "time_verdict": verification.time_verdict or None,
                "actor_verdict": verification.actor_verdict or None,
                "authenticity": verification.authenticity or None,
                "evidence_ids": sorted(evidence[verification.pk]),
            }


def _chunks(rows):
    """`rows` (model instances) CHUNK at a time, each chunk a dict by id, in order."""
    chunk = {}
    for row in rows:
        chunk[row.pk] = row
        if len(chunk) == CHUNK:
            yield chunk
            chunk = {}
    if chunk:
        yield chunk


def _evidence(request):
    items = selectors.evidence_for_readers().select_related("source").order_by("id")
    for item in items.iterator(CHUNK):
        source = item.source
        yield {
            "id": item.pk,
            "claim_id": item.claim_id,
            "kind": item.kind,
            "description": item.description,
            "url": item.url or None,
            "archived_url": item.archived_url or None,
            "sha256": item.sha256 or None,
            "source": source.public_name if source else None,
            "source_affiliation": source.affiliation if source else None,
            "latitude": item.latitude,
            "longitude": item.longitude,
            "captured_at": item.captured_at,
        }


def _explainers(request):
    entries = ExplainerClaim.objects.order_by("position", "id")
    explainers = (
        selectors.explainers_for_readers()
        .prefetch_related("places", Prefetch("explainer_claims", queryset=entries))
        .order_by("id")
    )
    for explainer in explainers.iterator(CHUNK):
        yield {
            "id": explainer.pk,
            "url": links.absolute_url(explainer.get_absolute_url(), request),
            "title": explainer.title,
            "standfirst": explainer.standfirst,
            "body": explainer.body,
            "published_at": explainer.first_published_at or explainer.publish_at,
            "last_substantive_update": explainer.last_substantive_update,
            "places": [place.name for place in explainer.places.all()],
            "claim_ids": [entry.claim_id for entry in explainer.explainer_claims.all()],
        }


def _label(verdict):
    return verdict_info(verdict).label if verdict else None


DATASETS = {
    dataset.name: dataset
    for dataset in (
        Dataset(
            "claims",
            "Claims",
            "Every claim we have published: assessed, or cited by an explainer.",
            (
                Column("id", "The claim's number, as in the API (/api/v1/claims/{id}/)."),
                Column("url", "The claim's page on this site."),
                Column("statement", "Our one-line summary of the claim."),
                Column("quote", "What the claimant said, verbatim and short."),
                Column(
                    "claimant",
                    "Who made the claim; for a confidential source, only our description.",
                ),
                Column(
                    "claimant_affiliation",
                    "The claimant's affiliation.",
                    tuple(SourceAffiliation.choices),
                ),
                Column("claimant_is_confidential", "true when the claimant is not named."),
                Column("claimed_on", "When the claim was made (YYYY-MM-DD)."),
                Column("places", "The places the claim is about."),
                Column(
                    "current_verdict",
                    "The verdict of its latest published assessment (the scale is on the "
                    "methodology page); empty while not yet assessed.",
                    tuple(Verdict.choices),
                ),
                Column("current_verdict_label", "The same verdict as readers see it."),
                Column("current_verdict_as_of", "When that verdict was published."),
            ),
            _claims,
        ),
        Dataset(
            "verdicts",
            "Verdict history",
            "Every published assessment of every claim, oldest first for each claim: a "
            "claim's verdict history. A published verdict is never changed; a new one "
            "supersedes it.",
            (
                Column("id", "The assessment's number (/api/v1/verifications/{id}/)."),
                Column("claim_id", "The claim assessed (claims.id)."),
                Column("verdict", "The verdict.", tuple(Verdict.choices)),
                Column("verdict_label", "The verdict as readers see it."),
                Column("published_at", "When it was published."),
                Column("rationale", "Why this verdict (Markdown)."),
                Column(
                    "location_verdict",
                    "Does the place the claim gives hold up? Empty when not assessed.",
                    tuple(DimensionVerdict.choices),
                ),
                Column(
                    "time_verdict",
                    "Does the time the claim gives hold up? Empty when not assessed.",
                    tuple(DimensionVerdict.choices),
                ),
                Column(
                    "actor_verdict",
                    "Does who the claim says acted hold up? Empty when not assessed.",
                    tuple(DimensionVerdict.choices),
                ),
                Column(
                    "authenticity",
                    "For photos, video and documents: is the material what it is said to be?",
                    tuple(Authenticity.choices),
                ),
                Column("evidence_ids", "The evidence it cites (evidence.id)."),
            ),
            _verdicts,
        ),
        Dataset(
            "evidence",
            "Evidence",
            "Every piece of evidence a published assessment cites.",
            (
                Column("id", "The evidence's number (/api/v1/evidence/{id}/)."),
                Column("claim_id", "The claim it bears on (claims.id)."),
                Column("kind", "What kind of evidence it is.", tuple(EvidenceKind.choices)),
                Column("description", "What it is and what it shows."),
                Column("url", "Where it was published."),
                Column("archived_url", "A copy in a web archive."),
                Column("sha256", "SHA-256 of the file we hold, when there is one."),
                Column(
                    "source",
                    "Who supplied or published it; for a confidential source, only our "
                    "description.",
                ),
                Column(
                    "source_affiliation",
                    "That source's affiliation.",
                    tuple(SourceAffiliation.choices),
                ),
                Column("latitude", "Where it was filmed or shows (WGS 84), when known."),
                Column("longitude", "Where it was filmed or shows (WGS 84), when known."),
                Column("captured_at", "When it was filmed or taken, when known."),
            ),
            _evidence,
        ),
        Dataset(
            "explainers",
            "Explainers",
            "Every explainer readers can read.",
            (
                Column("id", "The explainer's number (/api/v1/explainers/{id}/)."),
                Column("url", "Its page on this site."),
                Column("title", "The title."),
                Column("standfirst", "The one or two sentences under the title."),
                Column("body", "The text (Markdown)."),
                Column("published_at", "When it was first published."),
                Column("last_substantive_update", "When it was last updated or corrected."),
                Column("places", "The places it is about."),
                Column("claim_ids", "Its claims in the editor's order (claims.id)."),
            ),
            _explainers,
        ),
    )
}


def render(dataset, file_format, request):
    """The data set's file in `file_format` ("csv" or "jsonl"), as bytes."""
    with keys.lists_only():
        return _rendered(dataset, file_format, request)


def _rendered(dataset, file_format, request):
    names = [column.name for column in dataset.columns]
    rows = ({name: _plain(value) for name, value in row.items()} for row in dataset.rows(request))
    if file_format == "jsonl":
        lines = (json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows)
        return "".join(line + "\n" for line in lines).encode()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row[name]) for name in names])
    return out.getvalue().encode()


def _plain(value):
    """A JSON value: times in UTC (`Z`), dates as YYYY-MM-DD, coordinates as numbers."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return str(value)
