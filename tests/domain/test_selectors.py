"""Reads the admin dashboard and (later) the site build on."""

import datetime

import pytest
from django.utils import timezone

from claims import selectors
from claims.models import Claim

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def capture_claims():
    return [
        factories.ClaimFactory(statement="Russian forces captured the town of Toretsk"),
        factories.ClaimFactory(
            statement="Ukrainian brigade says it still holds positions in Toretsk"
        ),
        factories.ClaimFactory(statement="Heavy rain flooded trenches near Kupiansk"),
    ]


def test_similar_claims_finds_the_same_claim_worded_differently(capture_claims):
    found = selectors.similar_claims("Russia's forces have captured Toretsk town")
    assert found and found[0] == capture_claims[0]
    assert capture_claims[2] not in found


def test_similar_claims_excludes_the_claim_being_edited(capture_claims):
    found = selectors.similar_claims(capture_claims[0].statement, exclude_pk=capture_claims[0].pk)
    assert capture_claims[0] not in found


@pytest.mark.parametrize("statement", ["", "   ", "the of and", "x" * 5000])
def test_similar_claims_with_empty_or_odd_input_returns_nothing_or_a_list(
    statement, capture_claims
):
    assert isinstance(selectors.similar_claims(statement), list)


def test_similar_claims_forgives_typos_on_every_database(capture_claims):
    found = selectors.similar_claims("Rusian forces capturd the town of Toretsk")  # typos
    assert found[0] == capture_claims[0]
    assert 0 < found[0].similarity <= 1


def test_a_long_sentence_of_an_article_finds_the_short_claim_it_reports(capture_claims):
    """Issue 18: on the demo desk every candidate offered "Create claim", never a link."""
    sentence = (
        "Russia's Defence Ministry said on Friday that its troops had taken the town of "
        "Toretsk, a mining town in eastern Ukraine, after weeks of street fighting."
    )
    found = selectors.similar_claims(sentence)
    assert found and found[0] == capture_claims[0]
    assert capture_claims[1] not in found and capture_claims[2] not in found


def test_a_place_by_its_other_name_is_the_same_place(capture_claims):
    toretsk = factories.PlaceFactory(name="Toretsk")
    toretsk.alternative_names.create(name="Dzerzhinsk")
    found = selectors.similar_claims("The ministry said its units had captured Dzerzhinsk")
    assert found and found[0] == capture_claims[0]


@pytest.mark.parametrize(
    ("a", "b", "similar"),
    [
        ("Russian forces captured Toretsk", "Russia's troops have taken Toretsk", True),
        ("Russian forces captured Toretsk", "Russian forces captured Chasiv Yar", False),
        ("Ukrainian brigade still holds Toretsk", "Russian forces captured Toretsk", False),
        ("Toretsk", "Toretsk", False),  # too few words to call alike
    ],
)
def test_one_score_and_threshold_decide_on_every_database(a, b, similar):
    from claims import similarity

    assert similarity.similar(a, b) is similar


@pytest.mark.postgres
def test_trigram_index_exists_on_postgresql():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'claim_statement_trgm_idx'"
        )
        (indexdef,) = cursor.fetchone()
    assert "gin_trgm_ops" in indexdef


def test_stale_unconfirmed_claims_are_those_unconfirmed_for_longer_than_the_limit(
    publish_verification,
):
    old, recent, disputed = (factories.ClaimFactory() for _ in range(3))
    publish_verification(old, verdict="unconfirmed")
    publish_verification(recent, verdict="unconfirmed")
    publish_verification(disputed, verdict="disputed")
    Claim.objects.filter(pk__in=[old.pk, disputed.pk]).update(
        current_verdict_as_of=timezone.now() - datetime.timedelta(days=20)
    )
    assert list(selectors.stale_unconfirmed_claims(days=14)) == [old]


def test_claims_without_assessment_excludes_claims_with_any_verification(claim, factchecker):
    other = factories.ClaimFactory()
    factories.VerificationFactory(claim=other, author=factchecker)
    assert list(selectors.claims_without_assessment()) == [claim]


