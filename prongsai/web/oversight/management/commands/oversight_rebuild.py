"""manage.py oversight_rebuild [--year Y ...] [--stale] [--cluster]: the overseer's rows recomputed
from the cycle's data. Whole (after a bulk load or a restore; on PostgreSQL the table is then
clustered and analysed), ``--stale`` only (daily: the rows whose overdue count the calendar has
changed), or ``--cluster`` only (weekly: each year's rows stored together again)."""

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
        parser.add_argument(
            "--cluster", action="store_true", help="PostgreSQL: only store each year's rows together again"
        )

    def handle(self, *args, year=None, stale=False, cluster=False, **options):
        start = time.perf_counter()
        if cluster:
            summary.cluster()
            self.stdout.write(f"clustered in {time.perf_counter() - start:.1f} s")
            return
        if stale:
            n = summary.refresh_stale()
        else:
            n = summary.rebuild(years=year, out=self.stdout.write if options["verbosity"] > 1 else None)
            summary.cluster()  # PostgreSQL: each year's rows together again, and fresh statistics
        self.stdout.write(f"{n} rows in {time.perf_counter() - start:.1f} s")
