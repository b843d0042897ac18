"""The picture a live explainer is shared with (`og:image`, `twitter:image`): its title and
how its claims stand, verdict by verdict, drawn with Pillow at the 1200 × 630 social networks
ask for, with the same words as its alt text for those who cannot see it.

It is drawn from what readers see (the explainer's claims as the page lists them), when it is
first asked for after a change, and kept in the reader cache like the page itself.
"""

import io
import textwrap
from collections import Counter

from PIL import Image, ImageDraw, ImageFont

from claims.verdicts import SCALE

WIDTH, HEIGHT = 1200, 630
MARGIN = 64

# The reader site's verdict colours (static/site/site.css): text on background.
COLOURS = {
    "confirmed": ("#0d5524", "#e5f3e9"),
    "likely_true": ("#22581f", "#edf6e4"),
    "unconfirmed": ("#5a4400", "#fff4cc"),
    "disputed": ("#6a3500", "#fde8d3"),
    "misleading": ("#7a2a00", "#fde2d6"),
    "likely_false": ("#8a1a1a", "#fbe4e4"),
    "false": ("#ffffff", "#8a1a1a"),
    "": ("#3d3d3d", "#eeeeee"),
}
INK, PAPER, RULE = "#1a1a1a", "#ffffff", "#1f3a5f"


def verdict_tally(claims):
    """[(label, count, value)] for the verdicts of `claims`, in the scale's order, then those
    not yet assessed."""
    return tally_of([claim.current_verdict for claim in claims])


def tally_of(verdicts):
    """`verdict_tally`, of claims' current verdicts ("" for a claim not yet assessed)."""
    counts = Counter(verdict or "" for verdict in verdicts)
    tally = [(info.label, counts[info.value], info.value) for info in SCALE if counts[info.value]]
    if counts[""]:
        tally.append(("Not yet assessed", counts[""], ""))
    return tally


def alt_text(explainer, verdicts):
    """What the picture shows, in words: `verdicts` are its claims' current verdicts."""
    tally = tally_of(verdicts)
    total = sum(count for _, count, _ in tally)
    if not total:
        return f"{explainer.title}: an explainer."
    noun = "claim" if total == 1 else "claims"
    parts = ", ".join(f"{count} {label}" for label, count, _ in tally)
    return f"{explainer.title}: {total} {noun}, {parts}."


def share_png(explainer, claims, *, site_name):
    """The picture as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 14), fill=RULE)
    small, title_font = ImageFont.load_default(size=30), ImageFont.load_default(size=60)

    draw.text((MARGIN, 48), site_name, font=small, fill=RULE)
    y = 110
    for line in textwrap.wrap(explainer.title, width=32)[:3]:
        draw.text((MARGIN, y), line, font=title_font, fill=INK)
        y += 74
    for line in textwrap.wrap(explainer.standfirst, width=64)[:2]:
        draw.text((MARGIN, y + 12), line, font=small, fill="#4a4a4a")
        y += 40

    tally = verdict_tally(claims)
    total = sum(count for _, count, _ in tally)
    if total:
        y = max(y + 24, 360)
        noun = "claim" if total == 1 else "claims"
        draw.text((MARGIN, y), f"Its {total} {noun}:", font=small, fill=INK)
        x, y = MARGIN, y + 52
        for label, count, value in tally:
            text = f"{count} {label}"
            ink, background = COLOURS[value]
            right = x + int(draw.textlength(text, font=small)) + 32
            if right > WIDTH - MARGIN:
                x, y = MARGIN, y + 62
                right = x + int(draw.textlength(text, font=small)) + 32
            if y > HEIGHT - 60:
                break
            draw.rounded_rectangle((x, y, right, y + 48), radius=10, fill=background)
            draw.text((x + 16, y + 8), text, font=small, fill=ink)
            x = right + 16

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
