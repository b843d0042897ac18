"""The reader site's pages. Thin: what readers may see comes from `claims.selectors`.

Each detail page looks the object up among what readers may see. Logged-in desk staff who ask
for something readers cannot see yet get it as a clearly marked preview; everyone else gets a
404 that says nothing about whether it exists.
"""

from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import InvalidPage, PageNotAnInteger, Paginator
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_safe

from claims import selectors
from claims.models import Claim, Explainer, Place, Source, StandingPage
from claims.services.submissions import submission_receive
from claims.verdicts import BEST_RATING, DIMENSIONS, SCALE, WORST_RATING, Verdict
from claims.web import jsonld, links, ratelimit
from claims.web.cache import pieces
from claims.web.cache.keys import (
    evidence_item_keys,
    kept_around,
    loaded_keys,
    shows,
    verdict_card_keys,
)
from claims.web.search import EXACT_NAME_RANK, MAX_QUERY_LENGTH, squeezed
from claims.web.search import search as run_search

from . import downloads as downloads_module
from . import fragments, presenters, share
from .forms import ClaimSubmissionForm
from .locator_map import locator_map

PAGE_SIZE = 20
TIMELINE_LENGTH = 40


def paginate(request, queryset, per_page=PAGE_SIZE):
    """The page of `queryset` that ?page= names, the first without one; a page number past
    the last page, or anything but a whole number from 1, is a 404 (the API's rule too)."""
    number = request.GET.get("page") or "1"
    try:
        if not (number.isascii() and number.isdigit()):
            raise PageNotAnInteger(number)
        return Paginator(queryset, per_page).page(number)
    except InvalidPage as error:
        raise Http404("No such page.") from error


def page_number(value):
    """A page number as `paginate` reads it: `02` is page 2; anything else as sent (a 404)."""
    return str(int(value)) if value.isascii() and value.isdigit() else value


def paged(sent):
    """How a page of a list reads its query (claims.web.cache's `params`): its page alone."""
    return [("page", page_number(sent["page"]))] if "page" in sent else []


def list_page(request, template, queryset, *, nav):
    """The page of `queryset` that ?page= names, rendered with `template`; `nav` is the item
    of the site's menu it is under."""
    return render(request, template, {"page_obj": paginate(request, queryset), "nav": nav})


def is_desk_user(user):
    """Logged-in desk staff, who may preview what readers cannot see yet."""
    return user.is_authenticated and user.is_active and user.is_staff


def reader_or_preview(request, for_readers, for_desk, **lookup):
    """(object, is_preview): from `for_readers`, else from `for_desk` for staff, else 404.
    `for_readers` is a queryset, or a function finding the object by `lookup` or giving None
    (`selectors.claim_for_readers`). `for_desk` may be a function giving the queryset, built
    only when it is needed (a reader's request need not pay for it)."""
    if callable(for_readers):
        found = for_readers(**lookup)
    else:
        found = for_readers.filter(**lookup).first()
    if found is not None:
        return found, False
    if is_desk_user(request.user):
        for_desk = for_desk() if callable(for_desk) else for_desk
        found = for_desk.filter(**lookup).first()
        if found is not None:
            return found, True
    raise Http404("No such page.")


def byline(explainer):
    names = [a.get_full_name() for a in explainer.authors.all() if a.get_full_name()]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


# --- pages -------------------------------------------------------------------------------


def home(request):
    return render(
        request,
        "site/home.html",
        {
            "is_home": True,
            "structured_data": jsonld.script_tag(jsonld.organization_document(request)),
            "explainers": selectors.explainers_for_readers().order_by("-publish_at", "-id")[:6],
            "latest_verdicts": selectors.claims_by_latest_verdict()[:8],
            "tracked": selectors.claims_being_tracked()
            .select_related("claimant")
            .order_by("-claimed_on", "-id")[:8],
        },
    )


def explainer_list(request):
    explainers = selectors.explainers_for_readers().order_by("-publish_at", "-id")
    return list_page(request, "site/explainer_list.html", explainers, nav="explainers")


def explainer_share_image(request, slug):
    """The picture a live explainer is shared with (claims/site/share.py); 404 otherwise."""
    explainer = get_object_or_404(selectors.explainers_for_readers(), slug=slug)
    entries = selectors.explainer_entries_for_readers(explainer)  # their verdicts alone
    png = share.share_png(
        explainer, [entry.claim for entry in entries], site_name=settings.DESK["ORGANISATION_NAME"]
    )
    return HttpResponse(png, content_type="image/png")


