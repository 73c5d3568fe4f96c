"""Writing a site: into a fresh directory beside the target, swapped in when complete.

The marker file at the site's root says plan2rdf wrote the directory and lists the editions it was
built from (one ``edition`` line each: the plan's site path and its source), so a later build can
tell whether replacing the site would remove an edition's pages, and say what to run instead.
"""

from __future__ import annotations

import os
import shlex
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from plan2rdf.i18n import Text
from plan2rdf.problems import InputError, Problem
from plan2rdf.site.models import SiteEdition
from plan2rdf.version import __version__

MARKER = ".plan2rdf-site"  # marks a directory this module wrote, so rebuilding may replace it


def read_manifest(out_dir: Path) -> list[SiteEdition] | None:
    """The editions the site in ``out_dir`` was built from; None when it names none (a site
    written before plan2rdf recorded them)."""
    lines = (Path(out_dir) / MARKER).read_text(encoding="utf-8").splitlines()
    editions = [line.split("\t") for line in lines[1:] if line.startswith("edition\t")]
    found = [SiteEdition(parts[1], parts[2] if len(parts) > 2 else "") for parts in editions if len(parts) >= 2]
    return found or None


def check_out_dir(out_dir: Path, editions: Sequence[SiteEdition] = (), *, replace: bool = False) -> None:
    """InputError unless writing the site of ``editions`` to ``out_dir`` loses nothing: the
    directory is new or empty, or a plan2rdf site whose editions are all among ``editions``
    (``replace`` drops that last condition)."""
    out_dir = Path(out_dir)
    if not out_dir.exists() or (out_dir.is_dir() and not any(out_dir.iterdir())):
        return
    if not out_dir.is_dir() or not (out_dir / MARKER).is_file():
        hint = Text(ja="新しいか空の --out のフォルダーを選んでください", en="choose a new or empty --out directory")
        not_ours = Text(
            ja="すでにあり、plan2rdf が書いたサイトではありません", en="exists and is not a site written by plan2rdf"
        )
        raise InputError([Problem(str(out_dir), not_ours, hint=hint)])
    if replace or not editions:
        return
    held = read_manifest(out_dir)
    wanted = {e.plan for e in editions}
    if held is None:
        raise InputError(
            [
                Problem(
                    str(out_dir),
                    Text(
                        ja="版の記録がないサイト（以前の plan2rdf が書いたもの）があります。"
                        "置き換えると、IRI を公開済みのページが消えるおそれがあります",
                        en="holds a site whose editions were not recorded (an earlier plan2rdf wrote it): "
                        "replacing it could remove pages whose IRIs are published",
                    ),
                    hint=Text(
                        ja=f"すべての版の元データから --out {shlex.quote(str(out_dir))} で作り直し、"
                        "一度だけ --replace を付けて古いサイトを消してください",
                        en=f"rebuild it from every edition's source with --out {shlex.quote(str(out_dir))}, "
                        "adding --replace once to drop the old site",
                    ),
                )
            ]
        )
    missing = [e for e in held if e.plan not in wanted]
    if missing:
        sources = [e.source for e in missing if e.source] + [e.source for e in editions if e.source]
        command = shlex.join(["plan2rdf", "site", *dict.fromkeys(sources), "--out", str(out_dir)])
        raise InputError(
            [
                Problem(
                    str(out_dir),
                    Text(
                        ja=f"サイトには {', '.join(e.plan for e in held)} があります。今回は "
                        f"{', '.join(e.plan for e in editions)} だけなので、{', '.join(e.plan for e in missing)} "
                        "のページ（と IRI）が消えてしまいます",
                        en=f"the site holds {', '.join(e.plan for e in held)}; this build has "
                        f"{', '.join(e.plan for e in editions)} and would remove the pages (and IRIs) of "
                        f"{', '.join(e.plan for e in missing)}",
                    ),
                    hint=Text(
                        ja=f"すべての版を入れて作ってください: {command}。--replace を付けると消えます",
                        en=f"build every edition into it: {command}; --replace drops them",
                    ),
                )
            ]
        )


def marker_text(editions: Sequence[SiteEdition]) -> str:
    lines = [f"plan2rdf {__version__} site"]
    lines += [f"edition\t{e.plan}\t{e.source}" for e in sorted(editions, key=lambda e: e.plan)]
    return "\n".join(lines) + "\n"


def write_tree(
    out_dir: Path, files: Mapping[str, bytes], editions: Sequence[SiteEdition] = (), *, replace: bool = False
) -> None:
    """Write the site into a fresh directory beside ``out_dir``, then swap it in.

    A directory that holds something other than an earlier site is never replaced, nor a site
    holding editions this one lacks (unless ``replace``); see ``check_out_dir``.
    """
    out_dir = Path(out_dir)
    check_out_dir(out_dir, editions, replace=replace)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".new", dir=out_dir.parent))
    try:
        os.chmod(fresh, 0o755)  # readable by a web server, unlike mkdtemp's 0700
        for path, content in sorted(files.items()):
            target = fresh / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        (fresh / MARKER).write_text(marker_text(editions), encoding="utf-8")
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
