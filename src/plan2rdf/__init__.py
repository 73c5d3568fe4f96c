"""plan2rdf: local government ICT action plans as a validated, linked, queryable knowledge graph."""

__version__ = "0.1.0"
