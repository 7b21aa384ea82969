"""What a column of a score file (or a key of the one-value-a-row layout) can map to, and its label:
shared by the score import (``pages.score_import``) and the imports app's pages."""

from __future__ import annotations

from django.utils.translation import gettext as _

from prongsai.ita.edition import all_editions, nearest_edition
from prongsai.web.cycle.labels import TOOL_ORDER, tool_label


def targets() -> list[tuple[str, str]]:
    """Every choice of the mapping step: value and Thai label."""
    out = [
        ("", _("— ไม่นำเข้า —")),
        ("year", _("ปีงบประมาณ (พ.ศ.)")),
        ("edition", _("เกณฑ์การประเมินปี")),
        ("overall", _("คะแนนภาพรวม")),
        ("level", _("ระดับผลการประเมิน")),
    ]
    out += [(f"tools.{t}", _("แบบวัด %(tool)s") % {"tool": tool_label(t)}) for t in TOOL_ORDER]
    names = {i.id: i.name_th for i in nearest_edition(max(all_editions())).indicators}
    out += [
        (f"indicators.{n}", _("ตัวชี้วัดที่ %(n)s %(name)s") % {"n": n, "name": names[n]}) for n in range(1, 11)
    ]
    out += [(f"items.{i}", _("ข้อ %(item)s") % {"item": i}) for i in all_item_ids()]
    out += [("key", _("ชื่อรายการ (แบบแถวละหนึ่งค่า)")), ("value", _("ค่า (แบบแถวละหนึ่งค่า)"))]
    return out


def all_item_ids() -> list[str]:
    ids = {i for ed in all_editions().values() for i in ed.item_by_id}
    return sorted(ids, key=lambda i: ("ieo".find(i[0]), int(i[1:])))


def label(target: str) -> str:
    """The Thai label of a score target (``overall``, ``tools.OIT``, ``indicators.3``, ``items.o16``)."""
    return dict(targets()).get(target, target)
