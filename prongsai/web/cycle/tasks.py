"""Background work of the cycle, through Django's task API (the django-tasks backport on 5.2):
run at once by the development backend, queued for ``manage.py db_worker`` in deployment."""

from __future__ import annotations

from django_tasks import task

from prongsai.web.cycle import links
from prongsai.web.cycle.models import LinkCheck, Plan


@task()
def check_links(check_id: int) -> None:
    """Check every link of a plan; progress is written on the LinkCheck row as it goes."""
    links.run_check(check_id)


def start_check(plan: Plan) -> LinkCheck:
    """Create a link check and hand it to the task queue (run at once by the development backend).
    Here, not in links.py: the task imports links, links knows nothing of the queue."""
    check = LinkCheck.objects.create(plan=plan)
    check_links.enqueue(check.pk)
    check.refresh_from_db()
    return check
