"""What is around a claim (its places, appearances, links and the explainers citing it), kept
apart from its verdicts: a claim page's "Related claims" and "Explainers that cite it", and
the API document's `places`, `appearances`, `linked_claims` and `explainers`, are pieces
(claims.web.cache.pieces) tagged `claim-<id>-around` (keys.py), which a verdict on the claim
does not purge and every other change to what they show does. Tried as an outsider would:
each test reads a claim's page and its API document as an anonymous reader, changes
something through the desk, and reads them again."""

import datetime
import html
import json
import random
import re
import time

import pytest
from django.utils import timezone

from claims import services, workflow
from claims.models import Appearance, ClaimLink, ExplainerClaim
from claims.services import revisions
from claims.verdicts import Verdict
from claims.web.cache import pieces, version
from claims.web.cache.version import purge_log
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


def documents(client, path=CLAIMS_API):
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def document(client, claim, path=CLAIMS_API):
    return next(doc for doc in documents(client, path) if doc["id"] == claim.pk)


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


def warm(client, *claims):
    """Every claim's page and the API list kept, with their pieces."""
    for claim in claims:
        page(client, claim)
    documents(client)
    for claim in claims:
        kept(LINKS, claim)
        kept(AROUND, claim)


def come_due(explainer, monkeypatch):
    explainer.refresh_from_db()
    due = explainer.publish_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: due)
    monkeypatch.setattr(time, "time", lambda: due.timestamp())
    purge_log.forget()


def schedule(factchecker, editor, claims, **fields):
    explainer = factories.ExplainerFactory(**fields)
    for position, claim in enumerate(claims):
        ExplainerClaim.objects.create(explainer=explainer, claim=claim, position=position)
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    return workflow.explainer_publish(
        explainer=explainer, by=editor, at=timezone.now() + datetime.timedelta(minutes=5)
    )


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


# --- verdicts on the other end of a link --------------------------------------------------


def test_a_verdict_on_the_claim_that_disputes_it_reaches_its_related_claims(
    client, desk, publish_verification
):
    """The link comes in (holding disputes capture): the capture's kept piece shows holding's
    verdict, which a verdict on holding (not on capture) changes."""
    warm(client, desk.capture, desk.holding)
    assert "verdict--likely_true" in section(client, desk.capture, "related-heading")
    publish_verification(desk.holding, verdict="false")
    assert "verdict--false" in section(client, desk.capture, "related-heading")
    [linked] = document(client, desk.capture)["linked_claims"]
    assert linked["direction"] == "in" and linked["claim"]["current_verdict"] == "false"


def test_two_verdicts_in_a_row_on_both_ends(client, desk, publish_verification):
    warm(client, desk.capture, desk.holding)
    publish_verification(desk.capture, verdict="false")
    warm(client, desk.capture, desk.holding)
    publish_verification(desk.holding, verdict="confirmed")
    assert "verdict--confirmed" in section(client, desk.capture, "related-heading")
    assert "verdict--false" in section(client, desk.holding, "related-heading")
    assert document(client, desk.capture)["linked_claims"][0]["claim"]["current_verdict"] == (
        "confirmed"
    )
    assert document(client, desk.holding)["linked_claims"][0]["claim"]["current_verdict"] == (
        "false"
    )


# --- links whose other end comes or goes -----------------------------------------------------


def test_a_linked_claim_made_public_by_a_scheduled_explainer_coming_due(
    client, desk, hidden_linker, factchecker, editor, monkeypatch
):
    schedule(factchecker, editor, [hidden_linker], title="Due soon", slug="due-soon")
    warm(client, desk.capture)
    assert esc(hidden_linker.statement) not in section(client, desk.capture, "related-heading")
    assert hidden_linker.statement not in around(client, desk.capture)
    come_due(hidden_linker.explainers.get(), monkeypatch)
    assert esc(hidden_linker.statement) in section(client, desk.capture, "related-heading")
    assert hidden_linker.statement in around(client, desk.capture)


