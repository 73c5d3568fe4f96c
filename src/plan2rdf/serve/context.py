"""What every handler works with: the served data, the query workers, the catalogue and the limits;
and running one query within them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse

from plan2rdf.i18n import Text
from plan2rdf.serve.checks import Refused, check_query
from plan2rdf.serve.data import Served
from plan2rdf.serve.negotiate import choose_language
from plan2rdf.serve.pool import Busy, QueryPool, TimedOut
from plan2rdf.serve.worker import Answer, Ask


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0
    max_rows: int = 10000
    max_concurrent: int = 2


@dataclass
class Context:
    served: Served
    pool: QueryPool
    catalogue: Any  # plan2rdf.query.Catalogue
    limits: Limits
    lang: str = "en"  # of messages to a client whose Accept-Language names neither ja nor en


def message_lang(request: Request) -> str:
    """The language of the messages to this client: its Accept-Language, else the server's."""
    ctx: Context = request.app.state.ctx
    return choose_language(request.headers.get("accept-language"), ("ja", "en"), ctx.lang)


def refusal(request: Request, status: int, message: Text, **headers: str) -> PlainTextResponse:
    """A plain-text error answer in the client's language (saying which, and that it depends on
    Accept-Language, so a cache keeps both)."""
    lang = message_lang(request)
    vary = ", ".join(filter(None, (headers.pop("Vary", ""), "Accept-Language")))
    headers = {**headers, "Content-Language": lang, "Vary": vary}
    return PlainTextResponse(message.get(lang) + "\n", status_code=status, headers=headers)


async def run_query(ctx: Context, text: str, *, default_graphs=(), named_graphs=()) -> Answer:
    """Check and run a query in a worker; Refused with the status to answer when it is not run."""
    check_query(text)
    ask = Ask(text, ctx.limits.max_rows, tuple(default_graphs), tuple(named_graphs))
    try:
        answer = await ctx.pool.run(ask)
    except TimedOut:
        limit = f"{ctx.limits.timeout:g}"
        raise Refused(
            503,
            Text(
                ja=f"クエリーがサーバーの制限時間 {limit} 秒を超えたので止めました",
                en=f"the query ran longer than {limit} s (the server's time limit) and was stopped",
            ),
        ) from None
    except Busy:
        busy = Text(
            ja="サーバーはほかのクエリーで手いっぱいです。少し待ってからやり直してください",
            en="the server is busy with other queries; try again shortly",
        )
        raise Refused(503, busy) from None
    if answer.kind == "error":  # the engine's own words, in English
        raise Refused(
            400,
            Text(
                ja=f"クエリーを解析または評価できません: {answer.message}",
                en=f"the query does not parse or cannot be evaluated: {answer.message}",
            ),
        )
    if answer.kind == "too-big":
        cap, what = ctx.limits.max_rows, answer.message
        raise Refused(
            400,
            Text(
                ja=f"答えが {f'{cap} 行' if what == 'rows' else f'トリプル {cap} 件'}（サーバーの上限）を超えます。"
                "LIMIT と OFFSET で分けて取り出してください",
                en=f"the query answers more than {cap} {what} (the server's limit); add LIMIT and OFFSET to page "
                "through them",
            ),
        )
    return answer
