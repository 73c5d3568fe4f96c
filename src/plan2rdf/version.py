"""The version of plan2rdf (one place: the build backend reads it here)."""

__version__ = "0.1.0"
