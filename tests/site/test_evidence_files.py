"""Evidence files are served by the app, only to those who may see them, in a form no browser
runs: readers get the files of published evidence, staff any; every response is an image,
or a download, with nosniff and a sandboxing Content-Security-Policy."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import Evidence

from .. import evidence_files, factories
from .conftest import SECRET

pytestmark = pytest.mark.django_db

SANDBOX = "sandbox; default-src 'none'; style-src 'unsafe-inline'"  # no script, no requests


@pytest.fixture
def evidence_with(claim, publish_verification):
    """Evidence about `claim` with a file; published (cited by a published verification)
    unless asked otherwise."""

    def make(name, data, *, published=True):
        evidence = factories.EvidenceFactory(claim=claim, file=SimpleUploadedFile(name, data))
        if published:
            publish_verification(claim, evidence=[evidence])
        return evidence

    return make


def without_nonces(response):
    return re.sub(r'nonce="[^"]*"', "", response.content.decode())


def assert_never_run(response, media_type):
    assert response["Content-Type"].split(";")[0] == media_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX


def test_readers_get_the_file_of_published_evidence(client, desk):
    response = client.get(desk.satellite.file.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == evidence_files.png()
    assert_never_run(response, "image/png")
    assert response["Content-Disposition"] == 'inline; filename="toretsk-centre.png"'
    assert "public" in response["Cache-Control"]


def test_readers_get_the_same_404_for_a_hidden_file_as_for_none(client, desk):
    hidden_url = desk.unused_evidence.file.url
    missing_url = "/files/evidence/" + "0" * 32 + ".txt"
    hidden, missing = client.get(hidden_url), client.get(missing_url)

    assert hidden.status_code == missing.status_code == 404
    assert without_nonces(hidden).replace(hidden_url, "ADDRESS") == without_nonces(missing).replace(
        missing_url, "ADDRESS"
    )
    assert SECRET not in hidden.content.decode()


def test_a_logged_in_user_who_is_not_staff_is_a_reader(client, desk):
    client.force_login(factories.UserFactory(username="subscriber", is_staff=False))
    assert client.get(desk.unused_evidence.file.url).status_code == 404


def test_staff_get_any_file_never_kept_by_a_shared_cache(client, desk, reporter):
    client.force_login(reporter)

    response = client.get(desk.unused_evidence.file.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == f"Call notes {SECRET}".encode()
    assert_never_run(response, "text/plain")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    evidence_files.KEPT,
    ids=[name for name, _, _ in evidence_files.KEPT],
)
def test_every_kind_is_sent_with_its_detected_type_and_only_images_inline(
    client, evidence_with, name, data, media_type
):
    evidence = evidence_with(name, data)

    response = client.get(evidence.file.url)

    assert response.status_code == 200
    assert_never_run(response, media_type)
    inline = media_type in {"image/png", "image/jpeg", "image/gif", "image/webp"}
    disposition = "inline" if inline else "attachment"
    assert response["Content-Disposition"] == f'{disposition}; filename="{name}"'


def test_a_gif_with_a_page_after_its_header_is_sent_as_the_gif_it_claims_to_be(
    client, evidence_with
):
    evidence = evidence_with("map.gif", evidence_files.GIF_WITH_SCRIPT)

    response = client.get(evidence.file.url)

    assert_never_run(response, "image/gif")


def test_a_file_stored_before_types_were_checked_is_sent_as_an_opaque_download(
    client, claim, publish_verification
):
    """Files uploaded before the desk checked bytes kept their names and have no type: they
    go out as bytes to save, whatever they hold."""
    evidence = factories.EvidenceFactory(claim=claim)
    stored = Evidence.file.field.storage.save("evidence/exhibit.html", ContentFile(b"<script>"))
    Evidence.objects.filter(pk=evidence.pk).update(file=stored, file_name="exhibit.html")
    publish_verification(claim, evidence=[evidence])
    evidence.refresh_from_db()

    response = client.get(evidence.file.url)

    assert response.status_code == 200
    assert_never_run(response, "application/octet-stream")
    assert response["Content-Disposition"] == 'attachment; filename="exhibit.html"'


def test_nothing_answers_at_the_old_media_address(client, desk):
    assert client.get("/media/" + desk.satellite.file.name).status_code == 404
    assert client.get("/media/" + desk.unused_evidence.file.name).status_code == 404


def test_in_production_the_front_server_sends_the_bytes_after_the_app_decides(
    client, desk, settings
):
    settings.EVIDENCE_FILES_ACCEL_REDIRECT = "/protected-evidence/"

    response = client.get(desk.satellite.file.url)

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-evidence/" + desk.satellite.file.name
    assert response.content == b""
    assert_never_run(response, "image/png")
    assert response["Content-Disposition"] == 'inline; filename="toretsk-centre.png"'
    # A reader still gets no cue for a hidden file.
    hidden = client.get(desk.unused_evidence.file.url)
    assert hidden.status_code == 404
    assert "X-Accel-Redirect" not in hidden


def test_a_file_asked_for_again_with_its_sha256_is_not_sent_twice(client, desk):
    response = client.get(desk.satellite.file.url, HTTP_IF_NONE_MATCH=f'"{desk.satellite.sha256}"')
    assert response.status_code == 304


def test_files_can_only_be_read(client, desk, editor):
    client.force_login(editor)
    assert client.post(desk.satellite.file.url).status_code == 405
    assert client.delete(desk.unused_evidence.file.url).status_code == 405


def test_the_claim_page_links_the_file_of_published_evidence_by_its_name(client, desk):
    html = client.get(desk.capture.get_absolute_url()).content.decode()

    assert f'href="{desk.satellite.file.url}"' in html
    assert "toretsk-centre.png" in html
    assert "PNG image" in html
    assert desk.unused_evidence.file.url not in html


def test_the_api_gives_the_guarded_address_and_the_files_details(client, desk):
    evidence = client.get(f"/api/v1/evidence/{desk.satellite.pk}/").json()

    assert evidence["file"] == "http://testserver" + desk.satellite.file.url
    assert "/media/" not in evidence["file"]
    assert evidence["file_name"] == "toretsk-centre.png"
    assert evidence["file_type"] == "image/png"
    assert evidence["file_size"] == len(evidence_files.png())
    assert client.get(evidence["file"]).status_code == 200


def test_the_admin_links_a_stored_file_by_its_name_to_the_guarded_view(client, desk, editor):
    client.force_login(editor)

    html = client.get(f"/admin/claims/evidence/{desk.unused_evidence.pk}/change/").content.decode()

    assert f'href="{desk.unused_evidence.file.url}"' in html
    assert f"notes-{SECRET}.txt (plain text," in html
    assert "/media/" not in html
