"""Spreadsheets: CSV (any of Excel's delimiters) and XLSX (read in read.sheet). The header row is
found among the first rows (title rows above it are skipped), merged ranges are taken for each
row they cover or reported once, and each row becomes a raw row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from plan2rdf.i18n import Text
from plan2rdf.model import Note, SheetColumn, SheetLayout
from plan2rdf.problems import Collector, shorten
from plan2rdf.read.raw import COLUMN_OF_KEY, FIELD_OF, KEY_OF_COLUMN, TABULAR_COLUMNS, RawPlan, RawRow
from plan2rdf.read.suggest import nearest
from plan2rdf.text import name_key

HEADER_SEARCH_ROWS = 20  # the header is looked for among this many non-empty rows at the top
# A value merged over rows is the same for each row in these columns (a direction, a division
# over its entries); in the others a merge is ambiguous and is reported.
FILLED_BY_MERGE = ("施策の展開方向", "部局等名 担当課")


@dataclass(frozen=True)
class Merge:
    """A merged range: rows and 0-based columns, both inclusive, and its name (``G93:G95``)."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int
    ref: str


@dataclass(frozen=True)
class Layout:
    """A sidecar's [columns]: each key's header as the sheet spells it, the line of each key, and
    the sidecar's collector (a header the sheet lacks is a mistake on the sidecar's line)."""

    columns: dict[str, str]
    lines: dict[str, int]
    out: Collector


@dataclass
class Grid:
    """A sheet as its cells' text: the non-empty rows, with what the reader found in them."""

    rows: list[tuple[int, list[str]]]
    col_name: Callable[[int], int | str]  # a 0-based column as messages name it (7, or G)
    reported: set[tuple[int, int]] = field(default_factory=set)  # (row, column) already reported
    merges: list[Merge] = field(default_factory=list)
    sheet: str | None = None
    hidden_rows: frozenset[int] = frozenset()  # as Excel hides them: 1-based rows,
    hidden_columns: frozenset[int] = frozenset()  # 0-based columns
    struck: frozenset[tuple[int, int]] = frozenset()  # (row, column) of cells in a struck-through font


def _header_match(values: list[str]) -> dict[str, int]:
    keys = {name_key(v): i for i, v in reversed(list(enumerate(values))) if v and v.strip()}
    return {c: keys[name_key(c)] for c in TABULAR_COLUMNS if name_key(c) in keys}


def _find_header(grid: Grid, out: Collector) -> tuple[int, dict[str, int]] | None:
    """The position of the header row in ``grid.rows`` and each column's index; else an error."""
    best: tuple[int, dict[str, int]] | None = None
    for pos, (_, values) in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        index = _header_match(values)
        if len(index) == len(TABULAR_COLUMNS):
            return pos, index
        if len(index) >= 2 and (best is None or len(index) > len(best[1])):
            best = (pos, index)
    columns = ", ".join(TABULAR_COLUMNS)
    pos, index = best or (0, _header_match(grid.rows[0][1]))
    line, values = grid.rows[pos]
    missing = [c for c in TABULAR_COLUMNS if c not in index]
    unused = [(v, i) for i, v in enumerate(values) if v.strip() and i not in index.values()]
    suggestions = [(c, near) for c in missing if (near := nearest(c, unused))]
    where = (
        Text(ja=f"（{line} 行目が見出しの行と見られます）", en=f" (row {line} looks like the header)")
        if pos > 0
        else Text(
            ja=f"（最初の {HEADER_SEARCH_ROWS} 行にどの列名もありません）",
            en=f" (no row in the first {HEADER_SEARCH_ROWS} names them)",
        )
        if best is None
        else Text("", "")
    )
    out.error(
        Text(
            ja=f"見出しの行に列 {', '.join(missing)} がありません{where.ja}"
            + "".join(f"。{grid.col_name(n[1])} 列の 「{shorten(n[0])}」 のことですか" for _, n in suggestions),
            en=f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} in the header row{where.en}"
            + "".join(f"; did you mean 「{shorten(n[0])}」 in column {grid.col_name(n[1])}?" for _, n in suggestions),
        ),
        line=line,
        hint=Text(
            ja=f"見出しの行には列 {columns} の名前を入れてください（data/template.csv 参照）"
            + "".join(f"。「{shorten(n[0])}」 を 「{c}」 に直してください" for c, n in suggestions),
            en=f"the header row names the columns {columns} (see data/template.csv)"
            + "".join(f"; rename 「{shorten(n[0])}」 to 「{c}」" for c, n in suggestions),
        ),
    )
    return None


