"""Assembly: the same checks for every format. Numbering is checked, cells are interpreted and
reposts resolved; every problem goes to the collector, so all of them are reported together."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import plan2rdf.read.cells as cells
import plan2rdf.read.sidecar as metadata
from plan2rdf.i18n import Text
from plan2rdf.model import Direction, Measure, Plan, PlanInfo
from plan2rdf.problems import Collector, shorten
from plan2rdf.read.raw import COLUMNS, DIRECTION_COLUMN, KEY_OF_COLUMN, TABULAR_COLUMNS, RawPlan, RawRow, digits
from plan2rdf.read.suggest import nearest
from plan2rdf.text import identifier_slug, name_key, same_name

AGREE = Text(ja="メタデータのファイルを計画に合わせてください", en="make the metadata file agree with the plan")
_DIRECTION_CELL_RE = re.compile(r"^([0-9０-９]{1,2})(?:[\s\u3000.．、:：]++(.*))?$")


# Messages in both languages, named here so that the code reading the input stays short.
NEW_MARK_HINT = Text(
    ja="新規の施策には ○ を付け、それ以外は空欄にします", en="mark new entries with ○ and leave others empty"
)
UNIT_HINT = Text(
    ja="担当の部局名と、続けて担当課の名前を入力してください",
    en="name the responsible department, then its division(s)",
)
UNIT_NAME_HINT = Text(
    ja="部局等名 担当課のセルを確かめてください。2 行に分かれた名前は 課 などの語尾までしかつなげません",
    en="check the 部局等名 担当課 cell; a name broken over two lines is rejoined only up to a suffix such as 課",
)


# Fukushima's headers, each its own name; a [columns] sheet names them its own way (headers_of)
FUKUSHIMA_HEADERS = {column: column for column in TABULAR_COLUMNS}


def headers_of(raw: RawPlan) -> dict[str, str]:
    """Each of Fukushima's columns (整理番号, 新規…) as the sheet heads it, for messages: the header
    [columns] maps to it, else Fukushima's own."""
    mapped = raw.headers or {}
    return {column: mapped.get(KEY_OF_COLUMN[column], column) for column in TABULAR_COLUMNS}


def _direction_number(cell: str, named: dict[str, int]) -> tuple[int | None, str | None]:
    value = cell.strip(" \t\u3000")
    match = _DIRECTION_CELL_RE.match(value)
    if match:
        name = match.group(2).strip("「」 \u3000") if match.group(2) else None
        return int(digits(match.group(1))), name or None
    if name_key(value.strip("「」")) in named:
        return named[name_key(value.strip("「」"))], value.strip("「」")
    return None, None


@dataclass
class _Assembly:
    """What the assembly steps share: the inputs, the directions found so far, unusable names."""

    raw: RawPlan
    out: Collector
    sidecar: metadata.Sidecar
    side_dirs: dict[int, dict]
    directions: dict[int, Direction] = field(default_factory=dict)
    # Names of rows that could not become entries: a repost of one of them is not a second error.
    unusable: set[str] = field(default_factory=set)
    # Numbers as the sheet gives them (「1-(2)-3」), not 1, 2, 3… within each direction
    given: bool = False
    # Directions a [columns] sheet names by their text alone, numbered in order of appearance
    appeared: dict[str, int] = field(default_factory=dict)


def assemble(raw: RawPlan, out: Collector, sidecar: metadata.Sidecar) -> Plan | None:
    """Check numbering, interpret cells and resolve reposts; every problem goes to ``out``."""
    state = _Assembly(raw, out, sidecar, sidecar.direction_map(), given=numbers_as_given(raw))
    if raw.directions is not None:
        _listed_directions(state)
    rows_by_direction = _rows_by_direction(state)
    if raw.directions is None and state.directions:
        _check_direction_numbers(state)
    measures = (_given_measures if state.given else _numbered_measures)(state, rows_by_direction)
    measures = _resolve_reposts(measures, out, state.unusable)
    out.raise_if_errors()
    info = _plan_info(raw, sidecar, out)
    out.raise_if_errors()
    layout = raw.layout and replace(raw.layout, directions_by_name=_directions_by_name(raw))
    return Plan(info=info, directions=_subtitled_directions(state), measures=tuple(measures), layout=layout)


