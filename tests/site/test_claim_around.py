"""What is around a claim (its places, appearances, links and the explainers citing it), kept
apart from its verdicts: a claim page's "Related claims" and "Explainers that cite it", and
the API document's `places`, `appearances`, `linked_claims` and `explainers`, are pieces
(claims.web.cache.pieces) tagged `claim-<id>-around` (keys.py), which a verdict on the claim
does not purge and every other change to what they show does. Tried as an outsider would:
each test reads a claim's page and its API document as an anonymous reader, changes
something through the desk, and reads them again."""

import html
import json
import re

import pytest

from claims import workflow
from claims.models import ClaimLink, ExplainerClaim
from claims.web.cache import pieces, version
from tests import factories

from .conftest import SECRET, claim_elsewhere

pytestmark = pytest.mark.django_db

CLAIMS_API = "/api/v1/claims/?page_size=50"
LINKS = "site/claim_detail:links"
AROUND = "api:claim-around"


def page(client, claim):
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200, claim
    return response.content.decode()


def section(client, claim, heading):
    """The HTML of the section of `claim`'s page labelled `heading` ("related-heading",
    "explainers-heading", "appearances-heading"), or ""."""
    found = re.search(
        rf'<section aria-labelledby="{heading}">.*?</section>', page(client, claim), re.S
    )
    return found.group(0) if found else ""


def document(client, claim):
    response = client.get(CLAIMS_API)
    assert response.status_code == 200
    return next(doc for doc in response.json()["results"] if doc["id"] == claim.pk)


def around(client, claim):
    """What `claim`'s API document shows around it, as JSON text."""
    doc = document(client, claim)
    return json.dumps(
        [doc[name] for name in ("places", "appearances", "linked_claims", "explainers")]
    )


def kept(kind, claim):
    """The kept piece of `kind` for `claim`: (deadline, purge number, keys, value, size)."""
    [found] = [
        piece for name, piece in pieces.kept._items.items() if name[0][:2] == (kind, claim.pk)
    ]
    return found


def esc(text):
    return html.escape(text)


@pytest.fixture
def hidden_linker(desk):
    """A claim readers do not see yet (no verdict, in no explainer) that disputes the capture
    claim."""
    claim = factories.ClaimFactory(
        statement="Blogger says the town centre changed hands twice", claimant=desk.mapper
    )
    claim.places.add(desk.toretsk)
    ClaimLink.objects.create(from_claim=claim, to_claim=desk.capture, relation="disputes")
    return claim


# --- a verdict leaves what is around the claim ---------------------------------------------


def test_a_verdict_re_renders_the_claim_and_reuses_what_is_around_it(
    client, desk, publish_verification, monkeypatch
):
    assert esc(desk.holding.statement) in section(client, desk.capture, "related-heading")
    assert "Why Toretsk matters" in around(client, desk.capture)
    links, around_doc = kept(LINKS, desk.capture), kept(AROUND, desk.capture)
    purged = []
    monkeypatch.setattr(
        version, "purge", lambda keys, purge=version.purge: purged.append(keys) or purge(keys)
    )

    publish_verification(desk.capture, verdict="false", rationale="Footage shows otherwise.")

    assert f"claim-{desk.capture.pk}" in set().union(*purged)
    assert f"claim-{desk.capture.pk}-around" not in set().union(*purged)
    assert "Footage shows otherwise." in page(client, desk.capture)
    assert document(client, desk.capture)["current_verdict"] == "false"
    assert kept(LINKS, desk.capture) is links  # reused, not rendered again
    assert kept(AROUND, desk.capture) is around_doc
    # The claim that disputes it names its new verdict: what is around that one is rebuilt.
    assert "verdict--false" in section(client, desk.holding, "related-heading")
    [linked] = document(client, desk.holding)["linked_claims"]
    assert linked["claim"]["current_verdict"] == "false"


def test_a_claim_page_rendered_from_kept_pieces_is_the_page_rendered_with_none(
    client, desk, publish_verification
):
    page(client, desk.capture)
    publish_verification(desk.capture, verdict="false")
    reused = page(client, desk.capture)
    pieces.kept.clear()
    version.purge([f"claim-{desk.capture.pk}"])
    assert page(client, desk.capture) == reused


