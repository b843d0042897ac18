"""`manage.py load_demo`: build the demo desk from the content in `claims.demo`."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from claims import demo, workflow
from claims.ingest import candidates
from claims.models import (
    Appearance,
    Article,
    Claim,
    ClaimLink,
    ClaimSubmission,
    Correction,
    Evidence,
    Explainer,
    ExplainerClaim,
    Place,
    PlaceName,
    Revision,
    Source,
    SourceAlias,
    StandingPage,
    Verification,
)
from claims.services import revisions

# A verification's draft is taken to have been written this long before it was submitted.
DRAFTING_TIME = timedelta(hours=1)


class Command(BaseCommand):
    help = (
        "Load the demo desk: one user per role (plus a second editor), the 'Why Toretsk "
        "matters' explainer with its sources, places, claims, evidence and verdict history, "
        "and enough work in progress to fill the desk's queues. Safe to run again: existing "
        "objects are found by natural key and left as they are; the demo users' passwords "
        "are reset."
    )

    def handle(self, *args, **options):
        self.created = Counter()
        self.found = Counter()
        try:
            with transaction.atomic():
                self.users = self.load_users()
                self.sources = self.load_sources()
                self.places = self.load_places()
                self.articles = self.load_articles()
                self.claims = {data["slug"]: self.load_claim(data) for data in demo.CLAIMS}
                self.load_claim_links()
                for data in demo.EXPLAINERS:
                    self.load_explainer(data)
                self.load_standing_pages()
                self.load_submissions()
        except workflow.WorkflowError as error:
            raise CommandError(f"The demo could not be loaded: {error.message}") from error
        except ValidationError as error:
            raise CommandError(f"The demo data does not fit the models: {error}") from error
        self.report()

    # --- bookkeeping -----------------------------------------------------------------

    def tally(self, kind, created):
        (self.created if created else self.found)[kind] += 1

    def report(self):
        self.stdout.write("Demo desk loaded (created / already there):")
        for kind in dict.fromkeys([*self.created, *self.found]):
            self.stdout.write(
                f"  {kind:<15} {self.created[kind]:>3} created  {self.found[kind]:>3} found"
            )
        self.stdout.write("")
        self.stdout.write("Demo users (passwords are reset on every run):")
        self.stdout.write(f"  {'username':<12} {'role':<14} password")
        for data in demo.USERS:
            self.stdout.write(f"  {data['username']:<12} {data['role']:<14} {data['password']}")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Log in at {demo.ADMIN_URL}"))

    # --- standing pages and readers' submissions ---------------------------------------

    def load_standing_pages(self):
        editor = self.users["editor"]
        for data in demo.STANDING_PAGES:
            _, created = StandingPage.objects.get_or_create(
                kind=data["kind"],
                defaults={
                    "title": data["title"],
                    "summary": data["summary"],
                    "body": data["body"],
                    "updated_by": editor,
                },
            )
            self.tally("standing pages", created)

    def load_submissions(self):
        for data in demo.SUBMISSIONS:
            _, created = ClaimSubmission.objects.get_or_create(
                text=data["text"], defaults={"link": data["link"], "contact": data["contact"]}
            )
            self.tally("submissions", created)

    # --- people, sources, places, articles --------------------------------------------

    def load_users(self):
        User = get_user_model()
        users = {}
        for data in demo.USERS:
            try:
                group = Group.objects.get(name=data["role"])
            except Group.DoesNotExist:
                raise CommandError(
                    f"The {data['role']} role is missing; run `manage.py migrate` first."
                ) from None
            user, created = User.objects.get_or_create(
                username=data["username"],
                defaults={
                    "first_name": data["first_name"],
                    "last_name": data["last_name"],
                    "email": f"{data['username']}@{demo.EMAIL_DOMAIN}",
                },
            )
            # Reset on every run, so the printed table is always true.
            user.is_staff = True
            user.is_active = True
            user.is_superuser = False
            user.set_password(data["password"])
            user.save()
            user.groups.set([group])
            self.tally("users", created)
            users[data["username"]] = user
        return users

    def load_sources(self):
        sources = {}
        for data in demo.SOURCES:
            source = Source.objects.filter(slug=data["slug"]).first()
            created = source is None
            if created:
                source = Source(
                    slug=data["slug"],
                    name=data["name"],
                    kind=data["kind"],
                    affiliation=data["affiliation"],
                    description=data.get("description", ""),
                    home_url=data.get("home_url", ""),
                    is_confidential=data.get("is_confidential", False),
                    redacted_description=data.get("redacted_description", ""),
                )
                source.full_clean()
                source.save()
            self.tally("sources", created)
            for alias in data.get("aliases", ()):
                _, created = SourceAlias.objects.get_or_create(source=source, name=alias)
                self.tally("source aliases", created)
            sources[data["slug"]] = source
        return sources

    def load_places(self):
        places = {}
        for data in demo.PLACES:
            place = Place.objects.filter(slug=data["slug"]).first()
            created = place is None
            if created:
                place = Place(
                    slug=data["slug"],
                    name=data["name"],
                    kind=data["kind"],
                    region=data.get("region", demo.DONETSK_REGION),
                    latitude=Decimal(data["latitude"]),
                    longitude=Decimal(data["longitude"]),
                    population_prewar=data.get("population_prewar"),
                    description=data.get("description", ""),
                )
                place.full_clean()
                place.save()
            self.tally("places", created)
            for name, language, note in data.get("alternative_names", ()):
                _, created = PlaceName.objects.get_or_create(
                    place=place, name=name, defaults={"language": language, "note": note}
                )
                self.tally("place names", created)
            places[data["slug"]] = place
        return places

    def load_articles(self):
        articles = {}
        for data in demo.ARTICLES:
            article = Article.objects.filter(url=data["url"]).first()
            created = article is None
            if created:
                article = Article(
                    url=data["url"],
                    headline=data["headline"],
                    outlet=self.sources[data["outlet"]],
                    byline=data.get("byline", ""),
                    published_at=data["published_at"],
                    language=data["language"],
                    body=data["body"],
                    imported_from="demo data (claims/demo.py)",
                    imported_by=self.users["reporter"],
                )
                article.full_clean()
                article.save()
            if not hasattr(article, "spotting"):
                candidates.article_spot_candidates(article=article)
            self.tally("articles", created)
            articles[data["url"]] = article
        return articles

    # --- claims, evidence, verifications ----------------------------------------------

    def load_claim(self, data):
        claim = Claim.objects.filter(slug=data["slug"]).first()
        created = claim is None
        if created:
            claim = Claim(
                slug=data["slug"],
                statement=data["statement"],
                quote=data["quote"],
                claimant=self.sources[data["claimant"]],
                claimed_on=data["claimed_on"],
                created_by=self.users["reporter"],
            )
            claim.full_clean()
            claim.save()
            claim.places.set([self.places[slug] for slug in data["places"]])
        self.tally("claims", created)
        for url, passage in data.get("appearances", ()):
            _, made = Appearance.objects.get_or_create(
                claim=claim, article=self.articles[url], defaults={"passage": passage}
            )
            self.tally("appearances", made)
        evidence = {item["key"]: self.load_evidence(claim, item) for item in data["evidence"]}
        if claim.verifications.exists():
            self.found["verifications"] += claim.verifications.count()
        else:
            for item in data["verifications"]:
                self.create_verification(claim, item, evidence)
            # The current verdict and its "as of" follow the back-dated publication times.
            workflow.claim_refresh_current_verdict(claim=claim)
        return claim

    def load_evidence(self, claim, data):
        evidence = Evidence.objects.filter(claim=claim, description=data["description"]).first()
        created = evidence is None
        if created:
            evidence = Evidence(
                claim=claim,
                kind=data["kind"],
                description=data["description"],
                url=data.get("url", ""),
                archived_url=data.get("archived_url", ""),
                source=self.sources[data["source"]] if data.get("source") else None,
                latitude=Decimal(data["latitude"]) if "latitude" in data else None,
                longitude=Decimal(data["longitude"]) if "longitude" in data else None,
                captured_at=data.get("captured_at"),
                added_by=self.users["factchecker"],
            )
            evidence.full_clean()
            evidence.save()
        self.tally("evidence", created)
        return evidence

    def create_verification(self, claim, data, evidence):
        """Take a verification through the workflow as far as `data["state"]` says."""
        details = {
            field: data[field]
            for field in (
                "location_verdict",
                "location_note",
                "time_verdict",
                "time_note",
                "actor_verdict",
                "actor_note",
                "authenticity",
                "authenticity_note",
            )
            if field in data
        }
        author = self.users[data["author"]]
        verification = workflow.verification_create(
            claim=claim,
            by=author,
            verdict=data["verdict"],
            rationale=data["rationale"],
            evidence=[evidence[key] for key in data["evidence"]],
            **details,
        )
        workflow.verification_submit(verification=verification, by=author)
        if data["state"] == "returned":
            workflow.verification_return(
                verification=verification,
                by=self.users[data["reviewer"]],
                note=data["review_note"],
            )
        elif data["state"] == "published":
            workflow.verification_publish(
                verification=verification, by=self.users[data["reviewer"]]
            )
            # Demo content only: the workflow stamps the time it runs, but the demo retells a
            # story from February 2025, so its published verdicts get the story's dates. A
            # real verification is never changed once published (see Verification.save).
            Verification.objects.filter(pk=verification.pk).update(
                created_at=data["submitted_at"] - DRAFTING_TIME,
                submitted_at=data["submitted_at"],
                published_at=data["published_at"],
            )
        self.tally("verifications", True)
        return verification

    def load_claim_links(self):
        for from_slug, relation, to_slug, note in demo.CLAIM_LINKS:
            _, created = ClaimLink.objects.get_or_create(
                from_claim=self.claims[from_slug],
                to_claim=self.claims[to_slug],
                defaults={"relation": relation, "note": note},
            )
            self.tally("claim links", created)

    # --- explainers -------------------------------------------------------------------

    def load_explainer(self, data):
        explainer = Explainer.objects.filter(slug=data["slug"]).first()
        if explainer is not None:
            self.tally("explainers", False)
            self.found["corrections"] += explainer.corrections.count()
            if data["state"] == "scheduled":
                self.keep_scheduled(explainer, data)
            return explainer
        authors = [self.users[username] for username in data["authors"]]
        body = data["body"]
        for entry in data["log"]:
            if entry.get("adds_section"):
                body = body.split(entry["adds_section"])[0].rstrip() + "\n"
        explainer = Explainer(
            slug=data["slug"],
            title=data["title"],
            standfirst=data["standfirst"],
            body=body,
            created_by=authors[0],
        )
        explainer.full_clean()
        explainer.save()
        explainer.authors.set(authors)
        explainer.places.set([self.places[slug] for slug in data["places"]])
        for position, (slug, note) in enumerate(data["claims"], start=1):
            ExplainerClaim.objects.create(
                explainer=explainer,
                claim=self.claims[slug],
                position=position,
                context_note=note,
            )
        self.tally("explainers", True)

        if data["state"] == "draft":
            return explainer
        workflow.explainer_submit(explainer=explainer, by=self.users[data["submitted_by"]])
        publisher = self.users[data["published_by"]]
        if data["state"] == "scheduled":
            return workflow.explainer_publish(
                explainer=explainer, by=publisher, at=self.schedule_time(data)
            )

        workflow.explainer_publish(explainer=explainer, by=publisher)
        for entry in data["log"]:
            by = self.users[entry["by"]]
            if entry["kind"] == "update":
                # An author revises the live explainer; another editor publishes the revision.
                reviser = next(a for a in authors if a.has_perm("claims.change_explainer"))
                revision = revisions.revision_propose(
                    subject=explainer, by=reviser, changes={"body": data["body"]}
                )
                revisions.revision_publish(
                    revision=revision, by=by, kind=Revision.Kind.UPDATE, note=entry["text"]
                )
                explainer.refresh_from_db()
            else:
                workflow.correction_issue(
                    explainer=explainer, by=by, text=entry["text"], kind=entry["kind"]
                )
            self.tally("corrections", True)
        self.backdate_explainer(explainer, data)
        return explainer

    def schedule_time(self, data):
        return (timezone.now() + timedelta(days=data["schedule_in_days"])).replace(
            hour=7, minute=0, second=0, microsecond=0
        )

    def keep_scheduled(self, explainer, data):
        """Move the demo's scheduled explainer forward again once its time has come.

        Otherwise a demo database loaded a week ago would show no scheduled explainer on the
        desk's dashboard. Rescheduling goes through the workflow, so it is audited; once the
        scheduler has published the explainer it is left alone.
        """
        if explainer.status != Explainer.Status.SCHEDULED or explainer.publish_at > timezone.now():
            return
        at = self.schedule_time(data)
        workflow.explainer_publish(explainer=explainer, by=self.users[data["published_by"]], at=at)
        self.stdout.write(f"Rescheduled {explainer.slug!r} for {at:%Y-%m-%d %H:%M %Z}.")

    def backdate_explainer(self, explainer, data):
        """Give a published demo explainer, and its log, the dates of the story it tells.

        Demo content only: the workflow stamps the time it runs. The publish time is that of
        the latest publication (the first, or the last update); the last substantive update
        is that of the latest log entry.
        """
        publish_at = data["published_at"]
        last_update = data["published_at"]
        for entry in data["log"]:
            Correction.objects.filter(
                explainer=explainer, kind=entry["kind"], text=entry["text"]
            ).update(published_at=entry["at"])
            if entry["kind"] == "update":
                publish_at = entry["at"]
            last_update = max(last_update, entry["at"])
        Explainer.objects.filter(pk=explainer.pk).update(
            created_at=data["published_at"] - timedelta(days=1),
            first_published_at=data["published_at"],
            publish_at=publish_at,
            last_substantive_update=last_update,
        )
        explainer.refresh_from_db()
