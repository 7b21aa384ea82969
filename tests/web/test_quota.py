"""The per-agency storage quota (issue 11, item 8): evidence files and import uploads are counted;
an upload that would go over is refused in Thai, naming the quota and the use; the agency's
settings page shows both. Another agency's use does not count."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prongsai.web.cycle.models import Evidence
from prongsai.web.housekeeping.quota import usage
from prongsai.web.imports.models import ImportJob, JobStatus, ScoreImport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_quota(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRONGSAI_AGENCY_QUOTA_BYTES = 2000


def _add_evidence(client, world, m, size: int, name="บันทึก.txt"):
    return client.post(
        reverse("evidence_add", kwargs={"agency": world["ours"].slug, "measure": m.pk}),
        {
            "file": SimpleUploadedFile(name, "ก".encode() * (size // 3), content_type="text/plain"),
            "caption": "หลักฐาน",
            "added_on": "15/01/2569",
        },
    )


def test_evidence_over_the_quota_is_refused_with_the_quota_and_the_use(world, login):
    client = login(world["users"]["editor"])
    m = world["our_plan"].measures.order_by("position", "pk").first()
    r = _add_evidence(client, world, m, 1200)
    assert r.status_code == 302
    assert usage(world["ours"]).evidence == 1200
    r = _add_evidence(client, world, m, 900, name="อีกไฟล์.txt")
    assert r.status_code == 400
    page = r.content.decode()
    assert "พื้นที่จัดเก็บไฟล์ของหน่วยงานไม่พอ" in page
    assert "ใช้ไปแล้ว 1.2\xa0KB จากโควตา 2.0\xa0KB" in page  # what is used, and the quota
    assert Evidence.objects.filter(measure=m, kind="file").count() == 1
    # Within what is left: accepted.
    assert _add_evidence(client, world, m, 600, name="เล็ก.txt").status_code == 302


def test_import_uploads_count_and_a_report_over_the_quota_fails_in_thai(world, login):
    ours, theirs = world["ours"], world["theirs"]
    editor = world["users"]["editor"]
    ScoreImport.objects.create(
        token="c" * 32, agency=ours, uploaded_by=editor, file_name="s.csv", data=b"x" * 500
    )
    # Another agency's files take none of ours.
    ImportJob.objects.create(
        agency=theirs, uploaded_by=editor, file_name="t.txt", size=5000, data=b"y" * 5000
    )
    assert usage(ours).used == 500 and usage(ours).imports == 500
    client = login(editor)
    r = client.post(
        reverse("import_upload", kwargs={"agency": ours.slug}),
        {"files": [SimpleUploadedFile("รายงาน.txt", b"z" * 1600, content_type="text/plain")]},
    )
    assert r.status_code == 302
    job = ImportJob.objects.filter(agency=ours).get()
    assert job.status == JobStatus.FAILED and job.error_code == "quota"
    assert "โควตา" in job.error_th and bytes(job.data) == b""
    page = client.get(reverse("import_upload", kwargs={"agency": ours.slug})).content.decode()
    assert "พื้นที่จัดเก็บไฟล์ของหน่วยงานไม่พอ" in page


def test_the_settings_page_shows_use_and_quota(world, login, settings):
    settings.PRONGSAI_AGENCY_QUOTA_BYTES = 2 * 1024**3
    editor = world["users"]["editor"]
    ScoreImport.objects.create(
        token="d" * 32,
        agency=world["ours"],
        uploaded_by=editor,
        file_name="s.csv",
        data=b"x" * 3 * 1024 * 1024,
    )
    page = login(world["users"]["viewer"]).get(
        reverse("agency_settings", kwargs={"agency": world["ours"].slug})
    )
    html = page.content.decode()
    assert page.status_code == 200 and html.count('id="storage"') == 1
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "ตั้งค่าหน่วยงาน" in title, title  # the card once, in the page body
    assert "3.0" in html and "2.0" in html  # 3.0 MB used of 2.0 GB
    assert 'id="storage-use" max="100" value="0"' in html
