"""An outsider's attempts on the seventh session's changes: a claim page's kept "what is
around the claim" (places, "Where it appeared", its structured data's appearances), an
explainer timeline's two kept lists (claims, verdicts), purges made from a place's side.
Each attempt renders pages as an anonymous reader, changes something through the desk,
renders them again, and compares them with the pages made with nothing kept."""

import datetime
import html
import time

import pytest
from django.utils import timezone

from claims import services, workflow
from claims.models import Appearance, ExplainerClaim
from claims.services import merge, revisions
from claims.web.cache import pieces
from claims.web.cache.version import purge_log
from tests import factories

from .conftest import SECRET
from .helpers import claim_review_in, same_as_fresh

pytestmark = pytest.mark.django_db


def esc(text):
    return html.escape(text)


def urls_of(desk, *extra):
    return [
        desk.capture.get_absolute_url(),
        desk.holding.get_absolute_url(),
        desk.officer.get_absolute_url(),
        desk.explainer.get_absolute_url(),
        desk.toretsk.get_absolute_url(),
        *extra,
    ]


def warm(client, urls):
    for url in urls:
        client.get(url)


# --- a claim page's places, appearances and structured data ---------------------------------


def test_places_revised_on_and_off(client, desk, revise):
    pivnichne = factories.PlaceFactory(name="Pivnichne", slug="pivnichne")
    urls = urls_of(desk, desk.niu_york.get_absolute_url())
    warm(client, urls)
    revise(desk.capture, places=[desk.toretsk.pk, pivnichne.pk, desk.niu_york.pk])
    pages = same_as_fresh(client, urls + [pivnichne.get_absolute_url()], "places added")
    assert ">Pivnichne</a>" in pages[desk.capture.get_absolute_url()]
    warm(client, urls)
    revise(desk.capture, places=[pivnichne.pk])
    same_as_fresh(client, urls + [pivnichne.get_absolute_url()], "toretsk removed")


def test_a_place_renamed_and_moved(client, desk, editor):
    urls = urls_of(desk)
    warm(client, urls)
    desk.toretsk.name = "Toretsk <b>town</b>"
    services.record_save(obj=desk.toretsk, by=editor)
    same_as_fresh(client, urls[:4], "renamed")
    warm(client, urls[:4])
    desk.toretsk.slug = "toretsk-town"
    services.record_save(obj=desk.toretsk, by=editor)
    pages = same_as_fresh(client, urls[:4] + ["/places/toretsk-town/"], "slug")
    assert 'href="/places/toretsk-town/"' in pages[desk.capture.get_absolute_url()]


def test_an_article_headline_url_and_date(client, desk, editor):
    urls = urls_of(desk)
    warm(client, urls)
    wire = desk.capture.appearances.get().article
    wire.headline = "Moscow says it took Toretsk"
    services.record_save(obj=wire, by=editor)
    same_as_fresh(client, urls, "headline")
    warm(client, urls)
    wire.url = "https://imagery.example/toretsk"  # the evidence's address: archivedAt appears
    services.record_save(obj=wire, by=editor)
    pages = same_as_fresh(client, urls, "url")
    (work,) = claim_review_in(pages[desk.capture.get_absolute_url()])["itemReviewed"]["appearance"]
    assert work.get("archivedAt") == "https://archive.example/imagery-toretsk"
    warm(client, urls)
    wire.published_at = timezone.make_aware(datetime.datetime(2025, 2, 7, 9, 0))
    services.record_save(obj=wire, by=editor)
    pages = same_as_fresh(client, urls, "date")
    item = claim_review_in(pages[desk.capture.get_absolute_url()])["itemReviewed"]
    assert "firstAppearance" in item


