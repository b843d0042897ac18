"""Tokens are issued in the admin, and a token authenticates API requests."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_an_administrator_issues_a_token_in_the_admin(client, desk):
    admin = get_user_model().objects.create_superuser("chief", "chief@desk.example", "pw")
    consumer = get_user_model().objects.create_user("research-group")
    client.force_login(admin)
    assert client.get("/admin/authtoken/tokenproxy/add/").status_code == 200
    response = client.post("/admin/authtoken/tokenproxy/add/", {"user": consumer.pk})
    assert response.status_code == 302
    token = Token.objects.get(user=consumer)

    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/claims/").status_code == 200