def _find_mapped_header(grid: Grid, layout: Layout) -> tuple[int, dict[str, int]] | None:
    """The header row naming every [columns] header, and each key's column; else one error per key
    the sheet lacks, on its sidecar line, with the nearest header of the best row."""
    wanted = {key: name_key(header) for key, header in layout.columns.items()}
    best: tuple[int, dict[str, int]] | None = None
    for pos, (_, values) in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        keys = {name_key(v): i for i, v in reversed(list(enumerate(values))) if v.strip()}
        index = {key: keys[k] for key, k in wanted.items() if k in keys}
        if len(index) == len(wanted):
            return pos, index
        if index and (best is None or len(index) > len(best[1])):
            best = (pos, index)
    pos, index = best or (0, {})
    line, values = grid.rows[pos]
    headers = [(v.strip(), i) for i, v in enumerate(values) if v.strip()]
    listed = ", ".join(f"「{shorten(v, 20)}」" for v, _ in headers[:12]) + (" …" if len(headers) > 12 else "")
    for key in (k for k in layout.columns if k not in index):
        header = shorten(layout.columns[key])
        near = nearest(layout.columns[key], ((v, i) for v, i in headers if i not in index.values()))
        mean = (
            Text(ja=f"。{grid.col_name(near[1])} 列の「{shorten(near[0])}」のことですか？",
                 en=f"; did you mean 「{shorten(near[0])}」 in column {grid.col_name(near[1])}?")
            if near else Text("", "")
        )  # fmt: skip
        layout.out.error(
            Text(ja=f"columns.{key} の見出し「{header}」が表の見出し行（{line} 行）にありません",
                 en=f"columns.{key}: the sheet has no header 「{header}」 (header row {line})") + mean,
            line=layout.lines.get(f"columns.{key}"),
            hint=Text(ja=f"表の見出しをそのまま書いてください：{listed}",
                      en=f"write the header as the sheet spells it: {listed}"),
        )  # fmt: skip
    return None


def _note_columns(values: list[str], index: dict[str, int]) -> list[tuple[int, str]]:
    """The header row's columns no [columns] key names: (column, header), numbered by position."""
    return [(i, v.strip()) for i, v in enumerate(values) if v.strip() and i not in index.values()]


def _sheet_layout(values: list[str], index: dict[str, int]) -> SheetLayout:
    """The header row's columns in order, each with its [columns] key (None: a note column)."""
    key_of = {i: KEY_OF_COLUMN[c] for c, i in index.items()}
    return SheetLayout(tuple(SheetColumn(v.strip(), key_of.get(i)) for i, v in enumerate(values) if v.strip()))


def _skip_title_rows(grid: Grid, pos: int, out: Collector) -> None:
    if pos == 0:
        return
    first, last = grid.rows[0][0], grid.rows[pos - 1][0]
    title = next(v for v in grid.rows[0][1] if v.strip())
    rows = f"row {first}" if first == last else f"rows {first}–{last}"
    rows_ja = f"{first} 行目" if first == last else f"{first}–{last} 行目"
    out.warn(
        Text(
            ja=f"見出しの行（{grid.rows[pos][0]} 行目）より上の {rows_ja} は読み飛ばします: "
            f"「{shorten(title.strip())}」",
            en=f"{rows} above the header (row {grid.rows[pos][0]}) {'is' if first == last else 'are'} skipped: "
            f"「{shorten(title.strip())}」",
        ),
        line=first,
        hint=Text(
            ja="見出しより上の表題は計画の一部になりません。計画の表題はメタデータのファイルに書いてください",
            en="a title above the header is not part of the plan; give the plan's title in the metadata file",
        ),
    )


