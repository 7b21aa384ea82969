"""The measure library: every kind of agency gets measures in its own wording, keyed to real items."""

import copy
import json

import pytest

from prongsai.interchange import parse_document
from prongsai.ita.api import analyse_document
from prongsai.ita.edition import get_edition
from prongsai.ita.library import AGENCY_KINDS, agency_kind, library, load_library
from prongsai.ita.plan import draft_plan
from tests.conftest import DEMO

# Words that belong to local government only (อปท.): its offices, councils and executives.
LOCAL_WORDS = ("ท้องถิ่น", "สำนักปลัด", "อปท", "เทศบาล", "องค์การบริหารส่วน", "นายก", "สภาท้องถิ่น")
NON_LOCAL = [k for k in AGENCY_KINDS if k != "local"]


def _texts(m) -> list[str]:
    return [m.title_th, *m.steps_th, m.responsible_th, m.oit_evidence_th]


def test_library_loads_with_measures_for_every_kind():
    lib = load_library()
    kinds = {k for m in lib.measures for k in m.agency_kinds}
    assert kinds == set(AGENCY_KINDS)
    assert len({m.id for m in lib.measures}) == len(lib.measures)


@pytest.mark.parametrize("kind", AGENCY_KINDS)
def test_at_least_three_measures_per_indicator_for_every_kind(kind):
    lib = library()
    for n in range(1, 11):
        assert len(lib.for_indicator(n, kind)) >= 3, (kind, n)


def test_existing_local_measures_stay_local():
    lib = library()
    local = [m for m in lib.measures if "local" in m.agency_kinds]
    assert len(local) >= 53
    assert all(m.agency_kinds == ["local"] for m in local)


def test_measures_for_other_kinds_carry_no_local_government_words():
    for m in library().measures:
        if m.agency_kinds == ["local"]:
            continue
        assert "local" not in m.agency_kinds, m.id
        for text in _texts(m):
            for word in LOCAL_WORDS:
                assert word not in text, (m.id, word, text)


def test_kind_specific_measures_name_their_own_offices():
    lib = library()

    def words(kind: str) -> str:
        return " ".join(t for m in lib.measures if m.agency_kinds == [kind] for t in _texts(m))

    central, university = words("central"), words("university")
    state_enterprise, public_org = words("state_enterprise"), words("public_organization")
    for w in ("หัวหน้าส่วนราชการ", "อธิบดี", "ผู้ว่าราชการจังหวัด", "สำนักงานเลขานุการกรม", "กองการเจ้าหน้าที่"):
        assert w in central, w
    for w in ("ศูนย์ปฏิบัติการต่อต้านการทุจริต", "กลุ่มงานจริยธรรม", "ข้าราชการ", "กองคลัง"):
        assert w in central, w
    for w in ("สภามหาวิทยาลัย", "อธิการบดี", "สำนักงานอธิการบดี", "กองคลัง", "กองบริหารทรัพยากรบุคคล"):
        assert w in university, w
    for w in ("คณะ/หน่วยงาน", "บุคลากรสายวิชาการและสายสนับสนุน", "นักศึกษา"):
        assert w in university, w
    for w in ("คณะกรรมการ", "ผู้ว่าการ", "กรรมการผู้จัดการ", "ฝ่ายทรัพยากรบุคคล", "ฝ่ายบัญชีและการเงิน"):
        assert w in state_enterprise, w
    for w in ("ฝ่ายตรวจสอบภายใน", "พนักงานและลูกจ้าง", "ลูกค้า", "ระเบียบหรือข้อบังคับว่าด้วยการพัสดุของรัฐวิสาหกิจ"):
        assert w in state_enterprise, w
    for w in ("คณะกรรมการบริหาร", "ผู้อำนวยการ", "ฝ่ายบริหารทั่วไป", "เจ้าหน้าที่"):
        assert w in public_org, w
    # A measure written for one kind does not borrow another kind's titles.
    assert "อธิการบดี" not in central + state_enterprise + public_org
    assert "อธิบดี" not in university + state_enterprise + public_org
    assert "ผู้ว่าการ" not in university + public_org


