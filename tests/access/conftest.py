"""A desk with one object of each kind, in the states the access tests need, and clients
logged in as each role."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from claims import workflow
from claims.models import Appearance, AuditEvent, ClaimSubmission, MergedClaim, StandingPage
from claims.services.revisions import revision_propose

from .. import factories

ROLES = ("anonymous", "reporter", "factchecker", "editor")


@pytest.fixture(autouse=True)
def _fresh_cache_and_generous_rates(fresh_cache_and_generous_rates):
    """Every test here: empty caches and rate limits no test reaches (tests/conftest.py)."""


@pytest.fixture
def world(db, reporter, factchecker, editor, publish_verification):
    """One object of each model the admin, site and API serve, readable by readers where the
    model has a reader face, and drafts where the workflow needs them."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    place = factories.PlaceFactory(name="Toretsk", slug="toretsk")
    source = factories.SourceFactory(name="A ministry", slug="a-ministry")
    claim = factories.ClaimFactory(claimant=source, statement="The ministry says so")
    claim.places.add(place)
    article = factories.ArticleFactory(outlet=source)
    Appearance.objects.create(claim=claim, article=article)
    evidence = factories.EvidenceFactory(claim=claim, source=source)
    published = publish_verification(claim, evidence=[evidence])
    draft_evidence = factories.EvidenceFactory(
        claim=claim,
        description="Not cited yet.",
        url="",
        file=SimpleUploadedFile("call-notes.txt", b"Notes of a call nobody has checked."),
    )
    draft = workflow.verification_create(
        claim=claim, by=factchecker, verdict="unconfirmed", rationale="Reasons."
    )
    explainer = factories.ExplainerFactory(slug="why-it-matters")
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    workflow.explainer_publish(explainer=explainer, by=editor)
    explainer.places.add(place)
    explainer.explainer_claims.create(claim=claim)
    draft_explainer = factories.ExplainerFactory(slug="a-draft")
    correction = workflow.correction_issue(explainer=explainer, by=editor, text="A fix.")
    revision = revision_propose(subject=explainer, by=factchecker, changes={"standfirst": "New."})
    now = published.published_at
    return SimpleNamespace(
        place=place,
        source=source,
        claim=claim,
        article=article,
        evidence=evidence,
        draft_evidence=draft_evidence,
        published=published,
        draft=draft,
        explainer=explainer,
        draft_explainer=draft_explainer,
        correction=correction,
        revision=revision,
        standing_page=StandingPage.objects.get(kind="corrections-policy"),
        submission=ClaimSubmission.objects.create(text="Is it true that the bridge is down?"),
        audit_event=AuditEvent.objects.latest("id"),
        merged=MergedClaim.objects.create(
            old_id=10**6, statement="A duplicate merged away", into=claim, merged_by=editor
        ),
        group=Group.objects.get(name="Reporter"),
        user=editor,
        token=Token.objects.create(user=editor),
        access_attempt=AccessAttempt.objects.create(
            username="someone", ip_address="192.0.2.1", failures_since_start=1, attempt_time=now
        ),
        access_log=AccessLog.objects.create(
            username="editor", ip_address="192.0.2.1", attempt_time=now
        ),
        access_failure_log=AccessFailureLog.objects.create(
            username="someone", ip_address="192.0.2.1", attempt_time=now
        ),
    )


@pytest.fixture
def role_clients(client_factory, reporter, factchecker, editor):
    """{role: a test client logged in (by session) as a user with that role}."""
    clients = {"anonymous": client_factory()}
    for name, user in (("reporter", reporter), ("factchecker", factchecker), ("editor", editor)):
        clients[name] = client_factory()
        clients[name].force_login(user)
    return clients


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client