def _apply_merges(
    grid: Grid, header_line: int, index: dict[str, int], out: Collector, notes: Sequence[tuple[int, str]] = ()
) -> None:
    """A merged range over data rows: its value for every row (direction, unit), else one error; over
    note columns only, a warning (the note is its top row's)."""
    column_of = {i: c for c, i in index.items()}
    rows = dict(grid.rows)
    for m in grid.merges:
        covered = [i for i in range(m.min_col, m.max_col + 1) if i in column_of]
        if m.max_row <= header_line:
            continue
        if not covered:
            _merged_notes(grid, m, header_line, [h for i, h in notes if m.min_col <= i <= m.max_col], out)
            continue
        names = ", ".join(column_of[i] for i in covered)
        if m.min_col == m.max_col and m.min_row > header_line and column_of[m.min_col] in FILLED_BY_MERGE:
            top = rows.get(m.min_row, [])
            value = top[m.min_col] if m.min_col < len(top) else ""
            for line in range(m.min_row + 1, m.max_row + 1):
                if line in rows and m.min_col < len(rows[line]):
                    rows[line][m.min_col] = value
                elif line in rows:
                    rows[line].extend([""] * (m.min_col - len(rows[line])) + [value])
            out.warn(
                Text(
                    ja=f"{names} が {m.min_row}–{m.max_row} 行目で結合されています（{m.ref}）。"
                    f"各行の値を 「{shorten(value.strip())}」 として読みます",
                    en=f"{names} is merged over rows {m.min_row}–{m.max_row} ({m.ref}): "
                    f"「{shorten(value.strip())}」 is read for each of them",
                ),
                line=m.min_row,
                column=grid.col_name(m.min_col),
            )
            continue
        out.error(
            Text(
                ja=f"セル {m.ref} が結合されています（{names}、{m.min_row}–{m.max_row} 行目）。"
                "値がどの施策のものか決められません",
                en=f"cells {m.ref} are merged ({names}, rows {m.min_row}–{m.max_row}): "
                "which entry the value belongs to is ambiguous",
            ),
            line=m.min_row,
            column=grid.col_name(m.min_col),
            hint=Text(
                ja="セルの結合を解除し、行ごとに値を入れてください（Excel: ホーム → セルを結合して中央揃え → "
                "セル結合の解除）",
                en="unmerge the cells and give each row its own value (Excel: Home → Merge & Center → Unmerge)",
            ),
        )
        grid.reported.update((line, i) for line in range(m.min_row, m.max_row + 1) for i in covered)


def _merged_notes(grid: Grid, m: Merge, header_line: int, headers: list[str], out: Collector) -> None:
    """A merge over note columns and several data rows: its text is kept once, on the top row's entry,
    never copied to the others (a budget merged over three entries is not each one's); said, so the
    publisher can unmerge it where each entry has the value."""
    if not headers or m.max_row == m.min_row or m.min_row <= header_line:
        return
    names = ", ".join(headers)
    out.warn(
        Text(
            ja=f"{names} が {m.min_row}–{m.max_row} 行目で結合されています（{m.ref}）。注記は {m.min_row} 行目の"
            "施策にだけ付きます",
            en=f"{names} is merged over rows {m.min_row}–{m.max_row} ({m.ref}): the note is kept on row "
            f"{m.min_row}'s entry only",
        ),
        line=m.min_row,
        column=grid.col_name(m.min_col),
        hint=Text(
            ja="各行の施策のものなら、セルの結合を解除して行ごとに値を入れてください",
            en="if it belongs to each row's entry, unmerge the cells and give each row its value",
        ),
    )


