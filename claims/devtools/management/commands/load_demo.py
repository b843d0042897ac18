"""`manage.py load_demo`: build the demo desk from the content in `claims.devtools.demo`.

The desk's records are written as the demo's people would write them, through the same
services (claims.services) and workflow (claims.workflow) as the admin, the API and the
import: the demo holds to every rule they hold to. Only the clock is the demo's own: records
are back-dated afterwards to the story they retell.
"""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from claims import notifications, services, workflow
from claims.devtools import demo
from claims.errors import DeskError
from claims.ingest import candidates
from claims.management.base import DeskCommand
from claims.models import (
    Appearance,
    Article,
    Claim,
    ClaimLink,
    ClaimSubmission,
    Evidence,
    Explainer,
    MergedClaim,
    Place,
    Revision,
    Source,
    StandingPage,
    Verification,
)
from claims.models.verifications import PART_FIELDS
from claims.services import revisions, teamwork

# A verification's draft is taken to have been written this long before it was submitted.
DRAFTING_TIME = timedelta(hours=1)


# The fields a demo record may leave out, with what they are then.
SOURCE_DEFAULTS = {
    "description": "",
    "home_url": "",
    "is_confidential": False,
    "redacted_description": "",
}
PLACE_DEFAULTS = {"region": demo.DONETSK_REGION, "population_prewar": None, "description": ""}
EVIDENCE_DEFAULTS = {"url": "", "archived_url": "", "captured_at": None}


def fields(data, required, defaults=None):
    """The model fields a demo record gives: each of `required`, and each of `defaults`, or
    its default where the record leaves it out."""
    return {
        **{name: data[name] for name in required},
        **{name: data.get(name, default) for name, default in (defaults or {}).items()},
    }


