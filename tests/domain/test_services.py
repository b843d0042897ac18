"""The write services hold their rules whichever face calls them: the admin, the API, the
import and the demo all save, delete and replace rows through claims.services."""

import pytest
from rest_framework.test import APIClient

from claims import services
from claims.errors import DeskError
from claims.models import Appearance, Source

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_claim(claim, publish_verification):
    article = factories.ArticleFactory()
    Appearance.objects.create(claim=claim, article=article, passage="As first reported.")
    publish_verification(claim, verdict="likely_true")
    return claim


def test_a_row_of_a_live_claim_is_neither_deleted_nor_replaced_directly(live_claim, editor):
    appearance = live_claim.appearances.get()

    with pytest.raises(DeskError, match="pending revision") as deleting:
        services.record_delete(obj=appearance, by=editor)
    with pytest.raises(DeskError, match="pending revision") as replacing:
        services.claim_rows_set(claim=live_claim, by=editor, appearances=[])

    assert deleting.value.code == replacing.value.code == "conflict"
    assert list(live_claim.appearances.all()) == [appearance]


def test_replacing_a_drafts_rows_needs_the_permission_to_change_it(claim, reporter, db):
    reader = factories.UserFactory()  # staff-less, role-less
    article = factories.ArticleFactory()

    with pytest.raises(DeskError, match="not allowed to change claims"):
        services.claim_rows_set(claim=claim, by=reader, appearances=[{"article": article}])
    with pytest.raises(DeskError, match="not allowed to change sources"):
        services.source_aliases_set(source=claim.claimant, by=reader, names=["Another name"])
    assert not claim.appearances.exists()
    assert not claim.claimant.aliases.exists()

    services.claim_rows_set(claim=claim, by=reporter, appearances=[{"article": article.pk}])
    assert claim.appearances.get().article == article


def test_a_delete_through_the_api_is_in_the_history_with_who_and_why(editor):
    source = factories.SourceFactory(name="A channel that closed")
    client = APIClient()
    client.force_authenticate(editor)

    response = client.delete(
        f"/api/v1/sources/{source.pk}/", HTTP_X_CHANGE_REASON="Duplicate of another source."
    )

    assert response.status_code == 204, response.content
    assert not Source.objects.filter(pk=source.pk).exists()
    deleted = Source.history.get(id=source.pk, history_type="-")
    assert deleted.history_user == editor
    assert deleted.history_change_reason == "Duplicate of another source."


def test_a_delete_in_the_desk_is_in_the_history_with_who(client, editor):
    source = factories.SourceFactory(name="A channel that closed")
    client.force_login(editor)

    response = client.post(f"/admin/claims/source/{source.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    deleted = Source.history.get(id=source.pk, history_type="-")
    assert deleted.history_user == editor
    assert deleted.history_change_reason == "deleted in the desk"
