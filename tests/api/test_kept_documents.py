"""Each worker keeps the claims' documents of the API's claim list and the ClaimReview feed's
items (claims.web.cache.pieces): a list re-rendered because one claim changed builds that
claim's document again and reuses the others, and never reuses one showing what changed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from claims.web.cache import pieces

from .conftest import SECRET

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims/"
FEED = "/api/v1/claimreviews/"


def document(response, claim):
    return next(doc for doc in response.json()["results"] if doc["id"] == claim.pk)


def item(response, claim):
    return next(
        entry["item"]
        for entry in response.json()["dataFeedElement"]
        if entry["item"]["url"].endswith(claim.get_absolute_url())
    )


def kept_for(kind, claim):
    """The piece kept for `claim`'s document ("api:claim") or feed item ("api:claimreview"):
    (deadline, purge number it was made after, keys, value, size)."""
    found = [kept for name, kept in pieces.kept._items.items() if name[0][:2] == (kind, claim.pk)]
    assert len(found) == 1, found
    return found[0]


def test_a_verdict_rebuilds_that_claims_document_and_reuses_the_others(
    anon, desk, publish_verification
):
    before = anon.get(CLAIMS)
    officer, holding = kept_for("api:claim", desk.officer), kept_for("api:claim", desk.holding)
    assert f"claim-{desk.holding.pk}" in holding[2] and f"source-{desk.brigade.pk}" in holding[2]

    publish_verification(desk.holding, verdict="confirmed")
    after = anon.get(CLAIMS)
    assert "X-Reader-Cache" not in after  # the list was purged, and rendered again
    assert document(after, desk.holding)["current_verdict"] == "confirmed"
    # The claim it disputes shows its verdict too; the officer's, unlinked, is reused.
    assert document(after, desk.capture)["linked_claims"][0]["claim"]["current_verdict"] == (
        "confirmed"
    )
    assert document(after, desk.officer) == document(before, desk.officer)
    assert kept_for("api:claim", desk.officer)[3] is officer[3]
    assert kept_for("api:claim", desk.holding)[1] > holding[1]  # made after the publish


def test_a_change_to_what_a_document_shows_of_other_rows_reaches_it(anon, desk, editor):
    """The claimant of a linked claim, and an explainer citing the claim, are shown in the
    claim's document: renaming them rebuilds it."""
    anon.get(CLAIMS)
    desk.capture.claimant.name = "Ministry of Defence of Russia"
    desk.capture.claimant.save()
    linked = document(anon.get(CLAIMS), desk.holding)["linked_claims"]
    assert "Ministry of Defence of Russia" in str(linked)

    desk.explainer.title = "Why Toretsk still matters"
    desk.explainer.save()
    cited_in = document(anon.get(CLAIMS), desk.holding)["explainers"]
    assert [entry["title"] for entry in cited_in] == ["Why Toretsk still matters"]


def test_the_feed_rebuilds_the_item_of_a_new_verdict_only(anon, desk, publish_verification):
    before = anon.get(FEED)
    officer = kept_for("api:claimreview", desk.officer)
    publish_verification(desk.holding, verdict="false")
    after = anon.get(FEED)
    assert (
        item(after, desk.holding)["reviewRating"]["alternateName"]
        != item(before, desk.holding)["reviewRating"]["alternateName"]
    )
    assert item(after, desk.officer) == item(before, desk.officer)
    assert kept_for("api:claimreview", desk.officer) is officer


def claims_read_whole(path, client):
    """The ids of the claims a GET of `path` reads whole (statement and all) by id: the
    claims whose documents it builds; None when no query does."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    by_id = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "claims_claim"."id", "claims_claim"."created_at"')
        and 'WHERE "claims_claim"."id" IN (' in q["sql"]
    ]
    if not by_id:
        return None
    [query] = by_id
    ids = query.split('WHERE "claims_claim"."id" IN (')[1].split(")")[0]
    return {int(pk) for pk in ids.split(", ")}


@pytest.mark.parametrize("path", [CLAIMS, FEED])
def test_a_list_rendered_again_reads_only_the_changed_claims_whole(
    path, anon, desk, publish_verification
):
    """The page's query reads the listed claims' ids alone; the claims whose documents are
    not kept are read again whole, by id, in one query."""
    # With nothing kept, every listed claim is read whole.
    assert claims_read_whole(path, anon) >= {desk.holding.pk, desk.officer.pk}
    publish_verification(desk.holding, verdict="false")
    # In the API's list, the claim that disputes it shows its verdict too: what is around
    # that claim is built again, not the claim itself.
    assert claims_read_whole(path, anon) == {desk.holding.pk}
    assert claims_read_whole(path, anon) is None  # kept whole, as a page


def test_a_claim_deleted_between_the_list_and_its_reading_is_left_out(desk):
    """`per_object` with `reload`: a row gone by the time the rows not kept are read again
    gets no value, and nothing is kept for it."""
    listed = list(Claim.objects.filter(pk__in=[desk.holding.pk, desk.officer.pk]).only("id"))
    with pieces.rendering_after(0):
        values = pieces.per_object(
            listed,
            lambda claim: ("test:claim", claim.pk),
            list,
            lambda claims: [claim.statement for claim in claims],
            reload=Claim.objects.exclude(pk=desk.officer.pk),
        )
    by_pk = dict(zip((claim.pk for claim in listed), values, strict=True))
    assert by_pk == {desk.holding.pk: desk.holding.statement, desk.officer.pk: None}
    assert [name[0] for name in pieces.kept._items] == [("test:claim", desk.holding.pk)]


def test_the_desk_neither_gets_nor_leaves_kept_documents(desk, as_editor, anon):
    drafts = as_editor.get(CLAIMS)
    assert SECRET in drafts.content.decode()  # the desk sees drafts: nothing of it is kept
    assert not pieces.kept._items
    anon.get(CLAIMS)
    assert SECRET not in str(pieces.kept._items.values())


def test_the_benchmarks_header_counts_only_with_its_token(anon, desk, settings):
    settings.READER_CACHE_BYPASS_TOKEN = "bench"
    anon.get(CLAIMS)
    holding, officer = kept_for("api:claim", desk.holding), kept_for("api:claim", desk.officer)
    anon.get(CLAIMS, {"page": 1}, HTTP_X_READER_CACHE_PURGED="all")  # no token: ignored
    assert kept_for("api:claim", desk.holding) is holding
    bypass = {"HTTP_X_READER_CACHE_BYPASS": "bench"}
    anon.get(CLAIMS, **bypass)  # rendered afresh, with the documents kept
    assert kept_for("api:claim", desk.holding) is holding
    # As after a change to one claim: its document built again, the others reused.
    anon.get(CLAIMS, HTTP_X_READER_CACHE_PURGED=f"claim-{desk.holding.pk}", **bypass)
    assert kept_for("api:claim", desk.holding) is not holding
    assert kept_for("api:claim", desk.officer) is officer
    anon.get(CLAIMS, HTTP_X_READER_CACHE_PURGED="all", **bypass)  # as with nothing kept
    assert kept_for("api:claim", desk.officer) is not officer
