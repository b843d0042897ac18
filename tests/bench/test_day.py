"""The benchmark's pure pieces: the reader mix, the ratios, the targets and the report."""

import pytest

from claims.devtools.bench import day, run


def test_zipf_weights_fall_as_one_over_the_rank_and_sum_to_one():
    weights = day.zipf_weights(4)
    assert sum(weights) == pytest.approx(1.0)
    assert weights[0] / weights[1] == pytest.approx(2.0)
    assert weights[0] / weights[3] == pytest.approx(4.0)


def test_the_reader_mix_gives_articles_their_share_and_the_fixed_addresses_the_rest():
    mix = day.reader_mix(["/a/", "/b/", "/c/"])
    shares = dict(mix)
    assert sum(shares.values()) == pytest.approx(1.0)
    assert shares["/a/"] + shares["/b/"] + shares["/c/"] == pytest.approx(day.ZIPF_SHARE)
    assert shares["/a/"] > shares["/b/"] > shares["/c/"]
    assert set(day.FIXED_SHARES) <= set(shares)


def test_the_wrk_script_names_every_address_and_ends_at_the_whole():
    mix = day.reader_mix(["/a/"])
    script = day.mix_script(mix, "-- report\n")
    assert '"/a/"' in script and '"/api/v1/claimreviews/"' in script
    assert "1.000000000" in script
    assert "function response" not in script  # wrk would copy every body into Lua
    assert script.endswith("-- report\n")


def rows(*pairs):
    return [{"name": name, "rps": rps} for name, rps in pairs]


def test_every_row_has_its_ratio_to_the_minimal_app_and_to_healthz():
    results = rows((run.MINIMAL, 4000.0), (run.HEALTHZ, 2000.0), ("page", 1000.0))
    run.add_ratios(results)
    page = results[-1]
    assert page["ratio"] == pytest.approx(0.25)
    assert page["ratio_healthz"] == pytest.approx(0.5)


def test_targets_are_checked_against_the_baseline_they_name():
    large = rows(
        (run.MINIMAL, 4000.0),
        (run.HEALTHZ, 1000.0),
        ("explainer, 50 claims (cached)", 3000.0),  # 0.75 of the minimal app: short of 0.8
        ("claim page (cache bypassed, one claim changed)", 90.0),  # 0.09 of /healthz: ≥ 0.08
    )
    for r in large:
        r.update(errors=0, p50=1, p95=1, queries=0)
    found = {target: ok for target, _, ok in run.targets({"large": large})}
    assert found["explainer, 50 claims (cached): ≥ 0.8 × the minimal app"] is False
    assert found["claim page (cache bypassed, one claim changed): ≥ 0.08 × /healthz"] is True


def phase(rps, p95_ms, renders=None, desk=None):
    return {"rps": rps, "p95": p95_ms * 1000, "p50": 1000, "errors": 0, "renders": renders,
            "hits": None if renders is None else 1000, "desk": desk}  # fmt: skip


DESK = {
    "drafts": 30,
    "draft_invalidations": 0,
    "publishes": 6,
    "pages_showing": 60,
    "visible_seconds": [0.4, 1.1],
    "never_seen": 0,
}


def test_day_targets_compare_the_desk_at_work_with_the_quiet_desk():
    fronts = {
        "Varnish": {
            "quiet": phase(1000.0, 20.0, renders=100),
            "busy": phase(950.0, 25.0, renders=150, desk=DESK),
        }
    }
    found = {t: ok for t, _, ok in day.day_targets(fronts, 1000.0, {"rps": 3500.0})}
    assert found["Varnish: readers with the desk at work ≥ 0.9 × quiet"] is True
    assert found["Varnish: reader p95 with the desk at work ≤ 1.5 × quiet"] is True
    assert found["Varnish: a draft save re-renders no reader page"] is True
    assert found["Varnish: publishes re-render only pages that show what changed"] is True
    assert found["Varnish: publish to reader ≤ 2 s"] is True
    assert found["explainer, cached, through Varnish ≥ 3 × the minimal app"] is True


