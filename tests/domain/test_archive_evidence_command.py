"""`manage.py archive_evidence --user …`: every unarchived piece of evidence that a published
verification cites gets the desk's copy; each result is reported; any failure makes the
command exit non-zero and leaves that evidence as it was."""

import io

import pytest
from django.core.management import CommandError, call_command

from claims import services
from claims.models import EvidenceCapture

from .. import factories
from ..archives import PAGE, SITE_URL
from ..ingest.conftest import respond

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _public_address_and_no_browser(settings):
    settings.SITE_URL = SITE_URL
    settings.EVIDENCE_ARCHIVE_CHROMIUM = ""


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    failed = None
    try:
        call_command("archive_evidence", *args, stdout=out, stderr=err)
    except CommandError as error:
        failed = str(error)
    return out.getvalue(), err.getvalue(), failed


@pytest.fixture
def desk(claim, web_server, publish_verification, reporter):
    """Published evidence at two addresses that answer and one that does not; evidence only a
    draft cites; published evidence without an address; published evidence archived already."""
    web_server.routes["/one"] = respond(body=PAGE)
    web_server.routes["/two"] = respond(body=PAGE)
    make = factories.EvidenceFactory
    one = make(claim=claim, url=web_server.url("/one"))
    two = make(claim=claim, url=web_server.url("/two"))
    gone = make(claim=claim, url=web_server.url("/gone"))
    no_address = make(claim=claim, url="")
    done = make(claim=claim, url=web_server.url("/one"))
    draft_only = make(claim=claim, url=web_server.url("/two"))
    services.evidence_archive(evidence=done, by=reporter)
    publish_verification(claim, evidence=[one, two, gone, no_address, done])
    return {"one": one, "two": two, "gone": gone, "draft_only": draft_only, "done": done}


def test_it_archives_the_published_evidence_not_yet_archived_and_reports_each(desk, web_server):
    web_server.routes["/gone"] = respond(body=PAGE)

    out, err, failed = run("--user", "reporter")

    assert failed is None, err
    assert f"archived  evidence {desk['one'].pk}: Archived {desk['one'].url} (HTTP 200)" in out
    assert f"archived  evidence {desk['two'].pk}:" in out
    assert out.strip().endswith("Archived 3, failed 0.")
    for key in ("one", "two", "gone"):
        desk[key].refresh_from_db()
        assert desk[key].captures.count() == 1
        assert desk[key].archived_url.startswith(SITE_URL + "/files/archive/")
    assert desk["done"].captures.count() == 1  # not archived twice
    assert not desk["draft_only"].captures.exists()  # readers do not see it
    assert {c.captured_by.username for c in EvidenceCapture.objects.all()} == {"reporter"}


def test_a_failure_is_reported_the_rest_archived_and_the_exit_status_is_not_zero(desk):
    out, err, failed = run("--user", "reporter")

    assert failed == "1 of 3 pieces of evidence failed."
    assert f"failed    evidence {desk['gone'].pk}: Could not archive {desk['gone'].url}" in err
    assert "HTTP 404 Not Found" in err
    assert out.strip().endswith("Archived 2, failed 1.")
    desk["gone"].refresh_from_db()
    assert desk["gone"].archived_url == "" and not desk["gone"].captures.exists()


def test_a_dry_run_lists_what_it_would_archive_and_fetches_nothing(desk, web_server):
    fetched = len(web_server.requests)

    out, _, failed = run("--user", "reporter", "--dry-run")

    assert failed is None
    assert f"would archive  evidence {desk['one'].pk}: {desk['one'].url}" in out
    assert out.strip().endswith("3 to archive.")
    assert len(web_server.requests) == fetched
    assert EvidenceCapture.objects.count() == 1


def test_it_needs_a_user_who_may_change_evidence(desk, web_server):
    fetched = len(web_server.requests)
    factories.UserFactory(username="visitor")

    with pytest.raises(CommandError, match="--user"):
        call_command("archive_evidence")
    assert run("--user", "nobody-here")[2] == "No user called 'nobody-here'."
    assert run("--user", "visitor")[2] == "You are not allowed to archive evidence."
    assert len(web_server.requests) == fetched
    assert EvidenceCapture.objects.count() == 1


def test_it_needs_the_desks_public_address(desk, settings):
    settings.SITE_URL = ""

    assert "set SITE_URL or give --site-url" in run("--user", "reporter")[2]

    out, err, failed = run("--user", "reporter", "--site-url", "https://desk.example")
    assert "Archived 2, failed 1." in out
    desk["one"].refresh_from_db()
    assert desk["one"].archived_url.startswith("https://desk.example/files/archive/")
