"""What a given user may see.

Readers (anonymous visitors and API consumers) see published material only; these querysets
are the one statement of that rule, reused by the site, the API, feeds, sitemaps and search.
The desk's queues for the admin dashboard live here too.
"""

from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, Subquery
from django.db.models.lookups import IsNull
from django.utils import timezone
from simple_history.models import HistoricalChanges

from claims import similarity
from claims.models import (
    Appearance,
    Article,
    AuditEvent,
    CandidateClaim,
    CandidateSpotting,
    Claim,
    ClaimLink,
    ClaimSubmission,
    Correction,
    Evidence,
    EvidenceCapture,
    Explainer,
    ExplainerClaim,
    MergedClaim,
    MutedNotification,
    Note,
    Place,
    PlaceName,
    Revision,
    Source,
    SourceAlias,
    StandingPage,
    Verification,
)
from claims.roles import ROLES

VS = Verification.Status
ES = Explainer.Status


def live_explainer_q(now=None, prefix=""):
    """Q for explainers readers may see: published, or scheduled with the time come."""
    now = now or timezone.now()
    return Q(**{f"{prefix}status": ES.PUBLISHED}) | Q(
        **{f"{prefix}status": ES.SCHEDULED, f"{prefix}publish_at__lte": now}
    )


def explainers_for_readers(now=None):
    return Explainer.objects.filter(live_explainer_q(now))


def verifications_for_readers():
    return Verification.objects.filter(status=VS.PUBLISHED)


def claims_for_readers(now=None):
    """Claims with a published verification, or cited by an explainer readers can see.

    "Cited" is a correlated EXISTS, not `pk IN (every cited claim)`: PostgreSQL then checks
    the few claims a page asks about instead of building the set of all cited claims on every
    query, so the cost does not grow with the archive.
    """
    return Claim.objects.filter(has_verdict() | Exists(_citing(now)))


def has_verdict():
    """Q for claims with a published verdict (which readers may always see): as
    `claim_for_readers` asks it of one claim it has loaded."""
    return Q(current_verification__isnull=False)


def claims_for_readers_row_by_row(now=None):
    """`claims_for_readers`, for a query that walks an index and stops at a limit: search's
    window of the newest matching claims, the home page's tracked claims, a claim page's
    "More about these places", an explainer's timeline.

    The same rule, with "cited" as a scalar subquery, which PostgreSQL runs for each claim
    the walk passes (one probe of the explainer-claim index). As an EXISTS under OR, the
    planner, expecting to check every row the index holds, chooses to build the set of all
    claims any live explainer cites first (a hashed SubPlan): a cost that grows with the
    archive, paid by every search.
    """
    first_citation = Subquery(_citing(now).values("pk")[:1])
    return Claim.objects.filter(has_verdict() | IsNull(first_citation, False))


def claim_for_readers(pk, now=None):
    """The claim `pk`, with its claimant, if readers may see it (`claims_for_readers`' rule),
    else None: a claim page's claim.

    Asked of one claim, the rule's first half needs no query: a claim with a published verdict
    is read by its key alone, and only one without asks whether a live explainer cites it.
    Built and compiled with its EXISTS, the general query costs Django about a millisecond, a
    fifteenth of a claim page's render after a verdict."""
    # By its key alone: `.first()` would order by the model's ordering (claimed_on, id),
    # which Django resolves and compiles on every page for a query of one row.
    claim = next(iter(Claim.objects.select_related("claimant").filter(pk=pk).order_by()[:1]), None)
    if claim is None or claim.current_verification_id is not None:  # `has_verdict`
        return claim
    return claim if _citing(now, claim=pk).exists() else None


def _citing(now=None, claim=None):
    """Entries of live explainers citing `claim` (an id), or the claim of the outer query."""
    now = now or timezone.now()
    return ExplainerClaim.objects.filter(
        live_explainer_q(now, prefix="explainer__"),
        claim=OuterRef("pk") if claim is None else claim,
    )


# --- the desk's queues (admin dashboard) -------------------------------------------------


