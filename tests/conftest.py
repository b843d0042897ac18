import os
import time
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from pytest_django.fixtures import validate_django_db

# Imported before any test moves the clock (monkeypatching time.time): DRF's throttles take
# `time.time` as a class attribute when their module is first imported, and one imported
# while a test's stand-in is in place would keep it for the rest of the run.
import claims.api.throttling  # noqa: F401
from claims import workflow
from claims.roles import EDITOR, FACT_CHECKER, REPORTER
from claims.web.cache import conditional, pieces, version
from claims.web.cache.store import local_pages, worker_pages
from claims.web.cache.version import purge_log

from . import factories, shared_rows

# A local HTTP server in a thread (`web_server`), for every test that fetches a page: the
# article import's (tests/ingest/) and the evidence archive's.
from .ingest.conftest import web_server  # noqa: F401
from .write_guard import WriteGuard

# Set by `make test` for its second run, on PostgreSQL after SQLite: the tests that use no
# database at all (the spotter's, the settings', the Markdown renderer's ...) ran in the
# first, and would do the same again; the second run leaves them out, and the tests marked
# `one_database`: long ones whose subject is the reader cache's own bookkeeping, which no
# database changes (the random days at the desk that compare every kept piece with a page
# made with nothing kept, Varnish in front of the live server).
DATABASE_TESTS_ONLY = os.environ.get("TESTS_USING_A_DATABASE_ONLY") == "1"
DATABASE_FIXTURES = {"db", "transactional_db", "live_server"}


BROWSER_TESTS = Path(__file__).parent / "browser"


def uses_a_database(item):
    """Whether test `item` reaches the test database: marked for it (django_db, postgres) or
    asking for it through a fixture, itself or through another fixture. The browser tests
    count as such whatever they ask for: the second run is the only one they run in."""
    if item.get_closest_marker("django_db") or item.get_closest_marker("postgres"):
        return True
    if BROWSER_TESTS in item.path.parents:
        return True
    return not DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(config, items):
    if DATABASE_TESTS_ONLY:
        left_out = [
            item
            for item in items
            if not uses_a_database(item) or item.get_closest_marker("one_database")
        ]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            left_out_ids = {id(item) for item in left_out}
            items[:] = [item for item in items if id(item) not in left_out_ids]
    _refuse_transactional_tests_without_serialized_rollback(items)
    _refuse_transactional_tests_beside_kept_rows(items)


def is_transactional(item):
    """Whether test `item` runs outside a test case's transaction (live server, threads):
    as pytest-django reads its marker (`transaction`, or `reset_sequences`, which implies
    it), or by the fixtures it asks for."""
    marker = item.get_closest_marker("django_db")
    if marker:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    return bool({"live_server", "transactional_db"} & set(getattr(item, "fixturenames", ())))


def serialized_rollback(item):
    marker = item.get_closest_marker("django_db")
    return bool(marker) and validate_django_db(marker)[3]


def _refuse_transactional_tests_beside_kept_rows(items):
    """Refuse a transactional test in a module whose tests keep rows in a transaction held
    open around them (tests/shared_rows.py): it cannot run inside it."""
    for item in items:
        if shared_rows.keeps_rows_for(item) and is_transactional(item):
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test in a module whose tests keep rows for "
                "the module (tests/shared_rows.py); move it to a module of its own"
            )


def _refuse_transactional_tests_without_serialized_rollback(items):
    """Refuse a transactional test (live server, threads) without `serialized_rollback`.

    Such a test flushes the database when it ends, taking with it what the migrations made
    (the roles' groups, content types, the standing pages); the tests after it in the same
    process would then fail for no fault of their own. With `serialized_rollback=True` the
    next such test puts it all back first, and pytest-django runs transactional tests after
    the others, so every test starts from the migrated database.
    """
    for item in items:
        if is_transactional(item) and not serialized_rollback(item):
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test needs "
                "@pytest.mark.django_db(transaction=True, serialized_rollback=True)"
            )


