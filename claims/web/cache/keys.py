"""Surrogate keys: what each kept page shows, and what each change readers see touches.

A kept page (a reader page, a feed, an anonymous API read) is tagged with the keys of what
it shows, and a change readers see purges only the keys it touches, here and at the front
cache (front.py), so that a verification published on one claim re-renders the pages that
show that claim and nothing else; a draft purges nothing at all (version.py decides what
readers see).

Two kinds of key:

- **Objects**: `claim-<id>`, `explainer-<id>`, `place-<id>`, `source-<id>`, `article-<id>`,
  `page-<id>`, `user-<id>` (a byline). A page is tagged with every one of these it loaded
  while it was rendered (`collecting`: each instance of these models created from the
  database during the render adds its key; a verification, an evidence item, an appearance
  or a link adds its claim's), so what a template shows of an object is covered without the
  template saying so. An explainer loaded with nothing but its id, title and slug (a page
  that links to it by name) adds `explainer-<id>-name` instead, which only a change of those
  (or its coming or going) purges. An appearance or a link adds `claim-<id>-around` of its
  claims instead of their own keys: what is around a claim (its places, appearances, links
  and the explainers citing it, selectors.claim_around_prefetches), which every change to the
  claim purges but a verdict on it (a piece of its pages kept apart from its verdicts is then
  reused, claims.web.cache.pieces).
- **Parts of a verdict**: `verification-<id>` and `evidence-<id>`, purged by a change to a
  verification, to a piece of evidence or to an archived copy of it (and by evidence given
  to a verdict or taken from it), besides the claim. No page carries them; a kept piece
  showing one verdict does (`verdict_card_keys`), or one piece of evidence
  (`evidence_item_keys`), so that a new verdict on the claim, which purges the claim's key,
  leaves the cards of its earlier verdicts, and the evidence it cites again, as they were.
- **Lists**: what a page lists rather than shows: `claims`, `explainers`, `places`,
  `sources`, `pages` (every list, feed, count or search of those), `place-<id>-list` /
  `source-<id>-list` (the claims, verdicts and explainers a place's or a source's page lists
  and tallies, and the verdicts of an explainer's timeline of its places), and
  `place-<id>-claims` (which claims a place has, newest first, as other claims' pages and the
  timelines list them: moved only when one comes, goes or is changed itself, not by a
  verdict). A
  newly published claim is on no page yet, so no object key can reach the lists it joins;
  the views that list things say which lists (`shows`, and the routes in site/urls.py and
  the API's viewsets).

Every page carries `all` as well: purging it empties everything (`purge_all`), for a change
whose reach no rule here knows.

A change to a claim, or to anything of it (a verification published, evidence corrected),
purges the claim, the lists of claims, its places' and claimant's pages, whose lists it may
join or leave, and, unless it is a verdict or its evidence, what is around the claim; an
explainer, itself and the list of explainers, and when it comes or goes (a publish, an
unpublish, a scheduled one coming due) the pages of its claims and places too, which name
it. The rules are in `touched_by`.
"""

from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Model, Q
from django.db.models.signals import post_init

from claims import selectors
from claims.models import (
    Appearance,
    Article,
    Claim,
    ClaimLink,
    Correction,
    Evidence,
    EvidenceCapture,
    Explainer,
    ExplainerClaim,
    MergedClaim,
    Place,
    PlaceName,
    Source,
    SourceAlias,
    StandingPage,
    Verification,
)

ALL = "all"
# The lists a change to each kind of row may add to, remove from or reorder.
LISTS = {
    Claim: ("claims", "places", "sources", "articles"),
    Article: ("articles",),
    Explainer: ("explainers",),
    Place: ("places",),
    Source: ("sources",),
    StandingPage: ("pages",),
}


def _own(prefix):
    return lambda fields: (f"{prefix}-{fields['id']}",)


def _through(prefix, *names):
    return lambda fields: tuple(
        f"{prefix}-{fields[name]}" for name in names if fields.get(name) is not None
    )


