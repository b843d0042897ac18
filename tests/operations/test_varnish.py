"""The front cache of docs/deploy.md, run for real: varnishd with the repository's VCL
(docs/varnish/claimsdesk.vcl, its backends file put to the live server) and the parameters
the document gives, in front of the live server, with FRONT_CACHE_PURGE_URLS pointed at it.

Readers share one cached copy of a page, compressed or not; the desk is passed through and
never served a cached page; a publish purges the pages showing what changed and no other; a
draft saved purges nothing; a purge from elsewhere, or a method the VCL does not know, is
refused.

Needs varnishd and its xkey module (`apt-get install varnish varnish-modules`); without them
the tests skip, or fail when REQUIRE_VARNISH=1 (as .ci/run sets).
"""

import gzip
import http.client
import os
import re
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import RequestFactory
from rest_framework.authtoken.models import Token

from claims import services, workflow
from claims.models import ExplainerClaim
from claims.web.cache import front
from claims.web.cache.store import page_key

from .. import factories
from ..network import free_port

ROOT = Path(__file__).resolve().parents[2]
VCL = ROOT / "docs" / "varnish" / "claimsdesk.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
XKEY = "libvmod_xkey.so"

# Once, on SQLite, when `make test` runs both databases (`one_database`): what is under test
# is the front cache and the keys the app sends it, which no database changes.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.one_database,
]


def missing(message):
    if os.environ.get("REQUIRE_VARNISH") == "1":
        pytest.fail(f"{message}; REQUIRE_VARNISH=1 says this test must run", pytrace=False)
    pytest.skip(message)


def deploy_parameters():
    """The `-p name=value` parameters of the varnishd command line in docs/deploy.md."""
    text = (ROOT / "docs" / "deploy.md").read_text()
    command = re.search(r"ExecStart=/usr/sbin/varnishd(.*?)```", text, re.S)
    assert command, "docs/deploy.md gives no varnishd command line (ExecStart=…)"
    parameters = re.findall(r"-p (\w+=\S+)", command.group(1))
    assert any(p.startswith("http_resp_hdr_len=") for p in parameters)
    return parameters


@contextmanager
def varnishd_in_front_of(live_server, workdir, django_db_blocker):
    """varnishd on a free port with the repository's VCL and docs/deploy.md's parameters, in
    front of the live server, only this machine's 127.0.0.1 allowed to purge (files in
    `workdir`): its port, until the block ends.

    Its probe asks the live server's /readyz every 2 s, which reads the database, whether
    or not a test is running: pytest-django's guard against database access is lifted for the
    block (else the probe gets a 500 between tests, and Varnish takes the app for unready)."""
    if not os.access(VARNISHD, os.X_OK):
        missing("needs varnishd (apt-get install varnish varnish-modules)")
    if not list(Path("/usr/lib").glob(f"*/varnish/vmods/{XKEY}")):
        missing("needs Varnish's xkey module (apt-get install varnish-modules)")
    backend_port = int(live_server.url.rsplit(":", 1)[1])
    site = workdir / "vcl"
    site.mkdir()
    # The test's part of the VCL, in place of docs/varnish/backends.vcl: one app server (the
    # live server), and only this machine's 127.0.0.1 may purge.
    (site / "backends.vcl").write_text(
        f'backend live {{ .host = "127.0.0.1"; .port = "{backend_port}"; .probe = ready; }}\n'
        "sub vcl_init { app.add_backend(live); }\n"
        'acl purgers { "127.0.0.1"; }\n'
    )
    port = free_port()
    command = [VARNISHD, "-F", "-j", "none", "-T", "none", "-n", str(workdir / "work")]
    command += ["-a", f"127.0.0.1:{port}", "-f", str(VCL), "-s", "malloc,64m"]
    command += ["-p", f"vcl_path={site}:/etc/varnish:/usr/share/varnish/vcl"]
    for parameter in deploy_parameters():
        command += ["-p", parameter]
    with django_db_blocker.unblock():
        server = subprocess.Popen(  # noqa: S603 # varnishd, with the repository's VCL
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if get(port, "/healthz")[0].status == 200:
                        break
                except OSError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    output = server.stdout.read().decode()
                    raise AssertionError(f"varnishd did not start: {output[-3000:]}")
                time.sleep(0.1)
            yield port
        finally:
            server.terminate()
            server.wait(timeout=20)


@pytest.fixture
def varnish(live_server, settings, tmp_path, django_db_blocker):
    """varnishd on a free port in front of the live server, purged by the desk; its port."""
    with varnishd_in_front_of(live_server, tmp_path, django_db_blocker) as port:
        settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{port}/"]
        cache.clear()
        try:
            yield port
        finally:
            front.wait_for_purges(10)


def request(port, method, path, headers=None, source="127.0.0.1"):
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=20, source_address=(source, 0)
    )
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def get(port, path, **headers):
    return request(port, "GET", path, {name.replace("_", "-"): v for name, v in headers.items()})


