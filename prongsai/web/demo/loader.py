"""Demo data: the five seed agencies, a synthetic province, overseers; or N agencies nationwide.

Everything is reproducible (fixed random seeds, fixed dates anchored on the newest edition) and
idempotent: an agency that exists is left alone, a user that exists keeps its password.

Scores are generated at item level (indicator level where an edition lists no items) and scored
by the engine through ``records.refresh``, once per assessment; rows are bulk-created. Plans draw
their 8-12 measures from the measure library (``prongsai.ita.library``), weakest indicators of
the year before first. Approval snapshots are interchange documents built from the same rows the
plan has at that moment (``records.plan_record`` gives the same document for the newest approval
of an untouched plan: tested).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import FileField, JSONField

from prongsai.demo import demo_file
from prongsai.interchange import load_document
from prongsai.interchange.models import Assessment as RecordAssessment
from prongsai.interchange.models import Document as Record
from prongsai.interchange.models import Measure as RecordMeasure
from prongsai.ita.edition import all_editions, get_edition
from prongsai.ita.library import LibraryMeasure, library
from prongsai.ita.numbers import fmt
from prongsai.ita.plan import period_text
from prongsai.thai.dates import fiscal_year_bounds
from prongsai.web.agencies.models import Agency, Membership, OverseerGrant, Role, Unit
from prongsai.web.cycle import actions, records
from prongsai.web.cycle.models import (
    Approval,
    Assessment,
    Decision,
    Evidence,
    EvidenceKind,
    IndicatorScore,
    Measure,
    MeasureStatus,
    Memo,
    Plan,
    PlanStatus,
    ProgressEntry,
)

PASSWORD = "demo1234"
TZ = ZoneInfo("Asia/Bangkok")

# Anchored on the newest edition, not on today's date, so the data is the same every run:
# the newest assessed year is the last edition, and its next plan year is the current one.
LAST_ASSESSED = max(all_editions())
CURRENT_PLAN_YEAR = LAST_ASSESSED + 1

# The synthetic province for the overseer views (a made-up name: the scores are made up too).
PROVINCE = "ตัวอย่าง"
PROVINCE_SLUG = "tuayang"
NATIONAL_SLUG = "n"

# (user number, slug, province when the document gives none, district when none). The documents
# are prongsai/demo/<slug>.json, modelled on five published reports (the seeds 000-004, hence the
# numbers). The ต้นหยงมัส and ทุ่งมะพร้าว documents give no province: they are put in ตรัง and
# ชุมพร (the province of the two other southern agencies); both choices are the demo's.
SEEDS = [
    ("000", "thamaphla", None, None),
    ("001", "srisongkhram", None, None),
    ("002", "thasae", None, None),
    ("003", "tonyongmat", "ตรัง", "เมืองตรัง"),
    ("004", "thungmaphrao", "ชุมพร", "สวี"),
]
SEED_SLUGS = [s[1] for s in SEEDS]
SEED003_HISTORY = range(2563, 2567)  # generated years before the seed's own 2567 and 2568


def _words(text: str) -> list[str]:
    return text.split()


UNITS_SMALL = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา"]
UNITS_LARGE = [*UNITS_SMALL, "กองสาธารณสุขและสิ่งแวดล้อม", "กองยุทธศาสตร์และงบประมาณ"]

PLACES = _words(
    "บ้านใหม่ หนองบัว ท่าทราย นาโพธิ์ คลองใส โคกสูง ดอนตาล บางกล่ำ หัวไผ่ ทุ่งยาว วังน้ำเย็น "
    "เขาพนม ป่าแดง สระแก้ว ห้วยทราย นาคำ บ่อทอง หนองหญ้า ท่าช้าง คลองขุด ดอนแก้ว บางปลา "
    "ศาลาแดง โพธิ์ทอง หนองแวง นาดี ท่าเรือ บ้านนา เกาะแก้ว ควนโดน ลำทับ ทุ่งใหญ่ ไร่ขิง "
    "บ้านดอน หนองปลิง เขาดิน ทุ่งสง ปากน้ำ ตลาดใหม่ นาหว้า สามแยก บางรัก ท่ามะขาม "
    "หาดทราย หนองกุง บ้านเหนือ คลองแห้ง โคกกลอย ทุ่งโพธิ์ ห้วยยอด ลานสัก ช่องแค"
)
DISTRICTS = ["เมืองตัวอย่าง", "ท่าน้ำ", "ป่าไม้", "นาข้าว", "เขาสูง", "คลองยาว", "หนองน้ำ"]

PROVINCES = _words(
    "กระบี่ กาญจนบุรี กาฬสินธุ์ กำแพงเพชร ขอนแก่น จันทบุรี ฉะเชิงเทรา ชลบุรี ชัยนาท ชัยภูมิ ชุมพร "
    "เชียงราย เชียงใหม่ ตรัง ตราด ตาก นครนายก นครปฐม นครพนม นครราชสีมา นครศรีธรรมราช นครสวรรค์ "
    "นนทบุรี นราธิวาส น่าน บึงกาฬ บุรีรัมย์ ปทุมธานี ประจวบคีรีขันธ์ ปราจีนบุรี ปัตตานี "
    "พระนครศรีอยุธยา พะเยา พังงา พัทลุง พิจิตร พิษณุโลก เพชรบุรี เพชรบูรณ์ แพร่ ภูเก็ต มหาสารคาม "
    "มุกดาหาร แม่ฮ่องสอน ยโสธร ยะลา ร้อยเอ็ด ระนอง ระยอง ราชบุรี ลพบุรี ลำปาง ลำพูน เลย ศรีสะเกษ "
    "สกลนคร สงขลา สตูล สมุทรปราการ สมุทรสงคราม สมุทรสาคร สระแก้ว สระบุรี สิงห์บุรี สุโขทัย "
    "สุพรรณบุรี สุราษฎร์ธานี สุรินทร์ หนองคาย หนองบัวลำภู อ่างทอง อำนาจเจริญ อุดรธานี อุตรดิตถ์ "
    "อุทัยธานี อุบลราชธานี กรุงเทพมหานคร"
)

RESULTS_IN_PROGRESS = [
    "ดำเนินการแล้วบางส่วน อยู่ระหว่างรวบรวมข้อมูลเพื่อเผยแพร่บนเว็บไซต์ของหน่วยงาน",
    "จัดประชุมชี้แจงผู้เกี่ยวข้องแล้ว อยู่ระหว่างดำเนินการตามขั้นตอนที่กำหนด",
    "อยู่ระหว่างจัดทำร่างเอกสารและเสนอผู้บริหารพิจารณา",
]
RESULTS_DONE = [
    "ดำเนินการครบทุกขั้นตอนตามแผน และเผยแพร่ผลการดำเนินการบนเว็บไซต์ของหน่วยงานแล้ว",
    "ดำเนินการแล้วเสร็จ จัดทำรายงานสรุปผลเสนอผู้บริหารทราบ และประชาสัมพันธ์ให้ประชาชนทราบ",
    "จัดกิจกรรมตามกำหนด บุคลากรเข้าร่วมครบถ้วน และเผยแพร่ภาพกิจกรรมทางสื่อสังคมออนไลน์",
]
OUTCOMES = [
    "ประชาชนเข้าถึงข้อมูลของหน่วยงานได้สะดวกขึ้น",
    "บุคลากรมีความรู้ความเข้าใจและปฏิบัติงานอย่างโปร่งใส",
    "หน่วยงานเผยแพร่ข้อมูลครบถ้วนตามเกณฑ์การประเมิน",
]
SUGGESTIONS = ["ควรดำเนินการต่อเนื่องทุกปี", "ควรเพิ่มช่องทางการประชาสัมพันธ์", ""]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def executive_title(name: str) -> str:
    if name.startswith("เทศบาล"):
        return "นายกเทศมนตรี" + name.removeprefix("เทศบาล")
    return "นายก" + name


# --------------------------------------------------------------------------------------------
# Scores


def published_scores(rng: random.Random, year: int, quality: float) -> RecordAssessment:
    """Scores as NACC hands them out: items where the edition lists them, else indicators.
    ``quality`` (0-1) moves every score up or down together."""
    e = get_edition(year)
    items: dict[str, float] = {}
    for group in e.items:
        for item in group.entries:
            if group.tool == "OIT":
                ok = rng.random() < quality
                if isinstance(group.scale, list):
                    items[item.id] = group.scale[-1] if ok else rng.choice(group.scale[:-1])
                else:
                    items[item.id] = 100.0 if ok else rng.choice([0.0, 50.0])
            elif isinstance(group.scale, list):
                items[item.id] = rng.choice(group.scale) if rng.random() > quality else group.scale[-1]
            else:
                low = 55 + 40 * quality
                items[item.id] = 100.0 if rng.random() < quality / 2 else round(rng.uniform(low, 100), 2)
    indicators = {
        str(n): round(min(100.0, max(30.0, rng.uniform(50 + 45 * quality, 100))), 2)
        for n, listed in e.items_of_indicator.items()
        if not listed
    }
    return RecordAssessment(fiscal_year=year, items=items, indicators=indicators)


def stored(record: RecordAssessment) -> dict:
    """Exactly as records.save_published stores a record."""
    return record.model_dump(mode="json", exclude={"fiscal_year"}, exclude_defaults=True)


# --------------------------------------------------------------------------------------------
# Plans


@dataclass
class MeasureDraft:
    position: int
    lib: LibraryMeasure
    analysis: str
    period: str
    period_end: date
    unit_names: list[str]
    items: list[str]
    budget: float | None
    # The year's story: (as_of, status, result, outcome, suggestion) entries, oldest first.
    progress: list[tuple[date, str, str, str, str]] = field(default_factory=list)
    evidence: str = ""
    evidence_id: int | None = None  # the Evidence row's id, once inserted

    def status_at(self, day: date | None) -> str:
        entries = [p for p in self.progress if day is None or p[0] <= day]
        return entries[-1][1] if entries else MeasureStatus.NOT_STARTED

    def record(self, day: date | None) -> RecordMeasure:
        """As ``records.measure_record`` reads the rows as they stood on ``day``."""
        entries = [p for p in self.progress if day is None or p[0] <= day]
        latest = entries[-1] if entries else None
        shown = self.evidence and latest and latest[1] == MeasureStatus.DONE

        def reported(i: int) -> str | None:  # the newest non-empty value (records.latest_reported)
            return next((p[i].strip() for p in reversed(entries) if p[i].strip()), None)

        return RecordMeasure.model_validate(
            {
                "no": self.position or None,
                "title": self.lib.title_th,
                "analysis": self.analysis or None,
                "steps": self.steps or None,
                "responsible": " ".join(self.unit_names) or self.lib.responsible_th or None,
                "period": self.period or None,
                "indicators": self.lib.indicators,
                "items": self.items,
                "status": latest[1] if latest else MeasureStatus.NOT_STARTED,
                "result": reported(2),
                "outcome": reported(3),
                "suggestion": reported(4),
                "monitoring": None,
                "budget": self.budget,
                "evidence": [
                    {
                        "kind": "note",
                        "ref": self.evidence,
                        "caption": self.evidence,
                        "added_on": latest[0].isoformat(),
                        "id": str(self.evidence_id) if self.evidence_id else None,
                    }
                ]
                if shown
                else [],
            }
        )

    @property
    def steps(self) -> str:
        return "\n".join(f"- {s}" for s in self.lib.steps_th)


@dataclass
class PlanDraft:
    agency: Agency
    year: int
    measures: list[MeasureDraft]
    status: str
    # (decision, day, version, comment): the executive's decisions, oldest first.
    decisions: list[tuple[str, date, int, str]]
    content_version: int
    approved_version: int | None
    return_comment: str = ""


def choose_measures(rng: random.Random, weak_first: list[int], year: int) -> list[tuple[LibraryMeasure, int]]:
    """8-12 library measures, the weakest indicators' first, then any; each once."""
    lib = library()
    want = rng.randint(8, 12)
    chosen: list[tuple[LibraryMeasure, int]] = []
    used: set[str] = set()
    order = list(weak_first) + [n for n in range(1, 11) if n not in weak_first]
    while len(chosen) < want:
        progress = False
        for n in order:
            options = [m for m in lib.for_indicator(n) if m.id not in used]
            if options and len(chosen) < want:
                m = rng.choice(options[:4])
                used.add(m.id)
                chosen.append((m, n))
                progress = True
        if not progress:
            break
    return chosen


