"""Canned and user SPARQL queries on the graph: the catalogue, engines, parameters and result formats.

Modules, from the bottom up: ``parameters`` (grlc's parameter convention, values as RDF terms),
``sparqltext`` (a small SPARQL lexer), ``queryfile`` (a ``.rq`` file and its grlc header),
``check`` (syntax and the parameter rule), ``catalogue`` (the sparql/ folder, finding a query),
``bindings`` (bindings as RDF terms and as a VALUES row), ``data`` (the RDF a query runs on),
``oxigraph`` (the optional engine's import), ``engines`` (rdflib, pyoxigraph and remote engines,
running a query), ``bounded`` (a local query in a worker process, killed at its deadline),
``results`` (table, CSV, TSV, JSON, Markdown) and ``listing`` (the catalogue as data and as
docs/queries.md).
"""

from plan2rdf.query.bindings import Bindings, bind, inline_bindings, sparql_term
from plan2rdf.query.bounded import QueryTimeout, local_run, run_within
from plan2rdf.query.catalogue import Catalogue, load_catalogue, resolve
from plan2rdf.query.check import check_query, check_syntax
from plan2rdf.query.data import data_files, load_oxigraph, load_rdflib
from plan2rdf.query.engines import (
    ENGINES,
    Engine,
    Result,
    canonical,
    make_engine,
    oxigraph_engine,
    rdflib_engine,
    refuse_service,
    remote_engine,
    run,
)
from plan2rdf.query.listing import SAMPLE_ROWS, catalogue_listing, catalogue_markdown
from plan2rdf.query.oxigraph import EngineMissing
from plan2rdf.query.parameters import XSD, XSD_TYPES, Parameter, ParameterError, to_term
from plan2rdf.query.queryfile import CannedQuery, Column, parse_file_leniently, parse_query_file
from plan2rdf.query.results import (
    FORMATS,
    cell,
    format_csv,
    format_json,
    format_markdown,
    format_result,
    format_table,
    format_text_table,
    to_json,
    width,
)
from plan2rdf.query.sparqltext import (
    is_update,
    misplaced_parameters,
    parameter_variables,
    service_line,
    top_group_start,
)

__all__ = [
    "ENGINES",
    "FORMATS",
    "SAMPLE_ROWS",
    "XSD",
    "XSD_TYPES",
    "Bindings",
    "CannedQuery",
    "Catalogue",
    "Column",
    "Engine",
    "EngineMissing",
    "Parameter",
    "ParameterError",
    "QueryTimeout",
    "Result",
    "bind",
    "canonical",
    "catalogue_listing",
    "catalogue_markdown",
    "cell",
    "check_query",
    "check_syntax",
    "data_files",
    "format_csv",
    "format_json",
    "format_markdown",
    "format_result",
    "format_table",
    "format_text_table",
    "inline_bindings",
    "is_update",
    "load_catalogue",
    "load_oxigraph",
    "load_rdflib",
    "local_run",
    "make_engine",
    "misplaced_parameters",
    "oxigraph_engine",
    "parameter_variables",
    "parse_file_leniently",
    "parse_query_file",
    "rdflib_engine",
    "refuse_service",
    "remote_engine",
    "resolve",
    "run",
    "run_within",
    "service_line",
    "sparql_term",
    "to_json",
    "to_term",
    "top_group_start",
    "width",
]
