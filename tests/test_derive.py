"""The derive stage in the graph: programmes, abbreviations, themes, target values; all marked.

Expected values are worked out by hand from the plan's text.
"""

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import RDF, SKOS

from plan2rdf.derive.programmes import abbreviation, programme_name
from plan2rdf.derive.themes import load as load_themes
from plan2rdf.pipeline import graph_of
from plan2rdf.read.reader import read_plan
from plan2rdf.resources import bundled_plan
from plan2rdf.resources import path as resource_path
from plan2rdf.vocab import P2R, SCHEMA

MINI = Path(__file__).parent / "fixtures" / "mini"
BASE = "https://w3id.org/plan2rdf/id/"
PLAN = BASE + "fukushima-ict/2021/"


def m(identifier: str) -> URIRef:
    return URIRef(f"{PLAN}measure/{identifier}")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return graph_of(read_plan(bundled_plan())).graph


def test_mini_plan_derived_facts_are_the_hand_written_ones() -> None:
    plan = read_plan(MINI / "plan.txt")
    full = graph_of(plan, organizations=MINI / "organizations.csv").graph
    plain = graph_of(plan, organizations=MINI / "organizations.csv", derived=False).graph
    scheme = set(load_themes(resource_path("data", "themes.ttl"), base=BASE).triples)
    delta = Graph()
    for triple in full:
        if triple not in plain and triple not in scheme:
            delta.add(triple)
    expected = Graph().parse(MINI / "expected-derived.ttl", format="turtle")
    _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(delta))
    assert isomorphic(delta, expected), f"missing {sorted(missing)}\nextra {sorted(extra)}"
    # deriving only adds: the plan's own triples are all still there
    assert all(triple in full for triple in plain)


def test_programmes(graph) -> None:
    groups = {}
    for programme in graph.subjects(RDF.type, P2R.Programme):
        title = str(graph.value(programme, URIRef("http://purl.org/dc/terms/title")))
        members = sorted(str(s).rsplit("/", 1)[1] for s in graph.subjects(P2R.programme, programme))
        groups[title] = members
        assert graph.value(programme, P2R.derivedBy) == P2R.ProgrammeRule
    assert groups == {
        "チャレンジふくしま戦略的情報発信事業": ["1-2", "1-3", "1-4"],
        "ふくしまプライド農林水産物販売力強化事業": ["3-23", "3-24"],
        "総合行政ネットワーク事業": ["5-11", "5-12", "5-13"],
        "ふくしま Society5.0推進事業": ["5-16", "5-17", "5-18", "5-19"],
    }


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("福島県全国瞬時警報システム（J-ALERT）", None),  # an abbreviation, not a programme
        ("東日本大震災・原子力災害伝承館管理運営事業（伝承館管理運営事業）", None),
        ("森林環境適正管理事業（森林情報（クラウド）活用推進事業）", "森林環境適正管理事業"),
        ("インターネット広報広聴事業", None),
    ],
)
def test_programme_name(title, expected) -> None:
    assert programme_name(title) == expected


def test_abbreviations_are_alternative_names(graph) -> None:
    alt = {str(s).rsplit("/", 1)[1]: str(o) for s, o in graph.subject_objects(SKOS.altLabel)}
    assert alt == {
        "1-7": "伝承館管理運営事業",
        "2-1": "J-ALERT",
        "2-2": "Em-Net",
        "2-3": "安否情報システム",
    }
    assert abbreviation("ふくしま Society5.0推進事業（AI活用ヘルプデスク高度化事業）") is None


@pytest.mark.parametrize(
    ("identifier", "themes"),
    [
        ("3-13", {"ai", "iot"}),  # ものづくり企業のAI・IoT活用促進事業
        ("2-26", {"drone"}),  # ドローンによる迅速な災害対応…
        ("5-14", {"open-data"}),  # オープンデータ推進事業
        ("5-22", {"security", "cloud"}),  # セキュリティクラウド, 不正な通信 (「インターネット」 is no ネットワーク)
        ("2-4", {"vr-ar"}),  # 災害をVRで再現
        ("5-12", {"my-number", "networks"}),  # マイナンバー; 総合行政ネットワーク事業
    ],
)
def test_themes_of_some_measures(graph, identifier, themes) -> None:
    found = {str(t).rsplit("/", 1)[1] for t in graph.objects(m(identifier), P2R.theme)}
    assert found == themes