def test_an_explainer_citing_the_claim_coming_due_joins_its_document(
    client, desk, factchecker, editor, monkeypatch
):
    later = schedule(factchecker, editor, [desk.capture], title="Due soon", slug="due-soon")
    warm(client, desk.capture)
    assert "Due soon" not in around(client, desk.capture)
    come_due(later, monkeypatch)
    assert "Due soon" in section(client, desk.capture, "explainers-heading")
    assert [e["title"] for e in document(client, desk.capture)["explainers"]][0] == "Due soon"


def test_the_only_explainer_of_a_linked_claim_unpublished_takes_the_link_away(
    client, desk, revise, editor
):
    """officer is public only through the explainer: a link officer -> capture shows while the
    explainer is live, and goes with it (both pages, both documents)."""
    revise(desk.officer, links=[{"to_claim": desk.capture.pk, "relation": "supports"}])
    warm(client, desk.capture, desk.holding)
    assert "Claims that support it" in section(client, desk.capture, "related-heading")
    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Legal check")
    assert "Claims that support it" not in section(client, desk.capture, "related-heading")
    assert all(
        entry["claim"]["id"] != desk.officer.pk
        for entry in document(client, desk.capture)["linked_claims"]
    )


# --- links and appearances changed through published revisions --------------------------------


def test_a_links_relation_and_note_revised_reach_the_other_end(client, desk, revise):
    warm(client, desk.capture, desk.holding)
    assert "Claims that contradict it" in section(client, desk.capture, "related-heading")
    revise(
        desk.holding,
        links=[{"to_claim": desk.capture.pk, "relation": "supports", "note": "On reflection."}],
    )
    related = section(client, desk.capture, "related-heading")
    assert "Claims that support it" in related and "contradict" not in related
    [linked] = document(client, desk.capture)["linked_claims"]
    assert (linked["relation"], linked["note"]) == ("supports", "On reflection.")
    [linked] = document(client, desk.holding)["linked_claims"]
    assert (linked["relation"], linked["note"], linked["direction"]) == (
        "supports",
        "On reflection.",
        "out",
    )


def test_a_link_to_an_unpublished_claim_revised_in_never_shows(client, desk, revise):
    warm(client, desk.capture, desk.holding)
    revise(
        desk.holding,
        links=[
            {"to_claim": desk.capture.pk, "relation": "disputes"},
            {"to_claim": desk.unpublished.pk, "relation": "supports"},
        ],
    )
    assert SECRET not in page(client, desk.holding)
    assert SECRET not in json.dumps(documents(client))
    assert SECRET not in str(list(pieces.kept._items.values()))


def test_an_appearance_revised_away_leaves_the_document_and_page(client, desk, revise):
    warm(client, desk.capture)
    assert "Moscow claims capture of Toretsk" in around(client, desk.capture)
    revise(desk.capture, appearances=[])
    assert document(client, desk.capture)["appearances"] == []
    assert section(client, desk.capture, "appearances-heading") == ""


def test_a_minor_edit_of_a_passage_reaches_the_document(client, desk, revise):
    warm(client, desk.capture)
    wire = desk.capture.appearances.get().article
    revise(desk.capture, kind="minor", appearances=[{"article": wire.pk, "passage": "Reworded."}])
    assert document(client, desk.capture)["appearances"][0]["passage"] == "Reworded."


# --- rows of the other kinds renamed or concealed -------------------------------------------


def test_a_place_added_and_removed_from_the_places_side(client, desk):
    warm(client, desk.capture)
    desk.niu_york.claims.add(desk.capture)
    assert {p["name"] for p in document(client, desk.capture)["places"]} == {"Toretsk", "Niu-York"}
    desk.niu_york.claims.remove(desk.capture)
    assert [p["name"] for p in document(client, desk.capture)["places"]] == ["Toretsk"]
    desk.capture.places.remove(desk.toretsk)
    assert document(client, desk.capture)["places"] == []