# --- every other change to what is around it reaches readers -------------------------------


def test_an_appearance_revised_onto_a_live_claim_reaches_its_page_and_document(
    client, desk, revise
):
    assert "Moscow claims capture of Toretsk" in around(client, desk.capture)
    article = factories.ArticleFactory(headline="Ministry repeats its claim", outlet=desk.mod)
    wire = desk.capture.appearances.get().article
    revise(
        desk.capture,
        appearances=[
            {"article": wire.pk, "passage": ""},
            {"article": article.pk, "passage": "It said so again."},
        ],
    )
    assert "Ministry repeats its claim" in around(client, desk.capture)
    assert "Ministry repeats its claim" in section(client, desk.capture, "appearances-heading")


def test_an_articles_new_headline_reaches_the_claims_document(client, desk):
    assert "Moscow claims capture of Toretsk" in around(client, desk.capture)
    wire = desk.capture.appearances.get().article
    wire.headline = "Moscow claims it took Toretsk"
    wire.save()
    assert "Moscow claims it took Toretsk" in around(client, desk.capture)


def test_a_link_revised_in_reaches_both_claims(client, desk, revise):
    assert esc(desk.officer.statement) not in section(client, desk.capture, "related-heading")
    assert desk.officer.statement not in around(client, desk.capture)
    assert section(client, desk.officer, "related-heading") == ""
    revise(desk.officer, links=[{"to_claim": desk.capture.pk, "relation": "supports", "note": ""}])
    related = section(client, desk.capture, "related-heading")
    assert "Claims that support it" in related and esc(desk.officer.statement) in related
    assert desk.officer.statement in around(client, desk.capture)
    assert esc(desk.capture.statement) in section(client, desk.officer, "related-heading")


def test_a_link_revised_away_leaves_both_claims(client, desk, revise):
    assert esc(desk.holding.statement) in section(client, desk.capture, "related-heading")
    assert desk.holding.statement in around(client, desk.capture)
    revise(desk.holding, links=[])
    assert section(client, desk.capture, "related-heading") == ""
    assert section(client, desk.holding, "related-heading") == ""
    assert document(client, desk.capture)["linked_claims"] == []


def test_a_linked_claim_coming_to_readers_joins_the_other_claims_page(
    client, desk, hidden_linker, publish_verification
):
    assert esc(hidden_linker.statement) not in section(client, desk.capture, "related-heading")
    assert hidden_linker.statement not in around(client, desk.capture)
    publish_verification(hidden_linker, verdict="unconfirmed")
    assert esc(hidden_linker.statement) in section(client, desk.capture, "related-heading")
    assert hidden_linker.statement in around(client, desk.capture)


def test_a_linked_claim_leaving_readers_leaves_the_other_claims_page(
    client, desk, hidden_linker, make_live_explainer, editor
):
    """Public only through an explainer: unpublishing it takes the link away."""
    second = make_live_explainer(title="The centre", slug="the-centre", body="Body.")
    ExplainerClaim.objects.create(explainer=second, claim=hidden_linker)
    assert esc(hidden_linker.statement) in section(client, desk.capture, "related-heading")
    assert hidden_linker.statement in around(client, desk.capture)
    workflow.explainer_unpublish(explainer=second, by=editor, reason="Legal check")
    assert esc(hidden_linker.statement) not in section(client, desk.capture, "related-heading")
    assert hidden_linker.statement not in around(client, desk.capture)


def test_an_unpublished_explainer_leaves_the_pages_of_the_claims_it_cited(client, desk, editor):
    assert "Why Toretsk matters" in section(client, desk.capture, "explainers-heading")
    assert "Why Toretsk matters" in around(client, desk.capture)
    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Legal check")
    assert section(client, desk.capture, "explainers-heading") == ""
    assert document(client, desk.capture)["explainers"] == []