def cached(port, path, **headers):
    """Whether Varnish answers `path` from its cache."""
    return get(port, path, **headers)[0].getheader("X-Cache") == "HIT"


def warmed(port, *paths):
    """Ask for each of `paths` until Varnish serves it from its cache (after every purge asked
    for so far has been sent, the second round of each included)."""
    assert front.wait_for_purges(10)
    for path in paths:
        get(port, path)
        assert cached(port, path), f"{path} is not kept by the front cache"


@pytest.fixture
def published(live_server, claim, publish_verification):
    """`claim`, published, its page naming its surrogate keys and front TTL as Varnish needs
    them (claims/web/cache/keys.py)."""
    publish_verification(claim)
    response, _ = get_direct(live_server, claim.get_absolute_url())
    keys = response.getheader(django_settings.SURROGATE_KEY_HEADER, "").split()
    assert f"claim-{claim.pk}" in keys and "all" in keys
    assert response.getheader("Surrogate-Control").startswith("max-age=")
    return claim


def get_direct(live_server, path):
    host, port = live_server.url.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=20)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def live_explainer_showing(claim, factchecker, editor):
    """A live explainer with `claim` in it, published through the workflow."""
    explainer = factories.ExplainerFactory(title="Why Toretsk matters", slug="why-toretsk")
    ExplainerClaim.objects.create(explainer=explainer, claim=claim, position=0)
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    return workflow.explainer_publish(explainer=explainer, by=editor)


def test_a_reader_page_is_rendered_once_then_served_by_varnish_compressed_or_plain(
    varnish, published, claim
):
    page = claim.get_absolute_url()
    response, body = get(varnish, page, Accept_Encoding="gzip")
    assert response.status == 200
    assert response.getheader("X-Cache") == "MISS"
    assert response.getheader("Content-Encoding") == "gzip"
    readable = gzip.decompress(body).decode()
    assert claim.statement in readable

    again, body = get(varnish, page, Accept_Encoding="gzip, deflate, br")
    assert again.getheader("X-Cache") == "HIT"
    assert int(again.getheader("Age")) >= 0
    assert gzip.decompress(body).decode() == readable
    # A client that takes no gzip is sent the same page, plain, from the same copy.
    plain, body = get(varnish, page)
    assert plain.getheader("X-Cache") == "HIT"
    assert plain.getheader("Content-Encoding") is None
    assert body.decode() == readable
    # Stray cookies (a CSRF cookie from the submission form) do not split the cache.
    assert cached(varnish, page, Cookie="csrftoken=abc; _pk_id=1")
    # The keys and the front TTL are the cache's own; browsers get the app's Cache-Control.
    assert again.getheader(django_settings.SURROGATE_KEY_HEADER) is None
    assert again.getheader("Surrogate-Control") is None
    assert "public" in again.getheader("Cache-Control")
    debug, _ = get(varnish, page, X_Cache_Debug="1")
    assert f"claim-{claim.pk}" in debug.getheader("xkey").split()


