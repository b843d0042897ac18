"""An object's API address, reversed once per view and host, is DRF's own address."""

import pytest
from django.test import RequestFactory
from django.urls import set_script_prefix
from rest_framework import serializers

from claims.api.fields import ObjectUrlField, api_object_url
from tests import factories

pytestmark = pytest.mark.django_db


def api_request(host="claims.example", secure=True):
    return RequestFactory().get("/api/v1/claims/", HTTP_HOST=host, secure=secure)


@pytest.mark.parametrize("view_name", ["api:claim-detail", "api:source-detail", "api:place-detail"])
@pytest.mark.parametrize("format", [None, "json"])
@pytest.mark.parametrize("host", ["claims.example", "localhost:8000"])
def test_an_object_url_is_drfs_own(settings, view_name, format, host):
    settings.ALLOWED_HOSTS = [host.split(":")[0]]
    claim = factories.ClaimFactory()
    for secure in (True, False):
        request = api_request(host, secure)
        ours = ObjectUrlField(view_name=view_name).get_url(claim, view_name, request, format)
        theirs = serializers.HyperlinkedIdentityField(view_name=view_name).get_url(
            claim, view_name, request, format
        )
        assert ours == theirs
        assert api_object_url(view_name, claim.pk, request, format) == theirs
    assert api_object_url(
        view_name, claim.pk, None, format
    ) == serializers.HyperlinkedIdentityField(view_name=view_name).get_url(
        claim, view_name, None, format
    )


def test_an_object_url_follows_the_script_prefix(settings):
    settings.ALLOWED_HOSTS = ["claims.example"]
    claim = factories.ClaimFactory()
    request = api_request()
    plain = api_object_url("api:claim-detail", claim.pk, request)
    set_script_prefix("/desk/")
    try:
        prefixed = api_object_url("api:claim-detail", claim.pk, request)
    finally:
        set_script_prefix("/")
    assert plain == f"https://claims.example/api/v1/claims/{claim.pk}/"
    assert prefixed == f"https://claims.example/desk/api/v1/claims/{claim.pk}/"
