"""Labels of the cycle's data as a person reads them, shared by every app that shows them: the
severity of a finding of the engine and the name of a measurement tool (ITA's IIT, EIT, OIT)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TOOL_ORDER = ("IIT", "EIT", "EIT_1", "EIT_2", "OIT")
SEVERITY_TH = {
    "error": gettext_lazy("ข้อผิดพลาด"),
    "warning": gettext_lazy("ข้อควรตรวจสอบ"),
    "info": gettext_lazy("ข้อสังเกต"),
}


def tool_label(tool: str) -> str:
    """'EIT_1' → 'EIT ส่วนที่ 1' (English: 'EIT part 1')."""
    name, _sep, part = tool.partition("_")
    return _("%(tool)s ส่วนที่ %(part)s") % {"tool": name, "part": part} if part else name