def _directions_by_name(raw: RawPlan) -> bool:
    """Whether the sheet names its directions by their text alone (分野), not 「1 行政」: written so again."""
    return any(not _DIRECTION_CELL_RE.match(row.direction.strip(" \t\u3000")) for row in raw.rows)


def _listed_directions(state: _Assembly) -> None:
    """The directions the source lists, checked against the metadata file's."""
    out, sidecar = state.out, state.sidecar
    for d in state.raw.directions or ():
        state.directions[d.number] = d
        side = state.side_dirs.get(d.number)
        if side and "name" in side and not same_name(side["name"], d.name):
            out.error(
                Text(
                    ja=f"展開方向 {d.number} はここでは 「{shorten(d.name)}」 ですが、{sidecar.path} では "
                    f"「{shorten(side['name'])}」 です",
                    en=f"direction {d.number} is 「{shorten(d.name)}」 here but 「{shorten(side['name'])}」 in "
                    f"{sidecar.path}",
                ),
                line=d.line,
                hint=AGREE,
            )
        if side and d.subtitle and side.get("subtitle") and not same_name(side["subtitle"], d.subtitle):
            out.error(
                Text(
                    ja=f"展開方向 {d.number} の副題はここでは 「{shorten(d.subtitle)}」 ですが、{sidecar.path} では "
                    f"「{shorten(side['subtitle'])}」 です",
                    en=f"direction {d.number} is subtitled 「{shorten(d.subtitle)}」 here "
                    f"but 「{shorten(side['subtitle'])}」 in {sidecar.path}",
                ),
                line=d.line,
                hint=AGREE,
            )


def _rows_by_direction(state: _Assembly) -> dict[int, list[tuple[RawRow, int | None]]]:
    """Rows with a known direction, by direction, with their 整理番号 (None when not a number)."""
    out = state.out
    named = {name_key(d["name"]): n for n, d in state.side_dirs.items() if "name" in d}
    rows_by_direction: dict[int, list[tuple[RawRow, int | None]]] = {}
    for row in state.raw.rows:
        number = _row_direction(state, row, named)
        if number is None:
            state.unusable.add(name_key(cells.clean_text(row.title)))
            continue
        n = digits(row.number)
        if not n.isdigit() and not state.given:
            state.unusable.add(name_key(cells.clean_text(row.title)))
        rows_by_direction.setdefault(number, []).append((row, int(n) if n.isdigit() else None))
    del out
    return rows_by_direction


def _report_bad_number(out: Collector, row: RawRow, direction: int, expected: int, header: str) -> None:
    """One error for a missing or non-numeric 整理番号: the row, the entry's name, the number expected."""
    if "number" in row.reported:
        return  # the reader said why already (a formula without a value, a merged cell)
    title = shorten(cells.clean_text(row.title)) or "(no name)"
    value = row.number.strip()
    out.error(
        Text(
            ja=(f"{header} {shorten(value)!r} が数字ではありません" if value else f"{header}が空です")
            + f"（展開方向 {direction} の 「{title}」）。{expected} のはずです",
            en=(f"{header} {shorten(value)!r} is not a number" if value else f"{header} is empty")
            + f" for 「{title}」 in direction {direction}; expected {expected}",
        ),
        line=row.line,
        column=row.columns[0] if row.columns else None,
        hint=Text(
            ja=f"{expected} と入力してください。施策は展開方向ごとに 1, 2, 3… と番号を振ります",
            en=f"type {expected}: entries are numbered 1, 2, 3… within each direction",
        ),
    )


