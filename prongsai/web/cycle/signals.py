"""The cycle's events, for whoever needs to hear of them (notifications today). Sent by the code
that performs the action, once its transaction has committed, so a rolled-back action tells
nobody anything. Receivers get the plan and who acted."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

# plan, by (the user who submitted)
plan_submitted = Signal()
# plan, approval (the Approval row: decision, comment, approver), by
plan_decided = Signal()


def submitted(plan, by) -> None:
    """Call inside the submitting transaction: heard after it commits."""
    transaction.on_commit(lambda: plan_submitted.send(sender=type(plan), plan=plan, by=by))


def decided(plan, approval, by) -> None:
    """Call inside the deciding transaction: heard after it commits."""
    transaction.on_commit(lambda: plan_decided.send(sender=type(plan), plan=plan, approval=approval, by=by))
