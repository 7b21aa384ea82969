"""The daily round: remind the people responsible for each overdue measure (a dashboard
notification, once per measure), then send each person one e-mail with what is new since their
last digest and what of theirs is overdue. Run by ``manage.py send_digest`` (cron or a systemd
timer, docs/deploy.md) or the ``send_daily_digest`` task."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from prongsai.thai.dates import fiscal_year_of, thai_date
from prongsai.web.agencies.access import Action, members_who
from prongsai.web.agencies.models import Membership, Role
from prongsai.web.cycle.models import Measure, MeasureStatus, Plan
from prongsai.web.notify import mail
from prongsai.web.notify.events import notify
from prongsai.web.notify.models import Kind, Notification, Preference

log = logging.getLogger(__name__)


def plans_under_way(today=None):
    """Each agency's plan whose measures are being carried out: its newest plan not later than the
    current fiscal year. Not simply the newest: next year's plan is drafted in August or
    September, while this year's measures still run."""
    year = fiscal_year_of(today or timezone.localdate())
    newest = (
        Plan.objects.filter(agency=OuterRef("agency"), fiscal_year__lte=year)
        .order_by("-fiscal_year")
        .values("pk")[:1]
    )
    return Plan.objects.filter(pk=Subquery(newest))


def overdue_measures(agency_ids=None) -> list[Measure]:
    """Unfinished measures of the plans under way that are past their end (the measure's own
    ``overdue`` check decides, periods written as text included)."""
    plans = plans_under_way()
    if agency_ids is not None:
        plans = plans.filter(agency_id__in=agency_ids)
    candidates = (
        Measure.objects.filter(plan__in=plans)
        .exclude(status=MeasureStatus.DONE)
        .select_related("plan__agency")
        .prefetch_related("units")
        .order_by("plan__agency_id", "position", "pk")
    )
    return [m for m in candidates if m.overdue]


def _period(m: Measure) -> str:
    if m.period:
        return m.period
    return thai_date(m.period_end) if m.period_end else ""


def responsible_users(m: Measure):
    """The agency's editors and the contributors of the measure's units (editors only when the
    measure names no unit)."""
    units = list(m.units.all())
    if not units:
        return members_who(m.plan.agency_id, Action.EDIT)
    users = members_who(m.plan.agency_id, Action.UPDATE_MEASURE, unit=units[0])
    for u in units[1:]:
        users = users | members_who(m.plan.agency_id, Action.UPDATE_MEASURE, unit=u)
    return users.distinct()


def remind_overdue(measures: list[Measure]) -> int:
    made = 0
    for m in measures:
        link = mail.path("measure_progress", agency=m.plan.agency.slug, measure=m.pk)
        params = {"title": m.title[:120], "period": _period(m)}
        made += len(
            notify(
                responsible_users(m),
                agency=m.plan.agency,
                kind=Kind.OVERDUE,
                params=params,
                link=link,
                key=f"overdue:{m.pk}",
            )
        )
    return made


@dataclass
class Digest:
    user: object
    new: list[Notification] = field(default_factory=list)
    overdue: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.new and not self.overdue


def digest_for(user, overdue: list[Measure]) -> Digest:
    """What is new for ``user`` (not yet e-mailed, not read) and which overdue measures are theirs:
    all of an agency where they are its editor, their unit's where they report for a unit."""
    d = Digest(user)
    d.new = list(
        Notification.objects.for_user(user)
        .unread()
        .filter(emailed__isnull=True)
        .exclude(kind=Kind.OVERDUE)
        .select_related("agency")
        .order_by("created")
    )
    roles = {m.agency_id: m for m in Membership.objects.filter(user=user)}
    for m in overdue:
        ms = roles.get(m.plan.agency_id)
        if ms is None:
            continue
        mine = ms.role == Role.EDITOR or (
            ms.role == Role.CONTRIBUTOR and ms.unit_id in {u.pk for u in m.units.all()}
        )
        if mine:
            d.overdue.append(
                {
                    "agency": m.plan.agency.name,
                    "title": m.title,
                    "period": _period(m),
                    "link": mail.absolute(
                        mail.path("measure_progress", agency=m.plan.agency.slug, measure=m.pk)
                    ),
                }
            )
    return d


def send_digests(now=None) -> dict[str, int]:
    """The whole daily round; returns counts for the command's report."""
    now = now or timezone.now()
    overdue = overdue_measures()
    reminded = remind_overdue(overdue)
    sent = 0
    users = (
        get_user_model()
        .objects.filter(is_active=True, memberships__isnull=False)
        .exclude(email="")
        .distinct()
    )
    for user in users:
        if not Preference.wants_email(user):
            continue
        d = digest_for(user, overdue)
        if d.empty:
            continue
        context = {
            "user": user,
            "new": [{"text": n.text, "link": mail.absolute(n.link)} for n in d.new],
            "overdue": d.overdue,
            "date": thai_date(timezone.localdate(now)),
            "settings_link": mail.absolute(mail.path("notifications")),
        }
        try:
            ok = mail.send(user.email, "digest", context)
        except Exception:  # one unreachable mailbox must not stop everyone else's digest
            log.exception("digest to user %s failed", user.pk)
            continue
        if ok:
            sent += 1
            Notification.objects.filter(pk__in=[n.pk for n in d.new]).update(emailed=now)
            Preference.objects.update_or_create(user=user, defaults={"last_digest": now})
    return {"reminded": reminded, "sent": sent}