def _row_direction(state: _Assembly, row: RawRow, named: dict[str, int]) -> int | None:
    """The row's direction number; a spreadsheet's rows also name (and so define) the directions."""
    out, directions, listed = state.out, state.directions, state.raw.directions is not None
    number, name = _direction_number(row.direction, named)
    if number is None and state.raw.headers is not None and row.direction.strip():
        number, name = _named_direction(state, row, named)
        if number is None:
            return None
    if number is None:
        if "direction" in row.reported:
            return None
        heads = headers_of(state.raw)
        out.error(
            Text(
                ja=f"展開方向 {shorten(row.direction)!r} が「1 復興の推進」のような展開方向の番号ではありません",
                en=f"direction {shorten(row.direction)!r} is not a direction number such as 「1 復興の推進」",
            )
            if row.direction.strip()
            else Text(
                ja=f"{heads[DIRECTION_COLUMN]}が空です", en=f"the direction ({heads[DIRECTION_COLUMN]}) is empty"
            ),
            line=row.line,
            column=row.direction_column if row.direction_column is not None else None if listed else DIRECTION_COLUMN,
            hint=Text(
                ja="展開方向の番号を入力してください（番号の後に名前を続けても構いません）",
                en="give the direction's number, optionally followed by its name",
            ),
        )
        return None
    if not listed and number not in directions:
        side = state.side_dirs.get(number, {})
        if name and (
            problem := metadata.direction_name_problem(state.sidecar, number, name, Text(ja="表", en="the sheet"))
        ):
            out.error(problem, line=row.line, column=DIRECTION_COLUMN, hint=AGREE)
        name = name or side.get("name")
        if not name:
            out.error(
                Text(ja=f"展開方向 {number} に名前がありません", en=f"direction {number} has no name"),
                line=row.line,
                hint=Text(
                    ja="「1 復興の推進」のように書くか、メタデータのファイルに挙げてください",
                    en="write it as 「1 復興の推進」 or list it in the metadata file",
                ),
            )
            name = str(number)
        directions[number] = Direction(number, name, side.get("subtitle"), row.line)
    elif not listed and name and not same_name(name, directions[number].name):
        out.error(
            Text(
                ja=f"展開方向 {number} の名前はここでは 「{shorten(name)}」 ですが、{directions[number].line} 行目では "
                f"「{shorten(directions[number].name)}」 です",
                en=f"direction {number} is named 「{shorten(name)}」 here but 「{shorten(directions[number].name)}」 "
                f"at line {directions[number].line}",
            ),
            line=row.line,
            hint=Text(ja="展開方向の名前は一つにそろえてください", en="use one name per direction"),
        )
    if number not in directions:
        out.error(
            Text(ja=f"展開方向 {number} に章の見出しがありません", en=f"direction {number} has no section heading"),
            line=row.line,
        )
        return None
    return number


def numbers_as_given(raw: RawPlan) -> bool:
    """Whether entries keep the sheet's own numbers: a [columns] sheet with a number other than
    1, 2, 3… (「04-05」, 「1-(2)-3」). Fukushima's headers always mean 1, 2, 3… per direction."""
    return raw.headers is not None and any(
        (n := digits(row.number)) and not n.isdigit() for row in raw.rows if "number" not in row.reported
    )


def _named_direction(state: _Assembly, row: RawRow, named: dict[str, int]) -> tuple[int | None, str | None]:
    """A direction a [columns] sheet names by its text alone (分野): the sidecar's number for that
    name, else (with no names in the sidecar) the next number in order of appearance."""
    name = row.direction.strip(" \t\u3000「」")
    if not named:
        number = state.appeared.setdefault(name_key(name), len(state.appeared) + 1)
        return number, name
    header = (state.raw.headers or {}).get("direction", DIRECTION_COLUMN)
    near = nearest(name, ((d["name"], n) for n, d in state.side_dirs.items() if "name" in d))
    mean = (
        Text(
            ja=f"。「{shorten(near[0])}」（{near[1]}）のことですか？",
            en=f"; did you mean 「{shorten(near[0])}」 ({near[1]})?",
        )
        if near
        else Text("", "")
    )
    state.out.error(
        Text(
            ja=f"{header}「{shorten(name)}」は {state.sidecar.path} の [[directions]] にありません",
            en=f"{header} 「{shorten(name)}」 is not among the [[directions]] of {state.sidecar.path}",
        )
        + mean,
        line=row.line,
        column=row.direction_column,
        hint=Text(
            ja="分野の名前を [[directions]] の name と同じに書くか、[[directions]] に加えてください",
            en="spell the name as a name of [[directions]], or add it there",
        ),
    )
    return None, None