def claims_without_assessment():
    """Claims no verification has been started for."""
    return Claim.objects.filter(verifications__isnull=True).order_by("created_at")


def verifications_awaiting_review():
    return Verification.objects.filter(status=VS.SUBMITTED).order_by("submitted_at")


def verifications_returned():
    return Verification.objects.filter(status=VS.RETURNED).order_by("-updated_at")


def revisions_awaiting_review():
    """Pending changes to live claims and explainers, oldest first."""
    return Revision.objects.filter(status=Revision.Status.PENDING).order_by("created_at", "id")


def explainers_scheduled():
    return Explainer.objects.filter(status=ES.SCHEDULED).order_by("publish_at")


def schedule_of(explainer):
    """What the schedule knows of `explainer` (as it is in memory): its time, while it is
    scheduled; else None."""
    return explainer.publish_at if explainer.status == ES.SCHEDULED else None


def goes_live_later(explainer, now=None):
    """Whether readers will see `explainer` (as it is in memory) by the clock, with no
    further write: scheduled, for a time still to come."""
    when = schedule_of(explainer)
    return when is not None and when > (now or timezone.now())


def stale_unconfirmed_claims(*, days, now=None):
    """Claims whose current verdict is still Unconfirmed `days` days after it was given."""
    now = now or timezone.now()
    return Claim.objects.filter(
        current_verdict="unconfirmed", current_verdict_as_of__lt=now - timedelta(days=days)
    ).order_by("current_verdict_as_of")


# --- similar claims ----------------------------------------------------------------------


# Words too common in war reporting to say two claims are alike.
def merged_into(pk):
    """The id of the claim kept when the claim `pk` was merged into it as a duplicate, or
    None (claims.services.merge): its old addresses lead there, if readers may see it."""
    return MergedClaim.objects.filter(old_id=pk).values_list("into_id", flat=True).first()


def similar_claims(statement, *, exclude_pk=None, limit=5):
    """Existing claims like `statement` (a claim's statement, or a sentence of an article),
    most similar first, each with its `similarity` (claims.similarity: one score and threshold
    on every database).

    The rows scored: on PostgreSQL those the trigram index finds similar, and on every
    database those sharing a significant word with it (at most SIMILAR_SCORED of them, the
    newest first).
    """
    statement = (statement or "").strip()[:1000]
    aliases = _place_aliases()
    words = similarity.words(statement, aliases)
    if len(words) < similarity.MIN_WORDS:
        return []
    qs = Claim.objects.select_related("claimant")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    # The claim's words as written: the folded ones, and the names the aliases fold.
    written = set(words) | {name for name, place in aliases.items() if place in words}
    query = Q()
    for word in sorted(written, key=len, reverse=True)[:12]:
        query |= Q(statement__icontains=word)
    rows = list(qs.filter(query).order_by("-id")[:SIMILAR_SCORED])
    if connection.vendor == "postgresql":
        seen = {row.pk for row in rows}
        rows += [
            row
            for row in qs.filter(statement__trigram_similar=statement[:300]).order_by("-id")[
                :SIMILAR_SCORED
            ]
            if row.pk not in seen
        ]
    scored = []
    for claim in rows:
        claim.similarity = round(similarity.score(statement, claim.statement, aliases), 2)
        if claim.similarity >= similarity.THRESHOLD:
            scored.append(claim)
    scored.sort(key=lambda c: (-c.similarity, -c.pk))
    return scored[:limit]


# The most rows one look-up of similar claims scores.
SIMILAR_SCORED = 200


def _place_aliases():
    """{a place's other one-word name: its name}, folded ("dzerzhinsk": "toretsk")."""
    return {
        alt.casefold(): name.casefold()
        for alt, name in PlaceName.objects.values_list("name", "place__name")
        if " " not in alt and " " not in name
    }


# --- the reader site ---------------------------------------------------------------------
#
# Everything a reader may reach is built from the querysets above and below; the site's views,
# feeds, sitemaps and search never filter by status themselves.


