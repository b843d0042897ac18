"""The picture a live explainer is shared with: a 1200 × 630 PNG of its title and how its
claims stand, named with absolute addresses and alt text in the page's og: and twitter: tags,
and never made for an explainer readers cannot see."""

import io
import re

import pytest
from PIL import Image

from claims.site import share

pytestmark = pytest.mark.django_db

EXPLAINER = "/explainers/why-toretsk-matters/"


def meta(html, key):
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return found and found.group(1)


def test_the_explainer_page_names_its_picture_and_says_what_it_shows(client, desk):
    html = client.get(EXPLAINER).content.decode()

    image = meta(html, "og:image")
    assert image == f"http://testserver{EXPLAINER}share.png"
    assert meta(html, "twitter:image") == image
    assert meta(html, "twitter:card") == "summary_large_image"
    claims = [entry.claim for entry in desk.explainer.explainer_claims.all()]
    alt = meta(html, "og:image:alt")
    assert (
        alt
        == meta(html, "twitter:image:alt")
        == share.alt_text(desk.explainer, [claim.current_verdict for claim in claims])
    )
    assert alt.startswith("Why Toretsk matters: 3 claims, ")
    for label, count, _ in share.verdict_tally(claims):
        assert f"{count} {label}" in alt


def test_the_picture_is_a_png_social_networks_take(client, desk):
    response = client.get(f"{EXPLAINER}share.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    picture = Image.open(io.BytesIO(response.content))
    assert picture.format == "PNG" and picture.size == (1200, 630)
    assert len(response.content) < 200_000  # what the networks fetch quickly
    assert response.get("ETag")  # kept and revalidated like the page


def test_no_picture_of_an_explainer_readers_cannot_see(client, desk):
    assert client.get("/explainers/draft-explainer/share.png").status_code == 404
    assert client.get("/explainers/no-such-thing/share.png").status_code == 404


def test_a_draft_in_preview_names_no_picture(client, desk, editor):
    client.force_login(editor)
    html = client.get("/explainers/draft-explainer/").content.decode()
    assert meta(html, "og:image") is None
    assert meta(html, "twitter:card") == "summary"


def test_the_picture_is_drawn_as_expected(desk, tmp_path):
    """Written to artifacts/ for a person to look at; the drawing itself is Pillow's."""
    from pathlib import Path

    claims = [entry.claim for entry in desk.explainer.explainer_claims.all()]
    png = share.share_png(desk.explainer, claims, site_name="The Claims Desk")
    out = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    (out / "explainer-share-image.png").write_bytes(png)
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    # The verdict chips are drawn in the reader site's colours.
    colours = {picture.getpixel((x, y)) for x in range(0, 1200, 8) for y in range(360, 630, 8)}
    for _, _, value in share.verdict_tally(claims):
        background = share.COLOURS[value][1].lstrip("#")
        assert tuple(int(background[i : i + 2], 16) for i in (0, 2, 4)) in colours, value
