"""Mass assignment: a client cannot set what only the workflow or the server sets.

Status, author and reviewer, publication and submission times, the current verdict, who
created or imported what, file and text hashes and the reviewer's note change only through
`claims.workflow` and the models' own save(). Sending them anyway, to any writable serializer
of the API (found from the API's router) or in any admin form (found from the admin site's
registry), changes nothing: the request succeeds with the values ignored.
"""

import datetime
import json

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.test import RequestFactory
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.api.urls import router
from claims.api.views.base import ReadWriteViewSet
from claims.models import Claim, Explainer, Verification

from .. import factories

pytestmark = pytest.mark.django_db

# Fields nobody sets by hand, in any model that has them.
PROTECTED = {
    "status",
    "author",
    "reviewer",
    "review_note",
    "submitted_at",
    "published_at",
    "publish_at",
    "first_published_at",
    "last_substantive_update",
    "current_verdict",
    "current_verdict_as_of",
    "current_verification",
    "created_by",
    "added_by",
    "imported_by",
    "imported_at",
    "updated_by",
    "handled_by",
    "sha256",
    "content_hash",
    "client_hash",
    "created_at",
    "updated_at",
}
# Editable on purpose: triaging a reader's submission is setting its status in the admin;
# an article's publication time is when its outlet published it, which the desk types in.
EDITABLE_ON_PURPOSE = {"claims.claimsubmission": {"status"}, "claims.article": {"published_at"}}


def protected_fields(model):
    label = f"{model._meta.app_label}.{model._meta.model_name}"
    return PROTECTED - EDITABLE_ON_PURPOSE.get(label, set())


LONG_AGO = "1999-01-01T00:00:00Z"


def forged_values(model, intruder):
    """A forged value for each protected field `model` has, as JSON."""
    values = {}
    for field in model._meta.get_fields():
        if field.name not in protected_fields(model) or not getattr(field, "concrete", False):
            continue
        if isinstance(field, models.ForeignKey):
            values[field.name] = intruder.pk
            values[f"{field.name}_id"] = intruder.pk
        elif isinstance(field, models.DateTimeField):
            values[field.name] = LONG_AGO
        elif field.name == "status":
            values[field.name] = "published"
        elif field.name == "current_verdict":
            values[field.name] = "false"
        else:
            values[field.name] = "f" * 64 if "hash" in field.name or "sha" in field.name else "X"
    return values


def protected_state(obj):
    """The protected fields of `obj` as stored (timestamps only as 'set in 1999 or not')."""
    obj = type(obj).objects.get(pk=obj.pk)
    state = {}
    for field in obj._meta.concrete_fields:
        if field.name in protected_fields(type(obj)):
            value = getattr(obj, field.attname)
            if isinstance(value, datetime.datetime):
                value = value.year == 1999
            state[field.name] = value
    return state


# --- the API -----------------------------------------------------------------------------

WRITABLE_VIEWSETS = {
    prefix: viewset
    for prefix, viewset, _ in router.registry
    if issubclass(viewset, ReadWriteViewSet)
}


def valid_body(resource, world):
    day = "2025-02-07"
    return {
        "sources": {"name": "New source", "kind": "other", "affiliation": "other"},
        "articles": {"headline": "New article", "body": "Text nobody has filed yet."},
        "places": {"name": "New place"},
        "claims": {
            "statement": "A new claim",
            "quote": "Said.",
            "claimant_id": world["source"].pk,
            "claimed_on": day,
        },
        "evidence": {"claim": world["claim"].pk, "kind": "photo", "description": "A photo."},
        "verifications": {
            "claim": world["claim"].pk,
            "verdict": "unconfirmed",
            "rationale": "Reasons.",
        },
        "explainers": {"title": "New", "slug": "new-explainer", "standfirst": "S.", "body": "B."},
    }[resource]


