"""No surface readers use stays stale after a change they see: each test keeps a page in the
reader cache as an anonymous reader, makes a change through the desk's services, and reads the
page again without clearing anything. A save readers see nothing of keeps every page.

Written by attacking the surrogate keys (claims/web/cache/keys.py): each pair that was
stale when first written (an explainer published or taken down with claims, places and
claimants only it made public; a claim revised into a live explainer; a new standing page in
every footer; a claimant's new affiliation on /balance/; an author renamed in a byline; a
link to a claim that just became public) is fresh now.
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.utils import timezone

from claims import services, workflow
from claims.models import ClaimLink, Evidence, PlaceName, Source, SourceAlias, StandingPage
from claims.services import revisions, teamwork
from claims.web.cache.version import PURGES_KEY
from tests import factories
from tests.archives import PAGE, SITE_URL
from tests.ingest.conftest import respond, web_server  # noqa: F401 (a fixture)
from tests.site.helpers import come_due

pytestmark = pytest.mark.django_db

EXPLAINER = "/explainers/why-toretsk-matters/"
CANAL = "canal district was shelled"


def warm(client, url):
    """Keep `url` in the reader cache, and prove it is kept; returns the page's text (for the
    sitemap, its index's and every section's, as a crawler reads them)."""
    first = client.get(url)
    assert first.status_code == 200, url
    again = client.get(url)
    assert again.get("X-Reader-Cache") == "hit", f"{url} is not kept"
    page = first.content.decode(errors="replace")
    return page + "".join(warm(client, section) for section in sitemap_sections(url, page))


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    return page + "".join(text(client, section) for section in sitemap_sections(url, page))


def sitemap_sections(url, page):
    """The addresses of the sections' sitemaps the sitemap index `page` lists (none for a
    page other than the index)."""
    if url != "/sitemap.xml":
        return []
    return [urlsplit(loc)._replace(scheme="", netloc="").geturl() for loc in LOC.findall(page)]


LOC = re.compile(r"<loc>([^<]+)</loc>")


@pytest.fixture
def governor(db):
    return factories.SourceFactory(
        name="Regional governor",
        slug="regional-governor",
        affiliation=Source.Affiliation.UKRAINIAN_STATE,
    )


@pytest.fixture
def canal(desk, governor):
    """A claim about Toretsk and Chasiv Yar no reader has seen yet (no verdict, no
    explainer), by a claimant nothing published cites."""
    chasiv_yar = factories.PlaceFactory(name="Chasiv Yar", slug="chasiv-yar")
    claim = factories.ClaimFactory(
        statement="Governor says the canal district was shelled overnight",
        claimant=governor,
        claimed_on=datetime.date(2025, 3, 1),
    )
    claim.places.add(desk.toretsk, chasiv_yar)
    return claim


# --- a first verdict on a claim readers have not seen ------------------------------------

FIRST_VERDICT_SURFACES = [
    "/",
    "/claims/",
    "/places/toretsk/",
    "/feeds/verdicts.rss",
    "/feeds/verdicts.atom",
    "/sitemap.xml",
    "/downloads/claims.csv",
    "/downloads/claims.jsonl",
    f"/search/?q={CANAL.split()[0]}",
    "/api/v1/claims/",
    "/api/v1/claimreviews/",
    "/api/v1/claimreviews.jsonld",
    EXPLAINER,  # its timeline of Toretsk
]


@pytest.mark.parametrize("url", FIRST_VERDICT_SURFACES)
def test_a_first_verdict_shows_at_once_on(client, canal, publish_verification, url):
    before = warm(client, url)
    assert CANAL not in before and f"/claims/{canal.pk}-" not in before
    publish_verification(canal, verdict="likely_true")
    after = text(client, url)
    assert CANAL in after or f"/claims/{canal.pk}-" in after or f"claims/{canal.pk}/" in after


def test_a_first_verdict_shows_on_the_other_claims_pages_about_its_place(
    client, desk, canal, publish_verification
):
    url = desk.holding.get_absolute_url()
    assert CANAL not in warm(client, url)
    publish_verification(canal, verdict="likely_true")
    assert CANAL in text(client, url)


def test_a_first_verdict_brings_its_place_and_claimant_onto_the_lists(
    client, canal, publish_verification
):
    assert "Chasiv Yar" not in warm(client, "/places/")
    assert "Regional governor" not in warm(client, "/sources/")
    assert client.get("/places/chasiv-yar/").status_code == 404  # 404s are never kept
    assert client.get("/sources/regional-governor/").status_code == 404
    publish_verification(canal, verdict="likely_true")
    assert "Chasiv Yar" in text(client, "/places/")
    assert "Regional governor" in text(client, "/sources/")
    assert CANAL in text(client, "/places/chasiv-yar/")
    assert CANAL in text(client, "/sources/regional-governor/")


def test_a_first_verdict_counts_on_the_balance_page(client, canal, publish_verification):
    before = warm(client, "/balance/")
    publish_verification(canal, verdict="likely_true")
    assert text(client, "/balance/") != before


def test_a_first_verdict_reaches_the_api_page_of_its_claimant(
    client, canal, governor, publish_verification
):
    url = f"/api/v1/sources/{governor.pk}/"
    assert client.get(url).status_code == 404  # never kept
    publish_verification(canal, verdict="likely_true")
    assert "Regional governor" in text(client, url)


# --- a new verdict on a claim readers see ------------------------------------------------

NEW_VERDICT_SURFACES = [
    "/",
    "/claims/",
    "/claims/?verdict=confirmed",
    "/places/toretsk/",
    "/sources/ukrainian-100th-brigade/",
    "/feeds/verdicts.rss",
    "/downloads/claims.csv",
    "/api/v1/claims/",
    "/api/v1/claimreviews/",
    "/api/v1/claimreviews.jsonld",
    EXPLAINER,
]


@pytest.mark.parametrize("url", NEW_VERDICT_SURFACES)
def test_a_new_verdict_shows_at_once_on(client, desk, publish_verification, url):
    before = warm(client, url)
    publish_verification(desk.holding, verdict="confirmed")
    after = text(client, url)
    assert after != before
    assert "onfirmed" in after


def test_a_new_verdict_shows_on_the_claims_own_pages(client, desk, publish_verification):
    pages = [desk.holding.get_absolute_url(), f"/api/v1/claims/{desk.holding.pk}/"]
    for url in pages:
        warm(client, url)
    publish_verification(desk.holding, verdict="confirmed", rationale="Geolocated footage.")
    assert "Geolocated footage." in text(client, pages[0])
    assert '"current_verdict":"confirmed"' in text(client, pages[1])


def test_a_new_verdict_moves_the_tallies_on_the_balance_page(client, desk, publish_verification):
    before = warm(client, "/balance/")
    publish_verification(desk.holding, verdict="confirmed")
    assert text(client, "/balance/") != before


def test_a_new_verdict_moves_the_claimants_tally(client, desk, publish_verification):
    url = f"/sources/{desk.brigade.slug}/"
    before = warm(client, url)
    publish_verification(desk.holding, verdict="false")
    assert text(client, url) != before


# --- a published revision of a live claim ------------------------------------------------


STATEMENT_SURFACES = [
    "/",
    "/claims/",
    "/places/toretsk/",
    "/sources/ukrainian-100th-brigade/",
    "/feeds/verdicts.rss",
    "/api/v1/claims/",
    "/api/v1/claimreviews/",
    "/api/v1/claimreviews.jsonld",
    "/downloads/claims.csv",
    EXPLAINER,
]


@pytest.mark.parametrize("url", STATEMENT_SURFACES)
def test_a_revised_statement_shows_at_once_on(client, desk, revise, url):
    assert "Kleban-Byk" not in warm(client, url)
    revise(desk.holding, statement="Brigade says it holds the Kleban-Byk reservoir line")
    assert "Kleban-Byk" in text(client, url)


def test_a_revised_statement_shows_on_the_claim_page_and_the_other_claims_pages(
    client, desk, revise
):
    other = desk.capture.get_absolute_url()  # links to it, "disputes", and shares Toretsk
    warm(client, other)
    old = desk.holding.get_absolute_url()
    warm(client, old)
    revise(desk.holding, statement="Brigade says it holds the Kleban-Byk reservoir line")
    desk.holding.refresh_from_db()
    assert "Kleban-Byk" in text(client, other)
    new = text(client, desk.holding.get_absolute_url())
    assert "Kleban-Byk" in new
    if desk.holding.get_absolute_url() != old:
        assert client.get(old).status_code == 301


def test_a_claim_moved_to_another_place_leaves_the_old_places_page_and_joins_the_new(
    client, desk, revise
):
    chasiv_yar = factories.PlaceFactory(name="Chasiv Yar", slug="chasiv-yar")
    old_place = warm(client, "/places/toretsk/")
    assert desk.holding.statement in old_place
    niu_york_claims = warm(client, "/places/niu-york/")
    assert desk.holding.statement not in niu_york_claims
    revise(desk.holding, places=[desk.niu_york.pk, chasiv_yar.pk])
    assert desk.holding.statement not in text(client, "/places/toretsk/")
    assert desk.holding.statement in text(client, "/places/niu-york/")
    assert desk.holding.statement in text(client, "/places/chasiv-yar/")


def test_a_claim_given_to_another_claimant_leaves_the_old_claimants_page(
    client, desk, revise, governor
):
    elsewhere = factories.ClaimFactory(
        statement="Governor says the dam is intact", claimant=governor
    )
    elsewhere.places.add(desk.niu_york)
    old = f"/sources/{desk.brigade.slug}/"
    assert desk.holding.statement in warm(client, old)
    revise(desk.holding, claimant=governor.pk)
    after = client.get(old)  # the brigade is cited by nothing else now: its page goes
    assert after.status_code == 404 or desk.holding.statement not in after.content.decode()
    assert desk.holding.statement in text(client, "/sources/regional-governor/")


def test_a_claim_given_to_a_claimant_of_another_side_moves_the_balance(
    client, desk, revise, governor, editor
):
    governor.affiliation = Source.Affiliation.RUSSIAN_STATE
    services.record_save(obj=governor, by=editor)
    before = warm(client, "/balance/")
    revise(desk.holding, claimant=governor.pk)
    assert text(client, "/balance/") != before


# --- a published revision of a live explainer --------------------------------------------

TITLE_SURFACES = [
    "/",
    "/explainers/",
    EXPLAINER,
    "/feeds/explainers.rss",
    "/feeds/explainers.atom",
    "/places/toretsk/",
    "/search/?q=Toretsk",
    "/api/v1/explainers/",
    "/downloads/explainers.csv",
]


@pytest.mark.parametrize("url", TITLE_SURFACES)
def test_a_revised_explainer_title_shows_at_once_on(client, desk, revise, url):
    assert "ridge matters" not in warm(client, url)
    revise(desk.explainer, title="Why the Toretsk ridge matters")
    assert "ridge matters" in text(client, url)


def test_a_revised_explainer_title_changes_its_share_image(client, desk, revise):
    url = f"{EXPLAINER}share.png"
    client.get(url)
    before = client.get(url)
    assert before["X-Reader-Cache"] == "hit"
    revise(desk.explainer, title="Why the Toretsk ridge matters")
    assert client.get(url).content != before.content


@pytest.mark.parametrize("claim", ["capture", "holding", "officer"])
def test_a_revised_explainer_title_shows_on_the_claim_pages_that_name_it(
    client, desk, revise, claim
):
    url = getattr(desk, claim).get_absolute_url()
    assert "ridge matters" not in warm(client, url)
    revise(desk.explainer, title="Why the Toretsk ridge matters")
    assert "ridge matters" in text(client, url)


def test_a_claim_added_to_a_live_explainer_by_revision_names_it_on_its_page(
    client, desk, revise, canal, publish_verification
):
    publish_verification(canal, verdict="likely_true")
    url = canal.get_absolute_url()
    assert "Why Toretsk matters" not in warm(client, url)
    claims = [
        {"claim": desk.capture.pk, "context_note": "The claim that started it."},
        {"claim": desk.holding.pk, "context_note": "The *answer*."},
        {"claim": desk.officer.pk, "context_note": ""},
        {"claim": canal.pk, "context_note": "Shelling nearby."},
    ]
    revise(desk.explainer, claims=claims)
    assert "Why Toretsk matters" in text(client, url)


@pytest.mark.parametrize(
    "url, shown",
    [
        # Fresh only because each lists the explainers a claim is in (`explainer-N`).
        ("/claims/", CANAL),
        ("/api/v1/claims/", "canal district"),
        pytest.param("/places/", "Chasiv Yar"),
        pytest.param("/sources/", "Regional governor"),
        ("/places/toretsk/", CANAL),  # an explainer's place: `place-N-list` is purged
        (EXPLAINER, CANAL),
        ("/sitemap.xml", "governor-says-the-canal"),
    ],
)
def test_a_claim_revised_into_a_live_explainer_joins_the_lists(
    client, desk, revise, canal, url, shown
):
    assert shown not in warm(client, url)
    claims = [
        {"claim": desk.capture.pk, "context_note": "The claim that started it."},
        {"claim": desk.holding.pk, "context_note": "The *answer*."},
        {"claim": desk.officer.pk, "context_note": ""},
        {"claim": canal.pk, "context_note": "Shelling nearby."},
    ]
    revise(desk.explainer, claims=claims)
    assert shown in text(client, url)


@pytest.fixture
def chasiv_yar_seen(canal, publish_verification, governor):
    """Chasiv Yar and the governor have pages already: a claim with a verdict about Chasiv
    Yar alone."""
    seen = factories.ClaimFactory(statement="Governor says the dam is intact", claimant=governor)
    seen.places.add(canal.places.get(slug="chasiv-yar"))
    publish_verification(seen, verdict="unconfirmed")
    return seen


@pytest.mark.parametrize(
    "page",
    [
        pytest.param("claim"),
        pytest.param("place"),
        pytest.param("source"),
    ],
)
def test_a_claim_revised_into_a_live_explainer_joins_its_places_and_claimants_pages(
    client, desk, revise, canal, chasiv_yar_seen, page
):
    url = {
        "claim": chasiv_yar_seen.get_absolute_url(),
        "place": "/places/chasiv-yar/",
        "source": "/sources/regional-governor/",
    }[page]
    assert CANAL not in warm(client, url)
    claims = [
        {"claim": desk.capture.pk, "context_note": "The claim that started it."},
        {"claim": desk.holding.pk, "context_note": "The *answer*."},
        {"claim": desk.officer.pk, "context_note": ""},
        {"claim": canal.pk, "context_note": "Shelling nearby."},
    ]
    revise(desk.explainer, claims=claims)
    assert CANAL in text(client, url)


# --- a correction ------------------------------------------------------------------------


@pytest.mark.parametrize("url", [EXPLAINER, "/api/v1/explainers/", "/api/v1/corrections/"])
def test_a_correction_shows_at_once_on(client, desk, editor, url):
    assert "The map was mislabelled" not in warm(client, url)
    workflow.correction_issue(explainer=desk.explainer, by=editor, text="The map was mislabelled.")
    assert "The map was mislabelled" in text(client, url)


def test_a_claim_correction_shows_on_the_claim_page(client, desk, revise):
    url = desk.holding.get_absolute_url()
    warm(client, url)
    revise(desk.holding, kind="correction", quote="Our positions in the town are held.")
    page = text(client, url)
    assert "Our positions in the town are held." in page
    assert "orrect" in page


# --- an explainer unpublished ------------------------------------------------------------

UNPUBLISH_SURFACES = [
    "/",
    "/explainers/",
    "/places/toretsk/",
    "/places/niu-york/",
    "/feeds/explainers.rss",
    "/sitemap.xml",
    "/search/?q=Toretsk",
    "/api/v1/explainers/",
    "/downloads/explainers.csv",
]


@pytest.mark.parametrize("url", UNPUBLISH_SURFACES)
def test_an_unpublished_explainer_leaves_at_once(client, desk, editor, url):
    assert "why-toretsk-matters" in warm(client, url)
    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Legal review")
    after = client.get(url)
    # Niu-York is about nothing else: its page goes too.
    assert after.status_code == 404 or "why-toretsk-matters" not in after.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        EXPLAINER,
        f"{EXPLAINER}share.png",
        "/api/v1/explainers/{pk}/",
    ],
)
def test_an_unpublished_explainers_own_pages_go(client, desk, editor, url):
    url = url.format(pk=desk.explainer.pk)
    warm(client, url)
    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Legal review")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("claim", ["capture", "holding"])
def test_an_unpublished_explainer_leaves_the_claim_pages_that_named_it(client, desk, editor, claim):
    url = getattr(desk, claim).get_absolute_url()
    assert "Why Toretsk matters" in warm(client, url)
    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Legal review")
    assert "Why Toretsk matters" not in text(client, url)


def test_an_unpublished_explainer_takes_down_the_claim_only_it_published(client, desk, editor):
    url = desk.officer.get_absolute_url()  # no verdict: public only through the explainer
    warm(client, url)
    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Legal review")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url", ["/claims/", "/api/v1/claims/", "/downloads/claims.csv", "/sitemap.xml"]
)
def test_an_unpublished_explainer_takes_its_only_claim_off_the_lists(client, desk, editor, url):
    officer = f"/claims/{desk.officer.pk}-"
    before = warm(client, url)
    assert officer in before or f"claims/{desk.officer.pk}/" in before
    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Legal review")
    after = text(client, url)
    assert officer not in after and f"claims/{desk.officer.pk}/" not in after


LEFT_WITH_EXPLAINER = (
    "{what} was public only through the explainer; {page} lists it under `{key}` and its own "
    "`{own}`, but explainer_unpublish purges `explainers`, the explainer's claims, "
    "`place-N-list` and `place-N-claims` (`_explainer_reach`), neither of those"
)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/places/"),
        pytest.param("/api/v1/places/"),
        "/sitemap.xml",  # lists `explainers` too
        "/search/?q=Niu-York",
    ],
)
def test_an_unpublished_explainer_takes_the_place_only_it_was_about_off(client, desk, editor, url):
    assert "/places/niu-york/" in warm(client, url) or "Niu-York" in warm(client, url)
    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Legal review")
    after = text(client, url)
    assert "niu-york" not in after.replace("q=Niu-York", "")


# --- an explainer published with claims readers could not see ----------------------------


@pytest.fixture
def river(desk, governor):
    """A claim about a place no explainer is about, by the governor, with no verdict: readers
    see it only once an explainer that cites it is published."""
    siversk = factories.PlaceFactory(name="Siversk", slug="siversk")
    claim = factories.ClaimFactory(
        statement="Governor says the river crossing at Siversk was destroyed",
        claimant=governor,
        claimed_on=datetime.date(2025, 3, 2),
    )
    claim.places.add(siversk)
    explainer = factories.ExplainerFactory(title="The crossings", slug="the-crossings")
    explainer.claims.add(claim, through_defaults={"position": 0})
    return explainer, claim


def test_an_explainer_published_brings_its_claims_pages_out(client, river, publish_explainer):
    explainer, claim = river
    assert client.get(claim.get_absolute_url()).status_code == 404  # not kept
    assert client.get("/places/siversk/").status_code == 404
    assert client.get("/sources/regional-governor/").status_code == 404
    publish_explainer(explainer)
    assert "The crossings" in text(client, claim.get_absolute_url())
    assert "river crossing" in text(client, "/places/siversk/")
    assert "river crossing" in text(client, "/sources/regional-governor/")


@pytest.mark.parametrize(
    "url, key",
    [
        pytest.param("/claims/", "claims"),
        pytest.param("/api/v1/claims/", "claims"),
        pytest.param("/places/", "places"),
        pytest.param("/sources/", "sources"),
        # These list `explainers` too, which the publish purges.
        ("/downloads/claims.csv", "claims"),
        ("/sitemap.xml", "claims"),
        ("/search/?q=river", "claims"),
    ],
)
def test_an_explainer_published_puts_its_claims_on_the_lists(
    client, river, publish_explainer, url, key
):
    explainer, claim = river
    marker = {"claims": f"/claims/{claim.pk}-", "places": "Siversk", "sources": "Regional governor"}
    before = warm(client, url)
    assert marker[key] not in before and f"claims/{claim.pk}/" not in before
    publish_explainer(explainer)
    after = text(client, url)
    assert marker[key] in after or f"claims/{claim.pk}/" in after


def test_an_explainer_published_shows_on_its_claims_claimants_page_kept_before(
    client, desk, publish_explainer, governor, publish_verification
):
    """The governor already has a page (a verdict on another claim): the new explainer's
    claim must join it."""
    seen = factories.ClaimFactory(statement="Governor says the dam is intact", claimant=governor)
    seen.places.add(desk.toretsk)
    publish_verification(seen, verdict="unconfirmed")
    hidden = factories.ClaimFactory(statement="Governor says the bridge fell", claimant=governor)
    hidden.places.add(factories.PlaceFactory(name="Siversk", slug="siversk"))
    explainer = factories.ExplainerFactory(title="The crossings", slug="the-crossings")
    explainer.claims.add(hidden, through_defaults={"position": 0})
    assert "the bridge fell" not in warm(client, "/sources/regional-governor/")
    publish_explainer(explainer)
    assert "the bridge fell" in text(client, "/sources/regional-governor/")


@pytest.fixture
def siversk_seen(desk, governor, publish_verification):
    """Siversk has a page (a claim with a verdict), and a claim about it readers cannot see
    yet, cited by a draft explainer about no place."""
    siversk = factories.PlaceFactory(name="Siversk", slug="siversk")
    seen = factories.ClaimFactory(statement="Governor says the dam is intact", claimant=governor)
    seen.places.add(siversk)
    publish_verification(seen, verdict="unconfirmed")
    hidden = factories.ClaimFactory(statement="Governor says the bridge fell", claimant=governor)
    hidden.places.add(siversk)
    explainer = factories.ExplainerFactory(title="The crossings", slug="the-crossings")
    explainer.claims.add(hidden, through_defaults={"position": 0})
    return explainer, seen


def test_an_explainer_published_shows_its_claim_on_a_place_page_kept_before(
    client, siversk_seen, publish_explainer
):
    explainer, _ = siversk_seen
    assert "the bridge fell" not in warm(client, "/places/siversk/")
    publish_explainer(explainer)
    assert "the bridge fell" in text(client, "/places/siversk/")


def test_an_explainer_published_shows_its_claim_on_the_other_claims_pages_about_its_place(
    client, siversk_seen, publish_explainer
):
    explainer, seen = siversk_seen
    assert "the bridge fell" not in warm(client, seen.get_absolute_url())
    publish_explainer(explainer)
    assert "the bridge fell" in text(client, seen.get_absolute_url())


@pytest.mark.parametrize(
    "url, shown",
    [
        pytest.param("/places/", "Siversk"),
        pytest.param("/sources/", "Regional governor"),
        pytest.param("/api/v1/sources/", "Regional governor"),
        ("/claims/", "river crossing"),
        ("/api/v1/claims/", "river crossing"),
    ],
)
def test_an_unpublished_explainer_takes_its_claims_places_and_claimants_off_the_lists(
    client, river, publish_explainer, editor, url, shown
):
    explainer, _ = river
    publish_explainer(explainer)
    assert shown in warm(client, url)
    workflow.explainer_unpublish(explainer=explainer, by=editor, reason="Legal review")
    assert shown not in text(client, url)


# --- a scheduled explainer coming due ----------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/explainers/",
        "/feeds/explainers.rss",
        "/sitemap.xml",
        "/api/v1/explainers/",
        "/places/toretsk/",
        "/claims/{pk}-{slug}/",
    ],
)
def test_a_scheduled_explainer_shows_when_it_comes_due_on(
    client, desk, publish_explainer, monkeypatch, url
):
    later = factories.ExplainerFactory(title="Due soon", slug="due-soon")
    later.places.add(desk.toretsk)
    later.claims.add(desk.holding, through_defaults={"position": 0})
    publish_explainer(later, at=timezone.now() + datetime.timedelta(minutes=5))
    url = url.format(pk=desk.holding.pk, slug=desk.holding.slug)
    assert "due-soon" not in warm(client, url)
    come_due(later, monkeypatch)
    assert "due-soon" in text(client, url)


def test_a_scheduled_explainer_coming_due_puts_its_only_claim_on_the_claims_list(
    client, river, publish_explainer, monkeypatch
):
    explainer, claim = river
    publish_explainer(explainer, at=timezone.now() + datetime.timedelta(minutes=5))
    assert f"/claims/{claim.pk}-" not in warm(client, "/claims/")
    come_due(explainer, monkeypatch)
    assert f"/claims/{claim.pk}-" in text(client, "/claims/")


# --- places and sources edited -----------------------------------------------------------


def test_a_place_given_another_name_is_found_by_it(client, desk, editor):
    assert 'href="/places/toretsk/"' not in warm(client, "/search/?q=Shcherbynivka")
    urls = ["/places/", "/places/toretsk/", EXPLAINER, "/api/v1/places/"]
    for url in urls:
        assert "Shcherbynivka" not in warm(client, url)
    services.record_save(
        obj=PlaceName(place=desk.toretsk, name="Shcherbynivka", note="a district"), by=editor
    )
    assert 'href="/places/toretsk/"' in text(client, "/search/?q=Shcherbynivka")
    for url in urls:
        assert "Shcherbynivka" in text(client, url), url


@pytest.mark.parametrize(
    "url",
    [
        "/places/",
        "/places/toretsk/",
        EXPLAINER,
        "/claims/{pk}-{slug}/",
        "/api/v1/places/",
        "/api/v1/places/{place}/",
        "/downloads/claims.csv",
    ],
)
def test_a_renamed_place_shows_its_new_name_on(client, desk, editor, url):
    url = url.format(pk=desk.holding.pk, slug=desk.holding.slug, place=desk.toretsk.pk)
    assert "Toretsko" not in warm(client, url)
    desk.toretsk.name = "Toretsko"
    services.record_save(obj=desk.toretsk, by=editor)
    assert "Toretsko" in text(client, url)


def test_a_renamed_place_is_found_by_its_new_name(client, desk, editor):
    url = "/search/?q=Kalynivske"
    assert 'href="/places/toretsk/"' not in warm(client, url)
    desk.toretsk.name = "Kalynivske"
    services.record_save(obj=desk.toretsk, by=editor)
    assert 'href="/places/toretsk/"' in text(client, url)


@pytest.mark.parametrize(
    "url",
    [
        "/sources/",
        "/sources/ukrainian-100th-brigade/",
        "/claims/{pk}-{slug}/",
        "/",
        "/claims/",
        EXPLAINER,
        "/api/v1/claims/",
        "/api/v1/sources/{source}/",
        "/api/v1/claimreviews.jsonld",
        "/feeds/verdicts.rss",
        "/downloads/claims.csv",
    ],
)
def test_a_renamed_source_shows_its_new_name_on(client, desk, editor, url):
    url = url.format(pk=desk.holding.pk, slug=desk.holding.slug, source=desk.brigade.pk)
    assert "Azov Corps" not in warm(client, url)
    desk.brigade.name = "Azov Corps 100th Brigade"
    services.record_save(obj=desk.brigade, by=editor)
    assert "Azov Corps" in text(client, url)


@pytest.mark.parametrize(
    "url", ["/claims/{pk}-{slug}/", EXPLAINER, "/api/v1/claims/{pk}/", "/claims/"]
)
def test_a_confidential_sources_new_description_shows_on(client, desk, editor, url):
    url = url.format(pk=desk.officer.pk, slug=desk.officer.slug)
    assert "company commander" not in warm(client, url)
    desk.confidential.redacted_description = "a company commander near the town"
    services.record_save(obj=desk.confidential, by=editor)
    page = text(client, url)
    assert "company commander" in page
    assert "SECRET" not in page


def test_a_claimants_new_affiliation_moves_the_balance(client, desk, editor):
    before = warm(client, "/balance/")
    desk.brigade.affiliation = Source.Affiliation.INDEPENDENT
    services.record_save(obj=desk.brigade, by=editor)
    assert text(client, "/balance/") != before


CONFIDENTIAL_SURFACES = [
    "/claims/{pk}-{slug}/",
    "/",
    "/claims/",
    "/sources/",
    "/places/toretsk/",
    EXPLAINER,
    "/feeds/verdicts.rss",
    "/api/v1/claims/",
    "/api/v1/claims/{pk}/",
    "/api/v1/claimreviews/",
    "/api/v1/claimreviews.jsonld",
    "/downloads/claims.csv",
    "/search/?q=Toretsk",
]


@pytest.mark.parametrize("url", CONFIDENTIAL_SURFACES)
def test_a_source_made_confidential_loses_its_name_at_once_on(client, desk, editor, url):
    url = url.format(pk=desk.holding.pk, slug=desk.holding.slug)
    assert "Ukrainian 100th Brigade" in warm(client, url)
    desk.brigade.is_confidential = True
    desk.brigade.redacted_description = "a Ukrainian unit in the town"
    services.record_save(obj=desk.brigade, by=editor)
    assert "Ukrainian 100th Brigade" not in text(client, url)


def test_a_source_made_confidential_loses_its_page(client, desk, editor):
    url = f"/sources/{desk.brigade.slug}/"
    warm(client, url)
    warm(client, f"/api/v1/sources/{desk.brigade.pk}/")
    desk.brigade.is_confidential = True
    desk.brigade.redacted_description = "a Ukrainian unit in the town"
    services.record_save(obj=desk.brigade, by=editor)
    assert client.get(url).status_code == 404
    assert (
        "Ukrainian 100th Brigade"
        not in client.get(f"/api/v1/sources/{desk.brigade.pk}/").content.decode()
    )


# --- standing pages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/about/contact/", "/methodology/", "/", "/claims/", EXPLAINER, "/places/toretsk/"],
)
def test_a_standing_pages_new_title_shows_on(client, desk, contact_page, editor, url):
    assert "Reach the desk" not in warm(client, url)
    contact_page.title = "Reach the desk"
    services.record_save(obj=contact_page, by=editor)
    assert "Reach the desk" in text(client, url)


@pytest.mark.parametrize("url", ["/methodology/", "/about/corrections-policy/"])
def test_a_standing_pages_new_text_shows_on_it(client, desk, editor, url):
    kind = url.strip("/").split("/")[-1]
    page = StandingPage.objects.get(kind=kind)
    assert "We answer within a day." not in warm(client, url)
    page.body = "We answer within a day."
    services.record_save(obj=page, by=editor)
    assert "We answer within a day." in text(client, url)


@pytest.mark.parametrize(
    "url",
    [
        "/methodology/",  # lists `pages`
        "/search/?q=Toretsk",  # lists every list
        pytest.param("/"),
        pytest.param(EXPLAINER),
        pytest.param("/claims/{pk}-{slug}/"),
        pytest.param("/places/"),
    ],
)
def test_a_new_standing_page_joins_the_footer_of(client, desk, editor, url):
    url = url.format(pk=desk.holding.pk, slug=desk.holding.slug)
    assert "Write to the desk" not in warm(client, url)
    StandingPage.objects.filter(kind="contact").delete()
    page = StandingPage(kind="contact", title="Write to the desk", body="Mail us.")
    services.record_save(obj=page, by=editor)
    assert "Write to the desk" in text(client, url)


@pytest.mark.parametrize("url", ["/", "/claims/", EXPLAINER])
def test_a_deleted_standing_page_leaves_the_footer_of(client, desk, contact_page, url):
    assert "Write to the desk" in warm(client, url)
    StandingPage.objects.get(pk=contact_page.pk).delete()
    assert "Write to the desk" not in text(client, url)


def test_a_hostile_standing_page_title_is_escaped_in_the_footer(client, desk, editor, contact_page):
    contact_page.title = '<script>alert("t")</script>'
    services.record_save(obj=contact_page, by=editor)
    for _ in range(2):  # the links built, then reused (claims.site.context_processors)
        page = text(client, "/claims/")
        assert '<script>alert("t")' not in page and "&lt;script&gt;alert(" in page


# --- the byline, articles, aliases ------------------------------------------------------


@pytest.mark.parametrize("url", [EXPLAINER, "/api/v1/explainers/"])
def test_an_authors_new_name_shows_in_the_byline(client, desk, editor, url):
    assert "Olena Kovalenko" not in warm(client, url)
    editor.first_name, editor.last_name = "Olena", "Kovalenko"
    editor.save()  # what the admin's user form does
    assert "Olena Kovalenko" in text(client, url)


def test_a_corrected_headline_shows_where_the_claim_appeared(client, desk, editor):
    url = desk.capture.get_absolute_url()
    assert "Moscow claims fall of Toretsk" not in warm(client, url)
    article = desk.capture.appearances.get().article
    article.headline = "Moscow claims fall of Toretsk"
    services.record_save(obj=article, by=editor)
    assert "Moscow claims fall of Toretsk" in text(client, url)


def test_a_sources_new_alias_shows_on_its_page(client, desk, editor):
    url = "/sources/russian-defence-ministry/"
    assert "Rossiiske" not in warm(client, url)
    services.record_save(obj=SourceAlias(source=desk.mod, name="Rossiiske Minoborony"), by=editor)
    assert "Rossiiske Minoborony" in text(client, url)


def test_a_source_is_found_by_its_new_alias(client, desk, editor):
    url = "/search/?q=Rossiiske"
    assert 'href="/sources/russian-defence-ministry/"' not in warm(client, url)
    services.record_save(obj=SourceAlias(source=desk.mod, name="Rossiiske Minoborony"), by=editor)
    assert 'href="/sources/russian-defence-ministry/"' in text(client, url)


# --- an explainer's places revised -------------------------------------------------------


def test_an_explainer_moved_off_a_place_leaves_its_page_and_joins_the_new(client, desk, revise):
    siversk = factories.PlaceFactory(name="Siversk", slug="siversk")
    assert "why-toretsk-matters" in warm(client, "/places/niu-york/")
    revise(desk.explainer, places=[desk.toretsk.pk, siversk.pk])
    gone = client.get("/places/niu-york/")
    assert gone.status_code == 404 or "why-toretsk-matters" not in gone.content.decode()
    assert "Siversk" in text(client, EXPLAINER)
    assert "why-toretsk-matters" in text(client, "/places/siversk/")


# --- a merged duplicate ------------------------------------------------------------------


def test_a_duplicate_merged_into_a_live_claim_leads_to_it_and_keeps_its_page(client, desk, editor):
    url = desk.holding.get_absolute_url()
    before = warm(client, url)
    duplicate = factories.ClaimFactory(
        statement="Brigade says it holds Toretsk", claimant=desk.brigade
    )
    services.claim_merge(duplicate=duplicate, into=desk.holding, by=editor, reason="same")
    response = client.get(f"/claims/{duplicate.pk}/")
    assert response.status_code == 301 and response["Location"] == url
    assert text(client, url) == before


# --- evidence archived -------------------------------------------------------------------


def test_an_archived_copy_of_published_evidence_shows_on_the_claim_page(
    client, desk, reporter, settings, request
):
    server = request.getfixturevalue("web_server")  # the local server of tests/ingest
    settings.SITE_URL = SITE_URL
    settings.EVIDENCE_ARCHIVE_CHROMIUM = ""
    server.routes["/imagery"] = respond(body=PAGE)
    # Set up before any page is kept: the item's address is on the local server.
    Evidence.objects.filter(pk=desk.satellite.pk).update(url=server.url("/imagery"))
    desk.satellite.refresh_from_db()
    url = desk.capture.get_absolute_url()
    assert "warc" not in warm(client, url).lower()
    capture = services.evidence_archive(evidence=desk.satellite, by=reporter)
    page = text(client, url)
    assert capture.warc_sha256 in page


# --- a claim linked to one readers see ---------------------------------------------------


def test_a_first_verdict_shows_on_the_page_of_the_claim_it_disputes(
    client, desk, governor, publish_verification
):
    far = factories.PlaceFactory(name="Siversk", slug="siversk")
    rebuttal = factories.ClaimFactory(
        statement="Governor says the ministry's capture claim is staged", claimant=governor
    )
    rebuttal.places.add(far)
    ClaimLink.objects.create(from_claim=rebuttal, to_claim=desk.capture, relation="disputes")
    url = desk.capture.get_absolute_url()
    assert "capture claim is staged" not in warm(client, url)
    publish_verification(rebuttal, verdict="likely_true")
    assert "capture claim is staged" in text(client, url)


# --- saves readers see nothing of purge nothing ------------------------------------------

KEPT = ["/", EXPLAINER, "/claims/", "/places/toretsk/", "/api/v1/claims/", "/balance/"]


@pytest.fixture
def kept_pages(client, desk):
    for url in KEPT:
        warm(client, url)
    return cache.get(PURGES_KEY)


def assert_nothing_purged(client, purges):
    assert cache.get(PURGES_KEY) == purges
    for url in KEPT:
        assert client.get(url).get("X-Reader-Cache") == "hit", url


def test_a_revision_proposed_but_not_published_purges_nothing(
    client, desk, kept_pages, factchecker
):
    revisions.revision_propose(
        subject=desk.holding, by=factchecker, changes={"statement": "Not yet reviewed"}
    )
    revisions.revision_propose(subject=desk.explainer, by=factchecker, changes={"title": "Not yet"})
    assert_nothing_purged(client, kept_pages)


def test_notes_and_assignments_purge_nothing(client, desk, kept_pages, editor, factchecker):
    teamwork.note_add(subject=desk.explainer, by=editor, text="@factchecker check the map")
    teamwork.assignment_set(obj=desk.holding, by=editor, assignee=factchecker, note="Look")
    assert_nothing_purged(client, kept_pages)


def test_a_draft_explainer_edited_purges_nothing(client, desk, kept_pages, editor):
    desk.draft_explainer.title = "Draft explainer, reworded"
    services.record_save(obj=desk.draft_explainer, by=editor)
    desk.draft_explainer.places.add(desk.toretsk)
    assert_nothing_purged(client, kept_pages)


def test_a_draft_verification_edited_purges_nothing(client, desk, kept_pages, factchecker):
    desk.draft.rationale = "Still a draft, reworded."
    services.record_save(obj=desk.draft, by=factchecker)
    assert_nothing_purged(client, kept_pages)


def test_a_readers_submission_purges_nothing(client, desk, kept_pages):
    client.post("/submit/", {"text": "Is it true the dam at Toretsk was blown up last night?"})
    assert_nothing_purged(client, kept_pages)


def test_an_unpublished_claim_edited_purges_nothing(client, desk, kept_pages, editor):
    desk.unpublished.statement = "Unpublished claim, reworded"
    services.record_save(obj=desk.unpublished, by=editor)
    assert_nothing_purged(client, kept_pages)


def test_a_scheduled_explainer_not_yet_due_purges_nothing(
    client, desk, kept_pages, publish_explainer
):
    later = factories.ExplainerFactory(title="Due later", slug="due-later")
    later.places.add(desk.toretsk)
    publish_explainer(later, at=timezone.now() + datetime.timedelta(hours=5))
    assert_nothing_purged(client, kept_pages)


def test_a_place_nothing_public_is_about_edited_purges_nothing(client, desk, kept_pages, editor):
    desk.hidden_place.region = "somewhere"
    services.record_save(obj=desk.hidden_place, by=editor)
    assert_nothing_purged(client, kept_pages)


def test_a_name_for_a_place_nothing_public_is_about_purges_nothing(
    client, desk, kept_pages, editor
):
    services.record_save(obj=PlaceName(place=desk.hidden_place, name="Nowhere"), by=editor)
    assert_nothing_purged(client, kept_pages)
