"""Eighteenth outside review, through the front cache: what comes to readers by the clock
(a correction dated later, an explainer scheduled and then withdrawn) with varnishd in front
of the live server, as tests/operations/test_review_tenth_varnish.py runs it (its fixtures
and helpers), in real time (Varnish keeps its own clock).

Tried, and held: a claim page and the API's list of corrections kept by Varnish before a
correction dated a few seconds later was written show it once it is due; an explainer
scheduled for a few seconds later (its pages purged at the front) and withdrawn before its
time never appears through Varnish, before or after its time. No FOUND here.
"""

import datetime
import time

import pytest
from django.utils import timezone

from claims import workflow
from claims.models import Correction
from claims.web.cache import front

from . import test_review_tenth_varnish as tenth
from .test_review_tenth_varnish import get, live_explainer, text, warm

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.one_database,
]

# The tenth review's fixtures: its varnishd for the module, emptied per test, and a verdict.
varnishd, varnish, verdict = tenth.varnishd, tenth.varnish, tenth.verdict


def wait_until(moment):
    while timezone.now() < moment:
        time.sleep(0.02)


def test_a_correction_dated_later_reaches_pages_varnish_kept_before_it_was_written(
    varnish, verdict, editor
):
    """The claim page and the API's corrections list (the API's claim detail shows no
    corrections) are kept by Varnish
    (HITs) before a correction dated five seconds later is written; written, it purges
    them at the front and they are fetched again with a TTL that ends at its time (warmed
    again, still without it); 0.3 s after its time every one shows it."""
    pages = [
        verdict.get_absolute_url(),
        "/api/v1/corrections/",
    ]
    warm(varnish, *pages)
    due = timezone.now() + datetime.timedelta(seconds=5)
    Correction.objects.create(
        claim=verdict,
        text="The convoy footage was filmed a day earlier.",
        published_at=due,
        created_by=editor,
    )
    assert front.wait_for_purges(10)
    warm(varnish, *pages)
    for path in pages:
        assert "convoy footage" not in text(*get(varnish, path)), path
    wait_until(due + datetime.timedelta(seconds=0.3))
    missing = {}
    for path in pages:
        response, body = get(varnish, path)
        if "convoy footage" not in text(response, body):
            missing[path] = (response.getheader("X-Cache"), response.getheader("Age"))
    assert not missing, f"due, and not shown on: {missing}"


def test_an_explainer_withdrawn_before_its_time_never_appears_through_varnish(
    varnish, verdict, factchecker, editor
):
    """Scheduled four seconds ahead (its lists purged at the front and fetched again), then
    unpublished a second before its time: through Varnish, the lists and its own page never
    show it, right after its time and two seconds later."""
    lists = ["/explainers/", "/", "/feeds/explainers.rss", "/api/v1/explainers/"]
    warm(varnish, *lists)
    due = timezone.now() + datetime.timedelta(seconds=4)
    explainer = live_explainer(
        verdict, factchecker, editor, title="Why Kostiantynivka matters", at=due
    )
    assert front.wait_for_purges(10)
    own = f"/explainers/{explainer.slug}/"
    warm(varnish, *lists)
    wait_until(due - datetime.timedelta(seconds=1))
    workflow.explainer_unpublish(explainer=explainer, by=editor, reason="Not ready after all.")
    for moment in (due + datetime.timedelta(seconds=0.3), due + datetime.timedelta(seconds=2)):
        wait_until(moment)
        for path in lists:
            assert explainer.title not in text(*get(varnish, path)), path
        response, body = get(varnish, own)
        assert response.status == 404 or explainer.title not in text(response, body)
