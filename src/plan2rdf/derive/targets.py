"""Targets read from the items of a 指標・目標 cell: value, unit, qualifiers, period, baseline.

The cell is free text written by many departments, so this module reads only what the text
certainly says and leaves the rest as text. Precision matters more than recall: a wrong number in
the graph is worse than a missing one, because users compare numbers across departments and years
and cannot see the guess, while every item's verbatim text stays in the graph for a reader.

What is read (each rule has a test in tests/test_targets.py):

- **Values**: a number with an optional 万/億 multiplier (67,000 / 5万 / 「5 万」 / 27.6 / 1.5億).
  A number is only taken when it is followed by a known unit (:data:`UNITS`), or, without a unit,
  when it directly follows a label that names a count or rate (「…件数7,019」, 「目標数 年間15,000」).
  Numbers that belong to names are never values: 第9期, 第7次, 第16条第1項, 東京23区, Society5.0,
  「…フェア2021」 (numbers in 「」 are names), 5G, 1人1台, and arithmetic breakdowns in parentheses
  (「（市町村59×2台＝118台…）」). A number followed by 当たり (「1 本当たり」) is a denominator.
- **Prose**: in a sentence of running prose (it ends with 。 or a verb) a value is taken only when the
  sentence states a target (目指す, 目標, 達成, 予定, までに, 目安, 増加させる…) or reports a figure
  as of a date (「令和2年中の…」). 「15業務に試行導入した…」 describes work done, so it is not a target.
- **Units** are read only from the characters right after the number. A label's 件数 is *not* turned
  into the unit 件: 「アプリダウンロード者件数7,019」 mixes 者 and 件, and the label is kept anyway,
  so the unit stays None rather than being invented. A unit is never copied from another value.
- **Qualifiers** (:data:`QUALIFIERS` and a few patterns) are verbatim words next to the value: before
  it (約, 年間, 対前年比, 当面の…, 3年間), after it (以上, 程度, 増加…), in short parentheses next to it
  or in its label (（累計）, （月間）, （各年度）, （無償）), 延べ inside the label, a leading （現年） for the
  whole item, a per-unit scope (「動画1本当たり」), and a deadline's までに / 目安.
- **Baselines**: a date followed by 現在 or 時点 (「令和3年2月28日現在」, 「（R3.1.27現在）」), or a past
  calendar year reported in prose (「令和2年中の…は約17,000回」), makes the values after it in that
  sentence baselines with ``as_of`` that date, until a 目標 word starts the targets
  (「…7,019 目標数 年間15,000」). 現在, 実績 or 現状 without a date make a baseline whose ``as_of`` is
  the period named with it, or None. A reported change (「…と比較して約6,000件増加」) is no level of
  anything and is left as text.
- **Periods**: a date named with the value (「令和3年度の入館者数…」, 「1,200,000件（令和5年度）」,
  「令和3年度前半までに6手続…」) becomes ``period``; a date followed by から (a start only) or
  と比較 (a comparison) does not. With ``plan_fiscal_year`` the words 今年度/本年度/当年度, 前年度 and
  翌年度/次年度/来年度 are resolved. The plan's own fiscal year is *never* filled in here: an item
  without a date has ``period`` None, and the graph stage decides what the plan's year implies.
- **Labels** say what is counted: the text before the value back to the previous value or clause,
  without dates, qualifiers and particles (「令和3年度の入館者数50,000人」 → 入館者数), or a
  「…の視聴回数」 after the value. A value with no label of its own takes the previous value's
  label (「17課題21箇所」, 「（3年間累計126人）」); a label that only says 目標/目標数 takes the label
  of the baseline before it. Group labels after a shared header are joined to it:
  「登録率（R3.1.27現在） 市町村・保健所 100% 医療機関 27.6%」 → 「ネットワークの登録率 医療機関」.

Every item gives at least one :class:`TargetItem`; an item with nothing readable gives one with
``value`` None, which keeps only the date that dates the item, a *milestone*: its one deadline or aim
(「令和3年12月までに…」 → period and までに, 「令和6年度を目安に…」, 「令和3年6月の運用開始に向け…」 → に向け),
or its only date in a list item or a sentence stating a target (「令和3年度実施予定事業」).
Every TargetItem keeps the whole verbatim item in ``text``. Items are read one by one:
nothing carries over from one item to the next.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal, InvalidOperation, localcontext

from plan2rdf.derive.wareki import Period, find_periods, fiscal_year, fold_width

__all__ = ["QUALIFIERS", "UNITS", "TargetItem", "parse_items", "parse_number"]

# Longest first, so 市町村 wins over a shorter unit and 課題 is not read as something else.
UNITS: tuple[str, ...] = (
    "市町村", "手続き", "課題", "施設", "地区", "箇所", "団体", "店舗", "業務", "手続",
    "千円", "PV", "件", "人", "名", "社", "台", "本", "回", "校", "円", "%",
)  # fmt: skip
# A unit character that starts a longer word is no unit: 人材, 回線, 本社, 名簿, 社会, 校務…
_UNIT_BLOCKERS = {
    "人": "材口員工間",
    "回": "線答収路転目",
    "本": "社県部庁格人体",
    "名": "称簿義前",
    "社": "会員長",
    "台": "帳風湾",
    "校": "務舎長正",
    "件": "名",
}

# Words that qualify a value when written right before it (or as the label's first word + の).
PRE_QUALIFIERS: tuple[str, ...] = (
    "対前年度比", "対前年比", "前年度比", "前年比", "各年度", "年間", "月間", "累計", "延べ", "総計", "合計",
    "当面", "毎週", "毎月", "毎年", "毎日", "およそ", "最大", "最低", "約",
)  # fmt: skip
_PRE_QUALIFIERS_NO = tuple(q + "の" for q in PRE_QUALIFIERS)  # 「当面の…」
# Words that qualify a value when written right after it (after its unit).
POST_QUALIFIERS: tuple[str, ...] = ("以上", "以下", "未満", "程度", "前後", "超")
# A change rather than a level: 「5% 増加させる」, 「11手続を追加」.
CHANGE_QUALIFIERS: tuple[str, ...] = ("増加", "減少", "削減", "追加")
# Every qualifier word this module knows. A few patterns add verbatim text as well: 「3年間」, a bare
# 年/月 before 「N回」, a per-unit scope 「動画1本当たり」 and short notes in parentheses 「（無償）」, 「（現年）」.
QUALIFIERS: tuple[str, ...] = (*PRE_QUALIFIERS, *POST_QUALIFIERS, *CHANGE_QUALIFIERS, "までに", "まで", "目安", "目途")

# A sentence of prose is read only if it states a target (or reports a dated figure, see below).
_TARGET_MARKERS = (
    "目指", "目標", "達成", "予定", "までに", "目安", "目途", "増加させ", "減少させ", "削減", "増や", "減ら",
)  # fmt: skip
_ROLE_LABELS = frozenset({"目標", "目標数", "目標値", "数値目標"})
_COUNT_LABEL_END = ("数", "率", "値", "割合")
_CONJUNCTIONS = ("また、", "その後、", "さらに、", "なお、", "併せて、", "加えて、", "そして、")
# Particles and punctuation that join a label to its value: 「…のアクセス数は約17,000回」.
_TRAILING_PARTICLES = ("について", "として", "とする", "は", "を", "が", "の", "で", "に", ":", "：", "、", "・")
_LEADING_PARTICLES = ("の", "は", "に", "で", "を", "が", "、", "・", ":", "：", " ")

_MAX_DIGITS = 30
_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
_AMOUNT_RE = re.compile(
    rf"(?:(?P<oku>{_NUM})\s?億)?\s?(?:(?P<man>{_NUM})\s?万)?\s?(?P<rest>{_NUM})?",
)
_VALUE_RE = re.compile(
    rf"(?<![0-9A-Za-z.,])(?P<amount>{_NUM}(?:\s?億(?:\s?{_NUM}\s?万)?|\s?万)?)(?![0-9]|[.,][0-9])"
    r"(?P<gap>\s?)(?P<unit>" + "|".join(re.escape(u) for u in UNITS) + r")?"
)
_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_KANJI = re.compile(r"[\u4e00-\u9fff々]")
_RELATIVE_FY = {"今年度": 0, "本年度": 0, "当年度": 0, "前年度": -1, "翌年度": 1, "次年度": 1, "来年度": 1}
_RELATIVE_FY_RE = re.compile("|".join(_RELATIVE_FY))
# What the words right after a date say about it (see _dates).
_AS_OF_RE = re.compile(r"\s?(現在|時点)")
_DEADLINE_RE = re.compile(r"\s?(まで(?:に)?)")
_AIM_RE = re.compile(r"\s?を?(目安|目途)(?:に|として)?")
_AIMED_AT_RE = re.compile(r"\s?(?:の[^、。\s0-9]{1,12}?)?(に向け(?:て)?)")
_START_RE = re.compile(r"\s?から")
_COMPARISON_RE = re.compile(r"\s?(?:と比較|と比べ|比)")
# Each searched on its own: their spans may overlap, and every one of them is hidden.
_HIDDEN_RES = tuple(
    re.compile(p)
    for p in (
        r"「[^「」]*」|『[^『』]*』",  # quoted names: 「ふくしまICT未来フェア2021」
        r"第\s?[0-9]+",  # ordinals: 第9期, 第7次, 第16条第1項
        r"1人1台|一人一台",  # the one-device-per-pupil policy, not two counts
        r"\([^()]*[×=+*][^()]*\)",  # arithmetic breakdowns: （市町村59×2台＝118台、…）
    )
)
_CLOSE_RE = re.compile(r"[)）]")
_OPEN_RE = re.compile(r"[(（]")
_YEARS_RE = re.compile(r"[0-9]+年間$")
_PAREN_QUALIFIER_RE = re.compile(r"\((" + "|".join(PRE_QUALIFIERS) + r")\)")
_SPACES_RE = re.compile(r"[ \u3000]+")
_PER_UNIT_END_RE = re.compile(r"(当たり|あたり|につき)$")
_LEAD_NOTE_RE = re.compile(r"\s*\(([^()0-9]{1,8})\)")
_BAD_AS_OF_RE = re.compile(r"[0-9元一二三四五六七八九十日月年度]\)?\s?(?:現在|時点)")
_DENOMINATOR_RE = re.compile(r"\s?(当たり|あたり|につき|ごと|毎)")
_LATIN_RE = re.compile(r"[A-Za-z]")
_CLAUSE_END_RE = re.compile(r"[しでてにはがりく]、")
_COUNT_END_RE = re.compile(r"$|[\s、。,)]")
_POST_RE = re.compile(r"\s?(" + "|".join(POST_QUALIFIERS) + ")")
_CHANGE_RE = re.compile(r"\s?を?\s?(" + "|".join(CHANGE_QUALIFIERS) + ")")
_NOTE_RE = re.compile(r"\s?\(([^()]{1,30})\)")
_DIGIT_RE = re.compile(r"[0-9]")
_REACHED_RE = re.compile("現在|時点|実績|現状|現況")
_LABEL_AFTER_RE = re.compile(r"\s?の([^、。,\s()]{1,30}?(?:数|率|量|額))(?=[をはがにで、。]|$)")


@dataclass(frozen=True)
class TargetItem:
    """One value read from an indicator item, or the item alone (``value`` None) when none could be."""

    text: str  # the verbatim item text
    label: str | None  # what is counted, e.g. 「フェイスブックページへの「いいね！」数」
    value: Decimal | None
    unit: str | None
    qualifiers: tuple[str, ...] = ()
    period: Period | None = None  # the period the target is for, only when the item names one
    role: str = "target"  # "target" or "baseline"
    as_of: Period | None = None  # for baselines: the 「…現在」 date


def _tidy(value: Decimal) -> Decimal:
    """67000 rather than 6.7E+4 or 67000.0: integral values without exponent, others normalised."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def _decimal(text: str | None) -> Decimal:
    return Decimal(text.replace(",", "")) if text else Decimal(0)


