"""A synthetic archive at newsroom scale for the benchmark, generated deterministically.

`seed(size)` fills an empty, migrated database with sources, places, articles, claims with
their verification history and evidence, and explainers, in the proportions of the large set
the benchmark measures (100,000 claims, 300,000 verifications, ...). Every row keeps the
models' invariants: a published verification has a reviewer who is not its author and a
publication time; a claim's current verdict is that of its latest published verification; a
confidential source has a redacted description; live explainers have their publication times.
The text is templated sentences of our own, with generated place and source names.

On PostgreSQL the rows go in with COPY (psycopg 3), so the large set takes minutes; elsewhere
(SQLite, for the unit test) with `bulk_create`. The same seed gives the same rows.

Search needs nothing extra: the full-text and trigram indexes are expression indexes over the
text columns (migrations 0003 and 0005), filled as the rows arrive, exactly as for the desk's
own writes.
"""

import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils.text import slugify

from claims import roles
from claims.devtools.bench import BENCH_EDITOR, BENCH_EDITOR_PASSWORD
from claims.models import (
    Appearance,
    Article,
    Claim,
    ClaimLink,
    Correction,
    Evidence,
    Explainer,
    ExplainerClaim,
    Place,
    PlaceName,
    Source,
    Verification,
)
from claims.verdicts import Authenticity, DimensionVerdict, Verdict

RANDOM_SEED = 20250207


@dataclass(frozen=True)
class Size:
    claims: int
    verifications: int
    evidence: int
    articles: int
    explainers: int
    places: int
    sources: int


SIZES = {
    "large": Size(100_000, 300_000, 200_000, 5_000, 2_000, 500, 2_000),
    "small": Size(1_000, 3_000, 2_000, 50, 20, 5, 20),
    # For the unit test: every kind of row, in seconds, on SQLite too.
    "tiny": Size(60, 180, 120, 6, 3, 3, 12),
}

# The explainer the benchmark loads: the first one, published, with this many claims.
SHOWCASE_EXPLAINER_CLAIMS = 50

START = date(2022, 3, 1)
END = date(2025, 10, 1)

VERDICT_WEIGHTS = {
    Verdict.CONFIRMED: 15,
    Verdict.LIKELY_TRUE: 14,
    Verdict.UNCONFIRMED: 26,
    Verdict.DISPUTED: 15,
    Verdict.MISLEADING: 10,
    Verdict.LIKELY_FALSE: 10,
    Verdict.FALSE: 10,
}
# Per ten claims: how many verifications each gets (mean 3) and how many pieces of evidence
# (mean 2), so that the totals are exact multiples of the number of claims.
VERIFICATIONS_PATTERN = [3, 2, 4, 3, 1, 5, 3, 3, 2, 4]
EVIDENCE_PATTERN = [2, 1, 3, 2, 0, 4, 2, 2, 1, 3]
UNASSESSED_SHARE = 0.06  # claims with no published verification yet

PLACE_PREFIXES = (
    "Novo Staro Krasno Verkhnio Nyzhnio Velyko Malo Zoloto Bilo Chorno Kamiano Lozo Sukho "
    "Zeleno Vysoko Dobro Yasno Shyroko Hlyboko Tykho"
).split()
PLACE_ROOTS = (
    "mykhailivka petrivka hryhorivka oleksandrivka ivanivka pavlivka semenivka mykolaivka "
    "andriivka vasylivka dmytrivka serhiivka stepanivka tarasivka yakivka fedorivka"
).split()
REGIONS = [
    "Donetsk region",
    "Luhansk region",
    "Kharkiv region",
    "Zaporizhzhia region",
    "Dnipropetrovsk region",
]
OUTLET_WORDS = (
    "Eastern Northern Steppe Frontline Independent Morning Evening Daily Free Open River "
    "Coastal"
).split()
OUTLET_NOUNS = "Courier Herald Post Observer Bulletin Dispatch Gazette Monitor Review Wire".split()
FIRST_NAMES = "Oksana Petro Iryna Andrii Olena Taras Marta Bohdan Sofiia Yurii Larysa Denys".split()
LAST_NAMES = (
    "Kovalenko Bondar Tkachenko Melnyk Shevchuk Kravets Lysenko Hnatiuk Moroz Savchuk"
).split()
ROLE_TITLES = ["regional governor", "deputy minister", "military spokesman", "mayor"]

