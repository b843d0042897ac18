"""The desk's object lists: each row links to its object and carries the checkbox the actions
read, both written by Django's admin itself (ModelAdmin.action_checkbox, ChangeList's row
links), so they follow Django's markup and accessibility fixes on every upgrade."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.test import RequestFactory
from django.urls import reverse

from claims.admin.base import DeskModelAdmin

from .. import factories

# A statement with everything HTML escaping must catch in an attribute.
AWKWARD = 'The "1120th" brigade & <partners> say they hold Toretsk\'s mine'


@pytest.fixture
def awkward_claim(db):
    return factories.ClaimFactory(statement=AWKWARD)


def test_the_desk_lists_use_djangos_own_row_checkbox_and_links(editor):
    request = RequestFactory().get("/")
    request.user = editor
    registered = [
        m for m in apps.get_app_config("claims").get_models() if admin.site.is_registered(m)
    ]
    desk_admins = [
        model_admin
        for model_admin in map(admin.site.get_model_admin, registered)
        if isinstance(model_admin, DeskModelAdmin)
    ]
    assert desk_admins
    for model_admin in desk_admins:
        assert type(model_admin).action_checkbox is admin.ModelAdmin.action_checkbox
        assert model_admin.get_changelist(request) is ChangeList


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
    assert "&quot;1120th&quot;" in page and "&lt;partners&gt;" in page
    assert "<partners>" not in page


def test_verification_list_rows_carry_the_checkbox_actions_read(client, factchecker, claim):
    # The action form posts `_selected_action` with each ticked row's key (the post itself is
    # tested with the workflow actions, tests/admin/test_verification_workflow.py).
    drafts = factories.VerificationFactory.create_batch(2, claim=claim, author=factchecker)
    client.force_login(factchecker)

    page = client.get(reverse("admin:claims_verification_changelist")).content.decode()

    for draft in drafts:
        assert f'name="_selected_action" value="{draft.pk}" class="action-select"' in page