def parse_number(text: str) -> Decimal | None:
    """The number a whole string writes, or None: 67,000 / ６７，０００ / 27.6 / 5万 / 「5 万」 / 1.5億 / 1億5000万.

    Thousands separators must group by three (「1,2」 is no number); below a 万 or 億 part the rest
    must be smaller than it (「1億20000万」 is no way of writing a number).
    """
    folded = fold_width(text).strip()
    m = _AMOUNT_RE.fullmatch(folded)
    if m is None or not (m["oku"] or m["man"] or m["rest"]):
        return None
    if sum(ch.isdigit() for ch in folded) > _MAX_DIGITS:
        return None  # no count in a plan has this many digits: a code or an identifier
    with localcontext(Context(prec=2 * _MAX_DIGITS)):  # exact: the default 28 digits would round
        try:
            oku, man, rest = _decimal(m["oku"]), _decimal(m["man"]), _decimal(m["rest"])
        except InvalidOperation:
            return None
        if (m["oku"] and (man >= 10_000 or (rest >= 10_000 and not m["man"]))) or (m["man"] and rest >= 10_000):
            return None
        return _tidy(oku * 100_000_000 + man * 10_000 + rest)


# ---------------------------------------------------------------------------------------------
# Reading one item


@dataclass
class _Value:
    start: int  # of the number
    end: int  # of everything that belongs to the value: unit, qualifiers, attached parentheses
    value: Decimal
    unit: str | None
    label: str | None = None
    own_label: bool = False
    qualifiers: list[str] = field(default_factory=list)
    period: Period | None = None
    as_of: Period | None = None
    role: str = "target"
    sentence: int = 0