def plan_story(
    rng: random.Random,
    agency: Agency,
    unit_names: list[str],
    year: int,
    scores: dict[int, float],
    assessed: int,
) -> PlanDraft:
    """A plan for ``year`` answering the assessment of the year before (its indicator scores),
    with its progress and the executive's decisions as they happened during the year."""
    e = get_edition(assessed) if assessed in all_editions() else None
    weak = sorted(scores, key=lambda n: scores[n]) if scores else []
    start, end = fiscal_year_bounds(year)
    measures = []
    for pos, (lib_m, n) in enumerate(choose_measures(rng, weak[:4], year), 1):
        text, _, period_end = period_text(lib_m.period, year)
        name = next((i.name_th for i in e.indicators if i.id == n), "") if e else ""
        analysis = (
            f"ตัวชี้วัดที่ {n} {name} ได้คะแนน {fmt(scores[n])} คะแนน (ปี พ.ศ. {assessed})"
            if n in scores
            else f"ตัวชี้วัดที่ {n} {name}".strip()
        )
        # One unit per measure (the first named), as a contributor of that unit updates it.
        units = [next((u for u in unit_names if u in lib_m.responsible_th), unit_names[0])]
        measures.append(
            MeasureDraft(
                position=pos,
                lib=lib_m,
                analysis=analysis,
                period=text,
                period_end=period_end,
                unit_names=units,
                items=lib_m.items.get(str(year), []),
                budget=float(rng.choice([0, 5000, 10000, 20000, 50000])) if rng.random() < 0.3 else None,
                evidence=lib_m.oit_evidence_th.split(" (")[0] if rng.random() < 0.7 else "",
            )
        )
    approve_plan = start + timedelta(days=rng.randint(20, 60))  # November-ish
    mid = date(end.year, 3, 31)
    if year < CURRENT_PLAN_YEAR:
        # A year that is over: progress at mid-year and at the end, then the progress report.
        for m in measures:
            final = rng.choices(
                [MeasureStatus.DONE, MeasureStatus.IN_PROGRESS, MeasureStatus.NOT_STARTED], [78, 17, 5]
            )[0]
            if final != MeasureStatus.NOT_STARTED:
                m.progress.append((mid, MeasureStatus.IN_PROGRESS, rng.choice(RESULTS_IN_PROGRESS), "", ""))
                if final == MeasureStatus.DONE:
                    m.progress.append(
                        (
                            end - timedelta(days=rng.randint(0, 20)),
                            final,
                            rng.choice(RESULTS_DONE),
                            rng.choice(OUTCOMES),
                            rng.choice(SUGGESTIONS),
                        )
                    )
            m.progress.sort(key=lambda p: p[0])
        entries = sum(len(m.progress) for m in measures)
        approve_report = end + timedelta(days=rng.randint(5, 30))
        kind = rng.choices(["both", "plan_only", "submitted", "draft"], [80, 10, 5, 5])[0]
        if kind == "both":
            decisions = [
                (Decision.APPROVED, approve_plan, 1, ""),
                (Decision.APPROVED, approve_report, 1 + entries, ""),
            ]
            return PlanDraft(agency, year, measures, PlanStatus.APPROVED, decisions, 1 + entries, 1 + entries)
        if kind == "plan_only":
            decisions = [(Decision.APPROVED, approve_plan, 1, "")]
            return PlanDraft(agency, year, measures, PlanStatus.DRAFT, decisions, 1 + entries, 1)
        status = PlanStatus.SUBMITTED if kind == "submitted" else PlanStatus.DRAFT
        return PlanDraft(agency, year, measures, status, [], 1 + entries, None)
    # The year under way: the plan is being drafted, submitted, returned or approved.
    kind = rng.choices(
        ["approved", "approved_then_progress", "submitted", "returned", "draft"], [30, 10, 20, 10, 30]
    )[0]
    day = start + timedelta(days=rng.randint(15, 45))
    if kind == "approved":
        return PlanDraft(agency, year, measures, PlanStatus.APPROVED, [(Decision.APPROVED, day, 1, "")], 1, 1)
    if kind == "approved_then_progress":
        for m in measures[: rng.randint(1, 3)]:
            m.progress.append(
                (day + timedelta(days=7), MeasureStatus.IN_PROGRESS, rng.choice(RESULTS_IN_PROGRESS), "", "")
            )
        entries = sum(len(m.progress) for m in measures)
        return PlanDraft(
            agency, year, measures, PlanStatus.DRAFT, [(Decision.APPROVED, day, 1, "")], 1 + entries, 1
        )
    if kind == "returned":
        comment = "ขอให้เพิ่มมาตรการสำหรับตัวชี้วัดที่มีคะแนนต่ำ และระบุผู้รับผิดชอบให้ชัดเจน"
        return PlanDraft(
            agency,
            year,
            measures,
            PlanStatus.RETURNED,
            [(Decision.RETURNED, day, 1, comment)],
            1,
            None,
            comment,
        )
    status = PlanStatus.SUBMITTED if kind == "submitted" else PlanStatus.DRAFT
    return PlanDraft(agency, year, measures, status, [], 1, None)


