"""Hostile evidence files in a real browser: a reporter's HTML and SVG uploads are refused in
the admin's form, and the files the desk does serve run no script when an editor, logged in,
opens them: no dialog, and no request but the file's own.

The files served are the ones an attacker would get past a name check: a GIF whose header is
followed by a page of script (kept, as the image its bytes say it is), and an HTML page
stored before the desk checked bytes (sent as an opaque download). Each is opened with the
Content-Security-Policy honoured and with it switched off (`bypass_csp`), so that the type,
`nosniff` and the attachment are shown to hold on their own.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import Evidence

from .. import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The script in every hostile file: a dialog, a request to the desk's admin, and a beacon.
PAYLOAD = (
    b"<script>alert('pwned'); fetch('/admin/claims/verification/');"
    b"new Image().src = '/beacon-from-evidence';</script>"
    b'<img src="/beacon-from-evidence" onerror="alert(1)">'
)


def watch(page):
    """Dialogs opened and addresses requested by `page` from now on."""
    seen = {"dialogs": [], "requests": []}
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: seen["requests"].append(request.url))
    return seen


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("exhibit.html", b"<!DOCTYPE html><html><body>" + PAYLOAD + b"</body></html>"),
        (
            "map.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">' + PAYLOAD + b"</svg>",
        ),
    ],
    ids=["html", "svg"],
)
def test_a_reporters_html_or_svg_upload_is_refused_in_the_form(
    browse, reporter, claim, name, content
):
    page = browse()
    browse.login(page, reporter)
    page.goto("/admin/claims/evidence/add/")
    # The claim field is an autocomplete that loads its options as one types; choose the
    # claim as it would.
    page.evaluate(
        "id => document.querySelector('#id_claim').add(new Option('claim', id, true, true))",
        str(claim.pk),
    )
    page.select_option("#id_kind", "document")
    page.fill("#id_description", "A page the channel posted.")
    page.set_input_files(
        "#id_file", files=[{"name": name, "mimeType": "image/png", "buffer": content}]
    )
    page.click("input[name=_save]")

    error = page.locator(".field-file .errorlist, .errors.field-file li, .errorlist").first
    assert "web page, SVG image or XML document" in error.inner_text()
    assert not Evidence.objects.exists()


@pytest.fixture
def hostile_files(claim, publish_verification):
    """(GIF with a page of script after its header, an old HTML upload): published."""
    gif = factories.EvidenceFactory(
        claim=claim,
        file=SimpleUploadedFile(
            "map.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;<html><body>" + PAYLOAD
        ),
    )
    old = factories.EvidenceFactory(claim=claim)
    stored = Evidence.file.field.storage.save(
        "evidence/exhibit.html", ContentFile(b"<html><body>" + PAYLOAD + b"</body></html>")
    )
    Evidence.objects.filter(pk=old.pk).update(file=stored, file_name="exhibit.html")
    publish_verification(claim, evidence=[gif, old])
    gif.refresh_from_db()
    old.refresh_from_db()
    return gif, old


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["csp", "no-csp"])
def test_files_the_desk_serves_run_no_script_for_a_logged_in_editor(
    browse, editor, hostile_files, bypass_csp
):
    gif, old = hostile_files
    page = browse(bypass_csp=bypass_csp)
    browse.login(page, editor)

    seen = watch(page)
    response = page.goto(gif.file.url)
    page.wait_for_timeout(500)
    assert response.status == 200
    assert response.headers["content-type"] == "image/gif"
    assert seen["dialogs"] == []
    assert seen["requests"] == [browse.url + gif.file.url]
    # Shown as an image, not as a page: the document is Chromium's image viewer.
    assert page.evaluate("document.contentType") == "image/gif"

    # From a page of the desk, as an editor clicks a file's link there (a sandboxed page,
    # such as the image above, may not start downloads at all).
    page.goto("/admin/")
    seen = watch(page)
    with page.expect_download() as download:
        page.evaluate("url => { window.location.href = url; }", old.file.url)
    page.wait_for_timeout(500)
    assert download.value.suggested_filename == "exhibit.html"
    assert seen["dialogs"] == []
    assert seen["requests"] == [browse.url + old.file.url]
    assert page.url == browse.url + "/admin/"  # the download left the page as it was
