"""The cycle's events, for whoever needs to hear of them (notifications today). Sent by the code
that performs the action, once its transaction has committed, so a rolled-back action tells
nobody anything, and a receiver that fails is logged without turning the done action into an
error page. Receivers get the plan and who acted."""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)

# plan, by (the user who submitted)
plan_submitted = Signal()
# plan, approval (the Approval row: decision, comment, approver), by
plan_decided = Signal()


def _send(signal: Signal, **kwargs) -> None:
    for receiver, result in signal.send_robust(**kwargs):
        if isinstance(result, Exception):
            log.error("receiver %r of a cycle event failed", receiver, exc_info=result)


def submitted(plan, by) -> None:
    """Call inside the submitting transaction: heard after it commits."""
    transaction.on_commit(lambda: _send(plan_submitted, sender=type(plan), plan=plan, by=by))


def decided(plan, approval, by) -> None:
    """Call inside the deciding transaction: heard after it commits."""
    transaction.on_commit(lambda: _send(plan_decided, sender=type(plan), plan=plan, approval=approval, by=by))
