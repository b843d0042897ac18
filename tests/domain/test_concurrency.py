"""Two people acting on the same object at the same moment: exactly one of them succeeds.

Real concurrent transactions on PostgreSQL: each side runs in its own thread with its own
database connection, released together by a barrier, through the real entry points — the
admin (Django's test client), the API (DRF's test client), the `publish_scheduled` command
and the workflow functions. Each mix is tried TRIALS times on fresh objects; every trial must
give exactly one success and one clean refusal (never an error, never two successes), and
the database must hold the winner's change. The figures (trials, and how many of them really
overlapped in time) are printed and recorded as test properties.
"""

import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import workflow
from claims.errors import DeskError
from claims.models import AuditEvent, Claim, Explainer, Verification

from .. import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TRIALS = 10
OK, REFUSED = "ok", "refused"


def _race(*actions):
    """Run the actions in threads released together by a barrier.

    Returns (outcomes, overlapped): each action's outcome (OK, REFUSED, or a description of
    anything else) and whether the two really ran at the same time.
    """
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)
    spans = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            start = time.monotonic()
            try:
                outcomes[index] = action()
            except DeskError as error:
                outcomes[index] = REFUSED if error.code == "conflict" else f"refused: {error}"
            spans[index] = (start, time.monotonic())
        except Exception as error:  # anything else is a failure the test reports
            outcomes[index] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    overlapped = all(spans) and max(s for s, _ in spans) < min(e for _, e in spans)
    return outcomes, overlapped


def _run_trials(mix, trial, record_property):
    """Run `trial()` TRIALS times; each returns the two outcomes. One success each time."""
    overlapping = 0
    for number in range(TRIALS):
        outcomes, overlapped = trial()
        assert sorted(outcomes) == [OK, REFUSED], f"{mix}, trial {number + 1}: {outcomes}"
        overlapping += bool(overlapped)
    print(f"\n{mix}: {TRIALS} trials, {overlapping} overlapping in time, one success in each")
    record_property(mix, f"{TRIALS} trials, {overlapping} overlapping")


# --- entry points ------------------------------------------------------------------------


def _admin(user):
    client = Client()
    client.force_login(user)
    return client


