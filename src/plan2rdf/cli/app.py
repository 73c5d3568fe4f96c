"""The `plan2rdf` command group."""

from __future__ import annotations

import click

from plan2rdf.version import __version__

# The order `--help` lists the commands in: the publisher's cycle first, then the readers' tools.
ORDER = ("init", "parse", "build", "diff", "publish", "validate", "queries", "query", "site", "serve")


class _Group(click.Group):
    def list_commands(self, ctx):
        known = [name for name in ORDER if name in self.commands]
        return known + sorted(set(self.commands) - set(known))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plan2rdf")
def main() -> None:
    """Turn a local government's ICT action plan into a validated, linked knowledge graph.

    Without a SOURCE, commands work on the bundled plan: 「ふくしま ICT データ利活用社会推進
    アクションプラン2021」 (Fukushima Prefecture, FY2021).

    Exit codes: 0 ok, 1 the data does not conform to the shapes, 2 bad input or usage.
    """
