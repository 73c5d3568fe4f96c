"""What every handler works with: the served data, the query workers, the catalogue and the limits;
and running one query within them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.responses import PlainTextResponse

from plan2rdf.serve.checks import Refused, check_query
from plan2rdf.serve.data import Served
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


def refusal(status: int, message: str, **headers: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


async def run_query(ctx: Context, text: str, *, default_graphs=(), named_graphs=()) -> Answer:
    """Check and run a query in a worker; Refused with the status to answer when it is not run."""
    check_query(text)
    ask = Ask(text, ctx.limits.max_rows, tuple(default_graphs), tuple(named_graphs))
    try:
        answer = await ctx.pool.run(ask)
    except TimedOut:
        raise Refused(
            503, f"the query ran longer than {ctx.limits.timeout:g} s (the server's time limit) and was stopped"
        ) from None
    except Busy:
        raise Refused(503, "the server is busy with other queries; try again shortly") from None
    if answer.kind == "error":
        raise Refused(400, f"the query does not parse or cannot be evaluated: {answer.message}")
    if answer.kind == "too-big":
        raise Refused(400, f"{answer.message} (the server's limit); add LIMIT and OFFSET to page through them")
    return answer
