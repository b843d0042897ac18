"""The published record changes only through review, and readers see every change.

A live claim (one with a published verdict, cited by a live explainer) and a live explainer
are edited by every role, in the desk and through the API. Until an editor who wrote none of
the change publishes it, nothing readers look at changes: the claim and explainer pages, the
API, the ClaimReview feed and JSON-LD, the Atom feeds, the sitemap, search. Once published,
the change is everywhere, with a dated update or correction readers can see.
"""

import datetime
import re

import feedparser
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from claims import workflow
from claims.errors import DeskError
from claims.models import AuditEvent, Claim, Correction, Explainer, ExplainerClaim, Revision
from claims.services import revisions
from claims.web.cache import pieces
from claims.web.cache.store import local_pages, worker_pages
from claims.web.cache.version import purge_log

from .. import factories
from ..admin.conftest import claim_form, messages_of

pytestmark = pytest.mark.django_db

ROLES = ("reporter", "factchecker", "editor")
OLD = "Ukraine says Russian forces have made some gains near Bakhmut"
NEW = "Ukraine says Russian forces have captured all of Bakhmut"


@pytest.fixture(autouse=True)
def _fresh_cache(fresh_cache_and_generous_rates):
    """Reader pages are cached: every test starts, and every reader look starts, afresh."""


@pytest.fixture
def live(db, publish_verification, make_live_explainer, editor):
    """A claim with a published verdict, cited by a live explainer (written by `editor`)."""
    claim = factories.ClaimFactory(
        statement=OLD, quote="The enemy has advanced in places.", slug="gains-near-bakhmut"
    )
    publish_verification(claim, verdict="likely_true")
    explainer = make_live_explainer(
        title="Why Bakhmut mattered",
        slug="why-bakhmut-mattered",
        standfirst="A town fought over for ten months.",
        body="## The salt mines\n\nThe town sits on salt and gypsum mines.",
    )
    explainer.authors.add(editor)
    ExplainerClaim.objects.create(explainer=explainer, claim=claim, context_note="Kyiv's view.")
    claim.refresh_from_db()
    explainer.refresh_from_db()
    return claim, explainer


def what_readers_see(claim, explainer):
    """Every surface a reader or an anonymous API consumer looks at, as one text, rendered
    afresh (no copy kept by the cache or this worker)."""
    cache.clear()
    local_pages.clear()
    worker_pages.clear()
    pieces.kept.clear()
    purge_log.reset()
    reader = Client()
    pages = [
        claim.get_absolute_url(),
        f"/explainers/{explainer.slug}/",
        "/feeds/verdicts.atom",
        "/feeds/explainers.atom",
        "/sitemap.xml",
        "/search/?q=Bakhmut",
        f"/api/v1/claims/{claim.pk}/",
        f"/api/v1/explainers/{explainer.pk}/",
        "/api/v1/claimreviews/",
    ]
    texts = []
    for page in pages:
        response = reader.get(page)
        assert response.status_code == 200, page
        texts.append(response.content.decode())
    return "\n".join(texts)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def api_patch(user, url, data):
    client = api(user)
    etag = client.get(url)["ETag"]
    return client.patch(url, data, format="json", HTTP_IF_MATCH=etag)


def publish(user, revision, kind="update", note="Corrected the claim's wording."):
    return api(user).post(
        f"/api/v1/revisions/{revision.pk}/publish/", {"kind": kind, "note": note}, format="json"
    )


