"""Notification e-mails through Django's task API (run at once in development, queued for
``manage.py db_worker`` in deployment)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from prongsai.web.notify import digest, mail
from prongsai.web.notify.models import Notification, Preference


@task()
def email_notification(notification_id: int) -> bool:
    """The e-mail of one event, unless the person turned e-mails off or has no address."""
    n = Notification.objects.select_related("recipient", "agency").filter(pk=notification_id).first()
    if n is None or n.emailed or not Preference.wants_email(n.recipient):
        return False
    context = {
        "user": n.recipient,
        "notification": n,
        "kind": n.get_kind_display(),
        "link": mail.absolute(n.link),
        "settings_link": mail.absolute(mail.path("notifications")),
    }
    if mail.send(n.recipient.email, "event", context):
        Notification.objects.filter(pk=n.pk).update(emailed=timezone.now())
        return True
    return False


@task()
def send_daily_digest() -> dict[str, int]:
    return digest.send_digests()


@task()
def email_invitation(invitation_id: int, site_url: str, inviter: str) -> bool:
    """An invitation's e-mail, sent by the worker (never inside the request that made it). The link
    carries the invitation's current nonce: a re-sent invitation's older e-mail no longer works."""
    from prongsai.web.agencies import invitations
    from prongsai.web.agencies.models import Invitation

    inv = (
        Invitation.objects.select_related("agency", "unit")
        .filter(pk=invitation_id, accepted__isnull=True)
        .first()
    )
    if inv is None:
        return False
    link = site_url.rstrip("/") + mail.path("invitation_accept", token=invitations.token_for(inv))
    context = {
        "agency": inv.agency,
        "role": inv.get_role_display(),
        "unit": inv.unit,
        "inviter": inviter,
        "link": link,
        "days": invitations.max_age() // 86400,
    }
    return mail.send(inv.email, "invitation", context)