@dataclass
class _Date:
    period: Period
    start: int
    end: int  # including the word that says how it is meant (現在, までに…)
    how: str  # "as-of", "deadline", "aim", "start", "comparison", "reported" or "plain"
    marker: str | None = None  # the verbatim qualifier word for deadlines and aims
    relative: bool = False  # 今年度, 翌年度…: words, with no digits to hide from the value reader


def _dates(folded: str, plan_fiscal_year: int | None) -> list[_Date]:
    """Every date in the item, with what the words after it say about it."""
    found = [(p, s, e, False) for p, s, e in find_periods(folded)]
    if plan_fiscal_year is not None:
        for m in _RELATIVE_FY_RE.finditer(folded):
            found.append((fiscal_year(plan_fiscal_year + _RELATIVE_FY[m.group(0)]), m.start(), m.end(), True))
        found.sort(key=lambda t: t[1])
    dates: list[_Date] = []
    for period, start, end, relative in found:
        after = folded[end:]
        how, marker, extra = "plain", None, 0
        if m := _AS_OF_RE.match(after):
            how, extra = "as-of", m.end()
        elif m := _DEADLINE_RE.match(after):
            how, marker, extra = "deadline", m.group(1), m.end()
        elif m := _AIM_RE.match(after):
            how, marker, extra = "aim", m.group(1), m.end()
        elif m := _AIMED_AT_RE.match(after):
            # 「令和3年6月の運用開始に向け、…」: the work is aimed at that date (no digits in between,
            # so a value such as 「…の100件達成に向け」 is never hidden from the value reader)
            how, marker, extra = "aim", m.group(1), m.end()
        elif _START_RE.match(after):
            how = "start"
        elif _COMPARISON_RE.match(after):
            how = "comparison"
        elif folded[start:end].endswith("中") and period.kind == "calendar-year":
            how = "reported"  # 「令和2年中の…」: a figure for a past year; baseline only in prose
        # A date in its own parentheses 「（R3.1.27現在）」: the parentheses go with it.
        if start > 0 and folded[start - 1] == "(" and folded[end + extra : end + extra + 1] == ")":
            start, extra = start - 1, extra + 1
        dates.append(_Date(period, start, end + extra, how, marker, relative))
    return dates


