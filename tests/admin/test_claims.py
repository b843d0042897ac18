"""Claims in the admin: similar claims (live and server-rendered), verdicts, creators."""

import datetime
import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims import workflow
from claims.models import Article, Claim, Evidence

from .. import factories
from .conftest import CLAIM_INLINES, change_url, messages_of, no_inline_forms

SIMILAR_URL = "admin:claims_claim_similar"


def test_similar_claims_view_returns_similar_claims(client, reporter, claim):
    factories.ClaimFactory(statement="Ukraine reports heavy shelling of Kramatorsk")
    client.force_login(reporter)

    response = client.get(reverse(SIMILAR_URL), {"q": "Russia says its forces captured Toretsk"})

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": claim.pk,
            "statement": "Russia says its forces captured Toretsk",
            "claimant": "Russian Defence Ministry",
            "current_verdict_label": "Not yet assessed",
            "change_url": change_url(claim),
        }
    ]


def test_similar_claims_view_can_leave_out_the_claim_being_edited(client, reporter, claim):
    client.force_login(reporter)
    response = client.get(reverse(SIMILAR_URL), {"q": claim.statement, "exclude": claim.pk})
    assert response.json() == []


def test_similar_claims_view_needs_a_staff_login(client, claim):
    url = reverse(SIMILAR_URL)
    assert client.get(url, {"q": claim.statement}).status_code == 302

    client.force_login(factories.UserFactory(username="reader", is_staff=False))
    response = client.get(url, {"q": claim.statement})
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_similar_claims_view_needs_view_permission(client, claim):
    client.force_login(factories.UserFactory(username="intern"))  # staff, no role
    response = client.get(reverse(SIMILAR_URL), {"q": claim.statement})
    assert response.status_code == 403


def test_change_page_lists_similar_claims(client, reporter, claim):
    other = factories.ClaimFactory(statement="Russia says its forces have captured Toretsk")
    client.force_login(reporter)

    page = client.get(change_url(other)).content.decode()

    assert f'<a href="{change_url(claim)}">{claim.statement}</a>' in page


def test_add_page_has_the_live_similar_claims_list(client, reporter):
    client.force_login(reporter)
    page = client.get(reverse("admin:claims_claim_add")).content.decode()
    assert 'id="desk-similar-claims"' in page
    assert f'data-url="{reverse(SIMILAR_URL)}"' in page
    assert "desk/similar_claims.js" in page


def test_adding_a_claim_records_its_creator_and_warns_of_similar_ones(client, reporter, claim):
    client.force_login(reporter)

    response = client.post(
        reverse("admin:claims_claim_add"),
        {
            "statement": "Russia claims its forces captured Toretsk",
            "quote": "Toretsk has been liberated.",
            "claimant": claim.claimant.pk,
            "claimed_on": "2025-02-08",
            **no_inline_forms(*CLAIM_INLINES),
        },
    )

    assert response.status_code == 302
    added = Claim.objects.get(statement="Russia claims its forces captured Toretsk")
    assert added.created_by == reporter
    assert added.slug == "russia-claims-its-forces-captured-toretsk"
    warning = next(m for m in messages_of(response) if "Similar claims" in m)
    assert claim.statement in warning


def test_claim_shows_current_verdict_and_as_of(client, reporter, claim, publish_verification):
    unassessed = factories.ClaimFactory(statement="Shelling hit the Kramatorsk station")
    publish_verification(claim, verdict="disputed")
    client.force_login(reporter)

    page = client.get(reverse("admin:claims_claim_changelist")).content.decode()

    assert "Disputed" in page
    assert "Not yet assessed" in page
    assert unassessed.statement in page
    assert "Disputed" in client.get(change_url(claim)).content.decode()


