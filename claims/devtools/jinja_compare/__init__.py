"""Django templates against Jinja2 (Django's built-in `Jinja2` backend) on the reader site's
heaviest template: an explainer's claim cards (issue 19, point 4).

`templates/claim_card.jinja` is templates/site/includes/claim_card.html with the includes and
inclusion tags it uses, written for Jinja2 with the same markup and the same Python filters
(claims/templatetags/reader_site.py, django.template.defaultfilters). `manage.py
template_engines` renders every card of an explainer with both engines from the same rows,
checks that both give the same markup, and times them. The reader site itself uses Django
templates only; this is a measurement, kept in the developer tools.
"""

import re
from pathlib import Path

from django.template import defaultfilters
from django.template.backends.jinja2 import Jinja2
from django.template.loader import get_template
from django.utils.timezone import template_localtime
from jinja2 import Environment

from claims.site import presenters
from claims.templatetags import reader_site

TEMPLATES = Path(__file__).resolve().parent / "templates"


def environment(**options):
    """A Jinja2 environment with the reader site's filters, as Django templates have them:
    the filters are the same functions (Jinja2's own `wordcount`, `filesizeformat` and
    `floatformat` differ from Django's, so Django's replace them)."""
    env = Environment(**options)  # nosec B701 # Django's backend passes autoescape=True
    env.filters.update(
        {
            "markdown": reader_site.markdown,
            "markdown_in_card": reader_site.markdown_in_card,
            "local_date": reader_site.local_date,
            "html_datetime": reader_site.html_datetime,
            "attribution": reader_site.attribution,
            "verdict_history": reader_site.verdict_history,
            "web_url": reader_site.web_url,
            # Django converts a time to the reader's zone before its `date` filter sees it.
            "date": lambda value, arg=None: defaultfilters.date(template_localtime(value), arg),
            "truncatewords_html": defaultfilters.truncatewords_html,
            "wordcount": defaultfilters.wordcount,
            "floatformat": defaultfilters.floatformat,
            "filesizeformat": defaultfilters.filesizeformat,
        }
    )
    # The inclusion tags' own context builders, for the macros that stand for them.
    env.globals.update({"badge": reader_site.verdict_badge, "named": reader_site.source_name})
    return env


def jinja2_backend():
    return Jinja2(
        {
            "NAME": "jinja2-compare",
            "DIRS": [str(TEMPLATES)],
            "APP_DIRS": False,
            "OPTIONS": {"environment": "claims.devtools.jinja_compare.environment"},
        }
    )


def card_renderers():
    """(Django's, Jinja2's): each renders one claim card from (claim, context note)."""
    django_card = get_template("site/includes/claim_card.html")
    jinja_card = jinja2_backend().get_template("claim_card.jinja")

    def values(claim, note):
        return {
            "claim": claim,
            "context_note": note,
            "appearances": presenters.appearances_shown(claim),
        }

    def with_django(claim, note):
        return django_card.render(values(claim, note))

    def with_jinja(claim, note):
        return jinja_card.render(values(claim, note))

    return with_django, with_jinja


def same_markup(html):
    """`html` with runs of white space made one, and none between tags, and quotes escaped
    one way (Django writes `&#x27;` and `&quot;`, MarkupSafe `&#39;` and `&#34;`): what the
    two engines' different handling of a template's line breaks and escapes leaves alone."""
    html = html.replace("&#39;", "&#x27;").replace("&#34;", "&quot;")
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()