# What a page that names an explainer without showing it reads of it: its title and address
# (a claim page's "Explainers that cite it", the API's claim documents). Such a page, having
# loaded nothing else of the explainer, is tagged `explainer-<id>-name`, which a change
# purges only when it renames or moves the explainer (or it comes or goes): a revision of
# its standfirst or body leaves the fifty pages of its claims alone.
EXPLAINER_NAME_FIELDS = frozenset(selectors.EXPLAINER_NAME_FIELDS)


def _explainer(fields):
    loaded = {name for name in fields if not name.startswith("_")}
    if loaded <= EXPLAINER_NAME_FIELDS:
        return (f"explainer-{fields['id']}-name",)
    return (f"explainer-{fields['id']}",)


def explainer_name_changed(before, after):
    """Whether readers would see `after` (an Explainer) named, addressed or listed (by its
    publication time) otherwise than `before`."""
    return any(getattr(before, f) != getattr(after, f) for f in selectors.EXPLAINER_NAMING_FIELDS)


def _around(*names):
    return lambda fields: tuple(
        f"claim-{fields[name]}-around" for name in names if fields.get(name) is not None
    )


def _correction(fields):
    return _through("explainer", "explainer_id")(fields) + _through("claim", "claim_id")(fields)


# The object keys of a row, from its loaded fields alone (never a query: a field left out of
# the SELECT is simply not read).
OBJECT_KEYS = {
    Claim: _own("claim"),
    Verification: _through("claim", "claim_id"),
    Evidence: _through("claim", "claim_id"),
    Appearance: _around("claim_id"),
    ClaimLink: _around("from_claim_id", "to_claim_id"),
    MergedClaim: _through("claim", "into_id"),
    Explainer: _explainer,
    ExplainerClaim: _through("explainer", "explainer_id"),
    Correction: _correction,
    Place: _own("place"),
    PlaceName: _through("place", "place_id"),
    Source: _own("source"),
    SourceAlias: _through("source", "source_id"),
    Article: _own("article"),
    StandingPage: _own("page"),
    # Shown only with its evidence item, which carries the claim's key.
    EvidenceCapture: lambda fields: (),
    # Named in bylines (an explainer's authors): a new name purges them (version.py).
    get_user_model(): _own("user"),
}
# Parts of a claim that what is around it never shows: its verdicts and their evidence.
VERDICT_PARTS = (Verification, Evidence)
# Rows that are part of another, whose lists they belong to.
PART_OF = {
    Verification: Claim,
    Evidence: Claim,
    Appearance: Claim,
    ClaimLink: Claim,
    MergedClaim: Claim,
    PlaceName: Place,
    SourceAlias: Source,
    Correction: Explainer,  # listed with the explainers (a claim's purges the claims' too)
}


def object_keys(instance):
    rule = OBJECT_KEYS.get(type(instance))
    return rule(instance.__dict__) if rule is not None else ()


def loaded_keys(*instances, skip=()):
    """The object keys of `instances` and of every row loaded with them and reachable from
    them: related objects already fetched (`select_related`, or read once), prefetched
    relations, and lists of rows a prefetch put in an attribute (`to_attr`). What a piece of
    a page rendered from those rows shows, when the rows of several pieces were loaded
    together and `collecting` cannot tell which piece each belongs to. The rows `skip` are
    not walked into (nor their keys taken). Never a query."""
    found = {ALL}
    seen = {id(obj) for obj in skip}
    stack = list(instances)
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        found.update(object_keys(obj))
        stack.extend(related for related in obj._state.fields_cache.values() if related)
        for rows in getattr(obj, "_prefetched_objects_cache", {}).values():
            stack.extend((rows._result_cache or ()) if hasattr(rows, "_result_cache") else rows)
        for value in obj.__dict__.values():
            if isinstance(value, list) and value and isinstance(value[0], Model):
                stack.extend(value)
    return found


def kept_around(claim, rows, skip=()):
    """The keys of a kept piece of what is around `claim`, made from `rows` (its places,
    appearances, links, with what each loaded): theirs, not the claim's own (nor those of
    `skip`), so that a verdict on the claim leaves the piece as it was; and
    `claim-<id>-around`, which a row coming or going purges when none was there to load."""
    return loaded_keys(*rows, skip=(claim, *skip)) | {f"claim-{claim.pk}-around"}


