"""Logging in: brute force is locked out, token guessing is throttled, refusals are logged.

The admin's login form (and the browsable API's, which is the same Django login) is guarded by
django-axes: LOGIN_FAILURE_LIMIT (5) wrong passwords for one username from one address lock
that pair out for LOGIN_COOLOFF_MINUTES, with a page that says so, even if the right password
then comes. There is no endpoint trading a password for an API token (tokens are issued in
the admin), so what a guesser can try is tokens: after API_TOKEN_FAILURES_PER_HOUR unknown
tokens an address gets 429s. Failed logins, lockouts and refused authorisations (401/403 from
the API, 403 from the admin and site, workflow steps refused) go to the `claims.security`
logger, without passwords or tokens.
"""

import logging

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import workflow
from claims.errors import DeskError

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # tests/factories.py
SECURITY = "claims.security"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def admin_login(client, username, password, address="203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def security_messages(caplog):
    return [r.getMessage() for r in caplog.records if r.name == SECURITY]


def test_five_wrong_passwords_lock_the_username_from_that_address(client, editor, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = admin_login(client, "editor", "wrong")
        assert response.status_code == 200  # the form again, with its error
        assert "Please enter the correct username and password" in response.content.decode()
    locked = admin_login(client, "editor", "wrong")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Login locked for now" in html and "editor" in html and "0:15:00" in html
    # Locked: the right password is refused too, with the same page, and nobody is logged in.
    again = admin_login(client, "editor", PASSWORD)
    assert again.status_code == 429 and "Login locked" in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_for_that_username_from_that_address_only(client, editor, second_editor):
    for _ in range(5):
        admin_login(client, "editor", "wrong")
    assert admin_login(client, "editor2", PASSWORD).status_code == 302  # another user
    client.logout()
    elsewhere = admin_login(client, "editor", PASSWORD, address="198.51.100.20")
    assert elsewhere.status_code == 302 and elsewhere["Location"] == "/admin/"


def test_a_successful_login_clears_the_count(client, editor):
    for _ in range(4):
        admin_login(client, "editor", "wrong")
    assert admin_login(client, "editor", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert admin_login(client, "editor", "wrong").status_code == 200


def test_the_lock_lifts_after_the_cool_off(client, editor, settings):
    import datetime

    from axes.models import AccessAttempt

    for _ in range(5):
        admin_login(client, "editor", "wrong")
    past = datetime.timedelta(minutes=16)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= past
        attempt.save()
    assert admin_login(client, "editor", PASSWORD).status_code == 302


def test_the_browsable_api_login_is_locked_out_the_same_way(client, editor):
    for _ in range(5):
        client.post(
            "/api/v1/auth/login/",
            {"username": "editor", "password": "wrong"},
            REMOTE_ADDR="1.2.3.4",
        )
    response = client.post(
        "/api/v1/auth/login/", {"username": "editor", "password": PASSWORD}, REMOTE_ADDR="1.2.3.4"
    )
    assert response.status_code == 429


def test_failed_logins_and_the_lockout_are_logged_without_the_password(client, editor, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY)
    for _ in range(5):
        admin_login(client, "editor", "hunter2-wrong")
    messages = security_messages(caplog)
    failed = [m for m in messages if m.startswith("login failed for 'editor' from 203.0.113.7")]
    assert len(failed) >= 4
    assert any("locked out for 'editor' from 203.0.113.7" in m for m in messages)
    assert not any("hunter2" in m for m in messages)


# --- API tokens --------------------------------------------------------------------------


def test_unknown_tokens_are_throttled_per_address(settings, editor):
    settings.API_TOKEN_FAILURES_PER_HOUR = 3
    guesser = APIClient(REMOTE_ADDR="203.0.113.9")
    statuses = []
    for n in range(5):
        guesser.credentials(HTTP_AUTHORIZATION=f"Token {n:040x}")
        statuses.append(guesser.get("/api/v1/claims/").status_code)
    assert statuses == [401, 401, 401, 429, 429]
    # Throttled before the token is looked up: even a real token waits out the hour.
    real = Token.objects.create(user=editor)
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {real.key}")
    response = guesser.get("/api/v1/claims/")
    assert response.status_code == 429 and int(response["Retry-After"]) <= 3600
    assert response.json()["code"] == "throttled"
    # Other addresses, and requests without a token, are not affected.
    other = APIClient(REMOTE_ADDR="198.51.100.1")
    other.credentials(HTTP_AUTHORIZATION=f"Token {real.key}")
    assert other.get("/api/v1/claims/").status_code == 200
    assert APIClient(REMOTE_ADDR="203.0.113.9").get("/api/v1/claims/").status_code == 200


def test_api_refusals_are_logged_without_the_token(reporter, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY)
    anonymous = APIClient()
    assert anonymous.post("/api/v1/places/", {"name": "X"}, format="json").status_code == 401
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token " + "f" * 40)
    assert bad.get("/api/v1/claims/").status_code == 401
    as_reporter = APIClient()
    as_reporter.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reporter).key}")
    explainer = {"title": "T", "slug": "t", "standfirst": "S.", "body": "B."}
    assert as_reporter.post("/api/v1/explainers/", explainer, format="json").status_code == 403
    messages = security_messages(caplog)
    assert any(m.startswith("refused 401 POST /api/v1/places/ for anonymous") for m in messages)
    assert any(m.startswith("refused 401 GET /api/v1/claims/ for anonymous") for m in messages)
    assert any(m.startswith("refused 403 POST /api/v1/explainers/ for reporter") for m in messages)
    assert not any("f" * 40 in m for m in messages)


def test_refused_workflow_steps_are_logged(draft_verification, reporter, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY)
    with pytest.raises(DeskError):
        workflow.verification_submit(verification=draft_verification, by=reporter)
    (message,) = security_messages(caplog)
    assert message.startswith("refused workflow step for reporter: You are not allowed to")


def test_four_eyes_refusals_are_logged(submitted_verification, factchecker, caplog):
    from django.contrib.auth.models import Group

    factchecker.groups.add(Group.objects.get(name="Editor"))
    factchecker = type(factchecker).objects.get(pk=factchecker.pk)  # fresh permission cache
    caplog.set_level(logging.INFO, logger=SECURITY)
    with pytest.raises(DeskError):
        workflow.verification_publish(verification=submitted_verification, by=factchecker)
    assert any("four eyes" in m for m in security_messages(caplog))


def test_admin_403s_are_logged(client, reporter, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY)
    client.force_login(reporter)
    assert client.get("/admin/auth/user/").status_code == 403
    assert any(
        m.startswith("refused 403 GET /admin/auth/user/ for reporter")
        for m in security_messages(caplog)
    )
