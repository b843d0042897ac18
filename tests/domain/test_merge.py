"""An editor merges a duplicate claim into the one kept: everything it gathered moves, nothing
is doubled, its old addresses lead to the claim kept, and the trail says who merged what.
A claim readers have seen is never merged away."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from rest_framework.test import APIClient

from claims.errors import Conflict, Forbidden, Invalid
from claims.models import (
    Appearance,
    AuditEvent,
    Claim,
    ClaimLink,
    ClaimSubmission,
    ExplainerClaim,
    MergedClaim,
    Note,
    Revision,
)
from claims.services import claim_merge

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache(fresh_cache_and_generous_rates):
    """Reader pages are cached: every test starts afresh."""


@pytest.fixture
def pair(db):
    kept = factories.ClaimFactory(statement="Russia says its forces captured Toretsk")
    duplicate = factories.ClaimFactory(statement="Moscow claims Toretsk has fallen")
    return kept, duplicate


def test_appearances_links_places_and_evidence_move_to_the_claim_kept(pair, editor):
    kept, duplicate = pair
    shared, own = factories.ArticleFactory(), factories.ArticleFactory()
    Appearance.objects.create(claim=kept, article=shared, passage="kept's passage")
    Appearance.objects.create(claim=duplicate, article=shared, passage="duplicate's passage")
    Appearance.objects.create(claim=duplicate, article=own, passage="only here")
    other, third = factories.ClaimFactory(), factories.ClaimFactory()
    ClaimLink.objects.create(from_claim=kept, to_claim=other, relation="disputes")
    ClaimLink.objects.create(from_claim=duplicate, to_claim=other, relation="supports")
    ClaimLink.objects.create(from_claim=duplicate, to_claim=kept, relation="supports")
    ClaimLink.objects.create(from_claim=duplicate, to_claim=third, relation="disputes")
    ClaimLink.objects.create(from_claim=third, to_claim=duplicate, relation="supports")
    ClaimLink.objects.create(from_claim=kept, to_claim=duplicate, relation="supports")
    place = factories.PlaceFactory()
    duplicate.places.add(place)
    evidence = factories.EvidenceFactory(claim=duplicate)

    claim_merge(duplicate=duplicate, into=kept, by=editor)

    assert not Claim.objects.filter(pk=duplicate.pk).exists()
    assert sorted(kept.appearances.values_list("article_id", "passage")) == sorted(
        [(shared.pk, "kept's passage"), (own.pk, "only here")]
    )
    assert set(kept.links_out.values_list("to_claim_id", "relation")) == {
        (other.pk, "disputes"),
        (third.pk, "disputes"),
    }
    assert list(kept.links_in.values_list("from_claim_id", flat=True)) == [third.pk]
    assert list(kept.places.all()) == [place]
    evidence.refresh_from_db()
    assert evidence.claim == kept


def test_verifications_explainer_rows_submissions_and_notes_move(pair, editor, factchecker):
    kept, duplicate = pair
    verification = factories.VerificationFactory(claim=duplicate, author=factchecker)
    both, one = factories.ExplainerFactory(), factories.ExplainerFactory()
    ExplainerClaim.objects.create(explainer=both, claim=kept, position=0)
    ExplainerClaim.objects.create(explainer=both, claim=duplicate, position=1)
    ExplainerClaim.objects.create(explainer=one, claim=duplicate, position=0)
    submission = ClaimSubmission.objects.create(text="Is Toretsk really taken?", claim=duplicate)
    note = Note.objects.create(
        content_type=ContentType.objects.get_for_model(Claim),
        object_id=duplicate.pk,
        author=editor,
        text="Same as the other one.",
    )

    claim_merge(duplicate=duplicate, into=kept, by=editor)

    verification.refresh_from_db()
    submission.refresh_from_db()
    note.refresh_from_db()
    assert verification.claim == kept
    assert list(both.explainer_claims.values_list("claim_id", flat=True)) == [kept.pk]
    assert list(one.explainer_claims.values_list("claim_id", flat=True)) == [kept.pk]
    assert submission.claim == kept
    assert note.object_id == kept.pk


def test_the_old_reader_address_redirects_for_good_to_the_claim_kept(
    pair, editor, publish_verification
):
    kept, duplicate = pair
    publish_verification(kept)
    kept.refresh_from_db()
    old_address = duplicate.get_absolute_url()
    claim_merge(duplicate=duplicate, into=kept, by=editor)

    for address in (old_address, f"/claims/{duplicate.pk}/"):
        response = Client().get(address)
        assert response.status_code == 301
        assert response["Location"] == kept.get_absolute_url()


def test_the_api_answers_301_with_the_claim_kept(pair, editor, publish_verification):
    kept, duplicate = pair
    publish_verification(kept)
    claim_merge(duplicate=duplicate, into=kept, by=editor)

    response = APIClient().get(f"/api/v1/claims/{duplicate.pk}/")

    assert response.status_code == 301
    assert response["Location"].endswith(f"/api/v1/claims/{kept.pk}/")


def test_a_merged_address_stays_hidden_while_readers_cannot_see_the_claim_kept(pair, editor):
    kept, duplicate = pair
    old_address = duplicate.get_absolute_url()
    claim_merge(duplicate=duplicate, into=kept, by=editor)

    assert Client().get(old_address).status_code == 404
    assert APIClient().get(f"/api/v1/claims/{duplicate.pk}/").status_code == 404


def test_a_reporter_may_not_merge_claims(pair, reporter):
    kept, duplicate = pair
    with pytest.raises(Forbidden, match="not allowed to merge duplicate claims"):
        claim_merge(duplicate=duplicate, into=kept, by=reporter)
    assert Claim.objects.filter(pk=duplicate.pk).exists()


def test_a_claim_readers_have_seen_is_not_merged_away(pair, editor, publish_verification):
    kept, duplicate = pair
    publish_verification(duplicate)
    with pytest.raises(Conflict, match="Readers have seen"):
        claim_merge(duplicate=duplicate, into=kept, by=editor)
    assert Claim.objects.filter(pk=duplicate.pk).exists()
    assert not MergedClaim.objects.exists()


def test_a_claim_is_not_merged_into_itself(pair, editor):
    _, duplicate = pair
    with pytest.raises(Invalid, match="into itself"):
        claim_merge(duplicate=duplicate, into=duplicate, by=editor)


def test_history_and_audit_say_who_merged_what_into_what(pair, editor):
    kept, duplicate = pair
    old_pk = duplicate.pk
    claim_merge(duplicate=duplicate, into=kept, by=editor, reason="same statement")

    event = AuditEvent.objects.get(action="claim.merge")
    assert event.actor == editor
    assert event.subject == kept
    assert (event.from_state, event.to_state) == (f"#{old_pk}", f"#{kept.pk}")
    assert "same statement" in event.note
    gone = Claim.history.filter(id=old_pk).latest("history_date")
    assert gone.history_type == "-"
    assert gone.history_user == editor
    assert f"into #{kept.pk}" in gone.history_change_reason
    assert kept.history.latest("history_date").history_change_reason.startswith(f"merged #{old_pk}")


def test_merging_into_a_live_claim_proposes_its_new_rows_as_a_revision(
    pair, editor, publish_verification
):
    kept, duplicate = pair
    publish_verification(kept)
    article, place = factories.ArticleFactory(), factories.PlaceFactory()
    Appearance.objects.create(claim=duplicate, article=article, passage="as reported")
    duplicate.places.add(place)

    claim_merge(duplicate=duplicate, into=kept, by=editor)

    assert not kept.appearances.exists() and not kept.places.exists()  # readers: unchanged
    revision = Revision.objects.get(claim=kept, status=Revision.Status.PENDING)
    assert revision.proposed["appearances"] == [{"article": article.pk, "passage": "as reported"}]
    assert revision.proposed["places"] == [place.pk]


def test_a_duplicate_merged_before_leads_to_the_last_claim_kept(editor, publish_verification):
    first, second, kept = (factories.ClaimFactory() for _ in range(3))
    publish_verification(kept)
    claim_merge(duplicate=first, into=second, by=editor)
    claim_merge(duplicate=second, into=kept, by=editor)

    response = Client().get(f"/claims/{first.pk}/")
    assert response.status_code == 301
    assert response["Location"] == Claim.objects.get(pk=kept.pk).get_absolute_url()


def test_a_reader_who_found_nothing_there_before_is_redirected_after_the_merge(
    pair, editor, publish_verification
):
    kept, duplicate = pair
    publish_verification(kept)
    old_address = duplicate.get_absolute_url()
    assert Client().get(old_address).status_code == 404

    claim_merge(duplicate=duplicate, into=kept, by=editor)

    assert Client().get(old_address).status_code == 301


def test_the_claim_kept_gets_a_new_version_so_a_form_opened_before_does_not_save_over_it(
    pair, editor
):
    kept, duplicate = pair
    opened_at = kept.version
    claim_merge(duplicate=duplicate, into=kept, by=editor)
    assert Claim.objects.get(pk=kept.pk).version == opened_at + 1


def test_the_duplicates_assignment_moves_to_the_claim_kept_when_nobody_has_it(
    pair, editor, factchecker
):
    import datetime

    from claims.services import teamwork

    kept, duplicate = pair
    due = datetime.date.today() + datetime.timedelta(days=3)
    teamwork.assignment_set(obj=duplicate, by=editor, assignee=factchecker, due_on=due)
    claim_merge(duplicate=duplicate, into=kept, by=editor)
    kept.refresh_from_db()
    assert (kept.assigned_to, kept.due_on) == (factchecker, due)


def test_when_the_claim_kept_is_someone_elses_the_duplicates_assignee_is_told(
    pair, editor, factchecker, reporter
):
    from claims.services import teamwork

    kept, duplicate = pair
    teamwork.assignment_set(obj=kept, by=editor, assignee=reporter)
    teamwork.assignment_set(obj=duplicate, by=editor, assignee=factchecker)
    claim_merge(duplicate=duplicate, into=kept, by=editor)
    kept.refresh_from_db()
    assert kept.assigned_to == reporter
    told = Note.objects.filter(object_id=kept.pk, mentions=factchecker).get()
    assert f"#{duplicate.pk}" in told.text and str(reporter) in told.text
