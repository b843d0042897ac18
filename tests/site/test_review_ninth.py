"""An outside review's attempts on the ninth session's changes:

1. `selectors.claim_for_readers(pk)` (a claim page's claim: visible at once when it has a
   current verification, else only when a live explainer cites it);
2. `selectors.assessed_claims_for_readers()` and `claims_for_readers_by_verdict(verdict)`,
   which no longer ask about explainers for a claim with a verdict (the ClaimReview feed and
   its one-file form, the home page's latest verdicts, /claims/?verdict=...);
3. `{% fixed_url %}` (claims.web.links.fixed_path), argument-less URLs memoized per name,
   URLconf and script prefix.

Attacked: every verification state short of published, and every way back from published
(none exists); a verdict superseded; the API writing a claim's current verification; merged
duplicates before and after the claim kept gets its verdict; explainers unpublished,
scheduled, coming due, and revised to drop a claim; staff previews against readers and the
reader cache; HEAD; odd keys in claim addresses; navigation under several script prefixes
and URLconfs, through the reader cache. Each reader-facing answer is compared, where it can
be, with `selectors.claims_for_readers()`, the one statement of what readers may see.

Findings, both mended with these tests (they failed before):

- a claim page answered 200 under any zero-padded form of its key (/claims/0001-<slug>/),
  each copy calling itself canonical and kept in the shared reader cache under its own key
  (older than these changes: the view compared the slug, never the key's spelling); it now
  leads to the claim's one address, as the short address /claims/0001/ did;
- `fixed_path` outside a request (no URLconf set for the thread) was keyed on `None`, so it
  kept answering for the ROOT_URLCONF of its first call after the setting changed, where
  `reverse()` (whose caches Django clears on that setting's change) follows it; it is now
  keyed on ROOT_URLCONF there.
"""

import datetime
import json
import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import IntegrityError, transaction
from django.test.utils import override_script_prefix, override_settings
from django.urls import get_urlconf, include, path, reverse, set_urlconf
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import selectors, workflow
from claims.errors import DeskError
from claims.models import Claim, Explainer, ExplainerClaim, MergedClaim, Verification
from claims.services import merge
from claims.verdicts import Verdict
from claims.web import links
from tests import factories

from .conftest import SECRET
from .helpers import come_due, fixed_url_names

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

# The whole project mounted under /news/: the URLconf of `test_a_urlconf_per_request...`.
urlpatterns = [path("news/", include("newsroom.urls"))]

CLAIM_LINK = re.compile(r"/claims/(\d+)-")
VS = Verification.Status
ES = Explainer.Status

# Every argument-less name the reader templates give `{% fixed_url %}`.
FIXED_NAMES = fixed_url_names()


# --- helpers -----------------------------------------------------------------------------------


def visible(now=None):
    return set(selectors.claims_for_readers(now).values_list("pk", flat=True))


def assessed_visible(now=None):
    return set(
        selectors.claims_for_readers(now).exclude(current_verdict="").values_list("pk", flat=True)
    )


def linked(page):
    return {int(pk) for pk in CLAIM_LINK.findall(page)}


