"""A persistent Oxigraph store beside a build's files, so queries need not re-read them.

`plan2rdf build … --store DIR` writes one; `plan2rdf query NAME --store DIR` opens it read-only.
The store is built in a staging folder beside DIR and swapped in whole, so a reader never opens a
half-loaded store and a failed build leaves the previous one in place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from plan2rdf.i18n import Text
from plan2rdf.problems import ActionableError
from plan2rdf.rdfio.formats import format_for, is_gzipped

MARKER = ".plan2rdf-store"  # marks a folder this module wrote, so rebuilding may replace it


class StoreMissing(ActionableError):
    """The --store folder is not a store plan2rdf wrote."""


def write_store(directory: Path, files: Sequence[Path]) -> Path:
    """Load the files (N-Triples, N-Quads…, by suffix) into a new store at ``directory``."""
    ox = _oxigraph()
    directory = Path(directory)
    if directory.exists() and not (directory / MARKER).is_file():
        raise StoreMissing(
            Text(
                ja=f"{directory} はすでにあり、plan2rdf のストアではありません。"
                "空のフォルダーか新しいフォルダーを指定してください",
                en=f"{directory} exists and is not a plan2rdf store; name an empty or new folder",
            )
        )
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.staging-", dir=directory.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a store is read by whoever reads the build
    try:
        store = ox.Store(str(staging / "data"))
        for path in files:
            fmt = format_for(path)
            if is_gzipped(path):  # corpus.nq.gz (build --compress): read through gzip, never inflated on disk
                import gzip

                with gzip.open(path, "rb") as stream:
                    store.bulk_load(input=stream, format=fmt.oxigraph())
            else:
                store.bulk_load(path=str(path), format=fmt.oxigraph())
        # A bulk load leaves many overlapping files behind, and every lookup of a query opens each of
        # them: compacted, queries on 1,000 plans take a third of the CPU time, for about 2 s here.
        store.optimize()
        store.flush()
        del store  # close the database before the folder moves
        (staging / MARKER).write_text("plan2rdf store\n", encoding="utf-8")
        _swap(staging, directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return directory


def _swap(staging: Path, directory: Path) -> None:
    old = None
    if directory.exists():
        old = directory.with_name(f".{directory.name}.old-{os.getpid()}")
        os.replace(directory, old)
    os.replace(staging, directory)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def open_store(directory: Path) -> Any:
    """The store a build wrote, opened read-only (several queries may read it at once)."""
    directory = Path(directory)
    if not (directory / MARKER).is_file():
        raise StoreMissing(
            Text(
                ja=f"{directory} は `plan2rdf build --store` で書いたストアではありません。先に作ってください",
                en=f"{directory} is not a store written by `plan2rdf build --store`; build one first",
            )
        )
    return _oxigraph().Store.read_only(str(directory / "data"))


def _oxigraph() -> Any:
    try:
        import pyoxigraph
    except ImportError:
        raise ActionableError(
            Text(
                ja="ストアには pyoxigraph が必要です: pip install 'plan2rdf[oxigraph]'",
                en="a store needs pyoxigraph: pip install 'plan2rdf[oxigraph]'",
            )
        ) from None
    return pyoxigraph
