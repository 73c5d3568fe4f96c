"""Targets read from indicator items. Every expected value below was read by hand from the plan's text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plan2rdf.derive.targets import TargetItem, parse_items, parse_number
from plan2rdf.derive.wareki import Period
from plan2rdf.read.reader import read_plan
from plan2rdf.resources import bundled_plan

# ---------------------------------------------------------------------------------------------
# Periods written out by hand (not computed by the module under test)

FY2021 = Period(date(2021, 4, 1), date(2022, 3, 31), "fiscal-year")
FY2022 = Period(date(2022, 4, 1), date(2023, 3, 31), "fiscal-year")
FY2023 = Period(date(2023, 4, 1), date(2024, 3, 31), "fiscal-year")
FY2024 = Period(date(2024, 4, 1), date(2025, 3, 31), "fiscal-year")
FY2021_H1 = Period(date(2021, 4, 1), date(2021, 9, 30), "fiscal-half")
DEC_2021 = Period(date(2021, 12, 1), date(2021, 12, 31), "month")
JUN_2021 = Period(date(2021, 6, 1), date(2021, 6, 30), "month")
CY2020 = Period(date(2020, 1, 1), date(2020, 12, 31), "calendar-year")
CY2021 = Period(date(2021, 1, 1), date(2021, 12, 31), "calendar-year")
R3_2_28 = Period(date(2021, 2, 28), date(2021, 2, 28), "day")
R3_1_27 = Period(date(2021, 1, 27), date(2021, 1, 27), "day")


@pytest.fixture(scope="module")
def plan():
    return read_plan(bundled_plan())


def item(plan, identifier: str, contains: str) -> str:
    """The one item of entry ``identifier``'s indicator that contains ``contains``."""
    found = [i for i in plan.measure(identifier).indicator.items if contains in i]
    assert len(found) == 1, (identifier, contains, plan.measure(identifier).indicator.items)
    return found[0]


def row(t: TargetItem) -> tuple:
    return (t.label, t.value, t.unit, t.qualifiers, t.period, t.role, t.as_of)


def D(text: str) -> Decimal:
    return Decimal(text)


