"""Pieces of reader pages kept by each worker (claims.web.cache.pieces): a claim page's "More
about these places" is rendered once and reused when the page is rendered again for a change
it does not show, and never once something it shows has changed."""

import html
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import ClaimLink
from claims.site import fragments
from claims.site.views import ShownClaim
from claims.web.cache import pieces
from claims.web.cache.version import purge, purge_all
from tests import factories

from .helpers import claim_review_in

pytestmark = pytest.mark.django_db


def more_about(response):
    """The "Other claims about …" section of a claim page, as sent."""
    found = re.search(
        r'<section aria-labelledby="same-places-heading">.*?</section>', _text(response), re.S
    )
    return found.group(0) if found else None


def _text(response):
    return response.content.decode()


def rendered(client, url):
    """(response, queries) for `url` rendered afresh: the page is never in the cache here."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.get("X-Reader-Cache") != "hit", url
    return response, len(queries)


MORE_ABOUT = "site/claim_detail:more-about"


def kept_lists():
    """{name: (deadline, purge number, keys, value, size)} of the kept "More about these
    places" lists (the pages' other pieces, such as the links to the standing pages, aside)."""
    return {name: found for name, found in pieces.kept._items.items() if name[0][0] == MORE_ABOUT}


def made_after():
    """The purge numbers the kept lists were rendered after."""
    return [found[1] for found in kept_lists().values()]


def test_a_claims_own_verdict_re_renders_its_page_but_not_its_list_of_other_claims(
    client, desk, publish_verification
):
    url = desk.holding.get_absolute_url()
    listed = more_about(client.get(url))
    assert desk.capture.statement in listed and desk.holding.statement not in listed
    kept_since = made_after()

    publish_verification(desk.holding, verdict="confirmed")

    again, queries = rendered(client, url)
    assert "verdict--confirmed" in _text(again)  # the page shows the new verdict
    assert more_about(again) == listed and made_after() == kept_since  # the list, reused
    # The page still names what the list shows, so that a change to it purges the page.
    assert set(again["xkey"].split()) >= {
        f"claim-{desk.capture.pk}",
        f"place-{desk.toretsk.pk}-claims",
        f"source-{desk.capture.claimant_id}",
    }
    # Reusing it saves its query: rendered again without it, the page takes one more (the
    # new verdict's card, built for `again`, is kept by now in both).
    purge([f"claim-{desk.holding.pk}"])
    _, queries = rendered(client, url)
    for name in kept_lists():
        pieces.kept._drop(name)
    purge([f"claim-{desk.holding.pk}"])
    cold, queries_cold = rendered(client, url)
    assert queries == queries_cold - 1 and cold.content == again.content


def test_a_new_verdict_on_a_listed_claim_reaches_the_list(client, desk, publish_verification):
    url = desk.holding.get_absolute_url()
    assert 'verdict--false"' not in more_about(client.get(url))
    publish_verification(desk.capture, verdict="false")
    listed = more_about(client.get(url))
    assert re.search(r'verdict--false".*' + re.escape(desk.capture.statement), listed, re.S)


def test_a_claimants_new_name_reaches_the_list(client, desk):
    url = desk.holding.get_absolute_url()
    assert "Russian Defence Ministry" in more_about(client.get(url))
    desk.capture.claimant.name = "Ministry of Defence of Russia"
    desk.capture.claimant.save()
    listed = more_about(client.get(url))
    assert "Ministry of Defence of Russia" in listed and "Russian Defence Ministry" not in listed


def test_a_claim_leaving_the_place_leaves_the_list(client, desk, publish_verification):
    url = desk.holding.get_absolute_url()
    assert desk.capture.statement in more_about(client.get(url))
    desk.capture.places.remove(desk.toretsk)
    listed = more_about(client.get(url))
    assert listed is None or desk.capture.statement not in listed


def test_a_purge_of_everything_renders_the_list_again(client, desk):
    client.get(desk.holding.get_absolute_url())
    kept_since = made_after()
    purge_all()
    client.get(desk.holding.get_absolute_url())
    assert made_after() != kept_since and len(made_after()) == 1


