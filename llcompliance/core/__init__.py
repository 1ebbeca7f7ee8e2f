"""The domain: catalogues, config, documents and their cache, the workspace, coverage, findings."""
