"""The readiness report: its typed model, building it from a commit, signing, and verification."""
