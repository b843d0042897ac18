"""Serializer fields that take JSON values of the documented type only.

DRF's fields accept near misses: a number where text is expected, "1" for an id, 0 for
false, an object for a list of ids. The API documents exact types, so these refuse anything
else with a 400 that says what was expected, rather than storing a surprise.
"""

import datetime

from django.urls import get_script_prefix
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings


class StrictCharField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictSlugField(serializers.SlugField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class DateTimeField(serializers.DateTimeField):
    """A date-time in the newsroom's time zone, as DRF writes it; in UTC instead when that
    zone's offset at the time is not a whole number of minutes, which RFC 3339 (the schema's
    `date-time`) cannot write: local mean time, e.g. +02:02:04 in Kyiv until 1924."""

    default_error_messages = {
        **serializers.DateTimeField.default_error_messages,
        "out_of_range": "Date and time out of range: give one from the year 1 (in UTC) to 9999.",
    }

    def enforce_timezone(self, value):
        try:
            value = super().enforce_timezone(value)
        except OverflowError:
            # A time the zone's offset takes past the calendar's edge (the first hours of
            # year 1 in Kyiv are in year 0 in UTC).
            self.fail("out_of_range")
        offset = value.utcoffset()
        if offset is not None and offset % datetime.timedelta(minutes=1):
            return value.astimezone(datetime.UTC)
        return value


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictDecimalField(serializers.DecimalField):
    """A decimal number sent as a JSON number (coordinates)."""

    default_error_messages = {"invalid": "A number is required."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class OptionalURLField(serializers.URLField):
    """A link that may be missing: null when there is none ("" is also taken on input)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data is None:
            return True, ""
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)

    def to_representation(self, value):
        return value or None


class IdListField(serializers.ManyRelatedField):
    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class IdField(serializers.PrimaryKeyRelatedField):
    """An object's id, as a JSON integer; `many=True` takes a JSON list of them."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return IdListField(**list_kwargs)


# A key no object has, put in an address in place of the key to reverse it once.
_KEY_PLACEHOLDER = "987654321987"
_url_templates = {}


def format_asked(request):
    """The `?format=` a request asked for (DRF's URL_FORMAT_OVERRIDE), or None: DRF keeps it
    in the addresses it reverses for that request, so what is built from them depends on it."""
    if request is None or not api_settings.URL_FORMAT_OVERRIDE:
        return None
    return request.GET.get(api_settings.URL_FORMAT_OVERRIDE)


def api_object_url(view_name, pk, request=None, format=None):
    """DRF's `reverse(view_name, kwargs={"pk": pk}, request=request, format=format)`, from an
    address reversed once per view, format, host, script prefix and `?format=` asked for with
    a placeholder for the (whole number) key. A page of 50 claims names some 400 objects by
    address, and reversing each was a sixth of the API's claim list;
    tests/api/test_object_urls.py pins the result to DRF's own."""
    if type(pk) is not int:
        return reverse(view_name, kwargs={"pk": pk}, request=request, format=format)
    base = request.build_absolute_uri("/") if request is not None else ""
    key = (view_name, format, base, get_script_prefix(), format_asked(request))
    template = _url_templates.get(key)
    if template is None:
        if len(_url_templates) > 1000:  # hosts are few (ALLOWED_HOSTS); never grow unbounded
            _url_templates.clear()
        url = reverse(view_name, kwargs={"pk": _KEY_PLACEHOLDER}, request=request, format=format)
        template = _url_templates[key] = url.rpartition(_KEY_PLACEHOLDER)[::2]
    before, after = template
    return f"{before}{pk}{after}"


class ObjectUrlField(serializers.HyperlinkedIdentityField):
    """DRF's `HyperlinkedIdentityField` (the object's own API address), through
    `api_object_url` for the usual lookup by primary key."""

    def get_url(self, obj, view_name, request, format):
        if self.lookup_field == "pk" and self.lookup_url_kwarg == "pk" and type(obj.pk) is int:
            return api_object_url(view_name, obj.pk, request, format)
        return super().get_url(obj, view_name, request, format)
