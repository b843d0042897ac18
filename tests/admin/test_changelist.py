"""The desk's object lists: each row's checkbox and link are written without Django's
per-row template rendering and `reverse()`, and must come out exactly as Django writes them."""

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.test import RequestFactory
from django.urls import reverse

from claims.admin.base import DeskChangeList
from claims.models import Claim, Verification

from .. import factories

# A statement with everything HTML escaping must catch in an attribute.
AWKWARD = 'The "1120th" brigade & <partners> say they hold Toretsk\'s mine'


@pytest.fixture
def awkward_claim(db):
    return factories.ClaimFactory(statement=AWKWARD)


def test_row_checkbox_is_exactly_djangos(awkward_claim):
    model_admin = admin.site.get_model_admin(Claim)

    ours = model_admin.action_checkbox(awkward_claim)

    assert ours == admin.ModelAdmin.action_checkbox(model_admin, awkward_claim)
    assert "&quot;1120th&quot;" in ours and "&lt;partners&gt;" in ours
    assert "<partners>" not in ours


@pytest.mark.parametrize("model", [Claim, Verification])
def test_row_link_is_exactly_djangos(model, editor, awkward_claim, draft_verification):
    request = RequestFactory().get("/")
    request.user = editor
    model_admin = admin.site.get_model_admin(model)
    desk_list = model_admin.get_changelist_instance(request)
    assert isinstance(desk_list, DeskChangeList)

    for obj in model.objects.all():
        assert desk_list.url_for_result(obj) == ChangeList.url_for_result(desk_list, obj)
        assert desk_list.url_for_result(obj) == reverse(
            f"admin:claims_{model._meta.model_name}_change", args=[obj.pk]
        )


def test_claim_list_rows_link_to_their_claims_and_can_be_selected(client, editor, awkward_claim):
    other = factories.ClaimFactory()
    client.force_login(editor)

    page = client.get(reverse("admin:claims_claim_changelist")).content.decode()

    for claim in (awkward_claim, other):
        assert f'href="{reverse("admin:claims_claim_change", args=[claim.pk])}"' in page
        assert (
            f'<input type="checkbox" name="_selected_action" value="{claim.pk}" '
            'class="action-select" aria-label="Select this object for an action - '
        ) in page
    assert "&lt;partners&gt;" in page and "<partners>" not in page


def test_verification_list_rows_carry_the_checkbox_actions_read(client, factchecker, claim):
    # The action form posts `_selected_action` with each ticked row's key (the post itself is
    # tested with the workflow actions, tests/admin/test_verification_workflow.py).
    drafts = factories.VerificationFactory.create_batch(2, claim=claim, author=factchecker)
    client.force_login(factchecker)

    page = client.get(reverse("admin:claims_verification_changelist")).content.decode()

    for draft in drafts:
        assert f'name="_selected_action" value="{draft.pk}" class="action-select"' in page
