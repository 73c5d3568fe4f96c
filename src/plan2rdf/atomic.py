"""Write files so that a reader never sees half of one (temporary file, then rename), and one
build at a time per output directory."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from plan2rdf.i18n import Text
from plan2rdf.problems import ActionableError


def write_bytes(path: Path, data: bytes) -> None:
    with replacing(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


STAGING_PREFIXES = (".plan2rdf-corpus-",)  # what a build stages in its output directory


class DirectoryBusy(ActionableError):
    """Another plan2rdf process is writing into the same output directory."""


@contextmanager
def exclusive(directory: Path) -> Iterator[None]:
    """Hold the output directory for one build at a time, so the files of a build always come
    from the same build; then staging folders left by a build that was killed are stale, and
    removed. A second build stops at once with DirectoryBusy (exit 2) rather than wait unseen.

    The lock is on the directory itself (no lock file among the outputs); the kernel releases it
    when the process ends, however it ends."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory, os.O_RDONLY)
    try:
        if not _try_lock(fd):
            raise DirectoryBusy(
                Text(
                    ja=f"別の plan2rdf build が {directory} に書き込んでいます。終わるのを待つか、別の --out "
                    "を使ってください",
                    en=f"another plan2rdf build is writing into {directory}; wait for it to finish, or use another "
                    "--out",
                )
            )
        remove_stale_staging(directory)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # not POSIX: no advisory locks, builds are not guarded
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def remove_stale_staging(directory: Path) -> list[Path]:
    """Staging folders a killed build left (kill -9 runs no clean-up); call only holding the lock."""
    import shutil

    removed = [p for p in sorted(Path(directory).iterdir()) if p.name.startswith(STAGING_PREFIXES) and p.is_dir()]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed
