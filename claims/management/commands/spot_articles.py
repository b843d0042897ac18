"""manage.py spot_articles [--all]"""

from django.db.models import F

from claims.ingest.candidates import article_spot_candidates
from claims.ingest.spotting import Spotter
from claims.management.base import DeskCommand
from claims.models import Article


class Command(DeskCommand):
    help = (
        "Spot and store the candidate claims of the articles that have none stored (brought in "
        "before candidates were stored) or whose text has changed since they were spotted; "
        "with --all, of every article (after adding many Sources or Places). Each article is "
        "stored in its own transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Spot every article again.")

    def handle(self, *args, all, **options):
        articles = Article.objects.order_by("pk")
        if not all:
            articles = articles.filter(spotting__isnull=True) | articles.exclude(
                spotting__body_hash=F("content_hash")
            )
        spotter = Spotter.from_database()
        done = found = 0
        for article in articles.iterator():
            found += len(article_spot_candidates(article=article, spotter=spotter))
            done += 1
        articles_word = "article" if done == 1 else "articles"
        self.stdout.write(f"Spotted {done} {articles_word}: {found} candidate claims stored.")
