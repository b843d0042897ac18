"""The desk's archived copies of evidence pages, as readers get them: through the same guarded
file view as uploaded evidence files, only for published evidence (desk staff: any), the WARC
file as a download and the screenshot as an image, neither able to run as a page of the
desk; and on the claim page, under the evidence, with their SHA-256s."""

import pytest

from ..archives import sha256, store_capture
from .conftest import SECRET

pytestmark = pytest.mark.django_db

SANDBOX = "sandbox; default-src 'none'; style-src 'unsafe-inline'"


@pytest.fixture
def published_copy(desk):
    return store_capture(desk.satellite, warc=b"WARC/1.1\r\n<script>alert(1)</script>")


@pytest.fixture
def draft_copy(desk):
    return store_capture(desk.unused_evidence, warc=f"WARC {SECRET}".encode())


def body(response):
    return b"".join(response.streaming_content)


def assert_never_run(response, media_type):
    assert response["Content-Type"] == media_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    assert "Content-Encoding" not in response  # a .warc.gz is kept as it is, never unpacked


def test_readers_download_the_warc_file_of_published_evidence(client, published_copy):
    response = client.get(published_copy.warc.url)

    assert response.status_code == 200
    assert body(response) == b"WARC/1.1\r\n<script>alert(1)</script>"
    assert_never_run(response, "application/warc")
    evidence_id = published_copy.evidence_id
    stamp = f"{published_copy.captured_at:%Y%m%dT%H%M%SZ}"
    assert response["Content-Disposition"] == (
        f'attachment; filename="evidence-{evidence_id}-{stamp}.warc.gz"'
    )
    assert response["ETag"] == f'"{published_copy.warc_sha256}"'
    assert "public" in response["Cache-Control"]


def test_readers_see_the_screenshot_of_published_evidence_as_an_image(client, published_copy):
    response = client.get(published_copy.screenshot.url)

    assert response.status_code == 200
    assert sha256(body(response)) == published_copy.screenshot_sha256
    assert_never_run(response, "image/png")
    assert response["Content-Disposition"].startswith("inline;")


def test_a_repeat_visit_to_an_archived_copy_gets_not_modified(client, published_copy):
    response = client.get(
        published_copy.warc.url, HTTP_IF_NONE_MATCH=f'"{published_copy.warc_sha256}"'
    )
    assert response.status_code == 304


def test_the_copies_of_evidence_only_a_draft_cites_are_the_same_404_as_no_file(client, draft_copy):
    missing = client.get("/files/archive/" + "0" * 32 + ".warc.gz")
    for url in (draft_copy.warc.url, draft_copy.screenshot.url):
        response = client.get(url)
        assert response.status_code == missing.status_code == 404
        assert SECRET not in response.content.decode()


def test_desk_staff_get_a_drafts_copy_never_kept_by_a_shared_cache(client, draft_copy, reporter):
    client.force_login(reporter)

    response = client.get(draft_copy.warc.url)

    assert response.status_code == 200
    assert body(response) == f"WARC {SECRET}".encode()
    assert_never_run(response, "application/warc")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_an_archive_name_cannot_reach_an_uploaded_file_or_the_other_way_round(
    client, desk, published_copy
):
    """Each kind of name is looked up only where that kind is kept."""
    upload = desk.satellite.file.name  # evidence/…png, published
    assert client.get(f"/files/archive/{upload.split('/')[-1]}").status_code == 404
    copy = published_copy.warc.name.split("/")[-1]
    assert client.get(f"/files/evidence/{copy}").status_code == 404


def test_the_claim_page_shows_the_desks_copy_with_its_hashes(client, desk, published_copy):
    html = client.get(desk.capture.get_absolute_url()).content.decode()

    assert f'href="{published_copy.warc.url}"' in html
    assert f'href="{published_copy.screenshot.url}"' in html
    assert published_copy.warc_sha256 in html
    assert published_copy.screenshot_sha256 in html
    # The copy kept in another web archive is still linked as it was.
    assert 'href="https://archive.example/imagery-toretsk"' in html


def test_the_desks_copy_named_in_archived_url_is_not_linked_twice(client, desk, published_copy):
    from claims.models import Evidence

    Evidence.objects.filter(pk=desk.satellite.pk).update(
        archived_url="https://claims.example.org" + published_copy.warc.url
    )

    html = client.get(desk.capture.get_absolute_url()).content.decode()

    assert html.count(published_copy.warc.url) == 1
    assert "Archived copy</a>" not in html
