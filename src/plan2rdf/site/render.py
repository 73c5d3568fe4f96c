"""Rendering a site: the graph and its dataset metadata in, every file of the site out.

``render_site`` returns every file as bytes (deterministic: sorted, no timestamps); ``build_site``
writes them, replacing an earlier site in one rename; ``site_of`` runs the canned queries on the
graph too. The site takes what earlier stages made as data and reads nothing back.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from itertools import chain
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from plan2rdf import resources
from plan2rdf.i18n import Text
from plan2rdf.problems import InputError, Problem
from plan2rdf.rdfio.writers import natural_key
from plan2rdf.site.charts import charts, edition_bars
from plan2rdf.site.downloads import downloads_of, place_downloads, place_vocabulary
from plan2rdf.site.html import chart_files, config_files, environment, html_files, navigation, static_files
from plan2rdf.site.index import Index
from plan2rdf.site.layout import Layout, check_collisions
from plan2rdf.site.models import Label, PlanView, QueryTable, SiteCharts, SiteEdition, SiteFile, SiteReport
from plan2rdf.site.pages import description_files, descriptions, resource_pages, site_pages
from plan2rdf.site.queries import query_tables
from plan2rdf.site.tree import check_out_dir, write_tree
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

    ``graph`` has one ``p2r:ActionPlan`` per edition (the union of the editions' graphs, with the
    ``prov:wasRevisionOf`` links between their measures); ``metadata`` (the datasets' DCAT/VoID/PROV
    triples) is shown beside it; ``downloads`` (file name → bytes) are placed beside the page of the
    edition they are named after (``{series}-{edition}.…``; all of them when there is one edition),
    where ``dcat:downloadURL`` says they are; a CSV of each edition's measures is added.
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
    plans = checked_plans(ix, layout)
    ontology_index = Index(ontology)
    views = Views(ix, layout, derived_predicates(ontology_index))
    files: dict[str, bytes] = {}
    plan_views = edition_views(files, views, plans, downloads)
    site = SiteCharts(edition_bars(plan_views[0].editions), tuple(v.charts for v in plan_views))
    title = site_title([v.title for v in plan_views])
    pages = resource_pages(views, plans, plan_views, ontology_index)
    pages += site_pages(title, plan_views, site, ontology, queries, ix)
    layout.site_pages = {p.path for p in pages}
    files |= description_files(pages, descriptions(ix, layout), layout, context, base_iri)
    env = environment()
    nav = navigation(ix, plan_views[0])
    files |= html_files(env, pages, layout=layout, nav=nav, site_title=title, base=base_iri)
    files |= chart_files(env, site, layout)
    files |= static_files()
    files |= config_files(env, base_iri)
    return files, {path: kind_of(path, layout) for path in files}


def edition_views(
    files: dict[str, bytes], views: Views, plans: Sequence[URIRef], downloads: Mapping[str, bytes] | None
) -> list[PlanView]:
    """Each edition's home page model (newest first), its downloads placed and its charts made."""
    layout = views.layout
    vocabulary = place_vocabulary(files, layout)
    editions = tuple(views.edition(p) for p in plans)
    result = []
    for plan in plans:
        scoped = views.scoped(plan)
        path = layout.pages[str(plan)]
        own = downloads_of(path, downloads, single=len(plans) == 1)
        placed = place_downloads(files, layout, scoped, plan, own)
        view = scoped.plan(plan, [*placed, *vocabulary], editions)
        result.append(replace(view, charts=charts(scoped, plan, f"charts/{path}")))
    return result


def site_title(titles: Sequence[Label]) -> Label:
    """The title every page names: the edition's, or what the editions' titles share without
    their years (「…アクションプラン2021」 and 「…2022」 → 「…アクションプラン」)."""
    if len(titles) == 1:
        return titles[0]

    def shared(texts: list[str]) -> str:
        prefix = texts[0]
        for text in texts[1:]:  # the characters they share from the start (not path components)
            while not text.startswith(prefix):
                prefix = prefix[:-1]
        return prefix.rstrip("0123456789０１２３４５６７８９ 　-–—（(")

    ja = shared([t.ja for t in titles])
    en = shared([t.en for t in titles if t.en]) if all(t.en for t in titles) else ""
    return Label(ja or titles[0].ja, en or None)


def checked_plans(ix: Index, layout: Layout) -> list[URIRef]:
    """The graph's action plans, newest first (fiscal year, then IRI); InputError unless there is
    one at least, each served under the base, with no IRI taking a path the site keeps for its own pages."""
    plans = ix.of_type(P2R.ActionPlan)
    if not plans:
        raise InputError(
            [
                Problem(
                    "<graph>",
                    Text(
                        ja="グラフにアクションプランがありません。サイトには少なくとも一つの版が要ります",
                        en="the graph has no action plan; a site shows one edition at least",
                    ),
                )
            ]
        )
    outside = [p for p in plans if str(p) not in layout.pages]
    if outside:
        raise InputError(
            [
                Problem(
                    str(p),
                    Text(
                        ja=f"計画の IRI がベース {layout.base} の下にありません",
                        en=f"the plan's IRI is not under the base {layout.base}",
                    ),
                    hint=Text(ja="--base-iri を使ってください", en="use --base-iri"),
                )
                for p in outside
            ]
        )
    problems = check_collisions(layout)
    if problems:
        raise InputError(problems)

    def newest_first(plan: URIRef) -> tuple:
        year = ix.one(plan, P2R.fiscalYear)
        return (str(year) if year is not None else "", natural_key(str(plan)))

    return sorted(plans, key=newest_first, reverse=True)


def graph_editions(graph: Graph, base_iri: str) -> list[SiteEdition]:
    """The graph's plans as the editions of a site (their sources unknown)."""
    plans = sorted(str(p) for p in graph.subjects(RDF.type, P2R.ActionPlan))
    return [SiteEdition(p[len(base_iri) :], "") for p in plans if p.startswith(base_iri)]


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
    warnings: Sequence[Text] = (),
    editions: Sequence[SiteEdition] = (),
    replace: bool = False,
) -> SiteReport:
    """Render the site of the graph's editions and write it to ``out_dir``; returns what was
    written. ``editions`` (default: the graph's plans, sources unknown) go into the site's marker
    file; a site holding an edition not among them is refused unless ``replace``."""
    started = time.perf_counter()
    editions = editions or graph_editions(graph, base_iri)
    check_out_dir(out_dir, editions, replace=replace)  # before the work: a refusal comes at once
    files, kinds = render_files(graph, base_iri=base_iri, metadata=metadata, downloads=downloads, queries=queries)
    write_tree(out_dir, files, editions, replace=replace)
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
    warnings: Sequence[Text] = (),
    editions: Sequence[SiteEdition] = (),
    replace: bool = False,
) -> SiteReport:
    """The site of a graph with the canned queries run on it (``graph`` alone: the metadata is not
    the plans' data), written to ``out_dir``."""
    started = time.perf_counter()
    editions = editions or graph_editions(graph, base_iri)
    check_out_dir(out_dir, editions, replace=replace)
    tables, failures = query_tables(graph)
    report = build_site(
        graph,
        out_dir=out_dir,
        base_iri=base_iri,
        metadata=metadata,
        downloads=downloads,
        queries=tables,
        warnings=[*warnings, *failures],
        editions=editions,
        replace=replace,
    )
    report.seconds = time.perf_counter() - started
    return report
