"""Script typed into any editor text field comes out inert on every page that shows it."""

import datetime

import pytest

from claims import workflow
from claims.models import Appearance, ClaimLink, ExplainerClaim, PlaceName, SourceAlias
from tests import factories

from .helpers import active_content

pytestmark = pytest.mark.django_db

XSS = (
    '<script>alert("x")</script><img src=x onerror=alert(1)>"\'><svg/onload=alert(2)>'
    "[click](javascript:alert(3)) </title></script><b onmouseover=alert(4)>b</b>"
)


@pytest.fixture
def hostile_desk(publish_verification, make_live_explainer, editor):
    place = factories.PlaceFactory(
        name=f"Town {XSS}",
        slug="town",
        region=XSS,
        description=XSS,
        latitude="48.4",
        longitude="37.8",
    )
    PlaceName.objects.create(place=place, name=f"Other {XSS}", note=XSS)
    claimant = factories.SourceFactory(name=f"Ministry {XSS}", slug="ministry", description=XSS)
    SourceAlias.objects.create(source=claimant, name=XSS)
    confidential = factories.SourceFactory(
        name="Hidden", slug="hidden", is_confidential=True, redacted_description=XSS
    )
    outlet = factories.SourceFactory(
        name=f"Outlet {XSS}", slug="outlet", home_url="javascript:alert(5)"
    )
    claim = factories.ClaimFactory(
        statement=f"Claim {XSS}"[:300],
        quote=XSS,
        claimant=claimant,
        claimed_on=datetime.date(2025, 2, 7),
    )
    other = factories.ClaimFactory(statement=f"Other {XSS}"[:300], quote=XSS, claimant=confidential)
    for c in (claim, other):
        c.places.add(place)
    ClaimLink.objects.create(from_claim=other, to_claim=claim, relation="disputes", note=XSS)
    article = factories.ArticleFactory(headline=XSS, outlet=outlet, url="javascript:alert(6)")
    Appearance.objects.create(claim=claim, article=article, passage=XSS)
    evidence = factories.EvidenceFactory(
        claim=claim,
        description=XSS,
        url="javascript:alert(7)",
        archived_url="data:text/html,<script>alert(8)</script>",
        source=outlet,
    )
    for c in (claim, other):
        publish_verification(
            c,
            verdict="unconfirmed",
            rationale=XSS,
            evidence=[evidence] if c is claim else [],
            location_verdict="confirmed",
            location_note=XSS,
            time_verdict="likely",
            time_note=XSS,
            actor_note=XSS,
            authenticity="edited",
            authenticity_note=XSS,
        )
    explainer = make_live_explainer(
        title=f"Explainer {XSS}"[:200], slug="hostile", standfirst=XSS, body=XSS
    )
    explainer.places.add(place)
    ExplainerClaim.objects.create(explainer=explainer, claim=claim, context_note=XSS)
    ExplainerClaim.objects.create(explainer=explainer, claim=other, context_note=XSS, position=1)
    workflow.correction_issue(explainer=explainer, by=editor, text=XSS)
    return claim


def pages(claim):
    return [
        "/",
        "/explainers/",
        "/explainers/hostile/",
        "/claims/",
        claim.get_absolute_url(),
        "/places/",
        "/places/town/",
        "/sources/",
        "/sources/ministry/",
        "/sources/outlet/",
    ]


def test_every_page_shows_editor_text_inert(client, hostile_desk):
    for url in pages(hostile_desk):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert active_content(html, allowed_tags={"svg", "form"}) == [], url
        assert '<script>alert("x")' not in html, url
        assert "&lt;script&gt;" in html, url  # the text is there, as text


def test_staff_previews_are_inert_too(client, hostile_desk, editor):
    client.force_login(editor)
    for url in pages(hostile_desk):
        html = client.get(url).content.decode()
        assert active_content(html, allowed_tags={"svg", "form"}) == [], url
