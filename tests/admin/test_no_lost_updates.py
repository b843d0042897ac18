"""Two editors with the same object open in the desk: the second save is refused with who,
when and what changed, their input kept; never a silent overwrite."""

import re
from html import unescape

from claims import workflow
from claims.models import Claim, Explainer, Source, Verification

from .conftest import change_url, claim_form, messages_of, no_inline_forms, transition_url

EXPLAINER_INLINES = ("explainer_claims", "corrections")


def hidden_version(page):
    return int(re.search(r'name="seen_version" value="(\d+)"', page)[1])


def test_the_change_form_carries_the_version_it_shows(client, editor, claim):
    client.force_login(editor)
    page = client.get(change_url(claim)).content.decode()
    assert hidden_version(page) == claim.version == 1
    assert "Reason for this change" in page


def test_second_of_two_editors_saving_in_turn_is_refused_with_what_changed(
    client, editor, second_editor, claim
):
    opened = Claim.objects.get(pk=claim.pk)  # both editors open the form at version 1
    client.force_login(second_editor)
    first = client.post(
        change_url(claim), claim_form(opened, statement="Russia says Toretsk has fallen")
    )
    assert first.status_code == 302, first.content.decode()[:2000]

    client.force_login(editor)
    second = client.post(
        change_url(claim), claim_form(opened, statement="Russian MoD claims Toretsk captured")
    )

    assert second.status_code == 200  # the form again, not a redirect
    page = unescape(second.content.decode())
    message = re.search(r'<ul class="errorlist nonfield">\s*<li>(.*?)</li>', page, re.S)[1]
    assert message.startswith("Someone else saved this claim since you opened it: editor2 at ")
    assert (
        "What changed: Statement: “Russia says its forces captured Toretsk” → "
        "“Russia says Toretsk has fallen”" in message
    )
    # The refused editor's own input is still in the form, to apply again.
    assert 'value="Russian MoD claims Toretsk captured"' in page
    # The database holds the first editor's save, at version 2.
    saved = Claim.objects.get(pk=claim.pk)
    assert saved.statement == "Russia says Toretsk has fallen"
    assert saved.version == 2
    # Saving the kept input again, having seen the changes, applies it on top of version 2.
    assert hidden_version(page) == 2
    again = client.post(
        change_url(claim),
        claim_form(saved, statement="Russian MoD claims Toretsk captured", seen_version=2),
    )
    assert again.status_code == 302
    saved.refresh_from_db()
    assert (saved.statement, saved.version) == ("Russian MoD claims Toretsk captured", 3)


def test_a_save_without_the_version_opened_is_refused(client, editor, claim):
    client.force_login(editor)
    data = claim_form(claim, statement="Changed blind")
    del data["seen_version"]

    response = client.post(change_url(claim), data)

    assert response.status_code == 200
    assert "does not say which version of the claim you opened" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).statement == claim.statement


def test_a_source_form_opened_before_someone_elses_save_is_refused(client, reporter, editor):
    source = Source.objects.create(name="A brigade", kind="military_unit")
    data = {
        "name": "A brigade",
        "slug": source.slug,
        "kind": "military_unit",
        "affiliation": "ukrainian_state",
        "seen_version": 1,
        **no_inline_forms("aliases"),
    }
    client.force_login(editor)
    assert client.post(change_url(source), {**data, "name": "The 100th brigade"}).status_code == 302
    client.force_login(reporter)

    response = client.post(change_url(source), {**data, "description": "Defends the town."})

    page = unescape(response.content.decode())
    assert "Someone else saved this source since you opened it: editor at" in page
    assert "Name: “A brigade” → “The 100th brigade”" in page
    source.refresh_from_db()
    assert (source.name, source.description, source.version) == ("The 100th brigade", "", 2)


def test_a_verification_form_opened_before_it_was_submitted_is_refused(
    client, factchecker, draft_verification
):
    client.force_login(factchecker)
    opened_at = draft_verification.version
    client.post(transition_url(draft_verification, "submit"), {"seen_status": "draft"})
    verification = Verification.objects.get(pk=draft_verification.pk)
    assert verification.status == "submitted" and verification.version == opened_at + 1

    response = client.post(
        change_url(verification),
        {
            "claim": verification.claim_id,
            "verdict": "false",
            "rationale": "Rewritten after it went to review.",
            "seen_version": opened_at,
        },
    )

    # No longer editable by anyone: back to its page with the message, nothing saved.
    assert response.status_code == 302
    *_, message = messages_of(response)  # after the button's own "Submitted for review."
    assert message.startswith("Someone else saved this verification since you opened it")
    assert "Status: “Draft” → “Submitted for review”" in message
    verification.refresh_from_db()
    assert verification.verdict == draft_verification.verdict
    assert verification.rationale == draft_verification.rationale


def test_an_explainer_form_opened_before_a_publish_is_refused(
    client, factchecker, editor, second_editor, explainer
):
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    opened = Explainer.objects.get(pk=explainer.pk)
    workflow.explainer_publish(explainer=explainer, by=second_editor)
    client.force_login(editor)

    response = client.post(
        change_url(explainer),
        {
            "title": "A new title",
            "slug": opened.slug,
            "standfirst": opened.standfirst,
            "body": opened.body,
            "seen_version": opened.version,
            **no_inline_forms(*EXPLAINER_INLINES),
        },
    )

    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "Someone else saved this explainer since you opened it: editor2 at" in page
    assert "Status: “In review” → “Published”" in page
    assert Explainer.objects.get(pk=explainer.pk).title == opened.title


def test_workflow_buttons_still_work_and_bump_the_version(client, factchecker, draft_verification):
    client.force_login(factchecker)
    before = draft_verification.version

    response = client.post(transition_url(draft_verification, "submit"), {"seen_status": "draft"})

    assert messages_of(response) == ["Submitted for review."]
    assert Verification.objects.get(pk=draft_verification.pk).version == before + 1


def test_saving_again_after_a_conflict_keeps_both_editors_changes(
    client, editor, second_editor, claim
):
    """The refused form takes the other editor's values into the fields this editor did not
    touch, so saving it again applies this editor's change without undoing theirs."""
    opened = Claim.objects.get(pk=claim.pk)
    client.force_login(second_editor)
    client.post(change_url(claim), claim_form(opened, statement="Russia says Toretsk fell"))
    client.force_login(editor)

    refused = client.post(change_url(claim), claim_form(opened, quote="Toretsk is liberated."))

    page = unescape(refused.content.decode())
    assert "Fields you had not changed now show their values" in page
    assert 'name="statement" value="Russia says Toretsk fell"' in page
    assert ">\nToretsk is liberated.</textarea>" in page
    # What the browser posts when the editor presses Save again.
    again = client.post(
        change_url(claim),
        claim_form(
            opened,
            statement="Russia says Toretsk fell",
            quote="Toretsk is liberated.",
            seen_version=hidden_version(page),
        ),
    )
    assert again.status_code == 302
    saved = Claim.objects.get(pk=claim.pk)
    assert (saved.statement, saved.quote, saved.version) == (
        "Russia says Toretsk fell",
        "Toretsk is liberated.",
        3,
    )
