"""Every URL of the project × anonymous, reporter, fact-checker and editor.

`test_every_url_pattern_has_an_expectation` walks the project's URL resolver (admin, reader
site, feeds, sitemap, API, API login, schema and docs); a pattern missing from the tables below
fails it, so no URL ships without someone deciding who may use it. `test_who_gets_what` then
builds a concrete address for each pattern from the `world` fixture's objects, checks that the
address resolves to that very pattern, and requests it as each role: GET always, POST where
the view takes writes. Each POST is rolled back before the next.

An expectation is a status code; "login" (a redirect to the admin's login page); "refused" /
"done" for the admin's workflow buttons (a redirect back to the object with an error or a
success message). The admin's model pages are given by what each role may do with each model
(`ADMIN_MODELS`): view, add, change, delete, as the desk's admin allows it on the `world`
object (which may be less than the role's permissions: nobody changes a correction).

The API's methods other than GET and POST are in tests/api/test_permission_matrix.py.
"""

import json
import re

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from .conftest import ROLES

pytestmark = pytest.mark.django_db

A, R, F, E = ROLES


def same(expected):
    return dict.fromkeys(ROLES, expected)


def roles(anonymous, reporter, factchecker, editor):
    return dict(zip(ROLES, (anonymous, reporter, factchecker, editor), strict=True))


# --- the admin's model pages ------------------------------------------------------------

# model: what (reporter, fact-checker, editor) may do with the `world` object in the admin:
# v view, a add, c change, d delete. Anonymous visitors are sent to the login page.
ADMIN_MODELS = {
    "auth.group": ("", "", ""),
    "auth.user": ("", "", ""),
    "authtoken.tokenproxy": ("", "", ""),
    "axes.accessattempt": ("", "", ""),
    "axes.accesslog": ("", "", ""),
    "axes.accessfailurelog": ("", "", ""),
    "claims.source": ("vac", "vac", "vacd"),
    "claims.article": ("vac", "vac", "vacd"),
    "claims.place": ("vac", "vac", "vacd"),
    "claims.claim": ("vac", "vac", "vacd"),
    # Evidence no published verification cites (what one cites is frozen).
    "claims.evidence": ("vac", "vac", "vacd"),
    # A draft: editable by all roles, deletable by editors.
    "claims.verification": ("vac", "vac", "vacd"),
    # A live explainer: fact-checkers and editors may edit it (the edit is a revision that an
    # editor publishes); nobody deletes what readers have seen.
    "claims.explainer": ("v", "vac", "vac"),
    # Issued through the workflow, never changed or deleted.
    "claims.correction": ("v", "v", "va"),
    "claims.standingpage": ("v", "v", "vac"),
    # Readers' submissions arrive through the site, never added in the admin.
    "claims.claimsubmission": ("vc", "vc", "vcd"),
    "claims.auditevent": ("v", "v", "v"),  # read-only for everyone
    # Made by editing live material; its page is where its author (the fact-checker here)
    # and editors decide on it (publish, discard): nobody adds, changes or deletes one.
    "claims.revision": ("v", "vc", "vc"),
    # The record of duplicates merged away: read by everyone, written only by a merge.
    "claims.mergedclaim": ("v", "v", "v"),
}

# The `world` attribute holding each model's object.
ADMIN_OBJECTS = {
    "auth.group": "group",
    "auth.user": "user",
    "authtoken.tokenproxy": "token",
    "axes.accessattempt": "access_attempt",
    "axes.accesslog": "access_log",
    "axes.accessfailurelog": "access_failure_log",
    "claims.source": "source",
    "claims.article": "article",
    "claims.place": "place",
    "claims.claim": "claim",
    "claims.evidence": "draft_evidence",
    "claims.verification": "draft",
    "claims.explainer": "explainer",
    "claims.correction": "correction",
    "claims.standingpage": "standing_page",
    "claims.claimsubmission": "submission",
    "claims.auditevent": "audit_event",
    "claims.revision": "revision",
    "claims.mergedclaim": "merged",
}


