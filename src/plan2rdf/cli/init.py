"""`plan2rdf init`: draft the sidecar and the organisation table of a new plan."""

from __future__ import annotations

import os
from pathlib import Path

import click

from plan2rdf.cli.app import main
from plan2rdf.cli.options import current_lang, handle_errors, lang_option, say
from plan2rdf.i18n import Text


def write_new(path: Path, text: str) -> bool:
    """Write ``path`` whole, only if it does not exist (False then): a hard link from a complete
    temporary file fails rather than replace anything, even a file created meanwhile."""
    import tempfile  # here, not at the top: `plan2rdf --help` stays instant

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        os.unlink(tmp)
    return True


def _wrote(path: Path) -> Text:
    return Text(ja=f"{path} を書きました", en=f"wrote {path}")


def _kept(path: Path) -> Text:
    return Text(
        ja=f"{path} はそのままです（すでにあるため、何も変えていません）",
        en=f"kept {path} (it exists; nothing was changed)",
    )


@main.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", help="The plan's title, for a sheet (a text export states its own).")
@click.option(
    "--input-format",
    type=click.Choice(["text", "csv", "xlsx"]),
    help="Format of the source (default: from its extension: .txt, .csv, .xlsx).",
)
@click.option("--encoding", metavar="NAME", help="Encoding of a text or CSV source (default: detect).")
@lang_option
@handle_errors
def init(source, title, input_format, encoding):
    """Draft what a new plan does not say about itself: SOURCE's metadata file (SOURCE with .toml:
    title, fiscal year, directions, publisher fields to fill in) and organizations.csv beside it
    (every department and division, with a romanized slug and an empty English name). For a sheet
    without the template's headers, the metadata file's [columns] table is guessed from its header row.

    Never overwrites a file. Prints what is left to fill in; until then `parse` and `build` report
    each placeholder with its line. Romanizing needs `pip install 'plan2rdf[init]'`.
    """
    from plan2rdf.graph import organizations
    from plan2rdf.read.draft import draft

    drafted = draft(source, format=input_format, encoding=encoding, title=title, lang=current_lang())
    to_fill = list(drafted.to_fill)
    wrote_sidecar = write_new(drafted.sidecar_path, drafted.sidecar_text)
    say(_wrote(drafted.sidecar_path) if wrote_sidecar else _kept(drafted.sidecar_path))
    if not wrote_sidecar:
        to_fill = [t for t in to_fill if t.file != drafted.sidecar_path]
    table = drafted.organizations_path
    if write_new(table, drafted.organizations_text):
        say(
            _wrote(table)
            + Text(ja=f"（部局と課 {len(drafted.units)} 件）", en=f" ({len(drafted.units)} departments and divisions)")
        )
    else:
        to_fill = [t for t in to_fill if t.file != table]
        existing = organizations.load(table)
        missing = [u for u in drafted.units if existing.lookup(u.department, u.division) is None]
        say(_kept(table))
        if missing:
            say(
                Text(
                    ja=f"計画の部署のうち {len(missing)} 件がこの表にありません。加える行:",
                    en=f"{len(missing)} units of the plan are not in it; rows to add:",
                )
            )
            for unit in missing:
                click.echo(f"  {unit.department},{unit.division},{unit.slug},")
    if to_fill:
        say(Text(ja="まだ書き込むもの:", en="Still to fill in:"))
        for item in to_fill:
            click.echo(f"  {item.format(current_lang())}")
