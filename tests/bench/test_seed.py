"""The benchmark's seeder makes valid desk data, and only where it is allowed to."""

import random

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F, OuterRef, Subquery

from claims import selectors
from claims.devtools.bench import BENCH_EDITOR, seed, seed_marker
from claims.devtools.bench.endpoints import endpoints
from claims.devtools.management.commands import seed_bench
from claims.models import Claim, Explainer, Source, Verification
from claims.roles import EDITOR, FACT_CHECKER, REPORTER

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    seed.seed("tiny")


def test_seed_command_refuses_a_database_not_named_for_the_benchmark():
    with pytest.raises(CommandError, match="Refusing to seed"):
        call_command("seed_bench", "--size", "small")
    assert not Claim.objects.exists()


@pytest.mark.postgres
def test_a_seeded_database_is_marked_as_make_bench_reads_it():
    """`make bench` reuses a database whose comment names the current seed. The comment is
    written with prepared statements on, as the benchmark's databases are (server-side
    binding, where PostgreSQL's COMMENT takes no parameter)."""
    assert connection.settings_dict["OPTIONS"].get("server_side_binding") is True
    seed_bench.mark_seeded("small")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = current_database()"
        )
        assert cursor.fetchone() == (seed_marker("small"),)


def test_seeded_counts_follow_the_size(seeded):
    size = seed.SIZES["tiny"]
    assert Claim.objects.count() == size.claims
    assert Verification.objects.count() == size.verifications
    assert Explainer.objects.count() == size.explainers
    assert Explainer.objects.get(pk=1).explainer_claims.count() == (seed.SHOWCASE_EXPLAINER_CLAIMS)


def test_current_verdict_is_that_of_the_latest_published_verification(seeded):
    latest = Verification.objects.filter(claim=OuterRef("pk"), status="published").order_by(
        "-published_at", "-id"
    )
    claims = Claim.objects.annotate(
        latest_id=Subquery(latest.values("id")[:1]),
        latest_verdict=Subquery(latest.values("verdict")[:1]),
        latest_at=Subquery(latest.values("published_at")[:1]),
    )
    for claim in claims:
        assert claim.current_verification_id == claim.latest_id
        assert claim.current_verdict == (claim.latest_verdict or "")
        assert claim.current_verdict_as_of == claim.latest_at
    assert Claim.objects.filter(current_verdict="").exists()  # some not yet assessed


def test_published_verifications_have_another_reviewer(seeded):
    published = Verification.objects.filter(status="published")
    assert published.exists()
    assert not published.filter(reviewer__isnull=True).exists()
    assert not published.filter(reviewer=F("author")).exists()
    assert Verification.objects.exclude(status="published").exists()  # drafts too


def test_confidential_sources_show_readers_a_redacted_description(seeded):
    for source in Source.objects.filter(is_confidential=True):
        assert source.redacted_description


def test_the_same_seed_generates_the_same_rows():
    users = {REPORTER: [1, 2], FACT_CHECKER: [3], EDITOR: [4, 5]}

    def generate():
        builder = seed._Builder(seed.SIZES["tiny"], random.Random("same"))
        return [(model, rows) for model, _, rows in builder.tables(users)]

    assert generate() == generate()


def test_every_benchmarked_page_renders(seeded, client, settings):
    settings.READER_CACHE_BYPASS_TOKEN = "token"
    assert selectors.explainers_for_readers().filter(pk=1).exists()
    for endpoint in endpoints():
        if endpoint.mode == "editor":
            client.force_login(get_user_model().objects.get(username=BENCH_EDITOR))
        headers = {"X-Reader-Cache-Bypass": "token"} if endpoint.mode == "bypass" else {}
        response = client.get(endpoint.path, headers=headers)
        assert response.status_code == 200, endpoint.path