def around_keys(claim):
    """The keys of what is around `claim`, as `selectors.claim_around_prefetches` loaded it
    (its places, appearances, links and citing explainers, with what each shows): not the
    claim's own, which the prefetch set on each of its appearances and links; and
    `claim-<id>-around` itself, which a place, appearance, link or citing explainer coming
    purges when none was there to load."""
    rows = [
        *claim.places.all(),
        *claim.appearances.all(),
        *claim.reader_links_out,
        *claim.reader_links_in,
        *claim.live_explainers,
    ]
    return kept_around(claim, rows)


def list_keys(model):
    """The list keys of `model`'s lists: those of what it belongs to for a part of a claim,
    of a place or of a source (an API list of verifications is a list of claims); `all`
    for a kind of row no rule here knows."""
    model = PART_OF.get(model, model)
    if model in LISTS:
        return LISTS[model]
    return () if model in OBJECT_KEYS else (ALL,)


# --- what a page shows: collected while it renders --------------------------------------

_shown = ContextVar("reader_cache_keys_shown", default=None)


class collecting:
    """`with collecting() as shown:` gathers into the set `shown` the keys of every object
    loaded meanwhile in this thread (or task), and whatever `shows()` adds."""

    def __init__(self, *lists):
        self.keys = {ALL, *lists}

    def __enter__(self):
        self.token = _shown.set(self.keys)
        return self.keys

    def __exit__(self, *exc):
        _shown.reset(self.token)


class lists_only:
    """`with lists_only():` the rows loaded meanwhile add no keys to the page being rendered,
    nor does `shows()`: for a page showing every row readers may see of its kinds (a bulk
    download, the sitemap, the whole ClaimReview feed), which the lists it is tagged with
    cover (`reader_cache(lists=...)`): every change readers see purges the list of the kind
    it changes (`touched_by`), but a person's name (a byline), which no such page shows.
    Named row by row, the sitemap of the benchmark's archive carried 54,000 keys (650 kB, ten
    times what Varnish takes in a response header), the evidence file a megabyte of them."""

    def __enter__(self):
        self.token = _shown.set(None)

    def __exit__(self, *exc):
        _shown.reset(self.token)


def shows(*keys):
    """Say that the page being rendered shows `keys` (a list it lists): a no-op outside a
    kept page's render."""
    shown = _shown.get()
    if shown is not None:
        shown.update(keys)


def _loaded(sender, instance, **kwargs):
    shown = _shown.get()
    if shown is not None:
        shown.update(OBJECT_KEYS[sender](instance.__dict__))


def connect_signals():
    for model in OBJECT_KEYS:
        post_init.connect(_loaded, sender=model, dispatch_uid=f"reader-cache-keys-{model}")


def header(keys):
    """(name, value) of the response header carrying `keys` to the front cache: `xkey`
    (Varnish's vmod), `Surrogate-Key` (Fastly) space-separated, `Cache-Tag` (Cloudflare)
    comma-separated (SURROGATE_KEY_HEADER)."""
    name = settings.SURROGATE_KEY_HEADER
    separator = "," if name.lower() == "cache-tag" else " "
    return name, separator.join(sorted(keys))


# --- what a change touches -----------------------------------------------------------------