def test_nothing_is_kept_for_the_desk_or_past_the_pages_own_lifetime(
    client, desk, editor, settings
):
    url = desk.holding.get_absolute_url()
    client.force_login(editor)  # the desk's pages are never kept: nor are their pieces
    assert more_about(client.get(url))
    assert pieces.kept.size == 0
    client.logout()
    settings.READER_CACHE_SECONDS = 0  # pages kept for no time: pieces neither
    assert more_about(client.get(url))
    assert pieces.kept.size == 0


def test_a_claim_given_another_place_gets_a_list_of_that_place_too(client, desk):
    url = desk.holding.get_absolute_url()
    client.get(url)
    assert len(kept_lists()) == 1
    other = factories.PlaceFactory(name="Pivnichne", slug="pivnichne")
    desk.holding.places.add(other)  # another set of places: another piece
    purge_all()
    listed = more_about(client.get(url))
    assert "Pivnichne" in listed


def test_a_renamed_place_reaches_the_list_heading(client, desk):
    url = desk.holding.get_absolute_url()
    assert "Other claims about Toretsk<" in more_about(client.get(url))
    desk.toretsk.name = "Toretsk (Dzerzhynsk)"
    desk.toretsk.save()
    assert "Other claims about Toretsk (Dzerzhynsk)<" in more_about(client.get(url))


def test_a_page_made_with_a_kept_piece_is_kept_no_longer_than_the_piece(client, desk, settings):
    """A page is kept for READER_CACHE_SECONDS at most after it was rendered, the bound on a
    lost purge: a piece reused in it must not stretch that."""
    from claims.web.cache.store import local_pages

    url = desk.holding.get_absolute_url()
    client.get(url)  # rendered: the piece kept for READER_CACHE_SECONDS
    ((name, found),) = kept_lists().items()
    pieces.kept._items[name] = (time.monotonic() + 5, *found[1:])  # now 5 s from expiry
    purge([f"claim-{desk.holding.pk}"])
    client.get(url)  # rendered again, with the piece
    ((deadline, *_),) = (kept for key, kept in local_pages.entries.items())
    assert deadline - time.monotonic() <= 6


# --- an explainer's claims: each kept with its card, what it disputes and what it cites ---


def cards(response):
    """The explainer's claim cards as sent: {claim id: the card's HTML}."""
    found = re.findall(
        r'(<article class="claim-card" id="claim-(\d+)".*?</article>)', _text(response), re.S
    )
    return {int(pk): card for card, pk in found}


def section(response, heading):
    found = re.search(
        rf'<section[^>]*aria-labelledby="{heading}">.*?</section>', _text(response), re.S
    )
    return found.group(0) if found else ""


def kept_claims():
    """{claim id: the purge number its kept piece was made after} for the explainer's."""
    return {
        name[0][1]: found[1]
        for name, found in pieces.kept._items.items()
        if name[0][0] == "site/explainer_detail:claim"
    }


def test_a_verdict_on_one_claim_re_renders_its_card_alone(client, desk, publish_verification):
    url = desk.explainer.get_absolute_url()
    first = client.get(url)
    before = kept_claims()
    assert set(before) == {desk.capture.pk, desk.holding.pk, desk.officer.pk}

    publish_verification(desk.officer, verdict="false")

    again, queries = rendered(client, url)
    after = kept_claims()
    assert after[desk.officer.pk] > before[desk.officer.pk]  # built again, after the purge
    assert {pk: after[pk] for pk in before if pk != desk.officer.pk} == {
        pk: seq for pk, seq in before.items() if pk != desk.officer.pk
    }  # the other two, reused
    assert "verdict--false" in cards(again)[desk.officer.pk]
    assert "verdict--false" not in cards(first)[desk.officer.pk]
    for pk in (desk.capture.pk, desk.holding.pk):
        assert cards(again)[pk] == cards(first)[pk]
    # The page still names everything the reused cards show, so a change to it purges it.
    assert set(again["xkey"].split()) >= {
        f"claim-{desk.capture.pk}",
        f"claim-{desk.holding.pk}",
        f"source-{desk.capture.claimant_id}",
    }
    # Reusing them saved their rows: with nothing kept the same page takes more queries and
    # is the same, byte for byte.
    pieces.kept.clear()
    fragments.kept.clear()
    purge([f"claim-{desk.officer.pk}"])
    cold, queries_cold = rendered(client, url)
    assert queries < queries_cold and cold.content == again.content


