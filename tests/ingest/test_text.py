"""Cleaning copy-pasted news text: each messy shape a reporter brings in."""

import datetime

import pytest

from claims.ingest.text import clean_text, derive_headline, parse_when

STORY = (
    "Russia's Defence Ministry said on Friday that its forces had captured Toretsk, a town "
    "it calls Dzerzhinsk, after months of fighting.\n\n"
    'Ukraine\'s military denied the claim. "Our units hold their positions," a spokesman '
    "said.\n\n"
    "The claim could not be independently verified."
)


def test_a_text_without_a_headline_line_gets_one_from_its_first_sentence():
    cleaned = clean_text(STORY)

    assert cleaned.headline_derived
    assert cleaned.headline.startswith("Russia's Defence Ministry said on Friday")
    assert len(cleaned.headline) <= 121
    assert cleaned.body == STORY


def test_a_headline_line_becomes_the_headline_and_leaves_the_body():
    cleaned = clean_text("Russia claims Toretsk; Kyiv denies it\n\n" + STORY)

    assert cleaned.headline == "Russia claims Toretsk; Kyiv denies it"
    assert not cleaned.headline_derived
    assert cleaned.body == STORY


def test_a_repeated_headline_appears_once_as_the_headline_and_never_in_the_body():
    headline = "Russia claims Toretsk; Kyiv denies it"
    cleaned = clean_text(f"{headline}\n{headline}\n\n{STORY}\n\n{headline} | Kyiv Wire")

    assert cleaned.headline == headline
    assert headline not in cleaned.body
    assert cleaned.body == STORY


def test_section_links_above_the_headline_are_dropped():
    cleaned = clean_text("World\nEurope\nRussia claims Toretsk; Kyiv denies it\n" + STORY)
    assert cleaned.headline == "Russia claims Toretsk; Kyiv denies it"
    assert cleaned.body == STORY


def test_photo_captions_are_dropped():
    raw = (
        "Russia claims Toretsk\n\n"
        "FILE - Ukrainian artillerymen fire towards Russian positions near Toretsk, Jan. 3, "
        "2025. (AP Photo/Someone Else)\n\n"
        "A destroyed apartment block in Toretsk. Photograph: Jane Roe/Reuters\n\n"
        "Image caption, Soldiers near the front line\n"
        "Image source, Getty Images\n\n"
        f"{STORY}"
    )
    assert clean_text(raw).body == STORY


def test_the_byline_is_kept_apart_from_the_body():
    byline = "By JANE DOE and John Roe, Associated Press"
    cleaned = clean_text(f"Russia claims Toretsk\n{byline}\n{STORY}")
    assert cleaned.byline == "JANE DOE and John Roe, Associated Press"
    assert "Associated Press" not in cleaned.body


def test_a_sentence_beginning_with_by_is_not_taken_for_a_byline():
    body = "By Tuesday, Russian forces had advanced two kilometres.\n\n" + STORY
    cleaned = clean_text("Russia advances\n\n" + body)
    assert cleaned.byline == ""
    assert cleaned.body == body


def test_updated_and_published_lines_give_the_publication_time_and_leave_the_body():
    raw = (
        "Russia claims Toretsk\n"
        "Published 10:02 AM GMT+2, February 7, 2025\n"
        "Updated 3:14 PM GMT+2, February 7, 2025\n\n"
        f"{STORY}"
    )
    cleaned = clean_text(raw)
    assert cleaned.published_at == datetime.datetime(
        2025, 2, 7, 10, 2, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )
    assert cleaned.body == STORY


def test_a_bare_date_line_is_taken_as_the_publication_date():
    cleaned = clean_text(f"Russia claims Toretsk\nFri 7 Feb 2025 10.22 GMT\n\n{STORY}")
    assert cleaned.published_at == datetime.datetime(2025, 2, 7, 10, 22, tzinfo=datetime.UTC)
    assert cleaned.body == STORY


def test_wire_datelines_are_taken_off_the_first_paragraph():
    for dateline in (
        "KYIV, Ukraine (AP) —",
        "MOSCOW, Feb 7 (Reuters) -",
        "MOSCOW/KYIV, Feb 10 (Reuters) -",
        "Kyiv (AFP) -",
        "POKROVSK, Ukraine —",
    ):
        cleaned = clean_text(f"Russia claims Toretsk\n\n{dateline} {STORY}")
        assert cleaned.dateline == dateline[:-1].strip(" -—")
        assert cleaned.body == STORY, dateline


def test_trailing_boilerplate_is_cut():
    raw = (
        f"Russia claims Toretsk\n\n{STORY}\n\n"
        "Associated Press writer Illia Novikov in Kyiv contributed to this report.\n\n"
        "___\n\n"
        "Follow the coverage of the war at https://news.example/ukraine\n\n"
        "Related topics\nRussia-Ukraine war\nDonetsk"
    )
    assert clean_text(raw).body == STORY