def touched_by(instance, came_or_went=False, related=(), renamed=True, verdict=False):
    """The keys a change to `instance` readers see purges. `came_or_went`: readers saw it
    before and not after, or after and not before (a publish, an unpublish). `related`:
    (model, ids) of the other end of a many-to-many change (a place added to a claim).
    `renamed`: for an explainer, whether the change may have renamed or moved it (unless
    known not to have, it may have). `verdict`: for a claim, whether the change is its
    current verdict's alone (the workflow's `claim_refresh_current_verdict`), which leaves
    what is around it (`claim-<id>-around`) as it was."""
    model = type(instance)
    if model not in OBJECT_KEYS:
        return {ALL}
    keys = set(object_keys(instance)) | _verdict_part_keys(instance)
    if model is Explainer and (renamed or came_or_went):
        keys.add(f"explainer-{instance.pk}-name")
    if model is Claim or PART_OF.get(model) is Claim:
        moved = came_or_went and model is Claim
        around = moved or not (verdict or model in VERDICT_PARTS)
        keys |= _claims_reach(_claim_ids(keys), came_or_went=moved, around=around)
        keys |= _sources_cited_by(instance, came_or_went)
    elif model is EvidenceCapture:
        claim = Evidence.objects.filter(pk=instance.evidence_id).values_list("claim_id")
        keys |= _claims_reach([claim.first()[0]], around=False)
    elif model is Correction:
        keys.update(list_keys(Explainer))
        if instance.claim_id is not None:
            keys |= _claims_reach([instance.claim_id])
    elif model is Explainer or model is ExplainerClaim:
        keys.update(list_keys(Explainer))
        if came_or_went or model is ExplainerClaim:
            keys |= _explainer_reach(_ids(keys, "explainer")[0])
        if model is ExplainerClaim:  # the claim may come or go with it, and its page names it
            keys |= _claims_reach([instance.claim_id], came_or_went=True)
    else:
        keys.update(list_keys(model))
        if model is Article and instance.outlet_id is not None:
            keys.add(f"source-{instance.outlet_id}-list")  # public while the article is
    for other, ids in related:
        keys |= _reach_of(other, list(ids))
    if related and model is Place:
        # Made from the place's side (place.claims.remove(…)): the other end's rules no
        # longer find this place among its places, and the place's own lists have moved.
        keys |= _reach_of(Place, [instance.pk])
    return keys


# The own keys of a verdict's parts, besides their claim's (`_verdict_part_keys`).
VERDICT_PARTS_OWN = {Verification: "verification", Evidence: "evidence"}


def _verdict_part_keys(instance):
    """`verification-<id>`, `evidence-<id>`: what a change to a verdict, to a piece of its
    evidence or to an archived copy of it purges besides the claim, so that a piece showing
    one verdict (a claim page's verdict card, `verdict_card_keys`) can be kept apart from the
    claim's other verdicts: their rows carry the claim's key, which every verdict purges."""
    model, pk = type(instance), instance.pk
    if model is EvidenceCapture:  # shown with its evidence item
        model, pk = Evidence, instance.evidence_id
    if model not in VERDICT_PARTS_OWN or pk is None:
        return set()
    return _reach_of(model, [pk])


def verdict_card_keys(claim, verification, evidence_keys):
    """The keys of a kept piece showing `verification` of `claim` alone, made with the kept
    pieces of its evidence, whose keys are `evidence_keys` (`evidence_item_keys`): theirs,
    and those of the verification and what `loaded_keys` reaches from it, but with the
    claim's own key, which every verdict on the claim purges, exchanged for the keys a change
    to this verdict purges (`_verdict_part_keys`: its own, which evidence given to it or
    taken from it purges too) and for `claim-<id>-around`, which a change to the claim's row
    purges (its claimant, named in the verdict's attribution, whose own keys are taken as
    well)."""
    keys = loaded_keys(verification, skip=(claim,)) - {f"claim-{claim.pk}"}
    keys |= _verdict_part_keys(verification) | evidence_keys
    keys.add(f"claim-{claim.pk}-around")
    if claim.claimant_id is not None:
        keys.update(object_keys(claim.claimant))
    return keys


def evidence_item_keys(item):
    """The keys of a kept piece showing the piece of evidence `item` alone (with its source
    and archived copies, loaded): those `loaded_keys` reaches from it, but with its claim's
    key, which every verdict on the claim purges, exchanged for `evidence-<id>`, which a
    change to it or to an archived copy of it purges (`_verdict_part_keys`)."""
    return (loaded_keys(item) - {f"claim-{item.claim_id}"}) | _verdict_part_keys(item)


def _sources_cited_by(instance, came_or_went):
    """The pages of the sources a part of a claim makes public besides its claimant (and the
    API's details of them), which it may make public or no longer: an appearance's outlet, a
    piece of evidence's source, and, when a verification comes or goes, its evidence's."""
    model = type(instance)
    if model is Appearance:
        outlets = Article.objects.filter(pk=instance.article_id, outlet__isnull=False)
        return {f"source-{pk}-list" for pk in outlets.values_list("outlet_id", flat=True)}
    if model is Evidence and instance.source_id is not None:
        return {f"source-{instance.source_id}-list"}
    if model is Verification and came_or_went and instance.pk is not None:
        given = Evidence.objects.filter(verifications=instance.pk, source__isnull=False)
        return {f"source-{pk}-list" for pk in given.values_list("source_id", flat=True)}
    return set()


