"""An rdflib store for graphs that are mostly read whole: :class:`AppendedMemory`."""

from __future__ import annotations

from itertools import repeat

from rdflib.plugins.stores.memory import SimpleMemory


class AppendedMemory(SimpleMemory):
    """rdflib's SimpleMemory, its three indexes built on the first lookup: until then triples are
    kept in the order added, once each. A conforming plan of a corpus build is only ever read
    whole (validated, counted, serialized), and so is a file being validated (checked, handed to
    pyshacl-turbo, walked once by the describer): indexing each triple costs as much as making it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending: dict | None = {}  # None once indexed

    def add(self, triple, context, quoted: bool = False) -> None:
        if self.pending is None:
            super().add(triple, context, quoted)
        else:
            self.pending[triple] = None

    def extend(self, triples) -> None:
        """Triples added, as by Graph.add without its per-triple checks: for the mapping's own
        triples, whose terms are made here (a tenth of a graph build's time)."""
        if self.pending is None:
            for triple in triples:
                super().add(triple, None)
        else:
            self.pending.update(dict.fromkeys(triples))

    def indexed(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            for triple in pending:
                super().add(triple, None)

    def triples(self, triple_pattern, context=None):
        if self.pending is not None and triple_pattern == (None, None, None):
            return zip(self.pending, repeat(()))  # no contexts; zip, not a generator: read whole thrice
        self.indexed()
        return super().triples(triple_pattern, context)

    def __len__(self, context=None) -> int:
        return len(self.pending) if self.pending is not None else super().__len__(context)

    def remove(self, triple_pattern, context=None) -> None:
        self.indexed()
        super().remove(triple_pattern, context)
