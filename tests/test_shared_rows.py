"""The rules of rows kept for a module (tests/shared_rows.py): which modules keep them, read
from their code, and which tests count as transactional, read as pytest-django reads them."""

import types

import pytest

from .conftest import is_transactional
from .shared_rows import keeps


def module_with(source):
    module = types.ModuleType("tests.site.test_example")
    exec(source, module.__dict__)  # noqa: S102 # nosec B102 # the test's own source
    return module


@pytest.mark.parametrize(
    "source",
    [
        "def test_page(client, desk): pass",
        "import pytest\n@pytest.fixture\ndef elsewhere(desk): pass",
        "class TestPages:\n    def test_page(self, desk): pass",
        "import pytest\n@pytest.mark.parametrize('n', [1])\ndef test_page(n, desk): pass",
    ],
)
def test_a_module_keeps_the_rows_when_its_own_test_or_fixture_names_them(source):
    assert keeps(module_with(source), "desk")


@pytest.mark.parametrize(
    "source",
    [
        "def test_page(client, db): pass",
        "def test_page(client, desk_committed): pass",
        # Named only by a function it imported: that one belongs to another module.
        "from tests.hostile.conftest import reader_pages",
    ],
)
def test_a_module_that_names_no_rows_of_its_own_keeps_none(source):
    assert not keeps(module_with(source), "desk")


class Item:
    """What `is_transactional` reads of a collected test."""

    def __init__(self, marker=None, fixturenames=()):
        self.marker, self.fixturenames = marker, list(fixturenames)

    def get_closest_marker(self, name):
        return self.marker if name == "django_db" else None


@pytest.mark.parametrize(
    "marker, fixtures, transactional",
    [
        (pytest.mark.django_db.mark, (), False),
        (pytest.mark.django_db(transaction=True).mark, (), True),
        (pytest.mark.django_db(True).mark, (), True),
        (pytest.mark.django_db(reset_sequences=True).mark, (), True),
        (None, ("live_server",), True),
        (None, ("transactional_db",), True),
        (None, ("db",), False),
    ],
)
def test_a_test_is_transactional_as_pytest_django_reads_it(marker, fixtures, transactional):
    assert is_transactional(Item(marker, fixtures)) is transactional
