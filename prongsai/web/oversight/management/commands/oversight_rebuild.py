"""manage.py oversight_rebuild [--year Y ...] [--stale]: the overseer's rows recomputed from the
cycle's data. Whole (after a bulk load or a restore), or ``--stale`` only (daily: the rows whose
overdue count the calendar has changed)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from prongsai.web.oversight import summary


class Command(BaseCommand):
    help = "Recompute the overseer's summary rows (one per agency and fiscal year)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, action="append", help="only this fiscal year (B.E.); repeatable"
        )
        parser.add_argument("--stale", action="store_true", help="only rows a passed due day has changed")

    def handle(self, *args, year=None, stale=False, **options):
        start = time.perf_counter()
        if stale:
            n = summary.refresh_stale()
        else:
            n = summary.rebuild(years=year, out=self.stdout.write if options["verbosity"] > 1 else None)
        self.stdout.write(f"{n} rows in {time.perf_counter() - start:.1f} s")
