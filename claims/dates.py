"""The dates the desk accepts: none that a newsroom could not mean.

Every date that comes in from people or from text (when a claim was made, an article
published, footage captured; the dates the API's filters take; a date found in an imported
article; the dates in a desk export being restored) lies between `DESK_EARLIEST_DATE`
(1 January 1900 by default) and `DESK_LATEST_DAYS_AHEAD` days from now (1: a date written
where it is already tomorrow, or by a clock a little ahead, is still a real one). A time an
explainer is scheduled for may lie up to `DESK_SCHEDULE_DAYS_AHEAD` days ahead (366: a piece
prepared for an anniversary, but not a slip in the year).

`PlausibleDate` is the one check. The models carry it on the fields people write, so the
admin's forms and the API's serializers apply it with no code of their own; the few entry
points that are not a model field (the API's date filters, the publish time of an
explainer, the import of articles and of a desk export) call it too.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format


def earliest():
    """The first day the desk accepts."""
    return settings.DESK["EARLIEST_DATE"]


def latest(*, scheduled=False):
    """The last moment the desk accepts, an aware datetime: a day (or, `scheduled`, a year)
    from now."""
    key = "SCHEDULE_DAYS_AHEAD" if scheduled else "LATEST_DAYS_AHEAD"
    return timezone.now() + datetime.timedelta(days=settings.DESK[key])


def is_plausible(value, *, scheduled=False):
    """Whether the date or datetime `value` lies in the range the desk accepts (a naive
    datetime is taken in the newsroom's time zone)."""
    last = latest(scheduled=scheduled)
    try:
        if isinstance(value, datetime.datetime):
            if timezone.is_naive(value):
                value = timezone.make_aware(value)
            first = timezone.make_aware(datetime.datetime.combine(earliest(), datetime.time()))
            return first <= value <= last
        return earliest() <= value <= timezone.localdate(last)
    except (OverflowError, ValueError):  # beyond what the calendar or a time zone can hold
        return False


def out_of_range_message(*, scheduled=False):
    """What a person is told of a date out of the range: the range."""
    first = date_format(earliest(), "j F Y")
    last = date_format(timezone.localdate(latest(scheduled=scheduled)), "j F Y")
    return f"Enter a date between {first} and {last}."


@deconstructible
class PlausibleDate:
    """A validator: refuses a date or datetime outside the range the desk accepts (with
    `scheduled=True`, the range it may schedule a publication in)."""

    code = "implausible_date"

    def __init__(self, *, scheduled=False):
        self.scheduled = scheduled

    def __call__(self, value):
        if value is not None and not is_plausible(value, scheduled=self.scheduled):
            raise ValidationError(out_of_range_message(scheduled=self.scheduled), code=self.code)

    def __eq__(self, other):
        return isinstance(other, PlausibleDate) and other.scheduled == self.scheduled
