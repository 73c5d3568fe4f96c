"""The jinja2 templates (site/templates, autoescape on for every one) turned into the site's HTML
pages, standalone SVG charts and server configurations; links are relative to each page."""

from __future__ import annotations

from collections.abc import Sequence

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from rdflib.namespace import SKOS

from plan2rdf import resources
from plan2rdf.site.index import Index, compact, decimal_text
from plan2rdf.site.layout import Layout, base_path
from plan2rdf.site.models import Label, Nav, Page, PlanView, SiteCharts
from plan2rdf.version import __version__
from plan2rdf.vocab import P2R

STATIC_FILES = ("site.css", "favicon.svg")
CHART_NAMES = ("heatmap", "bars", "network")


def script_json(text: str) -> Markup:
    """JSON for a <script> element: ``<``, ``>`` and ``&`` as \\u escapes, so no ``</script>`` or
    ``<!--`` can appear inside it (JSON readers decode the escapes back)."""
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("plan2rdf.site", "templates"),
        autoescape=True,  # every template, HTML and SVG alike
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["script_json"] = script_json
    env.filters["decimal"] = decimal_text
    env.filters["thousands"] = lambda n: f"{n:,}"
    return env


def navigation(ix: Index, view: PlanView) -> Nav:
    """Home, the plan's directions and departments, each themes scheme in use, then the site's pages."""
    items: list[tuple[str, Label]] = [("index", Label("ホーム", "Home"))]
    if view.scheme is not None:
        items.append((view.scheme.iri, Label("施策の展開方向", "Directions")))
    if view.publisher is not None:
        items.append((view.publisher.iri, Label("部局", "Departments")))
    themes = {s for t in ix.of_type(SKOS.Concept) for s in ix.refs(t, SKOS.inScheme) if ix.subjects(P2R.theme, t)}
    for scheme in sorted(themes, key=str):
        items.append((str(scheme), Label("技術テーマ", "Themes")))
    items += [
        ("charts", Label("図表", "Charts")),
        ("queries", Label("問い合わせ", "Queries")),
        ("ontology", Label("語彙", "Vocabulary")),
        ("downloads", Label("ダウンロード", "Downloads")),
    ]
    return Nav(tuple(items))


def html_files(
    env: Environment, pages: Sequence[Page], *, layout: Layout, nav: Nav, site_title: Label, base: str
) -> dict[str, bytes]:
    """``{path}.html`` of every page."""
    return {
        f"{page.path}.html": render_page(env, page, layout=layout, nav=nav, site_title=site_title, base=base).encode(
            "utf-8"
        )
        for page in pages
    }


def render_page(env: Environment, page: Page, *, layout: Layout, nav: Nav, site_title: Label, base: str) -> str:
    """One page as HTML, every link relative to it (a server can render any page alone)."""
    here = f"{page.path}.html"

    def url(iri: str) -> str:
        return layout.url(here, iri)

    def link(target: str) -> str:
        """One of the site's own pages (by its path) or files, or a resource (by its IRI)."""
        if target.startswith(("http://", "https://")):
            return url(target)
        return layout.href(here, f"{target}.html" if target in layout.site_pages else target)

    alternates = None
    if page.resource is not None and page.resource in layout.pages:
        own = layout.pages[page.resource]
        alternates = {ext: layout.href(here, f"{own}.{ext}") for ext in ("ttl", "jsonld")}
    return env.get_template(page.template).render(
        page=page,
        data=page.data,
        url=url,
        link=link,
        nav=nav,
        here=page.path,
        site_title=site_title,
        alternates=alternates,
        iri=page.resource,
        base=base,
        version=__version__,
        compact=compact,
    )


def chart_files(env: Environment, site: SiteCharts, layout: Layout) -> dict[str, bytes]:
    """Each chart also as a standalone SVG: charts/editions.svg, and each edition's in
    charts/{series}/{edition}/ (so adding an edition adds files beside the old ones)."""
    charts = [("charts/editions.svg", "editions", site.editions)]
    for edition in site.per_edition:
        charts += [(f"{edition.folder}/{name}.svg", name, getattr(edition, name)) for name in CHART_NAMES]
    files = {}
    for path, name, chart in charts:
        svg = env.get_template(f"{name}.svg").render(
            chart=chart, url=lambda iri, _p=path: layout.url(_p, iri), standalone=True, prefix=name
        )
        files[path] = svg.encode("utf-8")
    return files


def static_files() -> dict[str, bytes]:
    return {f"static/{name}": resources.static(name) for name in STATIC_FILES}


def config_files(env: Environment, base: str) -> dict[str, bytes]:
    """.htaccess and nginx.conf: content negotiation for the site hosted at ``base``."""
    conneg = {"base": base, "path": base_path(base), "version": __version__}
    return {
        ".htaccess": env.get_template("htaccess.conf").render(**conneg).encode("utf-8"),
        "nginx.conf": env.get_template("nginx.conf").render(**conneg).encode("utf-8"),
    }