def claims_for_readers_by_verdict(verdict, now=None):
    """Reader-visible claims whose current verdict is `verdict` ("" for not yet assessed):
    with a verdict, every claim that has it (`has_verdict`: the check constraint keeps the
    verdict and the current verification in step); without, those a live explainer cites."""
    if verdict:
        return Claim.objects.filter(has_verdict(), current_verdict=verdict)
    return Claim.objects.filter(Exists(_citing(now)), current_verdict="")


def other_claims_about(places, claim_pk, now=None):
    """Reader-visible claims about any of `places` other than claim `claim_pk`, newest
    first: a claim page's "More about these places" (walked down the claim-date index, row
    by row, for the page's few)."""
    return (
        claims_for_readers_row_by_row(now)
        .filter(places__in=places)
        .exclude(pk=claim_pk)
        .distinct()
        .order_by("-claimed_on", "-id")
    )


def claims_being_tracked(now=None):
    """What the desk is following but cannot confirm: unconfirmed, or not yet assessed.

    For the home page's few newest (walked down the claim-date index, row by row: as an
    EXISTS, every claim any live explainer cites was gathered first, 35 ms on the
    benchmark's large set)."""
    return claims_for_readers_row_by_row(now).filter(
        Q(current_verdict="") | Q(current_verdict="unconfirmed")
    )


def latest_verifications_for_readers():
    """Published verifications, newest first, with their claim and claimant."""
    return (
        verifications_for_readers()
        .select_related("claim__claimant")
        .order_by("-published_at", "-id")
    )


def corrections_for_readers(now=None):
    """Corrections and update notes whose time has come, on explainers and claims readers
    may see.

    A claim's visibility is a correlated EXISTS, as in `claims_for_readers`: with
    `claim IN (every visible claim)` under the OR, PostgreSQL built the set of all 100,000
    claims of the large bench set on every claim and explainer page (a quarter of a second).
    """
    now = now or timezone.now()
    on_claims = Q(claim__isnull=False) & Exists(
        claims_for_readers(now).filter(pk=OuterRef("claim_id"))
    )
    return Correction.objects.filter(
        live_explainer_q(now, prefix="explainer__") | on_claims, published_at__lte=now
    )


def corrections_shown_with(obj, now=None):
    """The corrections and update notes on the page of `obj`, an explainer or a claim readers
    may see (found among `explainers_for_readers` or `claims_for_readers`), oldest first.

    `corrections_for_readers` asks of each correction whether its explainer or claim is
    visible; of one already found visible, that comes down to the correction's time having
    come. Asked that way it is one index lookup: the general form, one correlated EXISTS in
    an OR, took 4 ms of an explainer's or a claim page's render to build and plan."""
    now = now or timezone.now()
    return obj.corrections.filter(published_at__lte=now).order_by("published_at", "id")


def corrections_shown_and_due(obj, now=None):
    """(the corrections `corrections_shown_with` gives, the time the next of the others comes
    due or None), from one query of all of `obj`'s: for a page kept until then at most. The
    desk issues every correction at once; one dated later is shown from its time."""
    now = now or timezone.now()
    everything = list(obj.corrections.order_by("published_at", "id"))
    due = [correction.published_at for correction in everything if correction.published_at > now]
    shown = [correction for correction in everything if correction.published_at <= now]
    return shown, min(due, default=None)


def claim_links_for_readers(now=None):
    """Links between claims that readers may see: both ends must be visible. In the order
    they were made: with no order, PostgreSQL gives a row moved by an update later, and a
    claim's links came out in another order once one of them changed."""
    visible = claims_for_readers(now).values("pk")
    return ClaimLink.objects.filter(from_claim__in=visible, to_claim__in=visible).order_by("id")


def places_for_readers(now=None):
    """Places that a reader-visible claim or explainer is about."""
    return Place.objects.filter(
        Exists(claims_for_readers(now).filter(places=OuterRef("pk")))
        | Exists(explainers_for_readers(now).filter(places=OuterRef("pk")))
    )


def sources_for_readers(now=None):
    """Sources with a page of their own: named (not confidential) and cited in public material.

    A source is cited when it made a reader-visible claim, published an article in which one
    appeared, or supplied evidence to a published verification.
    """
    return sources_cited_for_readers(now).filter(is_confidential=False)


