"""A refusal ends a management command with a message and its kind's exit status, never a
traceback (claims/management/base.py maps claims.errors once for every command)."""

import io

import pytest
from django.core.management import CommandError, call_command

from claims.errors import Conflict, Forbidden, Invalid
from claims.ingest.errors import IngestError
from claims.management.base import DeskCommand
from claims.models import Source
from claims.models.base import StaleVersion

from .. import factories


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (Forbidden("You are not allowed to publish verifications."), 77),
        (Invalid("A note is needed."), 65),
        (IngestError("The page is empty."), 65),
        (Conflict("It is published already."), 1),
        (StaleVersion(Source(name="x"), 1, 2), 75),
    ],
)
def test_each_kind_of_refusal_has_its_exit_status(error, status):
    class Refusing(DeskCommand):
        def handle(self, *args, **options):
            raise error

    with pytest.raises(CommandError) as refused:
        Refusing().execute(no_color=True, force_color=False, skip_checks=True)
    assert refused.value.returncode == status
    assert str(refused.value) == error.message


@pytest.mark.django_db
def test_every_desk_command_maps_refusals():
    from django.core.management import get_commands, load_command_class

    ours = {name: app for name, app in get_commands().items() if app.startswith("claims")}
    assert "archive_evidence" in ours and "publish_scheduled" in ours
    for name, app in ours.items():
        assert isinstance(load_command_class(app, name), DeskCommand), name


def test_a_real_command_exits_with_its_refusals_status(db, tmp_path):
    # Restoring a backup over a desk that is not empty is refused (an IngestError): exit 65.
    factories.UserFactory(username="visitor")
    backup = tmp_path / "desk.json"
    call_command("export_desk", str(backup), stdout=io.StringIO())
    with pytest.raises(CommandError) as refused:
        call_command("import_desk", str(backup), stdout=io.StringIO())
    assert refused.value.returncode == 65
    assert str(refused.value).startswith("The database already holds users or desk content")
