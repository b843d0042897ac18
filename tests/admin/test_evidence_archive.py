"""The Archive button on an evidence item's page: it posts to its own address, which calls
claims.services.evidence_archive and comes back with what happened; the page lists the
desk's copies with their SHA-256s."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from claims.models import EvidenceCapture

from .. import factories
from ..archives import PAGE, SITE_URL
from ..ingest.conftest import respond

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_browser(settings):
    settings.EVIDENCE_ARCHIVE_CHROMIUM = ""


@pytest.fixture
def evidence(claim, web_server):
    web_server.routes["/statement"] = respond(body=PAGE)
    return factories.EvidenceFactory(claim=claim, url=web_server.url("/statement"))


def change_page(evidence):
    return reverse("admin:claims_evidence_change", args=[evidence.pk])


def archive(client, evidence):
    response = client.post(reverse("admin:claims_evidence_archive", args=[evidence.pk]))
    messages = [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]
    return response, messages


def test_archive_stores_a_copy_and_the_page_lists_it(client, reporter, evidence):
    client.force_login(reporter)

    response, messages = archive(client, evidence)

    assert response.status_code == 302
    assert response["Location"] == change_page(evidence) + "#desk-archive"
    capture = EvidenceCapture.objects.get()
    [(level, text)] = messages
    assert level == "success" and text.startswith(f"Archived {evidence.url} (HTTP 200)")
    html = client.get(change_page(evidence)).content.decode()
    assert "The desk's archived copies (1)" in html
    assert f'href="{capture.warc.url}"' in html and capture.warc_sha256 in html
    assert "No screenshot: Chromium is not installed on the server." in html
    evidence.refresh_from_db()
    # Named on the address the desk was reached at when SITE_URL is not set.
    assert evidence.archived_url == "http://testserver" + capture.warc.url


def test_a_failed_capture_comes_back_as_an_error_and_stores_nothing(
    client, reporter, claim, web_server
):
    evidence = factories.EvidenceFactory(claim=claim, url=web_server.url("/gone"))
    client.force_login(reporter)

    _, messages = archive(client, evidence)

    assert messages == [
        (
            "error",
            f"Could not archive {evidence.url}: the server answered HTTP 404 Not Found. "
            "Nothing was stored.",
        )
    ]
    assert not EvidenceCapture.objects.exists()


def test_published_evidence_is_view_only_but_can_still_be_archived(
    client, editor, evidence, publish_verification, settings
):
    settings.SITE_URL = SITE_URL
    publish_verification(evidence.claim, evidence=[evidence])
    client.force_login(editor)

    html = client.get(change_page(evidence)).content.decode()
    assert 'name="_save"' not in html  # frozen: no form to save
    assert "readers will see the copy" in html
    _, messages = archive(client, evidence)

    assert messages[0][0] == "success"
    evidence.refresh_from_db()
    assert evidence.archived_url.startswith(SITE_URL + "/files/archive/")


def test_the_button_is_not_offered_without_an_address(client, reporter, claim):
    evidence = factories.EvidenceFactory(claim=claim, url="")
    client.force_login(reporter)

    html = client.get(change_page(evidence)).content.decode()

    assert "Give the evidence a link to archive its page." in html
    assert reverse("admin:claims_evidence_archive", args=[evidence.pk]) not in html


def test_archive_takes_only_a_post(client, reporter, evidence, web_server):
    client.force_login(reporter)
    url = reverse("admin:claims_evidence_archive", args=[evidence.pk])
    assert client.get(url).status_code == 405
    assert web_server.requests == []
