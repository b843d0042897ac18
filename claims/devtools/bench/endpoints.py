"""The endpoints the benchmark drives, with their addresses in a seeded database.

Each is picked so that it means the same thing at both sizes (the seeder keeps the showcase
objects alike: explainer 1 with 50 claims, claim 1 with three published verifications, place 1
with its share of the archive, source 2 with its share of the claims).
"""

from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims import selectors
from claims.devtools.bench import BENCH_EDITOR, NOTHING_KEPT, ONE_CLAIM_CHANGED
from claims.models import Claim, Explainer, Place, Source, Verification
from claims.web.cache.keys import touched_by
from claims.web.cache.version import purge_all

SEARCH_WORD = "drone"
API_VERDICT = "unconfirmed"
BYPASS_HEADER = "X-Reader-Cache-Bypass"


@dataclass
class Endpoint:
    name: str
    path: str
    # "reader-cached": served from the reader cache (warmed); "bypass": the page or API
    # response rendered afresh on every request; "editor": logged in as the benchmark's editor.
    mode: str = ""
    headers: dict = field(default_factory=dict)


# Rendered afresh (the cache bypassed) as after a verdict on one claim the page shows: the
# pieces each worker keeps (claims.web.cache.pieces: an API list's claim documents, the feed's
# items, a claim page's "More about these places", an explainer's claims and timeline) that
# the publish would purge are rendered again, the others reused, as the render after that
# publish would; and with nothing kept at all, as a worker's first render of the page.
PURGED_HEADER = "X-Reader-Cache-Purged"


def purged_by_a_verdict_on(claim_pk):
    """The surrogate keys a verdict published on claim `claim_pk` purges, by the desk's own
    rules (keys.touched_by): the claim's, the lists of claims, its places' and claimant's
    lists and the timelines of explainers about its places. With them, its newest verdict's
    own key: a real verdict is a verification the pages have not shown yet, whose card (a
    claim page's, keys.verdict_card_keys) is built for the first time, so the render measured
    builds the newest card afresh rather than reuse it; and the key of each piece of evidence
    it cites that no earlier verdict on the claim cited, which a real verdict would show for
    the first time too (a claim page keeps each piece apart, keys.evidence_item_keys)."""
    verdicts = list(
        selectors.verifications_for_readers()
        .filter(claim_id=claim_pk)
        .order_by("published_at", "id")
        .values_list("pk", flat=True)
    )
    keys = touched_by(Verification(claim_id=claim_pk))
    if verdicts:
        *earlier, newest = verdicts
        keys.add(f"verification-{newest}")
        cited = selectors.evidence_cited_by(verdicts)
        shown_before = {pk for verdict in earlier for pk in cited[verdict]}
        keys.update(f"evidence-{pk}" for pk in cited[newest] if pk not in shown_before)
    return " ".join(sorted(keys))


def rendered_afresh(name, path, claim_pk):
    """The two bypassed rows of a page rendered afresh: as after a verdict on claim
    `claim_pk`, which it shows, and with nothing kept."""
    return [
        Endpoint(
            f"{name} (cache bypassed, {ONE_CLAIM_CHANGED})",
            path,
            "bypass",
            {PURGED_HEADER: purged_by_a_verdict_on(claim_pk)},
        ),
        Endpoint(
            f"{name} (cache bypassed, {NOTHING_KEPT})", path, "bypass", {PURGED_HEADER: "all"}
        ),
    ]


def endpoints():
    """The benchmark's endpoints in the desk, /healthz first (run.py adds the minimal app's)."""
    explainer = Explainer.objects.get(pk=1)
    claim = Claim.objects.get(pk=1)
    place = Place.objects.get(pk=1)
    source = Source.objects.get(pk=2)
    search = "/search/?" + urlencode({"q": SEARCH_WORD})
    api_claims = "/api/v1/claims/?" + urlencode(
        {"verdict": API_VERDICT, "place": place.name, "page_size": 50}
    )
    # A claim each page shows: the explainer's first, the newest of the API list (ordered by
    # claim date) and of the feed (by verdict date).
    first_cited = explainer.explainer_claims.order_by("position", "id").first().claim_id
    newest_listed = (
        selectors.claims_for_readers()
        .filter(current_verdict=API_VERDICT, places=place)
        .order_by("-claimed_on", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    newest_verdict = (
        selectors.assessed_claims_for_readers()
        .order_by("-current_verdict_as_of", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    return [
        Endpoint("/healthz (the desk's whole middleware stack)", "/healthz"),
        Endpoint("home (cached)", "/", "reader-cached"),
        Endpoint("explainer, 50 claims (cached)", explainer.get_absolute_url(), "reader-cached"),
        *rendered_afresh("explainer, 50 claims", explainer.get_absolute_url(), first_cited),
        *rendered_afresh("claim page", claim.get_absolute_url(), claim.pk),
        Endpoint("place page (cache bypassed)", place.get_absolute_url(), "bypass"),
        Endpoint("source page (cache bypassed)", source.get_absolute_url(), "bypass"),
        # A search is kept by the worker that rendered it (claims/web/cache/), as a
        # popular one is on a busy day; the bypassed row renders it afresh each time.
        Endpoint(f"search '{SEARCH_WORD}' (cached)", search, "reader-cached"),
        Endpoint(f"search '{SEARCH_WORD}' (cache bypassed)", search, "bypass"),
        # Anonymous API reads are answered from the reader cache, as polling consumers get
        # them (claims/api/readercache.py); the bypassed rows render them afresh.
        Endpoint("API claims, verdict+place, 50/page (cached)", api_claims, "reader-cached"),
        *rendered_afresh("API claims, verdict+place, 50/page", api_claims, newest_listed),
        Endpoint(
            "API explainer detail (cached)", f"/api/v1/explainers/{explainer.pk}/", "reader-cached"
        ),
        Endpoint("API ClaimReview feed (cached)", "/api/v1/claimreviews/", "reader-cached"),
        *rendered_afresh("API ClaimReview feed", "/api/v1/claimreviews/", newest_verdict),
        Endpoint("admin claim changelist (editor)", "/admin/claims/claim/", "editor"),
    ]


def probe(bypass_token):
    """Each endpoint with its queries per request, measured through Django's test client
    against the same database and settings as the server (after one warm-up request, so
    per-process lookups such as content types are already cached, as in a running worker).
    """
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.get(username=BENCH_EDITOR)
    purge_all()  # start from an empty page cache
    result = []
    for endpoint in endpoints():
        client = Client(headers={"X-Forwarded-Proto": "https"}, HTTP_HOST="127.0.0.1")
        headers = dict(endpoint.headers)
        if endpoint.mode == "bypass":
            headers[BYPASS_HEADER] = bypass_token
        if endpoint.mode == "editor":
            client.force_login(editor)
        statuses = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(endpoint.path, headers=headers, secure=True)
            statuses.append(response.status_code)
        data = asdict(endpoint)
        data["queries"] = len(queries)
        data["status"] = statuses[-1]
        data["cache"] = response.headers.get("X-Reader-Cache", "")
        data["bytes"] = len(response.content)
        result.append(data)
    return result
