def test_workflow_publish_sets_current_verdict(claim, publish_verification):
    publish_verification(claim, verdict="disputed")
    claim.refresh_from_db()
    assert claim.current_verdict == "disputed"