# (entry, a unique part of the item, expected rows: label, value, unit, qualifiers, period, role, as_of)
PLAN_CASES = [
    # --- direction 1
    ("1-2", "いいね", [("フェイスブックページへの「いいね！」数", D("67000"), "件", (), None, "target", None)]),
    ("1-2", "Instagram", [("Instagram フォロワー", D("16000"), "件", (), None, "target", None)]),
    (
        "1-3",
        "5 万回",
        [
            # 「動画 1 本当たり 5 万回以上の視聴回数」: 1 本 is the denominator, 5 万 is 50000.
            ("視聴回数", D("50000"), "回", ("動画1本当たり", "以上"), None, "target", None),
            ("公式チャンネル登録者数、海外からの視聴回数", D("5"), "%", ("増加",), None, "target", None),
        ],
    ),
    (
        "1-6",
        "（現年）",
        [
            (None, D("3"), "市町村", ("現年",), None, "target", None),
            (None, D("4"), "地区", ("現年",), None, "target", None),
        ],
    ),
    ("1-7", "入館者数", [("入館者数", D("50000"), "人", (), FY2021, "target", None)]),
    ("1-11", "農業再生", [("先端技術活用による農業再生実証事業", D("2"), "課題", (), None, "target", None)]),
    ("1-12", "種苗放流", [("効果的な種苗放流による資源安定化技術の実証", D("1"), "課題", (), None, "target", None)]),
    # --- direction 2
    ("2-4", "総計", [(None, D("3000"), "名", ("総計",), None, "target", None)]),
    ("2-15", "導入施設等数", [("導入施設等数", D("191"), "施設", ("累計",), None, "target", None)]),
    (
        "2-19",
        "7,019",
        [
            # No unit: 件数 in the label is not turned into 件 (see the module docstring).
            ("アプリダウンロード者件数", D("7019"), None, (), None, "baseline", R3_2_28),
            ("アプリダウンロード者件数", D("15000"), None, ("年間",), None, "target", None),
        ],
    ),
    ("2-20", "1,200,000件", [("総合医療情報システムへのアクセス件数", D("1200000"), "件", (), FY2023, "target", None)]),
    (
        "2-21",
        "R3.1.27",
        [
            ("ネットワークの登録率 市町村・保健所", D("100"), "%", (), None, "baseline", R3_1_27),
            ("ネットワークの登録率 医療機関", D("27.6"), "%", (), None, "baseline", R3_1_27),
            ("ネットワークの登録率 保険薬局", D("45.7"), "%", (), None, "baseline", R3_1_27),
        ],
    ),
    ("2-25", "専門家派遣件数", [("システム改修・専門家派遣件数", D("5"), "件", (), FY2021, "target", None)]),
    ("2-30", "当面", [("登録目標", D("50000"), "件", ("当面",), None, "target", None)]),
    (
        "2-31",
        "令和2年中",
        # 約17,000回 is the 2020 figure; 約6,000件増加 compared with 2019 is a change, left as text.
        [("「交通事故情報公開システム」へのアクセス数", D("17000"), "回", ("約",), None, "baseline", CY2020)],
    ),
    # --- direction 3
    (
        "3-1",
        "延べ利用者数",
        [("「テレワーク×ぐらし」体験支援補助金の延べ利用者数", D("150"), "名", ("延べ",), None, "target", None)],
    ),
    ("3-2", "連携団体数", [("活動に当たっての連携団体数", D("3"), "団体", (), None, "target", None)]),
    ("3-6", "自立支援用", [("自立支援用ロボット台数", D("4"), "台", ("無償",), None, "target", None)]),
    ("3-6", "医療施設用", [("医療施設用ロボット等使用者数", D("600"), "人", (), None, "target", None)]),
    (
        "3-10",
        "誘致事業所数",
        [("県内各市町村に新たに立地する本事業誘致事業所数", D("8"), "社", (), None, "target", None)],
    ),
    # 東京23区 is a name: only 1社 is read.
    ("3-11", "東京23区", [("本社機能の移転", D("1"), "社", (), None, "target", None)]),
    ("3-13", "技術移転数", [("AI・IoT技術移転数", D("5"), "件", ("各年度",), None, "target", None)]),
    ("3-15", "300万件", [("HPのページビュー数", D("3000000"), "件", ("年間",), None, "target", None)]),
    (
        "3-17",
        "ワーケーション",
        [("宿泊施設のワーケーション宿泊プランの造成を支援", D("50"), "施設", (), None, "target", None)],
    ),
    ("3-18", "訪問者数", [("WEBサイトへの訪問者数（PV数）", D("550000"), "PV", (), None, "target", None)]),
    ("3-19", "対前年比", [("支援先事業者ECサイトの売上増加率", D("120"), "%", ("対前年比",), None, "target", None)]),
    (
        "3-20",
        "17課題",
        [
            ("先端技術の実証ほの設置", D("17"), "課題", (), None, "target", None),
            ("先端技術の実証ほの設置", D("21"), "箇所", (), None, "target", None),
        ],
    ),
    ("3-20", "園芸産地", [("園芸産地のモデル確立", D("2"), "地区", (), None, "target", None)]),
    ("3-23", "ポータルサイト", [("ポータルサイト", D("120000"), "PV", (), None, "target", None)]),
    ("3-24", "加盟店", [("加盟店の増加数", D("50"), "店舗", (), None, "target", None)]),
    # --- direction 4
    (
        "4-1",
        "就労者数",
        [
            ("県内ICT関連企業・業務等就労者数", D("42"), "人", ("年間",), None, "target", None),
            ("県内ICT関連企業・業務等就労者数", D("126"), "人", ("3年間", "累計"), None, "target", None),
        ],
    ),
    # 1人1台 names the one-device-per-pupil policy; only 100% is a value.
    (
        "4-10",
        "1人1台",
        [("特別支援学校中学部及び特別支援学校小学部の1人1台端末", D("100"), "%", (), None, "target", None)],
    ),
    # --- direction 5
    (
        "5-14",
        "市町村取組数",
        [
            ("市町村取組数", D("59"), "市町村", (), None, "target", None),
            ("取組率", D("100"), "%", (), None, "target", None),
        ],
    ),
    # 140台 is the target; the breakdown 「市町村59×2台＝118台、各部局×1台＝22台」 is arithmetic, not targets.
    ("5-16", "140台", [("タブレット配布台数", D("140"), "台", (), None, "target", None)]),
    ("5-16", "参加市町村数", [("参加市町村数", D("59"), "市町村", (), None, "target", None)]),
    ("5-17", "導入数", [("導入数", D("2"), "業務", (), None, "target", None)]),
    ("5-17", "月間", [("自動応答率", D("30"), "%", ("月間",), None, "target", None)]),
    ("5-18", "16件程度", [("解決策の提案", D("16"), "件", ("程度",), None, "target", None)]),
    ("5-19", "補助件数", [("補助件数", D("10"), "件", (), None, "target", None)]),
    (
        "5-23",
        "ふくしま森まっぷ",
        [("県民向け森林情報地図サイト「ふくしま森まっぷ」のアクセス件数", D("500000"), "件", (), None, "target", None)],
    ),
    ("5-24", "令和3年12月までに", [(None, None, None, ("までに",), DEC_2021, "target", None)]),
    ("5-26", "CADソフト", [("CADソフト導入", D("120"), "本", (), None, "target", None)]),
    ("5-29", "令和6年度を目安に", [(None, None, None, ("目安",), FY2024, "target", None)]),
    # Milestones: no number, but a date that dates the item. 「…の運用開始に向け」 aims the work at June 2021;
    # 「令和3年度実施予定事業」 (a list item, its only date) is planned for FY2021.
    ("5-8", "運用開始に向け", [(None, None, None, ("に向け",), JUN_2021, "target", None)]),
    ("4-2", "令和3年度実施予定事業", [(None, None, None, (), FY2021, "target", None)]),
    ("5-15", "令和3年度実施予定事業", [(None, None, None, (), FY2021, "target", None)]),
    ("5-30", "電子入札の実施件数", [("受注者の環境整備 電子入札の実施件数", D("200"), "件", (), None, "target", None)]),
    (
        "5-39",
        "令和3年度前半",
        [
            (None, D("6"), "手続", ("までに",), FY2021_H1, "target", None),
            ("通行禁止道路の通行許可申請等", D("11"), "手続", ("追加",), None, "target", None),
        ],
    ),
]