def _allowed(letter, ok=200):
    """Expectations for a page a role reaches when its grant has `letter`, else 403."""

    def build(model):
        grants = ADMIN_MODELS[model]
        return {
            "anonymous": "login",
            **{
                role: ok if any(x in grant for x in letter) else 403
                for role, grant in zip(ROLES[1:], grants, strict=True)
            },
        }

    return build


# Models whose admin is Django's own (no desk refusals): the audit trail, the record of merges.
PLAIN_ADMINS = {"claims.auditevent", "claims.mergedclaim"}


def _deletable(model):
    """The delete page asks a role with `d` to confirm; in the desk's admins, a role that
    sees the record but may not delete it is sent back to it with a message saying why and
    who may; else 403."""
    desk = model.startswith("claims.") and model not in PLAIN_ADMINS

    def expected(grant):
        if "d" in grant:
            return 200
        return "refused" if grant and desk else 403

    return {
        "anonymous": "login",
        **{
            role: expected(grant)
            for role, grant in zip(ROLES[1:], ADMIN_MODELS[model], strict=True)
        },
    }


# Each page of a ModelAdmin: (GET, POST or None). An empty POST changes nothing: the add and
# change forms come back with their errors (200), the delete page asks for confirmation.
ADMIN_MODEL_PAGES = {
    "": (_allowed("vc"), None),  # the change list
    "add/": (_allowed("a"), _allowed("a")),
    "<path:object_id>/history/": (_allowed("vc"), None),
    # One past version (models with history): readable, never restored (no revert).
    "<path:object_id>/history/<int:version_id>/": (
        _allowed("vc"),
        lambda model: {"anonymous": "login", **dict.fromkeys(ROLES[1:], 405)},
    ),
    "<path:object_id>/delete/": (_deletable, _deletable),
    "<path:object_id>/change/": (_allowed("vc"), _allowed("c")),
    # The bare object address redirects to its change page, for any desk user.
    "<path:object_id>/": (lambda model: {**same(302), "anonymous": "login"}, None),
}

# --- every other URL ---------------------------------------------------------------------

STAFF = roles("login", 200, 200, 200)
READ = same(200)

