"""The desk's change pages at 1280 px, in headless Chromium: workflow steps that ask before
acting, a primary button that looks primary, and pages no wider than the window.

Each test writes what it looked at to artifacts/screenshots/ (not committed)."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from .. import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
WINDOW = {"width": 1280, "height": 800}


def open_as(browse, user, path):
    page = browse(viewport=WINDOW)
    browse.login(page, user)
    assert page.goto(path).status == 200
    return page


def photograph(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_publish_asks_before_readers_see_it(browse, editor, submitted_verification):
    path = reverse("admin:claims_verification_change", args=[submitted_verification.pk])
    page = open_as(browse, editor, path)
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Publish", exact=True).click()
    assert asked == ["Publish this verification? Readers will see it at once."]
    submitted_verification.refresh_from_db()
    assert submitted_verification.status == "submitted"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish", exact=True).click()
    page.wait_for_selector(".messagelist .success")
    submitted_verification.refresh_from_db()
    assert submitted_verification.status == "published"


def test_publish_is_the_primary_button_and_return_a_danger_button_of_its_size(
    browse, editor, submitted_verification
):
    path = reverse("admin:claims_verification_change", args=[submitted_verification.pk])
    page = open_as(browse, editor, path)
    photograph(page, "verification-review-1280")
    publish = page.get_by_role("button", name="Publish", exact=True)
    give_back = page.get_by_role("button", name="Return to author")
    assert "default" in publish.get_attribute("class").split()
    assert "desk-danger" in give_back.get_attribute("class").split()
    shown, back = publish.bounding_box(), give_back.bounding_box()
    assert shown["height"] == back["height"] >= 30
    # A button as wide as its label, not as wide as the note box above it.
    assert back["width"] < 2 * shown["width"] + 100
    assert page_width(page) <= WINDOW["width"]


LONG_STATEMENT = (
    "Russia's Defence Ministry says its forces have taken full control of the town of "
    "Toretsk, known as Dzerzhynsk until 2016, after weeks of fighting on its north-western "
    "edge, near the mine"
)


@pytest.fixture
def long_claim(db, source):
    claim = factories.ClaimFactory(statement=LONG_STATEMENT, claimant=source)
    article = factories.ArticleFactory(
        headline="Russia claims Toretsk; Ukraine says it holds the north-west of the town"
    )
    claim.appearances.create(article=article, passage="On Friday, Russia's Defence Ministry said")
    factories.EvidenceFactory(claim=claim)
    return claim


def test_the_claim_change_page_fits_the_window_with_a_long_statement(browse, editor, long_claim):
    page = open_as(browse, editor, reverse("admin:claims_claim_change", args=[long_claim.pk]))
    photograph(page, "claim-change-long-1280")
    assert page_width(page) <= WINDOW["width"]
    history = page.locator(".object-tools").bounding_box()
    title = page.locator("#content h2").first.bounding_box()
    overlaps = not (
        history["x"] >= title["x"] + title["width"]
        or history["y"] >= title["y"] + title["height"]
        or title["y"] >= history["y"] + history["height"]
    )
    assert not overlaps, (title, history)
    statement = page.locator("#id_statement").bounding_box()
    assert statement["width"] >= 500


def test_the_evidence_picker_lists_the_claims_evidence_and_can_be_searched(
    browse, factchecker, long_claim
):
    verification = factories.VerificationFactory(claim=long_claim, author=factchecker)
    factories.EvidenceFactory(
        claim=long_claim, description="Drone video of the mine, filmed from the north-west"
    )
    factories.EvidenceFactory(description="Evidence gathered for some other claim")
    path = reverse("admin:claims_verification_change", args=[verification.pk])
    page = open_as(browse, factchecker, path)
    photograph(page, "verification-evidence-1280")
    offered = page.locator("#id_evidence_from option")
    assert offered.count() == 2
    assert "other claim" not in " ".join(offered.all_inner_texts())
    page.locator("#id_evidence_input").press_sequentially("drone")
    assert page.locator("#id_evidence_from option").all_inner_texts() == [
        "Open-source map: Drone video of the mine, filmed from the north-west (claim: "
        f"{LONG_STATEMENT})"
    ]
    assert page_width(page) <= WINDOW["width"]


def test_publishing_ticked_verifications_from_the_list_asks_first(
    browse, editor, submitted_verification
):
    page = open_as(browse, editor, reverse("admin:claims_verification_changelist"))
    page.locator(f"input[name=_selected_action][value='{submitted_verification.pk}']").check()
    page.select_option("select[name=action]", "publish_selected")
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Go").click()
    assert asked == ["Publish the selected verifications? Readers will see them at once."]
    submitted_verification.refresh_from_db()
    assert submitted_verification.status == "submitted"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Go").click()
    page.wait_for_selector(".messagelist .success")
    submitted_verification.refresh_from_db()
    assert submitted_verification.status == "published"


def test_a_list_action_readers_do_not_notice_asks_nothing(browse, reporter, submitted_verification):
    page = open_as(browse, reporter, reverse("admin:claims_verification_changelist"))
    questions = page.locator("#desk-action-questions")
    # A reporter may not publish: no such action, and no question kept for it.
    assert page.locator("select[name=action] option[value=publish_selected]").count() == 0
    assert questions.count() == 0 or questions.get_attribute("data-publish_selected") is None


def test_a_draft_explainers_preview_opens_its_reader_page_for_the_desk_only(browse, factchecker):
    draft = factories.ExplainerFactory(title="Why Siversk matters", slug="why-siversk-matters")
    draft.authors.add(factchecker)
    page = open_as(browse, factchecker, reverse("admin:claims_explainer_change", args=[draft.pk]))
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Preview").click()
    preview = opened.value
    preview.wait_for_load_state()
    assert preview.url.endswith(draft.get_absolute_url())
    assert preview.locator("h1").inner_text() == "Why Siversk matters"
    assert "Only logged-in staff see it." in preview.locator(".preview-banner").inner_text()
    # A reader at the same address finds nothing.
    assert Client().get(draft.get_absolute_url()).status_code == 404
