"""Rendering a site: the graph and its dataset metadata in, every file of the site out.

``render_site`` returns every file as bytes (deterministic: sorted, no timestamps); ``build_site``
writes them, replacing an earlier site in one rename; ``site_of`` runs the canned queries on the
graph too. The site takes what earlier stages made as data and reads nothing back.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain
from pathlib import Path

from rdflib import Graph, URIRef

from plan2rdf import resources
from plan2rdf.problems import InputError, Problem
from plan2rdf.site.charts import charts
from plan2rdf.site.downloads import place_downloads
from plan2rdf.site.html import chart_files, config_files, environment, html_files, navigation, static_files
from plan2rdf.site.index import Index
from plan2rdf.site.layout import Layout, check_collisions
from plan2rdf.site.models import QueryTable, SiteFile, SiteReport
from plan2rdf.site.pages import description_files, descriptions, resource_pages, site_pages
from plan2rdf.site.queries import query_tables
from plan2rdf.site.tree import write_tree
from plan2rdf.site.views import Views, derived_predicates
from plan2rdf.vocab import P2R

Triples = Iterable[tuple]


def render_site(
    graph: Graph,
    *,
    base_iri: str,
    metadata: Triples = (),
    downloads: Mapping[str, bytes] | None = None,
    queries: Sequence[QueryTable] = (),
) -> dict[str, bytes]:
    """Every file of the site, as bytes, keyed by its path in the site.

    ``graph`` has exactly one ``p2r:ActionPlan``; ``metadata`` (the dataset's DCAT/VoID/PROV triples)
    is shown beside it; ``downloads`` (file name → bytes) are placed beside the plan's page, where
    ``dcat:downloadURL`` says they are; a CSV of the measures is added.
    """
    return render_files(graph, base_iri=base_iri, metadata=metadata, downloads=downloads, queries=queries)[0]


def render_files(
    graph: Graph,
    *,
    base_iri: str,
    metadata: Triples = (),
    downloads: Mapping[str, bytes] | None = None,
    queries: Sequence[QueryTable] = (),
) -> tuple[dict[str, bytes], dict[str, str]]:
    """The files and the kind of each ("page", "rdf", "download", "static", "config")."""
    if not base_iri.endswith("/"):
        raise ValueError("the site mirrors IRIs as paths: the base IRI must end with '/'")
    ontology = Graph().parse(resources.path("ontology", "plan2rdf.ttl"), format="turtle")
    context = json.loads(resources.read_text("ontology", "context.jsonld"))
    ix = Index(chain(graph, metadata))
    layout = Layout(ix, base_iri)
    plan = checked_plan(ix, layout)
    ontology_index = Index(ontology)
    views = Views(ix, layout, derived_predicates(ontology_index))
    files: dict[str, bytes] = {}
    plan_view = views.plan(plan, place_downloads(files, layout, views, plan, downloads))
    chart_models = charts(views)
    pages = resource_pages(views, plan, plan_view, ontology_index)
    pages += site_pages(plan, plan_view, chart_models, ontology, queries, ix)
    layout.site_pages = {p.path for p in pages}
    files |= description_files(pages, descriptions(ix, layout), layout, context, base_iri)
    env = environment()
    nav = navigation(ix, plan_view)
    files |= html_files(
        env, pages, layout=layout, nav=nav, site_title=plan_view.title, charts=chart_models, base=base_iri
    )
    files |= chart_files(env, chart_models, layout)
    files |= static_files()
    files |= config_files(env, base_iri)
    return files, {path: kind_of(path, layout) for path in files}


def checked_plan(ix: Index, layout: Layout) -> URIRef:
    """The graph's one action plan; InputError unless it is served under the base with no IRI
    taking a path the site keeps for its own pages."""
    plans = ix.of_type(P2R.ActionPlan)
    if len(plans) != 1:
        raise InputError([Problem("<graph>", f"the graph has {len(plans)} action plans; a site shows exactly one")])
    plan = plans[0]
    if str(plan) not in layout.pages:
        raise InputError(
            [Problem(str(plan), f"the plan's IRI is not under the base {layout.base}", hint="use --base-iri")]
        )
    problems = check_collisions(layout)
    if problems:
        raise InputError(problems)
    return plan


def kind_of(path: str, layout: Layout) -> str:
    if path in layout.files:
        return "download"
    if path.endswith(".html"):
        return "page"
    if path in (".htaccess", "nginx.conf"):
        return "config"
    if path.startswith(("static/", "charts/")):
        return "static"
    return "rdf"


def build_site(
    graph: Graph,
    *,
    out_dir: Path,
    base_iri: str,
    metadata: Triples = (),
    downloads: Mapping[str, bytes] | None = None,
    queries: Sequence[QueryTable] = (),
    warnings: Sequence[str] = (),
) -> SiteReport:
    """Render the site of the graph's plan and write it to ``out_dir``; returns what was written."""
    started = time.perf_counter()
    files, kinds = render_files(graph, base_iri=base_iri, metadata=metadata, downloads=downloads, queries=queries)
    write_tree(out_dir, files)
    report = SiteReport(out_dir=Path(out_dir), warnings=list(warnings))
    report.files = [SiteFile(path, len(content), kinds[path]) for path, content in sorted(files.items())]
    report.resources = sum(1 for kind in kinds.values() if kind == "rdf") // 2
    report.seconds = time.perf_counter() - started
    return report


def site_of(
    graph: Graph,
    *,
    out_dir: Path,
    base_iri: str,
    metadata: Triples = (),
    downloads: Mapping[str, bytes] | None = None,
    warnings: Sequence[str] = (),
) -> SiteReport:
    """The site of a graph with the canned queries run on it (``graph`` alone: the metadata is not
    the plan's data), written to ``out_dir``."""
    started = time.perf_counter()
    tables, failures = query_tables(graph)
    report = build_site(
        graph,
        out_dir=out_dir,
        base_iri=base_iri,
        metadata=metadata,
        downloads=downloads,
        queries=tables,
        warnings=[*warnings, *failures],
    )
    report.seconds = time.perf_counter() - started
    return report
