"""The desk's daily work, done through the admin in headless Chromium: a reporter bringing an
article in, a fact-checker assessing a claim, an editor reviewing and publishing, and two
editors saving the same claim. Each journey clicks and types as a person would; what it
checks is what the page shows, and then what the database holds."""

import datetime
import hashlib
import re

import pytest
from django.utils import timezone

from claims import workflow
from claims.models import (
    Appearance,
    AuditEvent,
    Claim,
    Correction,
    Evidence,
    Explainer,
    PlaceName,
    Verification,
)

from .. import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Our own wire copy, as a reporter would paste it from a web page.
PASTED_ARTICLE = """Moscow says its troops hold Toretsk
By Olena Marchuk, Desk Wire
Published 11:20 AM GMT+2, February 7, 2025

KYIV, Ukraine — Russia's Defence Ministry said on Friday that its forces had taken full \
control of Dzerzhynsk.

"Our positions on the north-western edge of the town are holding," Ukrainian spokesman \
Viktor Trehubov said. Neither account could be independently verified.
"""
CAPTURE_SENTENCE = "Russia's Defence Ministry said on Friday that its forces had taken"
HOLDING_SENTENCE = "Our positions on the north-western edge of the town are holding"

# Bytes standing in for a satellite image: the desk hashes whatever file it is given.
EVIDENCE_FILE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def messages(page):
    """The texts of the admin's messages on the current page."""
    return page.locator("ul.messagelist li").all_inner_texts()


def arrive(page, url):
    """Wait for the page to reach `url` (a glob or a regular expression); if it does
    not, fail with the errors the form shows."""
    try:
        page.wait_for_url(url)
    except Exception as error:  # a timeout: say what the page says instead
        errors = page.locator(".errornote, .errorlist, ul.messagelist li").all_inner_texts()
        raise AssertionError(f"stayed on {page.url}: {errors}") from error


def change_path(obj):
    return f"/admin/claims/{obj._meta.model_name}/{obj.pk}/change/"


# --- 1. a reporter brings an article in ---------------------------------------------------


@pytest.fixture
def desk_with_a_similar_claim(db):
    """What the desk already has: the ministry, Toretsk (once Dzerzhynsk), and a claim very
    like the one in the article."""
    ministry = factories.SourceFactory(name="Russian Defence Ministry")
    toretsk = factories.PlaceFactory(name="Toretsk", slug="toretsk")
    PlaceName.objects.create(place=toretsk, name="Dzerzhynsk")
    earlier = factories.ClaimFactory(
        statement="Russia's Defence Ministry says its forces have taken full control of Dzerzhynsk",
        claimant=ministry,
    )
    return {"ministry": ministry, "toretsk": toretsk, "earlier": earlier}


def test_reporter_imports_an_article_makes_claims_and_adds_hashed_evidence(
    browse, reporter, desk_with_a_similar_claim, tmp_path
):
    earlier = desk_with_a_similar_claim["earlier"]
    page = browse()
    browse.login(page, reporter)

    # Import by pasting the text.
    page.click("text=Articles")
    page.click("text=Import article")
    page.fill("#id_text", PASTED_ARTICLE)
    page.fill("#id_outlet", "Desk Wire")
    page.click("input[type=submit][value=Import]")
    page.wait_for_url("**/admin/claims/article/*/change/")
    assert "with 2 candidate claims" in messages(page)[0]
    assert page.locator("#desk-candidates-title").inner_text() == (
        "Candidate claims in this article (2)"
    )

    # The ministry's sentence resembles a claim on file: link it rather than duplicate it.
    capture = page.locator("li.desk-candidate", has_text=CAPTURE_SENTENCE)
    assert capture.locator("text=source: Russian Defence Ministry").count() == 1
    with page.expect_navigation():
        capture.get_by_role("button", name="Link to this claim").click()
    assert messages(page) == [
        f"This passage is now recorded as an appearance of “{earlier.statement}”."
    ]
    assert (
        page.locator("li.desk-candidate", has_text=CAPTURE_SENTENCE)
        .locator("text=Linked to a claim")
        .count()
        == 1
    )

    # The spokesman's sentence is new: reviewed, it becomes a claim.
    page.locator("li.desk-candidate", has_text=HOLDING_SENTENCE).get_by_role(
        "link", name="Review and create claim"
    ).click()
    page.wait_for_url("**/candidates/*/review/")
    with page.expect_navigation():
        page.click("input[name=_create]")
    assert messages(page)[0].startswith("Claim created")
    new_claim = Claim.objects.exclude(pk=earlier.pk).get()
    page.goto(browse.url + change_path(new_claim))
    assert page.locator("#id_statement").input_value() == new_claim.statement

    # Evidence with an uploaded file, added on the claim's page.
    upload = tmp_path / "toretsk-north-west.png"
    upload.write_bytes(EVIDENCE_FILE)
    page.click("#evidence-group .add-row a")
    page.select_option("#id_evidence-0-kind", label="Satellite imagery")
    page.fill("#id_evidence-0-description", "Imagery of the north-western district on 6 February.")
    page.set_input_files("#id_evidence-0-file", str(upload))
    with page.expect_navigation():
        page.click("input[name=_continue]")
    assert messages(page)[0].startswith("The claim “")
    digest = hashlib.sha256(EVIDENCE_FILE).hexdigest()
    assert page.locator("#evidence-group").get_by_text(digest).count() == 1

    # What the database now holds.
    assert Appearance.objects.filter(claim=earlier, passage__contains=CAPTURE_SENTENCE).exists()
    assert new_claim.appearances.get().passage.startswith(f'"{HOLDING_SENTENCE}')
    assert new_claim.created_by == reporter
    evidence = Evidence.objects.get()
    assert (evidence.claim, evidence.sha256, evidence.added_by) == (new_claim, digest, reporter)