def _api(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _admin_step(client, obj, step, data=None):
    """Press a workflow button in the admin; OK on its success message, REFUSED on an error."""
    url = reverse(f"admin:claims_{obj._meta.model_name}_transition", args=[obj.pk, step])
    client.cookies.pop("messages", None)  # only this request's messages count
    response = client.post(url, {"seen_status": obj.status, **(data or {})})
    levels = {m.level_tag for m in get_messages(response.wsgi_request)}
    if response.status_code == 302 and levels == {"success"}:
        return OK
    if response.status_code == 302 and levels == {"error"}:
        return REFUSED
    return f"admin {response.status_code} {levels}"


def _api_step(client, obj, step, etag=None):
    """Run a workflow step through the API, with If-Match when `etag` is given: OK on 200,
    REFUSED on 409 (no longer in that state) or 412 (changed since `etag`)."""
    name = obj._meta.model_name
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    response = client.post(f"/api/v1/{name}s/{obj.pk}/{step}/", {}, format="json", **headers)
    outcome = {200: OK, 409: REFUSED, 412: REFUSED}.get(response.status_code)
    return outcome or f"api {response.status_code} {response.content[:200]!r}"


def _command():
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    return OK if "1 explainer(s) published." in out.getvalue() else REFUSED


# --- publishing a verification -----------------------------------------------------------


@pytest.fixture
def submitted(claim, factchecker):
    def make():
        verification = workflow.verification_create(
            claim=claim, by=factchecker, verdict="disputed", rationale="Map and brigade differ."
        )
        return workflow.verification_submit(verification=verification, by=factchecker)

    return make


def _verification_publishers(editor, second_editor):
    admin = {"editor": _admin(editor), "editor2": _admin(second_editor)}
    api = {"editor": _api(editor), "editor2": _api(second_editor)}
    return {
        "workflow": lambda v, who: (
            workflow.verification_publish(
                verification=Verification.objects.get(pk=v.pk),
                by=editor if who == "editor" else second_editor,
            )
            and OK
        ),
        "admin": lambda v, who: _admin_step(admin[who], v, "publish"),
        "api": lambda v, who: _api_step(api[who], v, "publish"),
    }


@pytest.mark.parametrize(
    "first, second",
    [("workflow", "workflow"), ("admin", "admin"), ("admin", "api"), ("api", "api")],
)
def test_concurrent_publishes_of_one_verification_one_wins(
    first, second, submitted, editor, second_editor, record_property
):
    publishers = _verification_publishers(editor, second_editor)

    def trial():
        verification = submitted()
        outcomes = _race(
            lambda: publishers[first](verification, "editor"),
            lambda: publishers[second](verification, "editor2"),
        )
        published = Verification.objects.get(pk=verification.pk)
        assert published.status == Verification.Status.PUBLISHED
        assert published.version == verification.version + 1  # one publish, one bump
        assert (
            AuditEvent.objects.filter(
                action="verification.publish", object_id=str(verification.pk)
            ).count()
            == 1
        )
        assert published.history.filter(history_change_reason="published").count() == 1
        claim = Claim.objects.get(pk=verification.claim_id)
        assert claim.current_verification_id == verification.pk
        return outcomes

    _run_trials(f"verification publish, {first} × {second}", trial, record_property)


# --- publishing an explainer -------------------------------------------------------------


@pytest.fixture
def due_explainer(factchecker, editor):
    """An explainer scheduled for a time that has just come: the scheduler, an editor in the
    admin and one through the API may all publish it."""

    def make():
        explainer = factories.ExplainerFactory()
        workflow.explainer_submit(explainer=explainer, by=factchecker)
        workflow.explainer_publish(
            explainer=explainer, by=editor, at=timezone.now() + timedelta(hours=1)
        )
        Explainer.objects.filter(pk=explainer.pk).update(
            publish_at=timezone.now() - timedelta(seconds=1)
        )
        explainer.refresh_from_db()
        return explainer

    return make


@pytest.mark.parametrize(
    "first, second",
    [
        ("admin", "admin"),
        ("admin", "api"),
        ("admin", "command"),
        ("api", "api"),
        ("api", "command"),
        ("command", "command"),
    ],
)
def test_concurrent_publishes_of_one_explainer_one_wins(
    first, second, due_explainer, editor, second_editor, record_property
):
    admin = {"editor": _admin(editor), "editor2": _admin(second_editor)}
    api = {"editor": _api(editor), "editor2": _api(second_editor)}
    publishers = {
        "admin": lambda e, who: _admin_step(
            admin[who], e, "publish", {"at": "", "change_note": ""}
        ),
        # A careful client names the state it saw, so it never publishes an update instead.
        "api": lambda e, who: _api_step(api[who], e, "publish", etag=e.etag),
        "command": lambda e, who: _command(),
    }

    def trial():
        explainer = due_explainer()
        explainer.etag = api["editor"].get(f"/api/v1/explainers/{explainer.pk}/")["ETag"]
        outcomes = _race(
            lambda: publishers[first](explainer, "editor"),
            lambda: publishers[second](explainer, "editor2"),
        )
        published = Explainer.objects.get(pk=explainer.pk)
        assert published.status == Explainer.Status.PUBLISHED
        assert published.version == explainer.version + 1
        assert (
            AuditEvent.objects.filter(
                action="explainer.publish", object_id=str(explainer.pk)
            ).count()
            == 1
        )
        return outcomes

    _run_trials(f"explainer publish, {first} × {second}", trial, record_property)


# --- saving a claim ----------------------------------------------------------------------


def _admin_save(client, claim, statement):
    """Save the claim's change form opened at `claim.version`: OK when it lands, REFUSED when
    the desk says someone else saved it first."""
    data = {
        "statement": statement,
        "quote": claim.quote,
        "claimant": claim.claimant_id,
        "claimed_on": claim.claimed_on.isoformat(),
        "slug": claim.slug,
        "seen_version": claim.version,
    }
    for prefix in ("appearances", "links_out", "evidence"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    client.cookies.pop("messages", None)
    response = client.post(reverse("admin:claims_claim_change", args=[claim.pk]), data)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    if response.status_code == 302 and not any(
        m.startswith("Someone else saved this") for m in messages
    ):
        return OK
    if "Someone else saved this claim" in response.content.decode() or any(
        m.startswith("Someone else saved this") for m in messages
    ):
        return REFUSED
    return f"admin {response.status_code}"


def _api_save(client, claim, statement, etag):
    response = client.patch(
        f"/api/v1/claims/{claim.pk}/", {"statement": statement}, format="json", HTTP_IF_MATCH=etag
    )
    return {200: OK, 412: REFUSED}.get(response.status_code, f"api {response.status_code}")


@pytest.mark.parametrize("first, second", [("admin", "admin"), ("admin", "api"), ("api", "api")])
def test_concurrent_saves_of_one_claim_one_lands(
    first, second, source, reporter, editor, record_property
):
    clients = {
        "admin": [_admin(reporter), _admin(editor)],
        "api": [_api(reporter), _api(editor)],
    }

    def trial():
        claim = factories.ClaimFactory(claimant=source)
        etag = clients["api"][0].get(f"/api/v1/claims/{claim.pk}/")["ETag"]
        savers = {
            "admin": lambda index, text: _admin_save(clients["admin"][index], claim, text),
            "api": lambda index, text: _api_save(clients["api"][index], claim, text, etag),
        }
        texts = ["First editor's wording", "Second editor's wording"]
        result = _race(
            lambda: savers[first](0, texts[0]),
            lambda: savers[second](1, texts[1]),
        )
        outcomes, _ = result
        saved = Claim.objects.get(pk=claim.pk)
        if sorted(outcomes) == [OK, REFUSED]:
            winner = texts[outcomes.index(OK)]
            assert saved.statement == winner
            assert saved.version == claim.version + 1
            assert saved.history.filter(statement=winner).count() == 1
        return result

    _run_trials(f"claim save, {first} × {second}", trial, record_property)


def test_a_stale_instance_cannot_overwrite_a_concurrent_save(source):
    """The model's own conditional UPDATE, without any interface in front of it."""
    claim = factories.ClaimFactory(claimant=source)
    copies = [Claim.objects.get(pk=claim.pk) for _ in range(2)]
    copies[0].statement, copies[1].statement = "One", "Other"

    outcomes, _ = _race(lambda: copies[0].save() or OK, lambda: copies[1].save() or OK)

    assert sorted(outcomes) == [OK, REFUSED]
    saved = Claim.objects.get(pk=claim.pk)
    assert (saved.statement, saved.version) == (copies[outcomes.index(OK)].statement, 2)
