"""`plan2rdf init`: draft, from the plan itself, what the plan does not say about itself.

A publisher starting with plan2rdf needs two files beside the plan: the sidecar (``plan.toml``: the
title, fiscal year, publisher and directions) and the organisation table (``organizations.csv``: an
ASCII slug and an English name per department and division). This module reads the plan's raw rows
and returns both drafts as text, with the list of what the publisher must still fill in; the CLI
writes them, never over an existing file.

Slugs are romanized by cutlet (MIT; MeCab through fugashi with the unidic-lite dictionary), installed
with ``pip install 'plan2rdf[init]'``. pykakasi would need no dictionary but is GPL-3.0.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from plan2rdf.i18n import Text
from plan2rdf.model import Direction
from plan2rdf.problems import ActionableError, Collector, InputError, Problem
from plan2rdf.read import cells
from plan2rdf.read.raw import COLUMN_KEYS, RawPlan, digits
from plan2rdf.read.sidecar import REQUIRED_COLUMN_KEYS, fiscal_year_from_title, sidecar_path
from plan2rdf.text import name_key

ORGANIZATIONS = "organizations.csv"
_DIRECTION_RE = re.compile(r"^([0-9０-９]+)[\s.．、:：)）]*(.*)$", re.DOTALL)
_COMMENT_COLUMN = 34
_SUFFIXES = sorted(set(cells.DEPARTMENT_SUFFIXES + cells.DIVISION_SUFFIXES), key=len, reverse=True)


@dataclass(frozen=True)
class DraftUnit:
    department: str
    division: str  # "" for the department itself
    slug: str


@dataclass(frozen=True)
class ToFill:
    """One thing the publisher must still write: a key of the drafted sidecar, or a column of the table."""

    file: Path
    line: int | None
    key: str
    what: Text

    def format(self, lang: str = "en") -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {self.key}: {self.what.get(lang)}"


@dataclass(frozen=True)
class GuessedColumns:
    """A sheet without data/template.csv's headers: the [columns] table guessed from its header row."""

    line: int  # the header row
    columns: dict[str, str]  # [columns] key → the header guessed for it (keys without a guess left out)
    others: tuple[str, ...]  # the headers no key took: their cells become notes


# Header words each [columns] key is guessed from, the likeliest first. A header equal to a word is
# taken before one that only contains a word (the longest word first); each header once.
_GUESSES = {
    "direction": ("施策の展開方向", "展開方向", "施策分野", "分野", "基本方針", "基本目標", "方向性", "柱"),
    "number": ("整理番号", "施策番号", "事業番号", "項番", "番号", "no", "no.", "id"),
    "new": ("新規", "新規・拡充", "新"),
    "title": ("施策（事業）名称", "施策名", "事業名", "取組名", "名称"),
    "summary": ("取組概要", "事業概要", "施策の概要", "概要", "取組内容", "内容"),
    "indicator": ("指標・目標", "成果指標", "指標", "目標値", "目標", "kpi"),
    "unit": ("部局等名 担当課", "担当部局", "担当課", "所管部局", "所管課", "担当部署", "部局", "担当", "所管"),
}


def guess_columns(headers: list[str]) -> dict[str, str]:
    """Each [columns] key's likeliest header among ``headers`` (see _GUESSES)."""
    scored: list[tuple[int, int, int, str]] = []  # (tier, rank, column, key): lowest first
    for i, header in enumerate(headers):
        text = name_key(header).lower()
        for key, words in _GUESSES.items():
            for rank, word in enumerate(name_key(w).lower() for w in words):
                if text == word:
                    scored.append((0, rank, i, key))
                elif len(word) > 1 and not word.isascii() and word in text:
                    scored.append((1, -len(word), i, key))
    guessed: dict[str, str] = {}
    taken: set[int] = set()
    for _, _, i, key in sorted(scored):
        if key not in guessed and i not in taken:
            guessed[key] = headers[i].strip()
            taken.add(i)
    return {key: guessed[key] for key in COLUMN_KEYS if key in guessed}


