"""Rules that repair the scars a PDF-to-text export leaves in table cells.

Each rule is a small function with its own tests (tests/test_cells.py). None of them rewrites
the plan's words: they remove markup, find list items and rejoin names the PDF wrapped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from plan2rdf.model import Cell, Responsibility

# 新規 marks: ○ is what the plan uses; the look-alikes turn up in other editions and sheets.
NEW_MARKS = frozenset("○◯〇●")
NOT_NEW_MARKS = frozenset({"", "-", "－", "―", "×"})

REPOST_MARKERS = ("（再掲）", "(再掲)", "【再掲】", "［再掲］", "[再掲]")

# Spaces a PDF export or a spreadsheet may put between words: ASCII, ideographic and no-break.
_SPACE = r"[ \t\u3000\u00a0]"
_SPACES_RE = re.compile(_SPACE + "+")
_ANY_SPACE_RE = re.compile(_SPACE)
# Every pattern here runs in linear time on any cell (tests/test_cells.py feeds each a 1 MB cell):
# a run of spaces is matched only from its first space (the lookbehind), so no start inside a
# run rescans it, and a tag stops at the next "<" instead of scanning to the end of the cell.
_RUN = "(?<!" + _SPACE + ")" + _SPACE + "+"

_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?(/?)>")
# A run of spaces that is not one ASCII space already (the same result as folding every run, with
# far fewer replacements: most runs are one space).
_INNER_SPACES_RE = re.compile(r"[\t\u00a0][ \t\u00a0]*| [ \t\u00a0]+")
_BULLET_RE = re.compile(r"(?:^|" + _SPACE + r"|\n)・")
_BULLET_SPLIT_RE = re.compile(r"(?:^|" + _RUN + r"|\n)・")
_PARAGRAPH_SPLIT_RE = re.compile(r"(?<=[。．！？])" + _SPACE + r"+|" + _RUN + r"(?=※)")
_LINE_BREAKS_RE = re.compile(r"[\r\n]+")

# Where a list item ends in a ``<ul>`` whose ``<li>`` tags the export lost.
_SENTENCE_END = ("。", "．", "！", "？")
# A value that continues its label: "数 67,000件", "増加率 対前年比120%".
_VALUE_START_RE = re.compile(r"^(?:対前年比|前年比|約|年間|月間|累計|計)?[0-9０-９]")
# A label's value, then maybe a qualifier or a parenthesis: "2課題", "16件程度", "4台（無償）".
# Matched on the reversed tail of the text, anchored, so that it cannot backtrack over the cell.
_NUMBER_WITH_UNIT_RE = re.compile(r"(?:）[^（）]*（)?[^\s0-9０-９]{0,4}(?:万|億)?[0-9０-９,，.．]*[0-9０-９]")
_UNIT_TAIL = 160  # characters looked at: a qualifier in parentheses is far shorter


def is_ascii(ch: str) -> bool:
    return ord(ch) < 128


def normalize_space(text: str) -> str:
    """Fold runs of spaces to one and trim; ideographic spaces inside the text are kept."""
    text = _INNER_SPACES_RE.sub(" ", text)
    return text.strip(" \t\u3000\u00a0\r\n")


@dataclass
class _Block:
    kind: str  # "text", "p" or "ul"
    parts: list[str]  # for "ul": explicit <li> items, if the export kept any


def _blocks(verbatim: str) -> list[_Block]:
    """Split a cell into text, paragraph and list blocks; tags are dropped, entities decoded."""
    if "<" not in verbatim:  # no tag: one text block (most cells of a text export)
        return [_Block("text", [html.unescape(verbatim)])] if verbatim.strip() else []
    blocks: list[_Block] = []
    current = _Block("text", [""])
    pieces: list[str] = []  # of the current part: joined once, so many tags cost linear time
    pos = 0

    def end_part() -> None:
        current.parts[-1] = "".join(pieces)
        pieces.clear()

    def close(kind_after: str = "text") -> None:
        nonlocal current
        end_part()
        if any(part.strip() for part in current.parts):
            blocks.append(current)
        current = _Block(kind_after, [""])

    for m in _TAG_RE.finditer(verbatim):
        pieces.append(verbatim[pos : m.start()])
        pos = m.end()
        closing, name = m.group(1) == "/", m.group(2).lower()
        if name == "ul" or name == "ol":
            # A list runs to its closing tag or, as in our exports, to the end of the cell.
            close("text" if closing else "ul")
        elif name == "p":
            close("text" if closing else "p")
        elif name == "li" and not closing:
            if current.kind != "ul":
                close("ul")
            end_part()
            current.parts.append("")
        elif name == "br":
            pieces.append("\n")
        # Any other tag (span, strong…) carries no structure: drop it, keep its text.
    pieces.append(verbatim[pos:])
    close()
    for block in blocks:
        block.parts = [html.unescape(part) for part in block.parts]
    return blocks


def _split_bullets(text: str) -> list[str] | None:
    """Items led by ・ bullets at the start or after a space; None when there are none."""
    if "・" not in text or not _BULLET_RE.search(text.strip()):
        return None
    pieces = _BULLET_SPLIT_RE.split(text.strip())
    return [normalize_space(p) for p in pieces if normalize_space(p)]


def _is_boundary(left: str, right: str) -> bool:
    """Is the space between ``left`` and ``right`` a lost ``<li>`` boundary?"""
    if left.endswith(_SENTENCE_END):
        return True
    if _VALUE_START_RE.match(right):
        return False  # "件数 150件": a label and its value stay together.
    if _NUMBER_WITH_UNIT_RE.match(left[: -_UNIT_TAIL - 1 : -1]):
        return True
    # Between two Japanese characters a space is no word gap: it is where an item ended.
    return not is_ascii(left[-1]) and not is_ascii(right[0])


def _tail(words: list[str]) -> str:
    """The last words of an item, enough of them for :func:`_is_boundary` to see its end."""
    size, start = 0, len(words)
    while start > 0 and size < _UNIT_TAIL:
        start -= 1
        size += len(words[start]) + 1
    return " ".join(words[start:])


def split_list_items(text: str) -> list[str]:
    """Items of a list whose item tags were lost in the export."""
    bulleted = _split_bullets(text)
    if bulleted is not None:
        return bulleted
    items: list[str] = []
    for line in text.splitlines():
        words = [w for w in _SPACES_RE.split(line) if w]
        if not words:
            continue
        current = [words[0]]
        for word in words[1:]:
            # the boundary depends on the item's end only: its last words are enough
            if _is_boundary(_tail(current), word):
                items.append(" ".join(current))
                current = [word]
            else:
                current.append(word)
        items.append(" ".join(current))
    return items


def split_paragraphs(text: str) -> list[str]:
    """Items of running text: lines, sentences followed by a space (a PDF line break), ※ notes."""
    bulleted = _split_bullets(text)
    if bulleted is not None:
        return bulleted
    items: list[str] = []
    for line in text.splitlines():
        # Both of its ends start at a space: a line without one (most) has nothing to split.
        for piece in _PARAGRAPH_SPLIT_RE.split(line) if _ANY_SPACE_RE.search(line) else (line,):
            piece = normalize_space(piece)
            if piece:
                items.append(piece)
    return items


def parse_cell(verbatim: str) -> Cell:
    """Clean text and items of a free-text cell (取組概要, 指標・目標)."""
    items: list[str] = []
    for block in _blocks(verbatim):
        if block.kind == "ul":
            explicit = [p for p in block.parts if p.strip()]
            if len(block.parts) > 1:  # the <li> tags survived: trust them
                items.extend(normalize_space(p) for p in explicit)
            elif explicit:  # 「<ul>&nbsp;」: a list of spaces once its entities are decoded has no item
                items.extend(split_list_items(explicit[0]))
        else:
            items.extend(split_paragraphs("".join(block.parts)))
    return Cell(verbatim=verbatim, text="\n".join(items), items=tuple(items))


def clean_text(verbatim: str) -> str:
    """A one-line cell (a name) without markup, spaces folded."""
    if "<" in verbatim:
        text = " ".join("".join(b.parts) for b in _blocks(verbatim))
    else:  # the one text block _blocks would give, if any
        text = html.unescape(verbatim) if verbatim.strip() else ""
    # Line breaks become spaces and are folded with the spaces around them (linear time).
    if "\n" in text or "\r" in text:
        text = _LINE_BREAKS_RE.sub(" ", text)
    return normalize_space(text)


def is_blank(verbatim: str) -> bool:
    """Whether :func:`clean_text` of the cell is empty, without building the text when it has no tags."""
    if "<" in verbatim:
        return not clean_text(verbatim)
    # One text block, if any: empty when nothing but the spaces clean_text folds and trims is left.
    return not verbatim.strip() or not html.unescape(verbatim).strip(" \t\u3000\u00a0\r\n")


def strip_repost_marker(title: str) -> tuple[str, bool]:
    """``（再掲）name`` → (``name``, True). The marker may lead or trail the name."""
    if not title.startswith(REPOST_MARKERS) and not title.endswith(REPOST_MARKERS):
        return title, False  # most names: one check for all markers
    for marker in REPOST_MARKERS:
        if title.startswith(marker):
            return normalize_space(title[len(marker) :]), True
        if title.endswith(marker):
            return normalize_space(title[: -len(marker)]), True
    return title, False


def parse_new_flag(value: str) -> bool | None:
    """True for ○ and its look-alikes, False for empty; None when the mark is not recognised."""
    mark = value.strip(" \t\u3000\u00a0")
    if mark in NEW_MARKS:
        return True
    if mark in NOT_NEW_MARKS:
        return False
    return None


DEPARTMENT_SUFFIXES = ("部", "局", "庁", "本部", "事務局", "委員会")
DIVISION_SUFFIXES = (
    "課", "室", "局", "センター", "館", "所", "係", "班", "担当", "グループ", "チーム", "場", "院", "校",
)  # fmt: skip


@dataclass(frozen=True)
class UnitParse:
    responsibility: Responsibility
    joined: tuple[str, ...]  # names rejoined from fragments the PDF wrapped
    unterminated: tuple[str, ...]  # names left without a known suffix: worth a warning


def _join(tokens: list[str], suffixes: tuple[str, ...]) -> tuple[list[str], list[str], list[str]]:
    names: list[str] = []
    joined: list[str] = []
    unterminated: list[str] = []
    pending: list[str] = []
    for token in tokens:
        pending.append(token)
        if token.endswith(suffixes):
            names.append("".join(pending))
            if len(pending) > 1:
                joined.append("".join(pending))
            pending = []
    if pending:
        name = "".join(pending)
        names.append(name)
        unterminated.append(name)
        if len(pending) > 1:
            joined.append(name)
    return names, joined, unterminated


def parse_responsibility(verbatim: str) -> UnitParse | None:
    """The 部局等名 担当課 cell: the department, then its divisions, fragments rejoined.

    A PDF line wrap splits one name in two (「原子力安全 対策課」); a name is complete when it
    ends in an organisational suffix (課, 室, センター…), so fragments are joined until one does.
    """
    tokens = [t for t in _SPACES_RE.split(clean_text(verbatim).replace("\n", " ")) if t]
    if not tokens:
        return None
    # The department comes first. A wrapped department name (「企画調 整部」) is rejoined only
    # when the next word completes it: 「県議会 議事課」 is a department and a division.
    department_tokens = [tokens.pop(0)]
    while (
        tokens and not department_tokens[-1].endswith(DEPARTMENT_SUFFIXES) and tokens[0].endswith(DEPARTMENT_SUFFIXES)
    ):
        department_tokens.append(tokens.pop(0))
    department = "".join(department_tokens)
    divisions, joined, unterminated = _join(tokens, DIVISION_SUFFIXES)
    if len(department_tokens) > 1:
        joined.insert(0, department)
    if not department.endswith(DEPARTMENT_SUFFIXES):
        unterminated.insert(0, department)
    return UnitParse(
        Responsibility(verbatim=verbatim, department=department, divisions=tuple(divisions)),
        tuple(joined),
        tuple(unterminated),
    )