def test_a_page_each_worker_keeps_is_allowed_one_render_per_worker_without_a_front_cache():
    desk = {**DESK, "pages_showing": 30, "worker_kept_showing": 6}  # a search, 6 publishes
    target = "publishes re-render only pages that show what changed"
    said = {}
    for front, renders, allowed in (("gunicorn", 48, True), ("gunicorn", 49, False),
                                    ("Varnish", 36, True), ("Varnish", 37, False)):  # fmt: skip
        busy = phase(950.0, 25.0, renders=100 + renders, desk=desk)
        fronts = {front: {"quiet": phase(1000.0, 20.0, renders=100), "busy": busy}}
        found = {t: (m, ok) for t, m, ok in day.day_targets(fronts, workers=3)}
        said[front], ok = found[f"{front}: {target}"]
        assert ok is allowed, (front, renders, said[front])
    # 30 shared pages and a search rendered by each of 3 workers, 6 times: 48 renders at most.
    assert "36 requested addresses show (6 of them kept by each of 3 workers)" in said["gunicorn"]
    assert "48 renders at most" in said["gunicorn"]
    assert "36 renders at most" in said["Varnish"]  # Varnish shares one copy of the search


def test_without_render_counters_the_publish_target_is_not_measured_rather_than_passed():
    fronts = {"gunicorn": {"quiet": phase(1000.0, 20.0), "busy": phase(500.0, 90.0, desk=DESK)}}
    found = {t: ok for t, _, ok in day.day_targets(fronts)}
    assert found["gunicorn: publishes re-render only pages that show what changed"] is None
    assert found["gunicorn: readers with the desk at work ≥ 0.9 × quiet"] is False


def test_the_report_section_shows_renders_per_publish():
    outcome = {
        "size": "large",
        "mix": 406,
        "fronts": {
            "gunicorn": {
                "quiet": phase(1000.0, 20.0, renders=100),
                "busy": phase(900.0, 25.0, renders=700, desk=DESK),
            }
        },
        "varnish_explainer": None,
        "minimal_rps": 2000.0,
        "skipped": "no VCL at docs/varnish/claimsdesk.vcl (BENCH_VARNISH_VCL)",
        "vcl": "docs/varnish/claimsdesk.vcl",
    }
    text = "\n".join(day.report_section(outcome, 60))
    assert "| gunicorn | at work | 900.0 |" in text
    assert "| 30 / 6 | 100.00 |" in text  # (700 - 100) renders over 6 publishes
    assert "max 1.10 s, median 0.75 s" in text
    assert "No Varnish rows: no VCL" in text


def test_draft_saves_the_shared_cache_did_not_answer_for_are_counted_apart():
    target = "gunicorn: a draft save re-renders no reader page"
    for desk, expected in (
        ({**DESK, "drafts_unmeasured": 2}, (True, "0 of 28 draft saves purged reader pages (2")),
        ({**DESK, "drafts_unmeasured": 30}, (False, "0 of 0 draft saves")),  # nothing known
        ({**DESK, "drafts_unmeasured": 2, "draft_invalidations": 1}, (False, "1 of 28")),
    ):
        fronts = {"gunicorn": {"quiet": phase(1000.0, 20.0), "busy": phase(990.0, 21.0, desk=desk)}}
        measured, ok = {t: (m, ok) for t, m, ok in day.day_targets(fronts)}[target]
        assert ok is expected[0] and measured.startswith(expected[1]), measured


def test_a_publish_readers_never_saw_fails_publish_to_reader():
    desk = {**DESK, "visible_seconds": [0.1], "never_seen": 2}
    fronts = {"Varnish": {"quiet": phase(1000.0, 20.0), "busy": phase(990.0, 21.0, desk=desk)}}
    found = {t: (m, ok) for t, m, ok in day.day_targets(fronts)}
    measured, ok = found["Varnish: publish to reader ≤ 2 s"]
    assert ok is False
    assert "2 never seen" in measured