def test_an_outlet_renamed_given_a_home_and_made_confidential(client, desk, editor):
    urls = urls_of(desk)
    warm(client, urls)
    outlet = desk.mapper
    outlet.name = "Renamed mappers"
    outlet.home_url = "https://mappers.example/"
    services.source_save(source=outlet, by=editor)
    pages = same_as_fresh(client, urls, "renamed")
    assert "https://mappers.example/" in pages[desk.capture.get_absolute_url()]
    warm(client, urls)
    outlet.is_confidential = True
    outlet.redacted_description = "a mapping group"
    services.source_save(source=outlet, by=editor)
    pages = same_as_fresh(client, urls, "confidential")
    for url, text in pages.items():
        assert "Renamed mappers" not in text and "mappers.example" not in text, url


def test_an_article_moved_to_a_confidential_outlet(client, desk, editor):
    urls = urls_of(desk)
    warm(client, urls)
    wire = desk.capture.appearances.get().article
    wire.outlet = desk.confidential
    services.record_save(obj=wire, by=editor)
    pages = same_as_fresh(client, urls, "outlet")
    assert SECRET not in pages[desk.capture.get_absolute_url()]


def test_an_appearance_passage_revised_and_a_second_appearance(client, desk, revise):
    urls = urls_of(desk)
    warm(client, urls)
    wire = desk.capture.appearances.get().article
    revise(desk.capture, kind="minor", appearances=[{"article": wire.pk, "passage": "New."}])
    same_as_fresh(client, urls, "passage")
    warm(client, urls)
    other = factories.ArticleFactory(
        headline="Second report",
        outlet=desk.confidential,
        url="https://wire.example/2",
        published_at=timezone.make_aware(datetime.datetime(2025, 2, 7, 8, 0)),
    )
    revise(
        desk.capture,
        kind="minor",
        appearances=[{"article": wire.pk, "passage": "New."}, {"article": other.pk}],
    )
    pages = same_as_fresh(client, urls, "second appearance")
    assert SECRET not in pages[desk.capture.get_absolute_url()]


def test_an_article_shared_by_two_claims_then_deleted(client, desk, revise, editor):
    urls = urls_of(desk)
    wire = desk.capture.appearances.get().article
    revise(desk.holding, kind="minor", appearances=[{"article": wire.pk, "passage": "Also."}])
    warm(client, urls)
    wire.headline = "Shared report renamed"
    services.record_save(obj=wire, by=editor)
    pages = same_as_fresh(client, urls, "shared headline")
    assert "Shared report renamed" in pages[desk.holding.get_absolute_url()]


def test_a_claim_dated_anew_onto_its_articles_day(client, desk, revise, editor):
    urls = urls_of(desk)
    wire = desk.capture.appearances.get().article
    wire.published_at = timezone.make_aware(datetime.datetime(2025, 2, 6, 9, 0))
    services.record_save(obj=wire, by=editor)
    warm(client, urls)
    revise(desk.capture, claimed_on="2025-02-06")
    pages = same_as_fresh(client, urls, "date")
    review = claim_review_in(pages[desk.capture.get_absolute_url()])
    assert "firstAppearance" in review["itemReviewed"]


def test_verdicts_on_claims_in_and_out_of_the_timeline(client, desk, publish_verification):
    elsewhere_place = factories.PlaceFactory(name="Chasiv Yar", slug="chasiv-yar")
    elsewhere = factories.ClaimFactory(statement="Governor says canal shelled", claimant=desk.mod)
    elsewhere.places.add(elsewhere_place)
    publish_verification(elsewhere, verdict="likely_true")
    urls = urls_of(desk, elsewhere.get_absolute_url())
    warm(client, urls)
    publish_verification(desk.capture, verdict="false")
    same_as_fresh(client, urls, "capture")
    warm(client, urls)
    publish_verification(elsewhere, verdict="false")
    same_as_fresh(client, urls, "elsewhere")
    warm(client, urls)
    publish_verification(desk.officer, verdict="confirmed")
    same_as_fresh(client, urls, "officer")


