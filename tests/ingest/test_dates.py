"""Dates on the way in from text and files: a date found in an article that no newsroom could
mean is left out with a note to check it (the article is still worth having); a date the
person importing gives, or a desk export holds, out of range is refused, and nothing is
saved."""

import datetime
import json

from django.utils import timezone

from claims.ingest.desk import desk_is_empty
from claims.models import Article, Claim

from .test_desk_backup import empty_the_database
from .test_import_command import MESSY

DATED_2099 = MESSY.replace("February 7, 2025", "February 7, 2099")
OUT_OF_RANGE = "Enter a date between 1 January 1900 and"


def test_a_date_found_in_the_text_out_of_range_is_left_out_with_a_note_to_check_it(
    run_command, write_file
):
    result = run_command("import_articles", str(write_file("toretsk.txt", DATED_2099)))

    assert result.failed is None, result.err
    article = Article.objects.get()
    assert article.published_at is None
    assert "the date found in it (2099-02-07) is not one the desk accepts" in result.out
    assert "left empty: check it" in result.out


def test_a_date_found_in_pasted_text_in_the_admin_is_left_out_with_the_same_note(client, reporter):
    from django.urls import reverse

    client.force_login(reporter)
    response = client.post(reverse("admin:claims_article_import"), {"text": DATED_2099})
    article = Article.objects.get()
    assert article.published_at is None
    page = client.get(response.url).content.decode()
    assert "the date found in it (2099-02-07) is not one the desk accepts" in page


def test_a_date_given_on_the_command_line_out_of_range_is_refused_before_anything_is_read(
    run_command, write_file
):
    path = write_file("toretsk.txt", MESSY)
    result = run_command("import_articles", str(path), "--published", "1591-02-07")

    assert result.failed.startswith("--published '1591-02-07': " + OUT_OF_RANGE)
    assert not Article.objects.exists()


def test_the_last_day_of_the_range_can_be_given_on_the_command_line(run_command, write_file):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    path = write_file("toretsk.txt", MESSY)
    result = run_command("import_articles", str(path), "--published", tomorrow.isoformat())
    assert result.failed is None, result.err
    assert timezone.localdate(Article.objects.get().published_at) == tomorrow


def test_a_desk_export_holding_a_date_out_of_range_is_refused_and_nothing_is_loaded(
    claim, run_command, tmp_path
):
    path = tmp_path / "desk.json"
    assert run_command("export_desk", str(path)).failed is None
    objects = json.loads(path.read_text())
    [exported] = [o for o in objects if o["model"] == "claims.claim"]
    exported["fields"]["claimed_on"] = "1591-02-07"
    path.write_text(json.dumps(objects))
    empty_the_database()

    result = run_command("import_desk", str(path))

    assert result.failed.startswith(
        f"{path} could not be restored; nothing was loaded (claims.claim {claim.pk}, "
        f"claimed_on: {OUT_OF_RANGE}"
    ), result.failed
    assert desk_is_empty()
    assert not Claim.objects.exists()


def test_a_claim_cannot_take_its_date_from_an_article_dated_before_the_rule_came_in(reporter, db):
    """An article stored with 1591 before the desk refused such dates: the one-click claim
    asks for the article's date to be corrected instead of failing, and makes nothing."""
    from django.test import Client

    from claims.ingest.importing import import_pasted

    from .test_admin import PASTED, create

    article = import_pasted(PASTED, by=reporter).article
    Article.objects.filter(pk=article.pk).update(
        published_at=datetime.datetime(1591, 2, 7, 8, tzinfo=datetime.UTC)
    )
    client = Client(raise_request_exception=False)
    client.force_login(reporter)
    sentence = "Russia's Defence Ministry said on Friday that its forces had taken Dzerzhynsk."
    start = article.body.index(sentence)

    response = create(client, article, start, start + len(sentence))

    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "correct the article&#x27;s publication date first" in page
    assert not Claim.objects.exists()
