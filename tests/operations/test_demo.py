"""`manage.py load_demo`: the demo desk a newcomer sees after `make demo`."""

import re
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.utils import timezone

from claims import selectors
from claims.devtools import demo
from claims.models import (
    Article,
    Claim,
    Correction,
    Evidence,
    Explainer,
    Place,
    Source,
    Verification,
)

pytestmark = pytest.mark.django_db


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def row_counts():
    models = [*apps.get_app_config("claims").get_models(), get_user_model()]
    return {model._meta.label: model.objects.count() for model in models}


@pytest.fixture
def demo_desk():
    return load_demo()


def test_load_demo_twice_creates_nothing_the_second_time():
    load_demo()
    first = row_counts()

    second_output = load_demo()

    assert row_counts() == first
    # Every table has demo content, but the e-mail kinds people turned off (none yet) and the
    # desk's copies of evidence pages (made by fetching them; the demo's addresses lead nowhere).
    del first["claims.MutedNotification"], first["claims.EvidenceCapture"]
    assert all(count > 0 for count in first.values()), first
    created = re.findall(r"(\d+) created", second_output)
    assert created and set(created) == {"0"}


def test_toretsk_explainer_is_live_with_its_claims_in_the_editors_order(demo_desk):
    explainer = selectors.explainers_for_readers().get(slug="why-toretsk-matters")

    assert explainer.title == "Why Toretsk matters"
    assert explainer.status == Explainer.Status.PUBLISHED
    assert explainer.first_published_at == datetime(2025, 2, 8, 11, 0, tzinfo=UTC)
    assert [entry.claim.slug for entry in explainer.explainer_claims.order_by("position")] == [
        demo.CAPTURE_CLAIM,
        demo.BRIGADE_CLAIM,
        demo.DEEPSTATE_CLAIM,
        demo.FORTIFICATION_CLAIM,
    ]
    assert all(entry.context_note for entry in explainer.explainer_claims.all())
    assert "toretsk" in set(explainer.places.values_list("slug", flat=True))
    assert set(explainer.authors.values_list("username", flat=True)) == {
        "reporter",
        "factchecker",
    }


def test_toretsk_explainer_log_has_a_dated_correction_and_update(demo_desk):
    explainer = Explainer.objects.get(slug="why-toretsk-matters")

    log = [(c.kind, c.published_at.date()) for c in explainer.corrections.all()]

    assert log == [
        (Correction.Kind.CORRECTION, datetime(2025, 2, 8).date()),
        (Correction.Kind.UPDATE, datetime(2025, 2, 9).date()),
    ]
    assert explainer.last_substantive_update == explainer.corrections.last().published_at


def test_capture_claim_went_from_unconfirmed_to_disputed_on_the_storys_dates(demo_desk):
    claim = Claim.objects.get(slug=demo.CAPTURE_CLAIM)

    history = list(
        claim.verifications.filter(status=Verification.Status.PUBLISHED).order_by("published_at")
    )

    assert [v.verdict for v in history] == ["unconfirmed", "disputed"]
    assert [v.published_at.date() for v in history] == [
        datetime(2025, 2, 7).date(),
        datetime(2025, 2, 8).date(),
    ]
    assert claim.current_verdict == "disputed"
    assert claim.current_verification == history[-1]
    assert claim.current_verdict_as_of == history[-1].published_at
    assert claim.links_in.get(relation="disputes").from_claim.slug == demo.BRIGADE_CLAIM


def test_every_published_verification_was_published_by_someone_other_than_its_author(
    demo_desk,
):
    published = Verification.objects.filter(status=Verification.Status.PUBLISHED)

    assert published.count() >= 8
    for verification in published:
        assert verification.reviewer is not None
        assert verification.reviewer != verification.author
        assert verification.submitted_at <= verification.published_at


def test_every_assessed_claims_current_verdict_is_its_latest_published_one(demo_desk):
    for claim in Claim.objects.exclude(current_verdict=""):
        latest = claim.verifications.filter(status=Verification.Status.PUBLISHED).latest()
        assert (claim.current_verdict, claim.current_verdict_as_of) == (
            latest.verdict,
            latest.published_at,
        )


def test_demo_users_log_in_with_the_printed_passwords_and_have_their_roles(demo_desk, client):
    for data in demo.USERS:
        assert f"{data['username']:<12} {data['role']:<14} {data['password']}" in demo_desk
        assert logs_in(client, data["username"], data["password"])
        user = get_user_model().objects.get(username=data["username"])
        assert user.is_staff and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [data["role"]]
        client.logout()
    assert demo.ADMIN_URL in demo_desk


def test_a_second_run_resets_a_changed_demo_password(demo_desk, client):
    user = get_user_model().objects.get(username="editor")
    user.set_password("something-else-entirely")
    user.save()

    load_demo()

    assert logs_in(client, "editor", demo.USERS[2]["password"])


