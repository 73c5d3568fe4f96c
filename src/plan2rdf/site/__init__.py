"""The site stage: the graph as a static publication site whose URLs mirror the IRIs.

A resource with IRI ``{base}{path}`` is served at ``{path}.html``, with its own description at
``{path}.ttl`` and ``{path}.jsonld``; hosted at the base IRI (with the generated .htaccess or nginx
snippet for content negotiation) every IRI dereferences. Everything on a page is read from the graph
and its dataset metadata (never from the read stage's records); pages and pictures are jinja2
templates with autoescape.

Modules: ``models`` (the page models), ``index`` (the graph as dictionaries), ``layout`` (IRI → site
path, base IRI rules), ``views`` (page models from the index), ``charts``, ``ontology`` and
``queries`` (the vocabulary and query catalogue pages), ``downloads``, ``pages`` (which pages, and
each resource's description), ``html`` (templates → files), ``render`` (the whole site) and ``tree``
(writing it, with the marker file that lists the editions). ``plan2rdf.pipeline.build_site`` chains
the editions' sources to their site. ``render_site``/``render_files`` render pages from a graph
without writing anything.
"""

from plan2rdf.site.html import script_json
from plan2rdf.site.layout import Layout, base_iri_problem, check_base_iri
from plan2rdf.site.models import QueryTable, SiteEdition, SiteFile, SiteReport
from plan2rdf.site.ontology import ontology_view
from plan2rdf.site.queries import query_tables
from plan2rdf.site.render import build_site, render_files, render_site, site_of
from plan2rdf.site.tree import MARKER, check_out_dir, read_manifest, write_tree

__all__ = [
    "MARKER",
    "Layout",
    "QueryTable",
    "SiteEdition",
    "SiteFile",
    "SiteReport",
    "base_iri_problem",
    "build_site",
    "check_base_iri",
    "check_out_dir",
    "ontology_view",
    "query_tables",
    "read_manifest",
    "render_files",
    "render_site",
    "script_json",
    "site_of",
    "write_tree",
]