def test_wire_credits_and_standards_lines_are_cut():
    raw = (
        f"{STORY}\n"
        "Reporting by Jane Doe; Editing by John Roe\n"
        "Our Standards: The Thomson Reuters Trust Principles."
    )
    assert clean_text(raw).body == STORY


def test_related_links_in_the_middle_are_dropped_and_the_story_goes_on():
    first, rest = STORY.split("\n\n", 1)
    raw = (
        f"Russia claims Toretsk\n\n{first}\n\nRelated coverage\nWhy Toretsk matters\n"
        f"What we know about Pokrovsk\n\n{rest}"
    )
    assert clean_text(raw).body == STORY


def test_advertisements_and_share_buttons_are_dropped():
    first, rest = STORY.split("\n\n", 1)
    raw = f"Russia claims Toretsk\nShare\nSave\n4 min read\n\n{first}\n\nAdvertisement\n\n{rest}"
    assert clean_text(raw).body == STORY


def test_hard_wrapped_lines_are_joined_into_paragraphs():
    raw = (
        "Russia claims Toretsk\n\n"
        "Russia's Defence Ministry said on Friday that its forces had captured\n"
        "Toretsk, a town it calls Dzerzhinsk, after months of fighting.\n\n"
        "The claim could not be independently verified."
    )
    assert clean_text(raw).body == (
        "Russia's Defence Ministry said on Friday that its forces had captured Toretsk, a town "
        "it calls Dzerzhinsk, after months of fighting.\n\n"
        "The claim could not be independently verified."
    )


def test_windows_newlines_non_breaking_spaces_and_invisible_characters_are_normalised():
    raw = "Russia claims\u00a0Toretsk\r\n\r\n\ufeff" + STORY.replace("\n", "\r\n").replace(
        "Friday", "Fri\u00adday"
    )
    cleaned = clean_text(raw)
    assert cleaned.headline == "Russia claims Toretsk"
    assert cleaned.body == STORY


def test_dates_without_a_year_are_not_guessed():
    assert parse_when("Updated 2 hours ago") is None


def test_a_date_line_run_together_with_an_update_note_is_read_and_dropped():
    raw = f"Russia claims Toretsk\nJanuary 5, 20253:12 PM GMT+1Updated 2 hours ago\n\n{STORY}"
    cleaned = clean_text(raw)
    assert cleaned.published_at == datetime.datetime(
        2025, 1, 5, 15, 12, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )
    assert cleaned.body == STORY


def test_the_dateline_is_found_below_a_leftover_line():
    cleaned = clean_text(f"Russia claims Toretsk\n\nKyiv bureau\n\nKYIV, Jan 5 (Reuters) - {STORY}")
    assert cleaned.dateline == "KYIV, Jan 5 (Reuters)"
    assert cleaned.body == "Kyiv bureau\n\n" + STORY


# --- article metadata ------------------------------------------------------------------------


def test_a_name_line_between_the_headline_and_the_story_is_the_byline():
    cleaned = clean_text(
        "Russian forces inch closer to Pokrovsk\nOlena Hrytsenko\n"
        "KYIV, Ukraine (AP) — Russian troops pressed their offensive toward the city on Monday, "
        "and the city's authorities urged the last families to leave."
    )
    assert cleaned.byline == "Olena Hrytsenko"
    assert cleaned.headline == "Russian forces inch closer to Pokrovsk"
    assert not cleaned.body.startswith("Olena")


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        (
            "Headline here\n\nKYIV, Ukraine (AP) — Russia said it took a village on Friday.",
            "The Associated Press",
        ),
        (
            "Headline here\n\nMOSCOW, Feb 7 (Reuters) - Russia said it took a village on Friday.",
            "Reuters",
        ),
        (
            "Headline\n\nRussia said it took a village.\n\nReuters contributed to this report.",
            "Reuters",
        ),
        (
            "Headline\n\nRussia said it took a village. The BBC has not been able to verify it.",
            "BBC News",
        ),
        (
            "Headline here\nBy Sofia Lind\nAssociated Press\n\nRussia said it took a village.",
            "The Associated Press",
        ),
        ("Headline here\n\nRussia said it took a village on Friday.", ""),
    ],
)
def test_the_outlet_is_told_from_datelines_credits_and_mentions(text, outlet):
    assert clean_text(text).outlet == outlet


def test_a_headline_made_from_a_long_first_sentence_is_cut_at_a_clause_without_an_ellipsis():
    body = (
        "Russia's Defence Ministry said on Friday that its troops had taken full control of "
        "Toretsk, a town in eastern Ukraine that Moscow still calls by its Soviet-era name, "
        "Dzerzhinsk, after weeks of fighting."
    )
    headline = derive_headline(body)
    assert headline == (
        "Russia's Defence Ministry said on Friday that its troops had taken full control of Toretsk"
    )
    assert not headline.endswith("…")
