"""The number of queries for a page does not grow with what is on it.

Each page is built at two sizes (few and many claims, verifications, evidence items) and must
take exactly the same, fixed number of queries at both.
"""

import pytest

from claims.models import ClaimLink, ExplainerClaim
from tests import factories

pytestmark = pytest.mark.django_db

# Queries per page for an anonymous reader. A change here means a page started (or stopped)
# loading something per item: look for a missing select_related or prefetch.
# The explainer and claim pages each take one query for the desk's archived copies of all
# their evidence. The claim page reads its verdicts' evidence ids first, then the pieces of
# evidence not kept (a new verdict mostly cites evidence an earlier one did). The
# explainer's timeline takes four: the ids and dates of the newest claims and verdicts about
# its places, then the rows of those whose events are not kept. Its claims take two more
# than they would read at once: their ids (nearly every card is kept), then the entries
# whose cards are not kept, and the claims that dispute each other (here, all). Each page
# here is the first since the cache was emptied, after the desk's writes purged what they
# touched: it finds the purge counter but no schedule kept, so it looks for what came due
# meanwhile (two queries: scheduled explainers and corrections) and reads the schedule (two
# more: version._schedule).
EXPLAINER_QUERIES = 22
CLAIM_QUERIES = 17  # with its corrections and updates, and its evidence ids
PLACE_QUERIES = 10
SOURCE_QUERIES = 10
HOME_QUERIES = 9


@pytest.fixture
def build(publish_verification, make_live_explainer):
    """Build an explainer about a place with `size` claims, each with `size` published
    verifications citing `size` evidence items, all by one claimant."""

    def build(size):
        place = factories.PlaceFactory(slug=f"place-{size}")
        claimant = factories.SourceFactory(slug=f"claimant-{size}")
        explainer = make_live_explainer(slug=f"explainer-{size}")
        explainer.places.add(place)
        previous = None
        claims = []
        for i in range(size):
            claim = factories.ClaimFactory(claimant=claimant)
            claim.places.add(place)
            article = factories.ArticleFactory()
            claim.appearances.create(article=article, passage="...")
            for _ in range(size):
                evidence = [
                    factories.EvidenceFactory(claim=claim, source=factories.SourceFactory())
                    for _ in range(size)
                ]
                publish_verification(claim, evidence=evidence, location_verdict="confirmed")
            ExplainerClaim.objects.create(explainer=explainer, claim=claim, position=i)
            if previous:
                ClaimLink.objects.create(from_claim=claim, to_claim=previous, relation="disputes")
            previous = claim
            claims.append(claim)
        return explainer, claims, place, claimant

    return build


@pytest.mark.parametrize("size", [2, 5])
def test_explainer_page(client, build, django_assert_num_queries, size):
    explainer, *_ = build(size)
    with django_assert_num_queries(EXPLAINER_QUERIES):
        assert client.get(f"/explainers/{explainer.slug}/").status_code == 200


@pytest.mark.parametrize("size", [2, 5])
def test_claim_page(client, build, django_assert_num_queries, size):
    _, claims, *_ = build(size)
    with django_assert_num_queries(CLAIM_QUERIES):
        assert client.get(claims[1].get_absolute_url()).status_code == 200


@pytest.mark.parametrize("size", [2, 5])
def test_place_page(client, build, django_assert_num_queries, size):
    _, _, place, _ = build(size)
    with django_assert_num_queries(PLACE_QUERIES):
        assert client.get(f"/places/{place.slug}/").status_code == 200


@pytest.mark.parametrize("size", [2, 5])
def test_source_page(client, build, django_assert_num_queries, size):
    *_, claimant = build(size)
    with django_assert_num_queries(SOURCE_QUERIES):
        assert client.get(f"/sources/{claimant.slug}/").status_code == 200


@pytest.mark.parametrize("size", [2, 5])
def test_home_page(client, build, django_assert_num_queries, size):
    build(size)
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200
