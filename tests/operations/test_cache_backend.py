"""The Redis cache backend is django-redis: one client object per connection pool instead of
Django's RedisCache's one per operation (claims/devtools/redis_client_timing.py), with Django's key
format and value encoding, so that it keeps what Django's cache keeps and either reads what
the other wrote (workers of the release before and after a switch share one Redis)."""

import socket

import pytest
from django.core.cache.backends.redis import RedisCache
from django_redis.cache import RedisCache as DjangoRedisCache

LOCATION = "redis://127.0.0.1:6379/14"
PAGE = (1.5, b"\x1f\x8b bytes", "text/html", ())


def redis_answers():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def backends():
    """The desk's backend and Django's own, on one Redis database with one key prefix."""
    if not redis_answers():
        pytest.skip("needs a Redis server at 127.0.0.1:6379 (CI's machine has one)")
    params = {"KEY_PREFIX": "backend-test"}
    ours, djangos = DjangoRedisCache(LOCATION, params), RedisCache(LOCATION, params)
    ours.clear()
    yield ours, djangos
    ours.clear()


def test_it_keeps_what_it_is_given_as_djangos_does(backends):
    ours, _ = backends
    ours.set("page", PAGE, timeout=60)
    assert ours.get("page") == PAGE
    assert ours.get_many(["page", "missing"]) == {"page": PAGE}
    assert ours.add("page", "other") is False
    ours.set("gone", 1, timeout=0)
    assert ours.get("gone") is None
    ours.add("count", 0, timeout=60)
    assert ours.incr("count") == 1


def test_each_reads_what_the_other_wrote(backends):
    ours, djangos = backends
    djangos.set("page", PAGE, timeout=60)
    djangos.set("count", 41, timeout=60)
    assert ours.get_many(["page", "count"]) == {"page": PAGE, "count": 41}
    assert ours.incr("count") == 42
    ours.set("version", 1733300000.25, timeout=None)
    assert djangos.get("version") == 1733300000.25
    assert djangos.get("count") == 42


def test_one_client_object_serves_every_call(backends):
    ours, _ = backends
    ours.set("a", 1)
    assert ours.client.get_client(write=False) is ours.client.get_client(write=True)
