"""The Jinja2 port of the explainer's claim cards, which `manage.py template_engines` times
against Django templates (claims/devtools/jinja_compare/): a timing means something only if
both engines give the same page, hostile text escaped alike."""

from io import StringIO

import pytest
from django.core.management import call_command

from claims import selectors
from claims.devtools.jinja_compare import card_renderers, same_markup
from claims.models import ExplainerClaim
from tests import factories

pytestmark = pytest.mark.django_db


def test_both_engines_render_the_same_cards(desk, publish_verification):
    hostile = factories.ClaimFactory(
        statement='<script>alert("statement")</script> & more',
        quote='"><img src=x onerror=alert(1)>',
    )
    publish_verification(hostile, verdict="false", rationale="**No.** <script>x</script> " * 40)
    ExplainerClaim.objects.create(
        explainer=desk.explainer, claim=hostile, position=3, context_note="<b>bold</b> *note*"
    )
    entries = list(selectors.explainer_claims_for_readers(desk.explainer))
    assert len(entries) == 4
    with_django, with_jinja = card_renderers()
    for entry in entries:
        django_card = with_django(entry.claim, entry.context_note)
        assert same_markup(django_card) == same_markup(with_jinja(entry.claim, entry.context_note))
    # What the cards show, so that the comparison covers it: evidence with its file and
    # links, an appearance, dimensions, a context note, a long rationale cut short, escaping.
    pages = "".join(with_django(e.claim, e.context_note) for e in entries)
    for shown in ("Imagery of the town centre", "Moscow claims capture of Toretsk",
                  "Maps disagree", "<em>answer</em>", "The rationale in full",
                  "&lt;script&gt;alert(&quot;statement&quot;)"):  # fmt: skip
        assert shown in pages, shown
    assert "<script>" not in pages and "<img src=x" not in pages


def test_the_command_times_both_engines(desk):
    out = StringIO()
    call_command("template_engines", "--slug", desk.explainer.slug, "-n", "2", stdout=out)
    text = out.getvalue()
    assert "3 claim cards of 'why-toretsk-matters', the same markup from both engines" in text
    assert "Django templates" in text and "Jinja2" in text