# --- a live claim's statement ----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_an_edit_of_a_live_claim_in_the_desk_waits_for_review(client, request, live, role):
    claim, explainer = live
    user = request.getfixturevalue(role)
    client.force_login(user)
    before = what_readers_see(claim, explainer)

    response = client.post(
        reverse("admin:claims_claim_change", args=[claim.pk]), claim_form(claim, statement=NEW)
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert any("pending revision" in m for m in messages_of(response))
    claim.refresh_from_db()
    assert claim.statement == OLD
    revision = Revision.objects.get(claim=claim, status="pending")
    assert revision.proposed["statement"] == NEW
    assert set(revision.authors.all()) == {user}
    assert what_readers_see(claim, explainer) == before
    assert NEW not in before


@pytest.mark.parametrize("role", ROLES)
def test_an_edit_of_a_live_claim_through_the_api_waits_for_review(request, live, role):
    claim, explainer = live
    user = request.getfixturevalue(role)
    before = what_readers_see(claim, explainer)

    response = api_patch(user, f"/api/v1/claims/{claim.pk}/", {"statement": NEW})

    assert response.status_code == 202, response.content
    assert response.json()["changed"] == ["statement"]
    claim.refresh_from_db()
    assert claim.statement == OLD
    assert what_readers_see(claim, explainer) == before


def test_an_editor_who_wrote_none_of_it_publishes_the_change_and_readers_see_a_dated_note(
    live, reporter, editor
):
    claim, explainer = live
    api_patch(reporter, f"/api/v1/claims/{claim.pk}/", {"statement": NEW})
    revision = Revision.objects.get(claim=claim)

    response = publish(editor, revision, kind="correction", note="We misquoted the ministry.")

    assert response.status_code == 200, response.content
    claim.refresh_from_db()
    assert claim.statement == NEW
    assert claim.slug == "gains-near-bakhmut"  # its address does not change with its wording
    seen = what_readers_see(claim, explainer)
    assert NEW in seen
    assert OLD not in seen
    assert "We misquoted the ministry." in seen
    assert claim.last_substantive_update is not None
    page = Client().get(claim.get_absolute_url()).content.decode()
    assert "Updated <time" in page
    assert re.search(r"Correction</span>, <time[^>]*>[^<]+</time>: We misquoted", page)
    review = Client().get("/api/v1/claimreviews/").json()["dataFeedElement"][0]["item"]
    assert review["claimReviewed"].startswith("Ukraine says Russian forces have captured")
    modified = datetime.datetime.fromisoformat(review["dateModified"])
    assert modified == claim.last_substantive_update
    assert modified > datetime.datetime.fromisoformat(review["datePublished"])
    note = Correction.objects.get(claim=claim)
    assert (note.kind, note.revision, note.created_by) == ("correction", revision, editor)
    event = AuditEvent.objects.get(action="revision.publish")
    assert (event.actor, event.to_state) == (editor, "correction")


@pytest.mark.parametrize("role", ROLES)
def test_nobody_publishes_a_change_they_wrote_and_only_editors_publish(
    request, live, role, second_editor
):
    claim, _ = live
    user = request.getfixturevalue(role)
    api_patch(user, f"/api/v1/claims/{claim.pk}/", {"statement": NEW})
    revision = Revision.objects.get(claim=claim)

    refused = publish(user, revision)

    assert refused.status_code == 403
    claim.refresh_from_db()
    assert claim.statement == OLD
    if role != "editor":
        other = factories.UserFactory(username=f"other-{role}", role="Fact-checker")
        assert publish(other, revision).status_code == 403  # not an editor
    assert publish(second_editor, revision).status_code == 200


def test_whoever_amends_a_pending_change_becomes_one_of_its_authors(
    live, reporter, editor, second_editor
):
    claim, _ = live
    api_patch(reporter, f"/api/v1/claims/{claim.pk}/", {"statement": NEW})
    api_patch(editor, f"/api/v1/claims/{claim.pk}/", {"quote": "The enemy has taken the town."})
    revision = Revision.objects.get(claim=claim)

    assert revision.proposed["statement"] == NEW  # the amendment kept the first change
    assert revision.proposed["quote"] == "The enemy has taken the town."
    assert set(revision.authors.all()) == {reporter, editor}
    assert publish(editor, revision).status_code == 403
    assert publish(second_editor, revision).status_code == 200


def test_a_change_to_what_a_claim_says_is_never_a_minor_edit(live, reporter, editor):
    claim, _ = live
    api_patch(reporter, f"/api/v1/claims/{claim.pk}/", {"statement": NEW})
    revision = Revision.objects.get(claim=claim)

    refused = publish(editor, revision, kind="minor", note="")

    assert refused.status_code == 400
    assert "never a minor edit" in refused.json()["detail"]
    claim.refresh_from_db()
    assert claim.statement == OLD


def test_a_minor_edit_shows_no_note_and_the_audit_trail_says_who_chose_it(live, reporter, editor):
    claim, explainer = live
    place = factories.PlaceFactory(name="Soledar")
    api_patch(reporter, f"/api/v1/claims/{claim.pk}/", {"place_ids": [place.pk]})
    revision = Revision.objects.get(claim=claim)

    assert publish(editor, revision, kind="minor", note="").status_code == 200

    claim.refresh_from_db()
    assert list(claim.places.all()) == [place]
    assert claim.last_substantive_update is None
    assert not Correction.objects.filter(claim=claim).exists()
    event = AuditEvent.objects.get(action="revision.publish")
    assert event.to_state == "minor"
    assert "chosen by editor" in event.note


def test_a_discarded_change_never_reaches_readers(live, reporter, editor):
    claim, explainer = live
    before = what_readers_see(claim, explainer)
    api_patch(reporter, f"/api/v1/claims/{claim.pk}/", {"statement": NEW})
    revision = Revision.objects.get(claim=claim)

    response = api(editor).post(
        f"/api/v1/revisions/{revision.pk}/discard/",
        {"reason": "Not what they said."},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == "discarded"
    assert what_readers_see(claim, explainer) == before
    assert publish(editor, revision).status_code == 409


def test_a_live_claims_rows_change_only_through_its_revision(live, reporter, second_editor):
    """Where it appeared and the claims it disputes are what readers see too."""
    claim, explainer = live
    article = factories.ArticleFactory(headline="Kyiv answers the ministry")
    other = factories.ClaimFactory(statement="Russia says Bakhmut is under its control")
    response = api_patch(
        reporter,
        f"/api/v1/claims/{claim.pk}/",
        {
            "appearance_entries": [{"article_id": article.pk, "passage": "Kyiv said..."}],
            "link_entries": [{"claim_id": other.pk, "relation": "disputes"}],
        },
    )
    assert response.status_code == 202, response.content
    assert not claim.appearances.filter(article=article).exists()
    assert not claim.links_out.exists()

    publish(second_editor, Revision.objects.get(claim=claim))

    assert claim.appearances.filter(article=article, passage="Kyiv said...").exists()
    assert claim.links_out.get().to_claim == other


def test_no_other_path_changes_a_live_claim_directly(live, reporter):
    """The services refuse a direct save of what readers see, whoever calls them."""
    from claims import services

    claim, _ = live
    claim = Claim.objects.get(pk=claim.pk)
    claim.statement = NEW
    with pytest.raises(DeskError) as refused:
        services.record_save(obj=claim, by=reporter)
    assert "pending revision" in refused.value.message
    row = claim.appearances.model(claim=claim, article=factories.ArticleFactory())
    with pytest.raises(DeskError):
        services.record_save(obj=row, by=reporter)
    assert Claim.objects.get(pk=claim.pk).statement == OLD


# --- a live explainer ------------------------------------------------------------------------


def explainer_form(explainer, **changes):
    data = {
        "title": explainer.title,
        "standfirst": explainer.standfirst,
        "body": explainer.body,
        "places": [p.pk for p in explainer.places.all()],
        "authors": [a.pk for a in explainer.authors.all()],
        "seen_version": explainer.version,
        "change_reason": "",
    }
    for prefix in ("explainer_claims", "corrections"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ("factchecker", "editor"))
def test_an_edit_of_a_live_explainer_in_the_desk_waits_for_review(client, request, live, role):
    claim, explainer = live
    client.force_login(request.getfixturevalue(role))
    before = what_readers_see(claim, explainer)

    response = client.post(
        reverse("admin:claims_explainer_change", args=[explainer.pk]),
        explainer_form(explainer, standfirst="A town that cost both armies dearly."),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    explainer.refresh_from_db()
    assert explainer.standfirst == "A town fought over for ten months."
    assert what_readers_see(claim, explainer) == before
    revision = Revision.objects.get(explainer=explainer)
    assert revision.proposed["standfirst"] == "A town that cost both armies dearly."


def test_a_reporter_cannot_edit_an_explainer_at_all(client, live, reporter):
    _, explainer = live
    client.force_login(reporter)
    url = reverse("admin:claims_explainer_change", args=[explainer.pk])
    assert client.post(url, explainer_form(explainer, body="Mine.")).status_code == 403
    url = f"/api/v1/explainers/{explainer.pk}/"
    assert api_patch(reporter, url, {"body": "Mine."}).status_code == 403
    assert not Revision.objects.exists()


def test_a_live_explainers_update_shows_as_updated_with_its_note_once_published(
    live, factchecker, editor, second_editor
):
    claim, explainer = live
    new_claim = factories.ClaimFactory(statement="Russia says Soledar was taken first")
    response = api_patch(
        factchecker,
        f"/api/v1/explainers/{explainer.pk}/",
        {
            "body": explainer.body + "\n\n## After the town fell\n\nThe front moved west.",
            "claim_entries": [
                {"claim_id": new_claim.pk, "context_note": "The claim before."},
                {"claim_id": claim.pk, "context_note": "Kyiv's view, later."},
            ],
        },
    )
    assert response.status_code == 202, response.content
    assert "After the town fell" not in what_readers_see(claim, explainer)
    revision = Revision.objects.get(explainer=explainer)
    # `editor` is one of the explainer's authors: four eyes.
    assert publish(editor, revision, note="Added what happened after.").status_code == 403

    assert publish(second_editor, revision, note="Added what happened after.").status_code == 200

    seen = what_readers_see(claim, explainer)
    assert "After the town fell" in seen
    assert "Added what happened after." in seen
    explainer.refresh_from_db()
    assert [e.claim for e in explainer.explainer_claims.all()] == [new_claim, claim]
    page = Client().get(f"/explainers/{explainer.slug}/").content.decode()
    assert "Updated <time" in page
    feed = feedparser.parse(Client().get("/feeds/explainers.atom").content)
    [entry] = [e for e in feed.entries if e.link.endswith(f"/explainers/{explainer.slug}/")]
    updated = datetime.datetime(*entry.updated_parsed[:6], tzinfo=datetime.UTC)
    assert updated == explainer.last_substantive_update.replace(microsecond=0)
    assert explainer.last_substantive_update > explainer.first_published_at


def test_a_one_editor_desk_may_waive_four_eyes_for_explainers_only_and_it_is_audited(
    live, editor, settings
):
    claim, explainer = live
    settings.DESK_FOUR_EYES = False
    api_patch(editor, f"/api/v1/explainers/{explainer.pk}/", {"standfirst": "Shorter."})
    api_patch(editor, f"/api/v1/claims/{claim.pk}/", {"statement": NEW})

    assert publish(editor, Revision.objects.get(explainer=explainer)).status_code == 200
    assert publish(editor, Revision.objects.get(claim=claim)).status_code == 403  # claims: never

    waiver = AuditEvent.objects.get(action="four_eyes.waived")
    assert waiver.actor == editor
    assert waiver.object_id == str(explainer.pk)


def test_an_explainers_first_publication_needs_an_editor_who_did_not_write_it(
    editor, second_editor, factchecker
):
    explainer = factories.ExplainerFactory()
    explainer.authors.add(editor)
    workflow.explainer_submit(explainer=explainer, by=factchecker)

    only_another_editor_publishes(explainer, writer=editor, other=second_editor)


def only_another_editor_publishes(explainer, *, writer, other):
    with pytest.raises(DeskError, match="Four eyes"):
        workflow.explainer_publish(explainer=explainer, by=writer)
    workflow.explainer_publish(explainer=explainer, by=other)
    explainer.refresh_from_db()
    assert explainer.status == Explainer.Status.PUBLISHED


def test_an_editor_who_only_rearranged_a_drafts_claims_through_the_api_cannot_publish_it(
    explainer, claim, editor, second_editor, factchecker
):
    """The claims of an explainer, and their notes, are part of what its writers wrote."""
    url = f"/api/v1/explainers/{explainer.pk}/"
    entries = [{"claim_id": claim.pk, "context_note": "The editor's own reading."}]
    response = api_patch(editor, url, {"claim_entries": entries})
    assert response.status_code == 200, response.content
    assert explainer.explainer_claims.get().context_note == "The editor's own reading."
    workflow.explainer_submit(explainer=explainer, by=factchecker)

    only_another_editor_publishes(explainer, writer=editor, other=second_editor)


def test_an_explainer_in_review_is_not_edited_until_it_is_returned(factchecker, editor):
    explainer = factories.ExplainerFactory()
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    response = api_patch(editor, f"/api/v1/explainers/{explainer.pk}/", {"body": "Rewritten."})
    assert response.status_code in (403, 409)
    explainer.refresh_from_db()
    assert explainer.body != "Rewritten."


# --- the review page ---------------------------------------------------------------------------


def test_the_review_page_shows_both_versions_and_previews_the_reader_page(
    client, live, reporter, second_editor
):
    claim, explainer = live
    api_patch(reporter, f"/api/v1/claims/{claim.pk}/", {"statement": NEW})
    revision = Revision.objects.get(claim=claim)
    client.force_login(second_editor)

    page = client.get(reverse("admin:claims_revision_change", args=[revision.pk])).content.decode()
    preview = client.get(reverse("admin:claims_revision_preview", args=[revision.pk]))

    assert "Statement" in page
    assert "<del>made some gains near</del>" in page
    assert "<ins>captured all of</ins>" in page
    assert 'name="kind"' in page  # the editor may publish
    assert preview.status_code == 200
    assert NEW in preview.content.decode()
    assert "private" in preview["Cache-Control"]
    claim.refresh_from_db()
    assert claim.statement == OLD  # the preview changed nothing
    assert NEW not in what_readers_see(claim, explainer)


def test_the_claims_change_form_opens_on_the_pending_proposal(client, live, reporter, factchecker):
    claim, _ = live
    api_patch(reporter, f"/api/v1/claims/{claim.pk}/", {"statement": NEW})
    client.force_login(factchecker)

    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()

    assert f'value="{NEW}"' in page
    assert "amend the pending revision" in page


def test_publishing_in_the_desk_goes_back_to_the_object_with_a_message(
    client, live, reporter, second_editor
):
    claim, _ = live
    api_patch(reporter, f"/api/v1/claims/{claim.pk}/", {"statement": NEW})
    revision = Revision.objects.get(claim=claim)
    client.force_login(second_editor)

    response = client.post(
        reverse("admin:claims_revision_change", args=[revision.pk]),
        {"step": "publish", "kind": "update", "note": "Reworded after the ministry's text."},
    )

    assert response.status_code == 302
    assert messages_of(response) == ["Published: readers now see the change."]
    claim.refresh_from_db()
    assert claim.statement == NEW


def test_revisions_are_for_the_desk_only(live, reporter):
    claim, _ = live
    api_patch(reporter, f"/api/v1/claims/{claim.pk}/", {"statement": NEW})
    anonymous = APIClient()
    assert anonymous.get("/api/v1/revisions/").status_code == 401
    listed = api(reporter).get("/api/v1/revisions/?status=pending").json()["results"]
    assert [r["subject_id"] for r in listed] == [claim.pk]


def test_the_stable_address_of_a_claim_survives_a_change_of_wording(live, reporter, second_editor):
    claim, _ = live
    old_address = claim.get_absolute_url()
    api_patch(reporter, f"/api/v1/claims/{claim.pk}/", {"statement": NEW})
    publish(second_editor, Revision.objects.get(claim=claim))
    claim.refresh_from_db()

    assert claim.get_absolute_url() == old_address
    assert Client().get(old_address).status_code == 200
    moved = Client().get(f"/claims/{claim.pk}-some-older-wording/")
    assert (moved.status_code, moved["Location"]) == (301, old_address)
    refused = api_patch(reporter, f"/api/v1/claims/{claim.pk}/", {"slug": "captured-all"})
    assert refused.status_code == 409


def test_two_api_clients_amending_one_pending_change_at_once_lose_nothing(
    live, reporter, factchecker
):
    """The desk's view of a live claim shows its pending revision, so amending the revision
    changes the claim's ETag: the second client's PATCH names the older one and gets 412."""
    claim, _ = live
    url = f"/api/v1/claims/{claim.pk}/"
    first, second = api(reporter), api(factchecker)
    first_tag, second_tag = first.get(url)["ETag"], second.get(url)["ETag"]
    assert first_tag == second_tag

    landed = first.patch(url, {"statement": NEW}, format="json", HTTP_IF_MATCH=first_tag)
    lost = second.patch(url, {"quote": "Another quote."}, format="json", HTTP_IF_MATCH=second_tag)

    assert landed.status_code == 202, landed.content
    assert lost.status_code == 412, lost.content
    revision = Revision.objects.get(claim=claim)
    assert revision.proposed["statement"] == NEW
    assert revision.proposed["quote"] == "The enemy has advanced in places."
    shown = second.get(url).json()["pending_revision"]
    assert shown["id"] == revision.pk and shown["api_url"].endswith(f"/revisions/{revision.pk}/")
    assert "pending_revision" not in APIClient().get(url).json()


def test_proposing_nothing_new_makes_no_revision(live, reporter):
    claim, _ = live
    response = api_patch(reporter, f"/api/v1/claims/{claim.pk}/", {"statement": OLD})
    assert response.status_code == 200
    assert not Revision.objects.exists()
    assert revisions.pending_revision(claim) is None


def test_linking_an_imported_passage_to_a_live_claim_is_a_revision_too(
    live, reporter, second_editor
):
    from claims.ingest.candidates import candidate_link_to_claim
    from claims.ingest.importing import Overrides, import_pasted

    claim, _ = live
    article = import_pasted(
        "Kyiv answers on Bakhmut\n\nThe General Staff said the town was still held by its "
        "troops on Sunday.\n",
        by=reporter,
        overrides=Overrides(outlet="Kyiv Wire"),
    ).article
    candidate = article.candidates.get()

    linked = candidate_link_to_claim(
        article=article, start=candidate.start, end=candidate.end, claim=claim, by=reporter
    )

    assert isinstance(linked, Revision)
    assert not claim.appearances.filter(article=article).exists()
    publish(second_editor, linked, note="Added where the claim appeared.")
    assert claim.appearances.filter(article=article).exists()


def test_a_claims_address_is_made_from_its_wording_cut_at_a_word_and_kept_once_live(
    client, reporter, publish_verification
):
    from claims import services

    claim = services.record_save(
        obj=Claim(
            statement="Russia's Defence Ministry said on Friday that its forces had taken full "
            "control of Dzerzhynsk, a town in the Donetsk region, after weeks of street fighting",
            quote="Liberated.",
            claimant=factories.SourceFactory(),
            claimed_on="2025-02-07",
        ),
        by=reporter,
    )
    assert claim.slug == (
        "russias-defence-ministry-said-on-friday-that-its-forces-had-taken-full-control"
    )
    publish_verification(claim, verdict="disputed")
    claim = Claim.objects.get(pk=claim.pk)
    client.force_login(reporter)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert 'name="slug"' not in page  # shown, not offered, once readers have the address


def test_a_drafts_address_follows_its_rewording_until_it_is_first_published(
    client, reporter, publish_verification, second_editor
):
    """Readers first see the claim at an address that reads as what it finally says; after
    that the address stays, and the draft's older addresses redirect to it."""
    claim = factories.ClaimFactory(statement="Russia says it took Toretsk", slug="")
    assert claim.slug == "russia-says-it-took-toretsk"
    first_address = f"/claims/{claim.pk}-{claim.slug}/"

    # Reworded in the desk, then through the API, while still a draft.
    client.force_login(reporter)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    form = claim_form(claim, statement="Russia's Defence Ministry says it captured Toretsk")
    assert client.post(url, form).status_code == 302
    claim.refresh_from_db()
    assert claim.slug == "russias-defence-ministry-says-it-captured-toretsk"
    response = api_patch(
        reporter, f"/api/v1/claims/{claim.pk}/", {"statement": "Russia says it captured Toretsk"}
    )
    assert response.status_code == 200, response.content
    claim.refresh_from_db()
    assert claim.slug == "russia-says-it-captured-toretsk"

    publish_verification(claim, verdict="disputed")
    published_address = claim.get_absolute_url()
    api_patch(reporter, f"/api/v1/claims/{claim.pk}/", {"statement": "Moscow claims Toretsk"})
    publish(second_editor, Revision.objects.get(claim=claim))
    claim.refresh_from_db()

    assert claim.statement == "Moscow claims Toretsk"
    assert claim.get_absolute_url() == published_address
    moved = Client().get(first_address)
    assert (moved.status_code, moved["Location"]) == (301, published_address)


def test_a_slug_someone_chose_is_kept_when_the_draft_is_reworded(reporter):
    claim = factories.ClaimFactory(statement="Russia says it took Toretsk", slug="toretsk-fall")

    response = api_patch(
        reporter, f"/api/v1/claims/{claim.pk}/", {"statement": "Russia says it captured Toretsk"}
    )

    assert response.status_code == 200, response.content
    claim.refresh_from_db()
    assert claim.slug == "toretsk-fall"


def test_two_people_amending_a_pending_change_at_once_lose_nothing(
    client, live, reporter, factchecker
):
    """Each change form carries the state of the pending revision it was opened on: a save
    based on an older one is refused, not laid over the other person's amendment."""
    claim, _ = live
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    client.force_login(reporter)
    opened = client.get(url).content.decode()
    seen = re.search(r'name="revision_seen" value="([^"]*)"', opened).group(1)
    api_patch(factchecker, f"/api/v1/claims/{claim.pk}/", {"quote": "The town is ours."})

    response = client.post(url, {**claim_form(claim, statement=NEW), "revision_seen": seen})

    assert any("Someone else changed the pending revision" in m for m in messages_of(response))
    revision = Revision.objects.get(claim=claim)
    assert revision.proposed["statement"] == OLD
    assert revision.proposed["quote"] == "The town is ours."
    assert list(revision.authors.all()) == [factchecker]