@dataclass(frozen=True)
class Draft:
    source: Path
    sidecar_path: Path
    sidecar_text: str
    organizations_path: Path
    organizations_text: str
    title: str | None
    fiscal_year: int | None
    directions: tuple[Direction, ...]
    units: tuple[DraftUnit, ...]
    to_fill: tuple[ToFill, ...]
    columns: GuessedColumns | None = None


def read_raw(
    source: Path, *, format: str | None = None, encoding: str | None = None
) -> tuple[RawPlan, GuessedColumns | None]:
    """The plan's raw rows, as every reader makes them, without any metadata file; for a sheet
    without data/template.csv's headers, read through the [columns] guessed from its header row."""
    from plan2rdf.read.reader import (
        CHECK_PATH,
        ENTRIES_WANTED,
        FORMATS,
        NO_ENTRIES,
        NO_FILE,
        decode,
        detect_format,
        read_text_export,
    )

    name = str(source)
    fmt = format or detect_format(source)
    if fmt not in FORMATS:
        raise InputError(
            [
                Problem(
                    name,
                    Text(ja="計画の形式が分かりません", en="cannot tell the plan's format"),
                    hint=Text(
                        ja=".txt、.csv、.xlsx のどれかにするか、--input-format を指定してください",
                        en="use .txt, .csv or .xlsx, or --input-format",
                    ),
                )
            ]
        )
    if not source.is_file():
        raise InputError([Problem(name, NO_FILE, hint=CHECK_PATH)])
    out = Collector(name)
    guessed = None
    if fmt == "text":
        raw = read_text_export(decode(source.read_bytes(), name, encoding)[0], out)
    else:
        raw, guessed = _read_sheet(source, fmt, encoding, out)
    if not raw.rows and not out.errors and not guessed:
        out.error(NO_ENTRIES, hint=ENTRIES_WANTED)
    out.raise_if_errors()
    return raw, guessed


def _read_sheet(source: Path, fmt: str, encoding: str | None, out: Collector) -> tuple[RawPlan, GuessedColumns | None]:
    from plan2rdf.read.reader import decode
    from plan2rdf.read.sheet import load_grid
    from plan2rdf.read.tabular import Layout, csv_grid, has_template_header, likely_header, rows_from_grid

    grid = (
        load_grid(source, out)
        if fmt == "xlsx"
        else csv_grid(decode(source.read_bytes(), str(source), encoding)[0], out)
    )
    header = likely_header(grid) if grid is not None and not has_template_header(grid) else None
    if grid is None or header is None:
        return (RawPlan(rows=[]) if grid is None else rows_from_grid(grid, out)), None
    columns = guess_columns(header[1])
    others = tuple(v.strip() for v in header[1] if v.strip() and v.strip() not in columns.values())
    guessed = GuessedColumns(header[0], columns, others)
    if not all(key in columns for key in REQUIRED_COLUMN_KEYS):
        return RawPlan(rows=[]), guessed  # the drafted table says what to name; nothing to read yet
    # the guesses' own problems (none: each is a header of this row) would be the sidecar's
    layout = Layout(columns, {}, Collector(str(sidecar_path(source))))
    return rows_from_grid(grid, out, layout), guessed


def directions_of(raw: RawPlan) -> tuple[Direction, ...]:
    """The directions as the plan lists them, or as a sheet's rows name them (「1 くらしの安全」); a
    direction named without a number is numbered in order of appearance."""
    if raw.directions:
        return tuple(raw.directions)
    found: dict[int, Direction] = {}
    unnumbered: dict[str, Direction] = {}
    for row in raw.rows:
        cell = row.direction.strip(" \t\u3000")
        match = _DIRECTION_RE.match(cell)
        if match:
            number, name = int(digits(match.group(1))), match.group(2).strip("「」 \u3000\n")
            found.setdefault(number, Direction(number, name or str(number), None, row.line))
        elif cell and name_key(cell) not in unnumbered:
            unnumbered[name_key(cell)] = Direction(0, cell.strip("「」"), None, row.line)
    for direction in unnumbered.values():
        number = max(found, default=0) + 1
        found[number] = Direction(number, direction.name, None, direction.line)
    return tuple(found[n] for n in sorted(found))