# route: {"GET": {role: expected}, "POST": {role: expected}}
EXPECTED = {
    # The admin site.
    "admin/": {"GET": STAFF},
    "admin/login/": {
        "GET": roles(200, 302, 302, 302),  # logged-in users go on to the index
        "POST": roles(200, 200, 200, 200),  # no credentials: the form again
    },
    # Logging out is a POST; anonymous visitors are sent to the index (and on to log in).
    "admin/logout/": {"GET": roles(302, 405, 405, 405), "POST": roles(302, 200, 200, 200)},
    "admin/password_change/": {"GET": STAFF, "POST": STAFF},
    "admin/password_change/done/": {"GET": STAFF},
    "admin/autocomplete/": {"GET": roles("login", 403, 403, 403)},  # without a valid field
    "admin/jsi18n/": {"GET": STAFF},
    # Django's "View on site" redirect: to a record's reader page, for the desk only (the
    # desk may open a draft's page; readers get a 404 there).
    "admin/r/<path:content_type_id>/<path:object_id>/": {"GET": roles("login", 302, 302, 302)},
    "admin/auth/user/<id>/password/": {
        "GET": roles("login", 403, 403, 403),
        "POST": roles("login", 403, 403, 403),
    },
    r"admin/^(?P<app_label>auth|claims|authtoken|axes)/$": {"GET": STAFF},  # app "claims"
    "admin/(?P<url>.*)$": {"GET": roles("login", 404, 404, 404)},
    # The admin's extra pages.
    "admin/claims/claim/similar/": {"GET": STAFF},
    "admin/claims/article/import/": {"GET": STAFF, "POST": STAFF},
    # The Markdown preview of the desk's text boxes: POST only, for staff who may see them.
    "admin/markdown-preview/": {
        "GET": roles("login", 405, 405, 405),
        "POST": roles("login", 200, 200, 200),
    },
    # A revision's reader page as it would be: for the desk only.
    "admin/claims/revision/<path:object_id>/preview/": {"GET": STAFF},
    # "Spot claims again": every role may change articles.
    "admin/claims/article/<path:object_id>/candidates/spot/": {
        "GET": roles("login", 405, 405, 405),
        "POST": roles("login", "done", "done", "done"),
    },
    "admin/claims/article/<path:object_id>/candidates/create/": {
        "GET": roles("login", 405, 405, 405),
        "POST": roles("login", 302, 302, 302),  # refused: no passage named (message)
    },
    "admin/claims/article/<path:object_id>/candidates/link/": {
        "GET": roles("login", 405, 405, 405),
        "POST": roles("login", 302, 302, 302),
    },
    # The review step: every role may make claims of candidates; here no passage
    # of the article is a candidate, so each is sent back to the article with a message.
    "admin/claims/article/<path:object_id>/candidates/<int:start>-<int:end>/review/": {
        "GET": roles("login", 302, 302, 302),
        "POST": roles("login", 302, 302, 302),
    },
    "admin/claims/article/<path:object_id>/candidates/dismiss/": {
        "GET": roles("login", 405, 405, 405),
        "POST": roles("login", 302, 302, 302),
    },
    # Workflow buttons: "submit" on a draft verification and on a draft explainer.
    "admin/claims/verification/<path:object_id>/workflow/<slug:transition>/": {
        "GET": roles("login", 405, 405, 405),
        "POST": roles("login", "refused", "done", "done"),
    },
    "admin/claims/explainer/<path:object_id>/workflow/<slug:transition>/": {
        "GET": roles("login", 405, 405, 405),
        "POST": roles("login", "refused", "done", "done"),
    },
    # Each person's e-mail choices (POST with nothing ticked turns every kind off).
    "admin/my-email/": {
        "GET": roles("login", 200, 200, 200),
        "POST": roles("login", 302, 302, 302),
    },
    # Merging a duplicate claim: editors only (POST {}: no claim chosen, the form again).
    "admin/claims/claim/<path:object_id>/merge/": {
        "GET": roles("login", "refused", "refused", 200),
        "POST": roles("login", "refused", "refused", 200),
    },
    # Assignment (POST {}: clears an assignment nobody holds) and notes (POST {}: no text).
    "admin/claims/claim/<path:object_id>/assign/": {
        "GET": roles("login", 405, 405, 405),
        "POST": roles("login", "done", "done", "done"),
    },
    "admin/claims/verification/<path:object_id>/assign/": {
        "GET": roles("login", 405, 405, 405),
        "POST": roles("login", "done", "done", "done"),
    },
    "admin/claims/claim/<path:object_id>/notes/": {
        "GET": roles("login", 405, 405, 405),
        "POST": roles("login", "refused", "refused", "refused"),
    },
    "admin/claims/verification/<path:object_id>/notes/": {
        "GET": roles("login", 405, 405, 405),
        "POST": roles("login", "refused", "refused", "refused"),
    },
    "admin/claims/explainer/<path:object_id>/notes/": {
        "GET": roles("login", 405, 405, 405),
        "POST": roles("login", "refused", "refused", "refused"),
    },
    # Archive an evidence item's page: every role may; the `world`'s draft evidence has no
    # address, so each is sent back with the message saying so (nothing is fetched).
    "admin/claims/evidence/<path:object_id>/archive/": {
        "GET": roles("login", 405, 405, 405),
        "POST": roles("login", "refused", "refused", "refused"),
    },
    # Logging in to the browsable API.
    "api/v1/auth/login/": {"GET": READ, "POST": READ},
    "api/v1/auth/logout/": {"GET": same(405), "POST": same(200)},
    # The API's description and docs.
    "api/v1/": {"GET": READ, "POST": same(405)},
    "api/v1/<drf_format_suffix:format>": {"GET": READ},
    "api/schema/": {"GET": READ},
    "api/docs/": {"GET": READ},
    "api/redoc/": {"GET": READ},
    r"api/^[\s\S]*$": {"GET": same(404), "POST": same(404)},
    "api": {"GET": same(404), "POST": same(404)},
    # The reader site. Logged-in staff see the same pages (drafts as marked previews).
    "": {"GET": READ},
    "explainers/": {"GET": READ},
    "explainers/<slug:slug>/": {"GET": READ},
    "explainers/<slug:slug>/share.png": {"GET": READ},
    "claims/": {"GET": READ},
    "claims/<int:pk>/": {"GET": same(301)},
    "claims/<claim_key:pk>-<slug:slug>/": {"GET": READ},
    # The same key spelt with zeros in front: led to the claim's one address.
    "claims/<int:pk>-<slug:slug>/": {"GET": same(301)},
    "places/": {"GET": READ},
    "places/<slug:slug>/": {"GET": READ},
    "sources/": {"GET": READ},
    "sources/<slug:slug>/": {"GET": READ},
    "search/": {"GET": READ},
    "methodology/": {"GET": READ},
    "balance/": {"GET": READ},
    "about/<slug:kind>/": {"GET": READ},
    "submit/": {"GET": READ, "POST": READ},  # an empty form comes back with its errors
    "submit/thanks/": {"GET": READ},
    "feeds/explainers.rss": {"GET": READ},
    "feeds/explainers.atom": {"GET": READ},
    "feeds/verdicts.rss": {"GET": READ},
    "feeds/verdicts.atom": {"GET": READ},
    # An evidence file no published verification cites: desk staff only. Files can only be
    # read.
    "files/<path:name>": {"GET": roles(404, 200, 200, 200), "POST": same(405)},
    "sitemap.xml": {"GET": READ},
    "sitemap-<slug:section>.xml": {"GET": READ},
    "robots.txt": {"GET": READ},
    # Bulk downloads and their data dictionary: public, read only.
    "downloads/": {"GET": READ},
    "downloads/<slug:dataset>.<slug:file_format>": {"GET": READ, "POST": same(405)},
    # The load balancer's health check, and the front cache's (the database answers too).
    "healthz": {"GET": READ},
    "readyz": {"GET": READ},
}