def test_the_row_by_row_and_one_claim_forms_of_claims_for_readers_are_the_same_rule(
    publish_verification, make_live_explainer, factchecker, editor, django_assert_num_queries
):
    """`claims_for_readers_row_by_row` and `claim_for_readers` (a claim page's claim, which
    asks about explainers only of a claim without a verdict) see the claims it sees, at any
    time: a scheduled explainer's claims from its time on, never a draft's or a taken-down
    one's, and a claim both assessed and cited once."""
    from claims import workflow
    from claims.models import Explainer, ExplainerClaim

    assessed, cited, uncited, in_a_draft, in_an_unpublished, scheduled, both = (
        factories.ClaimFactory() for _ in range(7)
    )
    publish_verification(assessed)
    publish_verification(both)
    ExplainerClaim.objects.create(explainer=make_live_explainer(), claim=cited)
    ExplainerClaim.objects.create(explainer=make_live_explainer(), claim=both)
    ExplainerClaim.objects.create(explainer=factories.ExplainerFactory(), claim=in_a_draft)
    taken_down = make_live_explainer()
    ExplainerClaim.objects.create(explainer=taken_down, claim=in_an_unpublished)
    workflow.explainer_unpublish(explainer=taken_down, by=editor, reason="Legal review.")
    goes_live = timezone.now() + datetime.timedelta(hours=2)
    ExplainerClaim.objects.create(
        explainer=factories.ExplainerFactory(
            status=Explainer.Status.SCHEDULED, publish_at=goes_live
        ),
        claim=scheduled,
    )
    everyone = [assessed, cited, uncited, in_a_draft, in_an_unpublished, scheduled, both]
    for now, expected in [
        (None, {assessed, cited, both}),
        (goes_live + datetime.timedelta(seconds=1), {assessed, cited, both, scheduled}),
    ]:
        assert set(selectors.claims_for_readers(now)) == expected
        assert set(selectors.claims_for_readers_row_by_row(now)) == expected
        one_by_one = {c for c in everyone if selectors.claim_for_readers(c.pk, now) == c}
        assert one_by_one == expected
        # Those with a verdict, found without asking about explainers: the same claims.
        assert set(selectors.assessed_claims_for_readers(now)) == {assessed, both}
        for claim in everyone:
            claim.refresh_from_db()
        for verdict in {"", assessed.current_verdict, "false"}:
            assert set(selectors.claims_for_readers_by_verdict(verdict, now)) == {
                c for c in expected if c.current_verdict == verdict
            }
    assert selectors.claim_for_readers(max(c.pk for c in everyone) + 1) is None
    shown = selectors.claim_for_readers(cited.pk)
    with django_assert_num_queries(0):
        assert shown.claimant.name  # loaded with the claim


def test_the_corrections_shown_with_a_visible_page_are_those_readers_see(
    publish_verification, make_live_explainer, editor
):
    """`corrections_shown_with` (an explainer's or a claim's page) is
    `corrections_for_readers` for one object already found visible: those whose time has
    come, oldest first; a correction dated in the future shows on neither."""
    from claims.models import Correction

    explainer, claim = make_live_explainer(), factories.ClaimFactory()
    publish_verification(claim)
    now = timezone.now()
    for target in ({"explainer": explainer}, {"claim": claim}):
        for days in (-2, -1, 3):
            Correction.objects.create(
                **target,
                kind="correction",
                text=f"Fixed {days}",
                published_at=now + datetime.timedelta(days=days),
                created_by=editor,
            )
    for obj, field in ((explainer, "explainer"), (claim, "claim")):
        general = selectors.corrections_for_readers().filter(**{field: obj})
        shown = list(selectors.corrections_shown_with(obj))
        assert shown == list(general.order_by("published_at", "id"))
        assert [c.text for c in shown] == ["Fixed -2", "Fixed -1"]


def test_every_kind_of_desk_row_has_a_rule_for_whether_readers_see_it():
    """A new model must say whether readers see it (claims.selectors.seen_by_readers), or the
    reader cache takes every save of it for one readers see."""
    from django.apps import apps

    ruled = {*selectors._SEEN_ITSELF, *selectors._SEEN_THROUGH, selectors.StandingPage}
    for model in apps.get_app_config("claims").get_models():
        assert model in ruled or selectors.never_public(model), model.__name__


def test_a_live_explainers_entries_are_its_claims_readers_may_see(
    make_live_explainer, editor, publish_verification
):
    """`explainer_entries_for_readers` asks only that the explainer is live, since every claim
    a live explainer cites is one readers may see (`claims_for_readers`): its entries are
    exactly its claims readers see; a scheduled one's from its time on; a taken-down one's
    none, even the one with a verdict of its own; a staff preview's all of them."""
    from claims import workflow
    from claims.models import Explainer, ExplainerClaim

    def shown(explainer, now=None, preview=False):
        entries = selectors.explainer_entries_for_readers(explainer, now, preview=preview)
        return {entry.claim for entry in entries}

    live, taken_down = make_live_explainer(), make_live_explainer()
    goes_live = timezone.now() + datetime.timedelta(hours=1)
    scheduled = factories.ExplainerFactory(status=Explainer.Status.SCHEDULED, publish_at=goes_live)
    assessed, plain = factories.ClaimFactory(), factories.ClaimFactory()
    publish_verification(assessed)
    for explainer in (live, taken_down, scheduled):
        for claim in (assessed, plain):
            ExplainerClaim.objects.create(explainer=explainer, claim=claim)
    workflow.explainer_unpublish(explainer=taken_down, by=editor, reason="Legal review.")

    assert shown(live) == {assessed, plain} == set(selectors.claims_for_readers())
    assert shown(taken_down) == set()
    assert shown(taken_down, preview=True) == {assessed, plain}
    assert shown(scheduled) == set()
    later = goes_live + datetime.timedelta(seconds=1)
    assert shown(scheduled, later) == {assessed, plain}