class ClaimAround(NamedTuple):
    """What an explainer's card shows around one of its claims, which a verdict on it leaves
    as it was: its appearances (`presenters.AppearanceShown`), the claims it disputes and the
    outlets it cites. Kept as a piece of its own (claims.web.cache.pieces) under the keys of
    what is around the claim (`claim-<id>-around`, and those of the rows it was made from),
    so that the card rebuilt after a verdict reads the claim's verdicts alone."""

    appearances: tuple
    disputes: tuple
    outlets: tuple


class ShownClaim(NamedTuple):
    """What an explainer shows of one of its claims, kept as a piece of the page
    (claims.web.cache.pieces) so that a verdict on one claim re-renders that claim's card
    alone: its card's HTML, its verdict (for the share picture's tally), the claims it
    disputes and the sources it cites. It is made with the claim's `ClaimAround`, and so
    shows, and is purged by, what that shows as well."""

    card: str
    verdict: str
    disputes: tuple
    citations: tuple


def shown_claim(claim, context_note, around, *, preview):
    return ShownClaim(
        card=fragments.claim_card(claim, context_note, around.appearances, preview=preview),
        verdict=claim.current_verdict,
        disputes=around.disputes,
        citations=presenters.citations(claim, around.outlets),
    )


def claims_around(claims):
    """The `ClaimAround` of each of `claims` (loaded with their claimants): kept, or loaded
    (`selectors.explainer_claim_around_prefetches`) and made."""

    def load(missing):
        wanted = [claims[index] for index in missing]
        prefetch_related_objects(wanted, *selectors.explainer_claim_around_prefetches())
        return wanted

    def build(loaded):
        return [
            ClaimAround(
                presenters.appearances_shown(c), presenters.disputed(c), presenters.outlets_cited(c)
            )
            for c in loaded
        ]

    def keys_of(claim):
        # Of the claims it disputes the piece keeps the ids alone: not their keys, or a
        # verdict on one would purge this one. A link's row names both ends' `-around`, which
        # an end coming to readers or leaving them purges.
        links = claim.reader_links_out
        linked = [link.to_claim for link in links]
        return kept_around(claim, [*claim.appearances.all(), *links], skip=linked)

    names = [("site/explainer_detail:claim-around", claim.pk) for claim in claims]
    return pieces.kept_or_built(names, load, build, keys_of)


def explainer_claims(explainer, *, preview):
    """(claim id, `ShownClaim`) for each of the claims `explainer` shows, in the editor's
    order: those kept from an earlier render while nothing they show has changed, the others
    loaded and built.

    The entries are read with their claims' ids and notes alone: nearly every card is kept,
    and reading 50 claims with their claimants whole cost more than the rest of the list. The
    entries whose cards are not kept are read again with their claims, by id, and their
    verdicts (`selectors.explainer_entry_prefetches`); what is around each claim comes from
    its own piece (`claims_around`), which a verdict does not purge."""
    entries = selectors.explainer_entries_for_readers(explainer, preview=preview)
    entries = list(entries.select_related(None).only("claim_id", "context_note"))

    def build(entries):
        arounds = claims_around([entry.claim for entry in entries])
        return [
            shown_claim(entry.claim, entry.context_note, around, preview=preview)
            for entry, around in zip(entries, arounds, strict=True)
        ]

    shown = pieces.per_object(
        entries,
        lambda entry: ("site/explainer_detail:claim", entry.claim_id, entry.context_note),
        selectors.explainer_entry_prefetches,
        build,
        reload=selectors.explainer_entries_for_readers(explainer, preview=preview),
        keys_of=lambda entry: loaded_keys(entry.claim),
    )
    # An entry gone since its id was read has no part (None).
    return [(e.claim_id, part) for e, part in zip(entries, shown, strict=True) if part]


def disputing_pairs(shown, *, preview):
    """The pairs of an explainer's claims that dispute each other (`presenters`; `shown` is
    `explainer_claims`'), their claims loaded with their claimants, in one query when there
    are any."""
    pairs = presenters.disputing_pairs(
        [pk for pk, _ in shown], [part.disputes for _, part in shown]
    )
    if not pairs:
        return []
    claims = selectors.claims_for_readers() if not preview else Claim.objects.all()
    wanted = {pk for pair in pairs for pk in pair}
    found = claims.filter(pk__in=wanted).select_related("claimant").in_bulk()
    return [(found[a], found[b]) for a, b in pairs if a in found and b in found]