def test_an_outlet_made_confidential_is_redacted_around_the_claim(client, desk, editor):
    warm(client, desk.capture)
    assert "Frontline Mapping Project" in around(client, desk.capture)
    desk.mapper.is_confidential = True
    desk.mapper.redacted_description = "a mapping group"
    services.source_save(source=desk.mapper, by=editor)
    assert "Frontline Mapping Project" not in around(client, desk.capture)
    assert "a mapping group" in around(client, desk.capture)
    assert "Frontline Mapping Project" not in section(client, desk.capture, "appearances-heading")


def test_a_linked_claims_claimant_made_confidential_is_redacted(client, desk, editor):
    warm(client, desk.capture, desk.holding)
    assert "Ukrainian 100th Brigade" in section(client, desk.capture, "related-heading")
    desk.brigade.is_confidential = True
    desk.brigade.redacted_description = "a Ukrainian unit"
    services.source_save(source=desk.brigade, by=editor)
    related = section(client, desk.capture, "related-heading")
    assert "Ukrainian 100th Brigade" not in related and "a Ukrainian unit" in related
    assert "Ukrainian 100th Brigade" not in around(client, desk.capture)


def test_an_article_left_by_its_only_appearance_never_shows_again(client, desk, revise):
    """The article is PROTECTed by its appearance: the revision takes the appearance away;
    the article's headline then never shows again."""
    warm(client, desk.capture)
    revise(desk.capture, appearances=[])
    desk.capture.refresh_from_db()
    assert "Moscow claims capture" not in around(client, desk.capture)
    assert "Moscow claims capture" not in page(client, desk.capture)


# --- explainers citing the claim ------------------------------------------------------------


def test_an_explainer_republished_moves_first_among_those_citing_it(
    client, desk, make_live_explainer, editor, factchecker, second_editor
):
    later = make_live_explainer(title="Toretsk, a year on", slug="toretsk-a-year-on", body="B.")
    ExplainerClaim.objects.create(explainer=later, claim=desk.capture)
    warm(client, desk.capture)
    assert [e["title"] for e in document(client, desk.capture)["explainers"]] == [
        "Toretsk, a year on",
        "Why Toretsk matters",
    ]
    workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Check")
    warm(client, desk.capture)
    workflow.explainer_submit(explainer=desk.explainer, by=factchecker)
    workflow.explainer_publish(explainer=desk.explainer, by=second_editor, change_note="Rechecked.")
    assert [e["title"] for e in document(client, desk.capture)["explainers"]] == [
        "Why Toretsk matters",
        "Toretsk, a year on",
    ]
    cited = section(client, desk.capture, "explainers-heading")
    assert cited.index("Why Toretsk matters") < cited.index("Toretsk, a year on")


def test_a_hostile_explainer_title_and_claimant_name_are_escaped(client, desk, revise, editor):
    warm(client, desk.capture)
    hostile = 'Why <script>alert("t")</script> matters'
    revise(desk.explainer, title=hostile)
    cited = section(client, desk.capture, "explainers-heading")
    assert "<script>" not in cited and esc(hostile) in cited
    desk.brigade.name = "<img src=x onerror=alert(1)> Brigade"
    services.source_save(source=desk.brigade, by=editor)
    related = section(client, desk.capture, "related-heading")
    assert "<img" not in related and esc("<img src=x onerror=alert(1)> Brigade") in related
    # Again from the kept piece: still escaped.
    assert section(client, desk.capture, "related-heading") == related


# --- a duplicate merged into a live claim --------------------------------------------------


