"""Who may do what: every API endpoint × method × {anonymous, reporter, fact-checker, editor}.

`MATRIX` gives the status each user gets. The first test fails when the API gains (or loses)
an endpoint or method the matrix does not list, so a new endpoint cannot ship without saying
who may use it. Each request is made with a valid body (and, for updates, the current ETag),
so a refusal is a refusal of the user, not of the input; each user's request is rolled back
before the next user's.
"""

import datetime

import pytest
from django.db import transaction

from claims import workflow
from claims.models import Appearance
from claims.services.revisions import revision_propose

from .. import factories

pytestmark = pytest.mark.django_db

USERS = ("anonymous", "reporter", "factchecker", "editor")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def same(status):
    return (status,) * 4


READ = same(200)
NOT_HERE = (401, 405, 405, 405)  # a method the route does not have, for any signed-in user
ACTION = (401, 405, 405, 405)  # non-POST methods of a workflow action
WRITE_ANY = (401, 405, 405, 405)  # method missing, but every role holds the model permission
EDITOR_ONLY_405 = (401, 403, 403, 405)  # method missing; only editors hold the permission
NOBODY = (401, 403, 403, 403)  # no role holds the permission

# path: {method: (anonymous, reporter, fact-checker, editor)}
MATRIX = {
    "/api/v1/": {
        "GET": READ,
        "POST": same(405),
        "PUT": same(405),
        "PATCH": same(405),
        "DELETE": same(405),
    },
}


def resource(
    create,
    update,
    delete,
    *,
    detail_post=WRITE_ANY,
    list_change=WRITE_ANY,
    list_delete=EDITOR_ONLY_405,
):
    """The list and detail routes of a resource the desk edits."""
    return (
        {
            "GET": READ,
            "POST": create,
            "PUT": list_change,
            "PATCH": list_change,
            "DELETE": list_delete,
        },
        {"GET": READ, "POST": detail_post, "PUT": update, "PATCH": update, "DELETE": delete},
    )


EVERY_ROLE_CREATES = (401, 201, 201, 201)
EVERY_ROLE_UPDATES = (401, 200, 200, 200)
EDITOR_DELETES = (401, 403, 403, 204)

for name in ("sources", "articles", "places", "claims", "evidence", "verifications"):
    MATRIX[f"/api/v1/{name}/"], MATRIX[f"/api/v1/{name}/{{id}}/"] = resource(
        EVERY_ROLE_CREATES, EVERY_ROLE_UPDATES, EDITOR_DELETES
    )
MATRIX["/api/v1/explainers/"], MATRIX["/api/v1/explainers/{id}/"] = resource(
    (401, 403, 201, 201),
    (401, 403, 200, 200),
    EDITOR_DELETES,
    detail_post=(401, 403, 405, 405),
    list_change=(401, 403, 405, 405),
)
MATRIX["/api/v1/corrections/"] = {
    "GET": READ,
    "POST": EDITOR_ONLY_405,
    "PUT": NOBODY,
    "PATCH": NOBODY,
    "DELETE": NOBODY,
}
MATRIX["/api/v1/corrections/{id}/"] = MATRIX["/api/v1/corrections/"]
MATRIX["/api/v1/claimreviews/"] = {
    "GET": READ,
    "POST": WRITE_ANY,
    "PUT": WRITE_ANY,
    "PATCH": WRITE_ANY,
    "DELETE": EDITOR_ONLY_405,
}

# Revisions of live material: desk staff read them; nobody writes them directly (they come
# from updates of live claims and explainers); editors publish; editors and their authors
# discard (the world's revision is the fact-checker's).
MATRIX["/api/v1/revisions/"] = {
    "GET": (401, 200, 200, 200),
    "POST": NOT_HERE,
    "PUT": NOT_HERE,
    "PATCH": NOT_HERE,
    "DELETE": NOT_HERE,
}
MATRIX["/api/v1/revisions/{id}/"] = MATRIX["/api/v1/revisions/"]