def _check_direction_numbers(state: _Assembly) -> None:
    numbers = sorted(state.directions)
    if numbers != list(range(1, len(numbers) + 1)):
        state.out.error(
            Text(
                ja=f"展開方向の番号が {numbers} です。1 から {len(numbers)} までが必要です",
                en=f"directions are numbered {numbers}; expected 1 to {len(numbers)}",
            ),
            hint=Text(
                ja="展開方向に 1, 2, 3… と抜けなく番号を振ってください",
                en="number the directions 1, 2, 3… without gaps",
            ),
        )


def _numbered_measures(
    state: _Assembly, rows_by_direction: dict[int, list[tuple[RawRow, int | None]]]
) -> list[Measure]:
    """Entries in direction order, numbered 1, 2, 3… without gaps or repeats within each direction."""
    out, heads = state.out, headers_of(state.raw)
    header = heads[COLUMNS[0]]  # 整理番号, or the sheet's own header for it
    measures: list[Measure] = []
    for number in sorted(rows_by_direction):
        seen: dict[int, RawRow] = {}
        expected = 1
        skipped: int | None = None  # the number a row without one stood for: no second error after it
        for row, n in rows_by_direction[number]:
            if n is None:
                _report_bad_number(out, row, number, expected, header)
                skipped, expected = expected, expected + 1
                continue
            entry = f"{number}-{n}"
            if n in seen:
                out.error(
                    Text(
                        ja=f"{header} {n} が展開方向 {number} で 2 回使われています（最初は {seen[n].line} 行目）",
                        en=f"{header} {n} is used twice in direction {number} (first at line {seen[n].line})",
                    ),
                    line=row.line,
                    entry=entry,
                    hint=Text(ja="施策ごとに別の番号を振ってください", en="give each entry its own number"),
                )
                continue
            if n != expected and n != skipped:
                out.error(
                    Text(
                        ja=f"展開方向 {number} で{header} {expected - 1} の次が {n} です。{expected} のはずです",
                        en=f"{header} {n} follows {expected - 1} in direction {number}; expected {expected}",
                    )
                    if expected > 1
                    else Text(
                        ja=f"展開方向 {number} が{header} {n} から始まっています。1 のはずです",
                        en=f"direction {number} starts at {header} {n}; expected 1",
                    ),
                    line=row.line,
                    entry=entry,
                    hint=Text(
                        ja="施策には 1, 2, 3… と抜けなく番号を振ってください",
                        en="entries are numbered 1, 2, 3… without gaps",
                    ),
                )
            seen[n] = row
            expected, skipped = n + 1, None
            measure = _measure(row, number, n, out, heads=heads)
            if measure is not None:
                measures.append(measure)
            else:
                state.unusable.add(name_key(cells.clean_text(row.title)))
    return measures


def _given_measures(state: _Assembly, rows_by_direction: dict[int, list[tuple[RawRow, int | None]]]) -> list[Measure]:
    """Entries numbered the sheet's own way: each number kept verbatim as the entry's identifier,
    used once in the plan, and once as an IRI (identifier_slug); its position within the direction
    is its entry number."""
    out, header = state.out, (state.raw.headers or {}).get("number", COLUMNS[0])
    first: dict[str, RawRow] = {}  # identifier → its row
    slugs: dict[str, tuple[str, RawRow]] = {}  # IRI slug → identifier and its row
    measures: list[Measure] = []
    for number in sorted(rows_by_direction):
        for position, (row, _) in enumerate(rows_by_direction[number], 1):
            identifier = row.number.strip(" \t\u3000")
            problem = _given_number_problem(row, identifier, header, first, slugs)
            if problem is not None and "number" not in row.reported:
                out.error(
                    problem[0],
                    line=row.line,
                    column=row.columns[0] if row.columns else None,
                    entry=identifier or None,
                    hint=problem[1],
                )
            if problem is None:  # taken, even if the entry has another problem: a repeat is still one
                first[identifier] = row
                slugs[identifier_slug(identifier)] = (identifier, row)
            measure = None if problem else _measure(row, number, position, out, identifier, headers_of(state.raw))
            if measure is None:
                state.unusable.add(name_key(cells.clean_text(row.title)))
                continue
            measures.append(measure)
    return measures