def test_a_duplicate_merged_into_a_live_claim_reaches_both_ends_once_published(
    client, desk, editor, second_editor, publish_verification
):
    duplicate = factories.ClaimFactory(
        statement="Ministry repeats Toretsk is taken", claimant=desk.mod
    )
    article = factories.ArticleFactory(headline="Ministry repeats itself", outlet=desk.mod)
    Appearance.objects.create(claim=duplicate, article=article, passage="Again.")
    ClaimLink.objects.create(from_claim=duplicate, to_claim=desk.officer, relation="disputes")
    linker = factories.ClaimFactory(statement="Blogger backs the ministry", claimant=desk.mapper)
    ClaimLink.objects.create(from_claim=linker, to_claim=duplicate, relation="supports")
    warm(client, desk.capture, desk.officer)
    services.claim_merge(duplicate=duplicate, into=desk.capture, by=editor)
    # Kept as the capture's pending revision: readers see nothing yet.
    assert "Ministry repeats itself" not in around(client, desk.capture)
    revision = revisions.pending_revision(desk.capture)
    revisions.revision_publish(revision=revision, by=second_editor, kind="update", note="Merged.")
    assert "Ministry repeats itself" in around(client, desk.capture)
    assert "Ministry repeats itself" in section(client, desk.capture, "appearances-heading")
    assert esc(desk.capture.statement) in section(client, desk.officer, "related-heading")
    assert desk.capture.statement in around(client, desk.officer)
    # The link that pointed to the duplicate now points to the capture: shown once the
    # claim making it is public.
    assert esc(linker.statement) not in section(client, desk.capture, "related-heading")
    publish_verification(linker, verdict="unconfirmed")
    assert esc(linker.statement) in section(client, desk.capture, "related-heading")
    assert linker.statement in around(client, desk.capture)


def test_a_duplicate_merged_into_a_claim_readers_do_not_see_yet(
    client, desk, editor, publish_verification
):
    """The rows move at once (no signal); the kept claim comes out with them."""
    into = factories.ClaimFactory(statement="Channel says Toretsk fell", claimant=desk.mapper)
    duplicate = factories.ClaimFactory(
        statement="Channel says Toretsk has fallen", claimant=desk.mapper
    )
    ClaimLink.objects.create(from_claim=duplicate, to_claim=desk.capture, relation="supports")
    warm(client, desk.capture)
    services.claim_merge(duplicate=duplicate, into=into, by=editor)
    assert esc(into.statement) not in section(client, desk.capture, "related-heading")
    publish_verification(into, verdict="false")
    assert esc(into.statement) in section(client, desk.capture, "related-heading")
    assert into.statement in around(client, desk.capture)


# --- the desk's views keep nothing; kept pages equal fresh ones ----------------------------


def test_a_staff_view_of_a_live_claim_keeps_no_piece_and_shows_the_same(client, desk, editor):
    client.force_login(editor)
    staff = page(client, desk.capture)
    assert pieces.kept.size == 0
    client.logout()
    reader = page(client, desk.capture)
    assert section_of(staff, "related-heading") == section_of(reader, "related-heading")
    assert section_of(staff, "explainers-heading") == section_of(reader, "explainers-heading")


def section_of(text, heading):
    found = re.search(rf'<section aria-labelledby="{heading}">.*?</section>', text, re.S)
    return found.group(0) if found else ""


def test_a_revision_preview_leaves_no_piece_and_readers_see_the_live_claim(
    client, desk, factchecker, editor
):
    """The admin's preview of a pending revision renders the reader page inside a transaction
    rolled back; nothing of it may be kept for readers."""
    warm(client, desk.capture, desk.holding)
    revision = revisions.revision_propose(
        subject=desk.holding,
        by=factchecker,
        changes={"links": [], "statement": f"Proposed {SECRET}"},
    )
    client.force_login(editor)
    response = client.get(f"/admin/claims/revision/{revision.pk}/preview/")
    client.logout()
    assert response.status_code == 200, response.status_code
    assert f"Proposed {SECRET}" in response.content.decode()
    assert SECRET not in str(list(pieces.kept._items.values()))
    assert esc(desk.holding.statement) in section(client, desk.capture, "related-heading")
    assert SECRET not in page(client, desk.capture)
    assert SECRET not in json.dumps(documents(client))