def sources_cited_for_readers(now=None):
    """Sources cited in public material, confidential ones too: readers see those by their
    redacted description, next to each claim and piece of evidence."""
    visible_claims = claims_for_readers(now)
    # Correlated EXISTS for each way of being cited: for one source (its page) PostgreSQL
    # looks up that source's rows only, instead of building every cited source's set.
    return Source.objects.filter(
        Exists(visible_claims.filter(claimant=OuterRef("pk")))
        | Exists(
            Appearance.objects.filter(
                article__outlet=OuterRef("pk"), claim__in=visible_claims.values("pk")
            )
        )
        | Exists(Evidence.objects.filter(source=OuterRef("pk"), verifications__status=VS.PUBLISHED))
    )


def source_named(name):
    """The Source called `name` by its name or one of its aliases (any case), the earliest
    when several are, or None: the outlet named at import, the organisation in a role."""
    name = (name or "").strip()
    if not name:
        return None
    return (
        Source.objects.filter(Q(name__iexact=name) | Q(aliases__name__iexact=name))
        .order_by("pk")
        .first()
    )


def claim_card_prefetches(*, captures=False, evidence=True):
    """Prefetches for what a claim's card shows readers, in a fixed number of queries: its
    verdicts (`verdict_prefetches`) and `appearances` (with article and outlet)."""
    return [*verdict_prefetches(captures=captures, evidence=evidence), _appearances()]


def verdict_prefetches(*, captures=False, evidence=True):
    """Each claim's `published_verifications` (oldest first, each with `reader_evidence`,
    a list of its evidence with their sources, and with `captures` each item's
    `reader_captures`, the desk's archived copies, newest first; without `evidence`, for the
    API's claims, which list only each verdict).

    The evidence and captures are lists (`to_attr`): a prefetch into the relation itself
    builds a related manager and a filtered queryset for every verification and every item,
    some 400 on an explainer of 50 claims, more than reading their rows costs.
    """
    verifications = verifications_for_readers().order_by("published_at", "id")
    if evidence:
        verifications = verifications.prefetch_related(verdict_evidence_prefetch(captures=captures))
    return [Prefetch("verifications", queryset=verifications, to_attr="published_verifications")]


def verdict_evidence_prefetch(*, captures=False):
    """A published verification's `reader_evidence` (a list of its evidence, with their
    sources, and with `captures` each item's `reader_captures`, newest first)."""
    # In the order they were added. Evidence's own ordering (its claim's, then its own) is
    # the same for one verdict's items, which are all of its claim's (`workflow`'s
    # _check_complete refuses any other at submission and publication), and costs a join of
    # the claims and three ordering terms to resolve on every query.
    items = Evidence.objects.select_related("source").order_by("id")
    if captures:
        items = items.prefetch_related(
            Prefetch("captures", queryset=EvidenceCapture.objects.all(), to_attr="reader_captures")
        )
    return Prefetch("evidence", queryset=items, to_attr="reader_evidence")


def evidence_cited_by(verification_ids):
    """{verification id: (evidence id, …)} of the verifications `verification_ids` (published
    verifications readers may see, as found by `verifications_for_readers`), each in the order
    `verdict_evidence_prefetch` gives: the ids alone, read from the table that joins them, for
    a claim page whose pieces of evidence are kept apart (`evidence_items`)."""
    cited = {pk: [] for pk in verification_ids}
    rows = Verification.evidence.through.objects.filter(verification_id__in=list(cited))
    for verification_id, evidence_id in rows.order_by("evidence_id").values_list(
        "verification_id", "evidence_id"
    ):
        cited[verification_id].append(evidence_id)
    return {pk: tuple(ids) for pk, ids in cited.items()}


def evidence_items(ids):
    """The pieces of evidence `ids` (cited by published verifications readers may see:
    `evidence_cited_by`) with their sources and `reader_captures`, newest first, as
    `verdict_evidence_prefetch(captures=True)` loads them; one deleted since is missing."""
    captures = Prefetch(
        "captures", queryset=EvidenceCapture.objects.all(), to_attr="reader_captures"
    )
    # By id, without Evidence's ordering (its claim's, then its own: a join).
    items = Evidence.objects.filter(pk__in=ids).order_by()
    return items.select_related("source").prefetch_related(captures)