# --------------------------------------------------------------------------------------------
# Writing rows


def _converter(f) -> Callable | None:
    from psycopg.types.json import Jsonb

    if isinstance(f, JSONField):
        return Jsonb
    if isinstance(f, FileField):
        return lambda v: v.name or ""
    return None


def insert(model, objs: list) -> list:
    """Insert rows, setting their primary keys. PostgreSQL: COPY with keys taken from the table's
    sequence (Django's bulk insert quotes long Thai text through Python regexes, 50x slower);
    elsewhere bulk_create."""
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objs, batch_size=max(1, 30000 // len(model._meta.concrete_fields)))
    table = model._meta.db_table
    fields = model._meta.concrete_fields
    # Values as Django would send them: JSON wrapped for psycopg, pre_save for auto_now_add.
    convert = [(f, _converter(f), f.attname, getattr(f, "auto_now_add", False)) for f in fields]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(objs)]
        )
        for obj, (pk,) in zip(objs, cur.fetchall(), strict=True):
            obj.pk = pk
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with cur.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(
                    [
                        f.pre_save(obj, True)
                        if auto
                        else conv(getattr(obj, name))
                        if conv
                        else getattr(obj, name)
                        for f, conv, name, auto in convert
                    ]
                )
    return objs


class Writer:
    """Bulk-creates the rows of many agencies at once (a chunk), in one transaction. ``fast``:
    the engine's result is computed in memory (records.engine_view) without a query per row."""

    def __init__(self, rng: random.Random, fast: bool = False):
        self.rng = rng
        self.fast = fast

    def assessments(self, specs: list[tuple[Agency, int, float]]) -> dict[tuple[int, int], dict[int, float]]:
        """(agency, year, quality) -> Assessment rows scored by the engine (records.refresh);
        returns {(agency id, year): {indicator: score}}."""
        recs = [published_scores(self.rng, y, q) for _, y, q in specs]
        rows = [
            Assessment(agency=a, fiscal_year=y, published=stored(r))
            for (a, y, _), r in zip(specs, recs, strict=True)
        ]
        if self.fast:
            scores = {
                (a.pk, row.fiscal_year): records.engine_view(row, rec)
                for row, rec, (a, _, _) in zip(rows, recs, specs, strict=True)
            }
            insert(Assessment, rows)
            insert(
                IndicatorScore,
                [
                    IndicatorScore(assessment=row, fiscal_year=row.fiscal_year, indicator=k, score=v)
                    for row in rows
                    for k, v in scores[(row.agency_id, row.fiscal_year)].items()
                ],
            )
            return scores
        Assessment.objects.bulk_create(rows, batch_size=1000)
        agencies = {a.pk: a for a, _, _ in specs}
        for row in rows:
            row.agency = agencies[row.agency_id]
            records.refresh(row)
        return self.indicator_scores([a.pk for a in agencies.values()])

    @staticmethod
    def indicator_scores(agency_ids: Iterable[int]) -> dict[tuple[int, int], dict[int, float]]:
        out: dict[tuple[int, int], dict[int, float]] = {}
        for agency_id, year, n, score in IndicatorScore.objects.filter(
            assessment__agency_id__in=list(agency_ids)
        ).values_list("assessment__agency_id", "fiscal_year", "indicator", "score"):
            out.setdefault((agency_id, year), {})[n] = score
        return out

    def plans(self, drafts: list[PlanDraft], approver_of: Callable[[Agency], User | None]) -> None:
        assessments = {
            (a.agency_id, a.fiscal_year): a.pk
            for a in Assessment.objects.filter(agency__in={d.agency.pk for d in drafts}).only(
                "pk", "agency_id", "fiscal_year"
            )
        }
        plans = [
            Plan(
                agency=d.agency,
                fiscal_year=d.year,
                assessment_id=assessments.get((d.agency.pk, d.year - 1)),
                status=d.status,
                content_version=d.content_version,
                approved_version=d.approved_version,
                return_comment=d.return_comment,
            )
            for d in drafts
        ]
        insert(Plan, plans)
        units = {
            (u.agency_id, u.name): u.pk for u in Unit.objects.filter(agency__in={d.agency.pk for d in drafts})
        }
        measures, pairs = [], []
        for plan, d in zip(plans, drafts, strict=True):
            for m in d.measures:
                measures.append(
                    Measure(
                        plan=plan,
                        position=m.position,
                        title=m.lib.title_th,
                        analysis=m.analysis,
                        steps=m.steps,
                        period=m.period,
                        period_end=m.period_end,
                        indicators=m.lib.indicators,
                        items=m.items,
                        responsible_text=m.lib.responsible_th,
                        budget=m.budget,
                        status=m.status_at(None),
                        library_id=m.lib.id,
                        version=1 + len(m.progress),
                    )
                )
                pairs.append((d, m))
        insert(Measure, measures)
        through = Measure.units.through
        links, progress, evidence, evidence_of = [], [], [], []
        for row, (d, m) in zip(measures, pairs, strict=True):
            for name in m.unit_names:
                links.append(through(measure_id=row.pk, unit_id=units[(d.agency.pk, name)]))
            for as_of, status, result, outcome, suggestion in m.progress:
                progress.append(
                    ProgressEntry(
                        measure=row,
                        as_of=as_of,
                        status=status,
                        result=result,
                        outcome=outcome,
                        suggestion=suggestion,
                    )
                )
            if m.evidence and m.status_at(None) == MeasureStatus.DONE:
                evidence.append(
                    Evidence(
                        measure=row, kind=EvidenceKind.NOTE, caption=m.evidence, added_on=m.progress[-1][0]
                    )
                )
                evidence_of.append(m)
        insert(through, links)
        insert(ProgressEntry, progress)
        insert(Evidence, evidence)
        for row, m in zip(evidence, evidence_of, strict=True):
            m.evidence_id = row.pk
        # As records.plan_record lists them: the two newest assessments before the plan's year.
        history: dict[int, list[RecordAssessment]] = {}
        for a in Assessment.objects.filter(agency__in={d.agency.pk for d in drafts}).order_by("fiscal_year"):
            history.setdefault(a.agency_id, []).append(records.assessment_record(a))
        approvals = []
        for plan, d in zip(plans, drafts, strict=True):
            if not d.decisions:
                continue
            approver = approver_of(d.agency)
            agency_rec = records.agency_record(d.agency)
            past = [a for a in history.get(d.agency.pk, []) if a.fiscal_year <= d.year - 1][-2:]
            for decision, day, version, comment in d.decisions:
                snapshot = Record(
                    agency=agency_rec,
                    report_fiscal_year=d.year,
                    assessments=past,
                    measures=[m.record(day) for m in d.measures],
                )
                approvals.append(
                    Approval(
                        plan=plan,
                        version=version,
                        decision=decision,
                        comment=comment,
                        approver=approver,
                        approver_name=(approver.get_full_name() if approver else "")
                        or d.agency.executive_title,
                        approver_position=d.agency.executive_title,
                        decided_at=_at(day),
                        snapshot=snapshot.model_dump(mode="json"),
                    )
                )
        insert(Approval, approvals)


