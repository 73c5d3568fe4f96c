"""How plan2rdf tunes Python's cyclic garbage collector, in one place: three kinds of run, three rules.

Reference counting frees almost everything a plan makes; the cyclic collector finds next to
nothing, yet walks the whole heap (modules, rdflib, shapes, graphs) again and again. Measured:
a seventh of one plan's build, a tenth of a corpus worker's plan, a fifth of a validation part.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Off for one short command (one plan's build): it would walk the growing heap some 170 times.
    Not for long runs (corpus builds), whose garbage in cycles would pile up."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def freeze_after(warm_up: Callable[[], None] | None) -> None:
    """A long-lived worker's start: what every task needs is made (``warm_up``), then moved out of
    the collector's reach (gc.freeze), so full collections walk only what the tasks make."""
    if warm_up is not None:
        warm_up()
    gc.collect()
    gc.freeze()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """A pass every 50,000 new objects instead of 700, for work that makes about a million objects,
    few of them in cycles (a validation part, its context index too)."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 10)
    try:
        yield
    finally:
        gc.set_threshold(*before)
