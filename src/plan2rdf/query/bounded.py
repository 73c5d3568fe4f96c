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
from plan2rdf.problems import ActionableError, InputError
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


def _worker(conn: Any, task: Callable[[], Result]) -> None:
    """Child process of :func:`run_within`: run the task, send back its result or its problems."""
    try:
        conn.send(("ok", task()))
    except InputError as exc:  # its problems travel; the exception itself does not pickle back
        conn.send(("input", exc.problems))
    except ActionableError as exc:
        conn.send(("actionable", exc.whole()))  # both languages: the parent prints it
    except Exception as exc:  # reported by the parent; a traceback in a worker helps nobody
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def run_within(task: Callable[[], Result], timeout: float) -> Result:
    """``task()`` in a worker process, killed after ``timeout`` seconds (QueryTimeout)."""
    import multiprocessing

    forking = "fork" in multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if forking else "spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_worker, args=(sender, task), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryTimeout(timeout)
        try:
            status, payload = receiver.recv()
        except EOFError:
            process.join()
            raise ActionableError(
                Text(
                    ja=f"クエリーのワーカーが予期せず終了しました（終了コード {process.exitcode}）",
                    en=f"the query worker ended unexpectedly (exit code {process.exitcode})",
                )
            ) from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if status == "input":
        raise InputError(payload)
    if status != "ok":
        raise ActionableError(payload)
    return payload