def test_a_verdict_whose_evidence_archives_the_appearance(client, desk, publish_verification):
    urls = urls_of(desk)
    warm(client, urls)
    wire = desk.capture.appearances.get().article
    evidence = factories.EvidenceFactory(
        claim=desk.capture,
        kind="document",
        description="Wire",
        url=wire.url,
        archived_url="https://archive.example/wire-1",
    )
    publish_verification(desk.capture, verdict="false", evidence=[evidence])
    pages = same_as_fresh(client, urls, "archived")
    (work,) = claim_review_in(pages[desk.capture.get_absolute_url()])["itemReviewed"]["appearance"]
    assert work["archivedAt"] == "https://archive.example/wire-1"


def test_a_hidden_claim_first_verdict_with_an_appearance(client, desk, publish_verification):
    claim = factories.ClaimFactory(
        statement="Hidden until verdict", claimant=desk.mod, claimed_on=datetime.date(2025, 2, 10)
    )
    claim.places.add(desk.toretsk)
    article = factories.ArticleFactory(headline="Hidden article", outlet=desk.mapper)
    Appearance.objects.create(claim=claim, article=article, passage="p")
    urls = urls_of(desk)
    warm(client, urls)
    assert client.get(claim.get_absolute_url()).status_code == 404
    publish_verification(claim, verdict="false")
    pages = same_as_fresh(client, urls + [claim.get_absolute_url()], "came")
    assert "Hidden article" in pages[claim.get_absolute_url()]
    assert "Hidden until verdict" in pages[desk.explainer.get_absolute_url()]


def test_a_merge_into_a_live_claim_published(client, desk, editor, second_editor):
    place = factories.PlaceFactory(name="Pokrovsk", slug="pokrovsk")
    duplicate = factories.ClaimFactory(statement="Ministry repeats", claimant=desk.mod)
    duplicate.places.add(place)
    article = factories.ArticleFactory(headline="Repeated report", outlet=desk.mod)
    Appearance.objects.create(claim=duplicate, article=article, passage="Again.")
    urls = urls_of(desk)
    warm(client, urls)
    merge.claim_merge(duplicate=duplicate, into=desk.capture, by=editor)
    pages = same_as_fresh(client, urls, "merged, pending")
    assert "Repeated report" not in pages[desk.capture.get_absolute_url()]
    warm(client, urls)
    revision = revisions.pending_revision(desk.capture)
    revisions.revision_publish(revision=revision, by=second_editor, kind="update", note="M.")
    pages = same_as_fresh(client, urls + [place.get_absolute_url()], "merged, published")
    assert "Repeated report" in pages[desk.capture.get_absolute_url()]
    assert ">Pokrovsk</a>" in pages[desk.capture.get_absolute_url()]


def test_a_scheduled_explainer_coming_due(client, desk, factchecker, second_editor, monkeypatch):
    claim = factories.ClaimFactory(
        statement="Scheduled claim", claimant=desk.mod, claimed_on=datetime.date(2025, 2, 11)
    )
    claim.places.add(desk.toretsk)
    article = factories.ArticleFactory(headline="Scheduled article", outlet=desk.mapper)
    Appearance.objects.create(claim=claim, article=article, passage="")
    scheduled = factories.ExplainerFactory(title="Later", slug="later", body="B.")
    scheduled.places.add(desk.toretsk)
    ExplainerClaim.objects.create(explainer=scheduled, claim=claim)
    workflow.explainer_submit(explainer=scheduled, by=factchecker)
    workflow.explainer_publish(
        explainer=scheduled, by=second_editor, at=timezone.now() + datetime.timedelta(minutes=5)
    )
    urls = urls_of(desk)
    warm(client, urls)
    assert "Scheduled claim" not in client.get(desk.explainer.get_absolute_url()).content.decode()
    scheduled.refresh_from_db()
    due = scheduled.publish_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: due)
    monkeypatch.setattr(time, "time", lambda: due.timestamp())
    purge_log.forget()
    pages = same_as_fresh(client, urls + [claim.get_absolute_url()], "due")
    assert "Scheduled claim" in pages[desk.explainer.get_absolute_url()]