def explainer_timeline(places):
    """An explainer's timeline: the newest claims made and verdicts published about its
    places, whichever explainers cite them, oldest first ("" when there are none). Kept as a
    piece of the page: a verdict on one of the explainer's claims about other places, or a
    revision of its text, leaves it as it was. When it is rendered again, which claims and
    which verdicts it lists are each a piece (`timeline_lists`), and so is each event
    (`timeline_events`): a new verdict reads the list of verdicts again and loads and renders
    its own event, and the list of claims and the other events are reused."""
    # Purged when a place is renamed (the section names them, loaded before the piece's keys
    # were collected); what it shows of each listed claim adds that claim's key as it is
    # loaded.
    shows(*(f"place-{place.pk}" for place in places))
    claims, verdicts = timeline_lists(places)
    events = presenters.timeline(claims, verdicts, limit=TIMELINE_LENGTH)
    if not events:
        return ""
    return mark_safe(  # nosec B308 B703 # the template's own autoescaped output
        render_to_string(
            "site/includes/timeline.html", {"events": timeline_events(events), "places": places}
        )
    )


def timeline_lists(places):
    """(claims, verdicts) of `places`' timeline (`selectors.timeline_claims_for_places` and
    `timeline_verdicts_for_places`), each kept as a piece of its own. Which claims it lists
    is purged only when a claim about one of the places comes, goes or is changed itself
    (`place-<id>-claims`, keys.py); which verdicts, by any change to a claim about them
    (`place-<id>-list`). On the benchmark's large set the claims' query is the costlier of
    the two (visibility tested row by row), and a verdict leaves its answer as it was."""
    pks = tuple(place.pk for place in places)

    def claims():
        shows(*(f"place-{pk}-claims" for pk in pks))
        return tuple(selectors.timeline_claims_for_places(places, TIMELINE_LENGTH))

    def verdicts():
        shows(*(f"place-{pk}-list" for pk in pks))
        return tuple(selectors.timeline_verdicts_for_places(places, TIMELINE_LENGTH))

    return (
        pieces.piece(("site/explainer_detail:timeline-claims", *pks), claims),
        pieces.piece(("site/explainer_detail:timeline-verdicts", *pks), verdicts),
    )


def timeline_events(events):
    """The HTML of each of `events` (presenters.TimelineEvent), each kept as a piece of its
    own (a claim made: the claim and its claimant; a verdict: the verification, its claim and
    claimant), loading the rows of those not kept."""

    def load(missing):
        wanted = [events[index] for index in missing]
        claims = [e.pk for e in wanted if e.kind == "claim"]
        verdicts = [e.pk for e in wanted if e.kind == "verdict"]
        rows = {}
        if claims:
            rows.update((("claim", c.pk), c) for c in selectors.timeline_claims(claims))
        if verdicts:
            rows.update((("verdict", v.pk), v) for v in selectors.timeline_verdicts(verdicts))
        return [rows.get((e.kind, e.pk)) for e in wanted]

    def build(instances):
        return [
            ""
            if row is None
            else render_to_string(
                "site/includes/timeline_event.html",
                {"claim": row, "verification": None}
                if isinstance(row, Claim)
                else {"claim": row.claim, "verification": row},
            )
            for row in instances
        ]

    names = [("site/explainer_detail:timeline-event", e.kind, e.pk) for e in events]
    return [mark_safe(html) for html in pieces.kept_or_built(names, load, build)]  # nosec B308 B703


def explainer_detail(request, slug):
    places = Prefetch("places", queryset=Place.objects.prefetch_related("alternative_names"))
    explainer, preview = reader_or_preview(
        request,
        selectors.explainers_for_readers().prefetch_related("authors", places),
        Explainer.objects.prefetch_related("authors", places),
        slug=slug,
    )
    shown = explainer_claims(explainer, preview=preview)
    places = list(explainer.places.all())
    timeline = (
        pieces.piece(
            ("site/explainer_detail:timeline", *(place.pk for place in places)),
            lambda: explainer_timeline(places),
        )
        if places
        else ""
    )
    if preview:
        corrections = explainer.corrections.order_by("published_at", "id")
    else:
        corrections = selectors.corrections_shown_with(explainer)
    corrections = list(corrections)
    structured_data = (
        None if preview else jsonld.script_tag(jsonld.news_article(explainer, corrections, request))
    )
    share_image = None
    if not preview:
        path = reverse("site:explainer-share-image", kwargs={"slug": explainer.slug})
        share_image = {
            "url": links.absolute_url(path, request),
            "alt": share.alt_text(explainer, [part.verdict for _, part in shown]),
        }
    sources = presenters.sources_cited(part.citations for _, part in shown)
    return render(
        request,
        "site/explainer_detail.html",
        {
            "explainer": explainer,
            "share_image": share_image,
            "preview": preview,
            "preview_reason": f"This explainer is {explainer.get_status_display().lower()}.",
            "byline": byline(explainer),
            "cards": [part.card for _, part in shown],
            "places": places,
            "disputing_pairs": disputing_pairs(shown, preview=preview),
            "timeline": timeline,
            "map": locator_map(places),
            "sources_cited": (
                fragments.sources_cited_panel(sources, preview=preview) if sources else ""
            ),
            "corrections": corrections,
            "structured_data": structured_data,
            "nav": "explainers",
        },
    )


