"""Screenshots of the demo desk, for people rather than for assertions.

Every run writes the home, explainer and claim pages, whole, at 360 px and 1280 px wide to
artifacts/screenshots/ (not committed), so a reviewer can look at what a change did.

With `README_SCREENSHOTS=<folder>` (what `make screenshots` sets, to docs/screenshots), it
also writes the two pictures the README shows: the top of the explainer and the desk's
dashboard, at 1280 × 900.
"""

import os
import struct
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "screenshots"
WIDTHS = (360, 1280)
DESKTOP = {"width": 1280, "height": 900}


def png_size(path):
    """Width and height of a PNG, from its header."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_home_explainer_and_claim_pages_are_photographed_at_360_and_1280_px(browse, demo_desk):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "home": demo_desk.home,
        "explainer": demo_desk.explainer_path,
        "claim": demo_desk.claim_path,
    }
    written = []
    for width in WIDTHS:
        page = browse(viewport={"width": width, "height": 800})
        for name, path in pages.items():
            assert page.goto(path).status == 200
            target = ARTIFACTS / f"{name}-{width}.png"
            page.screenshot(path=target, full_page=True)
            shot_width, shot_height = png_size(target)
            assert shot_width == width and shot_height >= 800, (target, shot_width, shot_height)
            written.append(target.relative_to(ROOT))
    print("screenshots:", ", ".join(map(str, written)))


@pytest.mark.skipif(
    not os.environ.get("README_SCREENSHOTS"),
    reason="writes the README's screenshots only when asked (make screenshots)",
)
def test_the_readmes_screenshots_are_regenerated(browse, demo_desk):
    folder = ROOT / os.environ["README_SCREENSHOTS"]
    folder.mkdir(parents=True, exist_ok=True)

    reader = browse(viewport=DESKTOP)
    reader.goto(demo_desk.explainer_path)
    reader.screenshot(path=folder / "explainer.png")

    desk = browse(viewport=DESKTOP)
    browse.login(desk, demo_desk.editor)
    assert desk.locator(".desk-queue").count() >= 4
    assert desk.get_by_text("Assigned to me").count() >= 1
    desk.screenshot(path=folder / "desk-dashboard.png")

    for name in ("explainer.png", "desk-dashboard.png"):
        assert png_size(folder / name) == (DESKTOP["width"], DESKTOP["height"])
