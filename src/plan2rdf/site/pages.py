"""Which pages the site has and what each describes: one page per resource under the base (chosen
by its type), the site's own pages (home, charts, downloads, vocabulary, queries), and each
resource's own description (its triples and those of its parts) as Turtle and JSON-LD."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from plan2rdf.alignment import imi_mappings
from plan2rdf.rdfio.writers import jsonld, natural_key, turtle
from plan2rdf.site.html import CHART_NAMES
from plan2rdf.site.index import Index
from plan2rdf.site.layout import Layout
from plan2rdf.site.models import DownloadsView, Label, Page, PerEdition, PlanView, QueryTable, SiteCharts, SiteHome
from plan2rdf.site.ontology import ontology_view
from plan2rdf.site.queries import labelled
from plan2rdf.site.views import Views
from plan2rdf.vocab import ORG, P2R


def resource_pages(
    views: Views, plans: Sequence[URIRef], plan_views: Sequence[PlanView], ontology: Index
) -> list[Page]:
    """A page for every resource the layout serves, in IRI order, with the template for its type."""
    ix, layout = views.ix, views.layout
    homes = {v.iri: v for v in plan_views}
    directions = {d.ref.iri for v in plan_views for d in v.directions}
    pages = []
    for s in sorted((URIRef(i) for i in layout.pages), key=lambda s: natural_key(str(s))):
        if str(s) in homes:
            template, data, title = "home.html", homes[str(s)], homes[str(s)].title
        else:
            template, data = model_of(views, plans, s, directions, ontology)
            title = ix.label(s)
        pages.append(Page(layout.pages[str(s)], template, title, data, resource=str(s)))
    return pages


def model_of(
    views: Views, plans: Sequence[URIRef], s: URIRef, directions: set[str], ontology: Index
) -> tuple[str, Any]:
    """The template and page model of a resource other than a plan: a measure's own, a shared
    resource's per edition."""
    ix = views.ix
    if ix.has_type(s, P2R.Measure):
        return "measure.html", views.measure(s)
    if ix.has_type(s, ORG.OrganizationalUnit) or ix.has_type(s, ORG.FormalOrganization):
        return "unit.html", per_edition(views, plans, lambda v: v.unit(s))
    if ix.has_type(s, SKOS.Concept) and str(s) in directions:
        return "direction.html", per_edition(views, plans, lambda v: v.direction(s))
    if ix.has_type(s, SKOS.Concept):
        return "group.html", per_edition(views, plans, lambda v: v.group(s, "theme"))
    if ix.has_type(s, P2R.Programme):
        return "group.html", per_edition(views, plans, lambda v: v.group(s, "programme"))
    if ix.has_type(s, SKOS.ConceptScheme):
        return "group.html", per_edition(views, plans, lambda v: v.group(s, "scheme"))
    return "resource.html", views.resource(s, ontology)


def per_edition(views: Views, plans: Sequence[URIRef], build: Callable[[Views], Any]) -> PerEdition:
    """A shared resource's model for each edition with measures in it (newest first)."""
    shown = []
    for plan in plans:
        model = build(views.scoped(plan))
        if _has_measures(model):
            shown.append((views.ix.ref(plan), model))
    first = shown[0][1] if shown else build(views.scoped(plans[0]))
    return PerEdition(first=first, editions=tuple(shown), single=len(plans) == 1)


def _has_measures(model) -> bool:
    counts = [*getattr(model, "children", ()), *getattr(model, "members", ())]
    return bool(getattr(model, "measures", ())) or any(c.count for c in counts)


def site_pages(
    title: Label,
    plan_views: Sequence[PlanView],
    site_charts: SiteCharts,
    ontology: Graph,
    queries: Sequence[QueryTable],
    ix: Index,
) -> list[Page]:
    """The site's own pages: the home (the editions), charts, downloads, vocabulary, queries."""
    queries = tuple(labelled(table, ix) for table in queries)
    home = SiteHome(title, plan_views[0].editions, site_charts.editions, plan_views[0])
    vocabulary = tuple(d for d in plan_views[0].downloads if "/" not in d.path)
    svgs = ["charts/editions.svg"] + [f"{c.folder}/{n}.svg" for c in site_charts.per_edition for n in CHART_NAMES]
    downloads = DownloadsView(
        editions=tuple((ix.ref(URIRef(v.iri)), tuple(d for d in v.downloads if "/" in d.path)) for v in plan_views),
        vocabulary=vocabulary,
        charts=tuple(svgs),
    )
    pages = [
        Page("index", "site.html", title, home),
        Page("charts", "charts.html", Label("図表", "Charts"), site_charts),
        Page("downloads", "downloads.html", Label("ダウンロード", "Downloads"), downloads),
        Page("ontology", "ontology.html", Label("語彙", "Vocabulary"), ontology_view(ontology, imi_mappings())),
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
