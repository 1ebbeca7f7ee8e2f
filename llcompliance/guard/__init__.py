"""The personal-data guard: detectors, file readers (text, Office, PDF) and the scan. It needs no
catalogue: only the scan settings from the config."""
