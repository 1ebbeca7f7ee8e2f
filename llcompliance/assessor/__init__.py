"""The assessor's side: what changed between reports, the pull-request body, recorded outcomes."""