def rows_from_grid(grid: Grid, out: Collector, layout: Layout | None = None) -> RawPlan:
    """The raw rows of a sheet: header found (Fukushima's, or the sidecar's [columns]), title rows
    skipped, merges resolved; with [columns], the other columns' cells are kept as notes."""
    raw = RawPlan(rows=[], sheet=grid.sheet, headers=dict(layout.columns) if layout else None)
    if not grid.rows:
        out.error(
            Text(ja="シートに行がありません", en="the sheet has no rows"),
            hint=Text(ja="1 行目を列見出しにしてください", en="the first row must be the column headers"),
        )
        return raw
    if layout is None:
        found = _find_header(grid, out)
    elif mapped := _find_mapped_header(grid, layout):  # by key: as Fukushima's columns from here on
        found = mapped[0], {COLUMN_OF_KEY[key]: i for key, i in mapped[1].items()}
    else:
        return raw
    if found is None:
        return raw
    pos, index = found
    header_line = grid.rows[pos][0]
    notes = _note_columns(grid.rows[pos][1], index) if layout else []
    if layout:
        raw.layout = _sheet_layout(grid.rows[pos][1], index)
    _skip_title_rows(grid, pos, out)
    read = sorted(set(index.values()) | {i for i, _ in notes})
    _hidden_warnings(grid, pos, read, out)
    _struck_warnings(grid, pos, read, out)
    grid.rows = [(line, list(values)) for line, values in grid.rows]
    _apply_merges(grid, header_line, index, out, notes)
    width = max(index.values()) + 1
    for line, values in grid.rows[pos + 1 :]:
        if not any(v.strip() for v in values):
            continue
        if len(values) < width:
            values = values + [""] * (width - len(values))
        # a column [columns] does not map (新規, 指標・目標…) reads as empty cells
        cells_ = [values[index[c]] if c in index else "" for c in TABULAR_COLUMNS]
        columns = tuple(grid.col_name(index[c]) if c in index else None for c in TABULAR_COLUMNS[1:])
        reported = frozenset(FIELD_OF[c] for c in index if (line, index[c]) in grid.reported)
        raw.rows.append(
            RawRow(
                line,
                *cells_,
                columns=columns,
                direction_column=grid.col_name(index[TABULAR_COLUMNS[0]]),
                reported=reported,
                notes=tuple(
                    Note(n, header, values[i])
                    for n, (i, header) in enumerate(notes, 1)
                    if i < len(values) and values[i].strip()
                ),
            )
        )
    return raw


def _hidden_warnings(grid: Grid, pos: int, read: list[int], out: Collector) -> None:
    """A warning for each run of hidden rows below the header, and each hidden column that is read:
    what Excel hides is read all the same (nothing is dropped unseen), but the person checking the
    sheet in Excel does not see it."""
    lines = [
        line for line, values in grid.rows[pos + 1 :] if line in grid.hidden_rows and any(v.strip() for v in values)
    ]
    runs: list[list[int]] = []
    for line in lines:
        if runs and line == runs[-1][-1] + 1:
            runs[-1].append(line)
        else:
            runs.append([line])
    for run in runs:
        rows = f"{run[0]}" if len(run) == 1 else f"{run[0]}–{run[-1]}"
        out.warn(
            Text(
                ja=f"{rows} 行目は Excel で非表示ですが、ほかの行と同じく施策として読みます",
                en=f"rows {rows} are hidden in Excel: they are read as entries like the others"
                if len(run) > 1
                else f"row {rows} is hidden in Excel: it is read as an entry like the others",
            ),
            line=run[0],
            hint=Text(
                ja="行を再表示して確かめ（ホーム → 書式 → 非表示/再表示 → 行の再表示）、"
                "計画の施策でない行は削除してください",
                en="unhide them to check them (Home → Format → Hide & Unhide → Unhide Rows), and delete the rows "
                "that are not the plan's entries",
            ),
        )
    header_line, headers = grid.rows[pos]
    for i in read:
        if i in grid.hidden_columns:
            name, header = grid.col_name(i), headers[i] if i < len(headers) else ""
            out.warn(
                Text(
                    ja=f"列 {name}（{header}）は Excel で非表示ですが、ほかの列と同じく読みます",
                    en=f"column {name} (「{header}」) is hidden in Excel: it is read like the others",
                ),
                line=header_line,
                column=name,
                hint=Text(
                    ja="列を再表示して確かめてください（ホーム → 書式 → 非表示/再表示 → 列の再表示）。"
                    "計画の列でなければ削除してください",
                    en="unhide it to check it (Home → Format → Hide & Unhide → Unhide Columns); delete it if it is "
                    "not the plan's",
                ),
            )


