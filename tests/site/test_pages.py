"""What readers see on each page: home, explainer, claim, place, source and the lists."""

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from claims.templatetags.reader_site import html_datetime
from claims.verdicts import verdict_info

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def day(value):
    return date_format(timezone.localtime(value), "j F Y")


def short(value):
    local = timezone.localtime(value)
    return date_format(local, "j M" if local.year == timezone.localdate().year else "j M Y")


PAGES = [
    "/",
    "/explainers/",
    "/explainers/why-toretsk-matters/",
    "/claims/",
    "/places/",
    "/places/toretsk/",
    "/sources/",
    "/sources/russian-defence-ministry/",
    "/methodology/",
    "/balance/",
    "/about/corrections-policy/",
    "/search/?q=Toretsk",
    "/feeds/explainers.atom",
    "/feeds/verdicts.rss",
    "/sitemap.xml",
    "/robots.txt",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_works_for_anonymous_readers(client, desk, url):
    html = page(client, url)
    assert "Preview." not in html


@pytest.mark.parametrize("url", PAGES)
def test_every_page_works_for_logged_in_staff(client, desk, editor, url):
    client.force_login(editor)
    page(client, url)


def test_home_lists_latest_explainers_verdicts_and_what_is_tracked(client, desk):
    html = page(client, "/")
    assert "Why Toretsk matters" in html
    latest, tracking = html.split('id="latest-verdicts"')[1].split('id="tracking"')
    assert "Russia says its forces captured Toretsk" in latest
    assert "Ukrainian brigade says it still holds positions" in latest
    # Tracked: unconfirmed or not yet assessed; the disputed capture claim is not.
    assert "Officer says fighting continues" in tracking
    assert "Russia says its forces captured Toretsk" not in tracking


class TestExplainerPage:
    @pytest.fixture
    def html(self, client, desk):
        return page(client, "/explainers/why-toretsk-matters/")

    def test_title_standfirst_byline_and_times_in_the_newsrooms_zone(self, html, desk, editor):
        assert "<h1>Why Toretsk matters</h1>" in html
        assert "A hilltop town on the road to Kostiantynivka." in html
        assert f"By {editor.get_full_name()}, The Claims Desk." in html
        published = timezone.localtime(desk.explainer.first_published_at)
        assert f'datetime="{html_datetime(published)}"' in html
        assert published.strftime("%H:%M") + " EET" in html or "EEST" in html
        assert "Updated <time" in html  # the correction updated it

    def test_body_is_rendered_markdown(self, html):
        assert "<h2>High ground</h2>" in html

    def test_places_facts_panel_with_other_names_region_and_population(self, html):
        assert "Dzerzhynsk (name until 2016)" in html
        assert "Donetsk region" in html
        assert "30,914" in html

    def test_claims_in_the_editors_order_with_claimant_affiliation_quote_and_appearance(self, html):
        claims_section = html.split('id="claims-heading"')[1].split('id="disputes-heading"')[0]
        order = [
            claims_section.index("Russia says its forces captured Toretsk"),
            claims_section.index("Ukrainian brigade says it still holds"),
            claims_section.index("Officer says fighting continues"),
        ]
        assert order == sorted(order)
        assert "(Russian state)" in claims_section and "(Ukrainian state)" in claims_section
        assert "Units of the Southern group have fully liberated the town." in claims_section
        assert "Moscow claims capture of Toretsk" in claims_section
        assert "The claim that started it." in claims_section
        assert "The <em>answer</em>." in claims_section

    def test_current_verdict_with_definition_as_of_dimensions_and_evidence(self, html, desk):
        info = verdict_info("disputed")
        assert info.definition in html
        as_of = html_datetime(desk.second.published_at)
        assert f'as of <time datetime="{as_of}"' in html
        assert "<dt>Location</dt><dd>Disputed — Maps disagree on the town centre.</dd>" in html
        assert 'href="https://archive.example/imagery-toretsk"' in html
        assert f'href="{desk.capture.get_absolute_url()}"' in html

    def test_not_yet_assessed_claim_says_so(self, html, desk):
        card = html.split(f'id="claim-{desk.officer.pk}"')[1].split("</article>")[0]
        assert "Not yet assessed" in card

    def test_confidential_claimant_is_shown_only_by_redacted_description(self, html):
        assert "a Ukrainian officer serving near the town" in html
        assert "confidential-colonel" not in html

    def test_disputing_claims_side_by_side(self, html):
        section = html.split('id="disputes-heading"')[1].split("</section>")[0]
        assert 'class="side-by-side"' in section
        assert "Russia says its forces captured Toretsk" in section
        assert "Ukrainian brigade says it still holds" in section

    def test_timeline_lists_claims_and_verdict_changes_oldest_first(self, html):
        section = html.split('id="timeline-heading"')[1].split("</section>")[0]
        assert section.index("7 February 2025") < section.index("Our verdict:")
        assert section.count("Our verdict:") == 3

    def test_locator_map_is_inline_svg_from_coordinates(self, html):
        assert "<svg" in html and "<circle" in html
        assert "Toretsk (48.398° N, 37.848° E)" in html or "Toretsk (48.398° N, 37.847° E)" in html
        assert "tile" not in html.lower()

    def test_sources_cited_list_names_and_roles(self, html):
        section = html.split('id="sources-heading"')[1].split("</section>")[0]
        assert "Frontline Mapping Project" in section and "publisher, evidence" in section
        assert "Russian Defence Ministry" in section
        assert "a Ukrainian officer serving near the town" in section

    def test_corrections_log(self, html):
        section = html.split('id="corrections"')[1].split("</section>")[0]
        assert "An earlier version gave the wrong date." in section


class TestClaimPage:
    @pytest.fixture
    def html(self, client, desk):
        return page(client, desk.capture.get_absolute_url())

    def test_full_verdict_history_in_order(self, html, desk):
        expected = (
            f"Unconfirmed on {short(desk.first.published_at)} → "
            f"Disputed on {short(desk.second.published_at)}"
        )
        assert expected in html

    def test_each_verdict_has_its_attribution_line_from_the_scale(self, html, desk):
        for verification in (desk.first, desk.second):
            line = verdict_info(verification.verdict).attribution.format(
                claimant="Russian Defence Ministry", date=day(verification.published_at)
            )
            assert line.replace("'", "&#x27;") in html

    def test_unconfirmed_attribution_reads_could_not_be_independently_verified(self, html):
        assert "could not be independently verified as of" in html

    def test_related_disputing_claims_and_citing_explainers(self, html):
        related = html.split('id="related-heading"')[1].split("</section>")[0]
        assert "Ukrainian brigade says it still holds" in related
        assert "Why Toretsk matters" in html.split('id="explainers-heading"')[1]

    def test_where_it_appeared_and_evidence(self, html):
        assert "Moscow claims capture of Toretsk" in html
        assert "The ministry said ..." in html
        assert 'href="https://archive.example/imagery-toretsk"' in html

    def test_short_and_wrong_slug_addresses_redirect_to_the_canonical_one(self, client, desk):
        canonical = desk.capture.get_absolute_url()
        for url in (f"/claims/{desk.capture.pk}/", f"/claims/{desk.capture.pk}-old-words/"):
            response = client.get(url)
            assert response.status_code == 301 and response["Location"] == canonical


def test_place_page_lists_its_claims_and_explainers(client, desk):
    html = page(client, "/places/toretsk/")
    assert "<h1>Toretsk</h1>" in html
    assert "Why Toretsk matters" in html
    assert "Russia says its forces captured Toretsk" in html
    assert "Dzerzhynsk" in html and "<svg" in html


@pytest.mark.parametrize("other_name", ["dzerzhynsk", "Dzerzhynsk"])
def test_place_is_reachable_by_its_other_names(client, desk, other_name):
    response = client.get(f"/places/{other_name}/")
    assert response.status_code == 301
    assert response["Location"] == "/places/toretsk/"


def test_source_page_shows_track_record(client, desk):
    html = page(client, "/sources/russian-defence-ministry/")
    record = html.split('id="record-heading"')[1].split("</section>")[0]
    assert "verdict--disputed" in record
    assert "<td>1</td>" in record
    assert "Russia says its forces captured Toretsk" in html


def test_confidential_source_has_no_page_even_for_staff(client, desk, editor):
    assert client.get("/sources/confidential-colonel/").status_code == 404
    client.force_login(editor)
    assert client.get("/sources/confidential-colonel/").status_code == 404


def test_claim_list_filters_by_verdict(client, desk):
    html = page(client, "/claims/?verdict=likely_true")
    assert "Ukrainian brigade says it still holds" in html
    assert "Russia says its forces captured Toretsk" not in html
    html = page(client, "/claims/?verdict=none")
    assert "Officer says fighting continues" in html
    assert "Ukrainian brigade" not in html.split("<main")[1]
    page(client, "/claims/?verdict=<script>")  # odd filter: the whole list, not an error


PAGINATED = [
    "/claims/",
    "/claims/?verdict=disputed",
    "/explainers/",
    "/places/",
    "/places/toretsk/",
    "/sources/",
    "/sources/russian-defence-ministry/",
    "/search/?q=Toretsk&type=claims",
    "/search/?q=Toretsk&type=places",
]
HUGE = "9" * 40


def with_page(url, number):
    return f"{url}{'&' if '?' in url else '?'}page={number}"


def answers(client, urls, staff):
    """{url: (status as a reader, status as desk staff)}."""
    statuses = {url: [client.get(url).status_code] for url in urls}
    client.force_login(staff)
    for url in urls:
        statuses[url].append(client.get(url).status_code)
    client.logout()
    return statuses


@pytest.mark.parametrize("url", PAGINATED)
def test_a_list_opens_on_its_first_page_by_number_or_without_one(client, desk, editor, url):
    urls = [url, with_page(url, "1"), with_page(url, "")]
    assert answers(client, urls, editor) == {u: [200, 200] for u in urls}


@pytest.mark.parametrize("url", PAGINATED)
def test_a_page_number_past_the_end_or_malformed_is_a_404(client, desk, editor, url):
    numbers = ["2", HUGE, str(2**63), str(2**62), "-1", "0", "x", "1.5", "1e3", "\u0661"]
    urls = [with_page(url, number) for number in numbers]
    assert answers(client, urls, editor) == {u: [404, 404] for u in urls}


def test_ids_out_of_range_or_malformed_in_an_address_are_a_404(client, desk, editor):
    urls = [
        f"/claims/{HUGE}/",
        f"/claims/{2**63}/",
        f"/claims/{2**63 - 1}/",
        f"/claims/{HUGE}-any-slug/",
        f"/claims/{2**63}-any-slug/",
        "/claims/-1/",
        "/claims/0/",
        "/claims/0-any-slug/",
        "/claims/1.5/",
        "/claims/%0A/",
        f"/sitemap-claims.xml?p={HUGE}",
        "/sitemap-claims.xml?p=-1",
        "/sitemap-claims.xml?p=x",
        "/sitemap-nothing.xml",
    ]
    assert answers(client, urls, editor) == {u: [404, 404] for u in urls}


def test_long_lists_are_split_into_pages(client, publish_verification):
    from tests import factories

    for _ in range(25):
        publish_verification(factories.ClaimFactory())
    first, second = page(client, "/claims/"), page(client, "/claims/?page=2")
    assert first.count('<li>\n    <span class="verdict') == 20
    assert 'rel="next"' in first and 'rel="prev"' in second