# What /claims/?verdict= tells apart: a verdict, or "none" (claims without one). Any other
# value lists every claim, as no filter ("", the filter form's "Any verdict") does.
LISTED_VERDICTS = frozenset({"none", *Verdict.values})


def claim_list_query(sent):
    """How /claims/ reads its query: a verdict it tells apart (or the form's "Any"), and the
    page."""
    verdict = sent.get("verdict")
    read = [("verdict", verdict)] if verdict in LISTED_VERDICTS or verdict == "" else []
    return read + paged(sent)


def claim_list(request):
    verdict = request.GET.get("verdict", "")
    if verdict not in LISTED_VERDICTS:
        verdict = ""
        claims = selectors.claims_for_readers()
    elif verdict == "none":
        claims = selectors.claims_for_readers_by_verdict("")
    else:
        claims = selectors.claims_for_readers_by_verdict(verdict)
    claims = claims.select_related("claimant")
    return render(
        request,
        "site/claim_list.html",
        {
            "page_obj": paginate(request, claims.order_by("-claimed_on", "-id")),
            "page_query": f"verdict={verdict}&" if verdict else "",
            "verdict": verdict,
            "scale": SCALE,
            "nav": "claims",
        },
    )


def claim_redirect(request, pk, slug=None):
    """/claims/<id>/ goes to the claim's full address: for good, for readers; for now, for
    staff previewing a claim readers cannot see, whose address changes with its statement.
    A duplicate merged into another claim goes to the claim kept. So does a full address
    with the key spelt otherwise (/claims/007-<slug>/), whatever its slug: a claim has one
    address, not one page kept and called canonical for each spelling."""
    claims = (selectors.claim_for_readers, Claim.objects.all())
    try:
        claim, preview = reader_or_preview(request, *claims, pk=pk)
    except Http404:
        kept = selectors.merged_into(pk)
        if kept is None:
            raise
        claim, preview = reader_or_preview(request, *claims, pk=kept)
    return redirect(claim.get_absolute_url(), permanent=not preview)


# How many of the newest other claims about its places a claim page lists.
MORE_ABOUT_THESE_PLACES = 10


def more_about_these_places(claim, places):
    """A claim page's "Other claims about <its places>": the newest few reader-visible claims
    about them, the claim itself aside. Kept as a piece of the page (claims.web.cache.pieces):
    a new verdict on the claim purges its page, not this list."""
    # Purged when a claim comes to or leaves one of the places (keys.py), or a place is
    # renamed (its heading names them: they were loaded before the piece's keys were
    # collected); a listed claim's new verdict purges its own key, added as it was loaded.
    shows(*(f"place-{place.pk}-claims" for place in places))
    shows(*(f"place-{place.pk}" for place in places))
    pks = [place.pk for place in places]
    same_places = selectors.other_claims_about(pks, claim.pk).select_related("claimant")[
        :MORE_ABOUT_THESE_PLACES
    ]
    return mark_safe(  # nosec B308 B703 # the template's own autoescaped output
        render_to_string(
            "site/includes/more_about.html", {"same_places": same_places, "places": places}
        )
    )


class ClaimLinks(NamedTuple):
    """A claim page's sections on its links (HTML): its "Related claims" and its "Explainers
    that cite it"."""

    related: str
    explainers: str