def _hidden_spans(folded: str) -> list[tuple[int, int]]:
    """Where numbers are parts of names or sums, never values."""
    return [m.span() for pattern in _HIDDEN_RES for m in pattern.finditer(folded)]


def _masked(folded: str, spans: list[tuple[int, int]]) -> str:
    """``folded`` with every character inside one of ``spans`` replaced by ■ (same length)."""
    parts, pos = [], 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if end > start:
            parts += [folded[pos:start], "■" * (end - start)]
            pos = end
    parts.append(folded[pos:])
    return "".join(parts)


def _without(text: str, start: int, end: int, cut: list[tuple[int, int]]) -> str:
    """``text[start:end]`` without the characters inside the spans of ``cut``."""
    parts, pos = [], start
    for s, e in sorted(cut):
        s = min(max(s, pos), end)
        if e > s:
            parts.append(text[pos:s])
            pos = min(e, end)
    parts.append(text[pos:end])
    return "".join(parts)


def _sentences(folded: str) -> list[tuple[int, int]]:
    """Sentence spans covering the whole item: each ends after its 。."""
    bounds, start = [], 0
    while (stop := folded.find("。", start)) >= 0:
        bounds.append((start, stop + 1))
        start = stop + 1
    if start < len(folded):
        bounds.append((start, len(folded)))
    return bounds or [(0, 0)]


