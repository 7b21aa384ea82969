from prongsai.interchange import parse_document
from prongsai.ita.api import analyse_document, score_document
from prongsai.ita.numbers import round2


def test_seed_003_year_over_year_at_every_level(seed003):
    a, _ = analyse_document(seed003)
    assert (a.fiscal_year, a.previous_year) == (2568, 2567)
    assert a.overall.delta == -5.80
    deltas = {c.path: c.delta for c in a.tools}
    assert deltas == {
        "tools.IIT": 0.44,
        "tools.EIT": 0.24,
        "tools.EIT_1": 0.47,
        "tools.EIT_2": 0.0,
        "tools.OIT": -15.0,
    }
    ind = {c.path: c.delta for c in a.indicator_changes}
    assert ind["indicators.2"] == 0.42 and ind["indicators.9"] == -10.0 and ind["indicators.10"] == -20.0
    assert a.item_changes == []  # 2567 items unknown in the file


def test_items_compared_only_when_they_mean_the_same_question():
    base = {"agency": {"name": "x"}}
    d = parse_document(
        {
            **base,
            "assessments": [
                {"fiscal_year": 2567, "items": {"i1": 90.0, "i2": 80.0}},
                {"fiscal_year": 2568, "items": {"i1": 95.0, "i2": 85.0}},
            ],
        }
    )
    a, _ = analyse_document(d)
    assert a.item_changes == []  # 2567 has 30 IIT questions, 2568 has 15: numbers differ in meaning
    d = parse_document(
        {
            **base,
            "assessments": [
                {"fiscal_year": 2568, "edition": 2568, "items": {"o16": 0.0}},
                {"fiscal_year": 2569, "edition": 2568, "items": {"o16": 100.0}},
            ],
        }
    )
    a, _ = analyse_document(d)
    assert [(c.path, c.delta) for c in a.item_changes] == [("items.o16", 100.0)]


def test_strongest_weakest_classification_and_items_below_full(seed003):
    a, _ = analyse_document(seed003)
    assert a.strongest == [1, 2, 3, 5, 6, 7]
    assert a.weakest == [10]
    cls = {i.id: i.classification for i in a.indicators}
    assert cls[10] == "urgent" and cls[9] == "improve" and cls[1] == "keep_up"
    assert [b.id for b in a.items_below_full] == ["o16", "o23", "o14", "o17", "o19", "i11", "e7"]


def test_narratives_say_only_what_the_numbers_show(seed003):
    a, _ = analyse_document(seed003)
    ind = {i.id: i for i in a.indicators}
    t10 = ind[10].narrative_th
    assert t10.startswith("ตัวชี้วัดที่ 10 การป้องกันการทุจริต จากการเปิดเผยข้อมูลสาธารณะ")
    # The direction is a word, the number unsigned; there is no per-indicator pass mark to cite.
    assert "80.00 คะแนน ลดลงจากปี พ.ศ. 2567 20.00 คะแนน" in t10
    assert "-20.00" not in t10 and "เกณฑ์ผ่าน" not in t10
    assert "o23" in t10 and "(0.00 คะแนน)" in t10
    # Full marks on indicator 10 alone lifts OIT to the 95 floor: the level comes back.
    assert "แบบวัด OIT จะเป็น 95.00 คะแนน" in t10 and "ระดับผ่านดีเยี่ยม" in t10
    assert "แบบวัด OIT จะเป็น 90.00 คะแนน" in ind[9].narrative_th
    assert "ระดับผ่านดีเยี่ยม" not in ind[9].narrative_th  # 90 is still under the floor
    assert "เพิ่มขึ้นจากปี พ.ศ. 2567 0.42 คะแนน" in ind[2].narrative_th
    assert "เท่ากับปี พ.ศ. 2567" in ind[1].narrative_th
    assert "i11" in ind[4].narrative_th and "98.36" in ind[4].narrative_th
    assert a.summary_th.startswith("เทศบาลตำบลต้นหยงมัสได้ผลการประเมินในภาพรวม")
    assert "93.96" in a.summary_th and "ลดลง 5.80 คะแนน" in a.summary_th and "ผ่านดีเยี่ยม" in a.summary_th
    # Why the level fell, and what restores it.
    assert "แบบวัด OIT (85.00 คะแนน) ต่ำกว่า 95 คะแนน" in a.summary_th
    assert "คะแนนภาพรวมจะเป็นอย่างน้อย 97.96 คะแนน" in a.summary_th


def test_what_if_priority_list(seed003):
    a, _ = analyse_document(seed003)
    top = [(p.kind, p.id, round(p.gain, 4)) for p in a.priorities[:4]]
    # Indicator 10 at 80 is worth 0.4 / 2 x 20 = 4 points, and o23 is its only item below full
    # marks: fixing o23 is worth the whole 4 (item gains add up to their indicator's). Indicator 9's
    # 2 points are shared by its four weak items by what each lacks (o16 at 0 lacks 100 of 250).
    assert top == [
        ("indicator", "10", 4.0),
        ("item", "o23", 4.0),
        ("indicator", "9", 2.0),
        ("item", "o16", 0.8),
    ]
    assert a.reaches_target == (["o23"], 97.96)
    assert "เพียงข้อ o23 ได้คะแนนเต็ม" in a.summary_th
    gains = [p.gain for p in a.priorities]
    assert gains == sorted(gains, reverse=True)
    assert next(p for p in a.priorities if p.id == "o23").confidence == "low"  # 2568 OIT rule unresolved
    assert all(round2(p.score) < 100 for p in a.priorities)


def test_stated_change_that_does_not_match_is_a_finding(seed003):
    scores = score_document(seed003)
    found = [f for f in scores[-1].findings if f.code == "change_mismatch"]
    assert [(f.path, f.published, f.computed) for f in found] == [("overall", -5.6, -5.8)]
    assert "-5.60" in found[0].message_th and "-5.80" in found[0].message_th


def test_a_single_year_is_analysed_without_comparison():
    d = parse_document({"agency": {"name": "x"}, "assessments": [{"fiscal_year": 2565, "overall": 87.5}]})
    a, _ = analyse_document(d)
    assert a.previous_year is None and a.overall.delta is None
    assert all(i.score is None for i in a.indicators)
    assert "87.50" in a.summary_th and "A" in a.summary_th
