"""Work in a child process with a deadline, and work spread over a pool of processes.

Neither rdflib, pySHACL nor pyoxigraph can be interrupted once they run, and a thread cannot be
stopped, so bounded work (a local query, a validation under ``--timeout``) runs in a child process
that is killed (SIGKILL) at its deadline: :func:`run_within`. Where ``fork`` exists the child shares
the parent's memory; elsewhere the task must pickle (a ``functools.partial`` of a module-level
function with plain arguments does). :func:`in_order` maps a function over items in worker
processes, keeping the input order, so output never depends on which worker finishes first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from plan2rdf.i18n import Text
from plan2rdf.problems import ActionableError, InputError

T = TypeVar("T")
R = TypeVar("R")


class WorkerError(ActionableError):
    """The worker failed (its exception, as text) or ended without an answer."""


def forking() -> bool:
    """Whether children are forked (they share the parent's memory) rather than spawned."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _child(conn: Any, task: Callable[[], Any]) -> None:
    """The child process of :func:`run_within`: run the task, send back its result or its problems."""
    try:
        conn.send(("ok", task()))
    except InputError as exc:  # its problems travel; the exception itself does not pickle back
        conn.send(("input", exc.problems))
    except ActionableError as exc:
        conn.send(("actionable", exc.whole()))  # both languages, hint included: the parent prints it
    except Exception as exc:  # reported by the parent; a traceback in a worker helps nobody
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def run_within(task: Callable[[], T], timeout: float, on_timeout: Callable[[float], Exception]) -> T:
    """``task()`` in a child process, killed after ``timeout`` seconds; then ``on_timeout(timeout)``
    is raised. The task's InputError and ActionableError are raised again here, any other failure
    as WorkerError."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork" if forking() else "spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender, task), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise on_timeout(timeout)
        try:
            status, payload = receiver.recv()
        except EOFError:
            process.join()
            code = process.exitcode
            raise WorkerError(
                Text(
                    ja=f"作業プロセスが応答なしに終了しました（終了コード {code}）",
                    en=f"the worker ended unexpectedly (exit code {code})",
                )
            ) from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if status == "input":
        raise InputError(payload)
    if status == "actionable":
        raise ActionableError(payload)
    if status != "ok":
        raise WorkerError(payload)
    return payload


def in_order(
    function: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int,
    chunksize: int = 1,
    warm_up: Callable[[], None] | None = None,
) -> Iterator[R]:
    """``function`` over ``items``, in ``jobs`` worker processes (in this one when ``jobs`` is 1),
    yielding the results in the order of ``items``. ``function`` must be a module-level function.
    ``warm_up`` (picklable) runs once in each worker, before the heap is frozen: see :func:`_started`."""
    items = list(items)
    with Pool(min(jobs, len(items)), warm_up=warm_up) as pool:
        yield from pool.in_order(function, items, chunksize=chunksize)


class Pool:
    """Worker processes for :meth:`in_order`, started (and warmed up) when the pool is made: their
    start overlaps what this process does before it maps anything. With ``jobs`` 1 there are none,
    and items are mapped in this process."""

    def __init__(self, jobs: int, *, warm_up: Callable[[], None] | None = None):
        self.executor = None
        if jobs > 1:
            from concurrent.futures import ProcessPoolExecutor

            self.executor = ProcessPoolExecutor(max_workers=jobs, initializer=_started, initargs=(warm_up,))
            self.executor.submit(_ready)  # the workers start now (forked: all of them), not at the first item

    def in_order(self, function: Callable[[T], R], items: Iterable[T], *, chunksize: int = 1) -> Iterator[R]:
        """``function`` over ``items`` in the workers, the results in the order of ``items``."""
        items = list(items)
        if self.executor is None or len(items) <= 1:
            yield from map(function, items)
            return
        yield from self.executor.map(function, items, chunksize=chunksize)

    def close(self) -> None:
        """The workers told to end once their work is done, without waiting for them: they end
        while this process goes on, and their memory is freed sooner."""
        if self.executor is not None:
            self.executor.shutdown(wait=False)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)


def _ready() -> None:
    """The task that starts a pool's workers."""


def _started(warm_up: Callable[[], None] | None) -> None:
    """A worker's start: what every task needs made, then frozen (collector.freeze_after); walking
    a worker's modules, shapes and tables on every full collection cost a tenth of a plan's time."""
    from plan2rdf.collector import freeze_after

    freeze_after(warm_up)
