"""One owner each for the outside world: YAML (yamlio), git (gitrepo), packaged data (resources),
files (fsutil), canonical JSON, JSON Schemas, safe text. Nothing here knows the domain."""