# --- 2. a fact-checker assesses a claim ---------------------------------------------------


def test_fact_checker_drafts_and_submits_a_verification_but_cannot_publish_it(
    browse, factchecker, claim
):
    page = browse()
    browse.login(page, factchecker)
    page.goto(change_path(claim))
    page.click("text=Start a verification")
    page.wait_for_url("**/admin/claims/verification/add/?claim=*")

    page.check("input[name=verdict][value=disputed]")
    page.fill("#id_rationale", "The ministry showed no footage; open-source maps disagree.")
    page.select_option("#id_location_verdict", "confirmed")
    page.fill("#id_location_note", "The streets named are in the town's north-west.")
    page.select_option("#id_time_verdict", "unconfirmed")
    page.fill("#id_time_note", "No dated imagery yet.")
    page.click("input[name=_continue]")
    arrive(page, re.compile(r"/admin/claims/verification/\d+/change/"))
    assert page.locator("#desk-workflow-title").inner_text() == "Workflow: Draft"

    with page.expect_navigation():
        page.get_by_role("button", name="Submit for review").click()
    assert messages(page) == ["Submitted for review."]
    assert page.locator("#desk-workflow-title").inner_text() == "Workflow: Submitted for review"
    # Publishing is not offered to its author…
    assert page.get_by_role("button", name="Publish").count() == 0
    # …and forcing it (a publish form posted from the page) is refused by the server.
    with page.expect_navigation():
        page.evaluate(
            """([action, status]) => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = action;
                const token = document.querySelector("[name=csrfmiddlewaretoken]").value;
                const fields = [["csrfmiddlewaretoken", token], ["seen_status", status]];
                for (const [name, value] of fields) {
                    const input = document.createElement("input");
                    Object.assign(input, {type: "hidden", name, value});
                    form.append(input);
                }
                document.body.append(form);
                form.submit();
            }""",
            [page.url.replace("/change/", "/workflow/publish/"), "submitted"],
        )
    assert page.locator("ul.messagelist li.error").all_inner_texts() == [
        "You are not allowed to publish verifications."
    ]

    verification = Verification.objects.get()
    assert (verification.status, verification.author) == ("submitted", factchecker)
    assert verification.verdict == "disputed"
    assert (verification.location_verdict, verification.time_verdict) == (
        "confirmed",
        "unconfirmed",
    )
    assert verification.published_at is None
    assert Claim.objects.get(pk=claim.pk).current_verdict == ""


# --- 3. an editor reviews and publishes ---------------------------------------------------


@pytest.fixture
def review_queue(factchecker):
    """Two verifications awaiting review and an explainer in review, all by the
    fact-checker."""
    weak, sound = (
        workflow.verification_create(
            claim=factories.ClaimFactory(statement=statement),
            by=factchecker,
            verdict=verdict,
            rationale=rationale,
        )
        for statement, verdict, rationale in (
            (
                "Russia says a bridge near Kostiantynivka was destroyed",
                "likely_true",
                "A single video shows smoke.",
            ),
            (
                "Kyiv says a Russian assault on Chasiv Yar was repelled",
                "unconfirmed",
                "Neither side has shown footage of the assault.",
            ),
        )
    )
    for verification in (weak, sound):
        workflow.verification_submit(verification=verification, by=factchecker)
    explainer = factories.ExplainerFactory(title="Why Kostiantynivka matters")
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    return weak, sound, explainer


