"""A database busy with someone else's write: a request waits for the lock (SQLite's busy
timeout, PostgreSQL's lock_timeout) and then either goes through, or is a clean 503 with
Retry-After that wrote nothing; never a 500, in the admin or the API, DEBUG on or off.

On SQLite the tests run on a real database file (a copy of the test database, for every
thread), because what is tested is locking between connections: the in-memory test database
shares one cache between its connections and locks table by table instead. Another
connection takes the write lock with BEGIN IMMEDIATE, as another worker's write would, and
holds it for as long as the test says.
"""

import sqlite3
import threading
import time
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.db import connection, connections, transaction
from django.test import Client
from rest_framework.authtoken.models import Token

from claims.models import Explainer, Place, Source
from newsroom import outage

from .. import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The busy timeout while these tests run (the settings' default is longer;
# tests/operations/test_settings.py checks it): long enough for the lock released within it,
# short enough to wait for often.
LOCK_WAIT = 1.5


@pytest.fixture
def desk_on_a_file(transactional_db, tmp_path):
    """The default database moved to a SQLite file for the length of the test, in every
    thread (each thread's connection is made from the same settings), with the busy timeout
    set to LOCK_WAIT. What the test database held is copied to the file first."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own locking between connections")
    path = tmp_path / "desk.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])
    settings_dict = connection.settings_dict  # the same dict every thread's connection reads
    saved = settings_dict["NAME"], settings_dict["OPTIONS"]
    in_memory = connection.connection  # held, so the in-memory test database lives on
    connection.connection = None
    settings_dict["NAME"] = str(path)
    settings_dict["OPTIONS"] = {**settings_dict["OPTIONS"], "timeout": LOCK_WAIT}
    try:
        yield path
    finally:
        connection.close()
        settings_dict["NAME"], settings_dict["OPTIONS"] = saved
        connection.connection = in_memory


@contextmanager
def write_lock_held(path, *, release_after=None):
    """Another connection holds the database's write lock (BEGIN IMMEDIATE) until the block
    ends, or for `release_after` seconds if that is sooner."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    released = threading.Lock()

    def release():
        with released:
            if other.in_transaction:
                other.rollback()

    timer = threading.Timer(release_after, release) if release_after is not None else None
    if timer:
        timer.start()
    try:
        yield
    finally:
        if timer:
            timer.cancel()
        release()
        other.close()


def desk_state():
    """Every row count of the desk (history and audit included) and each source's name,
    place's name and explainer's title: what a half-written request would change."""
    models = apps.get_app_config("claims").get_models()
    state = {model._meta.label: model._base_manager.count() for model in models}
    state["sources"] = sorted(Source.objects.values_list("pk", "name"))
    state["places"] = sorted(Place.objects.values_list("pk", "name"))
    state["explainers"] = sorted(Explainer.objects.values_list("pk", "title"))
    return state


def browser(**extra):
    """A client that gets the response a browser would, not the exception behind it."""
    return Client(raise_request_exception=False, **extra)


@pytest.fixture
def editor_api(desk_on_a_file):
    editor = factories.UserFactory(username="editor", role="Editor")
    token = Token.objects.create(user=editor)
    return browser(HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.fixture
def editor_desk(desk_on_a_file):
    client = browser()
    client.force_login(factories.UserFactory(username="editor", role="Editor"))
    return client


def etag(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response["ETag"]


# The writes the security review saw answer 500 while another request was writing, each as
# (method, address, body) for an editor's API client on a desk with one of each object.
def review_writes(client):
    source = factories.SourceFactory(name="A source nobody cites")
    place_count = Place.objects.count()
    explainer = factories.ExplainerFactory(title="Why Toretsk matters")
    source_url = f"/api/v1/sources/{source.pk}/"
    explainer_url = f"/api/v1/explainers/{explainer.pk}/"
    return {
        "DELETE a source": lambda: client.delete(
            source_url, HTTP_IF_MATCH=etag(client, source_url)
        ),
        "PATCH a source": lambda: client.patch(
            source_url,
            {"name": "Renamed while locked"},
            content_type="application/json",
            HTTP_IF_MATCH=etag(client, source_url),
        ),
        "PATCH an explainer": lambda: client.patch(
            explainer_url,
            {"title": "Retitled while locked"},
            content_type="application/json",
            HTTP_IF_MATCH=etag(client, explainer_url),
        ),
        "POST a place": lambda: client.post(
            "/api/v1/places/",
            {"name": f"Place {place_count + 1}", "kind": "village"},
            content_type="application/json",
        ),
    }


def assert_api_503(response):
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "type": "about:blank",
        "title": "Service Unavailable",
        "status": 503,
        "code": "service_unavailable",
        "detail": outage.API_DETAIL,
    }


@pytest.mark.parametrize("debug", [False, True], ids=["production", "DEBUG on, as in the demo"])
@pytest.mark.parametrize(
    "write", ["DELETE a source", "PATCH a source", "PATCH an explainer", "POST a place"]
)
def test_an_api_write_behind_a_lock_held_past_the_busy_timeout_is_a_503_that_wrote_nothing(
    editor_api, desk_on_a_file, settings, debug, write
):
    settings.DEBUG = debug
    send = review_writes(editor_api)[write]
    before = desk_state()
    with write_lock_held(desk_on_a_file):
        started = time.monotonic()
        response = send()
        waited = time.monotonic() - started
    assert_api_503(response)
    assert waited >= LOCK_WAIT * 0.9  # it waited for the lock before giving up
    assert desk_state() == before


@pytest.mark.parametrize("debug", [False, True], ids=["production", "DEBUG on, as in the demo"])
def test_an_admin_save_behind_a_lock_held_past_the_busy_timeout_is_the_503_page(
    editor_desk, desk_on_a_file, settings, debug
):
    settings.DEBUG = debug
    form = {
        "name": "Pivnichne",
        "slug": "",
        "kind": "village",
        "region": "Donetsk region",
        "alternative_names-TOTAL_FORMS": "0",
        "alternative_names-INITIAL_FORMS": "0",
        "alternative_names-MIN_NUM_FORMS": "0",
        "alternative_names-MAX_NUM_FORMS": "1000",
    }
    before = desk_state()
    with write_lock_held(desk_on_a_file):
        response = editor_desk.post("/admin/claims/place/add/", form)
    assert response.status_code == 503
    assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    body = response.content.decode()
    assert "We will be back shortly" in body and "Traceback" not in body
    assert desk_state() == before
    # And the same save goes through once the lock is gone.
    response = editor_desk.post("/admin/claims/place/add/", form)
    assert response.status_code == 302, response.content[:500]
    assert Place.objects.filter(name="Pivnichne").exists()


@pytest.mark.parametrize(
    "write", ["DELETE a source", "PATCH a source", "PATCH an explainer", "POST a place"]
)
def test_an_api_write_waits_for_a_lock_released_within_the_busy_timeout_and_succeeds(
    editor_api, desk_on_a_file, write
):
    send = review_writes(editor_api)[write]
    with write_lock_held(desk_on_a_file, release_after=LOCK_WAIT / 3):
        started = time.monotonic()
        response = send()
        waited = time.monotonic() - started
    assert response.status_code in (200, 201, 204), response.content[:300]
    assert waited >= LOCK_WAIT / 3 * 0.9


def test_two_clients_writing_at_once_all_get_through(editor_api, desk_on_a_file):
    """Two desk tools, each creating and then editing places as fast as they can: with
    immediate write transactions each waits its turn for the lock, none gets an error."""
    writes_each = 12
    token = Token.objects.get().key
    statuses = {0: [], 1: []}
    barrier = threading.Barrier(2)

    def desk_tool(index):
        client = browser(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            barrier.wait(timeout=10)
            for n in range(writes_each):
                response = client.post(
                    "/api/v1/places/",
                    {"name": f"Village {index}-{n}", "kind": "village"},
                    content_type="application/json",
                )
                statuses[index].append(response.status_code)
                if response.status_code != 201:
                    continue
                url = f"/api/v1/places/{response.json()['id']}/"
                response = client.patch(
                    url,
                    {"region": "Donetsk region"},
                    content_type="application/json",
                    HTTP_IF_MATCH=response["ETag"],
                )
                statuses[index].append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=desk_tool, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert statuses == {i: [201, 200] * writes_each for i in (0, 1)}
    assert Place.objects.filter(region="Donetsk region", name__startswith="Village ").count() == (
        2 * writes_each
    )


@pytest.mark.postgres
def test_on_postgresql_a_row_lock_held_past_the_lock_timeout_is_a_503_that_wrote_nothing(
    transactional_db,
):
    editor = factories.UserFactory(username="editor", role="Editor")
    client = browser(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    place = factories.PlaceFactory(name="Toretsk")
    url = f"/api/v1/places/{place.pk}/"
    tag = etag(client, url)
    locked, done = threading.Event(), threading.Event()

    def another_write():
        try:
            with transaction.atomic():
                Place.objects.select_for_update().get(pk=place.pk)
                locked.set()
                done.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=another_write)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        with connection.cursor() as cursor:  # this connection's wait, shortened for the test
            cursor.execute("SET lock_timeout = '1s'")
        response = client.patch(
            url, {"region": "Kharkiv region"}, content_type="application/json", HTTP_IF_MATCH=tag
        )
    finally:
        done.set()
        holder.join(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert_api_503(response)
    place.refresh_from_db()
    assert place.region == "Donetsk region"
