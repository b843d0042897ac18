"""Nothing unpublished or confidential reaches a reader: one test per surface.

The `desk` fixture holds, next to the published material, a draft explainer, a draft
verification (verdict False), a claim nobody published (about a place nothing published is
about, from a source only it cites), evidence only the draft cites, and a confidential source.
Every one of them carries SECRET in its text.
"""

import pytest

from .conftest import SECRET

pytestmark = pytest.mark.django_db


def reader_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_home_page(client, desk):
    assert SECRET not in reader_html(client, "/")


def test_explainer_list(client, desk):
    assert SECRET not in reader_html(client, "/explainers/")


def test_explainer_page_claims_timeline_map_and_sources(client, desk):
    html = reader_html(client, "/explainers/why-toretsk-matters/")
    assert SECRET not in html
    assert "Hamlet" not in html  # the unpublished claim's place is in no list or map


def test_claim_list_and_its_counts(client, desk):
    html = reader_html(client, "/claims/")
    assert SECRET not in html
    assert html.count('<h2 class="h3">') == 3  # capture, holding, officer


def test_unpublished_claims_make_no_page_of_a_list_exist(client, desk):
    from tests import factories

    for n in range(45):
        factories.ClaimFactory(statement=f"Unpublished claim {n} {SECRET}")
    assert client.get("/claims/").status_code == 200
    for url in ("/claims/?page=2", "/claims/?page=3", "/places/toretsk/?page=2"):
        assert client.get(url).status_code == 404, url


def test_claim_page_shows_no_draft_verification_evidence_or_unpublished_related_claim(client, desk):
    html = reader_html(client, desk.capture.get_absolute_url())
    assert SECRET not in html
    assert "verdict--false" not in html  # the draft's verdict


def test_the_file_of_evidence_only_a_draft_cites_is_404(client, desk):
    response = client.get(desk.unused_evidence.file.url)
    assert response.status_code == 404
    assert SECRET not in response.content.decode()
    assert client.get(desk.satellite.file.url).status_code == 200  # published evidence's file


def test_the_archived_copies_of_evidence_only_a_draft_cites_are_404(client, desk):
    from ..archives import store_capture

    hidden = store_capture(desk.unused_evidence, warc=f"WARC {SECRET}".encode())
    shown = store_capture(desk.satellite)
    for url in (hidden.warc.url, hidden.screenshot.url):
        response = client.get(url)
        assert response.status_code == 404
        assert SECRET not in response.content.decode()
    assert client.get(shown.warc.url).status_code == 200  # published evidence's copy
    assert hidden.warc.url not in reader_html(client, desk.capture.get_absolute_url())


def test_draft_explainer_is_404(client, desk):
    response = client.get("/explainers/draft-explainer/")
    assert response.status_code == 404
    assert SECRET not in response.content.decode()


def test_unpublished_claim_is_404_by_either_address(client, desk):
    for url in (desk.unpublished.get_absolute_url(), f"/claims/{desk.unpublished.pk}/"):
        response = client.get(url)
        assert response.status_code == 404
        assert SECRET not in response.content.decode()


def test_place_list_and_place_pages(client, desk):
    assert SECRET not in reader_html(client, "/places/")
    assert SECRET not in reader_html(client, "/places/toretsk/")
    assert client.get("/places/secret-hamlet/").status_code == 404


def test_source_list_and_source_pages(client, desk):
    html = reader_html(client, "/sources/")
    assert SECRET not in html
    assert "confidential-colonel" not in html
    assert SECRET not in reader_html(client, "/sources/russian-defence-ministry/")
    assert client.get("/sources/draft-channel/").status_code == 404


def test_source_track_record_counts_only_published_verdicts(client, desk):
    html = reader_html(client, "/sources/russian-defence-ministry/")
    record = html.split('id="record-heading"')[1].split("</section>")[0]
    # One claim, currently Disputed; the draft False verdict is not counted.
    assert "the 1 claim by" in record
    false_row = record.split("verdict--false")[1].split("</tr>")[0]
    assert "<td>0</td>" in false_row


def test_explainer_that_is_scheduled_for_later_is_404(client, desk, editor, factchecker):
    import datetime

    from django.utils import timezone

    from claims import workflow
    from tests import factories

    later = factories.ExplainerFactory(slug="later", title=f"Later {SECRET}")
    workflow.explainer_submit(explainer=later, by=factchecker)
    workflow.explainer_publish(
        explainer=later, by=editor, at=timezone.now() + datetime.timedelta(days=1)
    )
    assert client.get("/explainers/later/").status_code == 404
    assert SECRET not in reader_html(client, "/explainers/")


def test_unpublished_explainer_disappears_with_its_unassessed_claims(client, desk, editor):
    from claims import workflow

    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Legal check")
    assert client.get("/explainers/why-toretsk-matters/").status_code == 404
    # The officer's claim was visible only through the explainer.
    assert client.get(desk.officer.get_absolute_url()).status_code == 404
    assert "Officer says fighting continues" not in reader_html(client, "/")