# The API's resources: GET on every route; POST {} on lists (a create, refused as invalid when
# the role may create, 403 when not; corrections are issued through an explainer's action)
# and on details (no such method: 405 once the role passes the model permission check).
API_CREATE = roles(401, 400, 400, 400)
API_NO_POST = roles(401, 405, 405, 405)
API_RESOURCES = {
    # resource: (POST on the list, POST on a detail)
    "sources": (API_CREATE, API_NO_POST),
    "articles": (API_CREATE, API_NO_POST),
    "places": (API_CREATE, API_NO_POST),
    "claims": (API_CREATE, API_NO_POST),
    "verifications": (API_CREATE, API_NO_POST),
    "evidence": (API_CREATE, API_NO_POST),
    "explainers": (roles(401, 403, 400, 400), roles(401, 403, 405, 405)),
    "corrections": (roles(401, 403, 403, 405), roles(401, 403, 403, 405)),
}
# action: POST {} on a draft verification or on the live explainer, through the permission
# and state checks of claims.workflow.
API_ACTIONS = {
    "verifications/(?P<pk>[0-9]+)/submit": roles(401, 403, 200, 200),
    "verifications/(?P<pk>[0-9]+)/return": roles(401, 400, 400, 400),  # no note
    "verifications/(?P<pk>[0-9]+)/reopen": roles(401, 409, 409, 409),  # not returned
    "verifications/(?P<pk>[0-9]+)/publish": roles(401, 403, 403, 409),  # not submitted
    "explainers/(?P<pk>[0-9]+)/submit": roles(401, 403, 409, 409),  # live already
    "explainers/(?P<pk>[0-9]+)/return": roles(401, 400, 400, 400),  # no note
    # Live already: publishing again is an update, which needs a change note.
    "explainers/(?P<pk>[0-9]+)/publish": roles(401, 403, 403, 400),
    "explainers/(?P<pk>[0-9]+)/unpublish": roles(401, 400, 400, 400),  # no reason
    "explainers/(?P<pk>[0-9]+)/corrections": roles(401, 400, 400, 400),  # no text
    # No claim to merge into; the draft evidence has no address to archive (nothing fetched).
    "claims/(?P<pk>[0-9]+)/merge": roles(401, 400, 400, 400),
    "evidence/(?P<pk>[0-9]+)/archive": roles(401, 400, 400, 400),
}
ACTION_GET = roles(401, 405, 405, 405)

