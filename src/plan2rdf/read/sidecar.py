"""Edition metadata: the sidecar TOML file beside a plan source (``plan.txt`` → ``plan.toml``).

The text export carries the title, the introduction and the directions; a spreadsheet carries
only entries. Everything else about an edition (publisher, fiscal year, parent plan, where it is
published, English names) lives in the sidecar, which every format of one edition shares.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from plan2rdf.model import Publisher
from plan2rdf.problems import Collector

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass
class Sidecar:
    path: str | None = None
    plan: dict = field(default_factory=dict)
    publisher: dict = field(default_factory=dict)
    directions: list[dict] = field(default_factory=list)

    def direction_map(self) -> dict[int, dict]:
        return {d["number"]: d for d in self.directions if isinstance(d.get("number"), int)}


def sidecar_path(source: Path) -> Path:
    return source.with_suffix(".toml")


_PLAN_KEYS = {
    "title": str, "title_en": str, "description": str, "series": str, "edition": str,
    "fiscal_year": int, "parent_plan": str, "parent_plan_en": str, "landing_page": str,
    "download_url": str, "issued": str,
}  # fmt: skip
_PUBLISHER_KEYS = {"name": str, "name_en": str, "slug": str, "lg_code": str, "area_code": str, "base_iri": str}
_DIRECTION_KEYS = {"number": int, "name": str, "name_en": str, "subtitle": str}


def _check_table(table: object, keys: dict, where: str, out: Collector) -> dict:
    if not isinstance(table, dict):
        out.error(f"[{where}] must be a table")
        return {}
    result = {}
    for key, value in table.items():
        if key not in keys:
            out.warn(f"unknown key {where}.{key} is ignored", hint=f"known keys: {', '.join(sorted(keys))}")
            continue
        if not isinstance(value, keys[key]) or isinstance(value, bool):
            out.error(f"{where}.{key} must be a {keys[key].__name__}, not {type(value).__name__}")
            continue
        result[key] = value
    return result


def load_sidecar(path: Path, out: Collector) -> Sidecar:
    """Read and check a sidecar; problems go to ``out`` (a collector for the sidecar's path)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        out.error("the metadata file is not UTF-8", hint="save it as UTF-8")
        return Sidecar(str(path))
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(match.group(1)), int(match.group(2))) if match else (None, None)
        out.error(f"not valid TOML: {str(exc).split(' (at line')[0]}", line=line, column=column)
        return Sidecar(str(path))
    sidecar = Sidecar(str(path))
    sidecar.plan = _check_table(data.get("plan", {}), _PLAN_KEYS, "plan", out)
    sidecar.publisher = _check_table(data.get("publisher", {}), _PUBLISHER_KEYS, "publisher", out)
    directions = data.get("directions", [])
    if not isinstance(directions, list):
        out.error("[[directions]] must be an array of tables")
        directions = []
    for i, entry in enumerate(directions, 1):
        checked = _check_table(entry, _DIRECTION_KEYS, f"directions[{i}]", out)
        if "number" not in checked:
            out.error(f"directions[{i}] needs a number")
            continue
        sidecar.directions.append(checked)
    for key in ("series", "edition"):
        value = sidecar.plan.get(key)
        if value is not None and not _SLUG_RE.match(value):
            out.error(f"plan.{key} must be an ASCII slug (a-z, 0-9, '-', '_', '.'), got {value!r}")
    slug = sidecar.publisher.get("slug")
    if slug is not None and not _SLUG_RE.match(slug):
        out.error(f"publisher.slug must be an ASCII slug (a-z, 0-9, '-', '_', '.'), got {slug!r}")
    base = sidecar.publisher.get("base_iri")
    if base is not None and (problem := base_iri_problem(base)):
        out.error(f"publisher.base_iri {problem}, got {base!r}", line=_key_line(text, "publisher", "base_iri"),
                  hint="e.g. base_iri = \"https://data.pref.example.jp/id/\"")  # fmt: skip
        del sidecar.publisher["base_iri"]
    for key in ("title_en",):
        if key in sidecar.plan and not sidecar.plan[key].strip():
            out.error(f"plan.{key} is empty")
    return sidecar


_IRI_BAD_CHARS = re.compile(r"[\s<>\"{}|\\^`]")


def base_iri_problem(base: str) -> str | None:
    """What is wrong with ``base`` as the base of a publisher's IRIs, or None."""
    from urllib.parse import urlsplit

    split = urlsplit(base)
    if split.scheme not in ("http", "https") or not split.netloc:
        return "must be an absolute http(s) IRI"
    if _IRI_BAD_CHARS.search(base) or split.query:
        return "must not hold spaces, a query ('?') or any of <>\"{}|\\^`"
    if not base.endswith(("/", "#")):
        return "must end in '/' or '#', so that IRIs can be minted below it"
    return None


def _key_line(text: str, table: str, key: str) -> int | None:
    """The line of ``key = …`` in ``[table]``: where a message about its value points."""
    current = None
    for n, line in enumerate(text.splitlines(), 1):
        if m := re.match(r"\s*\[\s*([^\]\s]+)\s*\]", line):
            current = m.group(1)
        elif current == table and re.match(rf"\s*{re.escape(key)}\s*=", line):
            return n
    return None


def publisher_from(sidecar: Sidecar) -> Publisher | None:
    p = sidecar.publisher
    if "name" not in p:
        return None
    return Publisher(
        name=p["name"],
        name_en=p.get("name_en"),
        slug=p.get("slug"),
        lg_code=p.get("lg_code"),
        area_code=p.get("area_code"),
        base_iri=p.get("base_iri"),
    )


_WAREKI_FY_RE = re.compile(r"令和([0-9０-９]+|元)年度")


def fiscal_year_from_title(title: str) -> int | None:
    """The edition's year as its title states it: 「…アクションプラン2021」 or 「令和3年度…」."""
    match = re.search(r"(?<![0-9])(20[0-9]{2})(?![0-9])", title)
    if match:
        return int(match.group(1))
    match = _WAREKI_FY_RE.search(title)
    if match:
        n = match.group(1)
        return 2018 + (1 if n == "元" else int(n.translate(str.maketrans("０１２３４５６７８９", "0123456789"))))
    return None