def get_text(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def listed(client, verdict=None):
    """The claims /claims/ lists (with `?verdict=`), every page of it."""
    found, page = set(), 1
    while True:
        query = f"verdict={verdict}&" if verdict is not None else ""
        response = client.get(f"/claims/?{query}page={page}")
        if response.status_code == 404 and page > 1:
            return found
        assert response.status_code == 200
        found |= linked(response.content.decode())
        page += 1


def in_feed(client):
    """The claims of the ClaimReview feed (/api/v1/claimreviews/), every page."""
    found, url = set(), "/api/v1/claimreviews/"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        document = response.json()
        found |= {
            int(CLAIM_LINK.search(e["item"]["url"]).group(1)) for e in document["dataFeedElement"]
        }
        url = document.get("next")
    return found


def in_feed_file(client):
    response = client.get("/api/v1/claimreviews.jsonld")
    assert response.status_code == 200
    return {
        int(CLAIM_LINK.search(e["item"]["url"]).group(1))
        for e in json.loads(response.content)["dataFeedElement"]
    }


def assert_surfaces_agree_with_claims_for_readers(client, now=None):
    """Every reader surface the change touched shows exactly what `claims_for_readers` says."""
    seen = visible(now)
    assessed = assessed_visible(now)
    assert in_feed(client) == assessed
    assert in_feed_file(client) == assessed
    assert listed(client) == seen
    for value in Verdict.values:
        expected = set(
            selectors.claims_for_readers(now)
            .filter(current_verdict=value)
            .values_list("pk", flat=True)
        )
        assert listed(client, value) == expected, value
        assert (
            set(selectors.claims_for_readers_by_verdict(value, now).values_list("pk", flat=True))
            == expected
        )
    unassessed = seen - assessed
    assert listed(client, "none") == unassessed
    assert (
        set(selectors.claims_for_readers_by_verdict("", now).values_list("pk", flat=True))
        == unassessed
    )
    newest = list(
        selectors.claims_for_readers(now)
        .exclude(current_verdict="")
        .order_by("-current_verdict_as_of", "-id")
        .values_list("pk", flat=True)[:8]
    )
    home = linked(get_text(client, "/"))
    assert home <= seen
    assert set(newest) <= home
    assert [c.pk for c in selectors.claims_by_latest_verdict(now)[:8]] == newest
    for url in ("/feeds/verdicts.atom", "/feeds/verdicts.rss"):
        assert linked(get_text(client, url)) <= assessed
    for pk in Claim.objects.values_list("pk", flat=True):
        one = selectors.claim_for_readers(pk, now)
        assert (one is not None) == (pk in seen), pk
        assert one is None or one.pk == pk


def assert_verdicts_in_step():
    """The invariant the shortcut rests on: a claim's current verification is a *published*
    verification *of that claim*, its latest, with the claim's verdict and date; and a claim
    with no current verification has no published verification at all."""
    for claim in Claim.objects.select_related("current_verification"):
        latest = (
            Verification.objects.filter(claim=claim, status=VS.PUBLISHED)
            .order_by("-published_at", "-id")
            .first()
        )
        current = claim.current_verification
        assert current == latest, claim.pk
        if current is not None:
            assert current.status == VS.PUBLISHED and current.claim_id == claim.pk
            assert claim.current_verdict == current.verdict
            assert claim.current_verdict_as_of == current.published_at
        else:
            assert claim.current_verdict == "" and claim.current_verdict_as_of is None


def claim_page_status(client, claim_pk, slug, method="get"):
    return getattr(client, method)(f"/claims/{claim_pk}-{slug}/").status_code


def new_claim(statement):
    return factories.ClaimFactory(statement=statement, claimant=factories.SourceFactory())


def cited_by(explainer, *claims):
    for position, claim in enumerate(claims):
        ExplainerClaim.objects.create(explainer=explainer, claim=claim, position=position)


# --- 1. verification states ------------------------------------------------------------------


def test_every_verification_state_short_of_published_leaves_the_claim_unseen(
    client, desk, factchecker, editor
):
    claim = new_claim(f"Bridge at Kurakhove blown up {SECRET}")
    url = claim.get_absolute_url()
    verification = workflow.verification_create(
        claim=claim, by=factchecker, verdict="false", rationale=f"Draft {SECRET}"
    )

    def unseen(step):
        claim.refresh_from_db()
        assert claim.current_verification_id is None, step
        assert selectors.claim_for_readers(claim.pk) is None, step
        assert client.get(url).status_code == 404, step
        assert client.head(url).status_code == 404, step
        assert client.get(f"/claims/{claim.pk}/").status_code == 404, step
        assert client.get(f"/api/v1/claimreviews/{claim.pk}/").status_code == 404, step
        for page in ("/", "/claims/?verdict=false", "/claims/?verdict=none", "/claims/"):
            assert claim.pk not in linked(get_text(client, page)), (step, page)
        assert claim.pk not in in_feed(client) | in_feed_file(client), step
        assert_surfaces_agree_with_claims_for_readers(client)

    unseen("draft")
    workflow.verification_submit(verification=verification, by=factchecker)
    unseen("submitted")
    workflow.verification_return(verification=verification, by=editor, note="More sources.")
    unseen("returned")
    workflow.verification_reopen(verification=verification, by=factchecker)
    unseen("reopened")
    workflow.verification_submit(verification=verification, by=factchecker)
    unseen("submitted again")
    workflow.claim_refresh_current_verdict(claim=claim, by=editor)
    unseen("refreshed with nothing published")

    workflow.verification_publish(verification=verification, by=editor)
    claim.refresh_from_db()
    assert claim.current_verification_id == verification.pk
    assert selectors.claim_for_readers(claim.pk) == claim
    assert client.get(url).status_code == 200
    assert claim.pk in listed(client, "false") and claim.pk in in_feed(client)
    assert_surfaces_agree_with_claims_for_readers(client)
    assert_verdicts_in_step()


def test_a_newer_verification_in_every_state_leaves_the_published_verdict_in_force(
    client, desk, factchecker, editor, publish_verification
):
    """A second verification drafted, submitted, returned: the claim keeps its published
    verdict (its current verification is never the draft), in every list under that verdict
    and none under the draft's."""
    claim = new_claim("Depot at Selydove hit by a strike")
    first = publish_verification(claim, verdict="unconfirmed")
    second = workflow.verification_create(
        claim=claim, by=factchecker, verdict="false", rationale=f"Draft {SECRET}"
    )
    for step in ("draft", "submit", "return", "reopen", "submit again"):
        if step.startswith("submit"):
            workflow.verification_submit(verification=second, by=factchecker)
        elif step == "return":
            workflow.verification_return(verification=second, by=editor, note="Not yet.")
        elif step == "reopen":
            workflow.verification_reopen(verification=second, by=factchecker)
        claim.refresh_from_db()
        assert claim.current_verification_id == first.pk, step
        assert claim.pk in listed(client, "unconfirmed"), step
        assert claim.pk not in listed(client, "false"), step
        assert SECRET not in get_text(client, claim.get_absolute_url()), step
    workflow.verification_publish(verification=second, by=editor)
    claim.refresh_from_db()
    assert claim.current_verification_id == second.pk
    assert claim.pk in listed(client, "false") and claim.pk not in listed(client, "unconfirmed")
    assert_surfaces_agree_with_claims_for_readers(client)
    assert_verdicts_in_step()


def test_a_published_verdict_has_no_way_back_to_draft_nor_to_another_claim(
    desk, factchecker, editor, second_editor, publish_verification
):
    """Nothing takes a published verification back out of `published` (the shortcut would
    then show a claim whose verdict readers may not see) or moves it to another claim."""
    claim, other = new_claim("Claim A"), new_claim("Claim B")
    published = publish_verification(claim, verdict="false")
    for attempt in (
        lambda: workflow.verification_return(verification=published, by=second_editor, note="x"),
        lambda: workflow.verification_reopen(verification=published, by=factchecker),
        lambda: workflow.verification_submit(verification=published, by=factchecker),
        lambda: workflow.verification_publish(verification=published, by=second_editor),
    ):
        with pytest.raises(DeskError), transaction.atomic():
            attempt()
    stale = Verification.objects.get(pk=published.pk)
    for change in ({"status": VS.DRAFT}, {"claim": other}, {"verdict": "confirmed"}):
        for field, value in change.items():
            setattr(stale, field, value)
        with pytest.raises(DeskError), transaction.atomic():
            stale.save()
        stale = Verification.objects.get(pk=published.pk)
    with pytest.raises(DeskError), transaction.atomic():
        stale.delete()
    workflow.claim_refresh_current_verdict(claim=other, by=editor)
    claim.refresh_from_db(), other.refresh_from_db()
    assert claim.current_verification_id == published.pk
    assert other.current_verification_id is None
    assert selectors.claim_for_readers(other.pk) is None
    assert_verdicts_in_step()


def test_the_database_refuses_a_current_verification_out_of_step_with_the_verdict(
    desk, factchecker
):
    """The check constraint `assessed_claims_for_readers` and the verdict list rely on: no
    current verification without a verdict and its date, nor a verdict without them."""
    claim = new_claim("Claim out of step")
    draft = workflow.verification_create(
        claim=claim, by=factchecker, verdict="false", rationale="Draft."
    )
    now = timezone.now()
    for values in (
        {"current_verification": draft},
        {"current_verdict": "false"},
        {"current_verdict_as_of": now},
        {"current_verification": draft, "current_verdict": "false"},
        {"current_verification": draft, "current_verdict_as_of": now},
        {"current_verdict": "false", "current_verdict_as_of": now},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Claim.objects.filter(pk=claim.pk).update(**values)
    assert selectors.claim_for_readers(claim.pk) is None


def test_the_api_cannot_write_a_claims_current_verification_or_a_verifications_status(
    client, desk, factchecker, editor
):
    """An editor's API client naming a draft as the claim's current verification (and its
    verdict and date), or a draft's status as published: nothing changes, the claim stays
    unseen."""
    claim = new_claim(f"Ammunition dump at Pokrovsk {SECRET}")
    draft = workflow.verification_create(
        claim=claim, by=factchecker, verdict="false", rationale=f"Draft {SECRET}"
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=editor)[0].key}")
    url = f"/api/v1/claims/{claim.pk}/"
    etag = api.get(url)["ETag"]
    api.patch(
        url,
        {
            "current_verification": draft.pk,
            "current_verdict": "false",
            "current_verdict_as_of": timezone.now().isoformat(),
            "current_verdict_label": "False",
        },
        format="json",
        HTTP_IF_MATCH=etag,
    )
    v_url = f"/api/v1/verifications/{draft.pk}/"
    response = api.get(v_url)
    if response.status_code == 200:
        api.patch(
            v_url,
            {"status": "published", "published_at": timezone.now().isoformat()},
            format="json",
            HTTP_IF_MATCH=response["ETag"],
        )
    claim.refresh_from_db(), draft.refresh_from_db()
    assert draft.status == VS.DRAFT
    assert claim.current_verification_id is None and claim.current_verdict == ""
    assert selectors.claim_for_readers(claim.pk) is None
    assert client.get(claim.get_absolute_url()).status_code == 404
    assert APIClient().get(url).status_code == 404
    assert claim.pk not in in_feed(client)
    assert_verdicts_in_step()


# --- 2. the feed, home and the claims list against claims_for_readers -----------------------


def test_every_surface_agrees_with_claims_for_readers_across_states_and_a_schedule_coming_due(
    client, desk, factchecker, editor, publish_verification, publish_explainer, monkeypatch
):
    shown_names = ("false", "superseded", "cited", "both", "verdict_then_unpublished")
    hidden_names = (
        "draft",
        "submitted",
        "returned",
        "in_draft_explainer",
        "in_unpublished_explainer",
        "in_scheduled_explainer",
    )
    claims = {name: new_claim(f"State {name}") for name in shown_names + hidden_names}
    publish_verification(claims["false"], verdict="false")
    publish_verification(claims["superseded"], verdict="unconfirmed")
    publish_verification(claims["superseded"], verdict="disputed")
    publish_verification(claims["both"], verdict="likely_true")
    publish_verification(claims["verdict_then_unpublished"], verdict="confirmed")
    for name in ("draft", "submitted", "returned"):
        v = workflow.verification_create(
            claim=claims[name], by=factchecker, verdict="false", rationale="Draft."
        )
        if name != "draft":
            workflow.verification_submit(verification=v, by=factchecker)
        if name == "returned":
            workflow.verification_return(verification=v, by=editor, note="No.")
    live = factories.ExplainerFactory()
    cited_by(live, claims["cited"], claims["both"])
    publish_explainer(live)
    cited_by(factories.ExplainerFactory(), claims["in_draft_explainer"])
    taken_down = factories.ExplainerFactory()
    cited_by(taken_down, claims["in_unpublished_explainer"], claims["verdict_then_unpublished"])
    publish_explainer(taken_down)
    workflow.explainer_unpublish(explainer=taken_down, by=editor, reason="Legal review.")
    later = factories.ExplainerFactory()
    cited_by(later, claims["in_scheduled_explainer"])
    publish_explainer(later, at=timezone.now() + datetime.timedelta(minutes=10))

    pks = {name: claim.pk for name, claim in claims.items()}
    assert visible() >= {pks[n] for n in shown_names}
    assert not visible() & {pks[n] for n in hidden_names}
    assert pks["superseded"] in listed(client, "disputed")
    assert pks["superseded"] not in listed(client, "unconfirmed")
    assert pks["cited"] in listed(client, "none")
    assert_surfaces_agree_with_claims_for_readers(client)
    assert_verdicts_in_step()

    due = come_due(later, monkeypatch)
    assert pks["in_scheduled_explainer"] in visible()
    assert pks["in_scheduled_explainer"] in listed(client, "none")
    assert client.get(claims["in_scheduled_explainer"].get_absolute_url()).status_code == 200
    assert_surfaces_agree_with_claims_for_readers(client, due)


def test_an_invalid_verdict_in_the_claims_list_address_lists_every_visible_claim(client, desk):
    seen = visible()
    for value in ("bogus", "FALSE", "none ", "' OR 1=1 --", "", "%00"):
        assert listed(client, value) == seen, value


# --- explainers coming and going -----------------------------------------------------------


def test_an_unpublished_explainer_takes_its_unassessed_claim_off_but_not_an_assessed_one(
    client, desk, editor, publish_verification, publish_explainer
):
    only_cited = new_claim(f"Convoy seen near Avdiivka {SECRET}")
    assessed = new_claim("Convoy seen near Vuhledar")
    publish_verification(assessed, verdict="likely_false")
    explainer = factories.ExplainerFactory()
    cited_by(explainer, only_cited, assessed)
    publish_explainer(explainer)
    for claim in (only_cited, assessed):
        get_text(client, claim.get_absolute_url())
        get_text(client, claim.get_absolute_url())  # kept
    assert only_cited.pk in listed(client, "none")

    workflow.explainer_unpublish(explainer=explainer, by=editor, reason="Legal review.")
    assert client.get(only_cited.get_absolute_url()).status_code == 404
    assert client.head(only_cited.get_absolute_url()).status_code == 404
    assert client.get(f"/claims/{only_cited.pk}/").status_code == 404
    assert selectors.claim_for_readers(only_cited.pk) is None
    assert only_cited.pk not in listed(client, "none")
    assert client.get(assessed.get_absolute_url()).status_code == 200
    assert assessed.pk in listed(client, "likely_false") and assessed.pk in in_feed(client)
    client.force_login(editor)
    page = get_text(client, only_cited.get_absolute_url())
    assert "preview-banner" in page and SECRET in page
    client.logout()
    assert client.get(only_cited.get_absolute_url()).status_code == 404
    assert_surfaces_agree_with_claims_for_readers(client)


def test_a_scheduled_explainers_claim_is_unseen_until_due_then_seen_and_unseen_if_unscheduled(
    client, desk, editor, publish_explainer, monkeypatch
):
    claim = new_claim("Dam at Kurakhove breached")
    url = claim.get_absolute_url()
    explainer = factories.ExplainerFactory()
    cited_by(explainer, claim)
    publish_explainer(explainer, at=timezone.now() + datetime.timedelta(minutes=5))
    explainer.refresh_from_db()
    after = explainer.publish_at + datetime.timedelta(seconds=1)
    assert selectors.claim_for_readers(claim.pk) is None
    assert selectors.claim_for_readers(claim.pk, now=after) == claim
    assert selectors.claim_for_readers(claim.pk, now=explainer.publish_at) == claim  # <= now
    assert claim.pk in visible(explainer.publish_at)
    assert client.get(url).status_code == 404
    assert claim.pk not in listed(client, "none")

    come_due(explainer, monkeypatch)
    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200
    assert claim.pk in listed(client, "none")
    assert claim.pk not in in_feed(client)  # cited, not assessed
    assert_surfaces_agree_with_claims_for_readers(client, after)

    workflow.explainer_unpublish(explainer=explainer, by=editor, reason="Pulled.")
    assert client.get(url).status_code == 404
    assert claim.pk not in listed(client, "none")
    assert_surfaces_agree_with_claims_for_readers(client, after)


def test_a_scheduled_explainer_unpublished_before_its_time_never_shows_its_claim(
    client, desk, editor, publish_explainer, monkeypatch
):
    claim = new_claim("Rail bridge at Siversk down")
    explainer = factories.ExplainerFactory()
    cited_by(explainer, claim)
    publish_explainer(explainer, at=timezone.now() + datetime.timedelta(minutes=5))
    workflow.explainer_unpublish(explainer=explainer, by=editor, reason="Not ready.")
    come_due(explainer, monkeypatch)
    assert client.get(claim.get_absolute_url()).status_code == 404
    assert selectors.claim_for_readers(claim.pk) is None
    assert claim.pk not in listed(client, "none")


def test_a_revision_dropping_the_claim_from_its_only_explainer_takes_its_page_down(
    client, desk, editor, publish_explainer, revise
):
    dropped, kept = new_claim(f"Shelling of Myrnohrad {SECRET}"), new_claim("Shelling of Selydove")
    explainer = factories.ExplainerFactory()
    cited_by(explainer, dropped, kept)
    publish_explainer(explainer)
    url = dropped.get_absolute_url()
    get_text(client, url)
    assert client.get(url).get("X-Reader-Cache") == "hit"
    revise(explainer, claims=[{"claim": kept.pk, "context_note": ""}])
    assert client.get(url).status_code == 404
    assert selectors.claim_for_readers(dropped.pk) is None
    assert client.get(kept.get_absolute_url()).status_code == 200
    assert_surfaces_agree_with_claims_for_readers(client)


# --- merged claims ---------------------------------------------------------------------------


def test_a_duplicate_merged_into_an_unseen_claim_leads_readers_nowhere_until_it_has_a_verdict(
    client, desk, factchecker, editor, second_editor
):
    duplicate = new_claim(f"Toretsk mine shaft captured {SECRET}")
    kept = new_claim(f"Toretsk mine captured {SECRET}")
    verification = workflow.verification_create(
        claim=duplicate, by=factchecker, verdict="false", rationale="The mine is held."
    )
    workflow.verification_submit(verification=verification, by=factchecker)
    dup_pk, dup_url = duplicate.pk, duplicate.get_absolute_url()
    merge.claim_merge(duplicate=duplicate, into=kept, by=editor)
    assert MergedClaim.objects.filter(old_id=dup_pk, into=kept).exists()

    for address in (dup_url, f"/claims/{dup_pk}/", f"/claims/{dup_pk}-anything/"):
        response = client.get(address)
        assert response.status_code == 404, address
        assert not response.has_header("Location")
        assert client.head(address).status_code == 404
    assert selectors.claim_for_readers(dup_pk) is None
    client.force_login(editor)
    response = client.get(dup_url)
    assert response.status_code == 302 and response["Location"] == kept.get_absolute_url()
    client.logout()

    verification.refresh_from_db()
    assert verification.claim_id == kept.pk
    workflow.verification_publish(verification=verification, by=second_editor)
    kept.refresh_from_db()
    assert kept.current_verification_id == verification.pk
    for address in (dup_url, f"/claims/{dup_pk}/", f"/claims/{dup_pk}-anything/"):
        response = client.get(address)
        assert response.status_code == 301, address
        assert response["Location"] == kept.get_absolute_url()
    assert selectors.claim_for_readers(dup_pk) is None
    assert selectors.claim_for_readers(kept.pk) == kept
    assert kept.pk in listed(client, "false") and kept.pk in in_feed(client)
    assert dup_pk not in listed(client) | in_feed(client) | in_feed_file(client)
    assert sorted(in_feed_file(client)) == sorted(set(in_feed_file(client)))
    assert_surfaces_agree_with_claims_for_readers(client)
    assert_verdicts_in_step()


def test_a_duplicate_merged_into_a_live_claim_goes_to_it_and_a_live_duplicate_is_refused(
    client, desk, editor, publish_verification
):
    duplicate = new_claim(f"Brigade says it still holds Toretsk {SECRET}")
    dup_pk = duplicate.pk
    merge.claim_merge(duplicate=duplicate, into=desk.holding, by=editor)
    response = client.get(f"/claims/{dup_pk}-whatever/")
    assert response.status_code == 301
    assert response["Location"] == desk.holding.get_absolute_url()

    live = new_claim("A claim readers have seen")
    publish_verification(live)
    with pytest.raises(DeskError), transaction.atomic():
        merge.claim_merge(duplicate=live, into=desk.capture, by=editor)
    assert client.get(live.get_absolute_url()).status_code == 200
    assert selectors.claim_for_readers(live.pk) == live
    assert_verdicts_in_step()


# --- readers, staff previews, the reader cache, HEAD ---------------------------------------


def test_a_staff_preview_is_never_what_a_reader_is_then_served(client, desk, editor):
    url = desk.unpublished.get_absolute_url()
    for method in ("get", "head"):
        client.force_login(editor)
        assert getattr(client, method)(url).status_code == 200
        client.logout()
        assert getattr(client, method)(url).status_code == 404
        assert getattr(client, method)(url).status_code == 404


def test_a_hidden_claims_address_with_the_wrong_slug_does_not_redirect_to_its_real_one(
    client, desk, editor
):
    """A redirect would name the hidden claim's statement (its slug) to anyone guessing keys."""
    hidden = desk.unpublished
    for address in (f"/claims/{hidden.pk}-x/", f"/claims/{hidden.pk}/"):
        response = client.get(address)
        assert response.status_code == 404 and not response.has_header("Location")
        assert hidden.slug not in response.content.decode()
    client.force_login(editor)
    response = client.get(f"/claims/{hidden.pk}-x/")
    assert response.status_code == 302 and response["Location"] == hidden.get_absolute_url()
    seen = desk.capture
    client.logout()
    response = client.get(f"/claims/{seen.pk}-x/")
    assert response.status_code == 301 and response["Location"] == seen.get_absolute_url()


def test_head_answers_as_get_does_for_every_kind_of_claim(client, desk):
    for claim, status in (
        (desk.capture, 200),  # a verdict
        (desk.officer, 200),  # cited only
        (desk.unpublished, 404),  # neither
    ):
        url = claim.get_absolute_url()
        head = client.head(url)
        assert head.status_code == status
        assert head.content == b""
        get = client.get(url)
        assert get.status_code == status
        again = client.head(url)
        assert again.status_code == status and again.content == b""
        if status == 200:
            assert again.get("X-Reader-Cache") == "hit"
            assert again["ETag"] == client.get(url)["ETag"]


@pytest.mark.parametrize(
    "address",
    [
        "/claims/0-x/",
        "/claims/0/",
        "/claims/-1-x/",
        "/claims/-1/",
        "/claims/9223372036854775807-x/",
        "/claims/9223372036854775808-x/",
        "/claims/18446744073709551616-x/",
        "/claims/99999999999999999999999999999999999999-x/",
        "/claims/99999999999999999999999999999999999999/",
        "/api/v1/claims/9223372036854775808/",
        "/api/v1/claimreviews/9223372036854775808/",
        "/api/v1/claimreviews/0/",
    ],
)
def test_odd_keys_are_404_for_readers_and_staff_never_a_server_error(client, desk, editor, address):
    assert client.get(address).status_code == 404
    assert client.head(address).status_code == 404
    client.force_login(editor)
    assert client.get(address).status_code == 404


def test_odd_keys_in_the_selectors(desk):
    for pk in (0, -1, 2**63 - 1, 2**63, 2**64, 10**40):
        assert selectors.claim_for_readers(pk) is None
        assert selectors.merged_into(pk) is None


def test_a_hidden_claim_is_404_under_a_zero_padded_key_too(client, desk):
    hidden = desk.unpublished
    for address in (f"/claims/00{hidden.pk}-{hidden.slug}/", f"/claims/00{hidden.pk}/"):
        assert client.get(address).status_code == 404, address


def test_a_zero_padded_key_leads_to_the_claims_one_address(client, desk):
    claim = desk.capture
    padded = f"/claims/000{claim.pk}-{claim.slug}/"
    response = client.get(padded)
    assert response.status_code == 301 and response["Location"] == claim.get_absolute_url()


def test_a_zero_padded_key_names_the_canonical_address_at_least_in_the_short_form(client, desk):
    claim = desk.capture
    response = client.get(f"/claims/000{claim.pk}/")
    assert response.status_code == 301 and response["Location"] == claim.get_absolute_url()


# --- 3. {% fixed_url %} ----------------------------------------------------------------------


@pytest.fixture
def static_at_the_root():
    """The static files storage works out its base URL once, with the script prefix of its
    first use (Django's own behaviour, not the tag's): made at the root here, so that a
    page rendered under a prefix first does not move every later test's static addresses."""
    with override_script_prefix("/"):
        staticfiles_storage.url("site/site.css")


def hrefs(page):
    """The root-relative addresses `page` links to, but for those an editor wrote into a
    standing page's Markdown (the methodology's "(/balance/)": content, not a template's)."""
    from claims.models import StandingPage

    written = {
        found
        for body in StandingPage.objects.values_list("body", flat=True)
        for found in re.findall(r"\]\((/[^)\s]*)\)", body)
    }
    return [h for h in re.findall(r'(?:href|action)="(/[^"]*)"', page) if h not in written]


def test_fixed_path_is_reverse_under_every_urlconf_and_script_prefix_interleaved():
    before = get_urlconf()
    try:
        for urlconf in (None, "newsroom.urls", None):
            set_urlconf(urlconf)
            for prefix in ("/", "/a/", "/", "/b/c/", "/a/", "/x%20y/", "/"):
                with override_script_prefix(prefix):
                    for name in FIXED_NAMES:
                        assert links.fixed_path(name) == reverse(name), (urlconf, prefix, name)
    finally:
        set_urlconf(before)


def test_kept_pages_under_one_script_prefix_are_never_served_under_another(
    client, desk, static_at_the_root
):
    urls = [
        "/",
        "/claims/",
        "/claims/?verdict=none",
        desk.capture.get_absolute_url(),
        desk.officer.get_absolute_url(),
        desk.explainer.get_absolute_url(),
        "/places/toretsk/",
        "/methodology/",
        "/balance/",
        "/downloads/",
        "/search/?q=Toretsk",
        "/submit/thanks/",
    ]
    for prefix in ("/", "/newsroom/", "/", "/other/", "/newsroom/"):
        with override_script_prefix(prefix):
            expected = {name: reverse(name) for name in FIXED_NAMES}
            for url in urls:
                for attempt in range(2):
                    response = client.get(url, SCRIPT_NAME=prefix.rstrip("/"))
                    assert response.status_code == 200, (prefix, url)
                    page = response.content.decode()
                    for found in hrefs(page):
                        if found.startswith("/static/"):
                            continue
                        assert found.startswith(prefix), (prefix, url, found)
                    for name in ("site:home", "site:claims", "site:methodology"):
                        assert f'href="{expected[name]}"' in page, (prefix, url, name)
                    if attempt:
                        assert response.get("X-Reader-Cache") == "hit", (prefix, url)


def test_a_claim_page_under_a_prefix_lists_the_claims_under_it_and_404s_hidden_ones(
    client, desk, static_at_the_root
):
    with override_script_prefix("/newsroom/"):
        response = client.get(
            desk.capture.get_absolute_url().removeprefix("/newsroom"), SCRIPT_NAME="/newsroom"
        )
        assert response.status_code == 200
        hidden = desk.unpublished
        response = client.get(f"/claims/{hidden.pk}-{hidden.slug}/", SCRIPT_NAME="/newsroom")
        assert response.status_code == 404
    assert client.get(desk.capture.get_absolute_url()).status_code == 200


@pytest.mark.urls(__name__)
def test_a_urlconf_per_request_gets_its_own_addresses(client, desk, static_at_the_root):
    """The whole project under /news/ (this module's `urlpatterns`): the navigation is under
    it, and the project's own URLconf, used by the next request, is not."""
    page = get_text(client, "/news/methodology/")
    for name in ("site:home", "site:claims", "site:methodology", "site:feed-verdicts-atom"):
        assert f'href="/news{reverse(name, urlconf="newsroom.urls")}"' in page, name
    assert not [h for h in hrefs(page) if not h.startswith(("/news/", "/static/"))]
    assert client.get(desk.unpublished.get_absolute_url()).status_code == 404


def test_after_another_urlconf_the_projects_own_pages_link_at_the_root(client, desk):
    page = get_text(client, "/methodology/")
    assert 'href="/news/' not in page
    assert 'href="/claims/"' in page


def test_fixed_path_outside_a_request_follows_a_changed_root_urlconf():
    assert get_urlconf() is None
    assert links.fixed_path("site:methodology") == reverse("site:methodology")
    with override_settings(ROOT_URLCONF=__name__):
        assert reverse("site:methodology") == "/news/methodology/"
        assert links.fixed_path("site:methodology") == "/news/methodology/"
