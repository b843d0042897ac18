"""A desk whose every reader-visible text field holds one hostile payload."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from claims import workflow
from claims.models import (
    Appearance,
    ClaimLink,
    ExplainerClaim,
    PlaceName,
    SourceAlias,
    StandingPage,
)

from .. import factories


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def fit(model, field, payload):
    """`payload`, cut to what `model.field` takes (huge text is refused beyond max_length)."""
    limit = model._meta.get_field(field).max_length
    return payload[:limit] if limit else payload


def build_hostile_desk(payload, *, factchecker, editor, tag=""):
    """Everything readers see, each text field holding `payload` (cut to fit); `tag` tells
    the addresses of several such desks apart."""
    from claims.models import Article, Claim, Explainer, Place, Source, Verification
    from claims.models import ClaimLink as Link
    from claims.models import PlaceName as Name
    from claims.models import SourceAlias as Alias

    def p(model, field):
        return fit(model, field, payload)

    place = factories.PlaceFactory(
        name=p(Place, "name"),
        slug=f"town{tag}",
        region=p(Place, "region"),
        description=p(Place, "description"),
        latitude="48.4",
        longitude="37.8",
    )
    PlaceName.objects.create(place=place, name=p(Name, "name"), note=p(Name, "note"))
    claimant = factories.SourceFactory(
        name=p(Source, "name"), slug=f"ministry{tag}", description=p(Source, "description")
    )
    SourceAlias.objects.create(source=claimant, name=p(Alias, "name"))
    confidential = factories.SourceFactory(
        name="Hidden",
        slug=f"hidden{tag}",
        is_confidential=True,
        redacted_description=p(Source, "redacted_description"),
    )
    outlet = factories.SourceFactory(
        name=p(Source, "name")[:190] + " outlet", slug=f"outlet{tag}", description=payload
    )
    claim = factories.ClaimFactory(
        statement=p(Claim, "statement"),
        quote=payload,
        claimant=claimant,
        claimed_on=datetime.date(2025, 2, 7),
    )
    other = factories.ClaimFactory(
        statement=p(Claim, "statement"), quote=payload, claimant=confidential
    )
    for c in (claim, other):
        c.places.add(place)
    ClaimLink.objects.create(
        from_claim=other, to_claim=claim, relation="disputes", note=p(Link, "note")
    )
    article = factories.ArticleFactory(
        headline=p(Article, "headline"), byline=p(Article, "byline"), outlet=outlet
    )
    Appearance.objects.create(claim=claim, article=article, passage=payload)
    evidence = factories.EvidenceFactory(claim=claim, description=payload, source=outlet)
    note = p(Verification, "location_note")
    for c in (claim, other):
        verification = workflow.verification_create(
            claim=c,
            by=factchecker,
            verdict="unconfirmed",
            rationale=payload,
            evidence=[evidence] if c is claim else [],
            location_verdict="confirmed",
            location_note=note,
            time_verdict="likely",
            time_note=note,
            actor_verdict="unconfirmed",
            actor_note=note,
            authenticity="edited",
            authenticity_note=note,
        )
        workflow.verification_submit(verification=verification, by=factchecker)
        workflow.verification_publish(verification=verification, by=editor)
    explainer = factories.ExplainerFactory(
        title=p(Explainer, "title"),
        slug=f"hostile{tag}",
        standfirst=p(Explainer, "standfirst"),
        body=payload,
    )
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    workflow.explainer_publish(explainer=explainer, by=editor)
    explainer.places.add(place)
    ExplainerClaim.objects.create(explainer=explainer, claim=claim, context_note=payload)
    ExplainerClaim.objects.create(
        explainer=explainer, claim=other, context_note=payload, position=1
    )
    workflow.correction_issue(explainer=explainer, by=editor, text=payload)
    page = StandingPage.objects.get(kind="corrections-policy")
    page.title = p(StandingPage, "title")
    page.summary = p(StandingPage, "summary")
    page.body = payload
    page.save()
    return SimpleNamespace(
        payload=payload,
        place=place,
        claimant=claimant,
        outlet=outlet,
        claim=claim,
        other=other,
        article=article,
        explainer=explainer,
        verification=claim.verifications.get(),
        page=page,
    )


@pytest.fixture
def hostile_desk(factchecker, editor):
    def build(payload):
        return build_hostile_desk(payload, factchecker=factchecker, editor=editor)

    return build


def reader_pages(desk, payload):
    """Every reader page that shows the desk's hostile text."""
    from urllib.parse import quote

    return [
        "/",
        "/explainers/",
        f"/explainers/{desk.explainer.slug}/",
        "/claims/",
        desk.claim.get_absolute_url(),
        desk.other.get_absolute_url(),
        "/places/",
        f"/places/{desk.place.slug}/",
        "/sources/",
        f"/sources/{desk.claimant.slug}/",
        f"/sources/{desk.outlet.slug}/",
        "/about/corrections-policy/",
        "/balance/",
        "/search/?q=" + quote(payload[:200]),
    ]