class Command(DeskCommand):
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
            # The demo retells a story: its steps send no e-mail.
            with notifications.paused(), transaction.atomic():
                self.users = self.load_users()
                self.sources = self.load_sources()
                self.places = self.load_places()
                self.articles = self.load_articles()
                # Claims and their links first, then their verdicts: once a claim has a
                # published verdict its rows change only through a revision.
                self.claims = {data["slug"]: self.load_claim(data) for data in demo.CLAIMS}
                self.load_claim_links()
                for data in demo.CLAIMS:
                    self.load_verifications(self.claims[data["slug"]], data)
                for data in demo.EXPLAINERS:
                    self.load_explainer(data)
                self.load_standing_pages()
                self.load_submissions()
                self.load_teamwork()
                self.load_merged_duplicate()
        except DeskError as error:
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
            page = StandingPage(
                **fields(data, ("kind", "title", "summary", "body")), updated_by=editor
            )
            self.find_or_save("standing pages", page, ["kind"], by=editor)

    def load_teamwork(self):
        """The demo's assignments (due a few days after each load) and internal notes."""
        for slug, by, to, days, note in demo.ASSIGNMENTS:
            claim = self.claims[slug]
            created = claim.assigned_to_id is None
            if created:
                teamwork.assignment_set(
                    obj=claim,
                    by=self.users[by],
                    assignee=self.users[to],
                    due_on=timezone.localdate() + timedelta(days=days),
                    note=note,
                )
            self.tally("assignments", created)
        for slug, author, text in demo.NOTES:
            claim = self.claims[slug]
            created = not teamwork.notes_of(claim).filter(text=text).exists()
            if created:
                teamwork.note_add(subject=claim, by=self.users[author], text=text)
            self.tally("notes", created)

    def load_merged_duplicate(self):
        """A claim recorded twice, which the editor merged into the claim kept."""
        data = demo.DUPLICATE_CLAIM
        created = not MergedClaim.objects.filter(statement=data["statement"]).exists()
        if created:
            duplicate = Claim(
                **fields(data, ("slug", "statement", "quote", "claimed_on")),
                claimant=self.sources[data["claimant"]],
                created_by=self.users["reporter"],
            )
            self.save(duplicate, by=self.users["reporter"])
            duplicate.places.set([self.places[slug] for slug in data["places"]])
            services.claim_merge(
                duplicate=duplicate,
                into=self.claims[data["into"]],
                by=self.users["editor"],
                reason=data["reason"],
            )
        self.tally("merged claims", created)

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

    def save(self, obj, *, by):
        """Save a new record as `by`, through the desk's services."""
        obj.full_clean()
        services.record_save(obj=obj, by=by, default_reason="loaded with the demo desk")
        return obj

    def find_or_save(self, kind, new, key, *, by):
        """The row whose natural key (the fields named in `key`) is that of the unsaved `new`,
        or else `new` itself, saved as `by`; counted under `kind` as found or created.
        Returns the row and whether it was created."""
        natural_key = {name: getattr(new, name) for name in key}
        found = type(new).objects.filter(**natural_key).first()
        if found is None:
            self.save(new, by=by)
        self.tally(kind, found is None)
        return (new, True) if found is None else (found, False)

    def load_sources(self):
        reporter = self.users["reporter"]
        sources = {}
        for data in demo.SOURCES:
            new = Source(**fields(data, ("slug", "name", "kind", "affiliation"), SOURCE_DEFAULTS))
            source, _ = self.find_or_save("sources", new, ["slug"], by=reporter)
            known = set(source.aliases.values_list("name", flat=True))
            aliases = data.get("aliases", ())
            services.source_aliases_set(source=source, by=reporter, names=[*known, *aliases])
            for alias in aliases:
                self.tally("source aliases", alias not in known)
            sources[data["slug"]] = source
        return sources

    def load_places(self):
        reporter = self.users["reporter"]
        places = {}
        for data in demo.PLACES:
            new = Place(
                **fields(data, ("slug", "name", "kind"), PLACE_DEFAULTS),
                latitude=Decimal(data["latitude"]),
                longitude=Decimal(data["longitude"]),
            )
            place, created = self.find_or_save("places", new, ["slug"], by=reporter)
            names = data.get("alternative_names", ())
            if created:
                entries = [{"name": n, "language": lang, "note": note} for n, lang, note in names]
                services.place_names_set(place=place, by=reporter, names=entries)
            for _ in names:
                self.tally("place names", created)
            places[data["slug"]] = place
        return places

    def load_articles(self):
        articles = {}
        for data in demo.ARTICLES:
            new = Article(
                **fields(
                    data, ("url", "headline", "published_at", "language", "body"), {"byline": ""}
                ),
                outlet=self.sources[data["outlet"]],
                imported_from="demo data (claims/devtools/demo.py)",
                imported_by=self.users["reporter"],
            )
            article, _ = self.find_or_save("articles", new, ["url"], by=self.users["reporter"])
            if not hasattr(article, "spotting"):
                candidates.article_spot_candidates(article=article)
            articles[data["url"]] = article
        return articles

    # --- claims, evidence, verifications ----------------------------------------------

    def load_claim(self, data):
        reporter = self.users["reporter"]
        new = Claim(
            **fields(data, ("slug", "statement", "quote", "claimed_on")),
            claimant=self.sources[data["claimant"]],
            created_by=reporter,
        )
        claim, created = self.find_or_save("claims", new, ["slug"], by=reporter)
        if created:
            claim.places.set([self.places[slug] for slug in data["places"]])
        for url, passage in data.get("appearances", ()):
            appearance = Appearance(claim=claim, article=self.articles[url], passage=passage)
            self.find_or_save("appearances", appearance, ["claim", "article"], by=reporter)
        for item in data["evidence"]:
            self.load_evidence(claim, item)
        return claim

    def load_verifications(self, claim, data):
        if claim.verifications.exists():
            self.found["verifications"] += claim.verifications.count()
            return
        evidence = {
            item["key"]: claim.evidence.get(description=item["description"])
            for item in data["evidence"]
        }
        for item in data["verifications"]:
            self.create_verification(claim, item, evidence)
        # The current verdict and its "as of" follow the back-dated publication times.
        workflow.claim_refresh_current_verdict(claim=claim)

    def load_evidence(self, claim, data):
        new = Evidence(
            **fields(data, ("kind", "description"), EVIDENCE_DEFAULTS),
            claim=claim,
            source=self.sources[data["source"]] if data.get("source") else None,
            latitude=Decimal(data["latitude"]) if "latitude" in data else None,
            longitude=Decimal(data["longitude"]) if "longitude" in data else None,
            added_by=self.users["factchecker"],
        )
        evidence, _ = self.find_or_save(
            "evidence", new, ["claim", "description"], by=self.users["factchecker"]
        )
        return evidence

    def create_verification(self, claim, data, evidence):
        """Take a verification through the workflow as far as `data["state"]` says."""
        details = {field: data[field] for field in PART_FIELDS if field in data}
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
            link = ClaimLink(
                from_claim=self.claims[from_slug],
                to_claim=self.claims[to_slug],
                relation=relation,
                note=note,
            )
            self.find_or_save(
                "claim links", link, ["from_claim", "to_claim"], by=self.users["reporter"]
            )

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
        # Set up by the first of its authors who may draft explainers (a reporter may not), or
        # else by the fact-checker who sends it for review.
        writer = next(
            (a for a in authors if a.has_perm("claims.add_explainer")),
            self.users[data.get("submitted_by", "factchecker")],
        )
        explainer = Explainer(
            slug=data["slug"],
            title=data["title"],
            standfirst=data["standfirst"],
            body=body,
            created_by=writer,
        )
        self.save(explainer, by=writer)
        explainer.authors.set(authors)
        explainer.places.set([self.places[slug] for slug in data["places"]])
        entries = [
            {"claim": self.claims[slug], "context_note": note} for slug, note in data["claims"]
        ]
        services.explainer_claims_set(explainer=explainer, by=writer, entries=entries)
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
            explainer.corrections.filter(kind=entry["kind"], text=entry["text"]).update(
                published_at=entry["at"]
            )
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
