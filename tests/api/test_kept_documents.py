"""Each worker keeps the claims' documents of the API's claim list and the ClaimReview feed's
items (claims.web.cache.pieces): a list re-rendered because one claim changed builds that
claim's document again and reuses the others, and never reuses one showing what changed."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import workflow
from claims.api import fields as api_fields
from claims.models import Appearance, Claim, ClaimLink, ExplainerClaim, Verification
from claims.web.cache import pieces, version
from tests import factories

from .conftest import SECRET, ids

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


def test_the_feed_rebuilds_a_verdicts_item_from_the_kept_appearances(
    anon, desk, publish_verification, editor
):
    """A verdict rebuilds its claim's item without reading the claim's appearances (kept
    apart, views/feed.py `appearance_works`); an article's new headline, after that, still
    reaches the item, and so does an appearance taken away."""
    from claims import services

    anon.get(FEED)
    publish_verification(desk.capture, verdict="false")
    with CaptureQueriesContext(connection) as queries:
        after = anon.get(FEED)
    assert "claims_appearance" not in " ".join(q["sql"] for q in queries.captured_queries)
    (work,) = item(after, desk.capture)["itemReviewed"]["appearance"]
    assert work["headline"] == desk.capture.appearances.get().article.headline
    pieces.kept.clear()
    version.purge_all()
    assert anon.get(FEED).content == after.content  # the same as built with nothing kept

    anon.get(FEED)
    wire = desk.capture.appearances.get().article
    wire.headline = "Moscow says it took Toretsk"
    services.record_save(obj=wire, by=editor)
    (work,) = item(anon.get(FEED), desk.capture)["itemReviewed"]["appearance"]
    assert work["headline"] == "Moscow says it took Toretsk"
    Appearance.objects.filter(claim=desk.capture).delete()
    assert "appearance" not in item(anon.get(FEED), desk.capture)["itemReviewed"]


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


# --- tried as an outsider would: the list and the feed after changes through the desk ------


def results(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def listed(client, claim, path=CLAIMS, **params):
    return next(doc for doc in results(client, path, **params) if doc["id"] == claim.pk)


def feed_items(client, path=FEED, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return {e["item"]["url"]: e for e in response.json()["dataFeedElement"]}


@pytest.fixture
def publish_by_api(as_second_editor):
    def publish(revision_id, kind="update"):
        response = as_second_editor.post(
            f"/api/v1/revisions/{revision_id}/publish/",
            {"kind": kind, "note": "Updated for readers."},
            format="json",
        )
        assert response.status_code == 200, response.content

    return publish


def patch_live(client, claim, body):
    url = f"/api/v1/claims/{claim.pk}/"
    etag = client.get(url)["ETag"]
    response = client.patch(url, body, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 202, response.content
    return response.json()["id"]


# --- filtered and paged lists after changes around a claim --------------------------------


def test_a_list_filtered_by_place_after_the_claims_places_are_revised(
    anon, desk, as_factchecker, publish_by_api
):
    assert desk.capture.pk in ids(anon.get(CLAIMS, {"place": "toretsk"}))
    assert desk.capture.pk not in ids(anon.get(CLAIMS, {"place": "pivnichne"}))
    results(anon, CLAIMS)
    revision = patch_live(as_factchecker, desk.capture, {"place_ids": [desk.pivnichne.pk]})
    # Pending: readers see the claim as it was.
    assert [p["name"] for p in listed(anon, desk.capture)["places"]] == ["Toretsk"]
    publish_by_api(revision)
    assert desk.capture.pk not in ids(anon.get(CLAIMS, {"place": "toretsk"}))
    doc = listed(anon, desk.capture, place="pivnichne")
    assert [p["name"] for p in doc["places"]] == ["Pivnichne"]
    assert [p["name"] for p in listed(anon, desk.capture)["places"]] == ["Pivnichne"]


def test_a_list_filtered_by_verdict_after_a_verdict(anon, desk, publish_verification):
    disputed = listed(anon, desk.capture, verdict="disputed")
    publish_verification(desk.capture, verdict="false")
    assert desk.capture.pk not in ids(anon.get(CLAIMS, {"verdict": "disputed"}))
    doc = listed(anon, desk.capture, verdict="false")
    assert doc["current_verdict"] == "false"
    assert [step["verdict"] for step in doc["verdict_history"]][-1] == "false"
    # What is around it is the same, and reused.
    for name in ("places", "appearances", "linked_claims", "explainers"):
        assert doc[name] == disputed[name]
    holding = listed(anon, desk.holding, verdict="likely_true")
    assert holding["linked_claims"][0]["claim"]["current_verdict"] == "false"


def test_pages_of_one_after_a_link_revised_in(anon, desk, as_factchecker, publish_by_api):
    pages = [results(anon, CLAIMS, page_size=1, page=n) for n in (1, 2, 3)]
    assert sorted(doc["id"] for page in pages for doc in page) == sorted(
        [desk.capture.pk, desk.holding.pk, desk.officer.pk]
    )
    revision = patch_live(
        as_factchecker,
        desk.officer,
        {"link_entries": [{"claim_id": desk.capture.pk, "relation": "supports"}]},
    )
    publish_by_api(revision)
    by_id = {
        doc["id"]: doc for n in (1, 2, 3) for doc in results(anon, CLAIMS, page_size=1, page=n)
    }
    [out] = by_id[desk.officer.pk]["linked_claims"]
    assert (out["claim"]["id"], out["direction"]) == (desk.capture.pk, "out")
    directions = {
        (e["claim"]["id"], e["direction"]) for e in by_id[desk.capture.pk]["linked_claims"]
    }
    assert directions == {(desk.holding.pk, "in"), (desk.officer.pk, "in")}
    # The officer's claimant is confidential: named by its description alone in the capture's.
    assert SECRET not in json.dumps(by_id)


# --- the desk through the API ---------------------------------------------------------------


def test_a_merge_through_the_api_reaches_readers_when_published(
    anon, desk, as_editor, publish_by_api
):
    duplicate = factories.ClaimFactory(statement="Ministry says again it took Toretsk")
    article = factories.ArticleFactory(headline="The ministry, again", outlet=desk.ministry)
    Appearance.objects.create(claim=duplicate, article=article)
    ClaimLink.objects.create(from_claim=duplicate, to_claim=desk.officer, relation="disputes")
    results(anon, CLAIMS)
    response = as_editor.post(
        f"/api/v1/claims/{duplicate.pk}/merge/", {"into": desk.capture.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    revision = response.json()["pending_revision"]["id"]
    assert "The ministry, again" not in json.dumps(listed(anon, desk.capture))
    publish_by_api(revision)
    capture = listed(anon, desk.capture)
    assert "The ministry, again" in json.dumps(capture["appearances"])
    assert desk.officer.pk in {e["claim"]["id"] for e in capture["linked_claims"]}
    officer = listed(anon, desk.officer)
    assert {(e["claim"]["id"], e["direction"]) for e in officer["linked_claims"]} == {
        (desk.capture.pk, "in")
    }
    assert anon.get(f"{CLAIMS}{duplicate.pk}/").status_code == 301


def test_an_article_renamed_and_its_outlet_concealed_through_the_api(
    anon, desk, as_editor, as_second_editor
):
    results(anon, CLAIMS)
    feed_items(anon)
    url = f"/api/v1/articles/{desk.wire.pk}/"
    response = as_editor.patch(
        url,
        {"headline": "Moscow says it took Toretsk"},
        format="json",
        HTTP_IF_MATCH=as_editor.get(url)["ETag"],
    )
    assert response.status_code == 200, response.content
    assert "Moscow says it took Toretsk" in json.dumps(listed(anon, desk.capture)["appearances"])
    url = f"/api/v1/sources/{desk.mapper.pk}/"
    response = as_editor.patch(
        url,
        {"is_confidential": True, "redacted_description": "a mapping group"},
        format="json",
        HTTP_IF_MATCH=as_editor.get(url)["ETag"],
    )
    assert response.status_code == 200, response.content
    text = json.dumps(results(anon, CLAIMS)) + json.dumps(feed_items(anon))
    assert "An open-source mapping group" not in text
    assert "a mapping group" in json.dumps(listed(anon, desk.capture)["appearances"])


def test_nothing_unpublished_in_any_kept_document_after_the_desk_reads(anon, desk, as_editor):
    as_editor.get(CLAIMS)
    as_editor.get(FEED)
    results(anon, CLAIMS)
    feed_items(anon)
    assert SECRET not in str(list(pieces.kept._items.values()))
    assert SECRET not in json.dumps(results(anon, CLAIMS))


# --- the feed -------------------------------------------------------------------------------


def test_the_feed_after_verdicts_on_both_ends_of_a_link(anon, desk, publish_verification):
    feed_items(anon)
    publish_verification(desk.capture, verdict="false")
    publish_verification(desk.holding, verdict="confirmed")
    items = feed_items(anon)
    by_claim = {url.split("/claims/")[1].split("-")[0]: e for url, e in items.items()}
    assert (
        by_claim[str(desk.capture.pk)]["item"]["reviewRating"]["alternateName"]
        != (by_claim[str(desk.holding.pk)]["item"]["reviewRating"]["alternateName"])
    )
    pieces.kept.clear()
    version.purge(["all"])
    assert feed_items(anon) == items


def test_the_feed_as_json_and_as_jsonld_lists_the_same_items(anon, desk, publish_verification):
    as_json = feed_items(anon, format="json")
    publish_verification(desk.holding, verdict="false")
    as_json = feed_items(anon, format="json")
    as_ld = feed_items(anon, format="jsonld")
    whole = anon.get("/api/v1/claimreviews.jsonld")
    assert whole.status_code == 200
    assert as_ld == as_json
    assert feed_items(anon) == as_json


# --- documents from kept pieces are those built afresh --------------------------------------


def fresh_documents(client):
    """The documents as built with no piece at all: `?search=` is never kept (nor its pieces
    used), so the whole serializer builds them."""
    return {doc["id"]: json.dumps(doc) for doc in results(client, CLAIMS, search="Toretsk")}


@pytest.mark.parametrize("change", [None, "verdict", "link"])
def test_kept_documents_are_byte_for_byte_those_built_afresh(
    anon, desk, publish_verification, as_factchecker, publish_by_api, change
):
    results(anon, CLAIMS)
    if change == "verdict":
        publish_verification(desk.holding, verdict="false")
    elif change == "link":
        publish_by_api(
            patch_live(
                as_factchecker,
                desk.officer,
                {"link_entries": [{"claim_id": desk.capture.pk, "relation": "supports"}]},
            )
        )
    results(anon, CLAIMS)  # pieces now kept, some reused
    kept_docs = {doc["id"]: json.dumps(doc) for doc in results(anon, CLAIMS, page=1)}
    fresh = fresh_documents(anon)
    assert set(fresh) == set(kept_docs)
    for pk, text in fresh.items():
        assert kept_docs[pk] == text, pk


@pytest.mark.parametrize("suffix", ["", ".json"])
def test_a_format_suffix_and_a_plain_list_do_not_share_addresses(anon, desk, suffix):
    other = ".json" if suffix == "" else ""
    results(anon, f"/api/v1/claims{suffix}" if suffix else CLAIMS)
    docs = results(anon, f"/api/v1/claims{other}" if other else CLAIMS)
    text = json.dumps(docs)
    if other:
        assert f"/claims/{desk.capture.pk}.json" in text
    else:
        assert ".json" not in text


def test_format_as_a_query_parameter_does_not_reach_plain_requests(anon, desk):
    api_fields._url_templates.clear()
    results(anon, CLAIMS, format="json")
    api_fields._url_templates.clear()
    assert "format=json" not in json.dumps(results(anon, CLAIMS))


@pytest.mark.parametrize("kind", ["articles", "places", "sources", "outlets"])
def test_a_detail_made_public_by_one_claim_goes_with_it(
    anon, desk, make_live_explainer, editor, kind
):
    """An article, a place, a claimant or an outlet public through one claim alone, itself
    public through one explainer: unpublishing the explainer takes their API details and
    their reader pages away at once, kept or not."""

    claimant = factories.SourceFactory(name="Lonely claimant", slug="lonely")
    outlet = factories.SourceFactory(name="Lonely outlet", slug="lonely-outlet")
    place = factories.PlaceFactory(name="Lonely place", slug="lonely-place")
    claim = factories.ClaimFactory(statement="Lonely claim", claimant=claimant)
    claim.places.add(place)
    article = factories.ArticleFactory(headline="Lonely article", outlet=outlet)
    Appearance.objects.create(claim=claim, article=article)
    explainer = make_live_explainer(title="Lonely", slug="lonely", body="B.")
    ExplainerClaim.objects.create(explainer=explainer, claim=claim)
    shown = {"articles": article, "places": place, "sources": claimant, "outlets": outlet}[kind]
    urls = [f"/api/v1/{'sources' if kind == 'outlets' else kind}/{shown.pk}/"]
    if kind != "articles":  # articles have no reader page
        urls.append(shown.get_absolute_url())
    for url in urls:
        assert anon.get(url).status_code == 200, url
        assert anon.get(url).status_code == 200  # kept
    workflow.explainer_unpublish(explainer=explainer, by=editor, reason="Legal check")
    for url in urls:
        assert anon.get(url).status_code == 404, url


def test_the_feed_with_only_paging_parameters_lists_the_same(anon, desk):
    plain = feed_items(anon)
    assert feed_items(anon, page=1) == plain
    assert set(feed_items(anon, page_size=1)) < set(plain)


def test_a_source_public_only_through_evidence_goes_with_its_verdict(
    anon, desk, publish_verification
):
    """A source cited only as evidence of one published verdict: deleting that verdict (the
    admin's delete of one no longer current) takes its API detail and its reader page away
    at once, kept or not."""

    witness = factories.SourceFactory(name="Lonely witness", slug="lonely-witness")
    claim = factories.ClaimFactory(statement="Lonely claim", claimant=desk.capture.claimant)
    evidence = factories.EvidenceFactory(claim=claim, source=witness, description="Seen.")
    verdict = publish_verification(claim, verdict="likely_true", evidence=[evidence])
    publish_verification(claim, verdict="confirmed")  # the current one: the first may go
    urls = [f"/api/v1/sources/{witness.pk}/", witness.get_absolute_url()]
    for url in urls:
        assert anon.get(url).status_code == 200, url
        assert anon.get(url).status_code == 200  # kept
    Verification.objects.filter(pk=verdict.pk).delete()
    for url in urls:
        assert anon.get(url).status_code == 404, url