@pytest.mark.parametrize("change", ["verdict_on_capture", "verdict_on_holding", "link"])
def test_pages_and_documents_from_kept_pieces_are_those_built_afresh(
    client, desk, publish_verification, revise, change
):
    warm(client, desk.capture, desk.holding)
    if change == "verdict_on_capture":
        publish_verification(desk.capture, verdict="false")
    elif change == "verdict_on_holding":
        publish_verification(desk.holding, verdict="false")
    else:
        revise(desk.officer, links=[{"to_claim": desk.capture.pk, "relation": "supports"}])
    reused = [page(client, c) for c in (desk.capture, desk.holding, desk.officer)]
    reused_api = client.get(CLAIMS_API).content
    pieces.kept.clear()
    version.purge(["all"])
    assert [page(client, c) for c in (desk.capture, desk.holding, desk.officer)] == reused
    assert client.get(CLAIMS_API).content == reused_api


def test_an_explainer_the_scheduler_publishes_before_any_reader_asks_reaches_its_claims(
    client, desk, factchecker, editor, monkeypatch
):
    """`publish_scheduled` may run after the explainer's time and before any reader request
    has noticed it came due: the claims it cites must show it all the same."""
    later = schedule(factchecker, editor, [desk.capture], title="Due soon", slug="due-soon")
    warm(client, desk.capture)
    assert "Due soon" not in page(client, desk.capture)
    later.refresh_from_db()
    due = later.publish_at + datetime.timedelta(seconds=30)
    monkeypatch.setattr(timezone, "now", lambda: due)
    monkeypatch.setattr(time, "time", lambda: due.timestamp())
    purge_log.forget()
    assert workflow.explainers_publish_due() == [later]
    assert "Due soon" in section(client, desk.capture, "explainers-heading")
    assert "Due soon" in around(client, desk.capture)


def test_a_claim_revised_out_of_an_explainer_no_longer_names_it(client, desk, revise):
    warm(client, desk.capture, desk.holding)
    revise(desk.explainer, claims=[{"claim": desk.holding.pk}, {"claim": desk.officer.pk}])
    assert section(client, desk.capture, "explainers-heading") == ""
    assert document(client, desk.capture)["explainers"] == []
    assert "Why Toretsk matters" in section(client, desk.holding, "explainers-heading")


def test_the_claims_own_claimant_made_confidential(client, desk, editor):
    warm(client, desk.capture, desk.holding)
    desk.mod.is_confidential = True
    desk.mod.redacted_description = "a ministry"
    services.source_save(source=desk.mod, by=editor)
    assert document(client, desk.capture)["claimant"]["name"] == "a ministry"
    related = section(client, desk.holding, "related-heading")
    assert "Russian Defence Ministry" not in related and "a ministry" in related
    assert "Russian Defence Ministry" not in json.dumps(documents(client))
    assert "Russian Defence Ministry" not in page(client, desk.capture)


# --- many changes in a row: every page and document read with pieces kept equals the one
# rendered with none ------------------------------------------------------------------------

BYPASS = {"HTTP_X_READER_CACHE_BYPASS": "review", "HTTP_X_READER_CACHE_PURGED": "all"}


def everything(client, claims, extra=None):
    """(status, body) of every claim's page, the explainer, the API list and the feed."""
    urls = [c.get_absolute_url() for c in claims] + [
        "/explainers/why-toretsk-matters/",
        CLAIMS_API,
        "/api/v1/claimreviews/?page_size=50",
    ]
    seen = {}
    for url in urls:
        response = client.get(url, **(extra or {}))
        seen[url] = (response.status_code, response.content)
    return seen


