"""Hostile editor input (tests/hostile/corpus.py) stays inert in a real browser and is shown
as typed: tests/hostile/test_rendering.py parses the HTML; this loads the same desk in
headless Chromium.

For each payload, every reader-visible text field of a published explainer, its claims,
sources, place, verifications, evidence, correction and a standing page holds the payload
(`build_hostile_desk`), and the reader pages showing them are loaded. On each page: no
dialog opened, no payload script ran (each would set `window.__pwned` and the title
"PWNED"), no element carries an on* attribute or a link or source with a scheme other than
http(s)/mailto, the only scripts are JSON-LD, and the payload's text is there, intact.

The Content-Security-Policy is switched off in this browser (`bypass_csp`), so that the
escaping is tested on its own: with the policy on, an injected script would be blocked
anyway and this test could not tell (tests/browser/test_content_security_policy.py proves
the policy).
"""

from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import models

from claims.models import AuditEvent
from claims.web.search import clean_query

from ..hostile.conftest import build_hostile_desk
from ..hostile.corpus import PAYLOADS, PWNED

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def pages_and_texts(desk, payload):
    """The pages to load, each with an element (by selector) and the text it must show.
    The search box shows the query as the search read it (control and spacing characters
    become spaces, at most 200 characters)."""
    return [
        ("/", ".item-list h3 a", desk.explainer.title),
        (f"/explainers/{desk.explainer.slug}/", "h1", desk.explainer.title),
        (desk.claim.get_absolute_url(), "h1", desk.claim.statement),
        (desk.other.get_absolute_url(), "blockquote.quote p", f"“{desk.other.quote}”"),
        (f"/sources/{desk.claimant.slug}/", "h1", desk.claimant.name),
        (f"/places/{desk.place.slug}/", "h1", desk.place.name),
        ("/search/?q=" + quote(payload[:200]), "#search-q", clean_query(payload[:200])[0]),
        ("/about/corrections-policy/", "h1", desk.page.title),
    ]


# Run in the page: everything on it that could run script.
ACTIVE_CONTENT = """
() => {
    const problems = [];
    const safe = ["http:", "https:", "mailto:"];
    for (const el of document.querySelectorAll("*")) {
        for (const attr of el.attributes) {
            if (attr.name.startsWith("on")) {
                problems.push(`${attr.name} on <${el.localName}>`);
            }
            if (["href", "src", "action", "formaction", "xlink:href"].includes(attr.name)) {
                const scheme = new URL(attr.value, document.baseURI).protocol;
                if (!safe.includes(scheme)) {
                    problems.push(`${attr.name}=${attr.value.slice(0, 60)} on <${el.localName}>`);
                }
            }
        }
        if (el.localName === "script" && el.type !== "application/ld+json") {
            problems.push(`<script> ${el.outerHTML.slice(0, 80)}`);
        }
        if (["iframe", "object", "embed", "frame", "base"].includes(el.localName)) {
            problems.push(`<${el.localName}>`);
        }
    }
    return problems;
}
"""


def fields_holding(payload):
    """The editor fields ("Model.field") whose stored value is the payload (or as much of it
    as the field takes), across the desk's models. The audit trail is left out: it copies
    the payload (object names, notes), but nobody types into it and readers never see it."""
    found = set()
    probe = payload[:60]
    for model in apps.get_app_config("claims").get_models():
        if model is AuditEvent:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                if field.name in ("slug", "sha256", "content_hash"):
                    continue
                if model.objects.filter(**{f"{field.name}__startswith": probe}).exists():
                    found.add(f"{model.__name__}.{field.name}")
    return found


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_hostile_text_runs_nothing_in_chromium_and_is_shown_as_typed(
    name, browse, factchecker, editor
):
    payload = PAYLOADS[name]
    desk = build_hostile_desk(payload, factchecker=factchecker, editor=editor)
    fields = fields_holding(payload)
    assert len(fields) >= 25, sorted(fields)

    page = browse(bypass_csp=True)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    problems = []
    checked = pages_and_texts(desk, payload)
    for path, selector, expected in checked:
        response = page.goto(path)
        if response.status != 200:
            problems.append(f"{path}: HTTP {response.status}")
            continue
        # Give any injected handler (autofocus/onfocus, onerror) the chance to fire.
        page.mouse.move(200, 200)
        page.wait_for_timeout(50)
        ran = page.evaluate("() => window.__pwned !== undefined")
        if ran or page.title() == PWNED:
            problems.append(f"{path}: a payload script ran")
        problems += [f"{path}: {item}" for item in page.evaluate(ACTIVE_CONTENT)]
        element = page.locator(selector).first
        is_input = element.evaluate("el => el.localName === 'input'")
        shown = element.input_value() if is_input else element.text_content()
        if shown != expected:
            problems.append(f"{path}: {selector} shows {shown[:80]!r}, not the text as typed")
        if expected.strip() and not element.is_visible():
            problems.append(f"{path}: {selector} is not visible")
    problems += [f"dialog opened: {message}" for message in dialogs]
    print(
        f"hostile input {name!r}: {len(fields)} fields × {len(checked)} pages in Chromium, "
        f"{len(problems)} problems"
    )
    assert not problems, "\n".join(problems)