# (statement, quote) templates; {c} is the claimant's short name, {p} the place.
CLAIM_TEMPLATES = [
    ("{c} says its forces captured {p}",
     "Our units have taken full control of {p} after {n} days of fighting."),
    ("{c} says {p} remains under Ukrainian control",
     "The town of {p} is held by our defenders; reports of its fall are false."),
    ("{c} reports a drone strike on a fuel depot near {p}",
     "A drone hit the fuel depot on the edge of {p} shortly after midnight."),
    ("{c} says a column of armour was destroyed outside {p}",
     "We destroyed {n} armoured vehicles on the road into {p}."),
    ("{c} says civilians were evacuated from {p} overnight",
     "About {n} residents left {p} by bus overnight, escorted by police."),
    ("{c} reports shelling of the railway station in {p}",
     "The station in {p} came under artillery fire this morning."),
    ("{c} says a bridge near {p} was blown up",
     "The bridge across the river at {p} is no longer passable."),
    ("{c} says the front line moved {n} kilometres west of {p}",
     "The line of contact is now {n} kilometres west of {p}."),
    ("{c} says a drone attack damaged the power station in {p}",
     "Drones struck the power station in {p}; {n} homes are without electricity."),
    ("{c} denies that its troops withdrew from {p}",
     "No unit has withdrawn from {p}. Claims to the contrary are an information operation."),
    ("{c} says an assault on {p} was repelled",
     "The enemy attacked {p} {n} times yesterday and was pushed back each time."),
    ("{c} says fortifications around {p} were completed",
     "A second defensive line around {p} has been finished ahead of schedule."),
]
RATIONALE_PARTS = [
    "We compared the claim with {k} pieces of evidence gathered by the desk.",
    "Geolocated footage places the events described on the outskirts of {p}.",
    "Satellite images taken on {d} show no change at the locations named.",
    "Open-source maps updated on {d} do not support the claimed position around {p}.",
    "Two on-the-record sources in the area gave accounts that agree with each other.",
    "The claimant has published no footage or document that would allow a check.",
    "Independent reporters who reached {p} described what they saw to us.",
    "Earlier statements by the same claimant about {p} turned out to be premature.",
]
EVIDENCE_TEXT = {
    Evidence.Kind.GEOLOCATED_VIDEO: "Video filmed near {p}, located by the line of the "
    "treeline and a water tower visible in the background.",
    Evidence.Kind.SATELLITE_IMAGERY: "Satellite image of {p} on {d}, compared with one taken "
    "a week earlier.",
    Evidence.Kind.OPEN_SOURCE_MAP: "An open-source map of the area around {p} as updated on {d}.",
    Evidence.Kind.ON_THE_RECORD: "Interview with a resident of {p} who stayed in the town.",
    Evidence.Kind.DOCUMENT: "An order concerning the evacuation of {p}, checked against the "
    "regional administration's published list.",
    Evidence.Kind.PHOTO: "Photographs of the damage in {p}, metadata examined by the desk.",
    Evidence.Kind.SOCIAL_POST: "A post by a local channel about {p}, archived the same day.",
}
EXPLAINER_TITLES = [
    "Why {p} matters",
    "What we know about the fighting around {p}",
    "{p}: the claims and the counterclaims",
    "The road to {p}, explained",
]