def _ids(keys, prefix):
    """The ids in `keys` of the form `<prefix>-<id>` (not `<prefix>-<id>-name` and the like)."""
    found = (key.removeprefix(f"{prefix}-") for key in keys if key.startswith(f"{prefix}-"))
    return [int(pk) for pk in found if pk.isdigit()]


def _claim_ids(keys):
    """The ids of the claims `keys` name, by their own keys or what is around them."""
    return sorted(set(_ids({key.removesuffix("-around") for key in keys}, "claim")))


def _reach_of(model, ids):
    """What the other end of a many-to-many change touches: claims' reach (joining or leaving
    a live explainer or link, they may come or go), explainers' reach, places' and sources'
    pages and their lists; nothing for a person (an author)."""
    if model is Claim:
        return _claims_reach(ids, came_or_went=True)
    if model is Explainer:
        return set().union(*(_explainer_reach(pk) for pk in ids))
    if model is Place:
        return {
            key for pk in ids for key in (f"place-{pk}", f"place-{pk}-list", f"place-{pk}-claims")
        }
    if model is Source:
        return {key for pk in ids for key in (f"source-{pk}", f"source-{pk}-list")}
    if model in VERDICT_PARTS_OWN:  # evidence given to a verdict or taken from it, or changed
        return {f"{VERDICT_PARTS_OWN[model]}-{pk}" for pk in ids}
    return set()


def _claims_reach(claim_ids, came_or_went=False, around=True):
    """Claims' own keys, the lists of claims, and their places' and claimants' pages (their
    lists and tallies, and the verdicts of the timelines of explainers about their places);
    with `around` (every change but a verdict or its evidence), what is around each claim
    too. When they come or go (a claim's own row saved counts, version.py: its new date may
    move it), also which claims each of their places has, newest first (`place-<id>-claims`:
    the "more about these places" of other claims' pages, the claims of a timeline), which a
    new verdict does not change, and the claims linked to them, whose pages show a link only
    while readers see both ends."""
    keys = {f"claim-{pk}" for pk in claim_ids} | set(list_keys(Claim))
    if around:
        keys.update(f"claim-{pk}-around" for pk in claim_ids)
    claims = Claim.objects.filter(pk__in=claim_ids)
    keys.update(f"source-{pk}-list" for pk in claims.values_list("claimant_id", flat=True))
    places = Claim.places.through.objects.filter(claim_id__in=claim_ids)
    for pk in places.values_list("place_id", flat=True).distinct():
        keys.add(f"place-{pk}-list")
        if came_or_went:
            keys.add(f"place-{pk}-claims")
    if came_or_went:
        # The outlets of the articles they appeared in are public while one of them is.
        outlets = Article.objects.filter(appearances__claim__in=claim_ids, outlet__isnull=False)
        keys.update(f"source-{pk}-list" for pk in outlets.values_list("outlet_id", flat=True))
        links = ClaimLink.objects.filter(Q(from_claim__in=claim_ids) | Q(to_claim__in=claim_ids))
        for ends in links.values_list("from_claim_id", "to_claim_id"):
            keys.update(f"claim-{pk}" for pk in ends)
            keys.update(f"claim-{pk}-around" for pk in ends)
    return keys


def _explainer_reach(explainer_id):
    """What an explainer coming or going touches: the pages of its claims, which name it;
    the claims themselves, which readers may see only through it, with all they reach; and
    its places' pages, which list it, and the lists of places (a place only it is about is
    listed while it is live)."""
    keys = {f"explainer-{explainer_id}", f"explainer-{explainer_id}-name", *list_keys(Place)}
    links = ExplainerClaim.objects.filter(explainer_id=explainer_id)
    keys |= _claims_reach(list(links.values_list("claim_id", flat=True)), came_or_went=True)
    places = Explainer.places.through.objects.filter(explainer_id=explainer_id)
    keys.update(f"place-{pk}-list" for pk in places.values_list("place_id", flat=True))
    return keys