def test_the_desk_is_passed_through_never_cached_and_never_served_a_cached_page(
    varnish, published, claim, client, editor
):
    page = claim.get_absolute_url()
    warmed(varnish, page)
    client.force_login(editor)
    session = f"sessionid={client.cookies['sessionid'].value}"

    for _ in range(2):
        response, body = get(varnish, page, Cookie=session)
        assert response.getheader("X-Cache") == "MISS"
        assert "no-store" in response.getheader("Cache-Control")
        assert response.getheader("X-Reader-Cache") is None  # rendered for the editor
        admin, _ = get(varnish, "/admin/", Cookie=session)
        assert admin.status == 200
        assert admin.getheader("X-Cache") == "MISS"
    # Nothing the editor was shown was kept for readers.
    reader, body = get(varnish, "/admin/")
    assert reader.status == 302
    assert cached(varnish, page)


def test_a_published_verdict_purges_the_pages_showing_the_claim_and_no_other(
    varnish, published, claim, publish_verification, factchecker, editor
):
    other = factories.SourceFactory(name="Ukrainian 100th Brigade")
    unaffected = factories.ClaimFactory(
        statement="The brigade says it holds the station", claimant=other
    )
    publish_verification(unaffected, verdict="likely_true")
    explainer = live_explainer_showing(claim, factchecker, editor)
    front.wait_for_purges(10)
    pages = [claim.get_absolute_url(), explainer.get_absolute_url(), "/"]
    warmed(varnish, *pages, unaffected.get_absolute_url())

    publish_verification(claim, verdict="false", rationale="The photo is from 2019.")
    assert front.wait_for_purges(10)

    response, body = get(varnish, claim.get_absolute_url())
    assert response.getheader("X-Cache") == "MISS"
    assert "The photo is from 2019." in body.decode()
    response, body = get(varnish, explainer.get_absolute_url())
    assert response.getheader("X-Cache") == "MISS"
    assert "The photo is from 2019." in body.decode()  # the claim's card, with its verdict
    assert get(varnish, "/")[0].getheader("X-Cache") == "MISS"
    assert cached(varnish, unaffected.get_absolute_url())


def test_api_reads_are_kept_for_consumers_and_purged_with_what_they_show(
    varnish, published, claim, editor, publish_verification
):
    feed, one = "/api/v1/claimreviews/", f"/api/v1/claims/{claim.pk}/"
    warmed(varnish, feed, one)
    first_one = get(varnish, one)[1]
    # A consumer with a token (desk staff see drafts) is passed to the app, and its answer
    # is never kept for anyone else.
    token = Token.objects.create(user=editor).key
    for _ in range(2):
        response, _ = get(varnish, one, Authorization=f"Token {token}")
        assert response.getheader("X-Cache") == "MISS"
        assert "private" in response.getheader("Cache-Control")
    # A search is the app's to answer each time (it keeps none of the API's).
    get(varnish, "/api/v1/claims/?search=Toretsk")
    assert not cached(varnish, "/api/v1/claims/?search=Toretsk")

    publish_verification(claim, verdict="false", rationale="The photo is from 2019.")
    assert front.wait_for_purges(10)
    response, body = get(varnish, feed)
    assert response.getheader("X-Cache") == "MISS"
    assert "The photo is from 2019." in body.decode()  # the review's text
    response, body = get(varnish, one)
    assert response.getheader("X-Cache") == "MISS"
    assert '"false"' in body.decode() and '"false"' not in first_one.decode()


def test_a_copy_served_while_another_worker_renders_is_not_kept_by_varnish(
    varnish, published, claim, publish_verification, settings
):
    settings.READER_STALE_SECONDS = 30  # the front purges take over a second
    page = claim.get_absolute_url()
    warmed(varnish, page)
    publish_verification(claim, verdict="false", rationale="The photo is from 2019.")
    assert front.wait_for_purges(10)
    # Another app server has claimed the page's render and not finished it: this one answers
    # Varnish with the copy it holds, which Varnish hands on and does not keep.
    request = RequestFactory().get(page, HTTP_HOST=f"127.0.0.1:{varnish}")
    claim_key = f"{page_key(request)}:rendering"
    assert cache.add(claim_key, "another app server", timeout=30)
    response, body = get(varnish, page)
    assert response.getheader("X-Reader-Cache") == "stale"
    assert "The photo is from 2019." not in body.decode()
    assert response.getheader("Cache-Control") == "no-cache"
    cache.delete(claim_key)  # rendered
    response, body = get(varnish, page)
    assert response.getheader("X-Cache") == "MISS"  # the stale answer was not kept
    assert "The photo is from 2019." in body.decode()
    assert cached(varnish, page)