def _appearances():
    return Prefetch(
        "appearances",
        queryset=Appearance.objects.select_related("article__outlet").order_by(
            "article__published_at", "id"
        ),
    )


def _reader_links_out(now=None):
    return Prefetch(
        "links_out",
        queryset=claim_links_for_readers(now).select_related("to_claim__claimant"),
        to_attr="reader_links_out",
    )


# What a page that only names an explainer (links to it by its title) loads of it.
EXPLAINER_NAME_FIELDS = ("id", "title", "slug")
# What such a page shows of it: those, and, in the order it lists explainers (newest first),
# when it was published.
EXPLAINER_NAMING_FIELDS = (*EXPLAINER_NAME_FIELDS, "publish_at")


def reader_claim_prefetches(now=None, *, captures=False, evidence=True):
    """Prefetches that load what a reader sees of each claim, in a fixed number of queries:
    its verdicts (`verdict_prefetches`; the API's claims leave out the evidence, which they
    do not show) and what is around it (`claim_around_prefetches`)."""
    return [
        *verdict_prefetches(captures=captures, evidence=evidence),
        *claim_around_prefetches(now),
    ]


def claim_around_prefetches(now=None):
    """What is around a claim, which a verdict on it does not change (the reader cache keeps
    it under `claim-<id>-around`, claims.web.cache.keys): `places`, `appearances` (with
    article and outlet) and its links (`claim_links_prefetches`)."""
    return ["places", _appearances(), *claim_links_prefetches(now)]


def claim_links_prefetches(now=None):
    """A claim's `reader_links_out` and `reader_links_in` (links to other visible claims,
    with those claims and their claimants) and `live_explainers` (the live explainers citing
    it, named only)."""
    return [
        _reader_links_out(now),
        Prefetch(
            "links_in",
            queryset=claim_links_for_readers(now).select_related("from_claim__claimant"),
            to_attr="reader_links_in",
        ),
        Prefetch(
            "explainers",
            # Named only (title and address): tagged so that a revision of an explainer's
            # text does not purge the pages of all its claims (claims.web.cache.keys).
            queryset=explainers_for_readers(now)
            .order_by("-publish_at", "-id")
            .only(*EXPLAINER_NAME_FIELDS),
            to_attr="live_explainers",
        ),
    ]


def claim_page_prefetches():
    """What a claim page loads up front of its claim (found with its claimant, by
    `claim_for_readers` or for the desk's preview): its verdicts. Each verdict's evidence with
    its archived copies (`verdict_evidence_prefetch(captures=True)`), what is around the claim
    (`claim_page_around_prefetches`), and its links and the explainers citing it
    (`claim_links_prefetches`) are pieces of the page kept apart, which a new verdict on the
    claim does not change, loaded only when they are not kept."""
    return verdict_prefetches(evidence=False)


def claim_page_around_prefetches():
    """What a claim page shows around the claim: its places and its appearances, with their
    articles and outlets (its structured data names them too)."""
    return ["places", _appearances()]


def appearance_prefetches():
    """A claim's appearances, with their articles and outlets: what its ClaimReview names
    besides its verdicts (the API's feed keeps them apart, jsonld.appearance_works)."""
    return [_appearances()]


def explainer_claims_for_readers(explainer, now=None, *, preview=False):
    """The claims of `explainer` in the editor's order, with what the page shows of each
    loaded (`explainer_card_prefetches` and `explainer_claim_around_prefetches`, through each
    entry's claim).

    Readers see the explainer's claims that are visible to them (all of them, once the
    explainer itself is live); a staff preview shows them all, as readers will when it is.
    """
    around = explainer_claim_around_prefetches(now)
    return explainer_entries_for_readers(explainer, now, preview=preview).prefetch_related(
        *explainer_entry_prefetches(now), *(_prefixed("claim__", p) for p in around)
    )