# --------------------------------------------------------------------------------------------
# Agencies


def _units(agency: Agency) -> list[str]:
    names = UNITS_LARGE if agency.type in ("เทศบาลนคร", "เทศบาลเมือง", "องค์การบริหารส่วนจังหวัด") else UNITS_SMALL
    Unit.objects.bulk_create([Unit(agency=agency, name=n) for n in names], ignore_conflicts=True)
    return names


def province_agencies(rng: random.Random) -> list[dict]:
    """About 50 agencies of the synthetic province: one อบจ., one นคร, three เมือง, 15 ตำบล, 30 อบต."""
    kinds = (
        [("องค์การบริหารส่วนจังหวัด", None)]
        + [("เทศบาลนคร", None)]
        + [("เทศบาลเมือง", p) for p in PLACES[:3]]
        + [("เทศบาลตำบล", p) for p in PLACES[3:18]]
        + [("องค์การบริหารส่วนตำบล", p) for p in PLACES[18:48]]
    )
    out = []
    for i, (kind, place) in enumerate(kinds, 1):
        name = f"{kind}{place or PROVINCE}"
        district = DISTRICTS[0] if place is None else rng.choice(DISTRICTS)
        out.append({"slug": f"{PROVINCE_SLUG}-{i:02d}", "name": name, "type": kind, "district": district})
    return out


