"""The public documents of every plan's current approval: how many files are missing, and with
``--rebuild`` the missing ones built here (a deployment upgraded from before they were built
ahead, or after a task failed). Files already stored are left as they are."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from prongsai.web.cycle.models import Approval, Decision
from prongsai.web.public.documents import FORMATS, Approved, is_stored, prebuild


def current_approval_ids() -> list[int]:
    """The newest approving decision of each plan (what its public page shows)."""
    seen: set[int] = set()
    out = []
    rows = (
        Approval.objects.filter(decision=Decision.APPROVED)
        .order_by("plan_id", "-decided_at", "-pk")
        .values_list("pk", "plan_id")
    )
    for pk, plan_id in rows:
        if plan_id not in seen:
            seen.add(plan_id)
            out.append(pk)
    return out


class Command(BaseCommand):
    help = "Count (or with --rebuild, build) the missing public PDF/DOCX files of current approvals."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="build the missing files")

    def handle(self, *args, rebuild: bool = False, **options):
        missing = built = 0
        failed: list[str] = []
        for pk in current_approval_ids():
            approval = Approval.objects.select_related("plan__agency").get(pk=pk)
            if rebuild:
                done = prebuild(approval)
                built += len(done.built)
                failed += [f"approval {pk}: {name}" for name in done.failed]
                if done.built or done.refused or done.failed:
                    plan = approval.plan
                    self.stdout.write(
                        f"{plan.agency.slug} {plan.fiscal_year} (approval {pk}): "
                        f"built {len(done.built)}, cannot be made {len(done.refused)}, "
                        f"failed {len(done.failed)}"
                    )
            else:
                approved = Approved(approval)
                docs = approved.documents.values()
                missing += sum(not is_stored(approved, doc, fmt) for doc in docs for fmt in FORMATS)
        if rebuild:
            self.stdout.write(f"{built} files built, {len(failed)} failed")
            if failed:
                raise CommandError("not built (see the log):\n" + "\n".join(failed))
        else:
            self.stdout.write(f"{missing} files missing (build them with --rebuild)")
