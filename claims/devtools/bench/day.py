"""The newsroom day (`make bench`, docs/benchmarks.md): readers spread over the archive as
readers are, while the desk works, against the same readers with a quiet desk.

The pure pieces live here (the reader mix, its wrk script, the targets and the report's
section) so that tests can check them; the runner (run.py) starts the servers and Varnish,
`manage.py bench_reader_mix` picks the addresses, `manage.py bench_desk_day` is the desk.
"""

import json
import statistics

# The mix's addresses are drawn in this order of popularity with this seed, so every run
# reads the same pages with the same frequencies.
MIX_SEED = 20250207
MIX_EXPLAINERS = 100
MIX_CLAIMS = 300

# What share of reader requests go where. Articles (explainers and claim pages, reached from
# search engines and social media) take most, with a long tail; the rest are the front
# pages, a search, feed readers and API consumers polling on a timer.
ZIPF_SHARE = 0.80
FIXED_SHARES = {
    "/": 0.06,
    "/search/?q=drone": 0.03,
    "/feeds/verdicts.rss": 0.015,
    "/feeds/explainers.atom": 0.015,
    "/api/v1/claims/?verdict=unconfirmed&page_size=50": 0.04,
    "/api/v1/claimreviews/": 0.04,
}

# Issue 19's targets for the newsroom day.
READERS_BUSY_MIN = 0.9  # reader requests a second with the desk at work / with it quiet
P95_BUSY_MAX = 1.5  # reader p95 with the desk at work / with it quiet
VARNISH_EXPLAINER_MIN = 3.0  # cached explainer through Varnish / the minimal app
PUBLISH_VISIBLE_MAX = 2.0  # seconds from a publish's commit to a reader seeing it (Varnish)


def zipf_weights(count):
    """p(rank k) ∝ 1/k for ranks 1..count, summing to 1."""
    raw = [1.0 / rank for rank in range(1, count + 1)]
    total = sum(raw)
    return [w / total for w in raw]


def reader_mix(ranked_paths):
    """[(path, share)]: `ranked_paths` (most popular first) share ZIPF_SHARE by Zipf's law,
    the fixed addresses the rest. The shares sum to 1."""
    mix = [
        (path, ZIPF_SHARE * weight)
        for path, weight in zip(ranked_paths, zipf_weights(len(ranked_paths)), strict=True)
    ]
    fixed_total = sum(FIXED_SHARES.values())
    mix += [(path, share * (1 - ZIPF_SHARE) / fixed_total) for path, share in FIXED_SHARES.items()]
    return mix


def mix_script(mix, report_lua, seed=MIX_SEED):
    """A wrk script that sends each request to an address drawn from `mix` (a deterministic
    generator per wrk thread), with `report_lua`'s summary. No `response` callback: see
    LUA_REPORT in run.py."""
    paths = ", ".join(json.dumps(path) for path, _ in mix)
    cumulative, total = [], 0.0
    for _, share in mix:
        total += share
        cumulative.append(f"{total:.9f}")
    return (
        f"local paths = {{{paths}}}\n"
        f"local upto = {{{', '.join(cumulative)}}}\n"
        "local requests = {}\n"
        "local count = 0\n"
        "local threads = 0\n"
        "function setup(thread)\n"
        "  threads = threads + 1\n"
        f"  thread:set('thread_seed', {seed} + threads)\n"
        "end\n"
        "function init(args)\n"
        "  math.randomseed(thread_seed)\n"
        "  for i, path in ipairs(paths) do requests[i] = wrk.format('GET', path) end\n"
        "  count = #paths\n"
        "end\n"
        "function request()\n"
        "  local r = math.random() * upto[count]\n"
        "  local lo, hi = 1, count\n"
        "  while lo < hi do\n"
        "    local mid = math.floor((lo + hi) / 2)\n"
        "    if upto[mid] < r then lo = mid + 1 else hi = mid end\n"
        "  end\n"
        "  return requests[lo]\n"
        "end\n" + report_lua
    )


def delta(after, before, key):
    """after[key] - before[key], or None when either is unknown (counters not kept)."""
    if not after or not before or after.get(key) is None or before.get(key) is None:
        return None
    return after[key] - before[key]


def hit_ratio(hits, renders):
    if hits is None or renders is None or hits + renders == 0:
        return None
    return hits / (hits + renders)


def phase_summary(latencies):
    if not latencies:
        return "none"
    return f"max {max(latencies):.2f} s, median {statistics.median(latencies):.2f} s"


