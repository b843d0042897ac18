"""A small locator map of places, drawn from their coordinates as inline SVG (no tiles).

The map is an equirectangular projection around the places' centre, scaled by the cosine of
the latitude so distances east–west look right, with a graticule, a scale bar and the places
as labelled dots. It is data for the template (`site/includes/locator_map.html`) to draw.
"""

import math
from dataclasses import dataclass, field

WIDTH = 320
HEIGHT = 240
MARGIN = 28
KM_PER_DEGREE_LATITUDE = 111.32
# With one place, or places very close together, show at least this much around them.
MIN_SPAN_DEGREES = 0.4
# Roughly how wide one character of a 12 px label is, and how tall the label is, for
# keeping a region's label off the towns' dots and labels.
LABEL_CHAR_WIDTH = 7
LABEL_HEIGHT = 12
# The scale bar and its caption fill the bottom-left corner up to this height.
SCALE_BAR_TOP = HEIGHT - 36


@dataclass
class MapPoint:
    name: str
    slug: str
    latitude: float
    longitude: float
    x: float = 0
    y: float = 0
    label_anchor: str = "start"
    label_dx: int = 7
    label_dy: int = 4
    # A region's coordinates are its middle, not a spot: it is drawn as a label only, and
    # not at all when its label would cover the towns' (the caption still names it).
    is_region: bool = False
    label_hidden: bool = False


@dataclass
class LocatorMap:
    width: int
    height: int
    points: list
    graticule: list = field(default_factory=list)  # (x1, y1, x2, y2, label, label x, label y)
    scale_km: int = 0
    scale_px: float = 0

    @property
    def description(self):
        names = ", ".join(
            f"{p.name} ({p.latitude:.3f}° N, {p.longitude:.3f}° E)" for p in self.points
        )
        return f"Locator map of {names}."


def _label_box(point):
    """(left, top, right, bottom) of the point's label, as drawn by the template (a region's
    label is letter-spaced)."""
    width = len(point.name) * (LABEL_CHAR_WIDTH + (1 if point.is_region else 0))
    start = point.x + point.label_dx
    left = {"start": start, "end": start - width}.get(point.label_anchor, start - width / 2)
    baseline = point.y + point.label_dy
    return left, baseline - LABEL_HEIGHT + 2, left + width, baseline + 2


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# Where a region's label may go, nearest its centre first: (dx, dy) in pixels. Further off,
# it would seem to name another spot.
_REGION_LABEL_SPOTS = sorted(
    ((dx, 4 + dy) for dx in (0, -20, 20, -40, 40) for dy in range(-28, 29, 14)),
    key=lambda spot: abs(spot[0]) + abs(spot[1] - 4),
)


def _place_region_labels(points):
    """Move each region's label a little from its centre, nearest first, until it covers no
    town's dot or label and stays inside the frame; hide it if no such spot exists."""
    towns = [p for p in points if not p.is_region]
    taken = [_label_box(p) for p in towns] + [(p.x - 6, p.y - 6, p.x + 6, p.y + 6) for p in towns]
    for region in (p for p in points if p.is_region):
        for dx, dy in _REGION_LABEL_SPOTS:
            region.label_dx, region.label_dy = dx, dy
            box = _label_box(region)
            inside = box[0] > 0 and box[2] < WIDTH and box[1] > 0 and box[3] < SCALE_BAR_TOP
            if inside and not any(_overlap(box, other) for other in taken):
                break
        else:
            region.label_dx, region.label_dy, region.label_hidden = 0, 4, True


def _nice_step(span):
    for step in (0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10):
        if span / step <= 4:
            return step
    return 20


def _nice_km(km):
    for value in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if value >= km:
            return value
    return 1000


def locator_map(places):
    """A `LocatorMap` of the `places` that have coordinates, or None if none has."""
    points = [
        MapPoint(
            p.name, p.slug, float(p.latitude), float(p.longitude), is_region=p.kind == "region"
        )
        for p in places
        if p.has_coordinates
    ]
    if not points:
        return None
    lat_min = min(p.latitude for p in points)
    lat_max = max(p.latitude for p in points)
    lon_min = min(p.longitude for p in points)
    lon_max = max(p.longitude for p in points)
    centre_lat = (lat_min + lat_max) / 2
    centre_lon = (lon_min + lon_max) / 2
    x_factor = math.cos(math.radians(centre_lat)) or 1e-6

    # Spans in "projected degrees", padded and at least MIN_SPAN, then fitted to the frame.
    span_x = max((lon_max - lon_min) * x_factor, MIN_SPAN_DEGREES) * 1.3
    span_y = max(lat_max - lat_min, MIN_SPAN_DEGREES) * 1.3
    inner_w, inner_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    scale = min(inner_w / span_x, inner_h / span_y)  # pixels per projected degree

    def project(lat, lon):
        x = WIDTH / 2 + (lon - centre_lon) * x_factor * scale
        y = HEIGHT / 2 - (lat - centre_lat) * scale
        return round(x, 1), round(y, 1)

    for point in points:
        point.x, point.y = project(point.latitude, point.longitude)
        if point.is_region:
            point.label_anchor = "middle"
        elif point.x > WIDTH * 0.6:
            point.label_anchor, point.label_dx = "end", -7
    _place_region_labels(points)

    graticule = []
    visible_lon = (WIDTH / 2) / (x_factor * scale)
    visible_lat = (HEIGHT / 2) / scale
    step = _nice_step(2 * visible_lat)
    lat = math.floor((centre_lat - visible_lat) / step) * step
    while lat <= centre_lat + visible_lat:
        _, y = project(lat, centre_lon)
        if 0 < y < HEIGHT:
            # No label where the scale bar would cover it.
            label = f"{lat:.2f}".rstrip("0").rstrip(".") + "° N" if y < SCALE_BAR_TOP else ""
            graticule.append((0, y, WIDTH, y, label, 3, y - 3))
        lat += step
    step = _nice_step(2 * visible_lon)
    lon = math.floor((centre_lon - visible_lon) / step) * step
    while lon <= centre_lon + visible_lon:
        x, _ = project(centre_lat, lon)
        if 0 < x < WIDTH:
            graticule.append(
                (x, 0, x, HEIGHT, f"{lon:.2f}".rstrip("0").rstrip(".") + "° E", x + 3, HEIGHT - 4)
            )
        lon += step

    km_per_px = KM_PER_DEGREE_LATITUDE / scale
    scale_km = _nice_km(km_per_px * WIDTH / 4)
    return LocatorMap(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        graticule=graticule,
        scale_km=scale_km,
        scale_px=round(scale_km / km_per_px, 1),
    )
