"""`manage.py import_articles` on files: messy text, idempotency, per-item failures."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from claims.ingest import importing
from claims.models import Article, AuditEvent, CandidateClaim, CandidateSpotting, Source

from .. import factories

MESSY = """World
Russia says it has taken Toretsk; Kyiv says fighting goes on
Russia says it has taken Toretsk; Kyiv says fighting goes on
By Jane Doe, Kyiv Wire
Published 9:40 AM GMT+2, February 7, 2025

FILE - Ukrainian soldiers ride an armoured vehicle near Toretsk. (AP Photo/Someone Else)

KYIV, Ukraine (AP) — Russia's Defence Ministry said on Friday that its forces had taken Toretsk.

Ukraine's military said fighting in the town was continuing.

Associated Press writer John Roe contributed to this report.

Related topics
Russia-Ukraine war
"""

BODY = (
    "Russia's Defence Ministry said on Friday that its forces had taken Toretsk.\n\n"
    "Ukraine's military said fighting in the town was continuing."
)


def test_a_messy_text_file_is_imported_clean_with_its_raw_text_kept(run_command, write_file):
    path = write_file("toretsk.txt", MESSY)

    result = run_command("import_articles", str(path))

    assert result.failed is None
    article = Article.objects.get()
    assert article.headline == "Russia says it has taken Toretsk; Kyiv says fighting goes on"
    assert article.body == BODY
    assert article.byline == "Jane Doe, Kyiv Wire"
    assert article.published_at == datetime.datetime(2025, 2, 7, 7, 40, tzinfo=datetime.UTC)
    assert article.raw_text == MESSY
    assert article.imported_from == str(path)
    assert article.content_hash == Article.hash_of(BODY)
    assert f"imported {path}: imported as article #{article.pk}" in " ".join(result.out.split())
    assert "Imported 1, skipped 0, failed 0." in result.out


def test_options_override_what_the_text_says(run_command, write_file):
    outlet = factories.SourceFactory(name="Kyiv Wire", kind=Source.Kind.NEWS_OUTLET)
    outlet.aliases.create(name="KW")
    path = write_file("toretsk.txt", MESSY)

    run_command(
        "import_articles",
        str(path),
        "--outlet",
        "kw",
        "--title",
        "Toretsk: claim and denial",
        "--published",
        "2025-02-08",
        "--language",
        "uk",
    )

    article = Article.objects.get()
    assert article.outlet == outlet
    assert article.headline == "Toretsk: claim and denial"
    assert timezone.localdate(article.published_at) == datetime.date(2025, 2, 8)
    assert article.language == "uk"


def test_an_unknown_outlet_is_added_as_a_news_outlet_source(run_command, write_file):
    path = write_file("a.txt", MESSY)
    result = run_command("import_articles", str(path), "--outlet", "Donbas Daily")

    source = Source.objects.get(name="Donbas Daily")
    assert source.kind == Source.Kind.NEWS_OUTLET
    assert Article.objects.get().outlet == source
    assert "new outlet “Donbas Daily” added to sources" in result.out


def test_a_text_without_a_headline_is_imported_with_a_note_to_check_it(run_command, write_file):
    result = run_command("import_articles", str(write_file("a.txt", BODY)), "--outlet", "Kyiv Wire")

    article = Article.objects.get()
    assert article.headline == (
        "Russia's Defence Ministry said on Friday that its forces had taken Toretsk"
    )
    assert "the headline was made from the first sentence, check it" in result.out


def test_the_same_text_is_not_imported_twice(run_command, write_file):
    first = write_file("a.txt", MESSY)
    second = write_file("b.txt", "Another headline\n\n" + BODY)

    run_command("import_articles", str(first))
    result = run_command("import_articles", str(first), str(second))

    article = Article.objects.get()
    assert result.failed is None
    assert result.out.count(f"already on the desk as article #{article.pk}") == 2
    assert "(same text)" in result.out
    assert "Imported 0, skipped 2, failed 0." in result.out


def test_import_refuses_an_article_without_an_outlet(run_command, write_file):
    path = write_file("note.txt", "Toretsk: the ministry's claim\n\n" + BODY)

    result = run_command("import_articles", str(path))

    assert f"failed   {path}: needs its outlet: the text does not say which outlet" in result.err
    assert result.failed == "1 of 1 items failed."
    assert (
        f"{path} needs the outlet that published it, which neither --outlet nor its text "
        "gives; nothing of it was imported." in result.err
    )
    assert f'manage.py import_articles {path} --outlet "OUTLET" --user reporter' in result.err
    assert not Article.objects.exists()
    assert not Source.objects.exists()
    assert not CandidateClaim.objects.exists()
    assert not CandidateSpotting.objects.exists()
    assert not AuditEvent.objects.exists()


def test_in_a_batch_each_article_without_an_outlet_is_refused_and_named(run_command, write_file):
    credited = write_file("credited.txt", MESSY)  # "KYIV, Ukraine (AP) —"
    first = write_file("first.txt", "Toretsk: the ministry's claim\n\n" + BODY)
    second = write_file("second.txt", "Toretsk: fighting goes on\n\nKyiv said it held the town.")

    result = run_command("import_articles", str(first), str(credited), str(second))

    assert Article.objects.get().outlet.name == "The Associated Press"
    assert "Imported 1, skipped 0, failed 2." in result.out
    assert result.failed == "2 of 3 items failed."
    assert f"failed   {first}: needs its outlet" in result.err
    assert f"failed   {second}: needs its outlet" in result.err
    assert "2 items need the outlet that published them" in result.err
    assert f'import_articles {first} --outlet "OUTLET"' in result.err
    assert f'import_articles {second} --outlet "OUTLET"' in result.err
    assert str(credited) not in result.err


def test_an_article_refused_for_its_outlet_is_imported_once_it_is_named(run_command, write_file):
    path = write_file("note.txt", "Toretsk: the ministry's claim\n\n" + BODY)
    run_command("import_articles", str(path))

    result = run_command("import_articles", str(path), "--outlet", "Donbas Daily")

    assert result.failed is None
    assert Article.objects.get().outlet.name == "Donbas Daily"


def test_the_service_refuses_an_article_without_an_outlet(db, reporter):
    outcome = importing.import_pasted("Toretsk: the ministry's claim\n\n" + BODY, by=reporter)

    assert (outcome.status, outcome.needs_outlet) == (importing.FAILED, True)
    assert outcome.message.startswith("needs its outlet")
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"  \n\n \t\n", "is empty"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "looks like a PNG image, not text"),
        ("data.bin", b"abc\x00\x01\x02def" * 10, "looks like a binary file"),
        ("latin1.txt", "Kyiv said the café was hit.".encode("latin-1"), "is not UTF-8 text"),
        ("junk.txt", b"Share\nAdvertisement\n", "has no article text left after cleaning"),
    ],
)
def test_bad_input_fails_that_item_only_and_the_exit_status_says_so(
    run_command, write_file, name, content, message
):
    bad = write_file(name, content)
    good = write_file("good.txt", MESSY)

    result = run_command("import_articles", str(bad), str(good))

    assert f"failed   {bad}: " in result.err
    assert message in result.err
    assert Article.objects.count() == 1
    assert "Imported 1, skipped 0, failed 1." in result.out
    assert result.failed == "1 of 2 items failed."


def test_a_missing_file_and_a_directory_are_reported(run_command, tmp_path):
    result = run_command("import_articles", str(tmp_path / "nope.txt"), str(tmp_path))

    assert f"{tmp_path / 'nope.txt'}: no such file." in result.err
    assert f"{tmp_path}: is a directory, not a file." in result.err
    assert result.failed == "2 of 2 items failed."


def test_an_unreadable_file_is_reported(run_command, write_file, monkeypatch):
    path = write_file("secret.txt", MESSY)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(path), "open", refuse)
    result = run_command("import_articles", str(path))
    assert f"{path}: cannot be read (permission denied)." in result.err


def test_a_file_over_the_size_limit_is_refused(run_command, write_file, settings):
    settings.DESK_INGEST = {"MAX_BYTES": 1000}
    path = write_file("long.txt", MESSY + "More text. " * 200)

    result = run_command("import_articles", str(path))

    # Sizes as Django's filesizeformat writes them: a no-break space before the unit.
    assert "is too large (2.7\xa0KB; the limit is 1000\xa0bytes)." in result.err
    assert not Article.objects.exists()


def test_a_failure_while_saving_leaves_nothing_half_written(run_command, write_file, monkeypatch):
    from django.core.exceptions import ValidationError

    def invalid(self, *args, **kwargs):
        raise ValidationError({"headline": ["This headline is not acceptable."]})

    monkeypatch.setattr(Article, "full_clean", invalid)
    path = write_file("a.txt", MESSY)
    result = run_command("import_articles", str(path), "--outlet", "New Outlet")

    assert "the article is not valid: headline: This headline is not acceptable." in result.err
    assert not Source.objects.filter(name="New Outlet").exists()
    assert not Article.objects.exists()


def test_a_saved_html_page_is_imported_through_the_extractor(run_command, write_file):
    html = """<!doctype html><html lang="en"><head>
      <title>Russia says it has taken Toretsk | Kyiv Wire</title>
      <meta property="og:title" content="Russia says it has taken Toretsk">
      <meta property="og:site_name" content="Kyiv Wire">
      <meta name="author" content="Jane Doe">
      <meta property="article:published_time" content="2025-02-07T09:40:00+02:00">
      </head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
      <article><h1>Russia says it has taken Toretsk</h1>
      <p>KYIV, Ukraine (AP) — Russia's Defence Ministry said on Friday that its forces had
      taken Toretsk, a town in the east of the Donetsk region, after months of fighting.</p>
      <figure><img src="a.jpg">
      <figcaption>Soldiers near Toretsk. (AP Photo/Someone Else)</figcaption></figure>
      <p>Ukraine's military said fighting in the town was continuing, and that its units still
      held positions in the north-west.</p>
      <p>The claim could not be independently verified.</p>
      </article><footer>Copyright 2025 Kyiv Wire. All rights reserved.</footer></body></html>"""
    result = run_command("import_articles", str(write_file("page.html", html)))

    assert result.failed is None, result.err
    article = Article.objects.get()
    assert article.headline == "Russia says it has taken Toretsk"
    assert article.byline == "Jane Doe"
    assert article.outlet.name == "Kyiv Wire"
    assert article.published_at == datetime.datetime(2025, 2, 7, 7, 40, tzinfo=datetime.UTC)
    assert article.body.startswith("Russia's Defence Ministry said on Friday")
    assert "AP Photo" not in article.body
    assert "Copyright" not in article.body
    assert article.body.endswith("The claim could not be independently verified.")
    assert article.raw_text == html


def test_the_command_needs_something_to_import(run_command):
    assert run_command("import_articles").failed == "Give at least one PATH or --url URL."


def test_title_is_refused_for_several_items(run_command, write_file):
    result = run_command("import_articles", "a.txt", "b.txt", "--title", "One headline")
    assert result.failed == "--title names one article; give a single PATH or --url."


def test_the_service_records_who_imported(db, reporter):
    outcome = importing.import_pasted(MESSY, by=reporter)
    assert outcome.status == importing.IMPORTED
    assert outcome.article.imported_by == reporter
    assert outcome.article.imported_from == "pasted"


def test_an_import_is_someones_and_needs_their_permission_to_add_articles(run_command, db):
    outsider = factories.UserFactory(username="visitor")  # staff, but no role
    factories.SourceFactory(name="Kyiv Wire")

    outcome = importing.import_pasted(
        "Quiet day\n\nThe governor said the night was quiet.",
        by=outsider,
        overrides=importing.Overrides(outlet="Kyiv Wire"),
    )

    assert outcome.status == importing.FAILED
    assert "not allowed to add articles" in outcome.message
    assert not Article.objects.exists()
    with pytest.raises(CommandError, match="--user"):
        call_command("import_articles", "report.txt")
