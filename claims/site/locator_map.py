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
    # A region's coordinates are its middle, not a spot: it is drawn as a label only.
    is_region: bool = False


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
            point.label_anchor, point.label_dx = "middle", 0
        elif point.x > WIDTH * 0.6:
            point.label_anchor, point.label_dx = "end", -7

    graticule = []
    visible_lon = (WIDTH / 2) / (x_factor * scale)
    visible_lat = (HEIGHT / 2) / scale
    step = _nice_step(2 * visible_lat)
    lat = math.floor((centre_lat - visible_lat) / step) * step
    while lat <= centre_lat + visible_lat:
        _, y = project(lat, centre_lon)
        if 0 < y < HEIGHT:
            graticule.append(
                (0, y, WIDTH, y, f"{lat:.2f}".rstrip("0").rstrip(".") + "° N", 3, y - 3)
            )
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