for name, (list_post, detail_post) in API_RESOURCES.items():
    EXPECTED[f"api/v1/^{name}/$"] = {"GET": READ, "POST": list_post}
    EXPECTED[rf"api/v1/^{name}\.(?P<format>[a-z0-9]+)/?$"] = {"GET": READ}
    EXPECTED[f"api/v1/^{name}/(?P<pk>[0-9]+)/$"] = {"GET": READ, "POST": detail_post}
    EXPECTED[rf"api/v1/^{name}/(?P<pk>[0-9]+)\.(?P<format>[a-z0-9]+)/?$"] = {"GET": READ}
for action, post in API_ACTIONS.items():
    EXPECTED[f"api/v1/^{action}/$"] = {"GET": ACTION_GET, "POST": post}
    EXPECTED[rf"api/v1/^{action}\.(?P<format>[a-z0-9]+)/?$"] = {"GET": ACTION_GET}
EXPECTED["api/v1/^claimreviews/$"] = {"GET": READ, "POST": API_NO_POST}
# Assignments (POST {}: no assignee given) and internal notes (POST {}: no text): desk only.
STAFF_READ = roles(401, 200, 200, 200)
for name in ("claims", "verifications"):
    EXPECTED[f"api/v1/^{name}/(?P<pk>[0-9]+)/assign/$"] = {
        "GET": ACTION_GET,
        "POST": roles(401, 400, 400, 400),
    }
    EXPECTED[rf"api/v1/^{name}/(?P<pk>[0-9]+)/assign\.(?P<format>[a-z0-9]+)/?$"] = {
        "GET": ACTION_GET
    }
for name in ("claims", "verifications", "explainers"):
    EXPECTED[f"api/v1/^{name}/(?P<pk>[0-9]+)/notes/$"] = {
        "GET": STAFF_READ,
        "POST": roles(401, 400, 400, 400),
    }
    EXPECTED[rf"api/v1/^{name}/(?P<pk>[0-9]+)/notes\.(?P<format>[a-z0-9]+)/?$"] = {
        "GET": STAFF_READ
    }
# Revisions: desk staff only; publishing needs a kind (400 before anything else); discarding
# is for editors and the revision's author (the fact-checker).
STAFF_API = roles(401, 200, 200, 200)
EXPECTED["api/v1/^revisions/$"] = {"GET": STAFF_API, "POST": API_NO_POST}
EXPECTED[r"api/v1/^revisions\.(?P<format>[a-z0-9]+)/?$"] = {"GET": STAFF_API}
EXPECTED["api/v1/^revisions/(?P<pk>[0-9]+)/$"] = {"GET": STAFF_API, "POST": API_NO_POST}
EXPECTED[r"api/v1/^revisions/(?P<pk>[0-9]+)\.(?P<format>[a-z0-9]+)/?$"] = {"GET": STAFF_API}
REVISION_ACTIONS = {"publish": roles(401, 400, 400, 400), "discard": roles(401, 403, 200, 200)}
for action, post in REVISION_ACTIONS.items():
    EXPECTED[f"api/v1/^revisions/(?P<pk>[0-9]+)/{action}/$"] = {"GET": ACTION_GET, "POST": post}
    EXPECTED[rf"api/v1/^revisions/(?P<pk>[0-9]+)/{action}\.(?P<format>[a-z0-9]+)/?$"] = {
        "GET": ACTION_GET
    }
