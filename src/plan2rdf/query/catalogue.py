"""The canned SPARQL catalogue: one ``.rq`` file per question in sparql/, each with a grlc header.

The file format is read by :mod:`plan2rdf.query.queryfile`; this module loads the folder, checks
every query, and finds a query by name (or a user's ``.rq`` file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from plan2rdf import resources
from plan2rdf.i18n import Text
from plan2rdf.problems import InputError, Problem
from plan2rdf.query.check import check_query
from plan2rdf.query.queryfile import CannedQuery, parse_file_leniently, parse_query_file


@dataclass
class Catalogue:
    queries: list[CannedQuery] = field(default_factory=list)

    def __iter__(self):
        return iter(self.queries)

    def __len__(self) -> int:
        return len(self.queries)

    def get(self, name: str) -> CannedQuery | None:
        return next((q for q in self.queries if name in (q.name, q.path.stem)), None)


def load_catalogue(folder: Path | None = None, *, check: str | None = "rdflib") -> Catalogue:
    """Every ``.rq`` file of a folder (default: the shipped sparql/), in file-name order.

    ``check`` names the engine whose parser checks each query; any broken file makes the whole
    catalogue fail with every problem listed (file, line and column), never a silent drop.
    """
    where = folder if folder is not None else resources.path("sparql")
    problems: list[Problem] = []
    queries: list[CannedQuery] = []
    for path in sorted(Path(where).glob("*.rq")):
        try:
            query = parse_query_file(path)
            if check:
                check_query(query, engine=check)
            queries.append(query)
        except InputError as exc:
            problems.extend(exc.problems)
    names: dict[str, Path] = {}
    for q in queries:
        if q.name in names:
            problems.append(
                Problem(
                    str(q.path),
                    Text(
                        ja=f"クエリー名 '{q.name}' は {names[q.name].name} でも使われています",
                        en=f"query name '{q.name}' is also used by {names[q.name].name}",
                    ),
                )
            )
        names[q.name] = q.path
    if problems:
        raise InputError(problems)
    return Catalogue(queries)


def resolve(name_or_file: str, catalogue: Catalogue | None = None, *, engine: str = "rdflib") -> CannedQuery:
    """A catalogue query by name, or a .rq file (header optional), checked with the engine's parser."""
    path = Path(name_or_file)
    if name_or_file.endswith(".rq") or path.is_file():
        query = parse_file_leniently(path)
        check_query(query, engine=engine)
        return query
    catalogue = catalogue if catalogue is not None else load_catalogue(check=None)  # headers only: fast
    found = catalogue.get(name_or_file)
    if found is None:
        names = ", ".join(q.name for q in catalogue)
        raise InputError(
            [
                Problem(
                    name_or_file,
                    Text(ja="そのクエリーはありません", en="no such query"),
                    hint=Text(
                        ja=f"{names} のどれかにするか、.rq ファイルを指定してください",
                        en=f"one of: {names}; or give a .rq file",
                    ),
                )
            ]
        )
    check_query(found, engine=engine)
    return found