def _is_prose(sentence: str) -> bool:
    """Running prose ends with 。 or a verb; a list item ends with its value, unit or a noun."""
    s = sentence.rstrip()
    return s.endswith("。") or bool(s and _HIRAGANA.match(s[-1]))


def _strip_particles(text: str) -> str:
    changed = True
    while changed and text:
        changed = False
        text = text.strip(" ")
        # Each loop is entered only when one of its words is there (one call instead of a dozen).
        for p in _TRAILING_PARTICLES if text.endswith(_TRAILING_PARTICLES) else ():
            if text.endswith(p) and len(text) > len(p):
                text, changed = text[: -len(p)], True
        for p in _LEADING_PARTICLES if text.startswith(_LEADING_PARTICLES) else ():
            if text.startswith(p):
                text, changed = text[len(p) :], True
        for c in _CONJUNCTIONS if text.startswith(_CONJUNCTIONS) else ():
            if text.startswith(c):
                text, changed = text[len(c) :], True
        # Parentheses left open by the cut: 「（取組率」 → 「取組率」, 「研修会（」 → 「研修会」.
        if text.startswith((")", "）")) or (text.startswith(("(", "（")) and not _CLOSE_RE.search(text)):
            text, changed = text[1:], True
        if text.endswith(("(", "（")) or (text.endswith((")", "）")) and not _OPEN_RE.search(text)):
            text, changed = text[:-1], True
    return text


def _pre_qualifiers(scan: str, start: int, zone_start: int) -> tuple[list[str], int]:
    """Qualifier words written right before the number, and where the label then ends.

    ``scan`` is the folded item with dates hidden, so the 年 of a date is never read as "per year".
    """
    found: list[str] = []
    pos = start
    while pos > zone_start:
        head = scan[zone_start:pos].rstrip(" ")
        end = zone_start + len(head)
        m = _YEARS_RE.search(head)
        if m:
            word = m.group(0)
        else:
            word = (
                next((q for q in PRE_QUALIFIERS if head.endswith(q)), None) if head.endswith(PRE_QUALIFIERS) else None
            )
        if word is None:
            # 「（年4回）」, 「毎月1回」: a bare 年/月/週/日 right before the count is "per".
            if (
                head.endswith(("年", "月", "週", "日"))
                and end == start
                and (len(head) < 2 or not _KANJI.match(head[-2]))
            ):
                word = head[-1]
            else:
                break
        if len(word) == 1 and len(head) > 1 and _KANJI.match(head[-2]):
            break  # 「契約」 is not 約: a one-character qualifier must not end a longer word.
        found.insert(0, word)
        pos = end - len(word)
    return found, pos


def _label_and_qualifiers(
    text: str, folded: str, zone_start: int, zone_end: int, dates: list[_Date]
) -> tuple[str, list[str]]:
    """The label written before a value (between ``zone_start`` and ``zone_end``) and its qualifiers."""
    qualifiers: list[str] = []
    # Dates and their words (現在, までに) are no part of what is counted.
    cut = [(max(d.start, zone_start), min(d.end, zone_end)) for d in dates]
    # Qualifiers in parentheses anywhere in the label: 「導入施設等数（累計）」, 「自動応答率（月間）」.
    for m in _PAREN_QUALIFIER_RE.finditer(folded, zone_start, zone_end):
        qualifiers.append(m.group(1))
        cut.append(m.span())
    label = _SPACES_RE.sub(" ", _without(text, zone_start, zone_end, cut))
    label = _strip_particles(label)
    # A leading qualifier joined by の: 「当面の登録目標」.
    for q in PRE_QUALIFIERS if label.startswith(_PRE_QUALIFIERS_NO) else ():
        if label.startswith(q + "の"):
            qualifiers.insert(0, q)
            label = label[len(q) + 1 :]
            break
    if "延べ" in label:  # inside the noun phrase: kept in the label and listed
        qualifiers.insert(0, "延べ")
    # A per-unit scope 「動画 1 本当たり」 qualifies the value; it does not say what is counted.
    if _PER_UNIT_END_RE.search(label):
        qualifiers.insert(0, label.replace(" ", ""))
        label = ""
    return _strip_particles(label), qualifiers


