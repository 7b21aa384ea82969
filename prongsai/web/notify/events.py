"""Notifications made from the cycle's events (``prongsai.web.cycle.signals``): the approver hears
that a plan waits; the editors that it was returned or approved. Whoever acted is not told of their
own action. E-mails leave through a background task, never inside the request."""

from __future__ import annotations

import logging

from django.utils import translation

from prongsai.web.agencies.access import Action, members_who
from prongsai.web.cycle import signals
from prongsai.web.cycle.models import Decision
from prongsai.web.notify.mail import path
from prongsai.web.notify.models import MESSAGES, Kind, Notification

log = logging.getLogger(__name__)


def notify(users, *, agency, kind: Kind, params: dict, link: str = "", key: str = "") -> list[Notification]:
    """One notification per user (once per ``key`` when given), e-mailed to those who want it."""
    with translation.override("th"):
        text = str(MESSAGES[kind]) % params
    made = []
    for user in users:
        if key and Notification.objects.filter(recipient=user, key=key).exists():
            continue
        made.append(
            Notification.objects.create(
                recipient=user, agency=agency, kind=kind, text=text, params=params, link=link, key=key
            )
        )
    if kind != Kind.OVERDUE:  # overdue reminders go in the daily digest only
        for n in made:
            _enqueue_email(n.pk)
    return made


def _enqueue_email(notification_id: int) -> None:
    from prongsai.web.notify.tasks import email_notification

    try:
        email_notification.enqueue(notification_id)
    except Exception:  # the queue being down must not undo the action that was taken
        log.exception("could not enqueue the e-mail of notification %s", notification_id)


def _plan_link(plan) -> str:
    return path("plan_detail", agency=plan.agency.slug, year=plan.fiscal_year)


def _others(users, by):
    return users.exclude(pk=by.pk) if by is not None and by.pk else users


def on_submitted(sender, plan, by=None, **kwargs) -> None:
    params = {"agency": plan.agency.name, "year": plan.fiscal_year, "version": plan.content_version}
    approvers = _others(members_who(plan.agency, Action.APPROVE), by)
    notify(approvers, agency=plan.agency, kind=Kind.PLAN_SUBMITTED, params=params, link=_plan_link(plan))


def on_decided(sender, plan, approval, by=None, **kwargs) -> None:
    approved = approval.decision == Decision.APPROVED
    params = {"agency": plan.agency.name, "year": plan.fiscal_year, "version": approval.version}
    if not approved:
        params["comment"] = approval.comment or "-"
    editors = _others(members_who(plan.agency, Action.SUBMIT), by)
    kind = Kind.PLAN_APPROVED if approved else Kind.PLAN_RETURNED
    notify(editors, agency=plan.agency, kind=kind, params=params, link=_plan_link(plan))


def connect() -> None:
    signals.plan_submitted.connect(on_submitted, dispatch_uid="notify.plan_submitted")
    signals.plan_decided.connect(on_decided, dispatch_uid="notify.plan_decided")
