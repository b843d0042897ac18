"""Rows built once for all the tests of a module, as Django's `TestCase.setUpTestData` does.

A fixture such as the API tests' `desk` (some 500 queries through the workflow, half a second
on PostgreSQL) was built again for each of several hundred tests. Made with `fixtures()`, it
is built once per module, in a transaction held open around the module's tests: each test's
own transaction (pytest-django's `db`) is then a savepoint in it, rolled back after the test,
so every test starts from the rows as built, whatever the test before it wrote; the
transaction is rolled back after the module's last test. Each test gets its own deep copy of
the Python objects, so that one test's changes to them never reach the next, and its own
copy of the files the rows were built with (evidence uploads) in its MEDIA_ROOT.

As with `setUpTestData`, the rows are in the database for every test of a module that
keeps them, whichever of its tests run, in whatever order and on whichever worker: a module
keeps them when one of its own tests or fixtures names the fixture (`keeps`), read from the
module's code, not from the tests selected. A test that needs an empty desk lives in another
module. A transactional test (live server, threads) cannot run inside another transaction:
tests/conftest.py refuses one in such a module when the suite is collected.
"""

import copy
import inspect
import shutil
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings

# What tests/conftest.py's `_fast_passwords_and_media` gives every test: a password set while
# the rows are built must be checked with the hasher the tests use.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class Kept:
    rows: object  # what `build()` returned
    media: Path  # the MEDIA_ROOT it was built with


def keeps(module, name):
    """Whether `module` keeps the rows of fixture `name`: a test or fixture of its own (a
    function, or a method of a test class) asks for it by name."""

    def asks(function):
        try:
            return name in inspect.signature(function).parameters
        except (TypeError, ValueError):
            return False

    for value in vars(module).values():
        if getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isclass(value):
            if any(asks(member) for member in vars(value).values() if callable(member)):
                return True
        elif callable(value) and asks(value):
            return True
    return False


def keeps_rows_for(item):
    """Whether test `item` runs while its module keeps rows (`fixtures`), whether it asks
    for them or not."""
    module = getattr(item, "module", None)
    for fixture in item.fixturenames:
        if fixture.startswith("_") and fixture.endswith("_rows"):
            definitions = item._fixtureinfo.name2fixturedefs.get(fixture, ())
            if any(getattr(d.func, "keeps_rows", False) for d in definitions):
                if module is not None and keeps(module, fixture[1:-5]):
                    return True
    return False


def fixtures(name, build):
    """The three fixtures of rows kept for the module, for a conftest to bind:

        _desk_rows, _desk_files, desk = shared_rows.fixtures("desk", build_desk)

    `_<name>_rows` (module, autouse) builds them for the database tests of a module that
    keeps them; `_<name>_files` (autouse) copies their files for each such test; `<name>` is
    the copy a test asks for."""
    from .conftest import uses_a_database

    def rows(request):
        # pytest-django runs the tests that use no database last, after the transactional
        # ones, which empty the tables: those find no rows kept, and need none.
        if not (keeps(request.module, name) and uses_a_database(request._pyfuncitem)):
            yield None
            return
        with kept_for_the_module(request, build) as kept:
            yield kept

    rows.keeps_rows = True  # for `keeps_rows_for`
    rows = pytest.fixture(scope="module", autouse=True, name=f"_{name}_rows")(rows)

    @pytest.fixture(autouse=True, name=f"_{name}_files")
    def files(request):
        kept = request.getfixturevalue(f"_{name}_rows")
        if kept is not None and uses_a_database(request.node):
            shutil.copytree(kept.media, settings.MEDIA_ROOT, dirs_exist_ok=True)

    @pytest.fixture(name=name)
    def for_this_test(request, db):
        kept = request.getfixturevalue(f"_{name}_rows")
        if kept is None:
            pytest.fail(
                f"`{name}` is kept for the modules that name it in a test or fixture of their "
                f"own; {request.module.__name__} asks for it only through another fixture"
            )
        if len(connection.atomic_blocks) < 2:  # the module's, then the test's own
            pytest.fail(
                f"`{name}` is kept for the module: it needs the test to run in a test case's "
                "transaction, not as a transactional test"
            )
        return copy.deepcopy(kept.rows)

    return rows, files, for_this_test


@contextmanager
def kept_for_the_module(request, build):
    """`build()`'s rows, kept in the database for the life of the module-scoped fixture of
    `request`."""
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