@pytest.mark.parametrize(("identifier", "contains", "expected"), PLAN_CASES, ids=[f"{c[0]}:{c[1]}" for c in PLAN_CASES])
def test_plan_items(plan, identifier: str, contains: str, expected: list[tuple]) -> None:
    text = item(plan, identifier, contains)
    result = parse_items([text], plan_fiscal_year=2021)
    assert [row(t) for t in result] == expected
    assert all(t.text == text for t in result), "every TargetItem keeps the whole item text"


def test_plan_cases_cover_all_directions_and_25_items() -> None:
    read = [r for case in PLAN_CASES for r in case[2] if r[1] is not None]
    assert len(read) >= 25
    assert {case[0].split("-")[0] for case in PLAN_CASES} == {"1", "2", "3", "4", "5"}


# Items that cannot be read: no number, or numbers that are part of names or of prose that states no target.
UNREAD_CASES = [
    ("1-1", "CMS研修"),
    ("1-8", "毎週"),  # 毎週 without a number: nothing to compare
    ("2-1", "年4回"),  # 「訓練（年4回）」: how the system is tested, not the indicator's target
    ("2-2", "毎月1回"),
    ("2-3", "年2回"),
    ("2-5", "自助"),
    ("3-5", "全10回"),
    ("3-25", "双葉町ほか3町"),  # 町 is no unit
    ("4-2", "ふくしまICT未来フェア2021"),
    ("4-2", "情報通信月間"),  # 月間 in a name is no qualifier
    ("5-10", "第9期"),  # 11市町村 describes who runs the system; R3.4 and H31.1～R3.12 are not targets' periods
    ("5-10", "2市町"),
    ("5-34", "第16条第1項"),
]


@pytest.mark.parametrize(("identifier", "contains"), UNREAD_CASES, ids=[f"{c[0]}:{c[1]}" for c in UNREAD_CASES])
def test_plan_items_left_as_text(plan, identifier: str, contains: str) -> None:
    text = item(plan, identifier, contains)
    assert parse_items([text], plan_fiscal_year=2021) == [TargetItem(text, None, None, None)]


def test_source_note_is_not_a_value(plan) -> None:
    """2-20: 「（第7次福島県医療計画より）」 gives no second value."""
    text = item(plan, "2-20", "第7次")
    assert [t.value for t in parse_items([text])] == [D("1200000")]


