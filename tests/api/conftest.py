"""A desk for the API tests, and clients that call the API as each kind of user.

The `desk` fixture builds Toretsk the way the desk builds it (through `claims.workflow`): what
readers should get, and next to it what they must never get — a draft verification, a claim
nobody has published, evidence only the draft cites, a draft explainer, a scheduled update
note, and a confidential source. Everything readers must not see carries SECRET.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.test.client import Client as DjangoClient
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import workflow
from claims.models import Appearance, ClaimLink, ExplainerClaim, PlaceName, Source

from .. import factories, schema_conformance, shared_rows
from ..conftest import desk_staff

SECRET = "SECRET-DESK-ONLY"


@pytest.fixture(autouse=True)
def _fresh_cache_and_generous_rates(fresh_cache_and_generous_rates):
    """Every test here: empty caches and rate limits no test reaches (tests/conftest.py)."""


@pytest.fixture(autouse=True)
def _responses_match_the_schema(request, monkeypatch):
    """Every API response a test here receives must match /api/schema/, as a generated
    client would check it (tests/schema_conformance.py), whatever the test itself asserts."""
    received = []
    original = DjangoClient.request

    def request_and_keep(self, **environ):
        response = original(self, **environ)
        if schema_conformance.is_described(response):
            received.append(response)
        return response

    monkeypatch.setattr(DjangoClient, "request", request_and_keep)
    yield
    problems = [problem for r in received if (problem := schema_conformance.mismatch(r))]
    assert not problems, "responses that do not match the schema:\n" + "\n".join(problems)


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def client_for():
    """An API client that authenticates as `user` with a token, as desk tools do."""

    def make(user):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def as_reporter(client_for, reporter):
    return client_for(reporter)


@pytest.fixture
def as_factchecker(client_for, factchecker):
    return client_for(factchecker)


@pytest.fixture
def as_editor(client_for, editor):
    return client_for(editor)


@pytest.fixture
def as_second_editor(client_for, second_editor):
    return client_for(second_editor)


def build_desk():
    staff = desk_staff()
    factchecker, editor = staff.factchecker, staff.editor
    publish_verification = staff.publish_verification
    make_live_explainer = staff.make_live_explainer

    toretsk = factories.PlaceFactory(
        name="Toretsk", slug="toretsk", latitude="48.3979", longitude="37.8475"
    )
    PlaceName.objects.create(place=toretsk, name="Dzerzhynsk", note="Soviet-era name")
    pivnichne = factories.PlaceFactory(name="Pivnichne", slug="pivnichne")
    hidden_place = factories.PlaceFactory(name=f"Hamlet {SECRET}", slug="hidden-hamlet")

    ministry = factories.SourceFactory(name="Russian Defence Ministry", slug="russian-mod")
    brigade = factories.SourceFactory(
        name="A Ukrainian brigade",
        slug="ukrainian-brigade",
        kind=Source.Kind.MILITARY_UNIT,
        affiliation=Source.Affiliation.UKRAINIAN_STATE,
    )
    mapper = factories.SourceFactory(
        name="An open-source mapping group",
        slug="mapping-group",
        kind=Source.Kind.OSINT_PROJECT,
        affiliation=Source.Affiliation.INDEPENDENT,
    )
    confidential = factories.SourceFactory(
        name=f"Major {SECRET}",
        slug="confidential-major",
        kind=Source.Kind.OFFICIAL,
        affiliation=Source.Affiliation.UKRAINIAN_STATE,
        is_confidential=True,
        redacted_description="an officer serving in the area",
    )
    unpublished_source = factories.SourceFactory(name=f"Channel {SECRET}", slug="hidden-channel")

    capture = factories.ClaimFactory(
        statement="Russia says it has taken Toretsk",
        quote="The town has been fully liberated.",
        claimant=ministry,
        claimed_on=datetime.date(2025, 2, 7),
    )
    holding = factories.ClaimFactory(
        statement="Brigade says it still holds positions in Toretsk",
        quote="Our positions in the town are held.",
        claimant=brigade,
        claimed_on=datetime.date(2025, 2, 8),
    )
    officer = factories.ClaimFactory(
        statement="Officer says fighting goes on in the north of the town",
        quote="The northern districts see fighting every day.",
        claimant=confidential,
        claimed_on=datetime.date(2025, 2, 9),
    )
    unpublished = factories.ClaimFactory(
        statement=f"Unpublished claim {SECRET}",
        quote=f"Quote {SECRET}",
        claimant=unpublished_source,
        claimed_on=datetime.date(2025, 2, 10),
    )
    for claim in (capture, holding, officer, unpublished):
        claim.places.add(toretsk)
    holding.places.add(pivnichne)
    unpublished.places.add(hidden_place)
    ClaimLink.objects.create(from_claim=holding, to_claim=capture, relation="disputes")
    ClaimLink.objects.create(from_claim=unpublished, to_claim=capture, relation="supports")

    wire = factories.ArticleFactory(
        headline="Moscow claims Toretsk", outlet=mapper, url="https://wire.example/toretsk"
    )
    Appearance.objects.create(claim=capture, article=wire, passage="The ministry said so.")
    hidden_article = factories.ArticleFactory(
        headline=f"Article {SECRET}", outlet=unpublished_source, url="https://hidden.example/1"
    )
    Appearance.objects.create(claim=unpublished, article=hidden_article)

    imagery = factories.EvidenceFactory(
        claim=capture,
        kind="satellite_imagery",
        description="Imagery of the centre shows no change of control.",
        source=mapper,
    )
    officer_account = factories.EvidenceFactory(
        claim=officer,
        kind="on_the_record",
        description="Account of the officer, who asked not to be named.",
        source=confidential,
    )
    draft_only_evidence = factories.EvidenceFactory(
        claim=capture, description=f"Evidence {SECRET}", source=unpublished_source
    )

    first = publish_verification(capture, verdict="unconfirmed", rationale="Nothing confirms it.")
    second = publish_verification(
        capture, verdict="disputed", rationale="Maps contradict it.", evidence=[imagery]
    )
    holding_verdict = publish_verification(holding, verdict="likely_true")
    officer_verdict = publish_verification(
        officer, verdict="unconfirmed", evidence=[officer_account]
    )
    draft = workflow.verification_create(
        claim=capture,
        by=factchecker,
        verdict="false",
        rationale=f"Draft {SECRET}",
        evidence=[draft_only_evidence],
    )

    explainer = make_live_explainer(
        title="Why Toretsk matters",
        slug="why-toretsk-matters",
        standfirst="A hilltop town on the road north.",
        body="The town sits on high ground.",
    )
    explainer.places.add(toretsk)
    explainer.authors.add(editor)
    for position, claim in enumerate((capture, holding, officer)):
        ExplainerClaim.objects.create(explainer=explainer, claim=claim, position=position)
    correction = workflow.correction_issue(
        explainer=explainer, by=editor, text="An earlier version misdated the claim."
    )

    draft_explainer = factories.ExplainerFactory(
        title=f"Draft explainer {SECRET}", slug="draft-explainer", body=f"Body {SECRET}"
    )
    draft_explainer.places.add(hidden_place)
    ExplainerClaim.objects.create(explainer=draft_explainer, claim=unpublished)

    # Internal notes and assignments are the desk's own, on published and unpublished alike.
    from claims.services import teamwork

    for subject in (capture, explainer, capture.verifications.first()):
        teamwork.note_add(subject=subject, by=editor, text=f"Internal note {SECRET} @factchecker")
    teamwork.assignment_set(obj=capture, by=editor, assignee=factchecker, note=f"Go {SECRET}")

    return SimpleNamespace(
        toretsk=toretsk,
        pivnichne=pivnichne,
        hidden_place=hidden_place,
        ministry=ministry,
        brigade=brigade,
        mapper=mapper,
        confidential=confidential,
        unpublished_source=unpublished_source,
        capture=capture,
        holding=holding,
        officer=officer,
        unpublished=unpublished,
        wire=wire,
        hidden_article=hidden_article,
        imagery=imagery,
        officer_account=officer_account,
        draft_only_evidence=draft_only_evidence,
        first=first,
        second=second,
        holding_verdict=holding_verdict,
        officer_verdict=officer_verdict,
        draft=draft,
        explainer=explainer,
        correction=correction,
        draft_explainer=draft_explainer,
    )


# The API tests' desk, in the database for every test of a module that names it, built
# once for the module (tests/shared_rows.py), by the `factchecker` and `editor` fixtures' users.
_desk_rows, _desk_files, desk = shared_rows.fixtures("desk", build_desk)


def ids(response):
    """The ids of a list response's results."""
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


# --- the whole ClaimReview file (claims/api/views/feed.py) ------------------------------------


@pytest.fixture
def built(monkeypatch):
    """The claims whose items of the whole ClaimReview file are built (feed.feed_item
    called), in order."""
    from claims.api.views import feed

    calls = []
    real = feed.feed_item

    def counted(claim, request, works=None):
        calls.append(claim.pk)
        return real(claim, request, works)

    monkeypatch.setattr(feed, "feed_item", counted)
    return calls


@pytest.fixture
def afresh(anon, settings):
    """The whole ClaimReview file put together again, not the page kept (the benchmark's
    bypass token)."""
    settings.READER_CACHE_BYPASS_TOKEN = "token"
    return lambda: anon.get("/api/v1/claimreviews.jsonld", HTTP_X_READER_CACHE_BYPASS="token")