EXPECTED[r"api/v1/^claimreviews\.(?P<format>[a-z0-9]+)/?$"] = {"GET": READ}
# The whole ClaimReview feed as one file: public, read only.
EXPECTED["api/v1/claimreviews.jsonld"] = {"GET": READ, "POST": same(405)}


# --- walking the resolver ----------------------------------------------------------------


def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, name, pattern) of every URL pattern, includes flattened."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        else:
            assert isinstance(pattern, URLPattern)
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name, pattern


ADMIN_MODEL_ROUTE = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/(?P<page>.*)$")


def admin_model_page(route):
    """(model, page) when `route` is a standard page of a registered ModelAdmin."""
    match = ADMIN_MODEL_ROUTE.match(route)
    if not match:
        return None
    model = f"{match['app']}.{match['model']}"
    if model in ADMIN_MODELS and match["page"] in ADMIN_MODEL_PAGES:
        return model, match["page"]
    return None


def expectations(route):
    """{"GET": {role: expected}, "POST": {role: expected} or absent} for `route`, or None."""
    found = admin_model_page(route)
    if found:
        model, page = found
        get, post = ADMIN_MODEL_PAGES[page]
        return {"GET": get(model), **({"POST": post(model)} if post else {})}
    return EXPECTED.get(route)


def test_every_url_pattern_has_an_expectation():
    routes = [route for route, _, _ in url_patterns()]
    missing = [route for route in routes if expectations(route) is None]
    assert not missing, (
        "Say who may use these URLs: add them to EXPECTED (or ADMIN_MODELS) in "
        f"{__name__}:\n" + "\n".join(missing)
    )
    stale = set(EXPECTED) - set(routes)
    assert not stale, f"EXPECTED lists URLs the project no longer has: {sorted(stale)}"
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert registered == set(ADMIN_MODELS), registered ^ set(ADMIN_MODELS)


# --- concrete addresses ------------------------------------------------------------------


def api_object(world, route):
    """The object an API route with a pk acts on."""
    if "revisions" in route:
        return world.revision
    if "/submit" in route or "/reopen" in route or "/publish" in route or "/return" in route:
        return world.draft if "verifications" in route else world.explainer
    if "/unpublish" in route or "/corrections/" in route or "/corrections\\." in route:
        return world.explainer
    if "/archive" in route:
        return world.draft_evidence
    resource = route.split("^")[1].split("/")[0].split("\\")[0]
    return {
        "sources": world.source,
        "articles": world.article,
        "places": world.place,
        "claims": world.claim,
        "verifications": world.published,
        "evidence": world.evidence,
        "explainers": world.explainer,
        "corrections": world.correction,
    }[resource]


def admin_id(world, model):
    """The id the admin knows `world`'s object of `model` by (a token: its user's)."""
    obj = getattr(world, ADMIN_OBJECTS[model])
    return obj.user_id if model == "authtoken.tokenproxy" else obj.pk


# URL parameters whose value is the same for every route.
FIXED_VALUES = {
    "transition": "submit",
    "start": 0,
    "end": 10,
    "app_label": "claims",
    "format": "json",
    "dataset": "claims",
    "file_format": "csv",
    "section": "claims",
}


def object_id(route, found, world):
    """The object an admin page with `object_id` is about."""
    if found:
        return admin_id(world, found[0])
    for word, obj in (
        ("verification", world.draft),
        ("explainer", world.draft_explainer),
        ("article", world.article),
        ("revision", world.revision),
        ("evidence", world.draft_evidence),
    ):
        if word in route:
            return obj.pk
    return world.claim.pk