def logs_in(client, username, password):
    """Does the admin's login form let `username` in? (Through the form, as a person would:
    django-axes' login protection needs the request.)"""
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    )
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_demo_passwords_pass_the_projects_password_validators(demo_desk):
    for data in demo.USERS:
        user = get_user_model().objects.get(username=data["username"])
        validate_password(data["password"], user=user)


def test_draft_explainer_stays_a_draft_that_readers_never_see(demo_desk):
    load_demo()
    draft = Explainer.objects.get(slug="toretsk-street-by-street")

    assert draft.status == Explainer.Status.DRAFT
    assert draft.publish_at is None and draft.first_published_at is None
    assert not selectors.explainers_for_readers().filter(pk=draft.pk).exists()
    assert not selectors.claims_for_readers().filter(slug=demo.SOLDIER_CLAIM).exists()


def test_the_desks_queues_each_have_work_in_them(demo_desk):
    assert selectors.claims_without_assessment().filter(slug=demo.SOLDIER_CLAIM).exists()
    assert selectors.verifications_awaiting_review().exists()
    returned = selectors.verifications_returned().get()
    assert returned.review_note
    scheduled = selectors.explainers_scheduled().get()
    assert scheduled.publish_at > timezone.now()
    assert not selectors.explainers_for_readers().filter(pk=scheduled.pk).exists()
    stale = selectors.stale_unconfirmed_claims(days=14)
    assert stale.filter(slug=demo.FORTIFICATION_CLAIM).exists()


def test_a_due_scheduled_demo_explainer_is_rescheduled_on_the_next_run(demo_desk):
    scheduled = Explainer.objects.get(status=Explainer.Status.SCHEDULED)
    Explainer.objects.filter(pk=scheduled.pk).update(publish_at=timezone.now() - timedelta(hours=1))

    load_demo()

    scheduled.refresh_from_db()
    assert scheduled.status == Explainer.Status.SCHEDULED
    assert scheduled.publish_at > timezone.now()


def test_confidential_source_is_shown_to_readers_only_by_its_description(demo_desk):
    claim = Claim.objects.get(slug=demo.SOLDIER_CLAIM)

    assert claim.claimant.is_confidential
    assert claim.claimant.public_name == "a Ukrainian soldier serving near Toretsk"


def test_places_are_found_by_their_other_names(demo_desk):
    assert Place.objects.matching_name("Dzerzhynsk").get().slug == "toretsk"
    assert Place.objects.matching_name("artyomovsk").get().slug == "bakhmut"


def test_every_record_the_demo_made_names_its_maker_in_the_history(demo_desk):
    """The demo writes through the desk's services like any face: each record's first history
    row names the demo person who made it and why, as a save in the desk would."""
    for model in (Claim, Explainer, Place, Verification, Source, Evidence, Article):
        for first in model.history.filter(history_type="+"):
            assert first.history_user is not None, (model.__name__, first.id)
    claim = Claim.objects.get(slug=demo.CAPTURE_CLAIM)
    created = claim.history.earliest("history_date")
    assert created.history_user.username == "reporter"
    assert created.history_change_reason == "loaded with the demo desk"


def test_importing_the_report_the_demo_was_built_from_offers_its_claims_to_link(demo_desk):
    """Before, every candidate offered "Create claim", never a claim already on the desk."""
    from claims.ingest import candidates
    from claims.ingest.importing import import_pasted

    editor = get_user_model().objects.get(username="editor")
    report = (
        "Russia claims Toretsk; brigade says it is still there\n\n"
        "KYIV, Ukraine (AP) — Russia's Defence Ministry said on Friday that its troops had "
        "taken full control of Dzerzhinsk, the Soviet-era name of Toretsk.\n\n"
        "DeepState, an open-source map of the front, showed on Thursday that Ukrainian troops "
        "still held the north-western edge of Toretsk.\n"
    )
    article = import_pasted(report, by=editor).article
    rows = candidates.article_candidate_page(article).rows
    similar = {row.candidate.claimant: [c.slug for c in row.similar] for row in rows}
    assert similar["Russia's Defence Ministry"][0] == demo.CAPTURE_CLAIM
    assert similar["DeepState"][0] == demo.DEEPSTATE_CLAIM


def test_make_demo_prints_the_address_it_serves_on(monkeypatch):
    import importlib
    import subprocess  # nosec B404 # make -n only prints the recipe

    recipe = subprocess.run(  # nosec B603 B607
        ["make", "-n", "demo", "PORT=8123", "HOST=127.0.0.2"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "DEMO_ADDRESS=http://127.0.0.2:8123 " in recipe
    monkeypatch.setenv("DEMO_ADDRESS", "http://127.0.0.2:8123")
    try:
        assert importlib.reload(demo).ADMIN_URL == "http://127.0.0.2:8123/admin/"
    finally:
        monkeypatch.delenv("DEMO_ADDRESS")
        importlib.reload(demo)
