"""A pool of query worker processes with a deadline per query and a limit on concurrent queries.

pyoxigraph evaluates a query to the end once it has started: a thread cannot be stopped, so a
runaway query in a thread would hold a core until it finished. Each worker here is a process with
its own copy of the store (loaded from N-Quads once); a query that outlives its time limit has its
worker killed (SIGKILL) and a fresh one started in its place, so the limit holds for every query.
There are as many workers as concurrent queries allowed; a request that finds none free within the
time limit is told the server is busy.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from dataclasses import dataclass
from typing import Any

from plan2rdf.serve.worker import Answer, Ask, serve_queries

START_TIMEOUT = 120.0  # seconds a worker may take to load the data


class Busy(Exception):
    """Every worker stayed busy for the whole time limit."""


class TimedOut(Exception):
    """The query ran longer than the time limit; its worker was killed."""


@dataclass
class Worker:
    process: Any
    connection: Any

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


class QueryPool:
    """``size`` worker processes over the same data; ``run`` answers one query within ``timeout``."""

    def __init__(self, nquads: bytes, *, size: int = 2, timeout: float = 10.0):
        self.nquads = nquads
        self.size = size
        self.timeout = timeout
        self.context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self.idle: list[Worker] = []
        self.lock = threading.Lock()
        self.free = threading.Semaphore(0)
        self.closed = False
        starting = [self._spawn() for _ in range(size)]
        for worker in starting:
            self._wait_ready(worker)
            self._give_back(worker)

    def _spawn(self) -> Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=serve_queries, args=(self.nquads, child), daemon=True)
        process.start()
        child.close()
        return Worker(process, parent)

    def _wait_ready(self, worker: Worker) -> None:
        if not worker.connection.poll(START_TIMEOUT) or worker.connection.recv() != "ready":
            worker.kill()
            raise RuntimeError("a query worker did not start")

    def _give_back(self, worker: Worker) -> None:
        with self.lock:
            if self.closed:
                worker.kill()
                return
            self.idle.append(worker)
        self.free.release()

    def _replace(self) -> None:
        """Start a worker for one that was killed (in the background: the caller answers at once)."""

        def start() -> None:
            worker = self._spawn()
            try:
                self._wait_ready(worker)
            except (RuntimeError, EOFError, OSError):
                return
            self._give_back(worker)

        threading.Thread(target=start, daemon=True).start()

    def run_blocking(self, ask: Ask) -> Answer:
        """Answer one query in a worker: Busy when none is free in time, TimedOut when it runs too long."""
        if not self.free.acquire(timeout=self.timeout):
            raise Busy()
        with self.lock:
            worker = self.idle.pop()
        try:
            worker.connection.send(ask)
            if worker.connection.poll(self.timeout):
                answer = worker.connection.recv()
                self._give_back(worker)
                return answer
        except (EOFError, OSError):  # the worker died (e.g. out of memory): same as timing out
            worker.kill()
            self._replace()
            raise TimedOut() from None
        worker.kill()
        self._replace()
        raise TimedOut()

    async def run(self, ask: Ask) -> Answer:
        return await asyncio.to_thread(self.run_blocking, ask)

    def close(self) -> None:
        with self.lock:
            self.closed = True
            workers, self.idle = self.idle, []
        for worker in workers:
            worker.kill()