def url_value(param, route, found, world):
    """A value for the URL parameter `param` of `route`, from `world`'s objects."""
    from django.contrib.contenttypes.models import ContentType

    if param in FIXED_VALUES:
        return FIXED_VALUES[param]
    if param == "object_id":
        return object_id(route, found, world)
    if param == "pk":
        return world.claim.pk if route.startswith("claims/") else api_object(world, route).pk
    if param == "slug":
        return {
            "explainers/": world.explainer.slug,
            "claims/": world.claim.slug,
            "places/": world.place.slug,
            "sources/": world.source.slug,
        }[route.split("<")[0].split("-")[0]]
    values = {
        "version_id": lambda: getattr(world, ADMIN_OBJECTS[found[0]]).history.first().pk,
        "content_type_id": lambda: ContentType.objects.get_for_model(world.claim).pk,
        "id": lambda: world.user.pk,
        "kind": lambda: world.standing_page.kind,
        "name": lambda: world.draft_evidence.file.name,
    }
    if param not in values:
        raise AssertionError(f"no value for {param} in {route}")
    return values[param]()


def address(route, name, pattern, world):
    """A concrete URL for the pattern `route`, built from `world`'s objects."""
    found = admin_model_page(route)
    if found and name is None:  # the bare object address
        model, _ = found
        app, model_name = model.split(".")
        return f"/admin/{app}/{model_name}/{admin_id(world, model)}/"
    if name is None:
        return {
            "admin/(?P<url>.*)$": "/admin/no-such-page/",
            r"api/^[\s\S]*$": "/api/no-such-thing/",
            "api": "/api",
        }[route]
    params = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
    if found:
        params = set(re.findall(r"<(?:\w+:)?(\w+)>", route)) | params
    kwargs = {param: url_value(param, route, found, world) for param in params}
    url = reverse(name, kwargs=kwargs)
    if name == "site:claim-spelt-otherwise":  # reversed, it is the claim's own address
        url = url.replace("/claims/", "/claims/00", 1)
    return url


def check(response, expected, role):
    """A description of how `response` differs from `expected`, or None."""
    status = response.status_code
    location = response.headers.get("Location", "")
    if expected == "login":
        if status == 302 and location.startswith("/admin/login/"):
            return None
        return f"{status} {location}"
    if expected in ("refused", "done"):
        # The message this request added: the last one (earlier requests' messages may
        # still wait in the session, never displayed).
        levels = {m.level_tag for m in list(get_messages(response.wsgi_request))[-1:]}
        got = "refused" if "error" in levels else "done" if "success" in levels else levels
        if status == 302 and got == expected and not location.startswith("/admin/login/"):
            return None
        return f"{status} {location} {got}"
    if status != expected:
        return f"{status} {location} {response.content[:150]!r}"
    if status == 302 and role != "anonymous" and location.startswith("/admin/login/"):
        return f"{status} sent a logged-in user to log in: {location}"
    return None


def test_who_gets_what(world, role_clients):
    wrong, tried = [], 0
    patterns = list(url_patterns())
    for route, name, pattern in patterns:
        url = address(route, name, pattern, world)
        # ResolverMatch.route drops the "^" of regular-expression parts.
        assert resolve(url).route == route.replace("^", ""), f"{url} is not {route}"
        for method, expected_by_role in expectations(route).items():
            for role in ROLES:
                client = role_clients[role]
                with transaction.atomic():
                    if method == "GET":
                        response = client.get(url)
                    else:
                        response = _post(client, url)
                    transaction.set_rollback(True)
                tried += 1
                problem = check(response, expected_by_role[role], role)
                if problem:
                    wrong.append(
                        f"{method} {url} as {role}: expected {expected_by_role[role]}, "
                        f"got {problem}"
                    )
                if role != "anonymous" and "logout" in url:
                    client.force_login(world_user(role))
    print(f"\nURL access: {len(patterns)} URL patterns × {len(ROLES)} roles, {tried} requests")
    assert not wrong, "\n".join(wrong)


def world_user(role):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=role)


def _post(client, url):
    if url.startswith("/api/") and not url.startswith("/api/v1/auth/"):
        return client.post(url, data=json.dumps({}), content_type="application/json")
    return client.post(url, data={})
