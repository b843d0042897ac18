"""A claim page's "Corrections and updates" is kept apart from its verdicts: a new verdict
re-renders the page without reading the corrections again, and a correction issued on the
claim, made any way, reaches the page at once. One dated later than now is shown from its
time, not a page-keeping later. Each time the page is the one made with nothing kept."""

import datetime
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Correction
from claims.web.cache.version import purge_log

from .helpers import corrections_section, same_as_fresh

pytestmark = pytest.mark.django_db


def correction_reads(queries):
    return [q["sql"] for q in queries.captured_queries if 'FROM "claims_correction"' in q["sql"]]


def test_a_new_verdict_reads_the_corrections_no_more(client, desk, revise, publish_verification):
    url = desk.holding.get_absolute_url()
    revise(desk.holding, kind="correction", quote="Our positions in the town are held.")
    assert "Updated for readers." in corrections_section(client.get(url))
    publish_verification(desk.holding, verdict="disputed", rationale="Footage shows otherwise.")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert correction_reads(queries) == []
    assert "Footage shows otherwise." in page.content.decode()  # the page itself is new
    assert "Updated for readers." in corrections_section(page)
    assert same_as_fresh(client, url) == page.content.decode()


def test_a_correction_reaches_the_kept_section(client, desk, revise, editor):
    url = desk.holding.get_absolute_url()
    assert "We have not corrected" in corrections_section(client.get(url))
    revise(desk.holding, kind="correction", quote="Our positions in the town are held.")
    page = client.get(url)
    assert "Updated for readers." in corrections_section(page)
    assert same_as_fresh(client, url) == page.content.decode()
    # Made by the ORM, outside the workflow: its save still purges what shows the claim's.
    Correction.objects.create(claim=desk.holding, text="A date was wrong.", created_by=editor)
    assert "A date was wrong." in corrections_section(client.get(url))


def test_a_correction_dated_later_is_shown_from_its_time(client, desk, editor):
    """The desk issues corrections at once; one dated later (written by the ORM) is shown
    from its time: the section, and the page around it, are kept until then at most."""
    url = desk.holding.get_absolute_url()
    due = timezone.now() + datetime.timedelta(seconds=2)
    Correction.objects.create(
        claim=desk.holding, text="Shown from its time.", published_at=due, created_by=editor
    )
    assert "Shown from its time." not in corrections_section(client.get(url))
    assert "Shown from its time." not in corrections_section(client.get(url))  # kept
    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 1.1)
    page = client.get(url)
    assert "Shown from its time." in corrections_section(page)
    assert same_as_fresh(client, url) == page.content.decode()


def test_a_correction_dated_later_is_purged_when_it_comes_due(client, desk, editor, monkeypatch):
    """It joins the schedule, as a scheduled explainer does: the front cache is told to keep
    the page no longer than until then, and when it is due what shows it is purged, in every
    worker and at the front cache (the clock moved here: the copies' own deadlines, which
    count real seconds, have not passed)."""
    url = desk.holding.get_absolute_url()
    correction = Correction.objects.create(
        claim=desk.holding,
        text="Shown from its time.",
        published_at=timezone.now() + datetime.timedelta(minutes=5),
        created_by=editor,
    )
    page = client.get(url)
    assert "Shown from its time." not in corrections_section(page)
    max_age = int(re.search(r"max-age=(\d+)", page["Surrogate-Control"]).group(1))
    assert max_age <= 300
    due = correction.published_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: due)
    monkeypatch.setattr(time, "time", lambda: due.timestamp())
    purge_log.forget()  # the check time has passed
    assert "Shown from its time." in corrections_section(client.get(url))
