"""`manage.py bench_desk_day`: the desk at work for the newsroom day, reporting as JSON."""

import gzip
import json
import threading
import time
from http.client import HTTPConnection
from itertools import cycle
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import CommandError
from django.db import connection
from django_redis.exceptions import ConnectionInterrupted

from claims import selectors, workflow
from claims.devtools.bench import BENCH_EDITOR
from claims.devtools.management.commands.seed_bench import BENCH_DATABASE_PREFIX
from claims.management.base import DeskCommand
from claims.models import Claim, ClaimLink, Explainer, ExplainerClaim, Revision
from claims.services.revisions import revision_propose, revision_publish
from claims.services.verifications import verification_save
from claims.site.views import MORE_ABOUT_THESE_PLACES
from claims.verdicts import Verdict
from claims.web.cache.version import PURGES_KEY

# The seeded fact-checker who writes; the benchmark's editor, who wrote nothing, publishes.
WRITER = "bench-fact-checker-1"
# How long a reader is waited for after a publish before it counts as never seen.
VISIBLE_TIMEOUT = 30.0
POLL_EVERY = 0.05
VERDICTS = cycle([Verdict.LIKELY_TRUE, Verdict.UNCONFIRMED, Verdict.DISPUTED])


class Command(DeskCommand):
    help = (
        "Work as the desk does for --seconds: save a draft verification every --draft-every "
        "seconds, publish a verification of a popular claim every --publish-every, publish an "
        "explainer revision every --revise-every; after each publish, poll the changed page "
        "through --front until a reader sees it. Prints a JSON report. For `make bench` "
        "(claims/devtools/bench/run.py), on a benchmark database only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, required=True)
        parser.add_argument("--front", required=True, help="base URL readers use")
        parser.add_argument("--mix", required=True, help="bench_reader_mix's JSON, a file")
        parser.add_argument("--draft-every", type=float, default=2.0)
        parser.add_argument("--publish-every", type=float, default=10.0)
        parser.add_argument("--revise-every", type=float, default=60.0)

    def handle(self, *args, **options):
        name = str(connection.settings_dict["NAME"])
        if not name.startswith(BENCH_DATABASE_PREFIX):
            raise CommandError(f"Refusing to publish in {name!r}: only in a benchmark database.")
        with open(options["mix"]) as file:
            mix = json.load(file)
        front = urlsplit(options["front"])
        self.front = (front.hostname, front.port or 80)
        self.mix = mix
        self.report = {
            "drafts": 0,
            "draft_invalidations": 0,
            "drafts_unmeasured": 0,
            "verification_publishes": 0,
            "revision_publishes": 0,
            "publishes": 0,
            "pages_showing": 0,
            "worker_kept_showing": 0,
            "visible_seconds": [],
            "never_seen": 0,
        }
        self.lock = threading.Lock()
        self.published = []  # (how to count the addresses showing it, pk), in order
        User = get_user_model()
        self.writer = User.objects.get(username=WRITER)
        self.editor = User.objects.get(username=BENCH_EDITOR)
        # The most popular first: the mix is in order of popularity.
        claims = cycle([e["id"] for e in mix if e["kind"] == "claim"][:20])
        explainers = cycle([e["id"] for e in mix if e["kind"] == "explainer"][:10])
        draft = workflow.verification_create(
            claim=Claim.objects.get(pk=next(claims)),
            by=self.writer,
            verdict=Verdict.UNCONFIRMED,
            rationale="A draft, being written.",
        )
        stamp = int(time.time())
        # The runner starts the readers' load when it reads this line.
        self.stdout.write("ready")
        self.stdout.flush()
        started = time.monotonic()
        deadline = started + options["seconds"]
        due = {
            "draft": started + options["draft_every"],
            "publish": started + options["publish_every"] / 2,
            "revise": started + options["revise_every"] / 2,
        }
        every = {
            "draft": options["draft_every"],
            "publish": options["publish_every"],
            "revise": options["revise_every"],
        }
        pollers = []
        count = 0
        while True:
            kind = min(due, key=due.get)
            if due[kind] >= deadline:
                break
            time.sleep(max(0.0, due[kind] - time.monotonic()))
            due[kind] += every[kind]
            count += 1
            token = f"desk day {stamp} step {count}"
            if kind == "draft":
                self.save_draft(draft, token)
            elif kind == "publish":
                pollers.append(self.publish_verification(next(claims), token))
            else:
                pollers.append(self.publish_revision(next(explainers), token))
        for poller in pollers:
            poller.join(VISIBLE_TIMEOUT + 5)
        self.count_showing()
        self.stdout.write(json.dumps(self.report))

    def save_draft(self, draft, token):
        """A reporter's edit of a draft: readers see nothing of it, so it must purge nothing
        (the reader cache numbers every purge: claims/web/cache/version.py)."""
        before = purge_count()
        draft.rationale = f"A draft, being written ({token})."
        verification_save(verification=draft, by=self.writer, reason="drafting")
        after = purge_count() if before is not UNREAD else UNREAD
        with self.lock:
            self.report["drafts"] += 1
            if UNREAD in (before, after):
                # Not known either way: reported as such, neither passed nor failed.
                self.report["drafts_unmeasured"] += 1
            elif after != before:
                self.report["draft_invalidations"] += 1

    def publish_verification(self, claim_pk, token):
        claim = Claim.objects.get(pk=claim_pk)
        verification = workflow.verification_create(
            claim=claim,
            by=self.writer,
            verdict=next(VERDICTS),
            rationale=f"New footage settles it ({token}).",
        )
        workflow.verification_submit(verification=verification, by=self.writer)
        workflow.verification_publish(verification=verification, by=self.editor)
        committed = time.monotonic()
        with self.lock:
            self.report["verification_publishes"] += 1
            self.report["publishes"] += 1
            self.published.append((self.showing_verdict, claim_pk))
        return self.watch(claim.get_absolute_url(), token, committed)

    # --- how many of the mix's addresses show each publish: counted after the day, so that
    # the counting's queries are not part of the desk's load on the readers.

    def count_showing(self):
        for showing, pk in self.published:
            kept_by_each, shared = showing(pk)
            self.report["pages_showing"] += shared
            self.report["worker_kept_showing"] += kept_by_each

    def fixed(self):
        """(kept by each worker, shared) counts of the six fixed addresses (home, a search,
        feeds, API polls), which list the newest claims, verdicts and explainers: the search
        is kept by each worker alone (claims/web/cache/decorators.py, worker_only)."""
        each = sum(1 for e in self.mix if e["kind"] == "fixed" and e["path"].startswith("/search"))
        return each, sum(1 for e in self.mix if e["kind"] == "fixed") - each

    def showing_verdict(self, claim_pk):
        """A new verdict on `claim_pk` is shown by its page, the explainers citing it, the
        pages of the claims linked to it either way (beside the link), the explainers about
        its places (their timeline lists the newest verdicts there), and the claims whose
        "More about these places" lists it."""
        in_explainers = set(
            ExplainerClaim.objects.filter(claim_id=claim_pk).values_list("explainer_id", flat=True)
        )
        linked = set(
            ClaimLink.objects.filter(to_claim_id=claim_pk).values_list("from_claim_id", flat=True)
        ) | set(
            ClaimLink.objects.filter(from_claim_id=claim_pk).values_list("to_claim_id", flat=True)
        )
        places = set(
            Claim.places.through.objects.filter(claim_id=claim_pk).values_list(
                "place_id", flat=True
            )
        )
        about = set(
            Explainer.places.through.objects.filter(place_id__in=places).values_list(
                "explainer_id", flat=True
            )
        )
        neighbours = set(
            Claim.places.through.objects.filter(
                place_id__in=places,
                claim_id__in=[e["id"] for e in self.mix if e["kind"] == "claim"],
            ).values_list("claim_id", flat=True)
        )
        listing = {pk for pk in neighbours if self.lists(pk, claim_pk)}
        each, shared = self.fixed()
        shared += sum(
            1
            for e in self.mix
            if (e["kind"] == "claim" and (e["id"] == claim_pk or e["id"] in linked | listing))
            or (e["kind"] == "explainer" and (e["id"] in in_explainers or e["id"] in about))
        )
        return each, shared

    def showing_revision(self, explainer_pk):
        """An explainer's revision is shown by its page and by the pages of the claims it
        cites, which name it."""
        its_claims = set(
            ExplainerClaim.objects.filter(explainer_id=explainer_pk).values_list(
                "claim_id", flat=True
            )
        )
        each, shared = self.fixed()
        shared += sum(
            1
            for e in self.mix
            if (e["kind"] == "explainer" and e["id"] == explainer_pk)
            or (e["kind"] == "claim" and e["id"] in its_claims)
        )
        return each, shared

    @staticmethod
    def lists(page_claim_pk, claim_pk):
        """Whether the page of claim `page_claim_pk` lists claim `claim_pk`, with its verdict,
        under "More about these places" (picked as claims.site.views.claim_detail does)."""
        if page_claim_pk == claim_pk:
            return False
        places = Claim.places.through.objects.filter(claim_id=page_claim_pk).values("place_id")
        listed = selectors.other_claims_about(places, page_claim_pk).values_list("pk", flat=True)
        return claim_pk in set(listed[:MORE_ABOUT_THESE_PLACES])

    def publish_revision(self, explainer_pk, token):
        explainer = Explainer.objects.get(pk=explainer_pk)
        revision = revision_propose(
            subject=explainer,
            by=self.writer,
            changes={"standfirst": f"What each side claims, and what we found ({token})."},
        )
        revision_publish(
            revision=revision, by=self.editor, kind=Revision.Kind.UPDATE, note=f"Updated: {token}."
        )
        committed = time.monotonic()
        with self.lock:
            self.report["revision_publishes"] += 1
            self.report["publishes"] += 1
            self.published.append((self.showing_revision, explainer_pk))
        return self.watch(explainer.get_absolute_url(), token, committed)

    def watch(self, path, token, committed):
        """Poll `path` through the front, as a reader with gzip, until `token` is on it; the
        seconds since the commit go in the report."""

        def poll():
            needle = token.encode()
            while time.monotonic() - committed < VISIBLE_TIMEOUT:
                if needle in self.fetch(path):
                    with self.lock:
                        self.report["visible_seconds"].append(time.monotonic() - committed)
                    return
                time.sleep(POLL_EVERY)
            with self.lock:
                self.report["never_seen"] += 1

        thread = threading.Thread(target=poll, daemon=True)
        thread.start()
        return thread

    def fetch(self, path):
        host, port = self.front
        connection = HTTPConnection(host, port, timeout=10)
        try:
            connection.request(
                "GET",
                path,
                headers={
                    "Host": f"{host}:{port}",
                    "X-Forwarded-Proto": "https",
                    "Accept-Encoding": "gzip",
                },
            )
            response = connection.getresponse()
            body = response.read()
            if response.getheader("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            return body
        except OSError:
            return b""
        finally:
            connection.close()


UNREAD = object()


def purge_count(attempts=3):
    """The reader cache's purge counter, read again after a moment when the shared cache is
    slow to answer, or UNREAD if it never does: in the Varnish phase wrk and varnishd fill
    both cores, and Redis once took longer than its two-second timeout to answer this
    process, and once (12-07) did not answer it three times running, which ended the whole
    benchmark. A draft save around which the counter could not be read is counted apart."""
    for attempt in range(attempts):
        try:
            return cache.get(PURGES_KEY)
        except ConnectionInterrupted:
            if attempt < attempts - 1:
                time.sleep(0.5)
    return UNREAD
