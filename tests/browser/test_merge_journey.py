"""An editor merges a duplicate claim in the desk, in headless Chromium: from the duplicate's
page, pick the claim to keep by searching for it, see both statements, confirm; a reader who
follows the duplicate's old address lands on the claim kept."""

import pytest
from django.urls import reverse

from claims.models import Claim

from .. import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_editor_merges_a_duplicate_and_its_old_address_leads_to_the_claim_kept(
    browse, editor, publish_verification
):
    kept = factories.ClaimFactory(statement="Russia says its forces captured Toretsk")
    duplicate = factories.ClaimFactory(statement="Moscow claims Toretsk has fallen")
    publish_verification(kept)
    old_address = duplicate.get_absolute_url()
    page = browse()
    browse.login(page, editor)
    assert page.goto(reverse("admin:claims_claim_change", args=[duplicate.pk])).status == 200

    page.get_by_role("link", name="Merge into another claim…").click()
    page.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("captured Toretsk")
    page.locator(".select2-results__option", has_text="Russia says its forces").click()
    page.get_by_role("button", name="Show both claims").click()
    page.get_by_text("Keep: “Russia says its forces captured Toretsk”").wait_for()
    page.get_by_role("button", name="Merge", exact=True).click()

    page.wait_for_selector(".messagelist .success")
    assert "was merged into this claim" in page.locator(".messagelist").inner_text()
    assert not Claim.objects.filter(pk=duplicate.pk).exists()

    page.goto(browse.url + old_address)
    assert page.url == browse.url + Claim.objects.get(pk=kept.pk).get_absolute_url()