def test_a_kept_claims_new_claimant_name_reaches_its_card_and_the_sources_panel(client, desk):
    url = desk.explainer.get_absolute_url()
    assert "Russian Defence Ministry" in section(client.get(url), "sources-heading")
    desk.capture.claimant.name = "Ministry of Defence of Russia"
    desk.capture.claimant.save()
    page = client.get(url)
    assert "Ministry of Defence of Russia" in cards(page)[desk.capture.pk]
    assert "Ministry of Defence of Russia" in section(page, "sources-heading")
    assert "Russian Defence Ministry" not in _text(page)


def test_a_new_dispute_between_kept_claims_reaches_the_side_by_side(client, desk):
    url = desk.explainer.get_absolute_url()
    before = section(client.get(url), "disputes-heading")
    officer = html.escape(desk.officer.statement)
    assert officer not in before  # only holding disputes capture so far
    ClaimLink.objects.create(from_claim=desk.officer, to_claim=desk.holding, relation="disputes")
    after = section(client.get(url), "disputes-heading")
    assert after.count('class="side-by-side"') == 2 and officer in after


def test_a_kept_claims_renamed_evidence_source_reaches_its_card_and_the_sources_panel(client, desk):
    url = desk.explainer.get_absolute_url()
    client.get(url)
    mapper = desk.capture.appearances.get().article.outlet  # the outlet and the evidence's
    mapper.name = "A renamed mapping project"
    mapper.save()
    page = client.get(url)
    assert "A renamed mapping project" in section(page, "sources-heading")
    assert cards(page)[desk.capture.pk].count("A renamed mapping project") >= 2


def share_alt(response):
    return html.unescape(
        re.search(r'<meta property="og:image:alt" content="([^"]*)">', _text(response)).group(1)
    )


def test_the_share_pictures_words_follow_a_verdict_on_a_kept_claim(
    client, desk, publish_verification
):
    """The tally of verdicts in the share picture's words comes from the kept claims: a new
    verdict on one of them changes it, as it changes the picture."""
    from claims.site import share

    url = desk.explainer.get_absolute_url()
    claims = [desk.capture, desk.holding, desk.officer]
    before = share_alt(client.get(url))
    publish_verification(desk.officer, verdict="false")
    after = share_alt(client.get(url))
    for claim in claims:
        claim.refresh_from_db()
    assert after != before
    assert after == share.alt_text(desk.explainer, [claim.current_verdict for claim in claims])


def test_a_claim_leaving_the_explainer_between_its_two_reads_is_left_out(client, desk, monkeypatch):
    """The claims are read by id, then those whose cards are not kept read again whole: one
    gone from the explainer in between has no card, and the page is still whole."""
    from claims import selectors

    url = desk.explainer.get_absolute_url()
    reads = []
    real = selectors.explainer_entries_for_readers

    def entries(explainer, now=None, *, preview=False):
        reads.append(explainer)
        found = real(explainer, now, preview=preview)
        if len(reads) == 2:  # the second read, of the cards not kept: as if removed since
            return found.exclude(claim=desk.officer)
        return found

    monkeypatch.setattr(selectors, "explainer_entries_for_readers", entries)
    page = client.get(url)
    assert page.status_code == 200 and len(reads) == 2
    assert set(cards(page)) == {desk.capture.pk, desk.holding.pk}


def kept_around(claim):
    """The kept piece of what is around `claim` on an explainer, or None."""
    found = [
        piece
        for name, piece in pieces.kept._items.items()
        if name[0] == ("site/explainer_detail:claim-around", claim.pk)
    ]
    return found[0] if found else None


def test_a_verdict_rebuilds_the_card_from_what_is_kept_around_the_claim(
    client, desk, publish_verification
):
    """A verdict purges the claim's card but not what is around it: the card is made again
    from the kept appearances and disputes, and reads the claim's verdicts alone."""
    url = desk.explainer.get_absolute_url()
    first = client.get(url)
    around = kept_around(desk.capture)
    assert (
        around is not None and "Moscow claims capture of Toretsk" in cards(first)[desk.capture.pk]
    )
    publish_verification(desk.capture, verdict="false")
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert kept_around(desk.capture) is around  # reused, not made again
    card = cards(again)[desk.capture.pk]
    assert "verdict--false" in card and "Moscow claims capture of Toretsk" in card
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "claims_appearance" not in read and "claims_claimlink" not in read
    pieces.kept.clear()
    fragments.kept.clear()
    purge_all()
    assert client.get(url).content == again.content  # the same as made with nothing kept


