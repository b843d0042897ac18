"""Every payload of the hostile corpus in every editor text field of every model is stored
intact: what is read back equals what was typed (less surrounding whitespace, which forms
trim). A field whose max_length the payload exceeds refuses it with a validation error that
says so, and stores nothing.

The fields are found from the models: every CharField and TextField of the desk's app that
a person types into (not slugs and addresses, which have their own validators; not choices;
not fields the server fills in).
"""

import itertools

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction

from claims.models import (
    Appearance,
    ClaimLink,
    ClaimSubmission,
    Correction,
    ExplainerClaim,
    MergedClaim,
    Note,
    PlaceName,
    SourceAlias,
    StandingPage,
)

from .. import factories
from .corpus import PAYLOADS

pytestmark = pytest.mark.django_db

NOT_TYPED = (models.SlugField, models.URLField, models.EmailField)


def editor_text_fields():
    """(model, field) for every text field a person types into."""
    for model in apps.get_app_config("claims").get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            if isinstance(field, NOT_TYPED) or field.choices or not field.editable:
                continue
            if model._meta.model_name == "auditevent":
                continue  # written by the workflow only, read-only everywhere
            if model._meta.model_name == "mutednotification":
                continue  # a kind ticked from a fixed list, never typed
            if model._meta.model_name.startswith("historical"):
                continue  # copies of the fields below, written by the history itself
            yield model, field


OLD_IDS = itertools.count(10_000)


def an_instance(model, world):
    """A valid object of `model` to type into (saved, unless it can only be written once)."""
    claim, editor = world["claim"], world["editor"]
    makers = {
        "source": factories.SourceFactory,
        "article": factories.ArticleFactory,
        "place": factories.PlaceFactory,
        "placename": lambda: PlaceName.objects.create(place=world["place"], name="Other"),
        "sourcealias": lambda: SourceAlias.objects.create(source=world["source"], name="Alias"),
        "claim": lambda: factories.ClaimFactory(claimant=world["source"]),
        "appearance": lambda: Appearance.objects.create(claim=claim, article=world["article"]),
        "claimlink": lambda: ClaimLink.objects.create(
            from_claim=claim, to_claim=factories.ClaimFactory(), relation="disputes"
        ),
        "verification": lambda: factories.VerificationFactory(claim=claim, author=editor),
        "evidence": lambda: factories.EvidenceFactory(claim=claim),
        "explainer": factories.ExplainerFactory,
        "explainerclaim": lambda: ExplainerClaim.objects.create(
            explainer=factories.ExplainerFactory(), claim=claim
        ),
        # Not saved: a correction is public record, never edited once issued.
        "correction": lambda: Correction(
            explainer=world["explainer"], text="A fix.", created_by=editor
        ),
        "standingpage": lambda: StandingPage.objects.get(kind="methodology"),
        "claimsubmission": lambda: ClaimSubmission.objects.create(text="Is the bridge down?"),
        "note": lambda: Note.objects.create(subject=claim, author=editor, text="Ask them."),
        # A duplicate's statement, kept when it is merged away.
        "mergedclaim": lambda: MergedClaim.objects.create(
            old_id=next(OLD_IDS), statement="Merged away.", into=claim
        ),
    }
    return makers[model._meta.model_name]()


@pytest.fixture
def world(db, editor, live_explainer):
    return {
        "editor": editor,
        "claim": factories.ClaimFactory(),
        "place": factories.PlaceFactory(),
        "source": factories.SourceFactory(),
        "article": factories.ArticleFactory(),
        "explainer": live_explainer,
    }


def test_every_payload_in_every_editor_field_is_stored_intact(world):
    fields = list(editor_text_fields())
    assert len(fields) >= 30, fields  # the enumeration found the desk's fields
    tried = stored = refused = 0
    problems = []
    for model, field in fields:
        for name, payload in PAYLOADS.items():
            tried += 1
            with transaction.atomic():
                obj = an_instance(model, world)
                too_long = field.max_length is not None and len(payload) > field.max_length
                try:
                    # As typed into a form (the admin's, the API's fields are built alike),
                    # then validated and saved by the model.
                    typed = field.formfield().clean(payload)
                    setattr(obj, field.attname, typed)
                    obj.full_clean(validate_unique=False)
                except ValidationError as error:
                    messages = " ".join(error.messages)
                    if too_long and "at most" in messages:
                        refused += 1
                    else:
                        problems.append(f"{model.__name__}.{field.name} × {name}: {messages}")
                    transaction.set_rollback(True)
                    continue
                if too_long:
                    problems.append(f"{model.__name__}.{field.name} × {name}: took too much")
                obj.save()
                back = getattr(type(obj).objects.get(pk=obj.pk), field.attname)
                # Forms trim surrounding whitespace; nothing else may change.
                if back != payload.strip():
                    problems.append(f"{model.__name__}.{field.name} × {name}: changed")
                stored += 1
                transaction.set_rollback(True)
    print(
        f"\nhostile storage: {len(PAYLOADS)} payloads × {len(fields)} fields = {tried} "
        f"({stored} stored intact, {refused} refused as too long)"
    )
    assert not problems, "\n".join(problems)