def _struck_warnings(grid: Grid, pos: int, read: list[int], out: Collector) -> None:
    """One warning per row whose read cells are struck through: 見え消し, the way a revision shows
    deleted text while keeping it legible. The text is read as written (it is the cell's), but a
    publisher who meant it deleted must delete it, or the graph keeps it."""
    if not grid.struck:
        return
    headers = grid.rows[pos][1]
    for line, values in grid.rows[pos + 1 :]:
        struck = [i for i in read if (line, i) in grid.struck and i < len(values) and values[i].strip()]
        if not struck:
            continue
        cells = ", ".join(f"{grid.col_name(i)}{line}" for i in struck)
        named = ", ".join(f"「{headers[i] if i < len(headers) else ''}」" for i in struck)
        several = len(struck) > 1
        out.warn(
            Text(
                ja=f"セル {cells}（{named}）には Excel で取り消し線（見え消し）が引かれていますが、"
                "書かれたとおりに読みます",
                en=f"cell{'s' if several else ''} {cells} ({named}) {'are' if several else 'is'} struck through in "
                f"Excel (見え消し): {'their' if several else 'its'} text is read as written",
            ),
            line=line,
            column=grid.col_name(struck[0]),
            hint=Text(
                ja="計画から消した内容なら、セルの文字（施策ごと消したなら行）を削除してください。"
                "取り消し線だけでは、グラフに残ります",
                en="if the text is no longer the plan's, delete it (or the row, if the entry is deleted): "
                "struck through, it stays in the graph",
            ),
        )


def has_template_header(grid: Grid) -> bool:
    """Whether a row near the top names every column of data/template.csv (Fukushima's)."""
    return any(len(_header_match(values)) == len(TABULAR_COLUMNS) for _, values in grid.rows[:HEADER_SEARCH_ROWS])


def likely_header(grid: Grid) -> tuple[int, list[str]] | None:
    """The row near the top with the most cells filled (a title row above it has one): the header."""
    rows = grid.rows[:HEADER_SEARCH_ROWS]
    if not rows:
        return None
    most = max(sum(1 for v in values if v.strip()) for _, values in rows)
    return next((line, values) for line, values in rows if sum(1 for v in values if v.strip()) == most)


def read_csv(text: str, out: Collector, layout: Layout | None = None) -> RawPlan:
    return rows_from_grid(csv_grid(text, out), out, layout)


def csv_grid(text: str, out: Collector) -> Grid:
    """A CSV file's non-empty rows, with their line numbers."""
    import csv
    import io

    table: list[tuple[int, list[str]]] = []
    # Excel writes ';' in some locales and tabs in "Unicode text": sniff among the three.
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    # A cell may be long (a whole report pasted in): the file's size is the bound, not 128 KB.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for values in reader:
            if any(v.strip() for v in values):
                table.append((start, values))
            start = reader.line_num + 1
    except csv.Error as exc:
        out.error(
            Text(ja=f"CSV の書式の誤り: {exc}", en=f"CSV syntax error: {exc}"),
            line=start,
            hint=Text(
                ja="引用符で始まるセルが閉じていません。足りない '\"' を加えてください（セル内の引用符は二つ重ねます）",
                en="a quoted cell is not closed: add the missing '\"' (quotes inside a cell are doubled)",
            ),
        )
    return Grid(table, lambda i: i + 1)
