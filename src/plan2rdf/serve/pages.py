"""The server's own pages (live query catalogue, query pages, the SPARQL editor) from jinja2
templates with autoescape. The pages work without JavaScript: plain HTML forms sent with GET."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jinja2

from plan2rdf.version import __version__

DEFAULT_QUERY_BODY = """SELECT ?measure ?identifier ?title WHERE {
  ?measure a p2r:Measure ;
           dcterms:identifier ?identifier ;
           dcterms:title ?title .
}
ORDER BY ?identifier
LIMIT 20
"""


@dataclass(frozen=True)
class Cell:
    """One result cell as a page shows it: its text, a link (a page of the site, or the IRI), its language."""

    text: str
    href: str | None = None
    lang: str | None = None


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("plan2rdf.serve", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["version"] = __version__
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def prefixes_block() -> str:
    """The project's prefixes as SPARQL PREFIX declarations (the editor's starting text)."""
    from plan2rdf.vocab import PREFIXES

    return "".join(f"PREFIX {name}: <{ns}>\n" for name, ns in PREFIXES.items())


def default_query() -> str:
    return prefixes_block() + "\n" + DEFAULT_QUERY_BODY


def cells(result: Any, *, site: Mapping[str, bytes], base: str, root: str) -> list[list[Cell]]:
    """Rows of a query.Result as cells; an IRI of a page of the site links to that page."""
    from rdflib import Literal, URIRef

    rows = []
    for row in result.rows:
        line = []
        for term in row:
            if term is None:
                line.append(Cell(""))
            elif isinstance(term, URIRef):
                iri = str(term)
                path = iri[len(base) :] if iri.startswith(base) else None
                local = path is not None and f"{path}.html" in site
                line.append(Cell(iri, href=f"{root}{path}" if local else iri))
            else:
                lang = term.language if isinstance(term, Literal) else None
                line.append(Cell(str(term), lang=lang))
        rows.append(line)
    return rows


def with_format(params: Mapping[str, str], fmt: str) -> str:
    """A query string of the same parameters with ``format=fmt`` (the CSV and JSON links)."""
    return urlencode([*((k, v) for k, v in params.items() if k != "format"), ("format", fmt)])