def units_of(raw: RawPlan) -> list[tuple[str, str]]:
    """Every (department, division) the plan names, departments first-seen order, each once."""
    departments: dict[str, str] = {}
    divisions: dict[str, dict[str, str]] = {}
    for row in raw.rows:
        parsed = cells.parse_responsibility(row.units)
        if parsed is None:
            continue
        department = parsed.responsibility.department
        key = name_key(department)
        departments.setdefault(key, department)
        for division in parsed.responsibility.divisions:
            divisions.setdefault(key, {}).setdefault(name_key(division), division)
    units = []
    for key, department in departments.items():
        units.append((department, ""))
        units.extend((department, division) for division in divisions.get(key, {}).values())
    return units


def romanizer():
    """A function from a Japanese name to an ASCII slug (cutlet), or an error saying what to install."""
    try:
        import cutlet
    except ImportError:
        raise ActionableError(
            Text(
                ja="plan2rdf init は部署名のローマ字化に cutlet を使いますが、入っていません: pip install "
                "'plan2rdf[init]'",
                en="plan2rdf init romanizes unit names with cutlet, which is not installed: pip install "
                "'plan2rdf[init]'",
            )
        ) from None
    try:
        katsu = cutlet.Cutlet()
    except RuntimeError as exc:  # fugashi without a dictionary
        raise ActionableError(
            Text(
                ja=f"cutlet を起動できません（{exc}）: pip install 'plan2rdf[init]'",
                en=f"cutlet cannot start ({exc}): pip install 'plan2rdf[init]'",
            )
        ) from None

    def ascii_slug(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", "-", katsu.slug(text).lower()).strip("-")

    def suffix_word(name: str, suffix: str) -> str:
        # read in context where the tokenizer ends a word before the suffix (室 of 対策室 is shitsu,
        # alone it would be muro); alone where it does not (市民部 is tokenized 市|民部)
        words, position, cut = list(katsu.tagger(name)), 0, len(name) - len(suffix)
        for i, word in enumerate(words):
            if position == cut:
                return re.sub(r"[^a-z0-9]", "", "".join(katsu.romaji_word(w) for w in words[i:]).lower())
            position += len(word.surface)
        return re.sub(r"[^a-z0-9]", "", katsu.romaji(suffix).lower())

    def slug(name: str) -> str:
        # The organisational suffix is one word (委員会: iinkai, 市民部: shimin-bu, not the tokenizer's
        # shi-minbu); a stem ending in a longer suffix is split again (…委員会事務局).
        parts, stem, shortest = [], name.strip(), 1
        while suffix := next((x for x in _SUFFIXES if len(x) >= shortest and stem.endswith(x) and stem != x), None):
            parts.insert(0, suffix_word(stem, suffix))
            stem, shortest = stem[: -len(suffix)], 2
        parts.insert(0, ascii_slug(stem))
        return "-".join(p for p in parts if p) or "unit"

    return slug


def slugs_for(units: list[tuple[str, str]], slug) -> tuple[DraftUnit, ...]:
    """Each unit's slug, unique among the departments and among the divisions of one department
    (the scopes organizations.csv checks): a repeat gets -2, -3…"""
    used: dict[str, set[str]] = {}
    drafted = []
    for department, division in units:
        scope = used.setdefault(name_key(department) if division else "", set())
        base = slug(division or department)
        candidate, n = base, 1
        while candidate in scope:
            n += 1
            candidate = f"{base}-{n}"
        scope.add(candidate)
        drafted.append(DraftUnit(department, division, candidate))
    return tuple(drafted)


def organizations_text(units: tuple[DraftUnit, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["department", "division", "slug", "name_en"])
    for unit in units:
        writer.writerow([unit.department, unit.division, unit.slug, ""])
    return buffer.getvalue()


def draft(
    source: Path,
    *,
    format: str | None = None,
    encoding: str | None = None,
    title: str | None = None,
    lang: str = "en",
) -> Draft:
    """Both drafts for ``source`` (the sidecar's comments in ``lang``), and what is left to fill in.
    Raises InputError on an unreadable plan and ActionableError when the romanizer is not installed."""
    raw, guessed = read_raw(source, format=format, encoding=encoding)
    given = title
    title = title or raw.title
    year = (fiscal_year_from_title(title) if title else None) or fiscal_year_from_title(source.stem)
    directions = directions_of(raw)
    units = slugs_for(units_of(raw), romanizer())
    side, to_fill = sidecar_text(
        source,
        title=title,
        fiscal_year=year,
        directions=directions,
        title_given=given is not None,
        columns=guessed,
        lang=lang,
    )
    table = source.parent / ORGANIZATIONS
    to_fill.append(
        ToFill(
            table,
            None,
            "name_en",
            Text(
                ja=f"{len(units)} 件の部署それぞれの英語名（任意）",
                en=f"the English name of each of the {len(units)} units (optional)",
            ),
        )
    )
    to_fill.append(
        ToFill(
            table,
            None,
            "slug",
            Text(
                ja="slug を一つずつ確かめてください。部署の IRI の一部としてずっと使われます",
                en="check each slug: it becomes part of the unit's IRI for good",
            ),
        )
    )
    return Draft(
        source=source,
        sidecar_path=sidecar_path(source),
        sidecar_text=side,
        organizations_path=table,
        organizations_text=organizations_text(units),
        title=title,
        fiscal_year=year,
        directions=directions,
        units=units,
        to_fill=tuple(to_fill),
        columns=guessed,
    )


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


class _Lines:
    """The drafted sidecar, line by line, remembering the line of each key left to fill in."""

    def __init__(self, path: Path, lang: str = "en"):
        self.path, self.lang, self.lines, self.to_fill = path, lang, [], []

    def add(self, text: str = "", comment: Text | str = "", *, fill: tuple[str, Text] | None = None) -> None:
        comment = comment.get(self.lang) if isinstance(comment, Text) else comment
        if comment:
            text = f"{text:<{_COMMENT_COLUMN - 2}}  # {comment}" if text else f"# {comment}"
        self.lines.append(text)
        if fill:
            self.to_fill.append(ToFill(self.path, len(self.lines), *fill))


# What `plan2rdf init` lists as still to fill in, by key of the drafted sidecar.
NO_HEADER_GUESSED = Text(
    ja="見出しの候補が見つかりません。この欄のシートの見出しを書いてください",
    en="no header looked like it: name the sheet's header",
)
TO_FILL: dict[str, Text] = {
    "columns": Text(ja="欄ごとに推測した見出しを確かめてください", en="check the header guessed for each field"),
    "plan.series": Text(
        ja="計画のシリーズの IRI の slug（毎年同じにします）",
        en="the plan series' IRI slug, kept the same every year",
    ),
    "plan.edition": Text(ja="この版の IRI の slug（例: 2022）", en="this edition's IRI slug, e.g. 2022"),
    "plan.title": Text(ja="計画の表題（表には書かれていません）", en="the plan's title (a sheet does not state it)"),
    "plan.fiscal_year": Text(ja="年度（行頭の # を外してください）", en="the fiscal year (uncomment the line)"),
    "publisher.name": Text(ja="公開者の名前", en="the publisher's name"),
    "publisher.name_en": Text(ja="公開者の英語名", en="the publisher's English name"),
    "publisher.slug": Text(ja="公開者の IRI の slug", en="the publisher's IRI slug"),
    "publisher.lg_code": Text(ja="6 桁の全国地方公共団体コード", en="the 6-digit 全国地方公共団体コード"),
    "publisher.area_code": Text(ja="5 桁の標準地域コード", en="the 5-digit 標準地域コード"),
    "publisher.base_iri": Text(ja="公開する IRI のベース", en="the base IRI of your publication"),
}


PUBLISHER_PLACEHOLDERS = {
    "name": "〇〇",
    "name_en": "Example",
    "slug": "example",
    "lg_code": "999999",
    "area_code": "99999",
    "base_iri": "https://example.jp/id/",
}

# The drafted sidecar's comments, by what they stand beside: written in the language of the run.
COMMENTS: dict[str, Text] = {
    "series": Text(
        ja="計画のシリーズの IRI の slug: a-z、0-9、- _ .（例: fukushima-ict）",
        en="IRI slug of the plan series: a-z, 0-9, - _ . (e.g. fukushima-ict)",
    ),
    "edition": Text(ja="この版の IRI の slug", en="IRI slug of this edition"),
    "edition_example": Text(ja="この版の IRI の slug（例: 2022）", en="IRI slug of this edition, e.g. 2022"),
    "title_given": Text(ja="--title で指定されたとおり", en="as given with --title"),
    "title_found": Text(ja="計画に書かれたとおり", en="as the plan states it"),
    "title": Text(ja="計画の表題（表紙のとおり）", en="the plan's title, as on its cover"),
    "title_en": Text(ja="表題の英語訳", en="the title in English"),
    "year_in_title": Text(ja="表題から見つけました", en="found in the title"),
    "year_in_name": Text(ja="ファイル名から見つけました", en="found in the file name"),
    "fiscal_year": Text(
        ja="計画に見つかりません: 年度の始まる年（2022 = 令和4年度）",
        en="not found in the plan: the fiscal year's start (2022 = 令和4年度)",
    ),
    "description": Text(
        ja="はじめに（表の場合。テキスト版には書かれています）",
        en="the introduction, for a sheet (a text export states it)",
    ),
    "parent_plan": Text(ja="このアクションプランのもとになる計画", en="the plan this action plan is based on"),
    "landing_page": Text(ja="計画を公開している場所", en="where the plan is published"),
    "publisher.name": Text(
        ja="計画の発行者の名前（例: 福島県、会津若松市）", en="as the plan's publisher signs, e.g. 福島県 or 会津若松市"
    ),
    "publisher.name_en": Text(ja="英語名（例: Fukushima Prefecture）", en="e.g. Fukushima Prefecture"),
    "publisher.slug": Text(ja="IRI の slug: a-z 0-9 -（例: fukushima）", en="IRI slug, a-z 0-9 -, e.g. fukushima"),
    "publisher.lg_code": Text(
        ja="全国地方公共団体コード、検査数字つき（福島県 070009）",
        en="全国地方公共団体コード, with its check digit (福島県 070009)",
    ),
    "publisher.area_code": Text(
        ja="標準地域コード: lg_code の先頭 5 桁（福島県 07000）",
        en="標準地域コード: lg_code's first 5 digits (福島県 07000)",
    ),
    "publisher.base_iri": Text(
        ja="IRI を置く場所。自分のドメインにすれば、年が変わってもリンクが切れません",
        en="where the IRIs live, on your own domain, so links never break from year to year",
    ),
    "direction.name": Text(ja="計画に書かれたとおり", en="as the plan names it"),
    "direction.name_en": Text(ja="施策の展開方向の英語名", en="the direction's English name"),
    "column.guessed": Text(ja="推測: 確かめてください", en="guessed: check"),
    "column.required": Text(ja="必須: この欄の見出し", en="required: the header of this field"),
    "column.none": Text(
        ja="見出しの候補なし: 書くか、キーごと消してください",
        en="no header looked like it: name one, or leave the key out",
    ),
}


def _fill(key: str) -> tuple[str, Text]:
    return key, TO_FILL[key]


def sidecar_text(
    source: Path,
    *,
    title: str | None,
    fiscal_year: int | None,
    directions: tuple[Direction, ...],
    title_given: bool = False,
    columns: GuessedColumns | None = None,
    lang: str = "en",
) -> tuple[str, list[ToFill]]:
    """The drafted sidecar: what the plan says, and placeholders (〇〇, example, 999…) that the
    sidecar checks report until they are filled in; its comments in ``lang`` (ja or en)."""
    out = _Lines(sidecar_path(source), lang)
    out.add(
        comment=Text(
            ja=f"{source.name} の版のメタデータ。`plan2rdf init` が計画そのものから下書きしました。",
            en=f"Edition metadata for {source.name}, drafted by `plan2rdf init` from the plan itself.",
        )
    )
    out.add(
        comment=Text(
            ja="〇〇、example、999… をすべて書き換え（残った一つ一つが行番号つきのエラーになります）、",
            en="Replace every 〇〇, example and 999… (each one left is an error, with its line), check",
        )
    )
    out.add(
        comment=Text(
            ja="見つかった内容を確かめてから build してください。# で始まるキーは任意です。",
            en="what was found, then build. Commented-out keys are optional.",
        )
    )
    out.add()
    out.add("[plan]")
    out.add('series = "example-ict"', COMMENTS["series"], fill=_fill("plan.series"))
    if fiscal_year:
        out.add(f'edition = "{fiscal_year}"', COMMENTS["edition"])
    else:
        out.add('edition = "example"', COMMENTS["edition_example"], fill=_fill("plan.edition"))
    if title:
        out.add(f"title = {_toml(title)}", COMMENTS["title_given" if title_given else "title_found"])
    else:
        out.add('title = "〇〇"', COMMENTS["title"], fill=_fill("plan.title"))
    out.add('# title_en = ""', COMMENTS["title_en"])
    if fiscal_year:
        in_title = title and fiscal_year_from_title(title)
        out.add(f"fiscal_year = {fiscal_year}", COMMENTS["year_in_title" if in_title else "year_in_name"])
    else:
        out.add("# fiscal_year = 2022", COMMENTS["fiscal_year"], fill=_fill("plan.fiscal_year"))
    for key in ("description", "parent_plan", "landing_page"):
        out.add(f'# {key} = ""', COMMENTS[key])
    out.add()
    out.add("[publisher]")
    for key, value in PUBLISHER_PLACEHOLDERS.items():
        out.add(f"{key} = {_toml(value)}", COMMENTS[f"publisher.{key}"], fill=_fill(f"publisher.{key}"))
    if columns is not None:
        _columns_lines(out, columns)
    for direction in directions:
        out.add()
        out.add("[[directions]]")
        out.add(f"number = {direction.number}")
        out.add(f"name = {_toml(direction.name)}", COMMENTS["direction.name"])
        if direction.subtitle:
            out.add(f"subtitle = {_toml(direction.subtitle)}")
        out.add('# name_en = ""', COMMENTS["direction.name_en"])
    return "\n".join(out.lines) + "\n", out.to_fill


def _columns_lines(out: _Lines, guessed: GuessedColumns) -> None:
    """The guessed [columns] table: each guess to check, a required key without one to name."""
    out.add()
    out.add(
        comment=Text(
            ja="シートの見出しが data/template.csv のものと違います。下の各キーはその欄の見出しで、",
            en="The sheet's headers are not those of data/template.csv: each key below names the",
        )
    )
    out.add(
        comment=Text(
            ja=f"{guessed.line} 行目から推測しました。一つずつ確かめてください（docs/publish-your-plan.md）。",
            en=f"header of its field, guessed from row {guessed.line}. Check each one (docs/publish-your-plan.md).",
        )
    )
    out.add("[columns]", fill=_fill("columns"))
    for key in COLUMN_KEYS:
        if key in guessed.columns:
            out.add(f"{key} = {_toml(guessed.columns[key])}", COMMENTS["column.guessed"])
        elif key in REQUIRED_COLUMN_KEYS:
            out.add(f'{key} = "〇〇"', COMMENTS["column.required"], fill=(f"columns.{key}", NO_HEADER_GUESSED))
        else:
            out.add(f'# {key} = ""', COMMENTS["column.none"])
    for header in guessed.others:
        out.add(
            comment=Text(
                ja=f"{header}: 対応するキーなし。各施策の注記として原文のまま残します",
                en=f"{header}: no key; kept verbatim as a note on each measure",
            )
        )
