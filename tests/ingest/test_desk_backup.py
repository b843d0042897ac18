"""export_desk / import_desk: the whole desk round-trips into an empty database."""

import datetime
import json

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from claims import workflow
from claims.ingest.desk import canonical_dump, desk_is_empty
from claims.models import Appearance, Article, AuditEvent, ClaimLink, PlaceName, Verification

from .. import factories


@pytest.fixture
def full_desk(claim, publish_verification, draft_verification, live_explainer, editor, reporter):
    """A desk with one of everything: published and draft verifications, an explainer with a
    correction, evidence with coordinates, links, aliases, alternative names, history."""
    claim.claimant.aliases.create(name="MoD")
    toretsk = factories.PlaceFactory(name="Toretsk")
    PlaceName.objects.create(place=toretsk, name="Dzerzhynsk", note="Soviet-era name")
    claim.places.add(toretsk)
    article = factories.ArticleFactory(imported_by=reporter, raw_text="raw copy")
    Appearance.objects.create(claim=claim, article=article, passage="Toretsk is ours.")
    other = factories.ClaimFactory(statement="Ukraine says it still holds Toretsk")
    ClaimLink.objects.create(from_claim=other, to_claim=claim, relation="disputes")
    evidence = factories.EvidenceFactory(
        claim=claim,
        latitude="48.397500",
        longitude="37.847800",
        captured_at=datetime.datetime(2025, 2, 6, 9, 30, tzinfo=datetime.UTC),
    )
    publish_verification(claim, verdict="disputed", evidence=[evidence])
    live_explainer.claims.add(claim, through_defaults={"position": 1, "context_note": "Key."})
    live_explainer.authors.add(editor)
    workflow.correction_issue(explainer=live_explainer, by=editor, text="Fixed a name.")
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(claim),
        object_id=str(claim.pk),
        object_repr=str(claim),
        action_flag=ADDITION,
        change_message="[]",
    )
    return claim


def empty_the_database():
    """Every table emptied, as in a database that has only just been made (but with the test
    transaction still open, so the test's rollback brings the data back for the next test)."""
    if connection.vendor == "postgresql":
        # TRUNCATE refuses while deferred foreign-key checks of this transaction are pending.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_a_round_trip_into_an_empty_database_reproduces_the_desk(full_desk, run_command, tmp_path):
    before = canonical_dump()
    path = tmp_path / "desk.json"

    exported = run_command("export_desk", str(path))
    empty_the_database()
    assert desk_is_empty()
    imported = run_command("import_desk", str(path))

    assert exported.failed is None and imported.failed is None
    count = len(json.loads(path.read_text()))
    assert f"Exported {count} objects" in exported.out
    assert f"Imported {count} objects" in imported.out
    assert canonical_dump() == before
    assert Verification.objects.filter(status=Verification.Status.DRAFT).exists()
    assert Verification.objects.filter(status=Verification.Status.PUBLISHED).exists()
    assert AuditEvent.objects.filter(action="verification.publish").exists()


def test_times_come_back_to_the_microsecond(full_desk, run_command, tmp_path):
    """Django's JSON cuts times to milliseconds; the export keeps them whole, so a restore
    gives back exactly the moment that was saved (e.g. 10:36:07.000123, not 10:36:07)."""
    exact = datetime.datetime(2025, 2, 7, 10, 36, 7, 123, tzinfo=datetime.UTC)
    Article.objects.update(published_at=exact, imported_at=exact.replace(microsecond=456789))
    path = tmp_path / "desk.json"

    run_command("export_desk", str(path))
    empty_the_database()
    run_command("import_desk", str(path))

    assert Article.objects.exists()
    for article in Article.objects.all():
        assert article.published_at == exact
        assert article.imported_at == exact.replace(microsecond=456789)


def test_the_export_refers_to_users_and_groups_by_natural_key(full_desk, run_command, tmp_path):
    path = tmp_path / "desk.json"
    run_command("export_desk", str(path))
    objects = json.loads(path.read_text())

    users = [o for o in objects if o["model"] == "auth.user"]
    assert users and all("pk" not in u for u in users)
    factchecker = next(u for u in users if u["fields"]["username"] == "factchecker")
    assert factchecker["fields"]["groups"] == [["Fact-checker"]]
    verification = next(o for o in objects if o["model"] == "claims.verification")
    assert verification["fields"]["author"] == ["factchecker"]
    models = {o["model"] for o in objects}
    assert {
        "claims.claim",
        "claims.auditevent",
        "claims.correction",
        "auth.group",
        "admin.logentry",
    } <= models
    assert "auth.permission" not in models and "contenttypes.contenttype" not in models


def test_import_refuses_a_database_that_is_not_empty(full_desk, run_command, tmp_path):
    path = tmp_path / "desk.json"
    run_command("export_desk", str(path))
    result = run_command("import_desk", str(path))
    assert result.failed.startswith("The database already holds users or desk content")


def test_import_of_a_broken_file_loads_nothing(db, run_command, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('[{"model": "claims.claim", "pk": 1, "fields": {"statement": "x"}}]')
    result = run_command("import_desk", str(broken))
    assert "could not be restored; nothing was loaded" in result.failed
    assert desk_is_empty()

    broken.write_text("not json")
    assert "is not a desk export" in run_command("import_desk", str(broken)).failed


def test_export_to_stdout(full_desk, run_command):
    result = run_command("export_desk", "-")
    assert json.loads(result.out)
