"""Canned queries as live pages (``/queries``, ``/queries/NAME``) and the SPARQL editor (``/editor``).

``/queries/NAME?PARAM=VALUE`` fills the form and runs the query with the parameters bound as RDF
terms exactly as ``plan2rdf query --param`` binds them (plan2rdf.query.bind), written into the query
as a VALUES row (plan2rdf.query.inline_bindings); ``&format=csv|json`` answers with the rows alone,
in the formats ``plan2rdf query --format csv|json`` prints. An empty form field means "not given".
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from plan2rdf.i18n import Text
from plan2rdf.serve import pages
from plan2rdf.serve.checks import Refused
from plan2rdf.serve.context import Context, message_lang, refusal, run_query
from plan2rdf.serve.results import to_result

ROWS_FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/sparql-results+json; charset=utf-8"}


def html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status)


async def catalogue_page(request: Request) -> Response:
    ctx: Context = request.app.state.ctx
    return html(pages.render("catalogue.html", title="問い合わせの一覧", root="", queries=list(ctx.catalogue)))


async def query_page(request: Request) -> Response:
    from plan2rdf.query import ParameterError, bind, format_csv, format_json, inline_bindings

    ctx: Context = request.app.state.ctx
    name = request.path_params["name"].removesuffix(".html")
    query = ctx.catalogue.get(name)
    if query is None:
        missing = Text(ja=f"そのような問い合わせはありません: {name}（/queries を参照）",
                       en=f"no such query: {name} (see /queries)")  # fmt: skip
        return refusal(request, 404, missing)
    fmt = request.query_params.get("format")
    if fmt is not None and fmt not in ROWS_FORMATS:
        wrong = Text(ja=f"format は csv か json です（{fmt!r} ではなく）",
                     en=f"format must be csv or json, not {fmt!r}")  # fmt: skip
        return refusal(request, 400, wrong)
    values = {k: v for k, v in request.query_params.items() if k != "format" and v != ""}
    context = {"q": query, "values": values, "root": "../", "rows": None, "columns": [], "error": None,
               "title": query.title_ja or query.name}  # fmt: skip
    status = 200
    editor_text = query.body
    try:
        bindings = bind(query, values)
        editor_text = inline_bindings(query.body, bindings)
        answer = await run_query(ctx, inline_bindings(query.text, bindings))
        result = to_result(answer)
        if fmt is not None:
            text = format_csv(result) if fmt == "csv" else format_json(result)
            return Response(text, media_type=ROWS_FORMATS[fmt])
        context["columns"] = result.columns
        context["rows"] = pages.cells(result, site=ctx.served.site, base=ctx.served.base_iri, root="../")
    except (ParameterError, Refused) as exc:
        status = exc.status if isinstance(exc, Refused) else 400
        message = exc.message if isinstance(exc, Refused) else exc.whole()
        if fmt is not None:
            return refusal(request, status, message)
        context["error"] = message.get(message_lang(request))
    context["csv_link"] = pages.with_format(values, "csv")
    context["json_link"] = pages.with_format(values, "json")
    context["editor_link"] = urlencode({"query": editor_text})
    return html(pages.render("query.html", **context), status)


async def editor_page(request: Request) -> Response:
    ctx: Context = request.app.state.ctx
    text = request.query_params.get("query")
    context = {"title": "SPARQL エディタ", "root": "", "query": text or pages.default_query(), "ran": text is not None,
               "rows": None, "columns": [], "error": None, "boolean": None, "graph": None,
               "max_rows": ctx.limits.max_rows, "timeout": f"{ctx.limits.timeout:g}"}  # fmt: skip
    status = 200
    if text is not None:
        context["csv_link"] = urlencode({"query": text, "format": "csv"})
        context["json_link"] = urlencode({"query": text, "format": "json"})
        try:
            answer = await run_query(ctx, text)
        except Refused as exc:
            context["error"], status = exc.message.get(message_lang(request)), exc.status
        else:
            if answer.kind == "ask":
                context["boolean"] = answer.boolean
            elif answer.kind == "graph":
                context["graph"] = answer.ntriples
            else:
                result = to_result(answer)
                context["columns"] = result.columns
                context["rows"] = pages.cells(result, site=ctx.served.site, base=ctx.served.base_iri, root="")
    return html(pages.render("editor.html", **context), status)