def _given_number_problem(
    row: RawRow, identifier: str, header: str, first: dict[str, RawRow], slugs: dict[str, tuple[str, RawRow]]
) -> tuple[Text, Text] | None:
    """What is wrong with a number kept as given: empty, used twice, or the IRI of another."""
    if not identifier:
        title = shorten(cells.clean_text(row.title)) or "(no name)"
        return (
            Text(ja=f"「{title}」の{header}が空です", en=f"{header} is empty for 「{title}」"),
            Text(ja="施策の番号を計画のとおりに書いてください", en="give the entry's number as the plan prints it"),
        )
    if identifier in first:
        return (
            Text(
                ja=f"{header}「{shorten(identifier)}」が {first[identifier].line} 行と {row.line} 行で重複しています",
                en=f"{header} 「{shorten(identifier)}」 is used twice, in rows {first[identifier].line} and {row.line}",
            ),
            Text(ja="施策ごとに別の番号にしてください", en="give each entry its own number"),
        )
    other = slugs.get(identifier_slug(identifier))
    if other is not None:
        return (
            Text(
                ja=f"{header}「{shorten(identifier)}」と {other[1].line} 行の「{shorten(other[0])}」は同じ IRI "
                f"（…/measure/{identifier_slug(identifier)}）になります",
                en=f"{header} 「{shorten(identifier)}」 and 「{shorten(other[0])}」 (row {other[1].line}) "
                f"give the same IRI …/measure/{identifier_slug(identifier)}",
            ),
            Text(
                ja="IRI には番号の英数字だけが残ります（docs/vocabulary.md）：英数字で区別できる番号にしてください",
                en="an IRI keeps only a number's ASCII letters and digits (docs/vocabulary.md): "
                "make the numbers differ in those",
            ),
        )
    return None


def _subtitled_directions(state: _Assembly) -> tuple[Direction, ...]:
    """The directions in order; a subtitle the source lacks comes from the metadata file."""
    directions = []
    for n in sorted(state.directions):
        d = state.directions[n]
        side = state.side_dirs.get(d.number, {})
        if d.subtitle is None and side.get("subtitle"):
            d = Direction(d.number, d.name, side["subtitle"], d.line)
        directions.append(d)
    return tuple(directions)


def _measure(
    row: RawRow, direction: int, number: int, out: Collector, given: str | None = None, heads=FUKUSHIMA_HEADERS
) -> Measure | None:
    """An entry from its row, or None with each problem reported; ``heads`` names the sheet's columns."""
    entry = given or f"{direction}-{number}"
    new, name, unit = heads["新規"], heads["施策（事業）名称"], heads["部局等名 担当課"]
    col = dict(zip(COLUMNS, row.columns, strict=True)) if row.columns else {}
    ok = True
    is_new = cells.parse_new_flag(row.new)
    if is_new is None and "new" in row.reported:
        ok = False
    elif is_new is None:
        out.error(
            Text(
                ja=f"{new}が {shorten(row.new.strip())!r} です。○ か空欄にしてください",
                en=f"{new} is {shorten(row.new.strip())!r}; expected ○ or an empty cell",
            ),
            line=row.line,
            column=col.get("新規"),
            entry=entry,
            hint=NEW_MARK_HINT,
        )
        ok = False
    title_clean = cells.clean_text(row.title)
    title, repost = cells.strip_repost_marker(title_clean)
    if not title and "title" in row.reported:
        ok = False
    elif not title:
        out.error(
            Text(ja=f"{name}が空です", en=f"the name ({name}) is empty"),
            line=row.line,
            column=col.get("施策（事業）名称"),
            entry=entry,
            hint=Text(ja="施策には必ず名称を入力してください", en="every entry needs a name"),
        )
        ok = False
    units = _responsibility(row, col.get("部局等名 担当課"), entry, out, unit)
    ok = ok and units is not None
    unmapped = bool(row.columns) and col.get("取組概要") is None  # a [columns] sheet without the column
    if cells.is_blank(row.summary) and "summary" not in row.reported and not unmapped:
        out.warn(
            Text(ja=f"{heads['取組概要']}が空です", en=f"{heads['取組概要']} is empty"),
            line=row.line,
            column=col.get("取組概要"),
            entry=entry,
        )
    indicator = cells.parse_cell(row.indicator)
    _warn_bare_numbers(indicator.items, row, col.get("指標・目標"), entry, out, heads["指標・目標"])
    if not ok:
        return None
    return Measure(
        direction=direction,
        number=number,
        is_new=bool(is_new),
        title=title,
        title_verbatim=row.title,
        summary=cells.parse_cell(row.summary),
        indicator=indicator,
        responsibility=units.responsibility,
        repost_of="" if repost else None,  # resolved below
        line=row.line,
        given_identifier=given,
        notes=row.notes,
    )


