"""manage.py load_demo [--reset] [--national N]: the demo data of prongsai/web/demo/loader.py."""

from __future__ import annotations

import time
import unicodedata

from django.core.management.base import BaseCommand

from prongsai.web.demo import loader as demo


def _width(text: str) -> int:
    """Columns on a terminal: Thai vowels and tone marks above or below take none."""
    return sum(unicodedata.category(c) not in ("Mn", "Me") for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = (
        "Load the demo data: the five agencies of prongsai/demo/ with their users, a synthetic province of "
        "about 50 agencies (or --national N agencies nationwide), overseers and an admin. "
        "Rerunning changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="remove the demo agencies and users first")
        parser.add_argument(
            "--national", type=int, metavar="N", help="generate N agencies nationwide instead of the province"
        )

    def handle(self, *args, reset: bool = False, national: int | None = None, **options):
        start = time.perf_counter()
        if reset:
            removed = demo.reset()
            self.stdout.write(f"ลบข้อมูลตัวอย่างแล้ว {removed} หน่วยงาน (demo data removed)")
        loader = demo.load(national=national, out=self.stdout.write)
        self.stdout.write(f"\nเสร็จใน {time.perf_counter() - start:.1f} วินาที (done)")
        self.stdout.write("\nเปิด (open) http://127.0.0.1:8000/\n")
        rows = [("บทบาท (role)", "ชื่อผู้ใช้ (username)", "รหัสผ่าน (password)"), *loader.logins]
        width = [max(_width(r[i]) for r in rows) for i in range(3)]
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(_pad(cell, width[i]) for i, cell in enumerate(row)).rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in width))
