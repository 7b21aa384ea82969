"""The import review shows and takes the memo's date in the Buddhist era (issue 12, defect 12):
a draft's ISO date appears as วว/ดด/ปปปป พ.ศ. and what the officer types back is read as B.E."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from prongsai.web.cycle.models import Memo
from prongsai.web.imports.models import ImportJob, JobStatus

pytestmark = pytest.mark.django_db


def test_memo_date_in_the_import_review_is_buddhist_era(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = world["our_plan"]
    draft = {
        "format": "prongsai/1",
        "agency": {"name": "เทศบาลตำบลต้นหยงมัส"},
        "report_fiscal_year": plan.fiscal_year,
        "kinds": ["memo", "progress_report"],
        "memo": {"ref_no": "ตง 52201/778", "date": "2025-10-20", "signers": []},
    }
    job = ImportJob.objects.create(
        agency=world["ours"],
        uploaded_by=world["users"]["editor"],
        file_name="memo.txt",
        size=4,
        data=b"text",
        status=JobStatus.DONE,
        method="text",
        text="บันทึกข้อความ",
        draft=draft,
        finished_at=timezone.now(),
    )
    c = login(world["users"]["editor"])
    review = c.get(reverse("import_review", kwargs={"agency": "tonyongmat", "job": job.pk})).content.decode()
    assert 'value="20/10/2568"' in review and "2025-10-20" not in review
    assert "วว/ดด/ปปปป พ.ศ." in review

    accept = reverse("import_accept", kwargs={"agency": "tonyongmat", "job": job.pk})
    r = c.post(accept, {"memo.ref_no": "ตง 52201/778", "memo.date": "2025/10/21x"})
    assert r.status_code == 400 and "วว/ดด/ปปปป (ปี พ.ศ.)" in r.content.decode()
    r = c.post(accept, {"memo.ref_no": "ตง 52201/778", "memo.date": "๒๑/๑๐/๒๕๖๘"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Memo.objects.get(plan=plan, kind="progress").date == date(2025, 10, 21)