def test_item_ids_exist_in_their_edition_and_belong_to_the_measures_indicators():
    for m in library().measures:
        for year, ids in m.items.items():
            edition = get_edition(int(year))
            for i in ids:
                assert i in edition.item_by_id, (m.id, year, i)
                assert edition.item_by_id[i].indicator in m.indicators, (m.id, year, i)


# 2568 items with no 2569 counterpart in the edition file (ข้อมูลสถิติการให้บริการ o11 of 2568).
NO_2569_ITEM = {"agency-service-statistics"}


def test_measures_for_other_kinds_name_2568_and_2569_items_where_they_answer_oit():
    for m in library().measures:
        if m.agency_kinds == ["local"]:
            continue
        oit_2568 = [i for i in m.items.get("2568", []) if i.startswith("o")]
        if oit_2568 and m.id not in NO_2569_ITEM:
            assert "2569" in m.items, m.id
        # The evidence text names the editions whose OIT items the measure answers.
        for year, ids in m.items.items():
            if any(i.startswith("o") for i in ids):
                assert year in m.oit_evidence_th, (m.id, year)


def test_every_source_is_listed():
    lib = library()
    assert {"procurement_act", "ethics_act", "info_act"} <= set(lib.sources)
    for m in lib.measures:
        assert set(m.source) <= set(lib.sources), m.id


def _record(name: str, agency_type: str) -> dict:
    seed = json.loads(DEMO.read_text(encoding="utf-8"))
    assessment = copy.deepcopy(next(a for a in seed["assessments"] if a["fiscal_year"] == 2568))
    return {"agency": {"name": name, "type": agency_type}, "assessments": [assessment]}


@pytest.mark.parametrize(
    ("name", "agency_type", "kind"),
    [
        ("มหาวิทยาลัยตัวอย่าง", "มหาวิทยาลัย", "university"),
        ("กรมตัวอย่าง", "กรม", "central"),
        ("การประปาส่วนภูมิภาค", "รัฐวิสาหกิจ", "state_enterprise"),
        ("สถาบันตัวอย่าง (องค์การมหาชน)", "องค์การมหาชน", "public_organization"),
    ],
)
def test_plan_for_other_kinds_uses_their_wording_and_covers_all_indicators(name, agency_type, kind):
    assert agency_kind(agency_type, name) == kind
    analysis, _ = analyse_document(parse_document(_record(name, agency_type)))
    assert analysis.agency_kind == kind
    plan = draft_plan(analysis)
    assert plan.indicators_covered() == list(range(1, 11))
    lib = {m.id: m for m in library().measures}
    for pm in plan.measures:
        assert kind in lib[pm.library_id].agency_kinds, pm.library_id
        for text in [pm.title, *pm.steps, pm.responsible]:
            assert "ท้องถิ่น" not in text and "สำนักปลัด" not in text, (pm.library_id, text)
    # The weak OIT items of seed 003 (o23 = 0, o16 = 0) are answered for this kind too.
    answered = {i for pm in plan.measures for i in pm.items}
    assert {"o23", "o16"} <= answered


def test_university_plan_reads_like_a_university():
    analysis, _ = analyse_document(parse_document(_record("มหาวิทยาลัยตัวอย่าง", "มหาวิทยาลัย")))
    plan = draft_plan(analysis)
    text = " ".join(t for pm in plan.measures for t in [pm.title, *pm.steps, pm.responsible])
    assert "มหาวิทยาลัย" in text
    ethics = next(pm for pm in plan.measures if "o16" in pm.items)
    assert ethics.library_id == "university-ethics-code"


def test_local_plan_is_unchanged_by_other_kinds(seed003):
    plan = draft_plan(analyse_document(seed003)[0])
    lib = {m.id: m for m in library().measures}
    assert all(lib[pm.library_id].agency_kinds == ["local"] for pm in plan.measures)
