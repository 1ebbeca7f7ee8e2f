"""llcompliance: Leading Lights accreditation evidence as code."""

__version__ = "0.1.0"
