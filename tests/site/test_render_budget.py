"""One client may have READER_RENDERS_PER_MINUTE pages rendered for it a minute: past that, a
page not kept is answered 429 until the minute is out, and kept pages are served as ever
(claims.web.cache.decorators, `within_render_budget`)."""

import pytest
from django.test import Client

from claims.web import ratelimit
from tests.site.test_review_thirteenth import ask

pytestmark = pytest.mark.django_db

EXPLAINER = "/explainers/why-toretsk-matters/"


@pytest.fixture
def budget(settings, one_window):
    settings.READER_RENDERS_PER_MINUTE = 3
    return 3


def spend(client, budget):
    """Every render this client may have this minute, spent on searches nobody keeps."""
    for n in range(budget):
        assert client.get("/search/", {"q": f"toretsk {n}"}).status_code == 200


def test_past_its_budget_a_client_is_told_when_to_come_back_and_nothing_keeps_that(
    client, desk, budget
):
    spend(client, budget)
    refused = ask(client, "/search/?q=bakhmut")
    assert refused.status_code == 429
    assert not refused.queries, refused.seen  # nothing searched, nothing rendered
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "no-store" in refused["Cache-Control"] and "private" in refused["Cache-Control"]
    assert "Surrogate-Control" not in refused


def test_kept_pages_are_served_to_a_client_past_its_budget(client, desk, budget):
    page = client.get(EXPLAINER)
    spend(client, budget - 1)  # the explainer's render was the first
    again = client.get(EXPLAINER)
    assert again.status_code == 200 and again["X-Reader-Cache"] == "hit"
    assert again.content == page.content
    assert client.get("/claims/").status_code == 429  # not kept


def test_each_client_has_its_own_budget(desk, budget, settings):
    settings.READER_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    first = Client(HTTP_X_REAL_IP="203.0.113.7")
    spend(first, budget)
    assert first.get(EXPLAINER).status_code == 429
    other = Client(HTTP_X_REAL_IP="198.51.100.4")
    assert other.get(EXPLAINER).status_code == 200
    assert first.get(EXPLAINER)["X-Reader-Cache"] == "hit"  # the other's render, kept


def test_the_desk_and_the_benchmarks_bypass_are_not_counted(client, desk, budget, settings, editor):
    settings.READER_CACHE_BYPASS_TOKEN = "bench-token"
    bypass = {"X-Reader-Cache-Bypass": "bench-token"}
    for _ in range(budget + 2):
        assert client.get(EXPLAINER, headers=bypass).status_code == 200
    staff = Client()
    staff.force_login(editor)
    for n in range(budget + 2):
        assert staff.get("/search/", {"q": f"toretsk {n}"}).status_code == 200
    # Neither spent the readers' budget of this address.
    spend(client, budget)


def test_no_limit_when_the_budget_is_zero(client, desk, settings):
    settings.READER_RENDERS_PER_MINUTE = 0
    statuses = {client.get("/search/", {"q": f"toretsk {n}"}).status_code for n in range(70)}
    assert statuses == {200}


@pytest.mark.parametrize(
    "address, counted",
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::ffff", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("", ""),
        ("not an address", "not an address"),
    ],
)
def test_a_client_is_counted_by_its_address_and_an_ipv6_client_by_its_64(address, counted):
    """An IPv6 host picks its addresses from a /64: counted one address at a time, it had a
    budget (and an API throttle, a submission limit) for each of 2**64 of them."""
    assert ratelimit.counted_as(address) == counted
