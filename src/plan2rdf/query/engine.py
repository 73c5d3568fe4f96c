"""The old module path of ``plan2rdf.query``, kept while cli/commands.py and site/render.py import from it.

Import from ``plan2rdf.query`` instead; delete this module once nothing imports it.
"""

from plan2rdf.query.bindings import bind
from plan2rdf.query.catalogue import resolve
from plan2rdf.query.data import load_oxigraph
from plan2rdf.query.engines import make_engine, oxigraph_engine, rdflib_engine, remote_engine, run
from plan2rdf.query.listing import catalogue_listing, catalogue_markdown
from plan2rdf.query.oxigraph import EngineMissing
from plan2rdf.query.results import cell, format_result, format_text_table

__all__ = [
    "EngineMissing",
    "bind",
    "catalogue_listing",
    "catalogue_markdown",
    "cell",
    "format_result",
    "format_text_table",
    "load_oxigraph",
    "make_engine",
    "oxigraph_engine",
    "rdflib_engine",
    "remote_engine",
    "resolve",
    "run",
]