def _responsibility(row: RawRow, column, entry: str, out: Collector, header: str):
    """The row's responsible units, or None, the problem reported; a name that does not end like an
    organisation's is a warning."""
    units = cells.parse_responsibility(row.units)
    if units is None and "units" not in row.reported:
        out.error(
            Text(ja=f"{header}が空です", en=f"{header} is empty"),
            line=row.line,
            column=column,
            entry=entry,
            hint=UNIT_HINT,
        )
    for name in units.unterminated if units else ():
        out.warn(
            Text(
                ja=f"「{shorten(name)}」 が組織名（部、局、課、室…）らしい終わり方をしていません",
                en=f"「{shorten(name)}」 does not end like an organisation name (部, 局, 課, 室…)",
            ),
            line=row.line,
            column=column,
            entry=entry,
            hint=UNIT_NAME_HINT,
        )
    return units


_BARE_NUMBER_RE = re.compile(r"[0-9０-９][0-9０-９,，.．]*")


def _warn_bare_numbers(items: tuple[str, ...], row: RawRow, column, entry: str, out: Collector, header: str) -> None:
    """A target that is a number alone (3500) says neither what is counted nor in what unit."""
    for item in items:
        if _BARE_NUMBER_RE.fullmatch(item.strip()):
            number = shorten(item.strip())
            out.warn(
                Text(
                    ja=f"{header} 「{number}」 が単位のない数字です",
                    en=f"{header} 「{number}」 is a number without a unit: a target with no unit",
                ),
                line=row.line,
                column=column,
                entry=entry,
                hint=Text(
                    ja=f"何を数えるかと単位を書いてください（例: 「利用者数 {number}人」、「{number}件」）",
                    en=f"say what is counted and its unit, e.g. 「利用者数 {number}人」 or 「{number}件」",
                ),
            )


def _resolve_reposts(measures: list[Measure], out: Collector, unusable: set[str]) -> list[Measure]:
    """A （再掲） entry points at the entry of the same name that is not itself a repost."""
    originals: dict[str, list[Measure]] = {}
    for m in measures:
        if not m.is_repost:
            originals.setdefault(name_key(m.title), []).append(m)
    resolved = []
    for m in measures:
        if not m.is_repost:
            resolved.append(m)
            continue
        candidates = originals.get(name_key(m.title), [])
        if len(candidates) > 1:
            same_units = [
                c
                for c in candidates
                if c.responsibility.department == m.responsibility.department
                and c.responsibility.divisions == m.responsibility.divisions
            ]
            candidates = same_units if len(same_units) == 1 else candidates
        if not candidates and name_key(m.title) in unusable:
            continue  # its original has an error of its own, reported already
        if not candidates:
            near = nearest(m.title, ((o[0].title, o[0].identifier) for o in originals.values()))
            out.error(
                Text(
                    ja=f"（再掲） 「{shorten(m.title)}」 の元の施策がこの計画にありません"
                    + (f"。「{shorten(near[0])}」（施策 {near[1]}）のことですか" if near else ""),
                    en=f"（再掲） 「{shorten(m.title)}」 reposts an entry that is not in this plan"
                    + (f"; did you mean 「{shorten(near[0])}」 (entry {near[1]})?" if near else ""),
                ),
                line=m.line,
                entry=m.identifier,
                hint=Text(
                    ja="元の施策が（再掲）なしの同じ名称で載っている必要があります。名称を直すか、（再掲）を外してください",
                    en="the original must appear under the same name without （再掲）; fix the name or remove the "
                    "marker",
                ),
            )
            continue
        if len(candidates) > 1:
            out.error(
                Text(
                    ja=f"（再掲） 「{shorten(m.title)}」 に当たる施策が複数あります: "
                    f"{', '.join(c.identifier for c in candidates)}",
                    en=f"（再掲） 「{shorten(m.title)}」 matches several entries: "
                    f"{', '.join(c.identifier for c in candidates)}",
                ),
                line=m.line,
                entry=m.identifier,
                hint=Text(
                    ja="再掲される施策の名称は計画の中で一つだけにしてください",
                    en="names of reposted entries must be unique in the plan",
                ),
            )
            continue
        resolved.append(replace(m, repost_of=candidates[0].identifier))
    return resolved


