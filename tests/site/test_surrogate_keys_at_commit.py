"""Surrogate keys at the commit: what a change purges waits for its transaction to commit,
and a transaction rolled back or a purge the cache does not take leaves nothing wrong behind.
Transactional tests, each with a desk of its own (tests/site/conftest.py `build_desk`, not
the rows the other modules keep for their tests: those are held in a transaction)."""

import datetime
import time

import pytest
from django.core.cache import cache
from django.utils import timezone

from claims.web.cache.version import PURGE_PREFIX, PURGES_KEY, purge_log

from .conftest import build_desk, claim_elsewhere

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def desk_committed(transactional_db):
    return build_desk()


@pytest.fixture
def elsewhere(desk_committed, publish_verification):
    return claim_elsewhere(publish_verification)


def kept(client, url):
    """Whether `url` is answered from the reader cache now."""
    return client.get(url).get("X-Reader-Cache") == "hit"


def test_nothing_is_purged_before_the_change_commits(client, desk_committed, publish_verification):
    """Purged before the commit, other workers would render the pages again from the old
    data, to be purged again by the commit."""
    from django.db import transaction

    page = desk_committed.holding.get_absolute_url()
    client.get(page)
    before = cache.get(PURGES_KEY)
    with transaction.atomic():
        publish_verification(
            desk_committed.holding, verdict="false", rationale="Geolocated at last."
        )
        assert cache.get(PURGES_KEY) == before
        assert kept(client, page)  # what readers see until the commit
    assert cache.get(PURGES_KEY) > before
    assert "Geolocated at last." in client.get(page).content.decode()


def test_a_rolled_back_change_leaves_nothing_for_the_next_commit(client, desk_committed):
    """A transaction rolled back after readers saw a change in it (a scheduled explainer's
    go-live, dated when it came due) leaves neither its keys nor its date to the next
    transaction: readers' Last-Modified moves to the time that one commits, so that a
    client asking If-Modified-Since is not told the changed page is the one it has."""
    from django.db import transaction

    from claims.web.cache.version import READERS_KEY, readers_saw

    long_ago = timezone.now() - datetime.timedelta(days=30)
    with pytest.raises(RuntimeError), transaction.atomic():
        readers_saw(desk_committed.explainer, came_or_went=True, seen_at=long_ago)
        raise RuntimeError("the editor's change failed after readers saw it")
    stamp = cache.get(READERS_KEY)
    committed_at = time.time()
    with transaction.atomic():
        holding = type(desk_committed.holding).objects.get(pk=desk_committed.holding.pk)
        holding.statement = "Brigade says it still holds the ridge above the town"
        holding.save()
    assert cache.get(READERS_KEY) >= committed_at > stamp


def test_a_purge_the_cache_does_not_take_is_kept_and_sent_again(
    client,
    desk_committed,
    elsewhere,
    publish_verification,
    monkeypatch,
    caplog,
    served_a_second_later,
):
    """Redis down or too slow when a publish commits: the publish stands (the editor's request
    does not fail), this worker serves nothing it changed (nor says it is unchanged), and the
    purge is sent with the next request once the cache answers, the front cache purged again
    with it."""
    from django.core.cache import caches

    from claims.models import Verification
    from claims.web.cache import version

    page, other = desk_committed.holding.get_absolute_url(), elsewhere.get_absolute_url()
    first = client.get(page)
    assert kept(client, page) and client.get(other).status_code == 200
    before = cache.get(PURGES_KEY)
    monkeypatch.setattr(version, "UNSENT_RETRY_SECONDS", 0)
    at_front = []
    monkeypatch.setattr(version.front, "purge_at_front", lambda keys: at_front.append(set(keys)))

    def no_answer(*args, **kwargs):
        raise ConnectionError("the cache did not answer in time")

    time.sleep(1.1)  # HTTP dates count whole seconds: the change comes a second later
    with monkeypatch.context() as outage:
        outage.setattr(caches["default"], "incr", no_answer)
        published = publish_verification(
            desk_committed.holding, verdict="false", rationale="Geolocated."
        )
        assert Verification.objects.get(pk=published.pk).status == "published"
        assert cache.get(PURGES_KEY) == before  # the purge did not reach the cache
        assert "did not reach the shared cache" in caplog.text
        assert f"claim-{desk_committed.holding.pk}" in purge_log.unsent
        # Not served from this worker's copy meanwhile, and the request does not fail; nor
        # is a client asking whether it changed since it last looked told it has not.
        assert "Geolocated." in client.get(page).content.decode()
        asked = {"If-Modified-Since": first["Last-Modified"]}
        assert client.get(page, headers=asked).status_code == 200
        # Another change in the same outage, to a page served meanwhile as still current:
        # not served from before it either.
        assert kept(client, other)
        publish_verification(elsewhere, verdict="confirmed", rationale="Second look.")
        assert "Second look." in client.get(other).content.decode()
        assert purge_log.unsent  # still unsent: the cache still does not answer
        assert len(at_front) == 2  # the front cache purged at each commit all the same

    client.get("/")  # the next request sends it
    assert not purge_log.unsent
    assert cache.get(PURGES_KEY) > before
    made, keys = cache.get(f"{PURGE_PREFIX}{cache.get(PURGES_KEY)}")
    assert f"claim-{desk_committed.holding.pk}" in keys
    # Purged at the front again: it may have fetched another worker's old copy meanwhile.
    assert len(at_front) == 3 and f"claim-{desk_committed.holding.pk}" in at_front[-1]
