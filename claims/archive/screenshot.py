"""A full-page screenshot of a captured page, in the server's own Chromium (Playwright drives
it), drawn from the bytes the desk fetched, never from a browser loose on the network.

An evidence page is hostile until proven otherwise, and a browser loading it would fetch
whatever it names (images on the newsroom's own network, a cloud's metadata address) and
draw it into a picture readers then see. So the browser gets no network of its own: every
request it makes is answered by the desk, the page itself from the bytes already fetched
(those the WARC file keeps) and each image, style sheet or frame it needs through the
import's fetcher (`claims.ingest.fetch.fetch_url`: public addresses only, a size limit, a
deadline), within a budget of requests and bytes; anything else is refused. Chromium is
also told that no name resolves and that every connection goes to a proxy that is not there,
so a request that somehow escaped the desk's answer would fail. The page's scripts do not
run: the screenshot shows what its HTML and styles draw. What the browser loaded goes into
the WARC file too, so the archive replays with its images and styles.

Playwright runs in a thread of its own, which the capture waits for no longer than its time:
its event loop and context stay out of the request's thread (and out of Django's database
connections).
"""

import os
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from claims.ingest.errors import IngestError
from claims.ingest.fetch import fetch_url

from .warc import Exchange, kept_headers

VIEWPORT = {"width": 1280, "height": 900}
# A quiet headless Chromium: no GPU, no updates or sync, no first-run pages; a container's
# small shared memory left alone (/tmp instead). The browser tests start it the same way.
HEADLESS_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--mute-audio",
]
CHROMIUM_ARGS = [
    *HEADLESS_ARGS,
    # No network but the desk's answers (the module's docstring).
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
]


class ScreenshotFailed(Exception):
    """No screenshot; the message says why, for the desk."""


@dataclass
class Screenshot:
    png: bytes
    # What the browser loaded for the page, through the fetcher (the page itself not included).
    loaded: list = field(default_factory=list)


def chromium():
    """The Chromium to take screenshots with (EVIDENCE_ARCHIVE_CHROMIUM), or None."""
    path = settings.EVIDENCE_ARCHIVE_CHROMIUM
    if not path or not os.access(path, os.X_OK):
        return None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return None
    return path


def take(page, *, seconds, max_height, max_requests, max_bytes, fetch_seconds):
    """A screenshot of `page` (a `Fetched` web page) at most `max_height` pixels tall, taken
    within `seconds`; raises ScreenshotFailed."""
    path = chromium()
    if path is None:
        raise ScreenshotFailed("Chromium is not installed on the server")
    outcome = {}
    limits = _Limits(
        ends=time.monotonic() + seconds,
        requests=max_requests,
        bytes=max_bytes,
        fetch_seconds=fetch_seconds,
    )
    worker = threading.Thread(
        target=_run, args=(path, page, limits, max_height, outcome), daemon=True
    )
    worker.start()
    worker.join(seconds + 5)  # starting and closing the browser come on top
    if worker.is_alive():
        limits.ends = 0  # the browser's remaining requests are refused
        raise ScreenshotFailed(f"the page could not be drawn within {seconds:g} seconds")
    if "error" in outcome:
        raise ScreenshotFailed(outcome["error"])
    return outcome["shot"]


@dataclass
class _Limits:
    ends: float
    requests: int
    bytes: int
    fetch_seconds: float

    def left(self):
        return self.ends - time.monotonic()


def _run(path, page, limits, max_height, outcome):
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    args = [*CHROMIUM_ARGS, *(["--no-sandbox"] if os.geteuid() == 0 else [])]
    shot = Screenshot(png=b"")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=path,
                headless=True,
                args=args,
                timeout=max(limits.left(), 1) * 1000,
            )
            try:
                context = browser.new_context(
                    java_script_enabled=False,
                    viewport=VIEWPORT,
                    service_workers="block",
                    accept_downloads=False,
                )
                answer = _Answer(page, limits, shot.loaded)
                context.route("**/*", answer)
                tab = context.new_page()
                try:
                    tab.goto(page.url, wait_until="load", timeout=max(limits.left(), 1) * 1000)
                except PlaywrightTimeout:
                    pass  # draw what has arrived
                if not answer.page_served:
                    raise ScreenshotFailed("the browser did not ask for the page")
                height = min(
                    max(tab.evaluate("document.documentElement.scrollHeight"), 1), max_height
                )
                shot.png = tab.screenshot(
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height},
                    timeout=max(limits.left(), 2) * 1000,
                )
            finally:
                browser.close()
    except ScreenshotFailed as failed:
        outcome["error"] = str(failed)
    except PlaywrightTimeout:
        outcome["error"] = "the page could not be drawn in time"
    except PlaywrightError as error:
        outcome["error"] = f"the browser failed ({str(error).splitlines()[0][:200]})"
    else:
        outcome["shot"] = shot


class _Answer:
    """What the browser gets for each request: the captured page for its first navigation,
    and everything else through the fetcher, while the limits allow; never the network."""

    def __init__(self, page, limits, loaded):
        self.page, self.limits, self.loaded = page, limits, loaded
        self.page_served = False
        self.fetched = {}

    def __call__(self, route):
        request = route.request
        if request.is_navigation_request() and request.frame.parent_frame is None:
            if self.page_served:  # a refresh or redirect away from the captured page
                route.abort("blockedbyclient")
                return
            self.page_served = True
            _fulfil(route, self.page)
            return
        fetched = self._fetch(request.url)
        if fetched is None:
            route.abort("blockedbyclient")
        else:
            _fulfil(route, fetched)

    def _fetch(self, url):
        if url in self.fetched:
            return self.fetched[url]
        left = self.limits.left()
        if (
            not url.startswith(("http://", "https://"))
            or left <= 0
            or self.limits.requests <= 0
            or self.limits.bytes <= 0
        ):
            return None
        self.limits.requests -= 1
        try:
            fetched = fetch_url(
                url,
                timeout=min(left, self.limits.fetch_seconds),
                max_bytes=self.limits.bytes,
                accept=None,
            )
        except IngestError:
            fetched = None
        else:
            self.limits.bytes -= len(fetched.data)
            self.loaded.append(Exchange(fetched, timezone.now()))
        self.fetched[url] = fetched
        return fetched


def _fulfil(route, fetched):
    route.fulfill(
        status=fetched.status,
        headers=dict(kept_headers(fetched)),
        body=fetched.data,
    )