def _plan_info(raw: RawPlan, sidecar: metadata.Sidecar, out: Collector) -> PlanInfo:
    side = sidecar.plan
    title = raw.title
    if title and side.get("title") and not same_name(side["title"], title):
        out.error(
            Text(
                ja=f"計画の表題は 「{shorten(title)}」 ですが、{sidecar.path} では 「{shorten(side['title'])}」 です",
                en=f"the plan is titled 「{shorten(title)}」 but {sidecar.path} says 「{shorten(side['title'])}」",
            ),
            line=raw.title_line,
            hint=AGREE,
        )
    title = title or side.get("title")
    if not title and "plan.title" not in sidecar.ill_typed:  # a title of the wrong type is said already
        out.error(
            Text(ja="計画に表題がありません", en="the plan has no title"),
            hint=Text(
                ja=f"表の表題はメタデータのファイル {sidecar.path or '（同じ名前の .toml）'} の plan.title に書きます。"
                "`plan2rdf init SOURCE` で表からそのファイルの下書きを作れます",
                en=f"a sheet's title is plan.title in its metadata file {sidecar.path or '(same stem, .toml)'}; "
                "`plan2rdf init SOURCE` drafts that file from the sheet",
            ),
        )
    title = title or ""
    description = raw.description or side.get("description")
    if raw.description and side.get("description") and not same_name(raw.description, side["description"]):
        out.error(
            Text(
                ja=f"計画の前文が {sidecar.path} の plan.description と違います",
                en=f"the plan's introduction differs from plan.description in {sidecar.path}",
            ),
            line=raw.description_line,
            hint=Text(
                ja="メタデータのファイルを計画に合わせるか、plan.description を消してください",
                en="make the metadata file agree with the plan, or remove plan.description",
            ),
        )
    fiscal_year = side.get("fiscal_year") or metadata.fiscal_year_from_title(title)
    stated_year = metadata.fiscal_year_from_title(title)
    if side.get("fiscal_year") and stated_year and side["fiscal_year"] != stated_year:
        out.error(
            Text(
                ja=f"plan.fiscal_year は {side['fiscal_year']} ですが、表題では {stated_year} です",
                en=f"plan.fiscal_year is {side['fiscal_year']} but the title says {stated_year}",
            ),
            hint=AGREE,
        )
    names_en = tuple(sorted((n, d["name_en"]) for n, d in sidecar.direction_map().items() if "name_en" in d))
    return PlanInfo(
        title=title,
        description=description,
        title_en=side.get("title_en"),
        series=side.get("series"),
        edition=side.get("edition") or (str(fiscal_year) if fiscal_year else None),
        fiscal_year=fiscal_year,
        parent_plan=side.get("parent_plan"),
        parent_plan_en=side.get("parent_plan_en"),
        landing_page=side.get("landing_page"),
        download_url=side.get("download_url"),
        issued=side.get("issued"),
        publisher=metadata.publisher_from(sidecar),
        direction_names_en=names_en,
    )