def national_agencies(rng: random.Random, n: int) -> list[dict]:
    """``n`` agencies spread over the 77 provinces in the national mix of types."""
    types = ["องค์การบริหารส่วนตำบล", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร", "อื่น ๆ"]
    weights = [5300, 2250, 195, 30, 450]
    out = []
    for i in range(1, n + 1):
        province = PROVINCES[(i - 1) % len(PROVINCES)]
        if i <= len(PROVINCES):
            kind = "องค์การบริหารส่วนจังหวัด"
            name = f"{kind}{province}"
        else:
            kind = rng.choices(types, weights)[0]
            name = f"{kind}{rng.choice(PLACES)} {i}" if kind != "อื่น ๆ" else f"สำนักงานตัวอย่าง {i}"
        out.append(
            {
                "slug": f"{NATIONAL_SLUG}{i:05d}",
                "name": name,
                "type": kind,
                "district": "เมือง",
                "province": province,
            }
        )
    return out


def _user(username: str, **extra) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    return user


@dataclass
class Loader:
    out: Callable[[str], None] = print
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def seeds(self) -> None:
        for prefix, slug, province, district in SEEDS:
            if Agency.objects.filter(slug=slug).exists():
                self.out(f"  {slug}: มีอยู่แล้ว (already there)")
            else:
                self._seed(prefix, slug, province, district)
            agency = Agency.objects.get(slug=slug)
            self._seed_users(prefix, agency)

    @transaction.atomic
    def _seed(self, prefix: str, slug: str, province: str | None, district: str | None) -> None:
        path = demo_file(slug)
        doc = load_document(path)
        name = doc.agency.name
        agency = Agency.objects.create(
            name=name,
            slug=slug,
            type=doc.agency.type or "อื่น ๆ",
            district=doc.agency.district or district or "",
            province=doc.agency.province or province or "",
            executive_title=executive_title(name),
        )
        _units(agency)
        rng = random.Random(f"seed-{prefix}")
        if prefix == "003":
            # Years before the seed's own, so its dashboard shows a history.
            writer = Writer(rng)
            scores = writer.assessments([(agency, y, 0.75 + 0.05 * (y - 2563)) for y in SEED003_HISTORY])
            doc_years = {a.fiscal_year for a in doc.assessments}
            plan = records.import_record(agency, doc)
            scores = writer.indicator_scores([agency.pk])
            units = list(agency.units.values_list("name", flat=True))
            drafts = [
                plan_story(rng, agency, units, y, scores.get((agency.pk, y - 1), {}), y - 1)
                for y in range(min(SEED003_HISTORY) + 1, min(doc_years) + 2)
                if y != plan.fiscal_year
            ]
            writer.plans(drafts, lambda a: None)
        else:
            plan = records.import_record(agency, doc)
        self.out(f"  {slug}: {name} ({path.name})")
        self._approve_seed_plan(plan, prefix)

    def _approve_seed_plan(self, plan: Plan | None, prefix: str) -> None:
        """The seeds are published documents: their plan's newest state is approved."""
        if plan is None:
            return
        approver = _user(f"approver{prefix}", first_name="ผู้บริหาร", last_name=plan.agency.name)
        # Submitted on paper: actions.submit_plan would ask for a link check, which needs the
        # internet; the approval itself goes through the cycle's action (snapshot, audit trail).
        plan.status = PlanStatus.SUBMITTED
        plan.save(update_fields=["status"])
        actions.decide_plan(plan, Decision.APPROVED, plan.content_version, user=approver)

    def _seed_users(self, prefix: str, agency: Agency) -> None:
        finance = agency.units.filter(name="กองคลัง").first()
        for role in (Role.EDITOR, Role.CONTRIBUTOR, Role.APPROVER, Role.VIEWER):
            extra = {"first_name": "ผู้บริหาร", "last_name": agency.name} if role == Role.APPROVER else {}
            user = _user(f"{role.value}{prefix}", **extra)
            Membership.objects.get_or_create(
                user=user,
                agency=agency,
                defaults={"role": role, "unit": finance if role == Role.CONTRIBUTOR else None},
            )
            self.logins.append((f"{role.label} · {agency.name}", user.username, PASSWORD))

    def generated(
        self,
        specs: list[dict],
        province: str | None,
        years: Callable[[random.Random], range],
        chunk: int = 100,
        fast: bool = False,
    ) -> None:
        """Agencies from ``specs`` with their years; those that exist are skipped. Rows are
        written per chunk of agencies, each chunk in one transaction."""
        have = set(Agency.objects.filter(slug__in=[s["slug"] for s in specs]).values_list("slug", flat=True))
        todo = [s for s in specs if s["slug"] not in have]
        if have:
            self.out(f"  {len(have)} หน่วยงานมีอยู่แล้ว (already there)")
        for i in range(0, len(todo), chunk):
            self._chunk(todo[i : i + chunk], province, years, fast)
            self.out(f"  {min(i + chunk, len(todo))}/{len(todo)} หน่วยงาน")

    @transaction.atomic
    def _chunk(
        self, specs: list[dict], province: str | None, years: Callable[[random.Random], range], fast: bool
    ) -> None:
        agencies = Agency.objects.bulk_create(
            [
                Agency(
                    name=s["name"],
                    slug=s["slug"],
                    type=s["type"],
                    district=s["district"],
                    province=s.get("province") or province,
                    executive_title=executive_title(s["name"]),
                )
                for s in specs
            ]
        )
        if connection.vendor != "postgresql" or any(a.pk is None for a in agencies):
            agencies = list(Agency.objects.filter(slug__in=[s["slug"] for s in specs]))
        unit_rows = []
        for a in agencies:
            names = (
                UNITS_LARGE if a.type in ("เทศบาลนคร", "เทศบาลเมือง", "องค์การบริหารส่วนจังหวัด") else UNITS_SMALL
            )
            unit_rows += [Unit(agency=a, name=n) for n in names]
        Unit.objects.bulk_create(unit_rows, batch_size=5000)
        unit_names = {}
        for u in unit_rows:
            unit_names.setdefault(u.agency_id, []).append(u.name)
        # One generator per agency: the same agency gets the same data whatever else is loaded.
        rngs = {a.pk: random.Random(a.slug) for a in agencies}
        spans = {a.pk: years(rngs[a.pk]) for a in agencies}
        specs_a = []
        for a in agencies:
            rng = rngs[a.pk]
            quality = rng.betavariate(5, 1.6)
            for y in spans[a.pk]:
                specs_a.append((a, y, min(1.0, max(0.2, quality + 0.02 * (y - 2566) + rng.gauss(0, 0.04)))))
        writer = Writer(random.Random(specs[0]["slug"]), fast=fast)
        scores = writer.assessments(specs_a)
        drafts = []
        for a in agencies:
            rng = rngs[a.pk]
            for assessed in spans[a.pk]:
                year = assessed + 1
                if year == CURRENT_PLAN_YEAR and rng.random() < 0.12:
                    continue  # not started this year's plan yet
                drafts.append(
                    plan_story(rng, a, unit_names[a.pk], year, scores.get((a.pk, assessed), {}), assessed)
                )
        writer.plans(drafts, lambda a: None)

    def overseers(self, province: str) -> None:
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            admin = User.objects.create_superuser("admin", password=PASSWORD, email="")
        for username, scope in (("overseer_province", province), ("overseer_national", "")):
            user = _user(username)
            OverseerGrant.objects.get_or_create(user=user, province=scope)
            label = f"ผู้กำกับดูแล · จังหวัด{scope}" if scope else "ผู้กำกับดูแล · ทั่วประเทศ"
            self.logins.append((label, username, PASSWORD))
        self.logins.append(("ผู้ดูแลระบบ (admin)", admin.username, PASSWORD))


def province_years(rng: random.Random) -> range:
    """4-6 assessed years ending with the newest edition."""
    return range(LAST_ASSESSED - rng.randint(3, 5), LAST_ASSESSED + 1)


def national_years(rng: random.Random) -> range:
    """Every edition: 7 assessed years."""
    return range(min(all_editions()), LAST_ASSESSED + 1)


def demo_usernames() -> list[str]:
    names = ["admin", "overseer_province", "overseer_national"]
    for prefix, *_ in SEEDS:
        names += [f"{r.value}{prefix}" for r in Role]
    return names


def reset() -> int:
    """Remove the demo agencies (with everything of theirs) and the demo users. Plain DELETEs in
    dependency order: the ORM's collector would load every row of a national data set first."""
    from django.db.models import Q

    agencies = Agency.objects.filter(
        Q(slug__in=SEED_SLUGS) | Q(slug__startswith=f"{PROVINCE_SLUG}-") | Q(slug__regex=r"^n[0-9]{5}$")
    )
    ids = list(agencies.values_list("pk", flat=True))
    if ids:
        a_ids = ",".join(map(str, ids))
        t = {
            m: m._meta.db_table for m in (Agency, Unit, Membership, Assessment, IndicatorScore, Plan, Measure)
        }
        through = Measure.units.through._meta.db_table
        plans = f"SELECT id FROM {t[Plan]} WHERE agency_id IN ({a_ids})"
        measures = f"SELECT id FROM {t[Measure]} WHERE plan_id IN ({plans})"
        statements = [
            f"DELETE FROM {ProgressEntry._meta.db_table} WHERE measure_id IN ({measures})",
            f"DELETE FROM {Evidence._meta.db_table} WHERE measure_id IN ({measures})",
            f"DELETE FROM {through} WHERE measure_id IN ({measures})",
            f"DELETE FROM {t[Measure]} WHERE plan_id IN ({plans})",
            f"DELETE FROM {Approval._meta.db_table} WHERE plan_id IN ({plans})",
            f"DELETE FROM cycle_linkcheck WHERE plan_id IN ({plans})",
            f"DELETE FROM {Memo._meta.db_table} WHERE plan_id IN ({plans})",
            f"DELETE FROM {t[Plan]} WHERE agency_id IN ({a_ids})",
            f"DELETE FROM {t[IndicatorScore]} WHERE assessment_id IN "
            f"(SELECT id FROM {t[Assessment]} WHERE agency_id IN ({a_ids}))",
            f"DELETE FROM {t[Assessment]} WHERE agency_id IN ({a_ids})",
            f"DELETE FROM {t[Membership]} WHERE agency_id IN ({a_ids})",
            f"DELETE FROM {t[Unit]} WHERE agency_id IN ({a_ids})",
            f"DELETE FROM {t[Agency]} WHERE id IN ({a_ids})",
        ]
        with transaction.atomic(), connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
    User.objects.filter(username__in=demo_usernames()).delete()
    return len(ids)


def load(*, national: int | None = None, out: Callable[[str], None] = print) -> Loader:
    loader = Loader(out=out)
    out("หน่วยงานจากเอกสารตัวอย่าง (prongsai/demo/)")
    loader.seeds()
    if national:
        out(f"หน่วยงานทั่วประเทศ {national} แห่ง x {len(national_years(random.Random(0)))} ปี")
        loader.generated(
            national_agencies(random.Random(f"national-{national}"), national),
            None,
            national_years,
            chunk=200,
            fast=True,
        )
        loader.overseers(PROVINCES[0])
    else:
        out(f"จังหวัด{PROVINCE}: หน่วยงานสังเคราะห์")
        loader.generated(province_agencies(random.Random("province")), PROVINCE, province_years)
        loader.overseers(PROVINCE)
    if connection.vendor == "postgresql":
        # Planner statistics for the rows just written (autovacuum would take its time: until
        # then the overseer queries are planned for empty tables).
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return loader