def claim_links(claim):
    """The `ClaimLinks` of `claim`'s page, its links and citing explainers loaded. Kept as a
    piece of the page (claims.web.cache.pieces): what it loads is tagged with what is around
    the claim (`claim-<id>-around`, keys.py) and with the claims and explainers it names, so
    a verdict on the claim itself re-renders the rest of the page and reuses it."""
    # Purged when a link, or an explainer citing the claim, comes or goes: with none yet,
    # nothing loaded would say so.
    shows(f"claim-{claim.pk}-around")
    prefetch_related_objects([claim], *selectors.claim_links_prefetches())
    related = {
        "disputes": presenters.linked_claims(claim, "disputes"),
        "supports": presenters.linked_claims(claim, "supports"),
    }
    return ClaimLinks(
        related=render_to_string("site/includes/claim_related.html", related),
        explainers=render_to_string(
            "site/includes/claim_explainers.html", {"explainers": claim.live_explainers}
        ),
    )


class PlaceShown(NamedTuple):
    """A place as a claim page names it: plain values, kept with what is around the claim."""

    pk: int
    name: str
    url: str

    def get_absolute_url(self):
        return self.url


class ClaimPageAround(NamedTuple):
    """What a claim page shows around the claim, which a verdict on it leaves as it was: its
    places (`PlaceShown`) and its "Where it appeared" section (HTML). Its structured data's
    appearances are kept apart, as the ClaimReview feed's are (`jsonld.kept_appearance_works`)."""

    places: tuple
    appearances: str


def claim_page_around(claim):
    """The `ClaimPageAround` of `claim`'s page: kept from an earlier render while nothing it
    shows has changed, else loaded (`selectors.claim_page_around_prefetches`) and made. A
    verdict on the claim purges its page, not this: its keys are those of the places,
    appearances, articles and outlets it was made from, not the claim's own, and
    `claim-<id>-around`, which a place or appearance coming or going purges (keys.py)."""

    def load(missing):
        prefetch_related_objects([claim], *selectors.claim_page_around_prefetches())
        return [claim]

    def build(loaded):
        return [
            ClaimPageAround(
                places=tuple(
                    PlaceShown(p.pk, p.name, p.get_absolute_url()) for p in c.places.all()
                ),
                appearances=render_to_string(
                    "site/includes/claim_appearances.html",
                    {"appearances": list(c.appearances.all())},
                ),
            )
            for c in loaded
        ]

    def keys_of(claim):
        return kept_around(claim, [*claim.places.all(), *claim.appearances.all()])

    name = ("site/claim_detail:around", claim.pk)
    (around,) = pieces.kept_or_built([name], load, build, keys_of)
    return around


# What a claim page's "Corrections and updates" says while it has none (our own words, as a
# template's literal text would be: not escaped).
CLAIM_NOT_CORRECTED = mark_safe(  # nosec B308 B703 # a constant of ours
    "We have not corrected or updated this claim's wording since we first published it; its "
    "verdict history is above."
)


def claim_corrections(claim, *, preview):
    """A claim page's "Corrections and updates" (HTML): those readers may see, oldest first
    (a preview: all of them), kept as a piece of the page until something it shows changes or
    the next correction comes due. Its keys are `claim-<id>-around`, which a correction issued
    on the claim, changed or removed purges (keys.touched_by), and those of its corrections
    but their claim's own, which a verdict purges: a new verdict leaves it as it was."""

    def load(missing):
        # Read here, not in `build`: rows read there add their keys to the piece's, and a
        # correction's include its claim's.
        if preview:
            claim.shown_corrections = list(claim.corrections.order_by("published_at", "id"))
            claim.corrections_due = None
        else:
            claim.shown_corrections, claim.corrections_due = selectors.corrections_shown_and_due(
                claim
            )
        return [claim]

    def build(loaded):
        if claim.corrections_due is not None:
            pieces.until(claim.corrections_due)
        html = render_to_string(
            "site/includes/corrections.html",
            {
                "corrections": claim.shown_corrections,
                "none_yet": CLAIM_NOT_CORRECTED,
            },
        )
        return [html]

    def keys_of(claim):
        return kept_around(claim, claim.shown_corrections) - {f"claim-{claim.pk}"}

    name = ("site/claim_detail:corrections", claim.pk)
    (html,) = pieces.kept_or_built([name], load, build, keys_of)
    return html


class VerdictCard(NamedTuple):
    """A published verdict as a claim page's history shows it below its heading (HTML: its
    badge, attribution, dimensions, rationale and evidence), and the archived copies its
    evidence gives for the page's structured data (`jsonld.archived_copies`)."""

    html: str
    archived: tuple


class EvidenceShown(NamedTuple):
    """A piece of evidence as a verdict card lists it (HTML: an item of its list), (address,
    archived copy) for the page's structured data, or None without both, and the keys of
    what it shows (`keys.evidence_item_keys`), which the cards made with it carry too."""

    html: str
    archived: tuple | None
    keys: frozenset


