"""The browser tests' own set-up: it fails rather than skips when CI requires the browser,
and the browser leaves the test database as pytest-django prepared it."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from claims.roles import ROLES

from . import conftest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_missing_browser_skips_on_a_developer_machine(monkeypatch):
    monkeypatch.setattr(conftest, "REQUIRE_BROWSER", False)
    with pytest.raises(pytest.skip.Exception, match="needs Chromium"):
        conftest.browser_unavailable("needs Chromium at /nowhere")


def test_a_missing_browser_fails_when_required(monkeypatch):
    monkeypatch.setattr(conftest, "REQUIRE_BROWSER", True)
    with pytest.raises(pytest.fail.Exception, match="REQUIRE_BROWSER=1"):
        conftest.browser_unavailable("needs Chromium at /nowhere")


def test_with_the_browser_running_the_database_keeps_what_the_migrations_made(chromium):
    # The connection serialized_rollback restores from is still the one in use…
    assert hasattr(connection, "_test_serialized_contents")
    # …so the roles are there, whatever transactional test ran before this one.
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)
