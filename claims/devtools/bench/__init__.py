"""The performance benchmark (`make bench`): a seeded archive at newsroom scale, the endpoints
it drives, and the runner that starts the production stack and measures it (docs/benchmarks.md).
"""

# Bump when the generated data changes, so `make bench` reseeds instead of reusing a database.
SEED_VERSION = 3


def seed_marker(size):
    """The comment a seeded database carries (COMMENT ON DATABASE), so `make bench` can reuse
    a database seeded with the same generator and size."""
    return f"claimsdesk bench seed v{SEED_VERSION} size={size}"


# The desk user the benchmark logs in as to load the admin's claim list (bench databases only).
BENCH_EDITOR = "bench-editor"
BENCH_EDITOR_PASSWORD = "bench-editor-password"  # nosec B105 # bench databases only (seed_bench refuses others)

# The two ways a page is rendered afresh (the cache bypassed; endpoints.rendered_afresh): as
# after a verdict on one claim it shows, and with nothing kept.
ONE_CLAIM_CHANGED = "one claim changed"
NOTHING_KEPT = "nothing kept"
