"""The locator map is drawn from coordinates alone, inside its frame, north up."""

from types import SimpleNamespace

from claims.site.locator_map import HEIGHT, WIDTH, locator_map


def place(name, lat, lon, kind="town"):
    return SimpleNamespace(
        name=name,
        slug=name.lower(),
        latitude=lat,
        longitude=lon,
        kind=kind,
        has_coordinates=lat is not None,
    )


def test_no_map_without_coordinates():
    assert locator_map([place("Nowhere", None, None)]) is None
    assert locator_map([]) is None


def test_places_fall_inside_the_frame_with_north_up_and_east_right():
    drawn = locator_map(
        [
            place("Toretsk", 48.398, 37.848),
            place("Pokrovsk", 48.282, 37.176),
            place("Chasiv Yar", 48.586, 37.835),
        ]
    )
    by_name = {p.name: p for p in drawn.points}
    for point in drawn.points:
        assert 0 < point.x < WIDTH and 0 < point.y < HEIGHT
    assert by_name["Chasiv Yar"].y < by_name["Toretsk"].y  # further north is higher up
    assert by_name["Pokrovsk"].x < by_name["Toretsk"].x  # further west is further left
    assert drawn.scale_km > 0 and 0 < drawn.scale_px < WIDTH
    assert "Toretsk (48.398° N, 37.848° E)" in drawn.description


def test_a_single_place_gets_a_map_around_it():
    drawn = locator_map([place("Toretsk", 48.398, 37.848)])
    (point,) = drawn.points
    assert (point.x, point.y) == (WIDTH / 2, HEIGHT / 2)
    assert drawn.graticule


def test_regions_are_labels_not_dots():
    drawn = locator_map([place("Donetsk region", 48.0, 37.8, kind="region")])
    assert drawn.points[0].is_region


def test_a_region_label_moves_off_the_towns_it_would_cover():
    from claims.site.locator_map import _label_box, _overlap

    drawn = locator_map(
        [
            place("Donetsk region", 48.0, 37.8, kind="region"),
            place("Kurakhove", 47.985, 37.280),
            place("Avdiivka", 48.139, 37.743),
            place("Pokrovsk", 48.282, 37.176),
            place("Toretsk", 48.398, 37.848),
            place("Velyka Novosilka", 47.843, 36.833),
        ]
    )
    region = next(p for p in drawn.points if p.is_region)
    towns = [p for p in drawn.points if not p.is_region]
    assert not region.label_hidden
    for town in towns:
        assert not _overlap(_label_box(region), _label_box(town)), town.name


def test_a_region_label_with_no_room_near_its_centre_is_left_out():
    towns = [
        place(f"Town number {i}", 48.0 + dy, 37.8 + dx, kind="town")
        for i, (dy, dx) in enumerate(
            [
                (0, -0.05),
                (0.02, 0.0),
                (-0.02, 0.0),
                (0.04, -0.1),
                (-0.04, -0.1),
                (0.0, 0.12),
                (0.06, 0.05),
                (-0.06, 0.05),
            ]
        )
    ]
    drawn = locator_map([place("Donetsk region", 48.0, 37.8, kind="region"), *towns])
    assert next(p for p in drawn.points if p.is_region).label_hidden
