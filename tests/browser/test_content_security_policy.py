"""The site, the desk and the API docs work in a real browser under the Content-Security-
Policy: headless Chromium (the shared `chromium` fixture of tests/browser/conftest.py) loads
them from a live server and reports no policy violation and no script error.

These tests keep their own console log rather than the `browse` fixture's guard: the policy
blocking Redoc's hard-coded CDN logo is the expected outcome here, not a failure.
"""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from claims.devtools import demo
from claims.models import Claim, Explainer, Verification

# The live server answers from another thread, so the data is committed; the roles the
# migrations made are put back afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def is_policy_violation(text):
    return "Content Security Policy" in text or "Content-Security-Policy" in text


class BrowserLog:
    """What a page told the console (policy violations, errors, uncaught exceptions) and
    which of its requests failed."""

    # Browsers ask for it whether a page names one or not; the site has none.
    IGNORED_MISSING = ("/favicon.ico",)

    # Run by the browser itself in every page before the page's own scripts (so not subject
    # to the page's policy): each violation's details, which the console message lacks.
    REPORT_VIOLATIONS = """
        document.addEventListener("securitypolicyviolation", (e) => console.warn(
            "Content Security Policy violation: " + JSON.stringify({
                directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample,
                source: e.sourceFile, line: e.lineNumber, element: e.target && e.target.outerHTML
                    && e.target.outerHTML.slice(0, 200),
            })));
    """

    def __init__(self, page):
        self.violations = []
        self.errors = []
        page.add_init_script(self.REPORT_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("response", self._response)

    def _console(self, message):
        where = message.location or {}
        text = f"{message.text} (at {where.get('url')}:{where.get('lineNumber')})"
        if is_policy_violation(message.text):
            self.violations.append(text)
        elif message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(text)

    def _response(self, response):
        if response.status >= 400 and not response.url.endswith(self.IGNORED_MISSING):
            self.errors.append(f"{response.status} {response.url}")


@pytest.fixture
def demo_site(live_server):
    """The demo desk on a live server: the addresses to visit, and an editor's session."""
    call_command("load_demo", stdout=StringIO())
    claim = Claim.objects.get(slug=demo.CAPTURE_CLAIM)
    explainer = Explainer.objects.get(slug="why-toretsk-matters")
    verification = Verification.objects.filter(claim=claim).order_by("pk").first()
    reader_pages = [
        "/",
        explainer.get_absolute_url(),
        claim.get_absolute_url(),
        (explainer.places.first()).get_absolute_url(),
        reverse("site:search") + "?q=Toretsk",
        reverse("site:methodology"),
        reverse("site:submit"),
        reverse("admin:login"),
        reverse("api:docs"),
        reverse("api:redoc"),
    ]
    desk_pages = [
        reverse("admin:index"),
        reverse("admin:claims_claim_changelist"),
        reverse("admin:claims_claim_change", args=[claim.pk]),
        reverse("admin:claims_claim_add"),
        reverse("admin:claims_verification_change", args=[verification.pk]),
        reverse("admin:claims_explainer_change", args=[explainer.pk]),
        reverse("api:claim-list"),
    ]
    client = Client()
    reader_policy = client.get("/")["Content-Security-Policy"]
    client.force_login(get_user_model().objects.get(username="editor"))
    return SimpleNamespace(
        url=live_server.url,
        reader_pages=reader_pages,
        desk_pages=desk_pages,
        session=client.cookies[settings.SESSION_COOKIE_NAME].value,
        reader_policy=reader_policy,
    )


def visit(context, url, checks=()):
    page = context.new_page()
    log = BrowserLog(page)
    response = page.goto(url, wait_until="networkidle")
    assert response.status == 200, (url, response.status)
    for selector in checks:
        page.wait_for_selector(selector, timeout=15_000)
    # Let late scripts (the docs render after fetching the schema) finish.
    page.wait_for_timeout(300)
    page.close()
    return log


# Redoc's side menu shows Redocly's logo from their CDN, hard-coded: the policy blocks it, as
# it should (the docs load nothing from elsewhere), and Redoc leaves the image out.
EXPECTED_BLOCKS = {"/api/redoc/": "https://cdn.redoc.ly/redoc/logo-mini.svg"}

# What shows that a page's scripts ran, not merely that nothing was reported.
SCRIPTS_RAN = {
    "/api/docs/": [".opblock"],  # Swagger UI listed the operations from the schema
    "/api/redoc/": ["[role=menuitem]"],  # Redoc built its side menu
}


def test_pages_load_in_chromium_without_policy_violations(demo_site, chromium):
    problems = {}

    def note(path, log):
        expected = EXPECTED_BLOCKS.get(path)
        found = [v for v in log.violations if not (expected and expected in v)] + log.errors
        if found:
            problems[path] = found

    readers = chromium.new_context()
    for path in demo_site.reader_pages:
        note(path, visit(readers, demo_site.url + path, SCRIPTS_RAN.get(path, ())))
    readers.close()

    desk = chromium.new_context()
    desk.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": demo_site.session, "url": demo_site.url}]
    )
    for path in demo_site.desk_pages:
        note(path, visit(desk, demo_site.url + path, ["#content, .content-main, .container"]))
    desk.close()

    assert problems == {}


def test_the_admins_scripts_run_under_the_policy(demo_site, chromium):
    """The claim form's live "similar claims" list is filled by our own script file."""
    base = demo_site.url
    context = chromium.new_context()
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": demo_site.session, "url": base}]
    )
    page = context.new_page()
    log = BrowserLog(page)
    page.goto(base + reverse("admin:claims_claim_add"), wait_until="networkidle")
    page.fill("#id_statement", "Russia says it captured Toretsk")
    page.wait_for_selector("#desk-similar-claims li a", timeout=15_000)
    context.close()
    assert log.violations == [] and log.errors == []


def test_an_inline_script_without_the_nonce_is_blocked_and_reported(demo_site, chromium):
    """The check above can fail: a page under our policy with an inline script lacking the
    nonce (what an injected script would look like) is reported, and the script never runs."""
    base, policy = demo_site.url, demo_site.reader_policy
    injected = (
        "<!doctype html><title>x</title>"
        "<script>document.title = 'ran'</script>"
        '<img src="/missing.png" onerror="document.title = \'ran\'">'
        '<a id="link" href="javascript:document.title=\'ran\'">link</a>'
    )
    context = chromium.new_context()
    page = context.new_page()
    page.route(
        base + "/injected/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": policy},
            body=injected,
        ),
    )
    log = BrowserLog(page)
    page.goto(base + "/injected/", wait_until="networkidle")
    page.click("#link")
    page.wait_for_timeout(300)
    title = page.title()
    context.close()
    assert title == "x"
    assert len(log.violations) >= 3, log.violations
