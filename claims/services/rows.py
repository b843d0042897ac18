"""The rows that belong to a record, each list replaced as a whole.

A claim's appearances (the articles it appeared in) and its links to other claims, an
explainer's claims in their order with the editor's notes, a source's other names and a
place's other names. The API sends each list whole; the demo and the revisions publish them
whole. Entries name their related records by object or by id.

The `*_set` functions are what a face calls: they check who may change the record and refuse
a live claim or explainer, whose rows change only through a published revision. The
`write_*` functions only write, for the revision service, which has made its own checks.
"""

from django.db import transaction

from claims.models import (
    Appearance,
    ClaimLink,
    ExplainerClaim,
    PlaceName,
    SourceAlias,
)
from claims.trail import require


def _id(value):
    return getattr(value, "pk", value)


def _same(stored, rows, ordered=True):
    """Whether `rows` are the rows `stored` holds (in the same order, if `ordered`)."""
    stored, rows = [tuple(row) for row in stored], [tuple(row) for row in rows]
    return stored == rows if ordered else sorted(stored) == sorted(rows)


def _check_parent(parent, by):
    from .live import refuse_if_live

    meta = parent._meta
    require(by, f"change_{meta.model_name}", f"change {meta.verbose_name_plural}")
    refuse_if_live(parent)


# --- claims -------------------------------------------------------------------------------


@transaction.atomic
def claim_rows_set(*, claim, by, appearances=None, links=None):
    """Replace the lists given (None leaves a list as it is) of a claim readers do not see."""
    if appearances is None and links is None:
        return
    _check_parent(claim, by)
    write_claim_rows(claim, appearances=appearances, links=links)


def write_claim_rows(claim, *, appearances=None, links=None):
    """Appearances are {article, passage}; links are {to_claim, relation, note}. A list the
    same as the one stored is left as it is: rewritten, its rows would be deleted and made
    again, and every page showing them purged for nothing (a revision of a claim's wording
    sends its lists whole)."""
    # Readers see them in their articles' and claims' order, not as stored: compared as sets.
    if appearances is not None and _same(
        claim.appearances.values_list("article_id", "passage"),
        [(_id(row["article"]), row.get("passage", "")) for row in appearances],
        ordered=False,
    ):
        appearances = None
    if links is not None and _same(
        claim.links_out.values_list("to_claim_id", "relation", "note"),
        [(_id(row["to_claim"]), row["relation"], row.get("note", "")) for row in links],
        ordered=False,
    ):
        links = None
    if appearances is not None:
        claim.appearances.all().delete()
        Appearance.objects.bulk_create(
            Appearance(claim=claim, article_id=_id(row["article"]), passage=row.get("passage", ""))
            for row in appearances
        )
    if links is not None:
        claim.links_out.all().delete()
        ClaimLink.objects.bulk_create(
            ClaimLink(
                from_claim=claim,
                to_claim_id=_id(row["to_claim"]),
                relation=row["relation"],
                note=row.get("note", ""),
            )
            for row in links
        )


# --- explainers ---------------------------------------------------------------------------


@transaction.atomic
def explainer_claims_set(*, explainer, by, entries):
    """Replace the claims of an explainer readers do not see; `by` becomes one of those who
    wrote it (so that they do not publish it, four eyes)."""
    if entries is None:
        return
    _check_parent(explainer, by)
    write_explainer_claims(explainer, entries)
    explainer.contributors.add(by)


def write_explainer_claims(explainer, entries):
    """Entries are {claim, context_note}, in the order readers see them. The same as the
    ones stored, they are left as they are (see write_claim_rows): a revision of an
    explainer's text sends its claims whole, and rewriting fifty of them purged the pages of
    all fifty claims."""
    stored = explainer.explainer_claims.order_by("position", "id")
    if _same(
        stored.values_list("claim_id", "context_note"),
        [(_id(row["claim"]), row.get("context_note", "")) for row in entries],
    ):
        return  # the same claims in the same order (positions say only the order)
    explainer.explainer_claims.all().delete()
    ExplainerClaim.objects.bulk_create(
        ExplainerClaim(
            explainer=explainer,
            claim_id=_id(row["claim"]),
            position=position,
            context_note=row.get("context_note", ""),
        )
        for position, row in enumerate(entries)
    )


# --- sources and places ---------------------------------------------------------------------


@transaction.atomic
def source_aliases_set(*, source, by, names):
    """Make `names` the other names the import knows `source` by (blank and repeated names
    dropped); names already there are kept as they are."""
    if names is None:
        return
    require(by, "change_source", "change sources")
    names = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    source.aliases.exclude(name__in=names).delete()
    existing = set(source.aliases.values_list("name", flat=True))
    SourceAlias.objects.bulk_create(
        [SourceAlias(source=source, name=name) for name in names if name not in existing]
    )


@transaction.atomic
def place_names_set(*, place, by, names):
    """Make `names` ({name, language, note}) the other names of `place`."""
    if names is None:
        return
    require(by, "change_place", "change places")
    place.alternative_names.all().delete()
    PlaceName.objects.bulk_create(
        PlaceName(
            place=place,
            name=entry["name"],
            language=entry.get("language", ""),
            note=entry.get("note", ""),
        )
        for entry in names
    )