def second_appearance_revised_onto(desk, revise):
    """The capture claim revised to have appeared in a second article too, "Ministry repeats
    its claim"."""
    article = factories.ArticleFactory(headline="Ministry repeats its claim", outlet=desk.mod)
    wire = desk.capture.appearances.get().article
    revise(
        desk.capture,
        appearances=[
            {"article": wire.pk, "passage": ""},
            {"article": article.pk, "passage": "It said so again."},
        ],
    )


def test_an_appearance_revised_onto_a_kept_claim_reaches_its_card(client, desk, revise):
    url = desk.explainer.get_absolute_url()
    client.get(url)
    second_appearance_revised_onto(desk, revise)
    assert "Ministry repeats its claim" in cards(client.get(url))[desk.capture.pk]
    revise(desk.capture, kind="minor", appearances=[])
    card = cards(client.get(url))[desk.capture.pk]
    assert "Appeared in" not in card and "Ministry repeats" not in card


def wire_renamed(desk, editor):
    """The capture claim's article, renamed "Moscow says it took Toretsk" through the desk."""
    from claims import services

    wire = desk.capture.appearances.get().article
    wire.headline = "Moscow says it took Toretsk"
    services.record_save(obj=wire, by=editor)
    return wire


def concealed(outlet, editor):
    """`outlet` made confidential through the desk, described as "a wire service"."""
    from claims import services

    outlet.is_confidential = True
    outlet.redacted_description = "a wire service"
    services.source_save(source=outlet, by=editor)


def test_an_articles_new_headline_and_outlet_name_reach_the_kept_card(client, desk, editor):
    url = desk.explainer.get_absolute_url()
    client.get(url)
    wire = wire_renamed(desk, editor)
    assert "Moscow says it took Toretsk" in cards(client.get(url))[desk.capture.pk]
    concealed(wire.outlet, editor)
    page = client.get(url)
    assert "(a wire service)" in cards(page)[desk.capture.pk]
    assert "a wire service" in section(page, "sources-heading")


def test_a_card_rebuilt_after_a_verdict_still_follows_what_is_around_the_claim(
    client, desk, publish_verification, editor
):
    """A card made again from what was kept around its claim shows, and is purged by, what
    that showed: an article's new headline after the verdict reaches it."""
    url = desk.explainer.get_absolute_url()
    client.get(url)
    publish_verification(desk.capture, verdict="false")
    assert "verdict--false" in cards(client.get(url))[desk.capture.pk]
    wire_renamed(desk, editor)
    card = cards(client.get(url))[desk.capture.pk]
    assert "Moscow says it took Toretsk" in card and "verdict--false" in card


def test_a_dispute_revised_away_leaves_the_side_by_side(client, desk, revise):
    url = desk.explainer.get_absolute_url()
    assert 'class="side-by-side"' in section(client.get(url), "disputes-heading")
    revise(desk.holding, links=[])
    assert section(client.get(url), "disputes-heading") == ""


def test_a_desk_preview_of_an_explainer_keeps_no_claim(client, desk, editor):
    client.force_login(editor)
    assert "This explainer is draft." in _text(client.get("/explainers/draft-explainer/"))
    assert pieces.kept.size == 0 and fragments.kept.size == 0


def test_a_kept_claim_counts_as_its_html_not_six_times_its_repr():
    """The worker's budget for pieces (16 MB) counts a card by its length; the 6 × repr
    measured for JSON documents would push cards out six times too soon."""
    card = "<article>" + "x" * 20_000 + "</article>"
    part = ShownClaim(
        card=card,
        verdict="false",
        disputes=(1, 2),
        citations=((3, "A source", "/s/a/", "claimant"),),
    )
    assert len(card) < pieces.size_of(part) < len(card) + 2_000
    document = {"id": 1, "statement": "y" * 1_000}
    assert pieces.size_of(document) == 6 * len(repr(document))


# --- what is around a claim on its own page --------------------------------------------------

CLAIM_AROUND = "site/claim_detail:around"