def evidence_shown(ids):
    """The `EvidenceShown` of each of the pieces of evidence `ids` (cited by published
    verdicts: `selectors.evidence_cited_by`), in order: kept from an earlier render while
    nothing it shows has changed, else loaded (`selectors.evidence_items`) and made; None for
    one deleted since its id was read. A new verdict citing evidence an earlier one cited
    reuses it: its keys are its own, its source's and `evidence-<id>`, which an archived copy
    of it purges too, not its claim's, which the verdict purges."""

    def load(missing):
        wanted = [ids[index] for index in missing]
        found = {item.pk: item for item in selectors.evidence_items(wanted)}
        return [found.get(pk) for pk in wanted]

    def build(items):
        return [
            None
            if item is None
            else EvidenceShown(
                html=render_to_string("site/includes/evidence_item.html", {"item": item}),
                archived=jsonld.archived_copy(item),
                keys=frozenset(evidence_item_keys(item)),
            )
            for item in items
        ]

    names = [("site/claim_detail:evidence", pk) for pk in ids]
    return pieces.kept_or_built(names, load, build, evidence_item_keys)


def verdict_cards(claim, verifications):
    """The `VerdictCard` of each of `verifications` (published, of `claim`, in order): kept
    from an earlier render while nothing it shows has changed, else built from the pieces of
    evidence it cites (`evidence_shown`, of the ids `selectors.evidence_cited_by` reads for
    the verdicts not kept). A new verdict on the claim purges the page, not the cards of its
    earlier verdicts nor the evidence it cites again: their keys are those of the verdict, of
    its evidence and of their sources, not the claim's own (`keys.verdict_card_keys`)."""

    def load(missing):
        wanted = [verifications[index] for index in missing]
        cited = selectors.evidence_cited_by([verification.pk for verification in wanted])
        ids = list(dict.fromkeys(pk for verification in wanted for pk in cited[verification.pk]))
        shown = dict(zip(ids, evidence_shown(ids), strict=True))
        for verification in wanted:
            items = (shown[pk] for pk in cited[verification.pk])
            verification.evidence_shown = [item for item in items if item is not None]
        return wanted

    def build(loaded):
        return [
            VerdictCard(
                html=render_to_string(
                    "site/includes/verdict_card.html",
                    {"verification": v, "evidence": [item.html for item in v.evidence_shown]},
                ),
                archived=tuple(item.archived for item in v.evidence_shown if item.archived),
            )
            for v in loaded
        ]

    def keys_of(verification):
        evidence = frozenset().union(*(item.keys for item in verification.evidence_shown))
        return verdict_card_keys(claim, verification, evidence)

    names = [("site/claim_detail:verdict", v.pk) for v in verifications]
    return pieces.kept_or_built(names, load, build, keys_of)


def claim_detail(request, pk, slug):
    try:
        claim, preview = reader_or_preview(
            request, selectors.claim_for_readers, Claim.objects.select_related("claimant"), pk=pk
        )
    except Http404:
        if selectors.merged_into(pk) is None:
            raise
        return claim_redirect(request, pk)  # a duplicate, merged into the claim kept
    if slug != claim.slug:
        return redirect(claim.get_absolute_url(), permanent=not preview)
    prefetch_related_objects([claim], *selectors.claim_page_prefetches())
    around = claim_page_around(claim)
    places = around.places
    more_about = (
        pieces.piece(
            ("site/claim_detail:more-about", claim.pk, *(place.pk for place in places)),
            lambda: more_about_these_places(claim, places),
        )
        if places
        else ""
    )
    verifications = claim.published_verifications
    cards = verdict_cards(claim, verifications)
    review = None
    if not preview:
        (works,) = jsonld.kept_appearance_works([claim])
        review = jsonld.claim_review(claim, request, works, [c.archived for c in cards])
    return render(
        request,
        "site/claim_detail.html",
        {
            "claim": claim,
            "structured_data": jsonld.script_tag(review) if review else None,
            "preview": preview,
            "preview_reason": "This claim has no published verdict and is in no published "
            "explainer.",
            "current": verifications[-1] if verifications else None,
            "history": list(reversed(list(zip(verifications, cards, strict=True)))),
            "links": pieces.piece(
                ("site/claim_detail:links", claim.pk), lambda: claim_links(claim)
            ),
            "more_about": more_about,
            "places": places,
            "appearances": around.appearances,
            "corrections": claim_corrections(claim, preview=preview),
            "nav": "claims",
        },
    )


