"""The desk's own signals, besides Django's.

`published_record_changed` is sent by `claims.workflow` inside a transition that changes what
readers see (a verdict published, an explainer published or unpublished, a correction
issued): the workflow writes with conditional UPDATEs, which send no save signals. Its
arguments are `sender` (the model), `instance` (the object moved) and `seen_at` (None, or
the earlier time readers saw the change: a scheduled explainer's publication time, when the
scheduler marks it published), and `came_or_went` (True when readers see it now and did not
before, or the other way round: a publish, an unpublish; the default when not said) and
`related` ([(model, ids)]: rows it gained or lost a link to, such as the claims a published
revision adds to or takes from an explainer, which may come or go with it) and `renamed`
(False when the change is known to leave an explainer's title and address as they were:
the pages that only name it then stay; the default when not said is True) and `verdict`
(True when a claim's current verdict is all that changed: what is around it, its places,
appearances, links and citing explainers, stays; False when not said). The
reader cache purges the pages it touches, and moves readers' Last-Modified on, when the
transaction commits (claims/web/cache/).

`explainer_schedule_changed` is sent by the workflow when an explainer is scheduled, or leaves
the schedule, whether readers saw the move or not (after `published_record_changed` when they
did: one taken back from readers for a later time): the reader cache then reads the schedule
again, so that the explainer goes live on the reader pages when its time comes.
"""

from django.dispatch import Signal

published_record_changed = Signal()
explainer_schedule_changed = Signal()