@pytest.fixture
def world(db, editor, factchecker, publish_verification):
    source = factories.SourceFactory()
    claim = factories.ClaimFactory(claimant=source)
    return {
        "source": source,
        "claim": claim,
        "intruder": factories.UserFactory(username="intruder", role="Editor"),
        # What each resource's update acts on: something the editor may still change.
        "sources": source,
        "articles": factories.ArticleFactory(),
        "places": factories.PlaceFactory(),
        "claims": claim,
        "evidence": factories.EvidenceFactory(claim=claim),
        "verifications": factories.VerificationFactory(claim=claim, author=factchecker),
        "explainers": factories.ExplainerFactory(),
    }


@pytest.fixture
def api(editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return client


def test_every_writable_serializer_is_covered(world):
    assert set(WRITABLE_VIEWSETS) == {
        "sources",
        "articles",
        "places",
        "claims",
        "evidence",
        "verifications",
        "explainers",
    }, "a new writable API resource: give it a valid body in valid_body()"


@pytest.mark.parametrize("resource", sorted(WRITABLE_VIEWSETS))
def test_create_ignores_protected_fields(resource, world, api):
    model = WRITABLE_VIEWSETS[resource].model
    forged = forged_values(model, world["intruder"])
    assert forged, f"{resource}: no protected field to try"
    body = valid_body(resource, world)
    clean = api.post(f"/api/v1/{resource}/", body, format="json")
    assert clean.status_code == 201, clean.content
    model.objects.filter(pk=clean.json()["id"]).update(
        **({"slug": "first"} if resource == "explainers" else {})
    )
    if resource == "articles":
        body = {**body, "body": "Another text nobody has filed."}
    forging = api.post(f"/api/v1/{resource}/", {**body, **forged}, format="json")
    assert forging.status_code == 201, forging.content
    expected = protected_state(model.objects.get(pk=clean.json()["id"]))
    got = protected_state(model.objects.get(pk=forging.json()["id"]))
    if resource == "articles":  # the hash is of the (different) body, not the forged one
        assert got.pop("content_hash") != "f" * 64
        expected.pop("content_hash")
    assert got == expected, f"{resource}: {forged}"


@pytest.mark.parametrize("resource", sorted(WRITABLE_VIEWSETS))
@pytest.mark.parametrize("method", ["PATCH", "PUT"])
def test_update_ignores_protected_fields(resource, method, world, api):
    model = WRITABLE_VIEWSETS[resource].model
    obj = world[resource]
    before = protected_state(obj)
    url = f"/api/v1/{resource}/{obj.pk}/"
    current = api.get(url)
    body = {k: v for k, v in current.json().items() if k in valid_body(resource, world)}
    if method == "PUT":
        body = {**valid_body(resource, world), **body}
        if resource == "verifications":
            body.pop("claim")  # set on create only
    forged = forged_values(model, world["intruder"])
    response = api.generic(
        method,
        url,
        json.dumps({**body, **forged}),
        content_type="application/json",
        HTTP_IF_MATCH=current["ETag"],
    )
    assert response.status_code == 200, response.content
    after = protected_state(obj)
    after.pop("updated_at", None), before.pop("updated_at", None)  # a save moves it
    assert after == before, f"{resource}: {forged}"


def test_a_verifications_status_moves_only_through_the_workflow(world, api):
    draft = world["verifications"]
    url = f"/api/v1/verifications/{draft.pk}/"
    etag = api.get(url)["ETag"]
    api.patch(url, {"status": "published", "verdict": "false"}, format="json", HTTP_IF_MATCH=etag)
    draft.refresh_from_db()
    assert draft.status == Verification.Status.DRAFT and draft.verdict == "false"
    assert Claim.objects.get(pk=draft.claim_id).current_verdict == ""


# --- the admin ---------------------------------------------------------------------------


def admin_forms(user):
    """(model label, add or change, form field names) of every registered ModelAdmin and its
    inlines, as `user` gets them."""
    request = RequestFactory().get("/admin/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        obj = model.objects.first()
        for kind, instance in (("add", None), ("change", obj)):
            if kind == "change" and instance is None:
                continue
            if kind == "add" and not model_admin.has_add_permission(request):
                continue
            form = model_admin.get_form(request, instance, change=kind == "change")
            yield label, kind, set(form.base_fields)
            for inline in model_admin.get_inline_instances(request, instance):
                formset = inline.get_formset(request, instance)
                inline_label = f"{label} inline {inline.model._meta.model_name}"
                yield inline_label, kind, set(formset.form.base_fields)


def test_no_admin_form_has_a_protected_field(world, live_explainer, draft_verification):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.utils import timezone

    from claims import workflow
    from claims.models import ClaimSubmission, MergedClaim
    from claims.services.revisions import revision_propose

    # One object of each model, so that every change form is looked at too.
    editor = get_user_model().objects.get(username="editor")
    workflow.correction_issue(explainer=live_explainer, by=editor, text="Fix.")
    ClaimSubmission.objects.create(text="Is the bridge down?")
    now = timezone.now()
    AccessAttempt.objects.create(
        username="x", ip_address="192.0.2.1", attempt_time=now, failures_since_start=1
    )
    for access_model in (AccessLog, AccessFailureLog):
        access_model.objects.create(username="x", ip_address="192.0.2.1", attempt_time=now)
    Token.objects.create(user=editor)
    revision_propose(subject=live_explainer, by=editor, changes={"standfirst": "Reworded."})
    MergedClaim.objects.create(
        old_id=10**6, statement="A duplicate", into=draft_verification.claim, merged_by=editor
    )
    superuser = get_user_model().objects.create_superuser("chief", "c@desk.example", "pw")
    checked = []
    for label, kind, fields in admin_forms(superuser):
        allowed = EDITABLE_ON_PURPOSE.get(label.split(" ")[0], set())
        exposed = (fields & PROTECTED) - allowed
        assert not exposed, f"{label} ({kind} form) lets the user set {exposed}"
        checked.append((label, kind))
    labels = {label.split(" ")[0] for label, _ in checked}
    assert labels == {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}, (
        "every ModelAdmin was looked at"
    )
    print(f"\nadmin forms checked: {len(checked)}")


def _post_change(client, obj, data):
    url = f"/admin/claims/{obj._meta.model_name}/{obj.pk}/change/"
    return client.post(url, data)


def _no_inlines(*prefixes):
    data = {}
    for prefix in prefixes:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def test_admin_change_forms_ignore_protected_fields_sent_anyway(client, world, editor):
    intruder = world["intruder"]
    client.force_login(editor)
    claim, draft, explainer = world["claims"], world["verifications"], world["explainers"]
    cases = [
        (
            claim,
            {
                "statement": "Edited statement",
                "quote": claim.quote,
                "claimant": claim.claimant_id,
                "claimed_on": "2025-02-07",
                "slug": claim.slug,
                **_no_inlines("appearances", "links_out", "evidence"),
            },
        ),
        (
            draft,
            {"claim": draft.claim_id, "verdict": "false", "rationale": "Edited rationale."},
        ),
        (
            explainer,
            {
                "title": "Edited title",
                "slug": explainer.slug,
                "standfirst": explainer.standfirst,
                "body": explainer.body,
                **_no_inlines("explainer_claims", "corrections"),
            },
        ),
    ]
    for obj, data in cases:
        before = protected_state(obj)
        forged = {
            name: (value if "_id" not in name else intruder.pk)
            for name, value in forged_values(type(obj), intruder).items()
        }
        opened = type(obj).objects.get(pk=obj.pk).version  # the hidden field a browser sends
        response = _post_change(client, obj, {**data, **forged, "seen_version": opened})
        assert response.status_code == 302, (obj, response.content[:2000])
        after = protected_state(obj)
        after.pop("updated_at", None), before.pop("updated_at", None)
        assert after == before, type(obj).__name__
    assert Claim.objects.get(pk=claim.pk).statement == "Edited statement"
    assert Verification.objects.get(pk=draft.pk).verdict == "false"
    assert Explainer.objects.get(pk=explainer.pk).title == "Edited title"
