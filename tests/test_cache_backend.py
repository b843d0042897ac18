"""The Redis cache backend (newsroom/cache.py) is Django's, with its client objects reused."""

import socket

import pytest

from newsroom.cache import ReusingRedisCache


def redis_answers():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def redis_cache():
    if not redis_answers():
        pytest.skip("needs a Redis server at 127.0.0.1:6379 (CI's machine has one)")
    backend = ReusingRedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": "backend-test"})
    backend.clear()
    yield backend
    backend.clear()


def test_it_keeps_what_it_is_given_as_djangos_does(redis_cache):
    redis_cache.set("page", (1.5, b"\x1f\x8b bytes", "text/html", ()), timeout=60)
    assert redis_cache.get("page") == (1.5, b"\x1f\x8b bytes", "text/html", ())
    assert redis_cache.get_many(["page", "missing"]) == {
        "page": (1.5, b"\x1f\x8b bytes", "text/html", ())
    }
    assert redis_cache.add("page", "other") is False
    redis_cache.set("gone", 1, timeout=0)
    assert redis_cache.get("gone") is None


def test_one_client_object_serves_every_call(redis_cache):
    redis_cache.set("a", 1)
    first = redis_cache._cache.get_client("a")
    assert redis_cache._cache.get_client("b", write=True) is first