def test_whole_indicator_cell(plan) -> None:
    """All items of 1-2 at once: one TargetItem per value, in order."""
    result = parse_items(plan.measure("1-2").indicator.items)
    assert [(t.value, t.unit) for t in result] == [(D("67000"), "件"), (D("16000"), "件")]


def test_plan_fiscal_year_is_not_filled_in(plan) -> None:
    """An item naming no period has none, whatever the plan's fiscal year."""
    text = item(plan, "1-2", "いいね")
    assert parse_items([text], plan_fiscal_year=2021)[0].period is None


# ---------------------------------------------------------------------------------------------
# Rules, on short items in the plan's style


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SNS投稿 毎週1回", [("SNS投稿", D("1"), "回", ("毎週",), None, "target", None)]),
        ("当面の登録目標 5万件", [("登録目標", D("50000"), "件", ("当面",), None, "target", None)]),
        ("視聴回数 5 万回以上", [("視聴回数", D("50000"), "回", ("以上",), None, "target", None)]),
        ("事業費 1.5億円", [("事業費", D("150000000"), "円", (), None, "target", None)]),
        ("契約 5件", [("契約", D("5"), "件", (), None, "target", None)]),  # 契約's 約 is no qualifier
        ("100件を令和5年度までに達成する。", [(None, D("100"), "件", ("までに",), FY2023, "target", None)]),
        ("令和3年中に100件を目指す", [(None, D("100"), "件", (), CY2021, "target", None)]),
        (
            "アプリ登録者数 7,019件（R3.2.28現在）",
            [("アプリ登録者数", D("7019"), "件", (), None, "baseline", R3_2_28)],
        ),
        (
            "令和2年中の件数は1,000件。令和3年度は1,500件を目指す。",
            [
                ("件数", D("1000"), "件", (), None, "baseline", CY2020),
                (None, D("1500"), "件", (), FY2021, "target", None),
            ],
        ),
        (
            "現在の登録者数 100人 目標 200人",
            [
                ("現在の登録者数", D("100"), "人", (), None, "baseline", None),
                ("現在の登録者数", D("200"), "人", (), None, "target", None),
            ],
        ),
        ("登録者数 ５，０００人", [("登録者数", D("5000"), "人", (), None, "target", None)]),
        ("利用率（年間） 80.5％", [("利用率", D("80.5"), "%", ("年間",), None, "target", None)]),
        # Not values: names, denominators, sums, an impossible as-of date.
        ("5Gの基地局 10局", [(None, None, None, (), None, "target", None)]),
        ("回線数 10回線", [(None, None, None, (), None, "target", None)]),
        ("参加者数 1,2人", [(None, None, None, (), None, "target", None)]),
        ("平成31年5月1日現在 登録者数 100人", [(None, None, None, (), None, "target", None)]),
        ("Society5.0の実現", [(None, None, None, (), None, "target", None)]),
        ("「ふくしま2021」参加", [(None, None, None, (), None, "target", None)]),
        ("東京23区からの企業の移転", [(None, None, None, (), None, "target", None)]),
        ("第7次福島県医療計画", [(None, None, None, (), None, "target", None)]),
        (
            "15業務に試行導入したRPAの活用を継続するほか、新たに5業務を選定し、対象業務の拡大と本格導入を図る。",
            [(None, None, None, (), None, "target", None)],
        ),
    ],
)
def test_rules(text: str, expected: list[tuple]) -> None:
    assert [row(t) for t in parse_items([text])] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Milestones: no number, a date that dates the item.
        ("令和4年度に向けて検討する。", [(None, None, None, ("に向けて",), FY2022, "target", None)]),
        ("令和5年度の本格運用に向け、準備を進める。", [(None, None, None, ("に向け",), FY2023, "target", None)]),
        ("令和3年度導入予定", [(None, None, None, (), FY2021, "target", None)]),
        # A number inside 「…に向け」 stays a value, with the date as its period.
        ("令和5年度の100件達成に向け", [(None, D("100"), "件", (), FY2023, "target", None)]),
        # Not milestones: prose stating no target, a start, an as-of date, two dates.
        ("令和2年度に開始した事業を継続する。", [(None, None, None, (), None, "target", None)]),
        ("令和3年度から運用する", [(None, None, None, (), None, "target", None)]),
        ("令和3年4月1日現在 運用中", [(None, None, None, (), None, "target", None)]),
        ("令和3年度及び令和4年度実施予定", [(None, None, None, (), None, "target", None)]),
    ],
)
def test_milestones(text: str, expected: list[tuple]) -> None:
    assert [row(t) for t in parse_items([text])] == expected


