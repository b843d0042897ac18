"""`spot_claims --format json` and `spot_benchmark`."""

import json
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.devtools.spot_benchmark import load_labels, named_right, run_benchmark
from claims.models import Place, PlaceName

from .. import factories

SAMPLES = Path(__file__).parent / "samples"
HELDOUT = Path(__file__).parent / "heldout"

ARTICLE = """Russia claims Toretsk

KYIV, Ukraine (AP) — Russia's Defence Ministry said on Friday its forces had taken Dzerzhynsk.

"Our units hold the north-west," Ukrainian spokesman Viktor Trehubov said. \
The claim could not be independently verified.
"""


def test_spot_claims_prints_the_json_shape_for_each_file(run_command, write_file):
    ministry = factories.SourceFactory(name="Russian Defence Ministry")
    toretsk = factories.PlaceFactory(name="Toretsk")
    PlaceName.objects.create(place=toretsk, name="Dzerzhynsk")
    first = write_file("a.txt", ARTICLE)
    second = write_file("b.txt", "Nothing here.\n\nJust a line about the weather.")

    with CaptureQueriesContext(connection) as queries:
        result = run_command("spot_claims", str(first), str(second), "--format", "json")

    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
    assert result.failed is None
    one, two = (json.loads(line) for line in result.out.splitlines())
    body = (
        "Russia's Defence Ministry said on Friday its forces had taken Dzerzhynsk.\n\n"
        '"Our units hold the north-west," Ukrainian spokesman Viktor Trehubov said. '
        "The claim could not be independently verified."
    )
    assert one == {
        "file": str(first),
        "candidates": [
            {
                "sentence": "Russia's Defence Ministry said on Friday its forces had taken "
                "Dzerzhynsk.",
                "start": 0,
                "end": 73,
                "claimant": "Russia's Defence Ministry",
                "source_id": ministry.pk,
                "verb": "said",
                "places": ["Toretsk"],
                "unverified": False,
                "claimant_role": "",
                "claimant_organisation": "",
                "worthiness": 70,
            },
            {
                "sentence": '"Our units hold the north-west," Ukrainian spokesman Viktor '
                "Trehubov said.",
                "start": 75,
                "end": 149,
                "claimant": "Ukrainian spokesman Viktor Trehubov",
                "source_id": None,
                "verb": "said",
                "places": [],
                "unverified": True,
                "claimant_role": "",
                "claimant_organisation": "",
                "worthiness": 35,
            },
        ],
    }
    assert body[75:149] == one["candidates"][1]["sentence"]
    assert two == {"file": str(second), "candidates": []}
    assert Place.objects.count() == 1


def test_spot_claims_reports_unreadable_files_and_goes_on(run_command, write_file, tmp_path):
    good = write_file("a.txt", ARTICLE)
    result = run_command("spot_claims", str(tmp_path / "missing.txt"), str(good))
    assert f"{tmp_path / 'missing.txt'}: no such file." in result.err
    assert "Russia's Defence Ministry (said) (new source)" in result.out
    assert result.failed == "1 of 2 files could not be read."


def test_the_samples_have_at_least_ten_articles_and_eighty_labelled_claims():
    labels = load_labels(SAMPLES / "labels.json")
    assert len(labels) >= 10
    assert sum(len(claims) for claims in labels.values()) >= 80
    assert all((SAMPLES / name).exists() for name in labels)


def test_the_spotter_meets_its_targets_on_the_labelled_samples():
    result = run_benchmark(SAMPLES)
    assert result.recall >= 0.9
    assert result.precision >= 0.75


def test_spot_benchmark_prints_precision_and_recall(run_command):
    result = run_command("spot_benchmark", "--set", "tuning", "--fail-under")
    assert result.failed is None
    assert "precision 1.000" in result.out or "precision 0." in result.out
    assert "recall    " in result.out
    labels = load_labels(SAMPLES / "labels.json")
    total = sum(len(claims) for claims in labels.values())
    assert f"{len(labels)} articles, {total} labelled claims" in result.out


def test_the_held_out_set_has_ten_articles_apart_from_the_tuning_samples():
    labels = load_labels(HELDOUT / "labels.json")
    assert len(labels) >= 10
    assert all((HELDOUT / name).exists() for name in labels)
    assert not set(labels) & set(load_labels(SAMPLES / "labels.json"))


def test_spot_benchmark_reports_the_tuning_and_held_out_sets_apart(run_command):
    result = run_command("spot_benchmark")
    tuning, heldout = result.out.split("== Held-out set")
    assert "== Tuning set" in tuning and "01-toretsk-wire.txt" in tuning
    assert "h01-zaporizhzhia-agency.txt" in heldout and "01-toretsk-wire" not in heldout
    for part in (tuning, heldout):
        assert "claimant named right" in part and "unverified markers attached" in part


def test_a_claimant_is_named_right_by_the_name_alone_not_with_the_scene_around_it():
    assert named_right("IAEA Director General Rafael Grossi", "Rafael Grossi")
    assert named_right("Grossi", "Rafael Grossi")
    assert named_right("The ministry", "Ukraine's Defence Ministry")
    assert not named_right("on Wednesday, Rafael Grossi", "Rafael Grossi")
    assert not named_right("he", "Rafael Grossi")
    assert not named_right("Ukraine's Defence Ministry", "Russia's Defence Ministry")