@dataclass
class _Item:
    """One item prepared for reading: folded text, its dates, and which sentences may be read."""

    text: str  # verbatim
    folded: str  # fold_width(text): the same length, so offsets index both
    scan: str  # folded, with dates and names hidden from the value reader
    dates: list[_Date]
    sentences: list[tuple[int, int]]
    readable: list[bool]  # per sentence
    start: int = 0  # after a leading note in parentheses
    qualifiers: list[str] = field(default_factory=list)  # the leading note's, for every value


@dataclass
class _Sentence:
    """What the values read so far in the current sentence say about the values after them."""

    index: int = -1
    as_of: Period | None = None  # the 「…現在」 date the values after it are reported at
    baseline: bool = False


def _read_item(text: str, plan_fiscal_year: int | None) -> list[TargetItem]:
    folded = fold_width(text)
    dates = _dates(folded, plan_fiscal_year)
    if not dates and not _DIGIT_RE.search(folded):
        return [TargetItem(text, None, None, None)]  # no number, no date: nothing to read (most items)
    item = _prepare(text, folded, dates)
    values: list[_Value] = []
    sentence = _Sentence()
    for m in _VALUE_RE.finditer(item.scan):
        value = _read_value(item, m, values, sentence)
        if value is not None:
            values.append(value)
    _finish_labels(values, text, item.folded)
    _trailing_deadlines(values, item.dates, item.sentences)
    if not values:
        return [_unread(item)]
    return [
        TargetItem(
            text=text,
            label=v.label,
            value=v.value,
            unit=v.unit,
            qualifiers=tuple(dict.fromkeys(v.qualifiers)),
            period=v.period,
            role=v.role,
            as_of=v.as_of,
        )
        for v in values
    ]


def _prepare(text: str, folded: str, dates: list[_Date]) -> _Item:
    """Hide what is no value in the folded item, and decide which sentences to read."""
    scan = _masked(folded, [(d.start, d.end) for d in dates if not d.relative] + _hidden_spans(folded))
    sentences = _sentences(folded)
    item = _Item(text, folded, scan, dates, sentences, _readable(folded, scan, sentences, dates))
    # A short note in parentheses leading the item qualifies all of it: 「（現年）3市町村4地区…」.
    lead = _LEAD_NOTE_RE.match(folded)
    if lead and not any(d.start == lead.start(0) for d in dates):
        item.qualifiers.append(text[lead.start(1) : lead.end(1)])
        item.start = lead.end()
    return item


def _readable(folded: str, scan: str, sentences: list[tuple[int, int]], dates: list[_Date]) -> list[bool]:
    """Running prose is read only where it states a target or reports a dated figure. 「令和2年中の…」
    reports a figure (a baseline) in a sentence without a target, and names the period otherwise."""
    readable: list[bool] = []
    for s_start, s_end in sentences:
        sentence = folded[s_start:s_end]
        stated = any(w in sentence for w in _TARGET_MARKERS) or not _is_prose(sentence)
        for d in dates:
            if s_start <= d.start < s_end and d.how == "reported":
                d.how = "plain" if stated else "as-of"
        reported = any(s_start <= d.start < s_end and d.how == "as-of" for d in dates)
        # 「平成31年5月1日現在」 names no real day: what is reported when is unknown, so nothing is read.
        bad_as_of = _BAD_AS_OF_RE.search(scan, s_start, s_end)
        readable.append((stated or reported) and not bad_as_of)
    return readable


