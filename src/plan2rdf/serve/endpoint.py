"""The SPARQL 1.1 Protocol endpoint (``/sparql``): queries by GET, POST form or POST body;
answers in SPARQL JSON, XML, CSV or TSV (graphs in Turtle or N-Triples) by Accept or ``format=``."""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from plan2rdf.i18n import Text
from plan2rdf.serve.checks import HOW_TO_SEND, READ_ONLY, Refused
from plan2rdf.serve.context import Context, refusal, run_query
from plan2rdf.serve.negotiate import choose
from plan2rdf.serve.rdf import convert_ntriples
from plan2rdf.serve.results import ALSO_ACCEPTED, GRAPH_TYPES, RESULT_TYPES, WRITERS
from plan2rdf.serve.worker import Answer

MAX_BODY = 1_000_000  # bytes of a POSTed query


async def sparql_text(request: Request) -> tuple[str | None, dict[str, list[str]]]:
    """The query text and the dataset parameters of a SPARQL 1.1 Protocol request."""
    params = {k: request.query_params.getlist(k) for k in request.query_params}
    if request.method != "POST":
        if "update" in params:
            raise Refused(403, READ_ONLY)
        return (params.get("query") or [None])[0], params
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/sparql-update":
        raise Refused(403, READ_ONLY)
    body = await request.body()
    if len(body) > MAX_BODY:
        megabytes = MAX_BODY // 1_000_000
        raise Refused(
            413, Text(ja=f"要求が {megabytes} MB を超えます", en=f"the request is larger than {megabytes} MB")
        )
    if kind == "application/sparql-query":
        return body.decode("utf-8", "replace"), params
    if kind == "application/x-www-form-urlencoded":
        # parsed here: Starlette's form parser needs one more package (python-multipart)
        merged = params | parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        if "update" in merged:
            raise Refused(403, READ_ONLY)
        return (merged.get("query") or [None])[0], merged
    raise Refused(
        415,
        Text(
            ja="クエリーは query=…（フォーム）か、Content-Type application/sparql-query で送ってください",
            en="send the query as query=… (form) or with Content-Type application/sparql-query",
        ),
    )


def answer_response(answer: Answer, accept: str | None, fmt: str | None) -> Response:
    """The answer in the format asked for (``format=`` first, then Accept; SPARQL JSON by default)."""
    if answer.kind == "graph":
        chosen = GRAPH_TYPES.get(fmt or "") or choose(accept, list(GRAPH_TYPES.values())) or GRAPH_TYPES["turtle"]
        name = "turtle" if chosen == GRAPH_TYPES["turtle"] else "ntriples"
        return Response(convert_ntriples(answer.ntriples, name), media_type=f"{chosen}; charset=utf-8")
    offered = list(RESULT_TYPES.values()) + list(ALSO_ACCEPTED)
    if fmt in RESULT_TYPES:
        key = fmt
    else:
        chosen = choose(accept, offered) or RESULT_TYPES["json"]
        key = ALSO_ACCEPTED.get(chosen) or next(k for k, v in RESULT_TYPES.items() if v == chosen)
    return Response(WRITERS[key](answer), media_type=f"{RESULT_TYPES[key]}; charset=utf-8")


async def sparql(request: Request) -> Response:
    ctx: Context = request.app.state.ctx
    try:
        text, params = await sparql_text(request)
        if text is None:
            if choose(request.headers.get("accept"), ["text/html", "application/sparql-results+json"]) == "text/html":
                return RedirectResponse("editor", status_code=303)
            raise Refused(400, Text(ja="クエリーがありません。", en="no query: ") + HOW_TO_SEND)
        answer = await run_query(
            ctx,
            text,
            default_graphs=params.get("default-graph-uri", []),
            named_graphs=params.get("named-graph-uri", []),
        )
    except Refused as exc:
        return refusal(request, exc.status, exc.message)
    return answer_response(answer, request.headers.get("accept"), (params.get("format") or [None])[0])