def test_an_explainers_places_revised(client, desk, revise):
    pivnichne = factories.PlaceFactory(name="Pivnichne", slug="pivnichne")
    urls = urls_of(desk)
    warm(client, urls)
    revise(desk.explainer, places=[pivnichne.pk])
    same_as_fresh(client, urls, "only pivnichne")
    warm(client, urls)
    revise(desk.explainer, places=[desk.toretsk.pk, pivnichne.pk])
    same_as_fresh(client, urls, "both")


def test_a_claim_about_two_places_taken_off_one_from_the_places_side(client, desk):
    urls = urls_of(desk, desk.niu_york.get_absolute_url())
    desk.capture.places.add(desk.niu_york)
    warm(client, urls)
    desk.niu_york.claims.remove(desk.capture)
    same_as_fresh(client, urls, "removed from niu-york side")
    warm(client, urls)
    desk.niu_york.claims.add(desk.capture)
    same_as_fresh(client, urls, "added from niu-york side")


def test_a_desk_preview_of_a_hidden_claim_keeps_nothing(client, desk, editor):
    article = factories.ArticleFactory(headline=f"Article {SECRET}", outlet=desk.confidential)
    Appearance.objects.create(claim=desk.unpublished, article=article, passage=SECRET)
    urls = urls_of(desk)
    warm(client, urls)
    client.force_login(editor)
    assert SECRET in client.get(desk.unpublished.get_absolute_url()).content.decode()
    client.logout()
    assert SECRET not in str(list(pieces.kept._items.values()))
    assert client.get(desk.unpublished.get_absolute_url()).status_code == 404
    for url in urls:
        assert SECRET not in client.get(url).content.decode(), url


# --- search on PostgreSQL: JIT off, settings set and put back in one statement -------------

from django.db import connection, transaction  # noqa: E402

from claims.web.search import search  # noqa: E402


def _settings():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('jit'), current_setting('enable_seqscan'),"
            " current_setting('plan_cache_mode'),"
            " current_setting('pg_trgm.word_similarity_threshold', true)"
        )
        return cursor.fetchone()


ODD_QUERIES = [
    "a",
    "Kos",
    "_",
    "__init__",
    "2",
    "ß",
    "ǅ",
    "İstanbul",
    "toretsk " * 30,
    " ".join(f"w{n}" for n in range(20)),
    "a b c d e f g h i j k l m n",
    'Toretsk\'s "north" -mine or',
    "x" * 200,
    "٣٤",
    "Торецьк",
]


@pytest.mark.postgres
@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_queries_on_postgres_leave_the_settings(client, desk, query):
    before = _settings()
    with transaction.atomic():
        search(query)
        inside = _settings()
    assert inside[:3] == before[:3], (before, inside)
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert SECRET not in response.content.decode()


@pytest.mark.postgres
def test_many_searches_in_a_row_on_one_connection(desk):
    """Prepared statements (a query run five times may be prepared): the settings'
    statements, with a NULL among their values or not, run again and again."""
    for _ in range(12):
        for query in ("Toretsk", "Kos", "a b", "Dzerzhynsk"):
            search(query)
    assert _settings()[:3] == ("on", "on", "auto")


@pytest.mark.postgres
def test_a_search_after_an_error_in_the_outer_transaction(desk):
    from django.db import DatabaseError

    with transaction.atomic():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1/0")
        except DatabaseError:
            pass
        assert search("Toretsk").places
        assert _settings()[:3] == ("on", "on", "auto")


# --- more page attempts ----------------------------------------------------------------------


def test_a_place_deleted(client, desk, editor):
    pivnichne = factories.PlaceFactory(name="Pivnichne", slug="pivnichne")
    desk.capture.places.add(pivnichne)
    desk.explainer.places.add(pivnichne)
    urls = urls_of(desk)
    warm(client, urls)
    services.record_delete(obj=pivnichne, by=editor)
    pages = same_as_fresh(client, urls, "deleted")
    assert "Pivnichne" not in pages[desk.capture.get_absolute_url()]