def test_claim_changelist_queries_do_not_grow_with_rows(
    client, reporter, django_assert_max_num_queries
):
    factories.ClaimFactory.create_batch(3)
    client.force_login(reporter)
    url = reverse("admin:claims_claim_changelist")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    factories.ClaimFactory.create_batch(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_evidence_added_in_the_admin_gets_its_hash_and_creator(client, reporter, claim):
    content = b"frame 0001 of the geolocated clip"
    client.force_login(reporter)

    response = client.post(
        reverse("admin:claims_evidence_add"),
        {
            "claim": claim.pk,
            "kind": "geolocated_video",
            "description": "Clip from the mine.",
            "file": SimpleUploadedFile("clip.mp4", content, content_type="video/mp4"),
        },
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.added_by == reporter
    page = client.get(change_url(evidence)).content.decode()
    assert evidence.sha256 in page
    assert 'name="sha256"' not in page


def test_evidence_added_on_the_claim_page_records_its_creator(client, reporter, claim):
    client.force_login(reporter)
    data = {
        "statement": claim.statement,
        "quote": claim.quote,
        "claimant": claim.claimant.pk,
        "claimed_on": "2025-02-07",
        "slug": claim.slug,
        "seen_version": claim.version,
        **no_inline_forms("appearances", "links_out"),
        "evidence-TOTAL_FORMS": "1",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
        "evidence-0-kind": "open_source_map",
        "evidence-0-description": "DeepState map.",
        "evidence-0-url": "https://maps.example/toretsk",
    }

    response = client.post(change_url(claim), data)

    assert response.status_code == 302
    assert claim.evidence.get().added_by == reporter


def test_frozen_evidence_refusal_from_the_model_is_a_message(
    client, editor, claim, factchecker, monkeypatch
):
    """If the admin's own check ever lets a change through, the model's refusal shows."""
    from claims.admin.evidence import EvidenceAdmin

    evidence = factories.EvidenceFactory(claim=claim)
    verification = workflow.verification_create(
        claim=claim, by=factchecker, verdict="confirmed", rationale="Seen.", evidence=[evidence]
    )
    workflow.verification_submit(verification=verification, by=factchecker)
    workflow.verification_publish(verification=verification, by=editor)
    monkeypatch.setattr(EvidenceAdmin, "has_change_permission", lambda *args: True)
    client.force_login(editor)

    response = client.post(
        change_url(evidence),
        {
            "claim": claim.pk,
            "kind": "other",
            "description": "Rewritten.",
            "seen_version": evidence.version,
        },
    )

    assert response.status_code == 302
    assert any("cannot be changed" in message for message in messages_of(response))
    evidence.refresh_from_db()
    assert evidence.description != "Rewritten."


def test_article_added_in_the_admin_records_who_brought_it_in(client, reporter):
    client.force_login(reporter)
    data = {
        "headline": "Toretsk under fire",
        "body": "Full text.",
        "language": "en",
        "imported_at_0": "2025-02-07",
        "imported_at_1": "10:00",
    }

    response = client.post(reverse("admin:claims_article_add"), data)
    assert response.status_code == 302
    assert Article.objects.get().imported_by == reporter

    duplicate = client.post(reverse("admin:claims_article_add"), data)
    assert duplicate.status_code == 200
    assert "already on the desk" in duplicate.content.decode()
    assert Article.objects.count() == 1


def test_claim_list_offers_the_years_that_have_claims(client, editor):
    for year in (2023, 2025):
        factories.ClaimFactory(claimed_on=datetime.date(year, 5, 1))
    client.force_login(editor)
    page = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert "claimed_on__year=2023" in page
    assert "claimed_on__year=2025" in page
    assert "claimed_on__year=2024" not in page
    assert "2 claims" in page


def test_a_draft_claim_has_no_view_on_site(client, reporter, claim, draft_verification):
    # A claim with only a draft verdict has no reader page yet: no link to a 404.
    client.force_login(reporter)
    assert "View on site" not in client.get(change_url(claim)).content.decode()
    client.logout()
    assert client.get(claim.get_absolute_url()).status_code == 404


def test_view_on_site_leads_to_the_published_claims_reader_page(
    client, reporter, claim, publish_verification
):
    publish_verification(claim)
    client.force_login(reporter)
    page = client.get(change_url(claim)).content.decode()
    assert f'href="{claim.get_absolute_url()}" class="viewsitelink"' in page
    client.logout()
    assert client.get(claim.get_absolute_url()).status_code == 200


def test_a_draft_claim_has_a_preview_of_its_reader_page(client, reporter, claim):
    client.force_login(reporter)
    page = client.get(change_url(claim)).content.decode()
    assert f'<a href="{claim.get_absolute_url()}" class="viewsitelink" target="_blank"' in page
    assert ">Preview<" in page
    preview = client.get(claim.get_absolute_url(), follow=True)
    assert '<div class="preview-banner" role="status">' in preview.content.decode()


def test_a_published_claim_has_view_on_site_not_preview(
    client, reporter, claim, publish_verification
):
    publish_verification(claim)
    client.force_login(reporter)
    page = client.get(change_url(claim)).content.decode()
    assert "View on site" in page
    assert ">Preview<" not in page


def test_a_reporter_who_tries_to_delete_a_claim_is_told_who_can(client, reporter, claim):
    client.force_login(reporter)
    delete_url = reverse("admin:claims_claim_delete", args=[claim.pk])
    for response in (client.get(delete_url), client.post(delete_url, {"post": "yes"})):
        assert response.status_code == 302
        assert response.url == change_url(claim)
        assert messages_of(response)[-1] == (
            "Only an editor can delete a claim; ask one to, saying why it should go."
        )
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_an_editor_is_asked_to_confirm_deleting_a_claim(client, editor, claim):
    client.force_login(editor)
    response = client.get(reverse("admin:claims_claim_delete", args=[claim.pk]))
    assert response.status_code == 200
    assert "Are you sure" in response.content.decode()


def test_an_editor_who_tries_to_delete_a_published_verification_is_told_why_not(
    client, editor, claim, publish_verification
):
    verification = publish_verification(claim)
    client.force_login(editor)
    response = client.post(
        reverse("admin:claims_verification_delete", args=[verification.pk]), {"post": "yes"}
    )
    assert response.url == change_url(verification)
    assert messages_of(response) == [
        "This verification cannot be deleted: readers have seen it, and the desk keeps what "
        "they saw."
    ]
