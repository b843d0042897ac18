"""An explainer's claim cards: each says why, in the fact-checker's own words."""

import pytest

from claims.models import Appearance, ExplainerClaim
from claims.site import fragments
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_page(client, make_live_explainer, publish_verification):
    """The reader page of a live explainer with one claim verified with `rationale`."""

    def card_page(rationale):
        explainer = make_live_explainer(slug="cards")
        claim = factories.ClaimFactory()
        publish_verification(claim, rationale=rationale)
        ExplainerClaim.objects.create(explainer=explainer, claim=claim, position=1)
        response = client.get(explainer.get_absolute_url())
        assert response.status_code == 200
        return claim, response.content.decode()

    return card_page


def test_a_claim_card_shows_the_published_rationale_as_markdown(card_page):
    _, html = card_page("No **satellite imagery** shows <script>alert(1)</script> damage.")
    assert '<div class="rationale"><p>No <strong>satellite imagery</strong> shows' in html
    assert "<script>alert(1)" not in html


def test_a_long_rationale_is_shortened_with_a_link_to_the_claim(card_page):
    claim, html = card_page(" ".join(["evidence"] * 80) + " closing-word")
    assert "closing-word" not in html
    assert f'<a href="{claim.get_absolute_url()}#verdict-heading">The rationale in full' in html


def test_a_short_rationale_is_shown_whole(card_page):
    _, html = card_page("Two witnesses and one video agree.")
    assert "Two witnesses and one video agree." in html
    assert "The rationale in full" not in html


def test_kept_cards_and_panels_never_outlive_an_edit_readers_would_see(card_page, client):
    claim, html = card_page("Two witnesses and one video agree.")
    assert fragments.kept.size > 0
    claimant = claim.claimant
    old_name = claimant.public_name
    assert html.count(old_name) >= 2  # the card and the "Sources cited" panel
    claimant.name = "A renamed claimant"
    claimant.save()
    article = factories.ArticleFactory(headline="First seen in this report")
    Appearance.objects.create(claim=claim, article=article)
    html = client.get("/explainers/cards/").content.decode()
    assert old_name not in html
    assert html.count("A renamed claimant") >= 2
    assert "First seen in this report" in html


def test_a_kept_card_is_the_card_rendered_afresh(card_page, client):
    _, first = card_page("Two witnesses and one video agree.")
    again = client.get("/explainers/cards/").content.decode()
    fragments.kept.clear()
    afresh = client.get("/explainers/cards/").content.decode()
    assert first == again == afresh


def test_a_desk_preview_keeps_no_card(client, desk, editor):
    client.force_login(editor)
    html = client.get("/explainers/draft-explainer/").content.decode()
    assert "This explainer is draft." in html
    assert fragments.kept.size == 0


def test_a_kept_timeline_shows_a_verdict_published_since(client, desk, publish_verification):
    def timeline():
        html = client.get(desk.explainer.get_absolute_url()).content.decode()
        return html.split('id="timeline-heading"')[1].split("</section>")[0]

    before = timeline()
    assert fragments.kept.size > 0
    publish_verification(desk.holding, verdict="misleading", rationale="Newer footage.")
    after = timeline()
    assert after.count("verdict--misleading") == before.count("verdict--misleading") + 1


def test_an_explainer_citing_nothing_has_no_sources_panel(client, make_live_explainer):
    make_live_explainer(slug="text-only", body="No claims yet: the town's history alone.")
    html = client.get("/explainers/text-only/").content.decode()
    assert "Sources cited" not in html