def test_editor_returns_publishes_schedules_and_corrects_and_the_audit_trail_shows_it(
    browse, editor, review_queue
):
    weak, sound, explainer = review_queue
    page = browse()
    browse.login(page, editor)
    # The editor agrees each time the desk asks before a step readers notice.
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))

    # The dashboard's review queue leads to the verifications.
    assert page.locator(".desk-queue", has_text=weak.claim.statement).count() == 1

    page.goto(change_path(weak))
    page.fill("#id_return_note", "One video is not enough for Likely true; find a second.")
    with page.expect_navigation():
        page.get_by_role("button", name="Return to author").click()
    assert messages(page) == ["Returned to its author with your note."]

    page.goto(change_path(sound))
    with page.expect_navigation():
        page.get_by_role("button", name="Publish", exact=True).click()
    assert messages(page)[0].startswith("Published;")

    page.goto(change_path(explainer))
    at = (timezone.localtime() + datetime.timedelta(days=30)).replace(hour=9, minute=30)
    page.fill("#id_publish_at", f"{at:%Y-%m-%dT%H:%M}")
    with page.expect_navigation():
        page.get_by_role("button", name="Publish or schedule").click()
    assert messages(page)[0].startswith(f"Scheduled for {at:%Y-%m-%d %H:%M}")
    assert page.locator("#desk-workflow-title").inner_text() == "Workflow: Scheduled"

    with page.expect_navigation():
        page.get_by_role("button", name="Publish or schedule").click()  # now, at once
    assert messages(page) == ["Published: readers see it now."]

    page.select_option("#id_correction_kind", "correction")
    page.fill("#id_correction_text", "An earlier version put the bridge on the wrong river.")
    with page.expect_navigation():
        page.get_by_role("button", name="Issue correction").click()
    assert messages(page) == ["Correction issued; readers see it under the explainer."]
    assert asked == [
        "Return this verification to its author with your note?",
        "Publish this verification? Readers will see it at once.",
        *["Publish this explainer? Readers will see it at once, or at the time you set."] * 2,
    ]

    page.goto("/admin/claims/auditevent/")
    rows = page.locator("#result_list tbody tr").all_inner_texts()
    steps = [
        ("verification.return", weak.claim.statement),
        ("verification.publish", sound.claim.statement),
        ("explainer.schedule", explainer.title),
        ("explainer.publish", explainer.title),
        ("correction.correction", explainer.title),
    ]
    # Newest first: each step on its own row, by the editor, in the order they were taken.
    found = [
        next(
            (
                i
                for i, row in enumerate(rows)
                if action in row and subject in row and editor.username in row
            ),
            None,
        )
        for action, subject in steps
    ]
    assert None not in found and found == sorted(found, reverse=True), (found, rows)
    assert list(
        AuditEvent.objects.filter(actor=editor)
        .order_by("id")
        .values_list("action", "from_state", "to_state")
    ) == [
        ("verification.return", "submitted", "returned"),
        ("verification.publish", "submitted", "published"),
        ("explainer.schedule", "in_review", "scheduled"),
        ("explainer.publish", "scheduled", "published"),
        ("correction.correction", "published", "published"),
    ]

    weak.refresh_from_db()
    sound.refresh_from_db()
    explainer.refresh_from_db()
    assert (weak.status, weak.review_note) == (
        "returned",
        "One video is not enough for Likely true; find a second.",
    )
    assert (sound.status, sound.reviewer) == ("published", editor)
    assert explainer.status == Explainer.Status.PUBLISHED
    assert explainer.first_published_at <= datetime.datetime.now(datetime.UTC)
    assert explainer.corrections.get(kind=Correction.Kind.CORRECTION).created_by == editor


# --- 5. two editors save the same claim ---------------------------------------------------


def test_second_of_two_editors_saving_the_same_claim_is_refused(
    browse, editor, second_editor, claim
):
    first, second = browse(), browse()
    browse.login(first, editor)
    browse.login(second, second_editor)
    for page in (first, second):
        page.goto(change_path(claim))

    first.fill("#id_quote", "Our forces have taken full control of the town of Toretsk.")
    with first.expect_navigation():
        first.click("input[name=_continue]")
    assert messages(first)[0].startswith("The claim “")

    second.fill("#id_quote", "Toretsk is fully under our control.")
    with second.expect_navigation():
        second.click("input[name=_continue]")
    shown = messages(second) + second.locator(".errornote, .errorlist li").all_inner_texts()
    assert any(text.strip().startswith("Someone else saved this") for text in shown), shown
    claim.refresh_from_db()
    assert claim.quote == "Our forces have taken full control of the town of Toretsk."