def explainer_entry_prefetches(now=None):
    """`explainer_card_prefetches`, for explainer entries (through each entry's claim)."""
    return [_prefixed("claim__", p) for p in explainer_card_prefetches(now)]


def explainer_entries_for_readers(explainer, now=None, *, preview=False):
    """The entries of `explainer` (`explainer_claims_for_readers`) with each claim and its
    claimant and nothing else: what the page lists of them (the claims that contradict each
    other, the share picture's tally), before each card is looked up among the worker's kept
    pieces, the cards not kept being loaded with `explainer_card_prefetches`."""
    entries = ExplainerClaim.objects.filter(explainer=explainer)
    if not preview:
        # Every claim a live explainer cites is one readers may see (`claims_for_readers`),
        # so this asks only that the explainer is live: an explainer taken down meanwhile
        # shows none. Asked of each claim, the rule's EXISTS cost Django about 2 ms to
        # build and compile on every render of the page.
        entries = entries.filter(live_explainer_q(now, prefix="explainer__"))
    return entries.select_related("claim__claimant")


def explainer_card_prefetches(now=None):
    """What an explainer's card of each of its claims shows of the claim's verdicts
    (`verdict_prefetches`, with the archived copies). What is around the claim, which a
    verdict leaves as it was, is loaded apart (`explainer_claim_around_prefetches`). Not the
    claim page's places, incoming links and explainers: on an explainer of 50 claims they
    were a fifth of the rows fetched, unused."""
    return verdict_prefetches(captures=True)


def explainer_claim_around_prefetches(now=None):
    """What an explainer shows around each of its claims: its appearances (with article and
    outlet) and `reader_links_out`, for the claims that contradict each other."""
    return [_appearances(), _reader_links_out(now)]


def _prefixed(prefix, lookup):
    if isinstance(lookup, str):
        return prefix + lookup
    return Prefetch(
        prefix + lookup.prefetch_through, queryset=lookup.queryset, to_attr=lookup.to_attr
    )


def timeline_claims_for_places(places, limit, now=None):
    """What an explainer's timeline of `places` lists of claims made: the newest `limit`
    reader-visible claims about them, as (id, the day it was made) pairs, newest first. The
    caller merges them with `timeline_verdicts_for_places` and loads the rows of what it shows
    (`timeline_claims`, `timeline_verdicts`). Only ids and dates are read and sorted here: a
    place has some 400 claims and 1,000 verdicts on the benchmark's large set, and sorting
    them whole, with their claimants joined, cost more than the 40 shown. The claims are
    tested for readers row by row (`claims_for_readers_row_by_row`)."""
    return list(
        claims_for_readers_row_by_row(now)
        .filter(pk__in=_claims_about(places))
        .order_by("-claimed_on", "-id")
        .values_list("pk", "claimed_on")[:limit]
    )


def timeline_verdicts_for_places(places, limit):
    """What an explainer's timeline of `places` lists of verdicts: the newest `limit`
    published verdicts on claims about them, as (id, the time it was published) pairs, newest
    first (`timeline_claims_for_places`). A published verdict is public whatever else (the
    API lists them all), and its claim with it: no claim's visibility to test, only which
    claims are about the places."""
    return list(
        verifications_for_readers()
        .filter(claim__in=_claims_about(places))
        .order_by("-published_at", "-id")
        .values_list("pk", "published_at")[:limit]
    )


def _claims_about(places):
    return Claim.places.through.objects.filter(place__in=places).values("claim_id")


def timeline_claims(pks):
    """The claims `pks` with their claimants, as a timeline shows them: ids that
    `timeline_claims_for_places` found visible to readers in the same render."""
    return Claim.objects.filter(pk__in=pks).select_related("claimant")


def timeline_verdicts(pks):
    """The published verifications `pks` with their claims and claimants."""
    return verifications_for_readers().filter(pk__in=pks).select_related("claim__claimant")


def verdict_counts_by_affiliation(now=None):
    """Rows of (claimant affiliation, current verdict, number of claims) for assessed claims."""
    return (
        claims_for_readers(now)
        .exclude(current_verdict="")
        .values("claimant__affiliation", "current_verdict")
        .annotate(count=Count("pk"))
        .order_by("claimant__affiliation", "current_verdict")
    )


