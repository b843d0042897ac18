"""Working together in headless Chromium: an editor assigns a claim to a reporter with a due
date (the e-mail arrives at the test's SMTP server), the reporter finds it under "Assigned to
me", adds a note mentioning the fact-checker (who gets an e-mail), and readers never see the
note on the claim page."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from claims.models import Claim

from .. import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
NOTE = "The brigade's press officer may have the full video: @factchecker can you ask?"


@pytest.fixture
def published_claim(publish_verification):
    claim = factories.ClaimFactory(
        statement="Ukraine says its forces still hold the mine north of Toretsk",
        quote="The position is held.",
    )
    publish_verification(claim, verdict="unconfirmed")
    return Claim.objects.get(pk=claim.pk)


def messages(page):
    return page.locator("ul.messagelist li").all_inner_texts()


def test_assign_a_claim_notify_and_talk_in_notes_readers_never_see(
    browse, inbox, editor, reporter, factchecker, published_claim
):
    due = timezone.localdate() + datetime.timedelta(days=3)
    change = f"/admin/claims/claim/{published_claim.pk}/change/"

    desk = browse()
    browse.login(desk, editor)
    desk.goto(change)
    panel = desk.locator(".desk-assignment")
    assert "Not assigned to anyone." in panel.inner_text()
    panel.locator("select[name=assignee]").select_option(str(reporter.pk))
    panel.locator("input[name=due_on]").fill(due.isoformat())
    panel.locator("input[name=note]").fill("Ask the brigade before Friday.")
    with desk.expect_navigation():
        panel.locator("button", has_text="Save assignment").click()
    assert messages(desk) == [f"Assigned to {reporter}."]
    assert f"Assigned to {reporter}, due {due:%-d %b %Y}." in panel.inner_text()
    [(subject, body)] = inbox.to(reporter)
    assert subject == f"[Claims desk] Assigned to you: {published_claim}"
    assert "Ask the brigade before Friday." in body

    mine = browse()
    browse.login(mine, reporter)
    queue = mine.locator(".desk-queue", has_text="Assigned to me")
    assert queue.locator(".desk-count").inner_text() == "1"
    with mine.expect_navigation():
        queue.locator("a", has_text=published_claim.statement[:40]).first.click()
    mine.locator("#desk-notes textarea[name=text]").fill(NOTE)
    with mine.expect_navigation():
        mine.locator("#desk-notes button", has_text="Add note").click()
    assert messages(mine) == [f"Note added. Mentioned: {factchecker}."]
    assert NOTE in mine.locator(".desk-note-thread").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    mine.screenshot(path=str(ARTIFACTS / "claim-notes-1280.png"), full_page=True)
    [(subject, body)] = [m for m in inbox.to(factchecker) if "mentioned you" in m[0]]
    assert subject == f"[Claims desk] {reporter.get_full_name()} mentioned you: {published_claim}"
    assert NOTE in body

    reader = browse()
    reader.goto(published_claim.get_absolute_url())
    html = reader.content()
    assert "brigade's press officer" not in html and "Ask the brigade" not in html
    assert "Assigned" not in reader.locator("main").inner_text()