def _read_value(item: _Item, m: re.Match, values: list[_Value], sentence: _Sentence) -> _Value | None:
    """The value a number match states, or None when the number is no value (a name, a denominator…)."""
    if m.start() < item.start:
        return None
    number = parse_number(m["amount"])
    if number is None:
        return None
    si = next(i for i, (s, e) in enumerate(item.sentences) if s <= m.start() < e)
    if si != sentence.index:
        sentence.index, sentence.as_of, sentence.baseline = si, None, False
    if not item.readable[si]:
        return None
    unit, end = _unit(item.folded, m)
    after = item.folded[end:]
    if _DENOMINATOR_RE.match(after):
        return None  # 「1 本当たり」: a denominator, not a value
    if unit is None and _LATIN_RE.match(after):
        return None  # 5G, 4K: names

    # The label zone runs back to the previous value, the sentence start, or a clause end.
    s_start, s_end = item.sentences[si]
    prev = values[-1] if values and values[-1].sentence == si else None
    zone_start = max(s_start, item.start, prev.end if prev else 0)
    clause = [c.end() for c in _CLAUSE_END_RE.finditer(item.folded, zone_start, m.start())]
    if clause:
        zone_start = clause[-1]
    pre, label_end = _pre_qualifiers(item.scan, m.start(), zone_start)  # scan: 「令和3年10件」's 年 is a date
    zone_dates = [d for d in item.dates if s_start <= d.start < s_end and zone_start <= d.start < label_end]
    label, qualifiers = _label_and_qualifiers(item.text, item.folded, zone_start, label_end, zone_dates)

    # A number without a unit is read only as the value of a count or rate label.
    if unit is None and (not label.endswith(_COUNT_LABEL_END) or not _COUNT_END_RE.match(after)):
        return None
    post, period, attached_as_of, end = _post_notes(item, end)
    if item.folded[end : end + 1] == ")" and item.folded.count("(", s_start, m.start()) > item.folded.count(
        ")", s_start, m.start()
    ):
        end += 1  # 「研修会（年4回）を…」: the parenthesis the value was written in closes with it

    _note_zone(sentence, item.scan, item.folded, zone_start, m.start(), zone_dates)
    zone_periods = [d for d in zone_dates if d.how in ("plain", "deadline", "aim")]
    if period is None and len(zone_periods) == 1:
        period = zone_periods[0].period
        if zone_periods[0].marker:
            qualifiers.append(zone_periods[0].marker)

    as_of = attached_as_of or sentence.as_of
    role = "baseline" if attached_as_of or sentence.baseline else "target"
    if role == "baseline" and as_of is None and period is not None:
        as_of, period = period, None  # 「前年度の実績 100件」: the year the figure is for
    all_qualifiers = [*item.qualifiers, *qualifiers, *pre, *post]
    if role == "baseline" and any(q in CHANGE_QUALIFIERS for q in all_qualifiers):
        return None  # 「…と比較して約6,000件増加」: a change, not a level; left as text
    return _Value(m.start(), end, number, unit, label or None, bool(label), all_qualifiers, period, as_of, role, si)


def _unit(folded: str, m: re.Match) -> tuple[str | None, int]:
    """The unit written right after the number (unless it starts a longer word), and where it ends."""
    unit, end = m["unit"], m.end()
    if unit and folded[end : end + 1] and folded[end] in _UNIT_BLOCKERS.get(unit, ""):
        unit = None
    if unit is None:
        end = m.end("amount")
    return unit, end


def _post_notes(item: _Item, end: int) -> tuple[list[str], Period | None, Period | None, int]:
    """Qualifiers and notes after the value: 以上, 程度, 増加, （各年度）, （令和5年度）, （無償）.

    Returns the qualifiers, a period and an as-of date named in parentheses, and the new end."""
    folded, post = item.folded, []
    period: Period | None = None
    attached_as_of: Period | None = None
    while True:
        rest = folded[end:]
        if q := _POST_RE.match(rest):
            post.append(q.group(1))
            end += q.end()
            continue
        if q := _CHANGE_RE.match(rest):
            post.append(q.group(1))
            end += q.end()
            continue
        if q := _NOTE_RE.match(rest):
            inner_start = end + q.start(1)
            attached = next((d for d in item.dates if inner_start - 1 <= d.start < end + q.end()), None)
            if attached is not None and attached.how in ("as-of", "plain", "deadline"):
                if attached.how == "as-of":
                    attached_as_of = attached.period
                else:
                    period = attached.period
                    if attached.marker:
                        post.append(attached.marker)
                end += q.end()
                continue
            inner = q.group(1)
            if not _DIGIT_RE.search(inner) and len(inner) <= 8:
                post.append(item.text[inner_start : inner_start + len(inner)])
                end += q.end()
                continue
        break
    return post, period, attached_as_of, end