def places_for_readers_named(name, now=None):
    """Reader-visible places called `name` by their main name or any alternative name."""
    return places_for_readers(now).matching_name(name)


def assessed_claims_for_readers(now=None):
    """Reader-visible claims with a published verdict (`now` is not needed, and kept for
    callers that ask at a given time).

    A claim has a verdict exactly when it has `current_verdict_as_of` and a current
    verification (a check constraint keeps the three in step), and a claim with a current
    verification is one readers may see (`claims_for_readers`' `has_verdict`): so this asks
    nothing about explainers, whose EXISTS cost Django about a millisecond to build and
    compile for every page of the ClaimReview feed. Saying `current_verdict_as_of` lets
    PostgreSQL skip the unassessed claims in the index on that date. Newest verdict first,
    it otherwise read past every one of them (NULLs sort first when descending): 5,900 rows
    on the large benchmark set before the ClaimReview feed's first item.
    """
    return Claim.objects.filter(
        has_verdict(), ~Q(current_verdict=""), current_verdict_as_of__isnull=False
    )


def claims_by_latest_verdict(now=None):
    """Assessed reader-visible claims, the most recently (re)assessed first."""
    return (
        assessed_claims_for_readers(now)
        .select_related("claimant")
        .order_by("-current_verdict_as_of", "-id")
    )


# --- used by the API ---------------------------------------------------------------------


def evidence_for_readers():
    """Evidence cited by a published verification: what readers see under a verdict."""
    return Evidence.objects.filter(pk__in=verifications_for_readers().values("evidence"))


def evidence_to_archive():
    """Evidence readers see (a published verification cites it) with an address and no copy
    of the desk's own yet, oldest first: what `manage.py archive_evidence` captures."""
    return evidence_for_readers().exclude(url="").filter(captures__isnull=True).order_by("id")


def articles_for_readers(now=None):
    """Articles in which a reader-visible claim appeared."""
    visible_claims = claims_for_readers(now).values("pk")
    return Article.objects.filter(
        pk__in=Appearance.objects.filter(claim__in=visible_claims).values("article")
    )


def standing_pages_for_readers():
    """Standing pages (methodology, corrections policy, ...): public as soon as they exist."""
    return StandingPage.objects.order_by("kind")


# --- what a write changes for readers ----------------------------------------------------


def never_public(model):
    """Kinds of rows readers never see anything of: the audit trail, the history of changes,
    readers' own submissions, the spotter's candidate claims, pending revisions, the desk's
    internal notes and each person's e-mail choices."""
    return issubclass(
        model,
        AuditEvent
        | ClaimSubmission
        | HistoricalChanges
        | CandidateClaim
        | CandidateSpotting
        | Revision
        | Note
        | MutedNotification,
    )


def seen_by_readers(obj, now=None, *, inserted=False):
    """Whether readers see `obj` now, itself or through what it belongs to: a claim's
    appearance and links, a place's other names, a source's aliases, an explainer's claims
    and corrections; a confidential source, by its redacted description. `inserted`: `obj`
    was inserted just now, so that no other row refers to it yet.

    The reader cache asks before and after every write (claims.web.cache), and the
    workflow around each transition: a change to what no reader sees (a draft, a
    verification in review, material gathered for a draft, an explainer scheduled for later)
    leaves readers' Last-Modified where it was. A kind of row not named here counts as seen.
    """
    model = type(obj)
    if never_public(model) or obj.pk is None:
        return False
    if model is StandingPage:
        return True
    if inserted and model in _SEEN_WHEN_REFERRED_TO:
        return False
    if model in _SEEN_ITSELF:
        return _SEEN_ITSELF[model](now).filter(pk=obj.pk).exists()
    if model in _SEEN_THROUGH:
        visible, parents = _SEEN_THROUGH[model]
        ids = {getattr(obj, name) for name in parents}
        return visible(now).filter(pk__in=ids).count() == len(ids)
    return True


