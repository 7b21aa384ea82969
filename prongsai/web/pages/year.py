"""The year page: one fiscal year of an agency's ITA cycle as steps, from the ITA scores the year
answers to the public page, each with its state, who acts next and the one next action the
user's role allows; and the list of the agency's years that leads to each.

A year is the plan's fiscal year (as every document and the public page name it): the plan of
2569 answers the ITA result of 2568, so the scores and analysis steps show the year before.
The progress step names the two reports the OIT asks for during the year: the six-month report
(status as of 31 March, the half-year; earlier editions' items are named "รอบ 6 เดือน") and the
year's report (as of 30 September), with the edition's OIT item. The dates by which NACC checks
them are not confirmed (research/ita-facts.md: calendar unknown), so no deadline is shown.

Nothing here decides access (``access.can``) or computes a score (the stored engine view)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prongsai.thai.dates import be_to_ce, fiscal_year_bounds, fiscal_year_of, thai_date
from prongsai.web.agencies.access import Action, agency_for, can, membership
from prongsai.web.agencies.models import Role
from prongsai.web.cycle import actions
from prongsai.web.cycle.models import Assessment, MeasureStatus, MemoKind, Plan, PlanStatus, ProgressEntry
from prongsai.web.pages.results_common import edition_or_none, level_label, num
from prongsai.web.public.views import latest_approval

# Oldest and newest years a year page exists for: the ITA started in 2556; a page more than two
# years ahead of today is a typing slip, not a plan.
FIRST_YEAR = 2556
YEARS_AHEAD = 2

DONE, ACTIVE, WAITING, NOT_STARTED = "done", "active", "waiting", "not_started"
STATE_LABELS = {
    DONE: gettext_lazy("เสร็จแล้ว"),
    ACTIVE: gettext_lazy("อยู่ระหว่างดำเนินการ"),
    WAITING: gettext_lazy("รอขั้นก่อนหน้า"),
    NOT_STARTED: gettext_lazy("ยังไม่เริ่ม"),
}
ROLE_LABELS = {
    Role.EDITOR: gettext_lazy("ผู้จัดทำ"),
    Role.CONTRIBUTOR: gettext_lazy("ผู้รายงานของส่วนราชการ"),
    Role.APPROVER: gettext_lazy("ผู้บริหาร (ผู้อนุมัติ)"),
}


@dataclass
class Link:
    label: str
    url: str
    primary: bool = False


@dataclass
class Step:
    key: str
    title: str
    help: str
    state: str = NOT_STARTED
    detail: str = ""
    actor: str = ""  # the role that acts next, blank when nobody needs to
    links: list[Link] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


def reports_due(year: int) -> list[dict]:
    """The reports NACC's OIT asks for during fiscal year ``year``: the six-month report (as of
    31 March) and the year's report (as of 30 September, the fiscal year's last day)."""
    _start, end = fiscal_year_bounds(year)
    half = date(be_to_ce(year), 3, 31)
    return [
        {"label": _("รายงานรอบ 6 เดือน"), "as_of": half, "as_of_th": thai_date(half)},
        {"label": _("รายงานผลการดำเนินงานประจำปี"), "as_of": end, "as_of_th": thai_date(end)},
    ]


def _url(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs)


class YearSteps:
    """The seven steps of one agency's fiscal year, as ``user`` may act on them."""

    def __init__(self, user, agency, year: int, today: date | None = None):
        self.user, self.agency, self.year = user, agency, year
        self.assessed = year - 1
        self.today = today or timezone.localdate()
        self.can_edit = can(user, Action.EDIT, agency)
        self.can_submit = can(user, Action.SUBMIT, agency)
        self.can_approve = can(user, Action.APPROVE, agency)
        self.can_update = can(user, Action.UPDATE_MEASURE, agency)
        m = membership(user, agency)
        self.role = Role(m.role) if m else (Role.EDITOR if user.is_superuser else None)
        self.assessment = Assessment.objects.filter(agency=agency, fiscal_year=self.assessed).first()
        self.plan = Plan.objects.filter(agency=agency, fiscal_year=year).first()
        self.approval = latest_approval(agency, year)

    def _slug(self) -> str:
        return self.agency.slug

    # ---- one method per step, in the cycle's order -----------------------------------------

    def scores(self) -> Step:
        a = self.assessment
        step = Step(
            "scores",
            _("ผลการประเมิน ITA ปี %(y)s") % {"y": self.assessed},
            _(
                "กรอกคะแนนที่ สำนักงาน ป.ป.ช. ประกาศ (ภาพรวม แบบวัด ตัวชี้วัด หรือรายข้อ) "
                "ระบบคำนวณซ้ำและแจ้งตัวเลขที่ไม่ตรงกัน"
            ),
        )
        if a is not None:
            step.state = DONE
            level = level_label(a.level, a.fiscal_year)
            step.detail = _("คะแนนภาพรวม %(o)s ระดับ %(l)s") % {"o": num(a.overall), "l": level}
            label = _("แก้ไขคะแนน") if self.can_edit else _("ดูคะแนน")
            step.links.append(Link(label, _url("scores_edit", agency=self._slug(), year=self.assessed)))
        else:
            step.actor = str(ROLE_LABELS[Role.EDITOR])
            if self.can_edit:
                step.links.append(
                    Link(
                        _("กรอกผลการประเมินปี %(y)s") % {"y": self.assessed},
                        _url("scores_edit", agency=self._slug(), year=self.assessed),
                        primary=True,
                    )
                )
                step.links.append(Link(_("นำเข้าจากไฟล์"), _url("scores_import", agency=self._slug())))
        return step

    def analysis(self) -> Step:
        step = Step(
            "analysis",
            _("วิเคราะห์ผลการประเมินปี %(y)s") % {"y": self.assessed},
            _(
                "ระบบเปรียบเทียบกับปีก่อน จัดลำดับตัวชี้วัดที่ควรพัฒนา และร่างคำอธิบายรายตัวชี้วัด "
                "ผู้จัดทำตรวจทานและแก้ไขคำอธิบายได้ก่อนดาวน์โหลดรายงาน"
            ),
        )
        if self.assessment is None:
            step.state = WAITING
            return step
        written = sum(1 for v in (self.assessment.narratives or {}).values() if str(v).strip())
        step.state = DONE if (written or self.plan is not None) else ACTIVE
        if step.state == ACTIVE:
            step.actor = str(ROLE_LABELS[Role.EDITOR])
        step.detail = _("แก้ไขคำอธิบายแล้ว %(n)s ตัวชี้วัด") % {"n": written} if written else _("ใช้คำอธิบายที่ระบบร่าง")
        slug, y = self._slug(), self.assessed
        step.links += [
            Link(_("เปิดผลการวิเคราะห์"), _url("analysis", agency=slug, year=y), step.state == ACTIVE),
            Link(_("ดาวน์โหลดรายงาน PDF"), _url("analysis_download", agency=slug, year=y, fmt="pdf")),
            Link(_("DOCX (แก้ไขได้)"), _url("analysis_download", agency=slug, year=y, fmt="docx")),
        ]
        return step

    def plan_step(self) -> Step:
        step = Step(
            "plan",
            _("แผนมาตรการปีงบประมาณ %(y)s") % {"y": self.year},
            _(
                "ร่างมาตรการจากผลการวิเคราะห์ให้ครอบคลุมทั้ง 10 ตัวชี้วัด แต่ละมาตรการมีขั้นตอน "
                "ระยะเวลา และผู้รับผิดชอบ แล้วแก้ไขได้ทุกรายการ"
            ),
        )
        slug = self._slug()
        plan = self.plan
        if plan is None:
            step.state = NOT_STARTED if self.assessment is not None else WAITING
            step.actor = str(ROLE_LABELS[Role.EDITOR])
            if self.can_edit:
                step.links.append(
                    Link(
                        _("ร่างแผนปี %(y)s จากผลการวิเคราะห์") % {"y": self.year},
                        _url("plan_create", agency=slug, year=self.year),
                        primary=True,
                    )
                )
                if Plan.objects.filter(agency=self.agency, fiscal_year=self.year - 1).exists():
                    step.links.append(
                        Link(
                            _("เริ่มจากแผนปี %(y)s") % {"y": self.year - 1},
                            _url("plan_next_year", agency=slug, year=self.year - 1),
                        )
                    )
            return step
        n = plan.measures.count()
        step.detail = _("%(n)s มาตรการ · สถานะแผน: %(s)s · ฉบับที่ %(v)s") % {
            "n": n,
            "s": plan.get_status_display(),
            "v": plan.content_version,
        }
        editing = plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)
        step.state = ACTIVE if editing else DONE
        if editing:
            step.actor = str(ROLE_LABELS[Role.EDITOR])
        step.links.append(
            Link(
                _("แก้ไขแผนมาตรการ") if self.can_edit and editing else _("เปิดแผนมาตรการ"),
                _url("plan_detail", agency=slug, year=self.year),
                primary=self.can_edit and editing,
            )
        )
        return step

    def progress(self) -> Step:
        reports = reports_due(self.year)
        step = Step(
            "progress",
            _("ติดตามและรายงานผลการดำเนินงาน"),
            _(
                "ผู้รับผิดชอบแต่ละมาตรการบันทึกสถานะ ผลการดำเนินงาน และหลักฐานระหว่างปี "
                "ระบบรวมเป็นรายงานรอบ 6 เดือน และรายงานประจำปีให้เผยแพร่ตามเกณฑ์ OIT"
            ),
        )
        edition = edition_or_none(self.year)
        item = edition.document_items.progress_report.item if edition else None
        for r in reports:
            late = r["as_of"] < self.today
            note = _("%(label)s: ข้อมูล ณ %(date)s") % {"label": r["label"], "date": r["as_of_th"]}
            if late:
                note += " " + _("(ถึงกำหนดแล้ว)")
            step.notes.append(note)
        if item:
            step.notes.append(_("เผยแพร่ตามข้อ %(item)s ของเกณฑ์ปี %(y)s") % {"item": item, "y": self.year})
        if self.plan is None:
            step.state = WAITING
            return step
        counts = dict(self.plan.measures.values_list("status").annotate(n=Count("pk")))
        total, done = sum(counts.values()), counts.get(MeasureStatus.DONE, 0)
        reported = ProgressEntry.objects.filter(measure__plan=self.plan).exists()
        if total and done == total:
            step.state = DONE
        elif reported or counts.get(MeasureStatus.IN_PROGRESS):
            step.state = ACTIVE
        else:
            step.state = NOT_STARTED if self.plan.status == PlanStatus.APPROVED else WAITING
        if step.state != DONE:
            step.actor = str(ROLE_LABELS[Role.CONTRIBUTOR])
        step.detail = _("เสร็จแล้ว %(d)s จาก %(t)s มาตรการ") % {"d": done, "t": total}
        slug = self._slug()
        if self.can_update:
            step.links.append(
                Link(
                    _("บันทึกความก้าวหน้ามาตรการ"),
                    _url("plan_detail", agency=slug, year=self.year) + "#measures",
                    primary=step.state in (ACTIVE, NOT_STARTED) and not self.can_edit,
                )
            )
        if total:
            url = _url("document_download", agency=slug, year=self.year, kind="progress", fmt="pdf")
            step.links.append(Link(_("ดาวน์โหลดรายงานความก้าวหน้า PDF"), url))
        return step

    def memo(self) -> Step:
        step = Step(
            "memo",
            _("บันทึกข้อความเสนอผู้บริหาร"),
            _("กรอกส่วนราชการ เลขที่ วันที่ และผู้ลงนาม ระบบจัดทำบันทึกข้อความแนบรายงาน ตามรูปแบบหนังสือราชการ"),
        )
        if self.plan is None:
            step.state = WAITING
            return step
        kinds = dict(MemoKind.choices)
        written = list(self.plan.memos.values_list("kind", flat=True))
        step.state = DONE if MemoKind.PLAN in written else NOT_STARTED
        if written:
            step.detail = _("มีบันทึกข้อความ: %(k)s") % {"k": ", ".join(str(kinds[k]) for k in written)}
        if step.state != DONE:
            step.actor = str(ROLE_LABELS[Role.EDITOR])
        slug = self._slug()
        if self.can_edit:
            for kind in (MemoKind.PLAN, MemoKind.PROGRESS):
                step.links.append(
                    Link(
                        _("บันทึกข้อความ: %(k)s") % {"k": kinds[kind]},
                        _url("memo_edit", agency=slug, year=self.year, kind=kind),
                        primary=kind == MemoKind.PLAN and step.state != DONE,
                    )
                )
        return step

    def approval_step(self) -> Step:
        step = Step(
            "approval",
            _("เสนอและอนุมัติแผน"),
            _("ผู้จัดทำเสนอแผนเมื่อตรวจลิงก์หลักฐานแล้ว ผู้บริหารอนุมัติหรือส่งกลับพร้อมความเห็น ทุกการแก้ไขหลังอนุมัติต้องเสนออนุมัติใหม่"),
        )
        plan = self.plan
        if plan is None:
            step.state = WAITING
            return step
        url = _url("plan_detail", agency=self._slug(), year=self.year) + "#approval"
        if plan.approval_current and actions.progress_since_approval(plan):
            # Progress is not an edit of the plan, but only what was approved is public.
            step.state = ACTIVE
            step.actor = str(ROLE_LABELS[Role.EDITOR])
            step.detail = _("มีความก้าวหน้าใหม่หลังการอนุมัติ เสนออนุมัติอีกครั้งเพื่อเผยแพร่")
            if self.can_submit:
                step.links.append(Link(_("เสนออนุมัติรายงานความก้าวหน้า"), url, primary=True))
        elif plan.approval_current:
            step.state = DONE
            step.detail = _("อนุมัติฉบับที่ %(v)s แล้ว") % {"v": plan.approved_version}
            step.links.append(Link(_("ดูประวัติการอนุมัติ"), url))
        elif plan.status == PlanStatus.SUBMITTED:
            step.state = ACTIVE
            step.actor = str(ROLE_LABELS[Role.APPROVER])
            step.detail = _("เสนออนุมัติฉบับที่ %(v)s แล้ว รอผู้บริหารพิจารณา") % {"v": plan.content_version}
            if self.can_approve:
                step.links.append(Link(_("พิจารณาอนุมัติ"), url, primary=True))
        else:
            step.state = NOT_STARTED
            step.actor = str(ROLE_LABELS[Role.EDITOR])
            if plan.status == PlanStatus.RETURNED:
                step.state = ACTIVE
                step.detail = _("ผู้บริหารส่งกลับแก้ไข: %(c)s") % {"c": plan.return_comment or "–"}
            elif self.approval is not None:
                step.detail = _("แผนแก้ไขหลังอนุมัติ ต้องเสนออนุมัติใหม่")
            if self.can_submit:
                step.links.append(Link(_("เสนออนุมัติแผน"), url, primary=True))
        return step

    def published(self) -> Step:
        step = Step(
            "published",
            _("เผยแพร่ต่อสาธารณะ"),
            _("เมื่ออนุมัติแล้ว หน้าสาธารณะแสดงแผนและรายงานฉบับที่อนุมัติ นำลิงก์ไปวางบนเว็บไซต์หน่วยงานตามข้อ OIT ก่อนกำหนดส่ง"),
        )
        if self.approval is None:
            step.state = WAITING
            return step
        step.state = DONE
        step.detail = _("ฉบับที่อนุมัติเมื่อ %(d)s") % {
            "d": thai_date(timezone.localtime(self.approval.decided_at).date())
        }
        step.links.append(Link(_("เปิดหน้าสาธารณะ"), _url("public_year", agency=self._slug(), year=self.year)))
        return step

    def all(self) -> list[Step]:
        return [
            self.scores(),
            self.analysis(),
            self.plan_step(),
            self.progress(),
            self.memo(),
            self.approval_step(),
            self.published(),
        ]


