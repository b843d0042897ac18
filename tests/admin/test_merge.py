"""Merging a duplicate claim in the desk: an editor picks the claim to keep, sees both
statements, confirms; anyone else, and any claim readers have seen, is refused with a
message."""

import pytest
from django.urls import reverse

from claims.models import Claim, MergedClaim

from .. import factories
from .conftest import change_url, messages_of

pytestmark = pytest.mark.django_db

MERGE_LINK = "Merge into another claim…"


@pytest.fixture
def pair(db):
    kept = factories.ClaimFactory(statement="Russia says its forces captured Toretsk")
    duplicate = factories.ClaimFactory(statement="Moscow claims Toretsk has fallen")
    return kept, duplicate


def merge_url(claim):
    return reverse("admin:claims_claim_merge", args=[claim.pk])


def test_an_editor_sees_the_merge_action_and_a_reporter_does_not(client, editor, reporter, pair):
    _, duplicate = pair
    client.force_login(editor)
    assert MERGE_LINK in client.get(change_url(duplicate)).content.decode()
    client.force_login(reporter)
    assert MERGE_LINK not in client.get(change_url(duplicate)).content.decode()


def test_an_editor_sees_both_statements_then_merges(client, editor, pair):
    kept, duplicate = pair
    client.force_login(editor)

    form_page = client.get(merge_url(duplicate))
    assert form_page.status_code == 200
    assert "Moscow claims Toretsk has fallen" in form_page.content.decode()

    shown = client.post(merge_url(duplicate), {"into": kept.pk, "reason": "same claim"})
    page = shown.content.decode()
    assert shown.status_code == 200
    assert "Moscow claims Toretsk has fallen" in page
    assert "Russia says its forces captured Toretsk" in page
    assert Claim.objects.filter(pk=duplicate.pk).exists()  # nothing merged before confirming

    done = client.post(
        merge_url(duplicate), {"into": kept.pk, "reason": "same claim", "confirmed": "on"}
    )

    assert done.status_code == 302
    assert done["Location"] == change_url(kept)
    assert not Claim.objects.filter(pk=duplicate.pk).exists()
    assert MergedClaim.objects.get(old_id=duplicate.pk).into == kept
    assert any("was merged into this claim" in text for text in messages_of(done))


def test_a_reporter_is_refused_with_a_clear_message(client, reporter, pair):
    kept, duplicate = pair
    client.force_login(reporter)

    response = client.post(merge_url(duplicate), {"into": kept.pk, "confirmed": "on"})

    assert response.status_code == 302
    assert messages_of(response) == ["You are not allowed to merge duplicate claims."]
    assert Claim.objects.filter(pk=duplicate.pk).exists()


def test_a_claim_readers_have_seen_is_refused_with_a_message(
    client, editor, pair, publish_verification
):
    kept, duplicate = pair
    publish_verification(duplicate)
    client.force_login(editor)

    response = client.post(merge_url(duplicate), {"into": kept.pk, "confirmed": "on"})

    assert response.status_code == 302
    assert response["Location"] == change_url(duplicate)
    assert any("Readers have seen" in text for text in messages_of(response))
    assert Claim.objects.filter(pk=duplicate.pk).exists()


def test_merging_a_claim_into_itself_is_refused(client, editor, pair):
    _, duplicate = pair
    client.force_login(editor)

    response = client.post(merge_url(duplicate), {"into": duplicate.pk, "confirmed": "on"})

    assert any("cannot be merged into itself" in text for text in messages_of(response))
    assert Claim.objects.filter(pk=duplicate.pk).exists()


def test_past_merges_are_listed_for_the_desk_to_read_and_nobody_to_change(
    client, editor, reporter, pair
):
    from claims.services import claim_merge

    kept, duplicate = pair
    claim_merge(duplicate=duplicate, into=kept, by=editor, reason="same claim")
    client.force_login(reporter)
    listing = client.get(reverse("admin:claims_mergedclaim_changelist"))
    page = listing.content.decode()
    assert listing.status_code == 200
    assert f"#{duplicate.pk} “Moscow claims Toretsk has fallen”" in page
    assert change_url(kept) in page and str(editor) in page
    merged = MergedClaim.objects.get()
    assert client.get(reverse("admin:claims_mergedclaim_add")).status_code == 403
    change = client.post(reverse("admin:claims_mergedclaim_change", args=[merged.pk]), {})
    assert change.status_code == 403