def place_list(request):
    places = selectors.places_for_readers().prefetch_related("alternative_names")
    return list_page(request, "site/place_list.html", places.order_by("name", "id"), nav="places")


def place_detail(request, slug):
    for_readers = selectors.places_for_readers().prefetch_related("alternative_names")
    place = for_readers.filter(slug=slug).first()
    preview = False
    if place is None:
        # Reachable by any of its names: /places/dzerzhynsk/ is Toretsk.
        other = selectors.places_for_readers_named(slug.replace("-", " ")).first()
        if other is not None:
            return redirect(other.get_absolute_url(), permanent=True)
        place, preview = reader_or_preview(
            request, for_readers, Place.objects.prefetch_related("alternative_names"), slug=slug
        )
    # The page lists the place's claims and explainers: purged when one joins or leaves.
    shows(f"place-{place.pk}-list")
    claims = (
        selectors.claims_for_readers()
        .filter(places=place)
        .select_related("claimant")
        .order_by("-claimed_on", "-id")
    )
    return render(
        request,
        "site/place_detail.html",
        {
            "place": place,
            "preview": preview,
            "preview_reason": "No published claim or explainer is about this place yet.",
            "explainers": selectors.explainers_for_readers()
            .filter(places=place)
            .order_by("-publish_at", "-id"),
            "page_obj": paginate(request, claims),
            "map": locator_map([place]),
            "nav": "places",
        },
    )


def source_list(request):
    sources = selectors.sources_for_readers().order_by("name", "id")
    return list_page(request, "site/source_list.html", sources, nav="sources")


def source_detail(request, slug):
    source, preview = reader_or_preview(
        request,
        selectors.sources_for_readers().prefetch_related("aliases"),
        # Confidential sources have no page, for staff either: what readers would see is
        # their redacted description, next to each claim.
        Source.objects.filter(is_confidential=False).prefetch_related("aliases"),
        slug=slug,
    )
    shows(f"source-{source.pk}-list")  # as a place's page, above
    claims = selectors.claims_for_readers().filter(claimant=source)
    counts = {
        row["current_verdict"]: row["count"]
        for row in claims.values("current_verdict").annotate(count=Count("pk")).order_by()
    }
    record = [(info, counts.get(info.value, 0)) for info in SCALE]
    return render(
        request,
        "site/source_detail.html",
        {
            "source": source,
            "preview": preview,
            "preview_reason": "Nothing published cites this source yet.",
            "record": record,
            "not_assessed": counts.get("", 0),
            "assessed_total": sum(n for v, n in counts.items() if v),
            "page_obj": paginate(
                request, claims.select_related("claimant").order_by("-claimed_on", "-id")
            ),
            "nav": "sources",
        },
    )


SEARCH_KINDS = {
    "claims": "Claims",
    "explainers": "Explainers",
    "places": "Places",
    "sources": "Sources",
}
SEARCH_PREVIEW = 5  # results of each kind on the page with all kinds
SEARCH_LIMIT = 200  # results of one kind, over its pages


def search_query(sent):
    """How the search reads its query: its words, squeezed (`?q=toretsk+` is `?q=toretsk`)
    and cut where the search cuts them (two queries alike in their first MAX_QUERY_LENGTH
    characters are one search, and one page), a kind of result it knows, and, for one kind
    (the only search with pages), the page."""
    read = [("q", search_query_as_read(sent["q"]))] if "q" in sent else []
    if sent.get("type") in SEARCH_KINDS:
        read += [("type", sent["type"]), *paged(sent)]
    return read


def search_query_as_read(sent):
    """The query as the search reads it, squeezed; past MAX_QUERY_LENGTH characters, those
    and a mark that there were more (read as shortened, and said so on the page), whatever
    they were."""
    text = squeezed(sent)
    if len(text) > MAX_QUERY_LENGTH:
        return f"{text[:MAX_QUERY_LENGTH]} …"
    return text


