"""The ASGI application (Starlette): the site with content negotiation, the SPARQL 1.1 Protocol
endpoint at ``/sparql``, live canned queries at ``/queries/NAME`` and an editor at ``/editor``.

Only GET and HEAD (and POST to ``/sparql``) are answered; files come from the site rendered in
memory, never from the file system.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Route

from plan2rdf.serve.context import Context
from plan2rdf.serve.endpoint import sparql
from plan2rdf.serve.files import site_file
from plan2rdf.serve.live import catalogue_page, editor_page, query_page


def build_app(ctx: Context) -> Starlette:
    routes = [
        Route("/sparql", sparql, methods=["GET", "HEAD", "POST"]),
        Route("/editor", editor_page, methods=["GET", "HEAD"]),
        Route("/queries", catalogue_page, methods=["GET", "HEAD"]),
        Route("/queries.html", catalogue_page, methods=["GET", "HEAD"]),
        Route("/queries/{name}", query_page, methods=["GET", "HEAD"]),
        Route("/{path:path}", site_file, methods=["GET", "HEAD"]),
    ]
    app = Starlette(routes=routes)
    app.state.ctx = ctx
    return app