def test_a_claim_with_no_place_given_one_from_the_places_side(client, desk, publish_verification):
    claim = factories.ClaimFactory(
        statement="Placeless claim", claimant=desk.mod, claimed_on=datetime.date(2025, 2, 12)
    )
    publish_verification(claim, verdict="false")
    urls = urls_of(desk, claim.get_absolute_url())
    warm(client, urls)
    desk.toretsk.claims.add(claim)
    pages = same_as_fresh(client, urls, "added")
    assert "Placeless claim" in pages[desk.explainer.get_absolute_url()]
    assert ">Toretsk</a>" in pages[claim.get_absolute_url()]
    warm(client, urls)
    desk.toretsk.claims.remove(claim)
    same_as_fresh(client, urls, "removed")


def test_a_short_timeline_with_verdicts_and_claims_interleaved(
    client, desk, publish_verification, revise, monkeypatch
):
    from claims.site import views

    monkeypatch.setattr(views, "TIMELINE_LENGTH", 3)
    urls = urls_of(desk)
    warm(client, urls)
    publish_verification(desk.officer, verdict="false")
    same_as_fresh(client, urls, "verdict")
    warm(client, urls)
    revise(desk.capture, claimed_on="2026-01-01")
    same_as_fresh(client, urls, "dated anew")
    warm(client, urls)
    revise(desk.capture, claimed_on="2024-01-01")
    same_as_fresh(client, urls, "dated back")
    warm(client, urls)
    revise(desk.officer, places=[desk.niu_york.pk])
    same_as_fresh(client, urls, "officer moved to niu-york (the explainer's other place)")


def test_a_claim_cited_by_two_explainers_one_unpublished(
    client, desk, editor, make_live_explainer, factchecker, second_editor
):
    claim = factories.ClaimFactory(
        statement="Cited twice", claimant=desk.mod, claimed_on=datetime.date(2025, 2, 13)
    )
    claim.places.add(desk.toretsk)
    article = factories.ArticleFactory(headline="Cited article", outlet=desk.mapper)
    Appearance.objects.create(claim=claim, article=article)
    other = factories.ExplainerFactory(title="Other", slug="other-x", body="B.")
    ExplainerClaim.objects.create(explainer=other, claim=claim)
    workflow.explainer_submit(explainer=other, by=factchecker)
    workflow.explainer_publish(explainer=other, by=second_editor)
    urls = urls_of(desk, claim.get_absolute_url())
    warm(client, urls)
    workflow.explainer_unpublish(explainer=other, by=editor, reason="Check")
    pages = same_as_fresh(client, urls[:-1], "unpublished")
    assert "Cited twice" not in pages[desk.explainer.get_absolute_url()]
    assert client.get(claim.get_absolute_url()).status_code == 404


def test_a_claim_edited_while_hidden_then_back(client, desk, editor, factchecker, second_editor):
    """The officer is public only through the explainer: unpublished, its appearances and
    places are edited directly (no reader sees it), then the explainer comes back."""
    from claims.services import rows

    article = factories.ArticleFactory(headline="Edited while hidden", outlet=desk.mapper)
    urls = urls_of(desk)
    warm(client, urls)
    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Check")
    rows.claim_rows_set(claim=desk.officer, by=editor, appearances=[{"article": article}])
    desk.officer.places.add(desk.niu_york)
    article.headline = "Edited while hidden, twice"
    services.record_save(obj=article, by=editor)
    workflow.explainer_submit(explainer=desk.explainer, by=factchecker)
    desk.explainer.refresh_from_db()
    workflow.explainer_publish(explainer=desk.explainer, by=second_editor, change_note="Back.")
    pages = same_as_fresh(client, urls, "back")
    assert "Edited while hidden, twice" in pages[desk.officer.get_absolute_url()]
