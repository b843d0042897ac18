"""The dates the desk accepts (claims/dates.py): from DESK_EARLIEST_DATE to a day ahead, and
up to a year ahead for scheduling; the models and the workflow hold to it whoever calls."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from claims import dates, workflow
from claims.errors import DeskError
from claims.models import Explainer

from .. import factories

UTC = datetime.UTC


def test_dates_from_1900_to_tomorrow_are_accepted_and_none_outside():
    today = timezone.localdate()
    assert dates.is_plausible(datetime.date(1900, 1, 1))
    assert dates.is_plausible(today + datetime.timedelta(days=1))
    assert not dates.is_plausible(datetime.date(1899, 12, 31))
    assert not dates.is_plausible(datetime.date(1591, 2, 7))
    assert not dates.is_plausible(today + datetime.timedelta(days=2))
    assert not dates.is_plausible(datetime.date.max)
    assert not dates.is_plausible(datetime.date.min)


def test_times_are_bounded_by_midnight_in_the_newsrooms_time_zone_and_this_time_tomorrow():
    first = timezone.make_aware(datetime.datetime(1900, 1, 1))
    assert dates.is_plausible(first)
    assert not dates.is_plausible(first - datetime.timedelta(seconds=1))
    assert dates.is_plausible(timezone.now() + datetime.timedelta(hours=23))
    assert not dates.is_plausible(timezone.now() + datetime.timedelta(hours=25))
    # Naive times are the newsroom's; times at the calendar's ends are refused, not an error.
    assert dates.is_plausible(datetime.datetime(2025, 2, 7, 10, 0))
    assert not dates.is_plausible(datetime.datetime.min.replace(tzinfo=UTC))
    assert not dates.is_plausible(
        datetime.datetime.min.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=5)))
    )
    assert not dates.is_plausible(datetime.datetime.max.replace(tzinfo=UTC))


def test_scheduling_reaches_a_year_ahead_but_no_further_and_no_earlier():
    assert dates.is_plausible(timezone.now() + datetime.timedelta(days=365), scheduled=True)
    assert not dates.is_plausible(timezone.now() + datetime.timedelta(days=367), scheduled=True)
    assert not dates.is_plausible(datetime.datetime(1591, 2, 7, tzinfo=UTC), scheduled=True)


def test_the_range_follows_the_settings(settings):
    settings.DESK = {**settings.DESK, "EARLIEST_DATE": datetime.date(2014, 2, 20)}
    assert not dates.is_plausible(datetime.date(2014, 2, 19))
    assert dates.is_plausible(datetime.date(2014, 2, 20))
    with pytest.raises(ValidationError) as refused:
        dates.PlausibleDate()(datetime.date(2000, 1, 1))
    assert refused.value.messages[0].startswith("Enter a date between 20 February 2014 and ")


@pytest.mark.django_db
def test_a_claim_article_or_evidence_dated_out_of_range_does_not_validate(claim):
    claim.claimed_on = datetime.date(1591, 2, 7)
    article = factories.ArticleFactory.build(published_at=datetime.datetime(1591, 2, 7, tzinfo=UTC))
    evidence = factories.EvidenceFactory.build(
        claim=claim, captured_at=timezone.now() + datetime.timedelta(days=3)
    )
    for obj, field in ((claim, "claimed_on"), (article, "published_at"), (evidence, "captured_at")):
        with pytest.raises(ValidationError) as refused:
            obj.clean_fields()
        assert list(refused.value.message_dict) == [field]


@pytest.mark.django_db
@pytest.mark.parametrize("at", ["1591", "in 400 days"])
def test_the_workflow_will_not_schedule_an_explainer_outside_the_range(
    explainer, factchecker, editor, at
):
    """Not even "a time in the past publishes now": 1591 is a slip, not the past."""
    in_review = workflow.explainer_submit(explainer=explainer, by=factchecker)
    when = (
        datetime.datetime(1591, 2, 7, tzinfo=UTC)
        if at == "1591"
        else timezone.now() + datetime.timedelta(days=400)
    )
    with pytest.raises(DeskError) as refused:
        workflow.explainer_publish(explainer=in_review, by=editor, at=when)
    assert refused.value.code == "invalid"
    assert refused.value.message.startswith("Enter a date between 1 January 1900 and")
    assert Explainer.objects.get(pk=explainer.pk).status == Explainer.Status.IN_REVIEW
