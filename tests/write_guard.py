"""Every write a face makes goes through the workflow or a service.

While the suite runs, each save or delete of one of the desk's records looks down the call
stack: if the admin, the API or the reader site asked for it, a workflow step or a service
(or the trail they write with, or the intake, which writes through its own import service)
must stand between that face and the save. A face saving a model itself would skip the
permission check, the history row and the review of live records that those functions hold
(docs/architecture.md). Django's own forms setting many-to-many values after a save the
service has checked is not a save or a delete, so it is not counted.
"""

import sys
from pathlib import Path

from django.db.models.signals import pre_delete, pre_save

CLAIMS = Path(__file__).resolve().parents[1] / "claims"
FACES = tuple(str(CLAIMS / face) + "/" for face in ("admin", "api", "site"))
WRITERS = tuple(
    str(CLAIMS / room)
    for room in ("services/", "workflow.py", "trail.py", "ingest/", "notifications.py")
)


def face_write(frame):
    """The face frame that made this write without a service in between, or None."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(WRITERS):
            return None
        if filename.startswith(FACES):
            return f"{Path(filename).relative_to(CLAIMS.parent)}:{frame.f_lineno}"
        frame = frame.f_back
    return None


class WriteGuard:
    def __init__(self):
        self.violations = []

    def __call__(self, sender, instance, **kwargs):
        if sender._meta.app_label != "claims" or sender.__name__.startswith("Historical"):
            return
        where = face_write(sys._getframe(1))
        if where is not None:
            self.violations.append(f"{sender.__name__} written at {where}")

    def __enter__(self):
        for signal in (pre_save, pre_delete):
            signal.connect(self, weak=False, dispatch_uid=f"write-guard-{signal}")
        return self

    def __exit__(self, *exc):
        for signal in (pre_save, pre_delete):
            signal.disconnect(dispatch_uid=f"write-guard-{signal}")
