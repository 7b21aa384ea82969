"""The cleanup as a background task (Django's task API), for a scheduler that enqueues tasks
rather than running commands; ``manage.py cleanup`` does the same from a timer."""

from __future__ import annotations

from django_tasks import task

from prongsai.web.housekeeping import cleanup as _cleanup


@task()
def cleanup(dry_run: bool = False) -> dict:
    report = _cleanup.run(dry_run=dry_run)
    return {"count": report.count, "bytes": report.bytes, "lines": report.lines()}
