"""How the desk's objects look in the API, and what a client may set.

Every serializer lists its fields. Fields in `Meta.read_only_fields` (status, authors and
reviewers, current verdict, timestamps, hashes) are never taken from a request, whatever it
sends. Fields in `Meta.desk_only_fields` (who wrote or reviewed what, internal notes, the text
of imported articles) are left out for readers. A confidential source is shown to readers by
its redacted description only, never by name or id.

Nested objects are read-only summaries; writes name related objects by id
(`claimant_id`, `place_ids`, `evidence_ids` …).

One module per resource, as in Django's contrib apps: `base` (the building blocks and the
summaries every resource shows others by), `sources` (sources, places, articles), `claims`,
`verifications` (evidence, verifications), `explainers` (explainers, corrections), `revisions`,
`workflow` (the bodies of the workflow actions and of errors) and `feed` (the ClaimReview
DataFeed, for the schema). Import from the module: this package re-exports nothing.
"""
