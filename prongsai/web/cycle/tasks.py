"""Background work of the cycle, through Django's task API (the django-tasks backport on 5.2):
run at once by the development backend, queued for ``manage.py db_worker`` in deployment."""

from __future__ import annotations

from django_tasks import task

from prongsai.web.cycle import links


@task()
def check_links(check_id: int) -> None:
    """Check every link of a plan; progress is written on the LinkCheck row as it goes."""
    links.run_check(check_id)
