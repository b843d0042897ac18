from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from claims.dates import PlausibleDate
from claims.verdicts import NOT_YET_ASSESSED, Verdict, verdict_info

from .base import TimeStampedModel, VersionedModel
from .fields import desk_user, history, optional_link, valid_choice
from .sources import unique_slug
from .teamwork import Assignable

# A claim's address is /claims/<id>-<slug>/: the slug is for people reading the address, and a
# few words of the statement say enough.
SLUG_LENGTH = 88


class Claim(TimeStampedModel, VersionedModel, Assignable):
    """One thing someone asserted, with its claimant, date, appearances and places.

    The current verdict and its "as of" time are those of the latest published verification;
    the workflow keeps them in step in the same transaction that publishes it. Until one is
    published the claim is "not yet assessed" (an empty current verdict).
    """

    statement = models.CharField(
        max_length=300, help_text="The editor's one-line summary of what is claimed."
    )
    slug = models.SlugField(max_length=200)
    quote = models.TextField(help_text="What was said, verbatim and short.")
    claimant = models.ForeignKey("claims.Source", on_delete=models.PROTECT, related_name="claims")
    claimed_on = models.DateField(validators=[PlausibleDate()])
    places = models.ManyToManyField("claims.Place", blank=True, related_name="claims")
    articles = models.ManyToManyField(
        "claims.Article", through="Appearance", blank=True, related_name="claims"
    )
    current_verdict = models.CharField(
        max_length=16, choices=Verdict.choices, blank=True, editable=False
    )
    current_verdict_as_of = models.DateTimeField(null=True, blank=True, editable=False)
    current_verification = optional_link(
        "claims.Verification", on_delete=models.PROTECT, related_name="+", editable=False
    )
    last_substantive_update = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When a published revision last changed what readers see of it (not a "
        "minor edit, not a new verdict).",
    )
    created_by = desk_user()

    history = history()

    class Meta:
        ordering = ["-claimed_on", "-id"]
        constraints = [
            valid_choice("current_verdict", Verdict, "claim_current_verdict_valid", or_empty=True),
            models.CheckConstraint(
                condition=Q(
                    current_verdict="",
                    current_verdict_as_of__isnull=True,
                    current_verification__isnull=True,
                )
                | Q(
                    ~Q(current_verdict=""),
                    current_verdict_as_of__isnull=False,
                    current_verification__isnull=False,
                ),
                name="claim_current_verdict_in_step",
            ),
        ]
        indexes = [
            models.Index(fields=["claimed_on"], name="claim_claimed_on_idx"),
            models.Index(fields=["current_verdict", "claimed_on"], name="claim_verdict_idx"),
            models.Index(fields=["claimant", "claimed_on"], name="claim_claimant_idx"),
            models.Index(fields=["current_verdict_as_of"], name="claim_verdict_as_of_idx"),
        ]
        permissions = [("merge_claim", "Can merge a duplicate claim into another")]

    def __str__(self):
        return self.statement

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Claim, self.statement, max_length=SLUG_LENGTH)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The claim's reader page (which answers only once it is published)."""
        return reverse("site:claim", kwargs={"pk": self.pk, "slug": self.slug or "claim"})

    @property
    def current_verdict_label(self):
        if not self.current_verdict:
            return NOT_YET_ASSESSED
        return verdict_info(self.current_verdict).label

    @property
    def current_verdict_info(self):
        """The scale entry of the current verdict, or None while not yet assessed."""
        return verdict_info(self.current_verdict) if self.current_verdict else None


class Appearance(models.Model):
    """Where a claim appeared: an article, with the passage that carries it."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="appearances")
    article = models.ForeignKey(
        "claims.Article", on_delete=models.PROTECT, related_name="appearances"
    )
    passage = models.TextField(blank=True, help_text="The passage of the article quoted.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim", "article"], name="appearance_unique"),
        ]

    def __str__(self):
        return f"{self.claim} — {self.article}"

    def clean(self):
        super().clean()
        claim, article = _related(self, "claim"), _related(self, "article")
        problem = appearance_order_problem(getattr(claim, "claimed_on", None), article)
        if problem:
            raise ValidationError({"article": problem})


def _related(instance, name):
    """The object `instance.<name>` names, or None when none is set (yet)."""
    field = instance._meta.get_field(name)
    if field.is_cached(instance) or getattr(instance, field.attname) is not None:
        return getattr(instance, name)
    return None


def appearance_order_problem(claimed_on, article):
    """Why `article` cannot be where a claim made on `claimed_on` appeared, or None.

    A claim cannot appear before it was made: an article published (in the newsroom's time
    zone) on an earlier day than the claim's date means one of the two dates is wrong. The
    ClaimReview's `firstAppearance` and the claim's `datePublished` would contradict each
    other."""
    if claimed_on is None or article is None or article.published_at is None:
        return None
    published_on = timezone.localtime(article.published_at).date()
    if published_on >= claimed_on:
        return None
    return (
        f"“{article.headline}” was published on {published_on:%d %B %Y}, before the claim "
        f"was made ({claimed_on:%d %B %Y}): a claim cannot appear before it is made. Correct "
        "the claim's date or the article's."
    )


class ClaimRelation(models.TextChoices):
    DISPUTES = "disputes", "disputes"
    SUPPORTS = "supports", "supports"


class ClaimLink(models.Model):
    """One claim disputing or supporting another."""

    Relation = ClaimRelation

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_out")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_in")
    relation = models.CharField(max_length=16, choices=Relation.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_claim", "to_claim"], name="claim_link_unique"),
            models.CheckConstraint(
                condition=~Q(from_claim=F("to_claim")),
                name="claim_link_not_to_itself",
                violation_error_message="A claim cannot dispute or support itself.",
            ),
            models.CheckConstraint(
                condition=Q(relation__in=ClaimRelation.values), name="claim_link_relation_valid"
            ),
        ]

    def __str__(self):
        return f"{self.from_claim} {self.relation} {self.to_claim}"


class MergedClaim(models.Model):
    """A duplicate claim merged into the one kept (claims.services.merge): the duplicate is
    gone, and its addresses, /claims/<old id>-… and the API's /claims/<old id>/, lead to the
    claim kept. Only a claim readers had not seen is merged away."""

    old_id = models.PositiveBigIntegerField(unique=True, help_text="The duplicate's id.")
    statement = models.CharField(max_length=300, help_text="The duplicate's statement.")
    into = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="merged_from")
    merged_by = desk_user()
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self):
        return f"#{self.old_id} “{self.statement}” merged into #{self.into_id}"
