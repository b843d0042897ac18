from django.db import models

from .base import TimeStampedModel
from .fields import desk_user, valid_choice


class StandingPageKind(models.TextChoices):
    """The standing pages a fact-checker publishes (IFCN code of principles), one of each."""

    METHODOLOGY = "methodology", "Methodology"
    CORRECTIONS_POLICY = "corrections-policy", "Corrections policy"
    OWNERSHIP_FUNDING = "ownership-and-funding", "Ownership and funding"
    CONTACT = "contact", "Contact"


class StandingPage(TimeStampedModel):
    """A page of the reader site that editors keep up to date: methodology, corrections
    policy, ownership and funding, contact. Readers see it as soon as it exists.

    The methodology page's text is shown above the verdict scale, which the site renders from
    `claims.verdicts` so that the definitions are never typed twice.
    """

    Kind = StandingPageKind

    kind = models.CharField(max_length=32, choices=Kind.choices, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(
        max_length=300, blank=True, help_text="One sentence for search engines and link previews."
    )
    body = models.TextField(help_text="Markdown.")
    updated_by = desk_user()

    class Meta:
        ordering = ["kind"]
        constraints = [
            valid_choice("kind", StandingPageKind, "standing_page_kind_valid"),
        ]

    def __str__(self):
        return self.title
