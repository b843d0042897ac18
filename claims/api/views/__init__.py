"""The API's viewsets: thin translations between HTTP and the desk's selectors and workflow.

Each viewset serves one resource. Readers (anonymous or without the model's view permission)
get the querysets of `claims.selectors`; desk staff get every object. Writes need the model's
Django permissions; updates need `If-Match`. Workflow transitions are actions that call
`claims.workflow` and nothing else.

`base` holds what every viewset shares; then one module per resource, as the serializers are
split: `sources`, `claims`, `verifications`, `explainers`, `revisions`, and `feed` (the
ClaimReview feed, paged and whole). `claims.api.urls` registers them.
"""
