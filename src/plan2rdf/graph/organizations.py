"""The curated table of a publisher's organisation: IRI slugs and English names of units.

``organizations.csv`` has the columns department, division (empty for the department itself),
slug (ASCII, unique among siblings) and name_en. Units missing from the table still get stable
IRIs (a digest of the name) and a warning, so a new division never stops a build.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from plan2rdf.i18n import Text
from plan2rdf.problems import Collector, InputError
from plan2rdf.text import name_key

COLUMNS = ("department", "division", "slug", "name_en")
_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Unit:
    slug: str
    name_en: str | None


@dataclass
class OrgTable:
    path: str | None = None
    units: dict[tuple[str, str], Unit] = field(default_factory=dict)

    def lookup(self, department: str, division: str = "") -> Unit | None:
        return self.units.get((name_key(department), name_key(division)))


def load(path: Path) -> OrgTable:
    """Read and check a table; every problem is reported with its row. Cached per process and
    file version: a corpus names the same table for many plans."""
    try:
        stat = Path(path).stat()
    except OSError as exc:
        raise InputError(
            [out_problem(Path(path), Text(ja=f"読み込めません: {exc.strerror}", en=f"cannot be read: {exc.strerror}"))]
        ) from None
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _load(path_text: str, mtime: int, size: int) -> OrgTable:
    path = Path(path_text)
    out = Collector(str(path))
    table = OrgTable(str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            [
                out_problem(
                    path, Text(ja=f"UTF-8 の CSV として読めません: {exc}", en=f"cannot be read as UTF-8 CSV: {exc}")
                )
            ]
        ) from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        out.error(
            Text(ja=f"列 {', '.join(missing)} がありません", en=f"missing columns {', '.join(missing)}"),
            line=1,
            hint=Text(ja=f"見出しは {','.join(COLUMNS)} にしてください", en=f"the header must be {','.join(COLUMNS)}"),
        )
        out.raise_if_errors()
    slugs: dict[tuple[str, str], int] = {}
    for row in reader:
        line = reader.line_num
        department, division = (row["department"] or "").strip(), (row["division"] or "").strip()
        slug, name_en = (row["slug"] or "").strip(), (row["name_en"] or "").strip() or None
        if not department:
            out.error(Text(ja="department（部局）が空です", en="department is empty"), line=line)
            continue
        if not _SLUG_RE.match(slug):
            out.error(
                Text(
                    ja=f"slug {slug!r} は半角の小文字英字、数字、'-' だけにしてください",
                    en=f"slug {slug!r} must be lower-case ASCII letters, digits and '-'",
                ),
                line=line,
            )
            continue
        scope = (name_key(department) if division else "", slug)
        if scope in slugs:
            out.error(
                Text(
                    ja=f"slug {slug!r} は {slugs[scope]} 行目ですでに使われています",
                    en=f"slug {slug!r} is already used at line {slugs[scope]}",
                ),
                line=line,
                hint=Text(
                    ja="slug は同じ部局の中で重ならないようにしてください",
                    en="slugs must be unique among the units of one department",
                ),
            )
            continue
        slugs[scope] = line
        key = (name_key(department), name_key(division))
        if key in table.units:
            out.error(
                Text(ja=f"{department} {division} が 2 回載っています", en=f"{department} {division} is listed twice"),
                line=line,
            )
            continue
        table.units[key] = Unit(slug, name_en)
    out.raise_if_errors()
    return table


def out_problem(path: Path, message: Text):
    from plan2rdf.problems import Problem

    return Problem(str(path), message)