@pytest.fixture(autouse=True, scope="session")
def _plain_http_and_static_files_from_source():
    """The suite talks plain http to the test client and the live server, and serves static
    files from where they are written, as the demo does, without `collectstatic`: with DEBUG
    off the settings would redirect every request to https and name static files by the
    hashes `collectstatic` records. Session-wide, so that the live server's middleware is
    built with it too. The production values are checked in tests/operations/test_deploy.py.
    """
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        # Tests render many pages from one address; tests/site/test_render_budget.py sets it.
        READER_RENDERS_PER_MINUTE=0,
        STORAGES=storages,
        WHITENOISE_USE_FINDERS=True,
        WHITENOISE_AUTOREFRESH=True,
    ):
        yield


@pytest.fixture(autouse=True)
def _writes_go_through_services():
    """Fails a test in which the admin, the API or the reader site saved or deleted one of
    the desk's records without the workflow or a service (tests/write_guard.py)."""
    with WriteGuard() as guard:
        yield
    assert not guard.violations, "writes outside the services:\n" + "\n".join(
        sorted(set(guard.violations))
    )


@pytest.fixture(autouse=True)
def _fast_passwords_and_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _skip_postgres_only_on_sqlite(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip(
            f"needs PostgreSQL (this run uses {connection.vendor}); "
            "set TEST_DATABASE_URL=postgres://... and run `make test`"
        )


@pytest.fixture(autouse=True)
def _no_reader_pages_from_another_test():
    """A worker's own copies of reader pages and of the content version live in the process;
    every test starts without those another test left (its database is gone)."""
    local_pages.clear()
    worker_pages.clear()
    pieces.kept.clear()
    purge_log.reset()
    # What the reader cache keeps for the transaction's commit belongs to its outermost
    # block; rows kept for a module (tests/shared_rows.py) make that the module's, whose
    # tests must not inherit each other's.
    version._pending.__dict__.clear()


@pytest.fixture
def served_a_second_later(monkeypatch):
    """Reader responses made as if a second later than the clock says, so that the second of
    the latest change is over and they carry Last-Modified (left out within that second:
    claims.web.cache.conditional.second_over), for the tests of what it says."""
    # time.time looked up at each call: a test that moves the clock by hand moves this too.
    monkeypatch.setattr(conditional, "time", SimpleNamespace(time=lambda: time.time() + 1))


@pytest.fixture
def fresh_cache_and_generous_rates(settings):
    """Empty caches (reader pages, throttle counters, lockouts) and API rate limits no test
    reaches; suites that send many requests use it for every test (tests/access, tests/api)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    cache.clear()
    yield
    cache.clear()


# The desk's people the fixtures below are, by user name: made, or found when rows kept for
# the module (tests/shared_rows.py) made them already.
STAFF = {"reporter": REPORTER, "factchecker": FACT_CHECKER, "editor": EDITOR, "editor2": EDITOR}


def staff_user(username):
    return factories.UserFactory(username=username, role=STAFF[username])


@pytest.fixture
def reporter(db):
    return staff_user("reporter")


@pytest.fixture
def factchecker(db):
    return staff_user("factchecker")


@pytest.fixture
def editor(db):
    return staff_user("editor")


@pytest.fixture
def second_editor(db):
    return staff_user("editor2")


@pytest.fixture
def role_users(reporter, factchecker, editor):
    return {"reporter": reporter, "factchecker": factchecker, "editor": editor}


@pytest.fixture
def source(db):
    return factories.SourceFactory(name="Russian Defence Ministry")


@pytest.fixture
def claim(db, source):
    return factories.ClaimFactory(
        statement="Russia says its forces captured Toretsk", claimant=source
    )


@pytest.fixture
def draft_verification(db, claim, factchecker):
    return factories.VerificationFactory(claim=claim, author=factchecker)


@pytest.fixture
def submitted_verification(draft_verification, factchecker):
    return workflow.verification_submit(verification=draft_verification, by=factchecker)


def published_verification(claim, verdict="unconfirmed", *, factchecker, editor, **details):
    """A verification of `claim` drafted and submitted by `factchecker` and published by
    `editor` through the workflow."""
    verification = workflow.verification_create(
        claim=claim,
        by=factchecker,
        verdict=verdict,
        rationale=details.pop("rationale", "Assessed against the evidence."),
        **details,
    )
    workflow.verification_submit(verification=verification, by=factchecker)
    return workflow.verification_publish(verification=verification, by=editor)


def published_explainer(*, factchecker, editor, **fields):
    """An explainer with `fields`, submitted by `factchecker` and published by `editor`
    through the workflow."""
    explainer = factories.ExplainerFactory(**fields)
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    return workflow.explainer_publish(explainer=explainer, by=editor)


def desk_staff():
    """The `factchecker` and `editor` fixtures' users (made or found by name), with
    `publish_verification` and `make_live_explainer` done by them: for rows built outside a
    test's fixtures (tests/shared_rows.py)."""
    by = {"factchecker": staff_user("factchecker"), "editor": staff_user("editor")}
    return SimpleNamespace(
        **by,
        publish_verification=partial(published_verification, **by),
        make_live_explainer=partial(published_explainer, **by),
    )


@pytest.fixture
def publish_verification(factchecker, editor):
    """Draft, submit and publish a verification of `claim` through the workflow."""

    return partial(published_verification, factchecker=factchecker, editor=editor)


@pytest.fixture
def explainer(db):
    return factories.ExplainerFactory()


@pytest.fixture
def live_explainer(explainer, factchecker, editor):
    workflow.explainer_submit(explainer=explainer, by=factchecker)
    return workflow.explainer_publish(explainer=explainer, by=editor)


@pytest.fixture
def make_live_explainer(factchecker, editor):
    """Make an explainer with `fields` and publish it through the workflow."""

    return partial(published_explainer, factchecker=factchecker, editor=editor)


# More unpublished matches of one search than any search takes of one kind: the site's page
# of all kinds (50), its one-kind pages and the API's `?search=` (200 each).
HIDDEN_MATCHES = 210


@pytest.fixture
def kupiansk(db, publish_verification, make_live_explainer):
    """ "Kupiansk" in a few published claims, a live explainer, a place and a source, and
    `add_hidden_matches()` to bury them under HIDDEN_MATCHES newer unpublished claims, draft
    explainers, and places and sources nothing published is about.

    The hidden rows go in with bulk inserts (hundreds of workflow saves would take a minute),
    which send no save signals, so the reader caches are emptied after them.
    """
    import datetime
    from types import SimpleNamespace

    from claims.models import Claim, Explainer, Place, Source

    place = factories.PlaceFactory(name="Kupiansk", slug="kupiansk")
    garrison = factories.SourceFactory(name="Kupiansk garrison", slug="kupiansk-garrison")
    claims = []
    for n in range(3):
        claim = factories.ClaimFactory(
            statement=f"Shelling reported in Kupiansk, report {n}",
            quote="The town was shelled overnight.",
            claimant=garrison,
            claimed_on=datetime.date(2025, 2, 1),
        )
        claim.places.add(place)
        publish_verification(claim)
        claims.append(claim)
    explainer = make_live_explainer(
        title="Why Kupiansk matters", slug="why-kupiansk-matters", body="Kupiansk is a rail hub."
    )

    def add_hidden_matches():
        day = datetime.date(2025, 3, 1)
        sources = Source.objects.bulk_create(
            Source(name=f"Kupiansk relay channel {n}", slug=f"kupiansk-relay-{n}")
            for n in range(HIDDEN_MATCHES)
        )
        places = Place.objects.bulk_create(
            Place(name=f"Kupiansk hamlet {n}", slug=f"kupiansk-hamlet-{n}")
            for n in range(HIDDEN_MATCHES)
        )
        hidden = Claim.objects.bulk_create(
            Claim(
                statement=f"Kupiansk has fallen, unpublished claim {n}",
                slug=f"kupiansk-has-fallen-{n}",
                quote="Kupiansk is ours.",
                claimant=source,
                claimed_on=day + datetime.timedelta(days=n),
            )
            for n, source in enumerate(sources)
        )
        Claim.places.through.objects.bulk_create(
            Claim.places.through(claim=claim, place=hamlet)
            for claim, hamlet in zip(hidden, places, strict=True)
        )
        Explainer.objects.bulk_create(
            Explainer(
                title=f"Kupiansk draft {n}",
                slug=f"kupiansk-draft-{n}",
                standfirst="Kupiansk, in draft.",
                body="Kupiansk " * 5,
            )
            for n in range(HIDDEN_MATCHES)
        )
        cache.clear()
        local_pages.clear()
        worker_pages.clear()
        pieces.kept.clear()
        purge_log.reset()

    return SimpleNamespace(
        place=place,
        source=garrison,
        claims=claims,
        explainer=explainer,
        add_hidden_matches=add_hidden_matches,
    )


@pytest.fixture
def far_towns(db, publish_verification):
    """Names a reader may misspell or come at sideways: Bakhmut (once Artemivsk), Enerhodar
    in Zaporizhzhia oblast, Rafael Grossi (named in no statement), Volodymyr Zelensky, and a
    confidential engineer whose real name readers must never find."""
    from types import SimpleNamespace

    from claims.models import PlaceName, SourceAlias

    bakhmut = factories.PlaceFactory(name="Bakhmut", slug="bakhmut", region="Donetsk oblast")
    PlaceName.objects.create(place=bakhmut, name="Artemivsk", note="name until 2016")
    enerhodar = factories.PlaceFactory(
        name="Enerhodar", slug="enerhodar", region="Zaporizhzhia oblast"
    )
    grossi = factories.SourceFactory(name="Rafael Grossi", slug="rafael-grossi")
    SourceAlias.objects.create(source=grossi, name="IAEA Director General")
    zelensky = factories.SourceFactory(name="Volodymyr Zelensky", slug="volodymyr-zelensky")
    engineer = factories.SourceFactory(
        name="Ivan Hrytsenko",
        slug="ivan-hrytsenko",
        is_confidential=True,
        redacted_description="an engineer at the power plant",
    )
    shutdown = factories.ClaimFactory(
        statement="The reactors are in cold shutdown",
        quote="All six units are now in cold shutdown, the agency's inspectors confirmed.",
        claimant=grossi,
    )
    withdrawal = factories.ClaimFactory(
        statement="Ukrainian forces have left the town in good order",
        quote="The decision was taken to save our soldiers' lives.",
        claimant=zelensky,
    )
    guarded = factories.ClaimFactory(
        statement="Plant staff work under armed guard",
        quote="Soldiers stand in the turbine hall day and night.",
        claimant=engineer,
    )
    shutdown.places.add(enerhodar)
    guarded.places.add(enerhodar)
    withdrawal.places.add(bakhmut)
    for claim in (shutdown, withdrawal, guarded):
        publish_verification(claim)
    return SimpleNamespace(
        bakhmut=bakhmut,
        enerhodar=enerhodar,
        grossi=grossi,
        zelensky=zelensky,
        engineer=engineer,
        shutdown=shutdown,
        withdrawal=withdrawal,
        guarded=guarded,
    )


@pytest.fixture
def inbox(settings):
    """A real SMTP server the desk's mail goes to for this test; what arrived (tests/mailbox.py)."""
    from .mailbox import running_inbox

    with running_inbox(settings) as box:
        yield box