# Once, on SQLite (tests/conftest.py): what it tries is which keys each change purges and
# which pieces are reused, the same on either database; on PostgreSQL it took a minute.
@pytest.mark.one_database
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_random_day_at_the_desk_never_leaves_a_kept_piece_stale(  # noqa: C901
    client,
    desk,
    settings,
    seed,
    publish_verification,
    revise,
    editor,
    factchecker,
    second_editor,
    hidden_linker,
):
    settings.READER_CACHE_BYPASS_TOKEN = "review"
    rng = random.Random(seed)
    claims = [desk.capture, desk.holding, desk.officer, hidden_linker]
    extra = factories.ClaimFactory(statement="Governor says the bridge held", claimant=desk.brigade)
    claims.append(extra)
    articles = [desk.capture.appearances.get().article] + [
        factories.ArticleFactory(headline=f"Report {n} on Toretsk", outlet=outlet)
        for n, outlet in enumerate([desk.mod, desk.brigade, desk.mapper])
    ]
    places = [desk.toretsk, desk.niu_york]
    sources = [desk.mod, desk.brigade, desk.mapper]
    verdicts = [v for v, _ in Verdict.choices]

    def live():
        return [c for c in claims if revisions.is_live(c)]

    def op_verdict():
        publish_verification(rng.choice(claims), verdict=rng.choice(verdicts))

    def op_links():
        claim = rng.choice(live())
        others = [c for c in claims if c.pk != claim.pk]
        links = [
            {"to_claim": c.pk, "relation": rng.choice(["disputes", "supports"]), "note": ""}
            for c in rng.sample(others, rng.randint(0, 2))
        ]
        revise(claim, links=links)

    def op_appearances():
        claim = rng.choice(live())
        rows = [
            {"article": a.pk, "passage": rng.choice(["", "Said so."])}
            for a in rng.sample(articles, rng.randint(0, 2))
        ]
        revise(claim, kind="minor", appearances=rows)

    def op_places():
        revise(
            rng.choice(live()),
            kind="minor",
            places=[p.pk for p in rng.sample(places, rng.randint(0, 2))],
        )

    def op_source():
        source = rng.choice(sources)
        source.refresh_from_db()
        if rng.random() < 0.5 and not source.is_confidential:
            source.is_confidential = True
            source.redacted_description = f"a hidden {source.pk}"
        else:
            source.name = f"{source.name.split(' #')[0]} #{rng.randint(0, 99)}"
        services.source_save(source=source, by=editor)

    def op_article():
        article = rng.choice(articles)
        article.refresh_from_db()
        article.headline = f"Headline {rng.randint(0, 999)}"
        services.record_save(obj=article, by=editor)

    def op_place():
        place = rng.choice(places)
        place.refresh_from_db()
        place.name = f"{place.name.split(' #')[0]} #{rng.randint(0, 99)}"
        services.record_save(obj=place, by=editor)

    def op_explainer():
        desk.explainer.refresh_from_db()
        if desk.explainer.status == "published":
            if rng.random() < 0.3:
                workflow.explainer_unpublish(explainer=desk.explainer, by=editor, reason="Check")
            else:
                cited = rng.sample(claims, rng.randint(1, 3))
                revise(
                    desk.explainer,
                    title=f"Why Toretsk matters {rng.randint(0, 99)}",
                    claims=[{"claim": c.pk} for c in cited],
                )
        else:
            workflow.explainer_submit(explainer=desk.explainer, by=factchecker)
            workflow.explainer_publish(
                explainer=desk.explainer, by=second_editor, change_note="Back."
            )

    ops = [
        op_verdict,
        op_links,
        op_appearances,
        op_places,
        op_source,
        op_article,
        op_place,
        op_explainer,
    ]
    everything(client, claims)
    for step in range(25):
        op = rng.choice(ops)
        try:
            op()
        except (IndexError, ValueError) as error:  # nothing live to revise, and the like
            print("skipped", op.__name__, error)
            continue
        print("op", op.__name__)
        for claim in claims:
            claim.refresh_from_db()
        reused = everything(client, claims)
        fresh = everything(client, claims, BYPASS)
        for url in fresh:
            assert reused[url] == fresh[url], (step, op.__name__, url)