def seed(size_name, *, stdout=None):
    """Fill the (empty, migrated) default database with the `size_name` data set.

    Returns {table label: (rows, seconds)}. Runs in one transaction: all or nothing.
    """
    size = SIZES[size_name]
    log = stdout.write if stdout is not None else (lambda text: None)
    builder = _Builder(size, random.Random(f"{RANDOM_SEED}-{size_name}"))  # nosec B311 # repeatable test data, not security
    timings = {}
    with transaction.atomic():
        users = _make_users()
        for model, fields, rows in builder.tables(users):
            started = time.monotonic()
            count = _write(model, fields, rows)
            seconds = time.monotonic() - started
            timings[model._meta.label] = (count, seconds)
            log(f"  {model._meta.label:<36} {count:>8} rows  {seconds:6.1f} s")
        _reset_sequences()
    if connection.vendor == "postgresql":
        # The statistics, and the visibility map that lets PostgreSQL answer from an index
        # alone: what autovacuum gives a production database soon after such a load (it is
        # off on these machines' PostgreSQL, and a table never vacuumed reads its rows for
        # every index entry). VACUUM cannot run in a transaction (a test's): ANALYZE there.
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(statement)
        log(f"  {statement} {time.monotonic() - started:.1f} s")
    return timings


def _make_users():
    """The desk's staff: reporters, fact-checkers, editors, and the benchmark's editor."""
    User = get_user_model()
    groups = {g.name: g for g in Group.objects.filter(name__in=roles.ROLES)}
    password = make_password(None)  # unusable: nobody logs in as the generated staff
    made = {roles.REPORTER: [], roles.FACT_CHECKER: [], roles.EDITOR: []}
    counts = {roles.REPORTER: 8, roles.FACT_CHECKER: 6, roles.EDITOR: 4}
    for role, count in counts.items():
        for i in range(count):
            first = FIRST_NAMES[(len(made[role]) * 3 + count) % len(FIRST_NAMES)]
            last = LAST_NAMES[(i * 7 + count) % len(LAST_NAMES)]
            user = User.objects.create(
                username=f"bench-{slugify(role)}-{i + 1}",
                first_name=first,
                last_name=last,
                is_staff=True,
                password=password,
            )
            user.groups.add(groups[role])
            made[role].append(user.pk)
    editor = User.objects.create(
        username=BENCH_EDITOR,
        first_name="Bench",
        last_name="Editor",
        is_staff=True,
        password=make_password(BENCH_EDITOR_PASSWORD),
    )
    editor.groups.add(groups[roles.EDITOR])
    return made


def _write(model, fields, rows):
    """Insert `rows` (tuples in the order of `fields`, attribute names) into `model`'s table.

    Versioned records (`version`, for lost-update protection) start at version 1, as a
    record saved through the desk does; COPY does not apply the model's default itself."""
    if any(f.name == "version" for f in model._meta.concrete_fields) and "version" not in fields:
        fields = (*fields, "version")
        rows = ((*row, 1) for row in rows)
    if connection.vendor == "postgresql":
        columns = ", ".join(
            connection.ops.quote_name(model._meta.get_field(f).column) for f in fields
        )
        table = connection.ops.quote_name(model._meta.db_table)
        count = 0
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    objects = [model(**dict(zip(fields, row, strict=True))) for row in rows]
    model.objects.bulk_create(objects, batch_size=500)
    return len(objects)


