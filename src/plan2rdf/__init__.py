"""plan2rdf: local government ICT action plans as a validated, linked, queryable knowledge graph."""

from plan2rdf.version import __version__

__all__ = ["__version__"]
