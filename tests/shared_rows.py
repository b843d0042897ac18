"""Rows built once for all the tests of a module, as Django's `TestCase.setUpTestData` does.

A fixture such as the API tests' `desk` (some 500 queries through the workflow, half a second
on PostgreSQL) was built again for each of several hundred tests. Built with
`kept_for_the_module`, it is built once per module, in a transaction held open around the
module's tests: each test's own transaction (pytest-django's `db`) is then a savepoint in it,
rolled back after the test, so every test starts from the rows as built, whatever the test
before it wrote; the transaction is rolled back after the module's last test. Each test gets
its own deep copy of the Python objects (`for_this_test`), so that one test's changes to them
never reach the next, and its own copy of the files the rows were built with (evidence
uploads) in its MEDIA_ROOT.

As with `setUpTestData`, the rows are in the database for every test of a module in which
any test asks for them, whichever of its tests a worker runs and in whatever order: a test
that needs an empty desk lives in another module. A transactional test (live server,
threads) cannot run inside another transaction: tests/conftest.py refuses one in such a
module when the suite is collected (`KEPT_FIXTURES`).
"""

import copy
import shutil
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings

# What tests/conftest.py's `_fast_passwords_and_media` gives every test: a password set while
# the rows are built must be checked with the hasher the tests use.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The fixtures whose rows are kept for their modules.
KEPT_FIXTURES = frozenset({"desk"})


@dataclass(frozen=True)
class Kept:
    rows: object  # what `build()` returned
    media: Path  # the MEDIA_ROOT it was built with


def module_asks_for(request, name):
    """Whether any test of the module of `request` (a module-scoped fixture's) asks for the
    fixture `name`, and the test it is being set up for uses the database. (pytest-django runs
    the tests that use none after the transactional tests, which empty the tables; whatever
    their module, those find no rows kept, and need none.)"""
    from .conftest import uses_a_database

    return uses_a_database(request._pyfuncitem) and any(
        item.module is request.module and name in item.fixturenames
        for item in request.session.items
    )


@contextmanager
def kept_for_the_module(request, build):
    """`with kept_for_the_module(request, build) as kept:` in a module-scoped fixture:
    `build()`'s rows, kept in the database for the module's tests; each test takes its copy
    with `for_this_test(kept)`."""
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    media = request.getfixturevalue("tmp_path_factory").mktemp("module-media")
    with blocker.unblock():
        outer = transaction.atomic()
        # Marked as a test case's own, as Django marks TestCase's: rolled back, never
        # committed, so what waits for a commit (the reader cache's purges) is done at once.
        outer._from_testcase = True
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media):
                rows = build()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield Kept(rows, media)
    finally:
        with blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def for_this_test(kept):
    """A copy of the module's rows for one test (which must ask for `db`), with the files
    they were built with copied into the test's MEDIA_ROOT."""
    if len(connection.atomic_blocks) < 2:  # the module's, then the test's own
        raise RuntimeError(
            "rows kept for the module need the test to run in a test case's transaction, "
            "not as a transactional test"
        )
    shutil.copytree(kept.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return copy.deepcopy(kept.rows)