# Rows readers see themselves: which of them, as of `now`.
_SEEN_ITSELF = {
    Claim: claims_for_readers,
    Verification: lambda now: verifications_for_readers(),
    Evidence: lambda now: evidence_for_readers(),
    Explainer: explainers_for_readers,
    Place: places_for_readers,
    Source: sources_cited_for_readers,
    Article: articles_for_readers,
    Correction: corrections_for_readers,
}
# Rows readers see only while others refer to them (a source cited by a visible claim or a
# published verification's evidence, a place a visible claim or explainer is about, an article
# a visible claim appeared in, evidence a published verification cites): none of them the
# moment it is inserted, which saves the query on every new one (an import makes hundreds).
_SEEN_WHEN_REFERRED_TO = frozenset({Source, Place, Article, Evidence})
# Rows readers see through others: which of those, and the foreign keys to them (all of
# them seen: a link between claims is shown only when readers see both ends).
_SEEN_THROUGH = {
    EvidenceCapture: (lambda now: evidence_for_readers(), ["evidence_id"]),
    ExplainerClaim: (explainers_for_readers, ["explainer_id"]),
    PlaceName: (places_for_readers, ["place_id"]),
    SourceAlias: (sources_cited_for_readers, ["source_id"]),
    Appearance: (claims_for_readers, ["claim_id"]),
    ClaimLink: (claims_for_readers, ["from_claim_id", "to_claim_id"]),
    # A merged duplicate's old addresses lead readers to the claim kept, once they see it.
    MergedClaim: (claims_for_readers, ["into_id"]),
}


def scheduled_publication_times(now=None):
    """{"latest_due", "next_due"}: when the latest of what readers see by the clock became
    visible to them, and when the next will (either None): a scheduled explainer, or a
    correction (one written dated later is shown from its time, `corrections_shown_with`;
    the desk issues each at once, so the latest is usually the newest correction).

    Both come to readers by the clock, with no write to the database, so caches of reader
    pages include the latest of them in their Last-Modified and look again when the next is
    due.
    """
    now = now or timezone.now()
    times = Explainer.objects.filter(status=ES.SCHEDULED).aggregate(
        latest_due=Max("publish_at", filter=Q(publish_at__lte=now)),
        next_due=Min("publish_at", filter=Q(publish_at__gt=now)),
    )
    corrections = Correction.objects.aggregate(
        latest_due=Max("published_at", filter=Q(published_at__lte=now)),
        next_due=Min("published_at", filter=Q(published_at__gt=now)),
    )
    for name, later in (("latest_due", max), ("next_due", min)):
        if corrections[name] is not None:
            times[name] = (
                corrections[name] if times[name] is None else later(times[name], corrections[name])
            )
    return times


def corrections_due(after, until):
    """The corrections readers see from a time after `after` and by `until` (Unix
    timestamps): dated later when they were written, come due since the schedule was read."""
    return Correction.objects.filter(
        published_at__gt=datetime.fromtimestamp(after, tz=UTC),
        published_at__lte=datetime.fromtimestamp(until, tz=UTC),
    )


def scheduled_explainers_due(after, until):
    """The scheduled explainers that went live after `after` and by `until` (Unix
    timestamps), as readers now see them."""
    return Explainer.objects.filter(
        status=ES.SCHEDULED,
        publish_at__gt=datetime.fromtimestamp(after, tz=UTC),
        publish_at__lte=datetime.fromtimestamp(until, tz=UTC),
    )


def claim_submissions_waiting():
    """Readers' claim submissions nobody has handled yet, oldest first (never public)."""
    return ClaimSubmission.objects.filter(status=ClaimSubmission.Status.NEW).order_by(
        "created_at", "id"
    )


def roles_with_permission(app_label, codename):
    """The names of the desk's roles (claims.roles) that grant `app_label.codename`, in the
    roles' order, so a refusal can say whom to ask."""
    granted = set(
        Group.objects.filter(
            name__in=ROLES,
            permissions__content_type__app_label=app_label,
            permissions__codename=codename,
        ).values_list("name", flat=True)
    )
    return [role for role in ROLES if role in granted]
