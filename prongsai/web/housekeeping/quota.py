"""Storage each agency may use (``settings.PRONGSAI_AGENCY_QUOTA_BYTES``, 2 GB unless set): its
evidence files as stored plus the uploaded files its report and score imports keep in the
database. An evidence upload or a report upload that would go over it is refused with a Thai
message naming the quota and what is used; the agency's settings page shows both."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Sum
from django.db.models.functions import Length
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Usage:
    evidence: int
    imports: int
    quota: int

    @property
    def used(self) -> int:
        return self.evidence + self.imports

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.used / self.quota)) if self.quota else 0


def _file_size(name: str) -> int:
    try:
        return default_storage.size(name)
    except OSError:  # named by a row but missing: takes no space
        return 0


def usage(agency) -> Usage:
    from prongsai.web.cycle.models import Evidence
    from prongsai.web.imports.models import ImportJob, ScoreImport

    names = set(
        Evidence.objects.filter(measure__plan__agency=agency).exclude(file="").values_list("file", flat=True)
    )
    if agency.emblem:
        names.add(agency.emblem.name)
    evidence = sum(_file_size(n) for n in names)
    imports = 0
    for model in (ImportJob, ScoreImport):
        total = model.objects.filter(agency=agency).aggregate(n=Sum(Length("data")))["n"]
        imports += int(total or 0)
    return Usage(evidence, imports, settings.PRONGSAI_AGENCY_QUOTA_BYTES)


def refusal(agency, incoming: int) -> str:
    """The Thai message refusing ``incoming`` more bytes for ``agency``, or "" when they fit."""
    use = usage(agency)
    if use.used + max(0, incoming) <= use.quota:
        return ""
    return _(
        "พื้นที่จัดเก็บไฟล์ของหน่วยงานไม่พอ: ใช้ไปแล้ว %(used)s จากโควตา %(quota)s "
        "ไฟล์นี้มีขนาด %(size)s กรุณาลบหลักฐานหรืองานนำเข้าที่ไม่ใช้แล้ว หรือติดต่อผู้ดูแลระบบเพื่อขยายโควตา"
    ) % {
        "used": filesizeformat(use.used),
        "quota": filesizeformat(use.quota),
        "size": filesizeformat(incoming),
    }


def check(agency, incoming: int) -> None:
    """Raise a ValidationError (code ``quota``) when ``incoming`` bytes do not fit."""
    if message := refusal(agency, incoming):
        raise ValidationError(message, code="quota")
