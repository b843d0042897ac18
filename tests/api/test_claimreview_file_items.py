"""The whole ClaimReview file put together from items kept in the shared cache.

On the benchmark's large archive (94,000 reviews, 155 MB) building the file took 90 s of CPU
and gunicorn killed the worker at 30 s: the file was never served, and each request for it
held a worker for 30 s. Each claim's item is now kept in the shared cache, current exactly as
long as a kept page showing it would be; the file is put together from them, building only
those not kept, and a request builds for CLAIMREVIEW_FILE_BUILD_SECONDS at most."""

import json

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from claims import selectors, services
from claims.api.views import feed
from claims.web.cache import shared

from .. import factories

pytestmark = pytest.mark.django_db

FILE = "/api/v1/claimreviews.jsonld"


def as_built_in_one_go(host="testserver"):
    """The file as it was built before items were kept: every assessed claim with its review
    material, newest verdict first, dumped whole."""
    return feed.file_in_one_go(RequestFactory().get(FILE, HTTP_HOST=host))


def test_the_file_from_kept_items_is_byte_for_byte_the_file_built_in_one_go(
    anon, desk, built, afresh
):
    first = anon.get(FILE)
    assert first.status_code == 200
    assert len(built) == 3
    assert first.content == as_built_in_one_go()
    built.clear()
    again = afresh()
    assert again.content == first.content
    assert built == []  # every item was kept


def test_a_verdict_rebuilds_that_claims_item_alone(anon, desk, built, publish_verification):
    anon.get(FILE)
    built.clear()
    publish_verification(desk.capture, "false")
    after = anon.get(FILE)
    assert built == [desk.capture.pk]
    assert after.content == as_built_in_one_go()
    reviews = {
        element["item"]["url"]: element["item"]["reviewRating"]["alternateName"]
        for element in after.json()["dataFeedElement"]
    }
    assert reviews[f"http://testserver{desk.capture.get_absolute_url()}"] == "False"


def test_a_claimants_new_name_rebuilds_the_items_that_name_it(anon, desk, built, editor):
    anon.get(FILE)
    built.clear()
    claimant = desk.capture.claimant
    claimant.name = "The Defence Ministry in Moscow"
    services.record_save(obj=claimant, by=editor)
    after = anon.get(FILE)
    assert "The Defence Ministry in Moscow" in after.content.decode()
    named = selectors.assessed_claims_for_readers().filter(claimant=claimant)
    assert set(built) == set(named.values_list("pk", flat=True))
    assert after.content == as_built_in_one_go()


def test_items_are_kept_for_the_address_they_were_built_for(anon, desk, built, settings):
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example.org"]
    anon.get(FILE)
    built.clear()
    other = anon.get(FILE, HTTP_HOST="mirror.example.org")
    assert len(built) == 3  # its own items, whose links name its own address
    assert "http://testserver/" not in other.content.decode()
    assert other.content == as_built_in_one_go("mirror.example.org")


def test_a_request_builds_items_for_a_bounded_time_then_answers_503_and_keeps_them(
    anon, desk, built, monkeypatch, settings
):
    """Past CLAIMREVIEW_FILE_BUILD_SECONDS with items still to build, a 503 with Retry-After
    that nobody keeps, and the items it built kept for the next request."""
    monkeypatch.setattr(feed, "FILE_CHUNK", 1)
    settings.CLAIMREVIEW_FILE_BUILD_SECONDS = 0  # one chunk of items a request
    answers = []
    for _ in range(3):
        response = anon.get(FILE)
        answers.append(response.status_code)
        if response.status_code == 503:
            assert response["Retry-After"] == str(feed.FILE_RETRY_AFTER)
            assert response["Cache-Control"] == "no-store"
            assert response.json()["status"] == 503
            assert "/api/v1/claimreviews/" in response.json()["detail"]
    assert answers == [503, 503, 200]
    assert len(built) == len(set(built)) == 3  # none built twice
    assert anon.get(FILE).content == as_built_in_one_go()


def build_lock(host="testserver"):
    """The name of the lock on building the items of the file as `host` is answered."""
    context = feed.file_item_context(RequestFactory().get(FILE, HTTP_HOST=host))
    return feed.BuildLock(context).name


def test_while_one_request_builds_items_another_answers_503_at_once(anon, desk, built):
    cache.add(build_lock(), "another request", timeout=30)
    response = anon.get(FILE)
    assert response.status_code == 503 and built == []
    assert cache.get(build_lock()) == "another request"  # not let go by this one
    cache.delete(build_lock())
    assert anon.get(FILE).status_code == 200
    assert cache.get(build_lock()) is None  # let go once the file is put together


def test_a_request_whose_lock_lapsed_builds_no_more_and_frees_no_other(anon, desk, monkeypatch):
    """A request that ran past its lock's time finds another request holding it now: it
    builds no more chunks (a 503), and leaves that request's lock alone."""
    monkeypatch.setattr(feed, "FILE_CHUNK", 1)
    real = feed._file_items

    def lapsing(ids, request):
        cache.set(build_lock(), "another request", timeout=30)  # lapsed, and taken again
        return real(ids, request)

    monkeypatch.setattr(feed, "_file_items", lapsing)
    assert anon.get(FILE).status_code == 503
    assert cache.get(build_lock()) == "another request"


def test_the_command_builds_the_items_off_the_request_path(anon, desk, built, settings):
    settings.SITE_URL = "https://claims.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "claims.example.org"]
    call_command("prepare_claimreview_file")
    assert len(built) == 3
    built.clear()
    response = anon.get(FILE)
    assert response.status_code == 200 and built == []
    assert "https://claims.example.org/claims/" in response.content.decode()
    call_command("prepare_claimreview_file")  # nothing left to build
    assert built == []


def test_the_command_needs_the_address_readers_use(desk, settings):
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="SITE_URL"):
        call_command("prepare_claimreview_file")
    with pytest.raises(CommandError, match="ALLOWED_HOSTS"):
        call_command("prepare_claimreview_file", site_url="https://elsewhere.example.org")


def test_an_item_found_current_after_half_a_day_is_kept_again_with_the_later_purge(
    anon, desk, monkeypatch, publish_verification, afresh
):
    """Items are checked against the purge log, which reaches back a day: one still current
    is stamped again before it is too old to be checked, and so is not built again daily."""
    anon.get(FILE)
    names = [key.split(":", 2)[-1] for key in cache._cache if "claimreview-item" in key]
    first = {name: cache.get(name) for name in names}
    assert first and all(entry[0] == next(iter(first.values()))[0] for entry in first.values())
    publish_verification(desk.capture, "false")  # a purge: the counter moves on
    monkeypatch.setattr(shared, "RESTAMP_SECONDS", -1)
    afresh()
    for name, (seq, keys, _, value) in first.items():
        now = cache.get(name)
        assert now[0] > seq
        if f"claim-{desk.capture.pk}" not in keys:
            assert now[3] == value and now[1] == keys  # the same item, stamped afresh


def test_the_file_shows_nothing_a_reader_cannot_see(anon, desk):
    text = anon.get(FILE).content.decode()
    assert "SECRET" not in text
    data = json.loads(text)
    shown = {element["item"]["url"] for element in data["dataFeedElement"]}
    assert shown == {
        f"http://testserver{claim.get_absolute_url()}"
        for claim in selectors.assessed_claims_for_readers()
    }
    draft = factories.ClaimFactory(statement="A claim only the desk has seen")
    factories.VerificationFactory(claim=draft)
    assert "only the desk has seen" not in anon.get(FILE).content.decode()