def search(request):
    """Search everything readers may see; any query string gets a page, never an error."""
    kind = request.GET.get("type", "")
    if kind not in SEARCH_KINDS:
        kind = ""
    results = run_search(request.GET.get("q", ""), limit=SEARCH_LIMIT if kind else 50)
    sections = [
        {"kind": key, "label": label, "hits": getattr(results, key)}
        for key, label in SEARCH_KINDS.items()
        if not kind or key == kind
    ]
    if results.places and results.places[0].rank >= EXACT_NAME_RANK:
        # The reader typed a place's name (any of them): the place comes first.
        sections.sort(key=lambda section: section["kind"] != "places")
    page_obj = paginate(request, sections[0]["hits"]) if kind else None
    if kind:
        sections[0]["hits"] = page_obj
    else:
        for section in sections:
            section["more"] = len(section["hits"]) > SEARCH_PREVIEW
            section["count"] = len(section["hits"])
            section["hits"] = section["hits"][:SEARCH_PREVIEW]
    return render(
        request,
        "site/search.html",
        {
            "results": results,
            "search_query": results.query,
            "sections": sections,
            "kind": kind,
            "page_obj": page_obj,
            "page_query": urlencode({"q": results.query, "type": kind}) + "&",
            "noindex": True,
            "nav": "search",
        },
    )


def balance(request):
    """Counts of assessed claims and their verdicts by the claimant's affiliation."""
    counts = {}
    for row in selectors.verdict_counts_by_affiliation():
        counts[(row["claimant__affiliation"], row["current_verdict"])] = row["count"]
    rows = []
    for value, label in Source.Affiliation.choices:
        cells = [counts.get((value, info.value), 0) for info in SCALE]
        rows.append({"label": label, "cells": cells, "total": sum(cells)})
    totals = [sum(row["cells"][i] for row in rows) for i in range(len(SCALE))]
    return render(
        request,
        "site/balance.html",
        {
            "scale": SCALE,
            "rows": rows,
            "totals": totals,
            "grand_total": sum(totals),
            "nav": "balance",
        },
    )


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {links.absolute_url(reverse('site:sitemap'), request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def downloads(request):
    """The bulk downloads: what each file holds, column by column, and the licence."""
    return render(
        request,
        "site/downloads.html",
        {
            "datasets": downloads_module.DATASETS.values(),
            "formats": downloads_module.FORMATS,
            "list_separator": downloads_module.LIST_SEPARATOR,
            "licence_name": settings.DESK["DATA_LICENCE_NAME"],
            "licence_url": settings.DESK["DATA_LICENCE_URL"],
        },
    )


@require_safe
def download_file(request, dataset, file_format):
    """One data set as CSV or JSON Lines, built from what readers may see."""
    dataset = downloads_module.DATASETS.get(dataset)
    if dataset is None or file_format not in downloads_module.FORMATS:
        raise Http404("No such file.")
    content = downloads_module.render(dataset, file_format, request)
    response = HttpResponse(content, content_type=downloads_module.FORMATS[file_format])
    # Its file name, kept with the page (reader_cache's KEPT_HEADERS): given with every
    # answer from it, the early path's included.
    response["Content-Disposition"] = f'attachment; filename="{dataset.file_name(file_format)}"'
    return response


def methodology(request):
    """The verdict scale from `claims.verdicts`, under the editors' methodology text."""
    page = selectors.standing_pages_for_readers().filter(kind=StandingPage.Kind.METHODOLOGY)
    page = page.first()
    return render(
        request,
        "site/methodology.html",
        {
            "page": page,
            "scale": SCALE,
            "dimensions": DIMENSIONS,
            "best_rating": BEST_RATING,
            "worst_rating": WORST_RATING,
            "nav": "methodology",
        },
    )


def standing_page(request, kind):
    if kind == StandingPage.Kind.METHODOLOGY:
        return redirect("site:methodology", permanent=True)
    page = selectors.standing_pages_for_readers().filter(kind=kind).first()
    if page is None:
        raise Http404("No such page.")
    return render(request, "site/standing_page.html", {"page": page})


@never_cache
@sensitive_post_parameters("contact")
def submit_claim(request):
    """A reader sends a claim to check. It goes to the desk's queue, never to the site."""
    limited = False
    if request.method == "POST":
        form = ClaimSubmissionForm(request.POST)
        if form.is_valid():
            if form.is_bot:
                return redirect("site:submit-thanks")
            if ratelimit.allow(
                request,
                scope="submit",
                limit=settings.READER_SUBMISSIONS_PER_HOUR,
                period=3600,
            ):
                submission_receive(
                    **{name: form.cleaned_data[name] for name in ("text", "link", "contact")},
                    client_hash=ratelimit.client_fingerprint(request),
                )
                return redirect("site:submit-thanks")
            limited = True
    else:
        form = ClaimSubmissionForm()
    return render(
        request,
        "site/submit.html",
        {"form": form, "limited": limited, "nav": "submit"},
        status=429 if limited else 200,
    )


def submit_thanks(request):
    return render(request, "site/submit_thanks.html", {"noindex": True})
