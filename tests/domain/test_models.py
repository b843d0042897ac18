"""Invariants the database and the models hold, whatever interface writes to them."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from claims.errors import DeskError
from claims.models import (
    Article,
    AuditEvent,
    Claim,
    ClaimLink,
    Correction,
    Evidence,
    Place,
    PlaceName,
    Source,
    Verification,
)
from claims.verdicts import BEST_RATING, SCALE, WORST_RATING, Verdict, verdict_info

from .. import factories

pytestmark = pytest.mark.django_db


def _violates(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


# --- the verdict scale --------------------------------------------------------------------


def test_verdict_scale_is_the_seven_verdicts_in_order():
    assert [info.label for info in SCALE] == [
        "Confirmed",
        "Likely true",
        "Unconfirmed",
        "Disputed",
        "Misleading",
        "Likely false",
        "False",
    ]
    assert [info.value for info in SCALE] == Verdict.values


def test_every_verdict_has_definition_rating_and_attribution():
    for info in SCALE:
        assert info.definition.endswith(".")
        assert WORST_RATING <= info.rating <= BEST_RATING
        line = info.attribution.format(claimant="X", date="7 February 2025")
        assert "X" in line and "7 February 2025" in line
    assert verdict_info("unconfirmed").attribution.format(claimant="X", date="D") == (
        "X's claim could not be independently verified as of D."
    )


def test_ratings_fall_down_the_scale_one_number_per_verdict():
    # An aggregator that reads only ratingValue must tell every verdict apart.
    ratings = [info.rating for info in SCALE]
    assert ratings == sorted(ratings, reverse=True)
    assert len(set(ratings)) == len(SCALE)
    assert ratings[0] == BEST_RATING == 7 and ratings[-1] == WORST_RATING == 1


# --- sources, places, articles ------------------------------------------------------------


def test_confidential_source_needs_a_redacted_description():
    _violates(lambda: Source.objects.create(name="An officer", is_confidential=True))
    source = Source.objects.create(
        name="Capt. Real Name",
        is_confidential=True,
        redacted_description="a Ukrainian officer near Toretsk",
    )
    assert source.public_name == "a Ukrainian officer near Toretsk"


def test_source_slug_is_generated_and_unique():
    first = Source.objects.create(name="DeepState")
    second = Source.objects.create(name="DeepState")
    assert first.slug == "deepstate" and second.slug == "deepstate-2"


def test_unknown_affiliation_is_refused_by_the_database():
    _violates(lambda: Source.objects.create(name="X", affiliation="martian"))


def test_place_found_by_any_of_its_names():
    toretsk = Place.objects.create(name="Toretsk", latitude=48.3977, longitude=37.8469)
    PlaceName.objects.create(place=toretsk, name="Dzerzhynsk", note="Soviet-era name")
    bakhmut = Place.objects.create(name="Bakhmut")
    PlaceName.objects.create(place=bakhmut, name="Artyomovsk", language="ru")
    assert list(Place.objects.matching_name("dzerzhynsk")) == [toretsk]
    assert list(Place.objects.matching_name("Toretsk")) == [toretsk]
    assert list(Place.objects.matching_name(" ARTYOMOVSK ")) == [bakhmut]
    assert not Place.objects.matching_name("Dzerzh").exists()


@pytest.mark.parametrize(
    "coordinates",
    [
        {"latitude": 91, "longitude": 37},
        {"latitude": 48, "longitude": 181},
        {"latitude": 48, "longitude": None},
    ],
)
def test_place_coordinates_must_be_valid_and_paired(coordinates):
    _violates(lambda: Place.objects.create(name="Nowhere", **coordinates))


def test_article_url_is_unique_when_present_but_many_may_have_none():
    factories.ArticleFactory(url="https://wire.example/a", body="one")
    _violates(lambda: factories.ArticleFactory(url="https://wire.example/a", body="two"))
    factories.ArticleFactory(url="", body="three")
    factories.ArticleFactory(url="", body="four")
    assert Article.objects.filter(url="").count() == 2


def test_article_with_the_same_text_is_not_stored_twice():
    article = factories.ArticleFactory(body="Identical wire copy.")
    assert article.content_hash == hashlib.sha256(b"Identical wire copy.").hexdigest()
    _violates(lambda: factories.ArticleFactory(body="Identical wire copy."))


# --- claims ---------------------------------------------------------------------------------


def test_new_claim_is_not_yet_assessed(claim):
    assert claim.current_verdict == ""
    assert claim.current_verdict_label == "Not yet assessed"
    assert claim.current_verdict_info is None


def test_claim_verdict_cannot_be_set_out_of_step_with_a_verification(claim):
    _violates(lambda: Claim.objects.filter(pk=claim.pk).update(current_verdict="false"))


def test_claim_cannot_link_to_itself_or_twice(claim):
    other = factories.ClaimFactory()
    ClaimLink.objects.create(from_claim=other, to_claim=claim, relation="disputes")
    _violates(
        lambda: ClaimLink.objects.create(from_claim=claim, to_claim=claim, relation="supports")
    )
    _violates(
        lambda: ClaimLink.objects.create(from_claim=other, to_claim=claim, relation="supports")
    )


def test_claimant_with_claims_cannot_be_deleted(claim):
    with pytest.raises(ProtectedError):
        claim.claimant.delete()
    assert Claim.objects.filter(pk=claim.pk).exists()


# --- verifications and evidence -----------------------------------------------------------


def test_verification_reviewer_cannot_be_its_author(draft_verification):
    _violates(
        lambda: Verification.objects.filter(pk=draft_verification.pk).update(
            reviewer=draft_verification.author
        )
    )


def test_published_verification_needs_reviewer_and_time_in_the_database(draft_verification):
    _violates(
        lambda: Verification.objects.filter(pk=draft_verification.pk).update(status="published")
    )


def test_dimension_verdicts_say_location_confirmed_but_not_the_time(claim, factchecker):
    verification = factories.VerificationFactory(
        claim=claim,
        author=factchecker,
        verdict="unconfirmed",
        location_verdict="confirmed",
        time_verdict="unconfirmed",
        time_note="The footage could be from an earlier assault.",
    )
    assert verification.dimension_verdicts() == [
        ("Location", "Confirmed", ""),
        ("Time", "Unconfirmed", "The footage could be from an earlier assault."),
    ]
    _violates(
        lambda: Verification.objects.filter(pk=verification.pk).update(location_verdict="maybe")
    )


def test_published_verification_cannot_be_changed_or_deleted(claim, publish_verification):
    verification = publish_verification(claim, verdict="unconfirmed")
    verification.verdict = "false"
    with pytest.raises(DeskError) as refused:
        verification.save()
    assert refused.value.code == "conflict"
    with pytest.raises(DeskError):
        verification.delete()
    verification.refresh_from_db()
    assert verification.verdict == "unconfirmed"


def test_evidence_file_gets_its_sha256_on_upload(claim):
    content = b"frame grab of the north-western edge"
    evidence = Evidence.objects.create(
        claim=claim,
        kind="photo",
        description="Frame grab",
        file=SimpleUploadedFile("frame.jpg", content, content_type="image/jpeg"),
        latitude=48.41,
        longitude=37.83,
        captured_at=datetime.datetime(2025, 2, 6, 21, 0, tzinfo=datetime.UTC),
    )
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    evidence.refresh_from_db()
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.file.read() == content


def test_evidence_cited_by_a_published_verification_is_frozen(claim, publish_verification):
    evidence = factories.EvidenceFactory(claim=claim)
    publish_verification(claim, evidence=[evidence])
    evidence.description = "Something else"
    with pytest.raises(DeskError):
        evidence.save()
    with pytest.raises(DeskError):
        evidence.delete()
    assert Evidence.objects.get(pk=evidence.pk).description != "Something else"


def test_uncited_evidence_can_be_edited(claim):
    evidence = factories.EvidenceFactory(claim=claim)
    evidence.description = "Better description"
    evidence.save()
    assert Evidence.objects.get(pk=evidence.pk).description == "Better description"


# --- explainers, corrections, audit -------------------------------------------------------


def test_scheduled_explainer_needs_a_publish_time(explainer):
    _violates(lambda: type(explainer).objects.filter(pk=explainer.pk).update(status="scheduled"))


def test_published_explainer_cannot_be_deleted(live_explainer):
    with pytest.raises(DeskError):
        live_explainer.delete()


def test_corrections_are_never_edited_or_removed(live_explainer, editor):
    from claims import workflow

    correction = workflow.correction_issue(
        explainer=live_explainer, by=editor, text="The brigade is the 28th, not the 24th."
    )
    correction.text = "Nothing happened"
    with pytest.raises(DeskError):
        correction.save()
    with pytest.raises(DeskError):
        correction.delete()
    assert Correction.objects.get(pk=correction.pk).text.startswith("The brigade")


def test_audit_events_cannot_be_edited_or_deleted(submitted_verification):
    event = AuditEvent.objects.get(action="verification.submit")
    event.note = "rewritten"
    with pytest.raises(DeskError):
        event.save()
    with pytest.raises(DeskError):
        event.delete()


def test_form_validation_gives_editors_readable_constraint_messages(claim):
    from django.core.exceptions import ValidationError

    source = Source(name="An officer", slug="an-officer", is_confidential=True)
    with pytest.raises(ValidationError) as invalid:
        source.full_clean()
    assert "redacted description" in str(invalid.value)
    place = Place(name="Nowhere", slug="nowhere", latitude=48)
    with pytest.raises(ValidationError) as invalid:
        place.full_clean()
    assert "Give both latitude and longitude, or neither." in str(invalid.value)
    link = ClaimLink(from_claim=claim, to_claim=claim, relation="disputes")
    with pytest.raises(ValidationError) as invalid:
        link.full_clean()
    assert "cannot dispute or support itself" in str(invalid.value)


def test_a_claim_cannot_appear_in_an_article_published_before_it_was_made(db):
    import datetime

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from claims.models import Appearance

    claim = factories.ClaimFactory(claimed_on=datetime.date(2025, 2, 7))
    earlier = factories.ArticleFactory(
        published_at=timezone.make_aware(datetime.datetime(2025, 2, 6, 12))
    )
    same_day = factories.ArticleFactory(
        published_at=timezone.make_aware(datetime.datetime(2025, 2, 7, 9))
    )
    with pytest.raises(ValidationError, match="cannot appear before it is made"):
        Appearance(claim=claim, article=earlier).full_clean()
    Appearance(claim=claim, article=same_day).full_clean()
