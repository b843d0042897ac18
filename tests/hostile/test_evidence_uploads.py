"""Evidence uploads are told by their bytes: the kinds a newsroom keeps are kept, under a
random name; web pages, SVG, XML, programs and unknown bytes are refused with a clear form
error, and nothing is written."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import Evidence

from .. import evidence_files
from ..admin.conftest import claim_form, no_inline_forms

pytestmark = pytest.mark.django_db


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def add_evidence(client, claim, name, data):
    return client.post(
        reverse("admin:claims_evidence_add"),
        {
            "claim": claim.pk,
            "kind": "document",
            "description": "What the file shows.",
            "file": SimpleUploadedFile(name, data, content_type="application/octet-stream"),
        },
    )


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    evidence_files.KEPT,
    ids=[name for name, _, _ in evidence_files.KEPT],
)
def test_the_desk_keeps_the_kinds_of_file_a_newsroom_uses(
    client, reporter, claim, settings, name, data, media_type
):
    client.force_login(reporter)

    response = add_evidence(client, claim, name, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    evidence = Evidence.objects.get()
    assert evidence.file_type == media_type
    assert evidence.file_name == name
    assert evidence.file_size == len(data)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    [stored] = stored_files(settings)
    assert stored.read_bytes() == data


@pytest.mark.parametrize(
    ("name", "data", "says"),
    evidence_files.REFUSED,
    ids=[name for name, _, _ in evidence_files.REFUSED],
)
def test_pages_svg_xml_programs_and_unknown_files_are_refused_and_nothing_is_written(
    client, reporter, claim, settings, name, data, says
):
    client.force_login(reporter)

    response = add_evidence(client, claim, name, data)

    assert response.status_code == 200  # the form again, with the error
    errors = str(response.context["adminform"].form.errors["file"])
    assert says.lower() in errors.lower()
    assert says.lower() in response.content.decode().lower()
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_the_claim_forms_evidence_rows_refuse_hostile_files_too(client, reporter, claim, settings):
    client.force_login(reporter)
    form = claim_form(claim)
    form.update(no_inline_forms("evidence"))
    form.update(
        {
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-kind": "document",
            "evidence-0-description": "A page the channel posted.",
            "evidence-0-file": SimpleUploadedFile("exhibit.html", b"<html><script>x()</script>"),
        }
    )

    response = client.post(reverse("admin:claims_claim_change", args=[claim.pk]), form)

    assert response.status_code == 200
    assert "web page" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("name", "data", "says"),
    evidence_files.REFUSED[:9],
    ids=[name for name, _, _ in evidence_files.REFUSED[:9]],
)
def test_the_bytes_are_checked_whoever_saves_not_only_the_admins_form(
    claim, settings, name, data, says
):
    """The API, imports, commands and the demo save through the model: it refuses too."""
    with pytest.raises(ValidationError):
        Evidence.objects.create(
            claim=claim,
            kind="document",
            description="Saved without a form.",
            file=SimpleUploadedFile(name, data),
        )
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_an_upload_over_the_limit_is_refused_naming_the_limit(client, reporter, claim, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    client.force_login(reporter)
    big = evidence_files.png() + b"\x00" * (1024 * 1024 + 1)

    response = add_evidence(client, claim, "huge.png", big)

    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors["file"])
    assert "up to 1.0\xa0MB" in errors
    assert not Evidence.objects.exists()


def test_files_are_stored_under_random_names_never_the_uploaders(client, reporter, claim):
    client.force_login(reporter)
    for _ in range(2):
        add_evidence(client, claim, "exhibit-7 (final).pdf", b"%PDF-1.4\n%%EOF\n")

    first, second = Evidence.objects.order_by("pk")
    assert first.file_name == second.file_name == "exhibit-7 (final).pdf"
    assert first.file.name != second.file.name
    for evidence in (first, second):
        assert "exhibit" not in evidence.file.name
        assert evidence.file.name.startswith("evidence/")
        assert evidence.file.name.endswith(".pdf")  # the extension of the detected kind
        assert len(evidence.file.name) == len("evidence/") + 32 + len(".pdf")


def test_the_uploaders_name_is_kept_for_display_without_folders_or_control_characters(claim):
    evidence = Evidence.objects.create(
        claim=claim,
        kind="document",
        description="Named oddly.",
        file=SimpleUploadedFile("../../etc/passwd\x07.txt", b"plain words"),
    )
    assert evidence.file_name == "passwd.txt"
    assert ".." not in evidence.file.name