def _reset_sequences():
    models = [
        Source, Place, PlaceName, Article, Claim, Claim.places.through, Appearance, ClaimLink,
        Verification, Verification.evidence.through, Evidence, Explainer,
        Explainer.places.through, Explainer.authors.through, ExplainerClaim, Correction,
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _at(day, rnd, hour_from=6, hour_to=22):
    """A time on `day` (UTC) between the given hours."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
        hours=rnd.randint(hour_from, hour_to - 1), minutes=rnd.randint(0, 59)
    )


class _Builder:
    """Generates the rows table by table, keeping what later tables refer to."""

    def __init__(self, size, rnd):
        self.size = size
        self.rnd = rnd
        self.days = (END - START).days

    def tables(self, users):
        self.reporters = users[roles.REPORTER]
        self.checkers = users[roles.FACT_CHECKER]
        self.editors = users[roles.EDITOR]
        self.writers = self.reporters + self.checkers
        self.reviewers = {w: [e for e in self.editors if e != w] for w in self.writers}
        yield from self._sources()
        yield from self._places()
        yield from self._articles()
        yield from self._claims()
        yield from self._explainers()

    # --- sources, places, articles -----------------------------------------------------

    def _sources(self):
        rnd, n = self.rnd, self.size.sources
        rows, self.outlets, self.claimants, self.source_names = [], [], [], {}
        kinds = [
            (Source.Kind.NEWS_OUTLET, 20), (Source.Kind.MINISTRY, 10),
            (Source.Kind.MILITARY_UNIT, 25), (Source.Kind.OFFICIAL, 20),
            (Source.Kind.OSINT_PROJECT, 5), (Source.Kind.THINK_TANK, 3),
            (Source.Kind.SOCIAL_CHANNEL, 12), (Source.Kind.INDIVIDUAL, 5),
        ]
        kind_choices = [k for k, _ in kinds]
        kind_weights = [w for _, w in kinds]
        for pk in range(1, n + 1):
            # The first two are the benchmark's outlet and claimant, in every size.
            fixed = {1: Source.Kind.NEWS_OUTLET, 2: Source.Kind.MILITARY_UNIT}
            kind = fixed.get(pk) or rnd.choices(kind_choices, kind_weights)[0]
            name, short = self._source_name(kind, pk)
            affiliation = rnd.choice(
                [Source.Affiliation.RUSSIAN_STATE, Source.Affiliation.UKRAINIAN_STATE]
                if kind in (Source.Kind.MINISTRY, Source.Kind.MILITARY_UNIT, Source.Kind.OFFICIAL)
                else [Source.Affiliation.INDEPENDENT, Source.Affiliation.OTHER]
            )
            confidential = pk > 2 and kind == Source.Kind.INDIVIDUAL and rnd.random() < 0.5
            redacted = "a resident of the area who asked not to be named" if confidential else ""
            created = _at(START, rnd)
            rows.append((
                pk, name, f"{slugify(name)[:190]}-{pk}", kind, affiliation,
                f"{name}: a {Source.Kind(kind).label.lower()} the desk has on file.",
                f"https://source{pk}.example/" if kind != Source.Kind.INDIVIDUAL else "",
                confidential, redacted, created, created,
            ))
            self.source_names[pk] = short if not confidential else redacted
            (self.outlets if kind == Source.Kind.NEWS_OUTLET else self.claimants).append(pk)
        # Half the evidence names no source.
        self.evidence_sources = [None] * (n) + list(range(1, n + 1))
        yield Source, (
            "id", "name", "slug", "kind", "affiliation", "description", "home_url",
            "is_confidential", "redacted_description", "created_at", "updated_at",
        ), rows

    def _source_name(self, kind, pk):
        rnd = self.rnd
        if kind == Source.Kind.NEWS_OUTLET:
            name = f"The {rnd.choice(OUTLET_WORDS)} {rnd.choice(OUTLET_NOUNS)}"
            return f"{name} ({pk})", name
        if kind == Source.Kind.MINISTRY:
            body = rnd.choice(["Defence Ministry", "Interior Ministry", "General Staff",
                               "Emergency Service"])
            return f"{body}, press office {pk}", f"The {body}"
        if kind == Source.Kind.MILITARY_UNIT:
            return f"Press service of the {pk}th Brigade", f"The {pk}th Brigade"
        if kind == Source.Kind.OFFICIAL:
            person = f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}"
            return f"{person}, {rnd.choice(ROLE_TITLES)} ({pk})", person
        if kind == Source.Kind.OSINT_PROJECT:
            return f"Frontline Map Project {pk}", f"Map project {pk}"
        if kind == Source.Kind.THINK_TANK:
            return f"Institute for Conflict Studies {pk}", f"Institute {pk}"
        if kind == Source.Kind.SOCIAL_CHANNEL:
            return f"Channel @frontnews_{pk}", f"Channel @frontnews_{pk}"
        person = f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}"
        return f"{person} ({pk})", person

    def _places(self):
        rnd, n = self.rnd, self.size.places
        names = [p.lower() + r for p in PLACE_PREFIXES for r in PLACE_ROOTS]
        names = [name[0].upper() + name[1:] for name in names]
        rnd.shuffle(names)
        rows, alt_rows, self.place_names = [], [], {}
        for pk in range(1, n + 1):
            base = names[(pk - 1) % len(names)]
            name = base if pk <= len(names) else f"{base} {pk // len(names) + 1}"
            created = _at(START, rnd)
            rows.append((
                pk, name, slugify(name), rnd.choice([Place.Kind.TOWN, Place.Kind.VILLAGE,
                                                     Place.Kind.CITY]),
                rnd.choice(REGIONS), rnd.randint(800, 90_000),
                f"{name} is a settlement in the east that the desk's claims are about.",
                Decimal(f"{rnd.uniform(47.0, 50.0):.6f}"),
                Decimal(f"{rnd.uniform(35.0, 39.5):.6f}"),
                created, created,
            ))
            self.place_names[pk] = name
            if pk == 1 or rnd.random() < 0.3:
                alt_rows.append((len(alt_rows) + 1, pk, name.replace("ivka", "ovka"), "ru",
                                 "Russian usage"))
        yield Place, (
            "id", "name", "slug", "kind", "region", "population_prewar", "description",
            "latitude", "longitude", "created_at", "updated_at",
        ), rows
        yield PlaceName, ("id", "place_id", "name", "language", "note"), alt_rows

    def _articles(self):
        rnd = self.rnd
        rows, self.article_days = [], {}
        for pk in range(1, self.size.articles + 1):
            day = START + timedelta(days=rnd.randrange(self.days))
            place = self.place_names[rnd.randint(1, self.size.places)]
            outlet = self.outlets[(pk - 1) % len(self.outlets)] if self.outlets else None
            headline = f"Fighting around {place}: what each side said on {day:%d %B %Y}"
            body = " ".join([
                f"Report {pk}. Officials on both sides made statements about {place} on "
                f"{day:%d %B}.",
                "Independent confirmation was not immediately possible.",
                f"Residents of {place} described heavy shelling through the night.",
                "A regional official said evacuation buses would run again in the morning.",
                "The defence ministry in Moscow said its forces had advanced in the area.",
                "The Ukrainian general staff said attacks had been repelled.",
            ])
            published = _at(day, rnd)
            rows.append((
                pk, headline, outlet, f"https://news.example/{pk}/{slugify(place)}",
                f"By {rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}", published, "en", body,
                "", Article.hash_of(body), published, "bench seed", None, published, published,
            ))
            self.article_days[pk] = day
        yield Article, (
            "id", "headline", "outlet_id", "url", "byline", "published_at", "language", "body",
            "raw_text", "content_hash", "imported_at", "imported_from", "imported_by_id",
            "created_at", "updated_at",
        ), rows

    # --- claims and their history ------------------------------------------------------

    def _claims(self):
        rnd, size = self.rnd, self.size
        verdicts = list(VERDICT_WEIGHTS)
        weights = list(VERDICT_WEIGHTS.values())
        claim_rows, place_rows, appearance_rows, link_rows = [], [], [], []
        verification_rows, evidence_rows, cites_rows = [], [], []
        self.claims_by_place = {pk: [] for pk in range(1, size.places + 1)}
        self.claim_places = {}
        verification_pk = evidence_pk = 0
        for pk in range(1, size.claims + 1):
            day = START + timedelta(days=rnd.randrange(self.days))
            claimant = 2 if pk == 1 else rnd.choice(self.claimants)
            places = [1, 2 % size.places + 1] if pk == 1 else rnd.sample(
                range(1, size.places + 1), k=min(size.places, rnd.choice([1, 2, 2, 3]))
            )
            place = self.place_names[places[0]]
            template, quote_template = CLAIM_TEMPLATES[
                0 if pk == 1 else rnd.randrange(len(CLAIM_TEMPLATES))
            ]
            number = rnd.randint(2, 40)
            statement = template.format(c=self.source_names[claimant], p=place, n=number)
            quote = quote_template.format(p=place, n=number)
            created = _at(day, rnd)

            # Verification history, oldest first: all published but perhaps the last.
            count = VERIFICATIONS_PATTERN[(pk - 1) % len(VERIFICATIONS_PATTERN)]
            unassessed = pk != 1 and rnd.random() < UNASSESSED_SHARE
            # The history spans 5 to 40 days whatever its length (at least a day between two
            # verifications, so they are published in order): were each verification some
            # days after the one before, the longest histories would have the latest verdicts,
            # and the more so the bigger the archive, so that the newest-verdict pages (the
            # ClaimReview feed, home) would carry more at the large size than at the small.
            span_hours = rnd.randint(max(VERIFICATIONS_PATTERN) * 24, 40 * 24)
            when = created
            current = None
            claim_verifications = []
            for i in range(count):
                verification_pk += 1
                when = created + timedelta(hours=span_hours * (i + 1) // count)
                last = i == count - 1
                if unassessed:
                    status = rnd.choice(["draft", "submitted", "returned"])
                elif last and count > 1 and pk != 1 and rnd.random() < 0.2:
                    status = rnd.choice(["draft", "draft", "submitted", "returned"])
                else:
                    status = "published"
                verdict = rnd.choices(verdicts, weights)[0]
                author = rnd.choice(self.writers)
                reviewer = published_at = submitted_at = None
                review_note = ""
                if status in ("submitted", "published", "returned"):
                    submitted_at = when
                if status in ("published", "returned"):
                    reviewer = rnd.choice(self.reviewers[author])
                if status == "published":
                    published_at = when + timedelta(hours=rnd.randint(1, 20))
                    current = (verification_pk, verdict, published_at)
                if status == "returned":
                    review_note = "Please add archived copies of the footage first."
                rationale = " ".join(
                    part.format(k=rnd.randint(1, 4), p=place, d=f"{when:%d %B %Y}")
                    for part in rnd.sample(RATIONALE_PARTS, 3)
                )
                location = rnd.choice(["", "", DimensionVerdict.CONFIRMED, DimensionVerdict.LIKELY,
                                       DimensionVerdict.UNCONFIRMED])
                authenticity = rnd.choice(["", "", "", Authenticity.ORIGINAL, Authenticity.EDITED])
                verification_rows.append((
                    verification_pk, pk, status, verdict,
                    f"**{Verdict(verdict).label}.** {rationale}",
                    location, "Located from the footage." if location else "",
                    "", "", "", "", authenticity,
                    "Checked frame by frame." if authenticity else "",
                    author, reviewer, review_note, submitted_at, published_at,
                    when - timedelta(hours=2), published_at or when,
                ))
                claim_verifications.append((verification_pk, status))

            # Evidence, each cited by one of the claim's verifications (and the latest).
            for j in range(EVIDENCE_PATTERN[(pk - 1) % len(EVIDENCE_PATTERN)]):
                evidence_pk += 1
                kind = rnd.choice(list(EVIDENCE_TEXT))
                has_coordinates = kind in (Evidence.Kind.GEOLOCATED_VIDEO,
                                           Evidence.Kind.SATELLITE_IMAGERY, Evidence.Kind.PHOTO)
                lat = Decimal(f"{rnd.uniform(47.0, 50.0):.6f}") if has_coordinates else None
                lon = Decimal(f"{rnd.uniform(35.0, 39.5):.6f}") if has_coordinates else None
                added = created + timedelta(hours=rnd.randint(1, 48))
                evidence_rows.append((
                    evidence_pk, pk, kind,
                    EVIDENCE_TEXT[kind].format(p=place, d=f"{day:%d %B %Y}"),
                    f"https://evidence.example/{evidence_pk}",
                    f"https://archive.example/{evidence_pk}",
                    "", "", "", "", rnd.choice(self.evidence_sources),
                    _at(day, rnd) if has_coordinates else None, rnd.choice(self.writers),
                    lat, lon, added, added,
                ))
                cited_by = {claim_verifications[j % len(claim_verifications)][0],
                            claim_verifications[-1][0]}
                for verification in sorted(cited_by):
                    cites_rows.append((len(cites_rows) + 1, verification, evidence_pk))

            updated = max(created, when)
            claim_rows.append((
                pk, statement, slugify(statement)[:200], quote, claimant, day,
                current[1] if current else "", current[2] if current else None,
                current[0] if current else None, rnd.choice(self.reporters), created, updated,
            ))
            for place_pk in places:
                place_rows.append((len(place_rows) + 1, pk, place_pk))
                self.claims_by_place[place_pk].append(pk)
            self.claim_places[pk] = places
            for article in rnd.sample(range(1, size.articles + 1), k=min(size.articles,
                                                                           rnd.choice([1, 2]))):
                appearance_rows.append((len(appearance_rows) + 1, pk, article, quote))
            if pk > 1 and rnd.random() < 0.08:
                candidates = [c for c in self.claims_by_place[places[0]][-20:] if c != pk]
                if candidates:
                    link_rows.append((
                        len(link_rows) + 1, pk, rnd.choice(candidates),
                        rnd.choice(["disputes", "disputes", "supports"]), "",
                    ))
        # Claim 1 (the benchmark's claim page) disputes claim 2.
        link_rows.append((len(link_rows) + 1, 1, 2, "disputes", "Says the opposite."))

        yield Claim, (
            "id", "statement", "slug", "quote", "claimant_id", "claimed_on", "current_verdict",
            "current_verdict_as_of", "current_verification_id", "created_by_id", "created_at",
            "updated_at",
        ), claim_rows
        yield Claim.places.through, ("id", "claim_id", "place_id"), place_rows
        yield Appearance, ("id", "claim_id", "article_id", "passage"), appearance_rows
        yield ClaimLink, ("id", "from_claim_id", "to_claim_id", "relation", "note"), link_rows
        yield Verification, (
            "id", "claim_id", "status", "verdict", "rationale", "location_verdict",
            "location_note", "time_verdict", "time_note", "actor_verdict", "actor_note",
            "authenticity", "authenticity_note", "author_id", "reviewer_id", "review_note",
            "submitted_at", "published_at", "created_at", "updated_at",
        ), verification_rows
        yield Evidence, (
            "id", "claim_id", "kind", "description", "url", "archived_url", "file", "sha256",
            "file_name", "file_type", "source_id", "captured_at", "added_by_id", "latitude",
            "longitude", "created_at", "updated_at",
        ), evidence_rows
        yield Verification.evidence.through, ("id", "verification_id", "evidence_id"), cites_rows

    # --- explainers --------------------------------------------------------------------

    def _explainers(self):
        rnd, size = self.rnd, self.size
        rows, place_rows, author_rows, entry_rows, correction_rows = [], [], [], [], []
        statuses = [("published", 85), ("draft", 5), ("in_review", 3), ("scheduled", 2),
                    ("unpublished", 5)]
        for pk in range(1, size.explainers + 1):
            places = [1] if pk == 1 else rnd.sample(range(1, size.places + 1),
                                                    k=min(size.places, rnd.choice([1, 1, 2])))
            place = self.place_names[places[0]]
            title = EXPLAINER_TITLES[(pk - 1) % len(EXPLAINER_TITLES)].format(p=place)
            status = "published" if pk == 1 else rnd.choices(
                [s for s, _ in statuses], [w for _, w in statuses])[0]
            day = START + timedelta(days=rnd.randrange(self.days))
            created = _at(day, rnd)
            publish_at = first = last_update = None
            if status in ("published", "unpublished"):
                first = created + timedelta(days=rnd.randint(1, 5))
                publish_at = first + timedelta(days=rnd.choice([0, 0, 3, 10]))
                last_update = publish_at
            elif status == "scheduled":
                publish_at = datetime(2099, 1, 1, 9, tzinfo=UTC) + timedelta(days=pk)
            body = "\n\n".join([
                f"## Where {place} is",
                f"{place} lies on one of the roads the armies on both sides need to supply "
                f"their units. Whoever holds it controls movement for {rnd.randint(5, 30)} "
                "kilometres around.",
                "## What each side says",
                "Each side has made claims about the town that the other disputes. We list "
                "them below with what we could establish, and update this page when the "
                "evidence changes.",
                "## What we could not confirm",
                f"Access to {place} is restricted. Where we could not confirm a claim, we say "
                "so and explain what would settle it.",
            ])
            rows.append((
                pk, title, f"{slugify(title)[:180]}-{pk}",
                f"The claims made about {place}, what the evidence shows, and what is still "
                "unknown.",
                body, status, publish_at, first, last_update,
                rnd.choice(self.checkers), created, last_update or created,
            ))
            for place_pk in places:
                place_rows.append((len(place_rows) + 1, pk, place_pk))
            for author in rnd.sample(self.writers, k=rnd.choice([1, 2])):
                author_rows.append((len(author_rows) + 1, pk, author))
            wanted = SHOWCASE_EXPLAINER_CLAIMS if pk == 1 else rnd.randint(10, 80)
            wanted = min(wanted, size.claims)
            about = [c for p in places for c in self.claims_by_place[p]]
            chosen = list(dict.fromkeys(rnd.sample(about, k=min(len(about), wanted))))
            if pk == 1 and 1 not in chosen:
                chosen = [1, *chosen[: wanted - 1]]
            while len(chosen) < wanted:
                extra = rnd.randint(1, size.claims)
                if extra not in chosen:
                    chosen.append(extra)
            for position, claim_pk in enumerate(chosen, start=1):
                note = (f"Why it matters: this claim is about {place}." if position % 3 == 1
                        else "")
                entry_rows.append((len(entry_rows) + 1, pk, claim_pk, position, note))
            if status == "published" and (pk == 1 or rnd.random() < 0.1):
                correction_rows.append((
                    len(correction_rows) + 1, pk, rnd.choice(["correction", "update"]),
                    f"An earlier version of this explainer gave the wrong date for the first "
                    f"claim about {place}.",
                    publish_at + timedelta(days=2), publish_at + timedelta(days=2),
                    rnd.choice(self.editors),
                ))
        yield Explainer, (
            "id", "title", "slug", "standfirst", "body", "status", "publish_at",
            "first_published_at", "last_substantive_update", "created_by_id", "created_at",
            "updated_at",
        ), rows
        yield Explainer.places.through, ("id", "explainer_id", "place_id"), place_rows
        yield Explainer.authors.through, ("id", "explainer_id", "user_id"), author_rows
        yield ExplainerClaim, ("id", "explainer_id", "claim_id", "position", "context_note"), \
            entry_rows
        yield Correction, (
            "id", "explainer_id", "kind", "text", "published_at", "created_at", "created_by_id",
        ), correction_rows
