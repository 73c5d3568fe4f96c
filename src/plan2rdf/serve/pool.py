"""A pool of query worker processes with a deadline per query and a limit on concurrent queries.

pyoxigraph evaluates a query to the end once it has started: a thread cannot be stopped, so a
runaway query in a thread would hold a core until it finished. Each worker here is a process with
its own copy of the store (loaded from N-Quads once); a query that outlives its time limit has its
worker killed (SIGKILL) and a fresh one started in its place, so the limit holds for every query.
There are as many workers as concurrent queries allowed; a request that finds none free within the
time limit is told the server is busy. Workers are plain subprocesses (``python -c``), so they never
re-run the program that started the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from plan2rdf.serve.worker import Answer, Ask, receive, send

START_TIMEOUT = 120.0  # seconds a worker may take to load the data
WORKER = [sys.executable, "-c", "from plan2rdf.serve.worker import main; main()"]


class Busy(Exception):
    """Every worker stayed busy for the whole time limit."""


class TimedOut(Exception):
    """The query ran longer than the time limit; its worker was killed."""


@dataclass
class Worker:
    process: subprocess.Popen

    def ask(self, message: Any, timeout: float) -> Any:
        """Send a message and wait for the answer; TimeoutError after ``timeout`` seconds."""
        send(self.process.stdin, message)
        return self.answer(timeout)

    def answer(self, timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        out = self.process.stdout
        while not select.select([out], [], [], max(0.0, deadline - time.monotonic()))[0]:
            if time.monotonic() >= deadline:
                raise TimeoutError
        return receive(out)  # the worker writes a whole answer at once

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(5)
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()


class QueryPool:
    """``size`` worker processes over the same data; ``run`` answers one query within ``timeout``."""

    def __init__(self, nquads: bytes, *, size: int = 2, timeout: float = 10.0):
        self.nquads = nquads
        self.timeout = timeout
        self.idle: list[Worker] = []
        self.lock = threading.Lock()
        self.free = threading.Semaphore(0)
        self.closed = False
        # threads that wait for workers: one per query running plus a queue of waiting ones
        self.threads = ThreadPoolExecutor(max_workers=size * 4 + 4, thread_name_prefix="plan2rdf-query")
        for worker in [self._spawn() for _ in range(size)]:
            self._ready(worker)

    def _spawn(self) -> Worker:
        process = subprocess.Popen(WORKER, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        worker = Worker(process)
        send(process.stdin, self.nquads)
        return worker

    def _ready(self, worker: Worker) -> None:
        try:
            if worker.answer(START_TIMEOUT) != "ready":
                raise EOFError
        except (TimeoutError, EOFError, OSError):
            worker.kill()
            raise RuntimeError("a query worker did not start") from None
        self._give_back(worker)

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
            with contextlib.suppress(RuntimeError, OSError):  # else one worker fewer; the others go on
                self._ready(self._spawn())

        threading.Thread(target=start, daemon=True).start()

    def run_blocking(self, ask: Ask) -> Answer:
        """Answer one query in a worker: Busy when none is free in time, TimedOut when it runs too long."""
        if not self.free.acquire(timeout=self.timeout):
            raise Busy()
        with self.lock:
            worker = self.idle.pop()
        try:
            answer = worker.ask(ask, self.timeout)
        except (TimeoutError, EOFError, OSError):  # too long, or the worker died (out of memory…)
            worker.kill()
            self._replace()
            raise TimedOut() from None
        self._give_back(worker)
        return answer

    async def run(self, ask: Ask) -> Answer:
        return await asyncio.get_running_loop().run_in_executor(self.threads, self.run_blocking, ask)

    def close(self) -> None:
        with self.lock:
            self.closed = True
            workers, self.idle = self.idle, []
        for worker in workers:
            worker.kill()
        self.threads.shutdown(wait=False, cancel_futures=True)
