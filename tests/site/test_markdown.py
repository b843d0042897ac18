"""Editor Markdown comes out as safe HTML: no raw HTML, no script URLs, no event handlers."""

import pytest
from django.utils.safestring import SafeString

from claims.web.markdown import render_markdown

from .helpers import active_content

XSS_PAYLOADS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    '![x" onerror="alert(1)](https://img.example/a.png)',
    "<iframe src=https://evil.example></iframe>",
    '<svg onload="alert(1)"></svg>',
    "<style>body{display:none}</style>",
    '[a](https://ok.example "title" onmouseover="alert(1)")',
    "<!-- <script>alert(1)</script> -->",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_come_out_inert(payload):
    assert active_content(render_markdown(payload)) == []


def test_raw_html_is_shown_as_text_not_markup():
    html = render_markdown("Before <b>bold</b> after")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_ordinary_markdown_keeps_its_formatting():
    html = render_markdown("Some **strong** and *em* text with [a link](https://news.example/a).")
    assert "<strong>strong</strong>" in html
    assert "<em>em</em>" in html
    assert 'href="https://news.example/a"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_headings_are_shifted_below_the_page_title():
    html = render_markdown("# Background\n\n## Detail", top_heading=2)
    assert "<h2>Background</h2>" in html
    assert "<h3>Detail</h3>" in html
    assert "<h1" not in html


def test_images_become_links_so_no_third_party_request_is_made():
    html = render_markdown("![The front line](https://maps.example/line.png)")
    assert "<img" not in html
    assert '<a href="https://maps.example/line.png"' in html
    assert "The front line (image)" in html


def test_tables_render():
    html = render_markdown("| Town | Held by |\n|---|---|\n| Toretsk | disputed |")
    assert "<table>" in html and "<td>Toretsk</td>" in html


def test_result_is_marked_safe_and_empty_text_is_empty():
    assert isinstance(render_markdown("hello"), SafeString)
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_the_inertness_check_itself_catches_active_content():
    assert active_content('<img src="x" onerror="alert(1)">')
    assert active_content('<a href="javascript:alert(1)">x</a>')
    assert active_content("<script>alert(1)</script>")
    assert active_content('<p><a href="https://ok.example">fine</a></p>') == []


def test_headings_start_at_the_top_level_whatever_level_the_editor_began_with():
    assert render_markdown("## Background\n\n### Detail", top_heading=2).startswith(
        "<h2>Background</h2>"
    )
    assert "<h6>" in render_markdown("# a\n\n###### deep", top_heading=2)  # capped at h6


def test_markdown_as_plain_text_for_snippets_and_structured_data():
    from claims.web.markdown import markdown_to_text

    assert markdown_to_text("## Heading\n\nSome **bold** & [a link](https://x.example).") == (
        "Heading Some bold & a link."
    )
    assert markdown_to_text("<script>alert(1)</script>") == "<script>alert(1)</script>"


def test_rendered_texts_are_remembered_only_up_to_a_size():
    """Each worker keeps rendered Markdown in memory; a huge pasted text is rendered each time
    rather than kept, so the memory a worker holds stays bounded."""
    from claims.web import markdown

    markdown._sanitized_html.cache_clear()
    short = "A *short* note."
    huge = "word " * (markdown.CACHED_TEXT_LIMIT // 5 + 1)
    assert render_markdown(short) == render_markdown(short) == "<p>A <em>short</em> note.</p>\n"
    assert "<p>word word" in render_markdown(huge)
    info = markdown._sanitized_html.cache_info()
    assert (info.hits, info.currsize) == (1, 1)