def kept_page_around(claim):
    """The kept piece of what is around `claim` on its page, or None."""
    found = [p for name, p in pieces.kept._items.items() if name[0] == (CLAIM_AROUND, claim.pk)]
    return found[0] if found else None


def review(response):
    """The page's ClaimReview."""
    return claim_review_in(_text(response))


def test_a_verdict_re_renders_the_claim_page_from_what_is_kept_around_it(
    client, desk, publish_verification
):
    """A verdict purges the claim's page but not its places and appearances: the page is made
    again without reading them, its structured data still names where the claim appeared,
    and it is the page made with nothing kept, byte for byte."""
    url = desk.capture.get_absolute_url()
    first = client.get(url)
    around = kept_page_around(desk.capture)
    assert around is not None
    assert "Moscow claims capture of Toretsk" in section(first, "appearances-heading")

    publish_verification(desk.capture, verdict="false")

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert kept_page_around(desk.capture) is around  # reused
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "claims_appearance" not in read and "claims_claim_places" not in read
    assert "verdict--false" in _text(again)
    assert "Moscow claims capture of Toretsk" in section(again, "appearances-heading")
    assert f'href="{desk.toretsk.get_absolute_url()}">Toretsk</a>' in _text(again)
    (work,) = review(again)["itemReviewed"]["appearance"]
    assert work["headline"] == "Moscow claims capture of Toretsk"
    pieces.kept.clear()
    purge_all()
    assert client.get(url).content == again.content


def test_an_archived_copy_cited_by_a_new_verdict_reaches_the_kept_appearance(
    client, desk, publish_verification
):
    """The structured data's `archivedAt` of an appearance comes from the verdicts' evidence,
    not from what is kept around the claim: a verdict whose evidence archives the article
    reaches it."""
    url = desk.capture.get_absolute_url()
    wire = desk.capture.appearances.get().article
    (work,) = review(client.get(url))["itemReviewed"]["appearance"]
    assert "archivedAt" not in work
    evidence = factories.EvidenceFactory(
        claim=desk.capture,
        kind="document",
        description="The wire's report, archived.",
        url=wire.url,
        archived_url="https://archive.example/wire-1",
    )
    publish_verification(desk.capture, verdict="false", evidence=[evidence])
    (work,) = review(client.get(url))["itemReviewed"]["appearance"]
    assert work["archivedAt"] == "https://archive.example/wire-1"


def test_an_appearance_revised_on_and_off_reaches_the_kept_claim_page(client, desk, revise):
    url = desk.capture.get_absolute_url()
    client.get(url)
    second_appearance_revised_onto(desk, revise)
    page = client.get(url)
    assert "Ministry repeats its claim" in section(page, "appearances-heading")
    works = review(page)["itemReviewed"]["appearance"]
    assert {w["headline"] for w in works} >= {"Ministry repeats its claim"}
    revise(desk.capture, kind="minor", appearances=[])
    page = client.get(url)
    assert section(page, "appearances-heading") == ""
    assert "appearance" not in review(page)["itemReviewed"]


def test_an_articles_headline_and_outlet_reach_the_kept_claim_page(client, desk, editor):
    url = desk.capture.get_absolute_url()
    client.get(url)
    wire = wire_renamed(desk, editor)
    page = client.get(url)
    assert "Moscow says it took Toretsk" in section(page, "appearances-heading")
    (work,) = review(page)["itemReviewed"]["appearance"]
    assert work["headline"] == "Moscow says it took Toretsk"
    outlet = wire.outlet
    concealed(outlet, editor)
    page = client.get(url)
    assert "a wire service" in section(page, "appearances-heading")
    assert outlet.name not in _text(page)
    (work,) = review(page)["itemReviewed"]["appearance"]
    assert outlet.name not in str(work)


def test_a_place_renamed_or_added_reaches_the_kept_claim_pages_header(client, desk, editor):
    from claims import services

    url = desk.capture.get_absolute_url()
    client.get(url)
    desk.toretsk.name = "Toretsk (Dzerzhynsk)"
    services.record_save(obj=desk.toretsk, by=editor)
    assert ">Toretsk (Dzerzhynsk)</a>." in _text(client.get(url))
    other = factories.PlaceFactory(name="Pivnichne", slug="pivnichne")
    desk.capture.places.add(other)
    assert f'href="{other.get_absolute_url()}">Pivnichne</a>' in _text(client.get(url))
