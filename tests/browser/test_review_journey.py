"""Issue 18's review step in headless Chromium: a reporter imports wire copy, corrects a
claimant, dismisses one candidate, creates two claims and links one candidate to a similar
claim already on the desk. Runs on SQLite and, in `make test`'s second run, PostgreSQL."""

import datetime

import pytest

from claims.models import Appearance, CandidateClaim, Claim, PlaceName, Source

from .. import factories
from .test_desk_journeys import arrive, messages

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASTED = """Russia claims Toretsk; Ukraine says it holds the north-west
By Olena Marchuk, Desk Wire
Published 11:20 AM GMT+2, February 7, 2025

KYIV, Ukraine — On Friday, Russia's Defence Ministry said that its forces had taken full \
control of Dzerzhynsk.

"Our positions on the north-western edge of the town are holding," Ukrainian spokesman \
Viktor Trehubov said. Neither account could be independently verified.

The Kremlin says it wants to take all of the Donetsk region.

Vadym Filashkin, the governor of the region, said about 100 civilians remained in Toretsk.
"""
CAPTURE = "Russia's Defence Ministry said that its forces had taken full"
HOLDING = "Our positions on the north-western edge"
AIM = "The Kremlin says it wants to take"
CIVILIANS = "Vadym Filashkin, the governor of the region"


@pytest.fixture
def desk_on_file(db):
    ministry = factories.SourceFactory(name="Russian Defence Ministry")
    toretsk = factories.PlaceFactory(name="Toretsk", slug="toretsk")
    PlaceName.objects.create(place=toretsk, name="Dzerzhynsk")
    earlier = factories.ClaimFactory(
        statement="Russia's Defence Ministry says its forces have captured Toretsk",
        claimant=ministry,
    )
    return {"ministry": ministry, "toretsk": toretsk, "earlier": earlier}


def candidate(page, text):
    return page.locator("li.desk-candidate", has_text=text)


def review(page, text):
    candidate(page, text).get_by_role("link", name="Review and create claim").click()
    page.wait_for_url("**/candidates/*/review/")


def test_reporter_reviews_candidates_corrects_a_claimant_dismisses_one_and_links_one(
    browse, reporter, desk_on_file
):
    earlier = desk_on_file["earlier"]
    page = browse()
    browse.login(page, reporter)
    page.click("text=Articles")
    page.click("text=Import article")
    page.fill("#id_text", PASTED)
    page.fill("#id_outlet", "Desk Wire")
    page.click("input[type=submit][value=Import]")
    arrive(page, "**/admin/claims/article/*/change/")
    article_url = page.url
    assert "with 4 candidate claims" in messages(page)[0]
    # The claimant is the name, not the day the sentence opens with.
    assert candidate(page, CAPTURE).locator("strong").inner_text() == "Russia's Defence Ministry"
    assert candidate(page, CIVILIANS).locator("strong").inner_text() == "Vadym Filashkin"

    # 1. The capture claim is on the desk already: the review form offers it; link it.
    review(page, CAPTURE)
    page.get_by_label(earlier.statement, exact=False).check()
    with page.expect_navigation():
        page.click("input[name=_create]")
    assert messages(page) == [
        f"This passage is now recorded as an appearance of “{earlier.statement}”."
    ]
    assert candidate(page, CAPTURE).locator("text=Linked to a claim").count() == 1

    # 2. The spokesman: correct the claimant to the person, with kind and affiliation.
    review(page, HOLDING)
    assert page.locator("#id_claimed_on").input_value() == "2025-02-07"
    page.fill("#id_statement", "Ukrainian spokesman says troops hold Toretsk's north-western edge")
    page.fill("#id_new_source_name", "Viktor Trehubov")
    page.select_option("#id_new_source_kind", label="Official")
    page.select_option("#id_new_source_affiliation", label="Ukrainian state")
    with page.expect_navigation():
        page.click("input[name=_create]")
    arrive(page, article_url)
    assert messages(page)[0].startswith("Claim created")

    # 3. The Kremlin's stated aim: dismissed on the article's page, with the reason.
    aim = candidate(page, AIM)
    aim.locator("input[name=reason]").fill("a stated aim, nothing to check yet")
    with page.expect_navigation():
        aim.get_by_role("button", name="Dismiss").click()
    assert messages(page) == ["Candidate dismissed."]
    assert (
        candidate(page, AIM).locator("text=Dismissed: a stated aim, nothing to check yet").count()
        == 1
    )

    # 4. The governor: the claimant as spotted, the role kept as who he is.
    review(page, CIVILIANS)
    assert page.locator("#id_new_source_name").input_value() == "Vadym Filashkin"
    assert page.locator("#id_new_source_description").input_value() == "the governor of the region"
    with page.expect_navigation():
        page.click("input[name=_create]")
    assert messages(page)[0].startswith("Claim created")
    assert candidate(page, CIVILIANS).locator("text=Made a claim").count() == 1

    # What the database holds.
    holding = Claim.objects.get(claimant__name="Viktor Trehubov")
    assert holding.slug == "ukrainian-spokesman-says-troops-hold-toretsks-north-western-edge"
    assert holding.claimed_on == datetime.date(2025, 2, 7)
    trehubov = Source.objects.get(name="Viktor Trehubov")
    assert (trehubov.kind, trehubov.affiliation) == ("official", "ukrainian_state")
    governor = Claim.objects.get(claimant__name="Vadym Filashkin")
    assert governor.statement.startswith("Vadym Filashkin says about 100 civilians remained")
    assert list(governor.places.all()) == [desk_on_file["toretsk"]]
    assert Claim.objects.count() == 3
    assert Appearance.objects.filter(claim=earlier).count() == 1
    statuses = dict(CandidateClaim.objects.values_list("sentence", "status"))
    assert sorted(statuses.values()) == ["created", "created", "dismissed", "linked"]
