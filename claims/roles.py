"""The desk's roles, which are Django groups made by migration 0002.

Each role has what the role before it has, and more:
- Reporter: articles, sources, places, claims, evidence, draft verifications.
- Fact-checker: also submits verifications for review, drafts explainers and sends them
  for review.
- Editor: also returns and publishes verifications, publishes, schedules and unpublishes
  explainers, issues corrections, and merges duplicate claims (a claim readers
  have not seen, into the claim kept: claims.services.merge).
"""

REPORTER = "Reporter"
FACT_CHECKER = "Fact-checker"
EDITOR = "Editor"
ROLES = (REPORTER, FACT_CHECKER, EDITOR)
