"""A change to published material, in headless Chromium: a reporter rewords a claim readers
can see; readers keep seeing the published wording; an editor finds the change on the
dashboard, reads it beside the published version, publishes it as an update with a note;
the reader page then shows the new wording with an "Updated" line and the note."""

from pathlib import Path

import pytest

from claims.models import Claim, Revision

from .. import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
OLD = "Ukraine says Russian forces have made some gains near Bakhmut"
NEW = "Ukraine says Russian forces have made gains on the town's eastern edge"


def messages(page):
    return page.locator("ul.messagelist li").all_inner_texts()


@pytest.fixture
def published_claim(publish_verification):
    claim = factories.ClaimFactory(
        statement=OLD, quote="The enemy has advanced in places.", slug="gains-near-bakhmut"
    )
    publish_verification(claim, verdict="likely_true")
    return Claim.objects.get(pk=claim.pk)


def test_a_reporters_change_to_a_published_claim_reaches_readers_after_an_editor_publishes_it(
    browse, reporter, second_editor, published_claim
):
    address = published_claim.get_absolute_url()

    # The reporter rewords the claim in the desk.
    desk = browse()
    browse.login(desk, reporter)
    desk.goto(f"/admin/claims/claim/{published_claim.pk}/change/")
    assert (
        "Saving keeps your edits as a pending revision"
        in desk.locator(".desk-revision-note").inner_text()
    )
    desk.fill("#id_statement", NEW)
    with desk.expect_navigation():
        desk.click("input[name=_save]")
    assert messages(desk)[0].startswith("Saved as a pending revision")

    # Readers still see the published wording.
    reader = browse()
    reader.goto(address)
    assert reader.locator("h1").inner_text() == OLD
    assert reader.locator(".claim-updated").count() == 0

    # An editor finds the change on the dashboard and reads it beside the published one.
    editor_page = browse()
    browse.login(editor_page, second_editor)
    queue = editor_page.locator(".desk-queue", has_text="Changes to published material")
    with editor_page.expect_navigation():
        queue.locator("a", has_text=OLD).first.click()
    assert editor_page.locator(".desk-diff del").all_inner_texts() == ["some", "near Bakhmut"]
    assert editor_page.locator(".desk-diff ins").all_inner_texts() == ["on the town's eastern edge"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    editor_page.screenshot(path=str(ARTIFACTS / "revision-review-1280.png"), full_page=True)

    # The preview shows the reader page as it would be; readers still see the old one.
    preview = browse()
    browse.login(preview, second_editor)
    preview.goto(f"/admin/claims/revision/{Revision.objects.get().pk}/preview/")
    assert preview.locator("h1").inner_text() == NEW
    reader.reload()
    assert reader.locator("h1").inner_text() == OLD

    # Published as an update, with a note for readers.
    editor_page.check("input[name=kind][value=update]")
    editor_page.fill("textarea[name=note]", "We reworded the claim to match Kyiv's statement.")
    asked = []

    def agree(dialog):
        asked.append(dialog.message)
        dialog.accept()

    editor_page.once("dialog", agree)
    with editor_page.expect_navigation():
        editor_page.get_by_role("button", name="Publish", exact=True).click()
    assert asked == ["Publish this change? Readers will see it at once."]
    assert messages(editor_page) == ["Published: readers now see the change."]

    reader.goto(address)  # the same address: it does not change with the wording
    assert reader.locator("h1").inner_text() == NEW
    assert reader.locator(".claim-updated").inner_text().startswith("Updated ")
    assert (
        "We reworded the claim to match Kyiv's statement."
        in reader.locator("#corrections-section").inner_text()
    )
    reader.screenshot(path=str(ARTIFACTS / "claim-updated-1280.png"), full_page=True)