def year_in_range(year: int, today: date | None = None) -> bool:
    return FIRST_YEAR <= year <= fiscal_year_of(today or timezone.localdate()) + YEARS_AHEAD


def agency_years(agency) -> list[int]:
    """Every fiscal year the agency has something for (a plan, or scores that a plan answers),
    newest first, and the next year after its newest scores (the plan to draft next)."""
    plan_years = set(agency.plans.values_list("fiscal_year", flat=True))
    scored = set(agency.assessments.values_list("fiscal_year", flat=True))
    years = plan_years | {y + 1 for y in scored}
    return sorted(years, reverse=True)


@login_required
def year_page(request, agency: str, year: int):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    ag = agency_for(request.user, agency)
    if not year_in_range(year):
        raise Http404
    years = agency_years(ag)
    steps = YearSteps(request.user, ag, year)
    rows = steps.all()
    upcoming = next((s for s in rows if s.state != DONE), None)
    return render(
        request,
        "pages/year.html",
        {
            "agency": ag,
            "year": year,
            "assessed": year - 1,
            "steps": rows,
            "next_step": upcoming,
            "plan": steps.plan,
            "years": years,
            "previous_year": year - 1 if year - 1 in years else None,
            "next_year": year + 1 if year + 1 in years else None,
            "role": str(ROLE_LABELS.get(steps.role, _("ผู้อ่าน"))) if steps.role else "",
        },
    )


@login_required
def years_list(request, agency: str):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    ag = agency_for(request.user, agency)
    years = agency_years(ag)
    plans = {
        p.fiscal_year: p
        for p in ag.plans.annotate(
            n=Count("measures"), done=Count("measures", filter=Q(measures__status=MeasureStatus.DONE))
        )
    }
    scored = {a.fiscal_year: a for a in ag.assessments.all()}
    rows = []
    for y in years:
        p, a = plans.get(y), scored.get(y - 1)
        rows.append(
            {
                "year": y,
                "assessed": y - 1,
                "overall": num(a.overall) if a else "–",
                "level": level_label(a.level, a.fiscal_year) if a else "–",
                "plan_status": p.get_status_display() if p else _("ยังไม่มีแผน"),
                "plan_value": p.status if p else "none",
                "measures": p.n if p else 0,
                "done": p.done if p else 0,
            }
        )
    return render(
        request,
        "pages/years.html",
        {"agency": ag, "rows": rows, "can_edit": can(request.user, Action.EDIT, ag)},
    )