def test_a_draft_saved_purges_nothing(
    varnish, published, claim, reporter, factchecker, publish_verification
):
    pages = [claim.get_absolute_url(), "/", "/claims/"]
    warmed(varnish, *pages)

    draft_claim = services.record_save(
        obj=factories.ClaimFactory.build(
            statement="A draft claim nobody may see yet", claimant=claim.claimant
        ),
        by=reporter,
    )
    draft_claim.statement = "A draft claim nobody may see yet, edited"
    services.record_save(obj=draft_claim, by=reporter)
    draft = workflow.verification_create(
        claim=claim, by=factchecker, verdict="false", rationale="Still checking."
    )
    draft.rationale = "Still checking, with the mayor."
    services.verification_save(verification=draft, by=factchecker)
    assert front.wait_for_purges(10)

    for page in pages:
        response, body = get(varnish, page)
        assert response.getheader("X-Cache") == "HIT", page
        assert "A draft claim" not in body.decode()
    # The purge path works: what readers see changing is purged.
    publish_verification(claim, verdict="false")
    assert front.wait_for_purges(10)
    assert not cached(varnish, claim.get_absolute_url())


def test_a_purge_from_elsewhere_or_by_another_method_is_refused(varnish, published, claim):
    page = claim.get_absolute_url()
    warmed(varnish, page)
    keys = {"xkey-purge": f"claim-{claim.pk} all"}

    outsider, body = request(varnish, "PURGE", "/", keys, source="127.0.0.2")
    assert outsider.status == 403
    through_the_terminator, _ = request(
        varnish, "PURGE", "/", {**keys, "X-Forwarded-Proto": "https"}
    )
    assert through_the_terminator.status == 403
    assert request(varnish, "BAN", "/", keys)[0].status == 405
    assert request(varnish, "PURGE", "/")[0].status == 400
    assert cached(varnish, page)

    allowed, body = request(varnish, "PURGE", "/", keys)
    assert allowed.status == 200
    assert body.decode().startswith("Purged ")
    assert int(body.decode().split()[1]) >= 1
    assert not cached(varnish, page)


def test_static_files_are_kept_for_as_long_as_their_cache_control_says(varnish):
    first, body = get(varnish, "/static/site/site.css")
    assert first.status == 200
    assert first.getheader("X-Cache") == "MISS"
    again, same = get(varnish, "/static/site/site.css", Cookie="csrftoken=abc")
    assert again.getheader("X-Cache") == "HIT"
    assert same == body


def test_one_page_is_kept_once_however_its_address_is_written(varnish, published, claim):
    """Campaign and click tags are dropped before Varnish looks (the page kept answers a
    shared link); any other spelling the page does not read is answered with the page, from
    the app's cache, and not kept: endless spellings cannot fill the front cache."""
    page = claim.get_absolute_url()
    warmed(varnish, page)
    _, own = get(varnish, page)
    for tagged in (f"{page}?utm_source=newsletter&utm_medium=email", f"{page}?fbclid=IwAR0"):
        response, body = get(varnish, tagged)
        assert response.getheader("X-Cache") == "HIT", tagged
        assert body == own
    for spelling in (f"{page}?x=1", f"{page}?page=2", f"{page}?utm_source=a&x=1"):
        for _ in range(2):
            response, body = get(varnish, spelling)
            assert response.status == 200
            assert response.getheader("X-Cache") == "MISS", spelling
            assert body == own
    # A list's pages and filters are pages of their own, kept under their own spelling.
    listed = "/claims/?verdict=unconfirmed"
    warmed(varnish, listed)
    assert not cached(varnish, "/claims/?verdict=unconfirmed&x=1")
