"""factory_boy factories for the desk's models. Tests get them through conftest fixtures.

Anything with a workflow state (published verifications, live explainers) is built through
`claims.workflow` by the helpers in conftest, so tests exercise the real path.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from claims import models
from claims.verdicts import Verdict


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@desk.example")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source

    name = factory.Sequence(lambda n: f"Source {n}")
    kind = models.Source.Kind.MINISTRY
    affiliation = models.Source.Affiliation.RUSSIAN_STATE


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Place

    name = factory.Sequence(lambda n: f"Place {n}")
    region = "Donetsk region"
    latitude = factory.Faker("pydecimal", left_digits=2, right_digits=4, min_value=47, max_value=49)
    longitude = factory.Faker(
        "pydecimal", left_digits=2, right_digits=4, min_value=36, max_value=39
    )


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Article

    headline = factory.Sequence(lambda n: f"Report number {n} from the front")
    outlet = factory.SubFactory(
        SourceFactory,
        kind=models.Source.Kind.NEWS_OUTLET,
        affiliation=models.Source.Affiliation.INDEPENDENT,
    )
    url = factory.Sequence(lambda n: f"https://news.example/reports/{n}")
    body = factory.Sequence(lambda n: f"Body of report {n}. An official said something.")


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Claim

    statement = factory.Sequence(lambda n: f"Forces captured village number {n}")
    quote = "Our forces have taken full control of the village."
    claimant = factory.SubFactory(SourceFactory)
    claimed_on = datetime.date(2025, 2, 7)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Evidence

    claim = factory.SubFactory(ClaimFactory)
    kind = models.Evidence.Kind.OPEN_SOURCE_MAP
    description = "Map showing the front line on the town's edge."
    url = "https://maps.example/frontline"


class VerificationFactory(factory.django.DjangoModelFactory):
    """A draft verification. Use the `publish_verification` fixture to publish one."""

    class Meta:
        model = models.Verification

    claim = factory.SubFactory(ClaimFactory)
    verdict = Verdict.UNCONFIRMED
    rationale = "No independent footage or imagery confirms it yet."
    author = factory.SubFactory(UserFactory, role="Fact-checker")


class ExplainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Explainer

    title = factory.Sequence(lambda n: f"Why place {n} matters")
    slug = factory.Sequence(lambda n: f"why-place-{n}-matters")
    standfirst = "What each side says and what we could confirm."
    body = "The town sits on high ground."