def _note_zone(sentence: _Sentence, scan: str, folded: str, start: int, end: int, dates: list[_Date]) -> None:
    """What the label zone's words say about this value and the sentence's next ones: as of a date
    (a baseline), a figure already reached (現在, 実績…), or, after 目標, targets again."""
    for d in dates:
        if d.how == "as-of":
            sentence.as_of, sentence.baseline = d.period, True
    if _REACHED_RE.search(scan, start, end):
        # 「現在の登録者数」, 「前年度の実績」: a figure already reached, not one aimed at.
        sentence.as_of, sentence.baseline = None, True
    if "目標" in folded[start:end]:
        sentence.as_of, sentence.baseline = None, False


def _finish_labels(values: list[_Value], text: str, folded: str) -> None:
    """Labels read after the value, inherited from the value before, or joined to a header."""
    for i, v in enumerate(values):
        if v.label is None:
            # 「5 万回以上の視聴回数を目指す」: what is counted follows the value.
            after = _LABEL_AFTER_RE.match(folded[v.end :])
            if after:
                v.label = text[v.end + after.start(1) : v.end + after.end(1)]
                v.own_label = True
        prev = values[i - 1] if i else None
        if prev is not None and prev.sentence == v.sentence:
            if v.label is None:
                v.label = prev.label  # 「17課題21箇所」, 「年間42人（3年間累計126人）」
            elif v.label in _ROLE_LABELS and prev.label:
                v.label = prev.label  # 「…件数7,019 目標数 年間15,000」: the target of the same count
    # A shared header: 「ネットワークの登録率（R3.1.27現在） 市町村・保健所 100% 医療機関 27.6%」.
    first = values[0] if values else None
    if first is None or first.label is None or " " not in first.label:
        return
    head, _, _ = first.label.rpartition(" ")
    if not head.endswith(_COUNT_LABEL_END):
        return
    for v in values[1:]:
        own_group = v.own_label and v.label and " " not in v.label and not v.label.endswith(_COUNT_LABEL_END)
        if v.sentence == first.sentence and own_group:
            v.label = f"{head} {v.label}"


def _trailing_deadlines(values: list[_Value], dates: list[_Date], sentences: list[tuple[int, int]]) -> None:
    """「100件を令和5年度までに達成」: a deadline after the last value of a sentence is its period."""
    for i, v in enumerate(values):
        if v.period is not None or v.role != "target":
            continue
        if i + 1 < len(values) and values[i + 1].sentence == v.sentence:
            continue
        s_end = sentences[v.sentence][1]
        later = [d for d in dates if v.end <= d.start < s_end and d.how in ("deadline", "aim")]
        if len(later) == 1:
            v.period = later[0].period
            if later[0].marker:
                v.qualifiers.append(later[0].marker)


def _unread(item: _Item) -> TargetItem:
    """An item without a readable value: a milestone when a date dates it. That is its one deadline
    or aim (「令和3年12月までに…」, 「令和6年度を目安に…」), or else its only date, plain, in a sentence
    that states a target or is a list item (「令和3年度実施予定事業」). A date of prose that states
    no target (「…運用期間：H31.1～R3.12）を安定的に運用する」) dates no milestone."""
    text, dates = item.text, item.dates
    deadlines = [d for d in dates if d.how in ("deadline", "aim")]
    if len(deadlines) == 1:
        d = deadlines[0]
        return TargetItem(text, None, None, None, (d.marker,) if d.marker else (), d.period)
    if len(dates) == 1 and dates[0].how == "plain":
        si = next(i for i, (s, e) in enumerate(item.sentences) if s <= dates[0].start < e)
        if item.readable[si]:
            return TargetItem(text, None, None, None, (), dates[0].period)
    return TargetItem(text, None, None, None)


def parse_items(items: Sequence[str], *, plan_fiscal_year: int | None = None) -> list[TargetItem]:
    """Target data from each item of an indicator cell (``Cell.items``), in order.

    Each item gives one TargetItem per value it states, or one with ``value`` None when nothing can
    be read for certain. ``plan_fiscal_year`` only resolves words such as 今年度 or 翌年度; it is
    never used as the period of an item that names none.
    """
    if isinstance(items, str):
        raise TypeError("parse_items takes a sequence of item strings, not one string")
    result: list[TargetItem] = []
    for item in items:
        result.extend(_read_item(item, plan_fiscal_year))
    return result
