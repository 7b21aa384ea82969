"""The overseer's rows refreshed in the background (django-tasks: run at once in development and
tests, queued for ``manage.py db_worker`` in deployment)."""

from __future__ import annotations

from django_tasks import task

from prongsai.web.oversight import summary


@task()
def refresh_rows(keys: list[list[int]], plan_ids: list[int], measure_ids: list[int]) -> int:
    return summary.refresh(keys=[tuple(k) for k in keys], plan_ids=plan_ids, measure_ids=measure_ids)


@task()
def refresh_agency(agency_id: int) -> int:
    return summary.refresh_agency(agency_id)


@task()
def refresh_stale() -> int:
    return summary.refresh_stale()


@task()
def rebuild_all() -> int:
    return summary.rebuild()


@task()
def rebuild_year(year: int) -> int:
    return summary.rebuild(years=[year])
