"""Standing pages are data editors keep up to date, not prose in templates."""

import json
import re

import pytest

from claims.models import StandingPage

pytestmark = pytest.mark.django_db


def test_methodology_text_comes_from_the_standing_page_above_the_scale(client):
    page = StandingPage.objects.get(kind="methodology")
    page.title = "How the desk works"
    page.body = "## Choosing claims\n\nWe pick the claims that *matter*."
    page.save()
    html = client.get("/methodology/").content.decode()
    assert "<h1>How the desk works</h1>" in html
    assert "<h2>Choosing claims</h2>" in html and "<em>matter</em>" in html
    assert html.index("Choosing claims") < html.index('id="scale"')


def test_methodology_page_works_without_its_standing_page(client):
    StandingPage.objects.filter(kind="methodology").delete()
    html = client.get("/methodology/").content.decode()
    assert "<h1>How we check claims</h1>" in html and 'id="verdict-confirmed"' in html


def test_fresh_install_has_methodology_and_corrections_policy(client):
    assert set(StandingPage.objects.values_list("kind", flat=True)) == {
        "methodology",
        "corrections-policy",
    }
    response = client.get("/about/corrections-policy/")
    assert response.status_code == 200
    assert "We never remove a correction." in response.content.decode()


def test_pages_editors_have_not_written_are_404_and_not_linked(client):
    assert client.get("/about/contact/").status_code == 404
    assert client.get("/about/no-such-page/").status_code == 404
    assert "/about/contact/" not in client.get("/").content.decode()


def test_new_page_appears_in_the_footer_and_in_the_organization_json_ld(client):
    StandingPage.objects.create(
        kind="ownership-and-funding", title="Who owns and funds us", body="Owned by readers."
    )
    html = client.get("/").content.decode()
    assert '<a href="/about/ownership-and-funding/">Who owns and funds us</a>' in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    org = json.loads(block.group(1))
    assert org["ownershipFundingInfo"] == "http://testserver/about/ownership-and-funding/"
    assert org["correctionsPolicy"] == "http://testserver/about/corrections-policy/"
    assert org["publishingPrinciples"] == "http://testserver/methodology/"
    assert org["verificationFactCheckingPolicy"] == "http://testserver/methodology/"


def test_methodology_kind_redirects_to_the_methodology_page(client):
    response = client.get("/about/methodology/")
    assert response.status_code == 301 and response["Location"] == "/methodology/"


def test_editor_markdown_in_standing_pages_is_inert(client):
    StandingPage.objects.create(
        kind="contact", title="<script>alert(1)</script>", body="<img src=x onerror=alert(1)>"
    )
    html = client.get("/about/contact/").content.decode()
    assert "<script>alert(1)" not in html and "<img" not in html


def test_editors_may_edit_standing_pages_and_others_only_view(reporter, factchecker, editor):
    assert editor.has_perm("claims.change_standingpage")
    assert editor.has_perm("claims.add_standingpage")
    for user in (reporter, factchecker):
        assert user.has_perm("claims.view_standingpage")
        assert not user.has_perm("claims.change_standingpage")