def test_a_new_explainer_citing_a_claim_joins_its_page(client, desk, make_live_explainer):
    """The capture claim's page before cites one explainer; the new one is added."""
    assert "Toretsk, a year on" not in section(client, desk.capture, "explainers-heading")
    around(client, desk.capture)
    later = make_live_explainer(title="Toretsk, a year on", slug="toretsk-a-year-on", body="B.")
    ExplainerClaim.objects.create(explainer=later, claim=desk.capture)
    assert "Toretsk, a year on" in section(client, desk.capture, "explainers-heading")
    assert "Toretsk, a year on" in around(client, desk.capture)


def test_the_first_explainer_citing_a_claim_joins_a_page_that_cited_none(
    client, desk, publish_verification, make_live_explainer
):
    """With nothing around it, the kept piece had no row to be tagged by: it carries the
    claim's `-around` key all the same."""
    elsewhere = claim_elsewhere(publish_verification)
    assert section(client, elsewhere, "explainers-heading") == ""
    assert document(client, elsewhere)["explainers"] == []
    canal = make_live_explainer(title="The canal district", slug="the-canal-district", body="B.")
    ExplainerClaim.objects.create(explainer=canal, claim=elsewhere)
    assert "The canal district" in section(client, elsewhere, "explainers-heading")
    assert document(client, elsewhere)["explainers"][0]["title"] == "The canal district"


def test_an_explainer_renamed_by_revision_is_renamed_on_the_claims_pages(client, desk, revise):
    assert "Why Toretsk matters" in section(client, desk.capture, "explainers-heading")
    around(client, desk.capture)
    revise(desk.explainer, title="Why Toretsk still matters")
    assert "Why Toretsk still matters" in section(client, desk.capture, "explainers-heading")
    assert "Why Toretsk still matters" in around(client, desk.capture)


def test_a_place_renamed_or_revised_onto_a_claim_reaches_its_document(client, desk, revise):
    assert [p["name"] for p in document(client, desk.capture)["places"]] == ["Toretsk"]
    desk.toretsk.name = "Toretsk (Dzerzhynsk)"
    desk.toretsk.save()
    assert [p["name"] for p in document(client, desk.capture)["places"]] == ["Toretsk (Dzerzhynsk)"]
    revise(desk.capture, places=[desk.toretsk.pk, desk.niu_york.pk])
    names = {p["name"] for p in document(client, desk.capture)["places"]}
    assert names == {"Toretsk (Dzerzhynsk)", "Niu-York"}


def test_a_linked_claims_new_statement_and_claimant_name_reach_the_other_page(client, desk, revise):
    assert esc(desk.capture.statement) in section(client, desk.holding, "related-heading")
    around(client, desk.holding)
    revise(desk.capture, statement="Russia says its forces took the whole of Toretsk")
    assert "Russia says its forces took the whole of Toretsk" in section(
        client, desk.holding, "related-heading"
    )
    assert "took the whole of Toretsk" in around(client, desk.holding)
    desk.mod.name = "Ministry of Defence of Russia"
    desk.mod.save()
    assert "Ministry of Defence of Russia" in section(client, desk.holding, "related-heading")
    assert "Ministry of Defence of Russia" in around(client, desk.holding)


def test_a_hostile_statement_of_a_linked_claim_is_escaped(client, desk, revise):
    section(client, desk.holding, "related-heading")
    hostile = 'Russia says <script>alert("x")</script> it holds Toretsk'
    revise(desk.capture, statement=hostile)
    related = section(client, desk.holding, "related-heading")
    assert "<script>" not in related and esc(hostile) in related


def test_a_desk_preview_keeps_nothing_around_a_claim(client, desk, editor):
    """An unpublished claim's page, previewed by the desk, shows what readers will see; no
    piece of it is kept for readers, and they still get a 404."""
    client.force_login(editor)
    assert esc(desk.unpublished.statement) in page(client, desk.unpublished)
    assert pieces.kept.size == 0
    client.logout()
    assert client.get(desk.unpublished.get_absolute_url()).status_code == 404
    assert not any(SECRET in str(found[3]) for found in pieces.kept._items.values())
