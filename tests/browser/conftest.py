"""Headless Chromium driving the live server, for every test under tests/browser/.

The browser is Debian's `chromium` (/usr/bin/chromium), driven by Playwright for Python;
Playwright's own browser download is never attempted. One browser is started per test
process (session scope, so once per xdist worker) and each test gets its own browser
context: no cookie, storage or cache crosses tests.

Without Chromium the tests skip, saying why; with `REQUIRE_BROWSER=1` (set by .ci/run) they
fail instead, so CI cannot pass without having run them.

Every context is guarded (`BrowserGuard`): a console error, an uncaught script error, a
failed request, an HTTP status of 400 or more that the test did not announce, or a request
to any host but the live server fails the test that caused it.

Test modules here mark their tests `django_db(transaction=True, serialized_rollback=True)`:
the live server answers from another thread, so the data must be committed; the flush after
each such test would otherwise leave the next tests of the worker without what the
migrations made (roles, content types, standing pages). tests/conftest.py refuses a
transactional test without `serialized_rollback`.
"""

import os
from io import StringIO
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections

from claims.archive.screenshot import HEADLESS_ARGS
from claims.devtools import demo
from claims.models import Claim, Explainer, Verification

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", *HEADLESS_ARGS]  # as the evidence archive starts it
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
# What the factories give every user (tests/factories.py).
PASSWORD = "correct horse battery"


def browser_unavailable(reason):
    """Skip, or fail when the run requires the browser (`REQUIRE_BROWSER=1`, as in CI)."""
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason}; REQUIRE_BROWSER=1 says the browser tests must run", pytrace=False)
    pytest.skip(f"{reason} (set REQUIRE_BROWSER=1 to make this a failure)")


@pytest.fixture(scope="session")
def chromium(django_db_setup):
    """The system's Chromium, headless, started once per test process (after the test
    database is set up)."""
    if not os.access(CHROMIUM, os.X_OK):
        browser_unavailable(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("needs playwright (pip install -e '.[dev]')")
    # Playwright's sync API keeps an asyncio event loop on this thread while the browser
    # runs, and Django refuses ORM calls from a thread with a running loop. Our ORM calls
    # never run inside a coroutine (the loop only runs while Playwright waits), so tell
    # Django so while the browser lives. (tests/operations/test_deploy.py keeps the variable
    # out of the production processes it starts.)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Starting Playwright also leaves this thread in another contextvars context, where
    # Django's connection handler (an asgiref Local) would open new connections: not the
    # ones the test database setup prepared, which carry the serialized copy that
    # `serialized_rollback` restores. The migrations' data (roles, standing pages) would
    # then be gone after the first transactional test. Keep using the same connections.
    prepared = {alias: connections[alias] for alias in connections}

    def keep_prepared_connections():
        for alias, connection in prepared.items():
            connections[alias] = connection

    try:
        with sync_playwright() as playwright:
            keep_prepared_connections()
            # launch() always starts Chromium on a fresh, empty user-data dir (a temporary
            # folder Playwright makes and removes afterwards); never a developer's profile.
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        keep_prepared_connections()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class BrowserGuard:
    """Records what must never happen while a test browses: console errors, uncaught
    script errors, failed requests, unexpected HTTP errors, and requests to other hosts
    (which are aborted before they leave the browser)."""

    def __init__(self, context, base_url):
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
        self.problems = []
        self.expected = {}  # path (with query) -> the error status the test announced
        context.route(lambda url: not self._local(url), self._abort_foreign)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.problems.append(f"script error: {error.error}"))
        context.on("requestfailed", self._request_failed)
        context.on("response", self._response)

    def expect_status(self, path, status):
        """Say that `path` is meant to answer `status` (a 404 for a draft, say)."""
        self.expected[path] = status

    def _local(self, url):
        return url.startswith(self.origin + "/") or url.startswith(("data:", "blob:", "about:"))

    def _path(self, url):
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _abort_foreign(self, route):
        self.problems.append(f"request to another host: {route.request.url}")
        route.abort("blockedbyclient")

    def _console(self, message):
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if message.text.startswith("Failed to load resource") and (
            self._path(url) in self.expected or not self._local(url)
        ):
            return  # announced, or reported already as a request to another host
        self.problems.append(f"console error: {message.text} (at {url})")

    def _request_failed(self, request):
        # net::ERR_ABORTED is the browser dropping a request it no longer needs, such as an
        # image still loading when the test clicks through to the next page; the server's
        # own failures arrive as responses (HTTP 4xx/5xx, below).
        if self._local(request.url) and request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response):
        path = self._path(response.url)
        if response.status >= 400 and self.expected.get(path) != response.status:
            self.problems.append(f"HTTP {response.status}: {path}")


@pytest.fixture
def browse(chromium, live_server):
    """Open guarded browser contexts on the live server: `browse()` gives a new page in a
    new context (pass Playwright context options such as `viewport`); `browse.login(page,
    user)` logs in through the desk's login form. Every context's guard is checked when the
    test ends."""
    cache.clear()  # anonymous pages cached by an earlier test must not be served
    opened = []

    def new_page(**options):
        context = chromium.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(15_000)
        guard = BrowserGuard(context, live_server.url)
        opened.append((context, guard))
        page = context.new_page()
        page.guard = guard
        return page

    def login(page, user, password=PASSWORD):
        page.goto("/admin/login/?next=/admin/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")
        assert page.locator("#logout-form").count() == 1, "the login did not succeed"

    yield Browse(new_page, login, live_server.url)
    problems = []
    for context, guard in opened:
        problems += guard.problems
        context.close()
    cache.clear()
    assert not problems, "the browser saw:\n" + "\n".join(problems)


class Browse:
    """What the `browse` fixture gives: call it for a page; `login`, `url` (the server's)."""

    def __init__(self, new_page, login, url):
        self._new_page, self.login, self.url = new_page, login, url

    def __call__(self, **options):
        return self._new_page(**options)


@pytest.fixture
def demo_desk(live_server):
    """The demo desk (`manage.py load_demo`), with the addresses of its main pages and its
    editor. What the README's screenshots show, and realistic pages for axe and layout
    checks."""
    call_command("load_demo", stdout=StringIO())
    claim = Claim.objects.get(slug=demo.CAPTURE_CLAIM)
    explainer = Explainer.objects.get(slug="why-toretsk-matters")
    verification = Verification.objects.filter(claim=claim).order_by("pk").first()
    editor = get_user_model().objects.get(username="editor")
    editor.set_password(PASSWORD)
    editor.save()
    return SimpleNamespace(
        editor=editor,
        claim=claim,
        explainer=explainer,
        verification=verification,
        unpublished=Verification.objects.exclude(status=Verification.Status.PUBLISHED).first(),
        home="/",
        explainer_path=explainer.get_absolute_url(),
        claim_path=claim.get_absolute_url(),
        place_path=(claim.places.get(slug="toretsk")).get_absolute_url(),
        source_path=claim.claimant.get_absolute_url(),
    )
