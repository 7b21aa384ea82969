"""``manage.py cleanup [--dry-run]``: the retention policy applied once (prongsai/web/housekeeping/
cleanup.py), printing what it removed. Run daily (docs/deploy.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from prongsai.web.housekeeping import cleanup


class Command(BaseCommand):
    help = (
        "Drop expired import files and drafts, old score uploads, orphan stored files and stale temp uploads."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would be removed, change nothing"
        )

    def handle(self, *args, dry_run: bool = False, **opts):
        report = cleanup.run(dry_run=dry_run)
        for line in report.lines():
            self.stdout.write(line)
