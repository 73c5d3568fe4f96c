"""Starting the server: the optional web stack checked, the data loaded, the workers started, uvicorn run."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from plan2rdf.i18n import Text
from plan2rdf.problems import ActionableError
from plan2rdf.settings import BuildSettings


class WebStackMissing(ActionableError):
    """starlette, uvicorn or pyoxigraph (the ``serve`` extra) is not installed."""


def require_web_stack() -> None:
    """WebStackMissing, saying what to install, unless the ``serve`` extra is installed."""
    missing = []
    for module in ("starlette", "uvicorn", "pyoxigraph"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise WebStackMissing(
            Text(
                ja=f"plan2rdf serve には {', '.join(missing)} が必要です: pip install 'plan2rdf[serve]'"
                "（Starlette、uvicorn、pyoxigraph）",
                en=f"plan2rdf serve needs {', '.join(missing)}: pip install 'plan2rdf[serve]' (Starlette, uvicorn, "
                "pyoxigraph)",
            )
        )


def prepare(arguments: Sequence[Path], *, settings: BuildSettings, limits: Any, lang: str = "en") -> Any:
    """Everything the app answers from (a serve.context.Context): data loaded, workers started;
    ``lang`` is that of messages to clients whose Accept-Language names neither ja nor en."""
    from plan2rdf.query import load_catalogue
    from plan2rdf.serve.context import Context
    from plan2rdf.serve.data import load
    from plan2rdf.serve.pool import QueryPool

    served = load(arguments, settings=settings)
    catalogue = load_catalogue(check=None)  # the query tests check every query's syntax
    pool = QueryPool(served.nquads, size=limits.max_concurrent, timeout=limits.timeout)
    return Context(served, pool, catalogue, limits, lang)


def run(context: Any, *, host: str, port: int, started: Callable[[], None] | None = None) -> None:
    """Serve until interrupted (Ctrl-C); ``started`` is called once the port is listening."""
    import uvicorn

    from plan2rdf.serve.app import build_app

    config = uvicorn.Config(build_app(context), host=host, port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    if started is not None:
        original = server.startup

        async def startup(sockets=None) -> None:
            await original(sockets=sockets)
            started()

        server.startup = startup  # type: ignore[method-assign]
    try:
        server.run()
    finally:
        context.pool.close()
