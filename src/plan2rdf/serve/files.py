"""The site's files, rendered in memory, with content negotiation on every resource's IRI path.

``/PATH`` of a resource answers ``PATH.html``, ``PATH.ttl``, ``PATH.jsonld`` or its N-Triples by the
Accept header (HTML when the client takes anything, as browsers and ``curl`` do); ``/PATH.ttl`` and
``/PATH.jsonld`` (and ``/PATH.nt``) name one format, as on the static site.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from plan2rdf.i18n import Text
from plan2rdf.serve.context import Context, refusal
from plan2rdf.serve.negotiate import choose
from plan2rdf.serve.rdf import turtle_to_ntriples

FILE_TYPES = {
    "html": "text/html; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json; charset=utf-8",
    "nt": "application/n-triples; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "svg": "image/svg+xml",
    "css": "text/css; charset=utf-8",
}
# What a resource's IRI path answers with, by Accept, in the server's order of preference.
RESOURCE_TYPES = {"text/html": "html", "text/turtle": "ttl", "application/ld+json": "jsonld",
                  "application/n-triples": "nt"}  # fmt: skip


def file_response(ctx: Context, path: str, **headers: str) -> Response | None:
    """The site file at ``path`` (N-Triples made from the description's Turtle), or None."""
    site = ctx.served.site
    extension = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    if path in site:
        media = FILE_TYPES.get(extension, "application/octet-stream")
        return Response(site[path], media_type=media, headers=headers)
    if extension == "nt" and path[:-3] + ".ttl" in site:
        base = ctx.served.base_iri + path[:-3]
        return Response(turtle_to_ntriples(site[path[:-3] + ".ttl"], base), media_type=FILE_TYPES["nt"],
                        headers=headers)  # fmt: skip
    return None


async def site_file(request: Request) -> Response:
    ctx: Context = request.app.state.ctx
    path = request.path_params["path"]
    if path == "" or path.endswith("/"):
        path += "index.html"
    if ".." in path.split("/"):
        return refusal(request, 404, Text(ja="見つかりません", en="not found"))
    direct = file_response(ctx, path)
    if direct is not None:
        return direct
    if f"{path}.html" not in ctx.served.site and f"{path}.ttl" not in ctx.served.site:
        return not_found(request, path)
    chosen = choose(request.headers.get("accept"), list(RESOURCE_TYPES))
    if chosen is None:
        offered = ", ".join(RESOURCE_TYPES)
        unacceptable = Text(
            ja=f"受け付けられる形式がありません: /{path} は {offered} で提供しています",
            en=f"not acceptable: /{path} is available as {offered}",
        )
        return refusal(request, 406, unacceptable, Vary="Accept")
    found = file_response(ctx, f"{path}.{RESOURCE_TYPES[chosen]}", Vary="Accept")
    if found is None:  # a page without a description of its own (or the reverse)
        found = file_response(ctx, f"{path}.html", Vary="Accept")
    return found or not_found(request, path)


def not_found(request: Request, path: str) -> PlainTextResponse:
    return refusal(request, 404, Text(ja=f"見つかりません: /{path}", en=f"not found: /{path}"))
