"""axe-core (shipped inside the axe-playwright-python package, nothing from a CDN) on the
reader site's main pages and the desk's main pages, with the demo desk loaded: no violation
of serious or critical impact, and no text the colour of its background (which axe only
lists for review). Each page's summary is printed and written to
artifacts/accessibility-*.txt (not committed)."""

from pathlib import Path

import pytest
from django.urls import reverse

from claims.models import Explainer

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

axe_playwright = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="needs axe-playwright-python (dev extras)"
)

BLOCKING = ("serious", "critical")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def invisible_text(incomplete):
    """Text axe left for review because it has the colour of its background (1:1), which
    is how an unreadable heading looks to it; reported as a serious contrast failure."""
    for result in incomplete:
        if result["id"] != "color-contrast":
            continue
        nodes = [
            node
            for node in result["nodes"]
            if any(
                (check.get("data") or {}).get("messageKey") == "equalRatio" for check in node["any"]
            )
        ]
        if nodes:
            yield {**result, "id": "color-contrast (1:1)", "impact": "serious", "nodes": nodes}


def audit(page, path):
    """Load `path`, run axe on it; a one-line summary and the blocking violations."""
    response = page.goto(path)
    assert response.status == 200, (path, response.status)
    results = (
        axe_playwright.Axe()
        .run(page, options={"resultTypes": ["violations", "incomplete"]})
        .response
    )
    violations = results["violations"] + list(invisible_text(results["incomplete"]))
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    others = sorted(f"{v['id']} ({v['impact']})" for v in violations if v not in blocking)
    summary = (
        f"{path}: {len(blocking)} serious or critical"
        f"{'; also ' + ', '.join(others) if others else ''}"
    )
    details = [
        f"{path}: {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in blocking
    ]
    return summary, details


def report(name, results):
    """Print and save the pages' summaries; return the blocking violations' details."""
    lines = [f"axe-core, {name}:"] + [f"  {summary}" for summary, _ in results]
    print("\n".join(lines))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"accessibility-{name}.txt").write_text("\n".join(lines) + "\n")
    return [line for _, details in results for line in details]


def test_reader_pages_have_no_serious_accessibility_violations(browse, demo_desk):
    page = browse()
    paths = [
        demo_desk.home,
        demo_desk.explainer_path,
        demo_desk.claim_path,
        demo_desk.place_path,
        demo_desk.source_path,
        reverse("site:search") + "?q=Dzerzhynsk",
        reverse("site:search") + "?q=Dzerzhynk",  # a near match: "Did you mean …?"
        reverse("site:methodology"),
    ]
    results = [audit(page, path) for path in paths]
    blocking = report("reader-site", results)
    assert not blocking, "\n".join(blocking)


def test_desk_pages_have_no_serious_accessibility_violations(browse, demo_desk):
    draft_explainer = Explainer.objects.exclude(status=Explainer.Status.PUBLISHED).first()
    assert draft_explainer is not None, "the demo desk has a draft explainer"
    page = browse()
    results = [audit(page, reverse("admin:login"))]
    browse.login(page, demo_desk.editor)
    paths = [
        reverse("admin:index"),
        reverse("admin:claims_claim_changelist"),
        reverse("admin:claims_claim_change", args=[demo_desk.claim.pk]),
        reverse("admin:claims_verification_change", args=[demo_desk.verification.pk]),
        reverse("admin:claims_verification_change", args=[demo_desk.unpublished.pk]),
        reverse("admin:claims_explainer_change", args=[demo_desk.explainer.pk]),
        # A draft: its change page has Preview, and its workflow steps ask before acting.
        reverse("admin:claims_explainer_change", args=[draft_explainer.pk]),
        reverse("admin:claims_article_import"),
        reverse("admin:desk_notifications"),
        # Merging a duplicate: the form that picks the claim to keep.
        reverse("admin:claims_claim_merge", args=[demo_desk.claim.pk]),
        # The record of past merges.
        reverse("admin:claims_mergedclaim_changelist"),
    ]
    results += [audit(page, path) for path in paths]
    blocking = report("desk", results)
    assert not blocking, "\n".join(blocking)
