"""Which pages the site has and what each describes: one page per resource under the base (chosen
by its type), the site's own pages (home, charts, downloads, vocabulary, queries), and each
resource's own description (its triples and those of its parts) as Turtle and JSON-LD."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from plan2rdf.rdfio.writers import jsonld, natural_key, turtle
from plan2rdf.site.index import Index
from plan2rdf.site.layout import Layout
from plan2rdf.site.models import Charts, Label, Page, PlanView, QueryTable
from plan2rdf.site.ontology import ontology_view
from plan2rdf.site.queries import labelled
from plan2rdf.site.views import Views
from plan2rdf.vocab import ORG, P2R


def resource_pages(views: Views, plan: URIRef, plan_view: PlanView, ontology: Index) -> list[Page]:
    """A page for every resource the layout serves, in IRI order, with the template for its type."""
    ix, layout = views.ix, views.layout
    directions = {d.ref.iri for d in plan_view.directions}
    pages = []
    for s in sorted((URIRef(i) for i in layout.pages), key=lambda s: natural_key(str(s))):
        if s == plan:
            template, data = "home.html", plan_view
        else:
            template, data = model_of(views, s, directions, ontology)
        title = plan_view.title if s == plan else ix.label(s)
        pages.append(Page(layout.pages[str(s)], template, title, data, resource=str(s)))
    return pages


def model_of(views: Views, s: URIRef, directions: set[str], ontology: Index) -> tuple[str, Any]:
    """The template and page model of a resource other than the plan."""
    ix = views.ix
    if ix.has_type(s, P2R.Measure):
        return "measure.html", views.measure(s)
    if ix.has_type(s, ORG.OrganizationalUnit) or ix.has_type(s, ORG.FormalOrganization):
        return "unit.html", views.unit(s)
    if ix.has_type(s, SKOS.Concept) and str(s) in directions:
        return "direction.html", views.direction(s)
    if ix.has_type(s, SKOS.Concept):
        return "group.html", views.group(s, "theme")
    if ix.has_type(s, P2R.Programme):
        return "group.html", views.group(s, "programme")
    if ix.has_type(s, SKOS.ConceptScheme):
        return "group.html", views.group(s, "scheme")
    return "resource.html", views.resource(s, ontology)


def site_pages(
    plan: URIRef,
    plan_view: PlanView,
    chart_models: Charts,
    ontology: Graph,
    queries: Sequence[QueryTable],
    ix: Index,
) -> list[Page]:
    """The site's own pages: the home (again, as index), charts, downloads, vocabulary, queries."""
    queries = tuple(labelled(table, ix) for table in queries)
    pages = [
        Page("index", "home.html", plan_view.title, plan_view, resource=str(plan)),
        Page("charts", "charts.html", Label("図表", "Charts"), chart_models),
        Page("downloads", "downloads.html", Label("ダウンロード", "Downloads"), plan_view),
        Page("ontology", "ontology.html", Label("語彙", "Vocabulary"), ontology_view(ontology)),
        Page("queries", "queries.html", Label("問い合わせの一覧", "Query catalogue"), queries),
    ]
    pages += [Page(f"queries/{table.name}", "query.html", table.title, table) for table in queries]
    return pages


def descriptions(ix: Index, layout: Layout) -> dict[str, list]:
    """Each served resource's own description: its triples and those of its parts (indicator, targets…)."""
    described: dict[str, list] = defaultdict(list)
    for s, preds in ix.out.items():
        key = str(s)
        if key in layout.pages:
            owner = layout.top_owner(key)
            for p, objs in preds.items():
                for o in objs:
                    described[owner].append((s, p, o))
                    if owner != key:
                        described[key].append((s, p, o))
    return described


def description_files(
    pages: Sequence[Page], described: dict[str, list], layout: Layout, context: dict, base: str
) -> dict[str, bytes]:
    """``{path}.jsonld`` and ``{path}.ttl`` beside each resource's page; every page that shows a
    resource gets its JSON-LD to embed (``page.jsonld``)."""
    files: dict[str, bytes] = {}
    for page in pages:
        if page.resource is not None and page.path == layout.pages[page.resource]:
            triples = described[page.resource]
            page.jsonld = jsonld(triples, dict(context), base=base)
            files[f"{page.path}.jsonld"] = page.jsonld.encode("utf-8")
            files[f"{page.path}.ttl"] = turtle(triples, base=base).encode("utf-8")
        elif page.resource is not None:
            page.jsonld = jsonld(described[page.resource], dict(context), base=base)
    return files
