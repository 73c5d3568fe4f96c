"""The command line: thin wrappers that parse arguments, call the library and set exit codes."""

from plan2rdf.cli.commands import main

__all__ = ["main"]
