"""The explainer page on a 360 px wide phone, with the demo desk's "Why Toretsk matters":
nothing scrolls sideways, every tap target is at least 24 × 24 px (or meets one of WCAG 2.2's
exceptions for 2.5.8 Target Size), and every verdict is written out, not only coloured."""

import pytest

from claims.verdicts import NOT_YET_ASSESSED, SCALE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 360, "height": 740}

# WCAG 2.2, 2.5.8 Target Size (Minimum), checked in the page. A target (link, button, form
# control) passes when its box is at least 24 × 24 px, or when
# - it is inline: in a sentence, its height set by the line of text around it; or
# - it is spaced: a 24 px circle on its centre meets no other target, nor the circle of
#   another undersized target.
# Returns how many targets there are, how many are undersized, how many of those each
# exception covers, and the offenders (those no exception covers), with their size.
UNDERSIZED_TARGETS = """
() => {
    const MIN = 24;
    const targets = [...document.querySelectorAll(
        "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex='0']"
    )].filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden"
            && !el.closest(".visually-hidden");
    });
    const boxes = new Map(targets.map((el) => [el, el.getBoundingClientRect()]));
    const small = targets.filter((el) => {
        const box = boxes.get(el);
        return box.width < MIN - 0.01 || box.height < MIN - 0.01;
    });
    function inSentence(el) {
        if (getComputedStyle(el).display !== "inline") return false;
        let block = el.parentElement;
        while (block && getComputedStyle(block).display.startsWith("inline")) {
            block = block.parentElement;
        }
        const own = el.textContent.trim().length;
        return block && block.textContent.replace(/\\s+/g, " ").trim().length > own + 3;
    }
    function centre(box) {
        return [box.left + box.width / 2, box.top + box.height / 2];
    }
    function circleMeetsBox([cx, cy], box) {
        const dx = Math.max(box.left - cx, 0, cx - box.right);
        const dy = Math.max(box.top - cy, 0, cy - box.bottom);
        return dx * dx + dy * dy < (MIN / 2) * (MIN / 2);
    }
    function spaced(el) {
        const mine = centre(boxes.get(el));
        return targets.every((other) => {
            if (other === el || other.contains(el) || el.contains(other)) return true;
            if (circleMeetsBox(mine, boxes.get(other))) return false;
            if (!small.includes(other)) return true;
            const [ox, oy] = centre(boxes.get(other));
            return Math.hypot(mine[0] - ox, mine[1] - oy) >= MIN;
        });
    }
    const inline = small.filter(inSentence);
    const spacedOut = small.filter((el) => !inSentence(el) && spaced(el));
    const offenders = small.filter((el) => !inSentence(el) && !spaced(el)).map((el) => {
        const box = boxes.get(el);
        const name = (el.textContent || el.value || el.getAttribute("aria-label") || "").trim();
        return `<${el.tagName.toLowerCase()}> "${name.slice(0, 40)}" `
            + `${box.width.toFixed(1)} × ${box.height.toFixed(1)} px`;
    });
    return {
        targets: targets.length, undersized: small.length, inline: inline.length,
        spaced: spacedOut.length, offenders,
    };
}
"""


@pytest.fixture
def phone_page(browse, demo_desk):
    page = browse(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(demo_desk.explainer_path)
    return page


def test_the_explainer_does_not_scroll_sideways_at_360_px(phone_page):
    widths = phone_page.evaluate(
        """() => {
            const root = document.scrollingElement;
            const wide = [...document.body.querySelectorAll("*")]
                .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 0.5)
                .slice(0, 5).map((el) => el.tagName + "." + el.className);
            return {scroll: root.scrollWidth, client: root.clientWidth, wide};
        }"""
    )
    assert widths["client"] == PHONE["width"]
    assert widths["scroll"] <= widths["client"], widths


def test_every_tap_target_on_the_explainer_is_big_or_spaced_enough_at_360_px(phone_page):
    found = phone_page.evaluate(UNDERSIZED_TARGETS)
    print(
        f"explainer at 360 px: {found['targets']} tap targets, {found['undersized']} under "
        f"24 × 24 px: {found['inline']} inline in text, {found['spaced']} spaced apart, "
        f"{len(found['offenders'])} with no exception"
    )
    assert found["targets"] > 50  # the page, not an error page
    assert found["offenders"] == [], "\n".join(found["offenders"])


def test_every_verdict_on_the_explainer_is_written_out_not_only_coloured(phone_page):
    badges = phone_page.locator(".verdict").all()
    labels = {info.label for info in SCALE} | {NOT_YET_ASSESSED}
    assert len(badges) >= 4
    for badge in badges:
        assert badge.is_visible()
        text = badge.inner_text().strip()
        assert any(text.endswith(label) for label in labels), text
    # The claim cards' current verdicts, as a reader without colour would read them.
    assert "Disputed" in phone_page.locator(".claim-card .current-verdict").first.inner_text()