def test_each_theme_assignment_names_its_rule_field_and_text(graph) -> None:
    assignment = URIRef(f"{PLAN}measure/3-13/theme/ai")
    assert (m("3-13"), P2R.themeAssignment, assignment) in graph
    assert graph.value(assignment, P2R.assignedTheme) == URIRef(BASE + "theme/ai")
    assert graph.value(assignment, P2R.derivedBy) == URIRef(BASE + "theme/ai/rule/keyword")
    # title ものづくり企業のAI・IoT活用促進事業, summary AI・IoT導入, indicator AI・IoT技術移転数
    assert {str(f) for f in graph.objects(assignment, P2R.matchedField)} == {"title", "summary", "indicator"}
    assert str(graph.value(assignment, P2R.matchedText)) == "AI"
    rule = URIRef(BASE + "theme/ai/rule/keyword")
    assert (rule, RDF.type, P2R.DerivationRule) in graph  # the rule itself is described


def test_no_theme_from_a_typo(graph) -> None:
    # 4-14 writes 「A1ドリル」 (sic): the plan's words are kept, and no AI theme is read into them
    assert URIRef(BASE + "theme/ai") not in set(graph.objects(m("4-14"), P2R.theme))


def value(graph, node) -> Decimal | None:
    v = graph.value(node, SCHEMA.value)
    return None if v is None else Decimal(str(v))


def test_target_values_in_the_graph(graph) -> None:
    target = URIRef(f"{PLAN}measure/1-2/target/1")
    assert value(graph, target) == Decimal(67000)
    assert graph.value(target, SCHEMA.unitText) == Literal("件")
    assert str(graph.value(target, RDF.type)) == str(P2R.Target)
    # 1,200,000件（令和5年度） is for FY2023
    target = URIRef(f"{PLAN}measure/2-20/target/1")
    assert value(graph, target) == Decimal(1200000)
    assert graph.value(target, P2R.targetPeriod) == URIRef(BASE + "fy/2023")
    assert (URIRef(BASE + "fy/2023"), RDF.type, URIRef("http://www.w3.org/2006/time#ProperInterval")) in graph
    # 5万件 in 2-30's third item
    target = URIRef(f"{PLAN}measure/2-30/target/3")
    assert value(graph, target) == Decimal(50000)


def test_an_item_with_several_values_gets_one_target_each(graph) -> None:
    # 4-1: 「県内ICT関連企業・業務等就労者数 年間42人（3年間累計126人）」
    first, second = (URIRef(f"{PLAN}measure/4-1/target/1-{k}") for k in (1, 2))
    assert value(graph, first) == Decimal(42)
    assert value(graph, second) == Decimal(126)
    for node in (first, second):
        assert graph.value(node, P2R.itemNumber).toPython() == 1
        assert str(graph.value(node, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))).startswith(
            "県内ICT関連企業"
        )
    assert URIRef(f"{PLAN}measure/4-1/target/1") not in set(graph.subjects())


def test_baselines_are_told_apart_from_targets(graph) -> None:
    # 2-19: 「令和3年2月28日現在 アプリダウンロード者件数7,019 目標数 年間15,000」
    target = URIRef(f"{PLAN}measure/2-19/target/2")
    assert value(graph, target) == Decimal(15000)
    baseline = graph.value(target, P2R.baseline)
    assert (baseline, RDF.type, P2R.Baseline) in graph
    assert value(graph, baseline) == Decimal(7019)
    assert graph.value(baseline, P2R.asOf) == URIRef(BASE + "date/2021-02-28")
    assert graph.value(baseline, P2R.derivedBy) == P2R.TargetReadingRule


MILESTONES = [
    # (entry, item, the period it is dated by, the qualifier the plan writes with it), worked out by hand
    ("5-29", 1, BASE + "fy/2024", "目安"),  # 「令和6年度を目安に新しい公金収納方法による収納を可能にする。」
    ("5-24", 2, BASE + "period/2021-12-01--2021-12-31", "までに"),  # 「令和3年12月までにサーバ更新を行う。」
    ("5-8", 1, BASE + "period/2021-06-01--2021-06-30", "に向け"),  # 「令和3年6月の運用開始に向け、…」
    ("4-2", 1, BASE + "fy/2021", None),  # 「令和3年度実施予定事業」
    ("5-15", 1, BASE + "fy/2021", None),  # the same item in 4-2's （再掲）
]


