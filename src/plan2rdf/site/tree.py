"""Writing a site: into a fresh directory beside the target, swapped in when complete."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from plan2rdf.problems import InputError, Problem
from plan2rdf.version import __version__

MARKER = ".plan2rdf-site"  # marks a directory this module wrote, so rebuilding may replace it


def write_tree(out_dir: Path, files: Mapping[str, bytes]) -> None:
    """Write the site into a fresh directory beside ``out_dir``, then swap it in.

    A directory that holds something other than an earlier site is never replaced.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or (any(out_dir.iterdir()) and not (out_dir / MARKER).is_file())):
        raise InputError(
            [
                Problem(
                    str(out_dir),
                    "exists and is not a site written by plan2rdf",
                    hint="choose a new or empty --out directory",
                )
            ]
        )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".new", dir=out_dir.parent))
    try:
        os.chmod(fresh, 0o755)  # readable by a web server, unlike mkdtemp's 0700
        for path, content in sorted(files.items()):
            target = fresh / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        (fresh / MARKER).write_text(f"plan2rdf {__version__} site\n", encoding="utf-8")
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".old", dir=out_dir.parent))
            os.rmdir(old)
            out_dir.rename(old)
            fresh.rename(out_dir)
            shutil.rmtree(old)
        else:
            fresh.rename(out_dir)
    finally:
        if fresh.exists():
            shutil.rmtree(fresh)