TRANSITIONS = {
    # path: (anonymous, reporter, fact-checker, editor) for POST
    "/api/v1/verifications/{id}/submit/": (401, 403, 200, 200),
    "/api/v1/verifications/{id}/return/": (401, 403, 403, 200),
    "/api/v1/verifications/{id}/reopen/": (401, 200, 200, 200),
    "/api/v1/verifications/{id}/publish/": (401, 403, 403, 200),
    "/api/v1/explainers/{id}/submit/": (401, 403, 200, 200),
    "/api/v1/explainers/{id}/return/": (401, 403, 403, 200),
    "/api/v1/explainers/{id}/publish/": (401, 403, 403, 200),
    "/api/v1/explainers/{id}/unpublish/": (401, 403, 403, 200),
    "/api/v1/explainers/{id}/corrections/": (401, 403, 403, 201),
    "/api/v1/revisions/{id}/publish/": (401, 403, 403, 200),
    "/api/v1/revisions/{id}/discard/": (401, 403, 200, 200),
}
for path, post in TRANSITIONS.items():
    MATRIX[path] = {"GET": ACTION, "POST": post, "PUT": ACTION, "PATCH": ACTION, "DELETE": ACTION}
# Assignments and internal notes: desk staff only (claims.services.teamwork decides the rest).
for resource in ("claims", "verifications"):
    MATRIX[f"/api/v1/{resource}/{{id}}/assign/"] = {
        "GET": ACTION,
        "POST": (401, 200, 200, 200),
        "PUT": ACTION,
        "PATCH": ACTION,
        "DELETE": ACTION,
    }
# Merging a duplicate (the spare claim, into the live one): editors only. Archiving
# evidence without an address: anyone on the desk may archive, and each is told there is
# nothing to fetch (no request leaves the machine; tests/api/test_merge_and_archive.py
# archives a page for real).
for path, post in {
    "/api/v1/claims/{id}/merge/": (401, 403, 403, 200),
    "/api/v1/evidence/{id}/archive/": (401, 400, 400, 400),
}.items():
    MATRIX[path] = {"GET": ACTION, "POST": post, "PUT": ACTION, "PATCH": ACTION, "DELETE": ACTION}
for resource in ("claims", "verifications", "explainers"):
    MATRIX[f"/api/v1/{resource}/{{id}}/notes/"] = {
        "GET": (401, 200, 200, 200),
        "POST": (401, 201, 201, 201),
        "PUT": ACTION,
        "PATCH": ACTION,
        "DELETE": ACTION,
    }


# --- the world each request acts on ------------------------------------------------------


@pytest.fixture
def world(db, reporter, factchecker, editor, publish_verification):
    """One object of each kind in each state a matrix request needs."""
    place = factories.PlaceFactory(name="Toretsk")
    claimant = factories.SourceFactory(name="A ministry")
    claim = factories.ClaimFactory(claimant=claimant)
    claim.places.add(place)
    article = factories.ArticleFactory()
    Appearance.objects.create(claim=claim, article=article)
    evidence = factories.EvidenceFactory(claim=claim)
    published = publish_verification(claim, evidence=[evidence])

    def verification(state):
        v = workflow.verification_create(
            claim=claim, by=factchecker, verdict="unconfirmed", rationale="Reasons."
        )
        if state in ("submitted", "returned"):
            workflow.verification_submit(verification=v, by=factchecker)
        if state == "returned":
            workflow.verification_return(verification=v, by=editor, note="More, please.")
        return v

    def explainer(state):
        e = factories.ExplainerFactory()
        if state in ("in_review", "live"):
            workflow.explainer_submit(explainer=e, by=factchecker)
        if state == "live":
            workflow.explainer_publish(explainer=e, by=editor)
            e.explainer_claims.create(claim=claim)
        return e

    live = explainer("live")
    correction = workflow.correction_issue(explainer=live, by=editor, text="A fix.")
    revision = revision_propose(subject=live, by=factchecker, changes={"standfirst": "New."})
    return {
        "source": claimant,
        "spare_source": factories.SourceFactory(),
        "article": article,
        "spare_article": factories.ArticleFactory(),
        "place": place,
        "spare_place": factories.PlaceFactory(),
        "claim": claim,
        "spare_claim": factories.ClaimFactory(claimant=claimant),
        "evidence": evidence,
        "spare_evidence": factories.EvidenceFactory(claim=claim, description="Spare."),
        "no_address": factories.EvidenceFactory(claim=claim, description="Notes.", url=""),
        "published": published,
        "draft": verification("draft"),
        "submitted": verification("submitted"),
        "returned": verification("returned"),
        "live": live,
        "draft_explainer": explainer("draft"),
        "in_review": explainer("in_review"),
        "correction": correction,
        "revision": revision,
    }


# The object a request on each detail route acts on: readable by everyone for reads, in the
# state the request needs for writes (deletes take a spare nothing refers to).
TARGETS = {
    "sources": ("source", "spare_source"),
    "articles": ("article", "spare_article"),
    "places": ("place", "spare_place"),
    "claims": ("claim", "spare_claim"),
    "evidence": ("evidence", "spare_evidence"),
    "verifications": ("published", "draft"),
    "explainers": ("live", "draft_explainer"),
    "corrections": ("correction", "correction"),
    "revisions": ("revision", "revision"),
}
ACTION_TARGETS = {
    "verifications": {
        "submit": "draft",
        "return": "submitted",
        "reopen": "returned",
        "publish": "submitted",
    },
    "explainers": {
        "submit": "draft_explainer",
        "return": "in_review",
        "publish": "in_review",
        "unpublish": "live",
        "corrections": "live",
    },
    "revisions": {"publish": "revision", "discard": "revision"},
}
ACTION_TARGETS["claims"] = {"assign": "claim", "notes": "claim", "merge": "spare_claim"}
ACTION_TARGETS["evidence"] = {"archive": "no_address"}
ACTION_TARGETS["verifications"].update(assign="draft", notes="draft")
ACTION_TARGETS["explainers"]["notes"] = "draft_explainer"


def body(resource, action, world):
    day = datetime.date(2025, 2, 7).isoformat()
    bodies = {
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
        "return": {"note": "More, please."},
        "unpublish": {"reason": "Legal review."},
        "corrections": {"text": "A correction."},
        "publish": {"kind": "update", "note": "A new standfirst."},
        "discard": {"reason": "Not needed."},
        "assign": {"assignee": None},  # clearing an assignment nobody holds: anyone may
        "notes": {"text": "Ask the brigade."},
        "merge": {"into": world["claim"].pk, "reason": "The same claim."},
    }
    return bodies.get(action) or bodies.get(resource, {})


def request_for(path, method, world, user, client):
    """(url, body, headers) of a valid request by `user` on `path`."""
    parts = path.strip("/").split("/")  # api, v1, resource, {id}, action
    resource = parts[2] if len(parts) > 2 else ""
    action = parts[4] if len(parts) > 4 else None
    url = path
    if "{id}" in path:
        if action:
            obj = world[ACTION_TARGETS[resource][action]]
        else:
            read_target, write_target = TARGETS[resource]
            obj = world[read_target if method == "GET" else write_target]
        url = path.replace("{id}", str(obj.pk))
    headers = {}
    if method in ("PUT", "PATCH") and "{id}" in path and not action:
        etag = client.get(url).get("ETag")
        if etag:
            headers["HTTP_IF_MATCH"] = etag
    data = body(resource, action, world) if method in ("POST", "PUT", "PATCH") else None
    return url, data, headers


# --- the tests ---------------------------------------------------------------------------


def api_operations():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = {(path, method.upper()) for path, item in schema["paths"].items() for method in item}
    return found | {("/api/v1/", "GET")}


def test_the_matrix_lists_every_endpoint_and_method():
    listed = {(path, method) for path, row in MATRIX.items() for method in row}
    missing = api_operations() - listed
    assert not missing, f"add these to MATRIX with the status each user should get: {missing}"
    for path, row in MATRIX.items():
        assert set(row) == set(METHODS), f"{path}: give every method, including 405s"
    documented_paths = {path for path, _ in api_operations()}
    assert set(MATRIX) == documented_paths, set(MATRIX) ^ documented_paths


@pytest.mark.parametrize("path", sorted(MATRIX))
def test_statuses_by_user(path, world, client_for, reporter, factchecker, editor):
    users = {"anonymous": None, "reporter": reporter, "factchecker": factchecker, "editor": editor}
    wrong = []
    for method in METHODS:
        for user_name, expected in zip(USERS, MATRIX[path][method], strict=True):
            client = client_for(users[user_name])
            with transaction.atomic():
                url, data, headers = request_for(path, method, world, users[user_name], client)
                response = client.generic(method, url, **_encoded(data), **headers)
                transaction.set_rollback(True)
            if response.status_code != expected:
                wrong.append(
                    f"{method} {url} as {user_name}: {response.status_code} "
                    f"(expected {expected}) {response.content[:200]!r}"
                )
    assert not wrong, "\n".join(wrong)


def _encoded(data):
    import json

    if data is None:
        return {}
    return {"data": json.dumps(data), "content_type": "application/json"}
