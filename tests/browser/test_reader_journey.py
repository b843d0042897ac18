"""An anonymous reader in headless Chromium: home → explainer → claim → the claimant's track
record → a search for the town by its old name → the town's page. Nothing the desk has not
published shows up anywhere on the way, nor at its own address."""

import datetime

import pytest
from django.utils import timezone

from claims import workflow
from claims.models import ExplainerClaim, PlaceName

from .. import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DRAFT_TEXTS = (
    "Toretsk after the fall",  # a draft explainer
    "The mine shafts of Toretsk",  # a scheduled explainer, not yet due
    "flooded the Tsentralna mine",  # a claim with only a draft verification
    "Drone footage settles it",  # a draft verification's rationale on a published claim
)


@pytest.fixture
def reader_desk(publish_verification, make_live_explainer, factchecker, editor):
    ministry = factories.SourceFactory(name="Russian Defence Ministry", slug="russian-mod")
    toretsk = factories.PlaceFactory(name="Toretsk", slug="toretsk")
    PlaceName.objects.create(place=toretsk, name="Dzerzhynsk", note="its name until 2016")
    capture = factories.ClaimFactory(
        statement="Russia says its forces captured Toretsk",
        quote="Units of the Southern group have completed the liberation of Dzerzhynsk.",
        claimant=ministry,
    )
    capture.places.add(toretsk)
    publish_verification(
        capture, "disputed", rationale="Open-source maps still show Ukrainian positions."
    )
    factories.VerificationFactory(
        claim=capture,
        author=factchecker,
        verdict="confirmed",
        rationale="Drone footage settles it: the town has fallen.",
    )
    flooded = factories.ClaimFactory(
        statement="Russia says Ukraine flooded the Tsentralna mine", claimant=ministry
    )
    flooded.places.add(toretsk)
    factories.VerificationFactory(claim=flooded, author=factchecker)

    explainer = make_live_explainer(
        title="Why Toretsk matters",
        slug="why-toretsk-matters",
        standfirst="A small town on high ground, claimed by both sides.",
    )
    explainer.places.add(toretsk)
    ExplainerClaim.objects.create(
        explainer=explainer, claim=capture, context_note="The first claim of capture."
    )
    draft = factories.ExplainerFactory(title="Toretsk after the fall", slug="toretsk-after")
    draft.places.add(toretsk)
    ExplainerClaim.objects.create(explainer=draft, claim=flooded)
    scheduled = factories.ExplainerFactory(title="The mine shafts of Toretsk", slug="toretsk-mines")
    scheduled.places.add(toretsk)
    workflow.explainer_submit(explainer=scheduled, by=factchecker)
    workflow.explainer_publish(
        explainer=scheduled, by=editor, at=timezone.now() + datetime.timedelta(days=2)
    )
    return {"capture": capture, "draft": draft, "scheduled": scheduled, "flooded": flooded}


def shows_no_draft(page):
    text = page.content()
    leaked = [draft for draft in DRAFT_TEXTS if draft in text]
    assert not leaked, f"{page.url} shows {leaked}"


def test_reader_goes_from_home_to_a_claims_source_and_finds_the_town_by_its_old_name(
    browse, reader_desk
):
    page = browse()
    page.goto("/")
    shows_no_draft(page)

    page.get_by_role("link", name="Why Toretsk matters").click()
    page.wait_for_url("**/explainers/why-toretsk-matters/")
    assert page.locator("h1").inner_text() == "Why Toretsk matters"
    assert "Dzerzhynsk" in page.locator("aside").inner_text()  # the town's other name
    shows_no_draft(page)

    page.locator(".claim-card h3").get_by_role(
        "link", name="Russia says its forces captured Toretsk"
    ).click()
    page.wait_for_url("**/claims/*-russia-says-its-forces-captured-toretsk/")
    verdict = page.locator(".current-verdict .verdict").inner_text()
    assert "Disputed" in verdict
    shows_no_draft(page)

    page.locator("header .meta").get_by_role("link", name="Russian Defence Ministry").click()
    page.wait_for_url("**/sources/russian-mod/")
    assert page.locator("#record-heading").inner_text() == "Track record"
    assert page.locator("table").get_by_text("Disputed").count() == 1
    shows_no_draft(page)

    page.fill("#site-search-q", "Dzerzhynsk")
    with page.expect_navigation():
        page.press("#site-search-q", "Enter")
    results = page.locator("#results-places + ul")
    results.get_by_role("link", name="Toretsk").click()
    page.wait_for_url("**/places/toretsk/")
    assert page.locator("h1").inner_text() == "Toretsk"
    shows_no_draft(page)

    # The drafts' own addresses are not found, and say nothing of what they hold.
    for slug in ("toretsk-after", "toretsk-mines"):
        page.guard.expect_status(f"/explainers/{slug}/", 404)
        response = page.goto(f"/explainers/{slug}/")
        assert response.status == 404
        shows_no_draft(page)
    flooded = reader_desk["flooded"]
    path = f"/claims/{flooded.pk}-{flooded.slug}/"
    page.guard.expect_status(path, 404)
    assert page.goto(path).status == 404
    shows_no_draft(page)
