"""A local query under a time limit: loading and evaluation in a worker process killed at the deadline.

Neither rdflib nor pyoxigraph can be interrupted once a query runs, and a thread cannot be stopped,
so a runaway query (a cross product over the whole graph) would run for as long as it likes. Here
the whole local query — reading the data, building the bundled plan's graph, evaluating — runs in
a child process; at the deadline the child is killed (SIGKILL) and :class:`QueryTimeout` raised.
Where ``fork`` exists the child shares the parent's memory; elsewhere the task must pickle (a
``functools.partial`` of :func:`local_run` with plain arguments does).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from plan2rdf.i18n import Text
from plan2rdf.problems import ActionableError
from plan2rdf.query.engines import Result, make_engine, oxigraph_engine, run
from plan2rdf.query.queryfile import CannedQuery


class QueryTimeout(ActionableError):
    """The local query did not finish within the time allowed; its worker was killed."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(
            Text(
                ja=f"クエリーが {seconds:g} 秒以内に終わらなかったので止めました。--timeout SECONDS で時間を延ばすか、"
                "クエリーを絞ってください（何もつながないパターンはグラフ全体の直積になります）",
                en=f"the query did not finish within {seconds:g} s and was stopped; give it more time with "
                "--timeout SECONDS, or narrow it (a pattern that joins nothing is a cross product of the whole graph)",
            )
        )


def local_run(
    query: CannedQuery,
    params: Mapping[str, str],
    *,
    engine: str = "rdflib",
    data: Sequence[Path] = (),
    graph: Callable[[], Any] | None = None,
    store: Path | None = None,
) -> Result:
    """The query on the files, on an Oxigraph store directory, or on the graph ``graph()`` makes."""
    if store is not None:
        from plan2rdf.rdfio.store import open_store

        return run(query, oxigraph_engine(open_store(store)), params)
    return run(query, make_engine(engine, list(data), graph=graph), params)


def run_within(task: Callable[[], Result], timeout: float) -> Result:
    """``task()`` in a worker process, killed after ``timeout`` seconds (QueryTimeout)."""
    from plan2rdf import workers

    return workers.run_within(task, timeout, QueryTimeout)
