from django.utils import timezone

from claims import workflow
from claims.management.base import DeskCommand


class Command(DeskCommand):
    help = (
        "Publish every scheduled explainer whose time has come. Run it from cron every few "
        "minutes; readers already see due explainers, so a late run never delays one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what is due without publishing it."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        if dry_run:
            due = list(workflow.explainers_due(now))
            for explainer in due:
                when = timezone.localtime(explainer.publish_at)
                self.stdout.write(f"due: {explainer.slug} (scheduled for {when:%Y-%m-%d %H:%M %Z})")
            self.stdout.write(f"{len(due)} explainer(s) due; nothing published (dry run).")
            return
        published = workflow.explainers_publish_due(now=now)
        for explainer in published:
            self.stdout.write(f"published: {explainer.slug}")
        self.stdout.write(self.style.SUCCESS(f"{len(published)} explainer(s) published."))
