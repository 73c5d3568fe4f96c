"""The command line: thin wrappers that parse arguments, call the library, format and set exit codes.

Exit codes: 0 ok, 1 the data does not conform, 2 bad input or usage. Heavy libraries (rdflib,
pyshacl, openpyxl) are imported inside the commands that need them, so `--help` stays instant.
Each module registers its commands on `main`; the import order is the order `--help` lists them.
"""

from plan2rdf.cli import init, plan, publish, query, serve, site, validate  # noqa: F401  (registers the commands)
from plan2rdf.cli.app import main

__all__ = ["main"]