@pytest.mark.parametrize(("identifier", "n", "period", "qualifier"), MILESTONES, ids=[c[0] for c in MILESTONES])
def test_milestones_get_their_period(graph, identifier, n, period, qualifier) -> None:
    """A target item that names a period but no number is a milestone: a period and no value."""
    target = URIRef(f"{PLAN}measure/{identifier}/target/{n}")
    assert graph.value(target, P2R.targetPeriod) == URIRef(period)
    assert graph.value(target, SCHEMA.value) is None
    qualifiers = {str(q) for q in graph.objects(target, P2R.qualifier)}
    assert qualifiers == ({qualifier} if qualifier else set())
    assert (URIRef(period), RDF.type, URIRef("http://www.w3.org/2006/time#ProperInterval")) in graph


def test_only_those_items_are_milestones(graph) -> None:
    """Every target with a period but no value is one of MILESTONES: 5-10's dates (R3.4から, the system's
    運用期間 H31.1～R3.12) date no milestone."""
    found = {
        str(t).removeprefix(PLAN + "measure/")
        for t in graph.subjects(P2R.targetPeriod, None)
        if graph.value(t, SCHEMA.value) is None
    }
    assert found == {f"{i}/target/{n}" for i, n, _, _ in MILESTONES}


def test_unreadable_items_stay_text(graph) -> None:
    # 5-10 describes a system (11市町村, H31.1～R3.12): no value is read
    for target in graph.objects(URIRef(f"{PLAN}measure/5-10/indicator"), P2R.hasTarget):
        assert graph.value(target, SCHEMA.value) is None


def test_every_derived_property_is_declared_derived() -> None:
    ontology = Graph().parse(resource_path("ontology", "plan2rdf.ttl"), format="turtle")
    declared = set(ontology.subjects(RDF.type, P2R.DerivedProperty))
    for prop in (P2R.qualifier, P2R.valueLabel, P2R.targetPeriod, P2R.baseline, P2R.programme, P2R.theme):
        assert prop in declared, prop


RULE_TTL = """@base <https://w3id.org/plan2rdf/id/> .
@prefix p2r: <https://w3id.org/plan2rdf/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<theme/t> a skos:Concept ; skos:prefLabel "t"@en .
<theme/t/rule/r> a p2r:DerivationRule ; p2r:assigns <theme/t> ; p2r:pattern {pattern} ; p2r:field {fields} .
"""


@pytest.mark.parametrize(
    ("pattern", "fields", "expected"),
    [
        # a flag: the rule's letters match other letters too (タイトル 防災アプリ事業（BOSAI）)
        ("(?i)bosai", ["title"], {("1-1", "title", "BOSAI")}),
        # a class first: 蔵書を検索…。また、予約を… and 申請をオンライン化する。
        ("[申予]", ["summary"], {("1-2", "summary", "予"), ("2-1", "summary", "申"), ("2-2", "summary", "予")}),
        # an optional first character
        ("x?アプリ", ["title", "summary"], {("1-1", "title", "アプリ"), ("1-1", "summary", "アプリ")}),
        # a lookbehind: 「引き続き発信する。」 has き before 発信
        ("(?<![ぁ-ん])発信|オンライン", ["summary", "indicator"], {("2-1", "summary", "オンライン")}),
        # a group, then an optional character: the first match is the longest at its start
        (
            "(?:図書|蔵書)館?",
            ["title", "summary"],
            {
                ("1-2", "title", "図書館"),
                ("1-2", "summary", "蔵書"),
                ("2-2", "title", "図書館"),
                ("2-2", "summary", "蔵書"),
            },
        ),
        # an escape first: in 「5,000件」 the first match is 000件
        (r"\\d+件", ["indicator"], {("1-1", "indicator", "000件"), ("2-1", "indicator", "20件")}),
    ],
)
def test_theme_rules_match_where_their_pattern_does(tmp_path, pattern, fields, expected) -> None:
    from plan2rdf.derive.facts import derive

    ttl = tmp_path / "themes.ttl"
    quoted = ", ".join(f'"{f}"' for f in fields)
    ttl.write_text(RULE_TTL.format(pattern=f'"{pattern}"', fields=quoted), encoding="utf-8")
    derived = derive(read_plan(MINI / "plan.txt"), themes=load_themes(ttl, base=BASE))
    found = {(entry, hit.field, hit.text) for entry, hits in derived.themes.items() for hit in hits}
    assert found == expected