def day_targets(fronts, minimal_rps=None, varnish_explainer=None, workers=1):
    """Rows of (target, measured, passed or None when it could not be measured) for the
    newsroom day. `fronts` is {front name: {"quiet": phase, "busy": phase}} where a phase
    has rps, p95 (µs), renders, and a busy phase the desk's report. A page each worker keeps
    for itself (a search) is rendered once by each of the `workers` that serve it, unless a
    front cache shares one copy."""
    rows = []
    for front, phases in fronts.items():
        quiet, busy = phases["quiet"], phases["busy"]
        share = busy["rps"] / quiet["rps"] if quiet["rps"] else 0.0
        rows.append(
            (
                f"{front}: readers with the desk at work ≥ {READERS_BUSY_MIN} × quiet",
                f"{busy['rps']:.0f} / {quiet['rps']:.0f} = {share:.2f}",
                share >= READERS_BUSY_MIN,
            )
        )
        growth = busy["p95"] / quiet["p95"] if quiet["p95"] else float("inf")
        rows.append(
            (
                f"{front}: reader p95 with the desk at work ≤ {P95_BUSY_MAX} × quiet",
                f"{busy['p95'] / 1000:.1f} / {quiet['p95'] / 1000:.1f} ms = {growth:.2f}",
                growth <= P95_BUSY_MAX,
            )
        )
        desk = busy["desk"]
        unmeasured = desk.get("drafts_unmeasured", 0)
        measured = desk["drafts"] - unmeasured
        rows.append(
            (
                f"{front}: a draft save re-renders no reader page",
                f"{desk['draft_invalidations']} of {measured} draft saves purged reader pages"
                + (
                    f" ({unmeasured} more not measured: the shared cache did not answer)"
                    if unmeasured
                    else ""
                ),
                measured > 0 and desk["draft_invalidations"] == 0,
            )
        )
        extra = delta(busy, quiet, "renders")
        kept_by_each = desk.get("worker_kept_showing", 0)
        copies = 1 if front == "Varnish" else workers
        allowed = desk["pages_showing"] + kept_by_each * copies
        each = (
            f" ({kept_by_each} of them kept by each of {copies} workers)"
            if kept_by_each and copies > 1
            else ""
        )
        rows.append(
            (
                f"{front}: publishes re-render only pages that show what changed",
                "no render counts (READER_CACHE_STATS counters not in this tree)"
                if extra is None
                else f"{extra} renders more than quiet, for {desk['publishes']} publishes "
                f"whose changes {desk['pages_showing'] + kept_by_each} requested addresses "
                f"show{each}: {allowed} renders at most",
                None if extra is None else extra <= allowed,
            )
        )
        if front == "Varnish":
            worst = max(desk["visible_seconds"], default=None)
            seen = phase_summary(desk["visible_seconds"])
            if desk["never_seen"]:
                seen += f"; {desk['never_seen']} never seen within 30 s"
            rows.append(
                (
                    f"{front}: publish to reader ≤ {PUBLISH_VISIBLE_MAX:.0f} s",
                    seen,
                    # A publish readers never saw is the worst case, not one left out.
                    worst is not None and worst <= PUBLISH_VISIBLE_MAX and not desk["never_seen"],
                )
            )
    if varnish_explainer is not None and minimal_rps:
        ratio = varnish_explainer["rps"] / minimal_rps
        rows.append(
            (
                f"explainer, cached, through Varnish ≥ {VARNISH_EXPLAINER_MIN:.0f} × the "
                "minimal app",
                f"{varnish_explainer['rps']:.0f} / {minimal_rps:.0f} = {ratio:.2f}",
                ratio >= VARNISH_EXPLAINER_MIN,
            )
        )
    return rows


def _ratio(value):
    return "n/a" if value is None else f"{value:.2f}"


def report_section(outcome, duration):
    """The newsroom day's part of the report, as Markdown lines."""
    lines = [
        f"### Newsroom day ({outcome['size']} data set, a copy)",
        "",
        f"{duration} s of readers per phase over {outcome.get('mix', 0)} addresses (Zipf over "
        "explainers and claim pages, plus home, a search, two feeds and two API polls), first "
        "with a quiet desk, then with the desk at work (a draft saved every 2 s, a "
        "verification published every 10 s, an explainer revision every 60 s); without, then "
        "with Varnish in front. Renders, hits and stale copies are the app's reader cache "
        "counters (READER_CACHE_STATS; a stale copy is a worker's copy of a page just purged, "
        "served while another worker renders its successor, for at most "
        "READER_STALE_SECONDS after the purge); n/a where this tree does not keep them. "
        "Reader req/s counts the requests answered without error.",
        "",
        "| front | desk | reader req/s | p50 ms | p95 ms | errors | app hit ratio | app renders "
        "| stale copies served | Varnish hit ratio | drafts / publishes | renders per publish "
        "| publish to reader |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |",
    ]
    for front, phases in outcome["fronts"].items():
        quiet = phases["quiet"]
        for label, phase in (("quiet", quiet), ("at work", phases["busy"])):
            desk = phase.get("desk")
            extra = delta(phase, quiet, "renders") if desk else None
            per_publish = (
                _ratio(extra / desk["publishes"])
                if desk and extra is not None and desk["publishes"]
                else "n/a"
            )
            front_ratio = hit_ratio(phase.get("front_hits"), phase.get("front_misses"))
            seen = phase_summary(desk["visible_seconds"]) if desk else ""
            work = f"{desk['drafts']} / {desk['publishes']}" if desk else ""
            if desk and desk["never_seen"]:
                seen += f"; {desk['never_seen']} never seen within 30 s"
            lines.append(
                f"| {front} | {label} | {phase['rps']:.1f} | {phase['p50'] / 1000:.1f} | "
                f"{phase['p95'] / 1000:.1f} | {phase['errors']} | "
                f"{_ratio(hit_ratio(phase['hits'], phase['renders']))} | "
                f"{'n/a' if phase['renders'] is None else phase['renders']} | "
                f"{'n/a' if phase.get('stale') is None else phase['stale']} | "
                f"{_ratio(front_ratio) if front == 'Varnish' else ''} | "
                f"{work} | "
                f"{per_publish if desk else ''} | {seen} |"
            )
    lines.append("")
    explainer = outcome.get("varnish_explainer")
    if explainer:
        ratio = explainer["rps"] / outcome["minimal_rps"] if outcome.get("minimal_rps") else None
        lines += [
            f"Explainer, cached, through Varnish: {explainer['rps']:.1f} req/s, p50 "
            f"{explainer['p50'] / 1000:.1f} ms, p95 {explainer['p95'] / 1000:.1f} ms, "
            f"{explainer['errors']} errors; {_ratio(ratio)} × the minimal app.",
            "",
        ]
    if "Varnish" in outcome["fronts"]:
        lines += [f"Varnish {outcome.get('varnish', '')} with the VCL {outcome['vcl']}.", ""]
    if outcome.get("skipped"):
        lines += [f"No Varnish rows: {outcome['skipped']}.", ""]
    return lines