def test_relative_fiscal_years_need_the_plan_year() -> None:
    text = "翌年度 参加者数 30人"
    assert parse_items([text])[0].period is None
    assert parse_items([text], plan_fiscal_year=2021)[0].period == FY2022
    assert parse_items(["今年度の参加者数 30人"], plan_fiscal_year=2021)[0].period == FY2021
    # 対前年度比 is a comparison, not a period; 前年度の実績 is a baseline for FY2020.
    assert row(parse_items(["売上 対前年度比120%"], plan_fiscal_year=2021)[0]) == (
        "売上",
        D("120"),
        "%",
        ("対前年度比",),
        None,
        "target",
        None,
    )
    fy2020 = Period(date(2020, 4, 1), date(2021, 3, 31), "fiscal-year")
    assert row(parse_items(["前年度の実績 100件"], plan_fiscal_year=2021)[0]) == (
        "実績",
        D("100"),
        "件",
        (),
        None,
        "baseline",
        fy2020,
    )


def test_items_must_be_a_sequence_of_strings() -> None:
    with pytest.raises(TypeError):
        parse_items("導入数 2業務")


def test_empty() -> None:
    assert parse_items([]) == []


# ---------------------------------------------------------------------------------------------
# parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("67,000", D("67000")),
        ("1,200,000", D("1200000")),
        ("１，２００，０００", D("1200000")),
        ("７，０１９", D("7019")),
        ("27.6", D("27.6")),
        ("45.7", D("45.7")),
        ("5万", D("50000")),
        ("５万", D("50000")),
        ("5 万", D("50000")),
        ("300万", D("3000000")),
        ("1.5億", D("150000000")),
        ("1億5000万", D("150000000")),
        ("5万3000", D("53000")),
        (" 120 ", D("120")),
        ("0", D("0")),
    ],
)
def test_parse_number(text: str, expected: Decimal) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text", ["", "万", "abc", "1,2", "12,34", "1,0000", "5万件", "1億20000万", "5万20000", "1.2.3"]
)
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


def test_parse_number_is_exact_and_bounded() -> None:
    assert parse_number("9999億9999万9999") == D("999999999999")
    assert parse_number("12345678901234567890123456789") == D("12345678901234567890123456789")  # beyond 28 digits
    assert parse_number("1" * 31) is None  # a code, not a count


def _full_width(text: str) -> str:
    return text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})


@given(st.integers(min_value=0, max_value=10**15))
def test_parse_number_separators_round_trip(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n
    assert parse_number(_full_width(f"{n:,}")) == n


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=99))
def test_parse_number_decimals_round_trip(n: int, cents: int) -> None:
    assert parse_number(f"{n:,}.{cents:02d}") == Decimal(n) + Decimal(cents) / 100


@given(st.integers(min_value=1, max_value=10**6), st.sampled_from(["", " "]))
def test_parse_number_man_round_trip(n: int, space: str) -> None:
    assert parse_number(f"{n:,}{space}万") == n * 10_000
    assert parse_number(f"{n}{space}億") == n * 100_000_000


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=0, max_value=9999))
def test_parse_number_oku_man_round_trip(oku: int, man: int) -> None:
    assert parse_number(f"{oku}億{man}万") == oku * 100_000_000 + man * 10_000


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=9))
def test_parse_number_fraction_of_man(n: int, tenth: int) -> None:
    assert parse_number(f"{n}.{tenth}万") == n * 10_000 + tenth * 1_000


_PLAN_ALPHABET = (
    "令和平成元年度月日中前半後現在時点までに目標数件人%％（）()～~から第約年間累計0123456789,.万億 RHS、。「」の×＝"
)


@given(st.lists(st.text(alphabet=_PLAN_ALPHABET, max_size=40), max_size=4))
def test_any_text_gives_items_never_errors(items: list[str]) -> None:
    result = parse_items(items, plan_fiscal_year=2021)
    assert len(result) >= len(items)
    assert [t.text for t in result if t.text in items] == [t.text for t in result]
    assert all(t.role in ("target", "baseline") for t in result)
    assert all(t.as_of is None or t.role == "baseline" for t in result)
