"""A small desk for the reader-site tests: Toretsk, its claims, verdicts and an explainer.

Everything with a workflow state is built through `claims.workflow` (via the conftest
fixtures), so the pages are tested on data made the way the desk makes it. Alongside the
published material sits material readers must never see: a draft explainer, an unpublished
verification, a claim nobody has published, and a confidential source.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from claims import services, workflow
from claims.models import (
    Appearance,
    ClaimLink,
    ExplainerClaim,
    PlaceName,
    Source,
    StandingPage,
)
from claims.services import revisions
from claims.site import fragments

from .. import evidence_files, factories, shared_rows
from ..conftest import desk_staff

SECRET = "SECRET-DRAFT-TEXT"  # appears only in material readers must not see


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    fragments.kept.clear()
    yield
    cache.clear()
    fragments.kept.clear()


def build_desk():
    staff = desk_staff()
    factchecker, editor = staff.factchecker, staff.editor
    publish_verification = staff.publish_verification
    make_live_explainer = staff.make_live_explainer

    toretsk = factories.PlaceFactory(
        name="Toretsk",
        slug="toretsk",
        region="Donetsk region",
        population_prewar=30914,
        latitude="48.3979",
        longitude="37.8475",
    )
    PlaceName.objects.create(place=toretsk, name="Dzerzhynsk", note="name until 2016")
    niu_york = factories.PlaceFactory(
        name="Niu-York", slug="niu-york", latitude="48.3284", longitude="37.8406"
    )
    hidden_place = factories.PlaceFactory(name=f"Hamlet {SECRET}", slug="secret-hamlet")

    mod = factories.SourceFactory(name="Russian Defence Ministry", slug="russian-defence-ministry")
    brigade = factories.SourceFactory(
        name="Ukrainian 100th Brigade",
        slug="ukrainian-100th-brigade",
        kind=Source.Kind.MILITARY_UNIT,
        affiliation=Source.Affiliation.UKRAINIAN_STATE,
    )
    mapper = factories.SourceFactory(
        name="Frontline Mapping Project",
        slug="frontline-mapping-project",
        kind=Source.Kind.OSINT_PROJECT,
        affiliation=Source.Affiliation.INDEPENDENT,
    )
    confidential = factories.SourceFactory(
        name=f"Colonel {SECRET}",
        slug="confidential-colonel",
        kind=Source.Kind.OFFICIAL,
        affiliation=Source.Affiliation.UKRAINIAN_STATE,
        is_confidential=True,
        redacted_description="a Ukrainian officer serving near the town",
    )
    draft_only_source = factories.SourceFactory(name=f"Channel {SECRET}", slug="draft-channel")

    capture = factories.ClaimFactory(
        statement="Russia says its forces captured Toretsk",
        quote="Units of the Southern group have fully liberated the town.",
        claimant=mod,
        claimed_on=datetime.date(2025, 2, 7),
    )
    holding = factories.ClaimFactory(
        statement="Ukrainian brigade says it still holds positions in Toretsk",
        quote="Our positions in the town are held; the enemy claim is false.",
        claimant=brigade,
        claimed_on=datetime.date(2025, 2, 7),
    )
    officer = factories.ClaimFactory(
        statement="Officer says fighting continues in the town's north",
        quote="There is fighting in the northern districts every day.",
        claimant=confidential,
        claimed_on=datetime.date(2025, 2, 8),
    )
    unpublished = factories.ClaimFactory(
        statement=f"Unpublished claim {SECRET}",
        quote=f"Quote {SECRET}",
        claimant=draft_only_source,
        claimed_on=datetime.date(2025, 2, 9),
    )
    for claim in (capture, holding, officer, unpublished):
        claim.places.add(toretsk)
    unpublished.places.add(hidden_place)
    ClaimLink.objects.create(from_claim=holding, to_claim=capture, relation="disputes")
    ClaimLink.objects.create(from_claim=unpublished, to_claim=capture, relation="supports")

    wire = factories.ArticleFactory(
        headline="Moscow claims capture of Toretsk", outlet=mapper, url="https://wire.example/1"
    )
    Appearance.objects.create(claim=capture, article=wire, passage="The ministry said ...")

    satellite = factories.EvidenceFactory(
        claim=capture,
        kind="satellite_imagery",
        description="Imagery of the town centre shows no change of control.",
        url="https://imagery.example/toretsk",
        archived_url="https://archive.example/imagery-toretsk",
        source=mapper,
        file=SimpleUploadedFile("toretsk-centre.png", evidence_files.png()),
    )
    unused_evidence = factories.EvidenceFactory(
        claim=capture,
        description=f"Evidence {SECRET}",
        source=draft_only_source,
        file=SimpleUploadedFile(f"notes-{SECRET}.txt", f"Call notes {SECRET}".encode()),
    )

    first = publish_verification(
        capture, verdict="unconfirmed", rationale="No footage or imagery confirms it yet."
    )
    second = publish_verification(
        capture,
        verdict="disputed",
        rationale="The brigade and open-source maps contradict it.",
        evidence=[satellite],
        location_verdict="disputed",
        location_note="Maps disagree on the town centre.",
    )
    publish_verification(holding, verdict="likely_true")
    draft = workflow.verification_create(
        claim=capture,
        by=factchecker,
        verdict="false",
        rationale=f"Draft {SECRET}",
        evidence=[unused_evidence],
    )

    explainer = make_live_explainer(
        title="Why Toretsk matters",
        slug="why-toretsk-matters",
        standfirst="A hilltop town on the road to Kostiantynivka.",
        body="## High ground\n\nThe town overlooks the roads to the north.",
    )
    explainer.places.add(toretsk, niu_york)
    explainer.authors.add(editor)
    ExplainerClaim.objects.create(
        explainer=explainer, claim=holding, position=1, context_note="The *answer*."
    )
    ExplainerClaim.objects.create(
        explainer=explainer, claim=capture, position=0, context_note="The claim that started it."
    )
    ExplainerClaim.objects.create(explainer=explainer, claim=officer, position=2)
    correction = workflow.correction_issue(
        explainer=explainer, by=editor, text="An earlier version gave the wrong date."
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
        niu_york=niu_york,
        hidden_place=hidden_place,
        mod=mod,
        brigade=brigade,
        mapper=mapper,
        confidential=confidential,
        draft_only_source=draft_only_source,
        capture=capture,
        holding=holding,
        officer=officer,
        unpublished=unpublished,
        first=first,
        second=second,
        draft=draft,
        satellite=satellite,
        unused_evidence=unused_evidence,
        explainer=explainer,
        correction=correction,
        draft_explainer=draft_explainer,
    )


# The reader-site tests' desk, in the database for every test of a module that names it, built
# once for the module (tests/shared_rows.py), by the `factchecker` and `editor` fixtures' users.
_desk_rows, _desk_files, desk = shared_rows.fixtures("desk", build_desk)


def claim_elsewhere(publish_verification):
    """A published claim about another place than the desk's, by another claimant, in no
    explainer."""
    place = factories.PlaceFactory(name="Chasiv Yar", slug="chasiv-yar")
    claimant = factories.SourceFactory(name="Regional governor", slug="regional-governor")
    claim = factories.ClaimFactory(
        statement="Governor says the canal district was shelled overnight", claimant=claimant
    )
    claim.places.add(place)
    publish_verification(claim, verdict="likely_true")
    return claim


@pytest.fixture
def contact_page(db, editor):
    """The desk's contact page, published as "Write to the desk" (in place of any the
    migrations made)."""
    StandingPage.objects.filter(kind="contact").delete()
    page = StandingPage(kind="contact", title="Write to the desk", body="Mail us.")
    return services.record_save(obj=page, by=editor)


@pytest.fixture
def revise(factchecker, second_editor):
    """Propose `changes` to a live claim or explainer and publish them as `kind` (nothing,
    when they would change nothing)."""

    def publish(subject, kind="update", **changes):
        revision = revisions.revision_propose(subject=subject, by=factchecker, changes=changes)
        if revision is None:
            return
        revisions.revision_publish(
            revision=revision, by=second_editor, kind=kind, note="Updated for readers."
        )

    return publish


@pytest.fixture
def publish_explainer(factchecker, editor):
    """Submit `explainer` and publish it through the workflow (keyword arguments go to
    `explainer_publish`: `at` schedules it)."""

    def publish(explainer, **kwargs):
        workflow.explainer_submit(explainer=explainer, by=factchecker)
        return workflow.explainer_publish(explainer=explainer, by=editor, **kwargs)

    return publish


@pytest.fixture
def one_window(monkeypatch):
    """Every rate limit's fixed window (`ratelimit.window_key`) held at the one this test
    began in: a test that spends a budget would otherwise see it renewed when a minute turns
    while it runs."""
    from claims.web import ratelimit

    began = ratelimit.time.time()
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: began))
