"""The audit trail's entries for accounts, roles, API tokens, link checks and the cleanup
(``AuditEvent``), written by signal receivers so that every path is covered (the team pages, the
invitation, the password pages, the site admin, the shell, a task), inside the transaction of the
change itself: a rolled-back change leaves no entry.

The person credited is the request's user (django-simple-history's middleware keeps the request;
``acting_as`` stands in for it in a task); a password reset through the e-mailed link credits the
account itself. Passwords themselves (hashes included) are never written here.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_save

from prongsai.web.agencies.models import (
    ApiToken,
    AuditAction,
    AuditEvent,
    Membership,
    OverseerGrant,
)

log = logging.getLogger("prongsai.audit")

USER_FIELDS = ("username", "email", "first_name", "last_name", "is_active", "is_staff", "is_superuser")


def _request():
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


def current_actor():
    request = _request()
    user = getattr(request, "user", None)
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def record(
    action: str, *, target: str = "", target_id="", agency=None, actor=None, detail=None
) -> AuditEvent:
    actor = actor if actor is not None else current_actor()
    event = AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.get_username() if actor is not None else "",
        action=action,
        agency=agency,
        agency_name=agency.name[:200] if agency is not None else "",
        target=str(target)[:200],
        target_id=str(target_id or "")[:40],
        detail=detail or {},
    )
    log.info("audit: %s %s by %s %s", action, target, event.actor_name or "-", detail or "")
    return event


# ---------------------------------------------------------------- accounts


def _user_before(sender, instance, update_fields=None, **kwargs) -> None:
    instance._audit_before = None
    if instance.pk is None:
        return
    watched = set(USER_FIELDS) | {"password"}
    if update_fields is not None and not watched & set(update_fields):
        return  # a login's last_login, nothing audited
    instance._audit_before = sender.objects.filter(pk=instance.pk).values(*USER_FIELDS, "password").first()


def _user_saved(sender, instance, created, **kwargs) -> None:
    if created:
        record(
            AuditAction.USER_CREATED,
            target=instance.get_username(),
            target_id=instance.pk,
            detail={f: getattr(instance, f) for f in ("email", "is_staff", "is_superuser", "is_active")},
        )
        return
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    if not before:
        return
    changes = {f: [before[f], getattr(instance, f)] for f in USER_FIELDS if before[f] != getattr(instance, f)}
    active = changes.pop("is_active", None)
    if active is not None:
        record(
            AuditAction.USER_REACTIVATED if instance.is_active else AuditAction.USER_DEACTIVATED,
            target=instance.get_username(),
            target_id=instance.pk,
        )
    if changes:
        record(
            AuditAction.USER_CHANGED, target=instance.get_username(), target_id=instance.pk, detail=changes
        )
    if before["password"] != instance.password:
        request = _request()
        path = getattr(request, "path", "") or ""
        by_link = "/password/reset/" in path
        record(
            AuditAction.PASSWORD_RESET if by_link else AuditAction.PASSWORD_CHANGED,
            target=instance.get_username(),
            target_id=instance.pk,
            actor=instance if by_link and current_actor() is None else None,
            detail={"path": path} if path else {},
        )


def _user_deleted(sender, instance, **kwargs) -> None:
    record(AuditAction.USER_DELETED, target=instance.get_username(), target_id=instance.pk)


# ---------------------------------------------------------------- roles


def _role(m: Membership) -> dict:
    return {"user": m.user.get_username(), "role": m.role, "unit": m.unit.name if m.unit_id else ""}


def _membership_before(sender, instance, **kwargs) -> None:
    instance._audit_before = None
    if instance.pk is not None:
        old = sender.objects.select_related("user", "unit").filter(pk=instance.pk).first()
        instance._audit_before = _role(old) if old else None


def _membership_saved(sender, instance, created, **kwargs) -> None:
    now = _role(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        record(
            AuditAction.MEMBERSHIP_ADDED,
            target=now["user"],
            target_id=instance.user_id,
            agency=instance.agency,
            detail=now,
        )
    elif before != now:
        record(
            AuditAction.MEMBERSHIP_CHANGED,
            target=now["user"],
            target_id=instance.user_id,
            agency=instance.agency,
            detail={"before": before, "after": now},
        )


def _membership_deleted(sender, instance, **kwargs) -> None:
    try:
        detail = _role(instance)
        agency = instance.agency
    except Exception:  # the user or agency is being deleted with it
        detail, agency = {"role": instance.role}, None
    record(
        AuditAction.MEMBERSHIP_REMOVED,
        target=detail.get("user", ""),
        target_id=instance.user_id,
        agency=agency,
        detail=detail,
    )


def _grant_before(sender, instance, **kwargs) -> None:
    old = sender.objects.filter(pk=instance.pk).values("province").first() if instance.pk else None
    instance._audit_before = old["province"] if old else None


def _grant_saved(sender, instance, created, **kwargs) -> None:
    before = getattr(instance, "_audit_before", None)
    who = instance.user.get_username()
    if created or before is None:
        record(
            AuditAction.GRANT_ADDED,
            target=who,
            target_id=instance.user_id,
            detail={"province": instance.province},
        )
    elif before != instance.province:
        record(
            AuditAction.GRANT_CHANGED,
            target=who,
            target_id=instance.user_id,
            detail={"province": [before, instance.province]},
        )


def _grant_deleted(sender, instance, **kwargs) -> None:
    record(AuditAction.GRANT_REMOVED, target_id=instance.user_id, detail={"province": instance.province})


# ---------------------------------------------------------------- API tokens


def _token_saved(sender, instance, created, **kwargs) -> None:
    if created:
        record(
            AuditAction.TOKEN_ISSUED,
            target=f"{instance.name} ({instance.user.get_username()})",
            target_id=instance.pk,
            detail={"owner": instance.user.get_username(), "expires": instance.expires.isoformat()},
        )


def _token_deleted(sender, instance, **kwargs) -> None:
    try:
        owner = instance.user.get_username()
    except Exception:  # deleted with its user
        owner = ""
    record(
        AuditAction.TOKEN_REVOKED,
        target=f"{instance.name} ({owner})" if owner else instance.name,
        target_id=instance.pk,
        detail={"owner": owner, "expires": instance.expires.isoformat(), "expired": instance.expired},
    )


# ---------------------------------------------------------------- link checks


def _link_check_saved(sender, instance, created, **kwargs) -> None:
    """Who asked for a link check and when; its result is read from the check itself
    (``link_check_result``), which the task fills in later."""
    if created:
        plan = instance.plan
        record(
            AuditAction.LINK_CHECK,
            target=f"{plan.agency.name} {plan.fiscal_year}",
            target_id=instance.pk,
            agency=plan.agency,
            detail={"plan": plan.pk, "fiscal_year": plan.fiscal_year},
        )


def link_check_result(event: AuditEvent) -> dict | None:
    """The outcome of the link check an event names: links checked, failures, when it finished
    (None once the check is gone with its plan). The model by name: the agencies app, which the
    cycle app builds on, imports nothing of it."""
    LinkCheck = apps.get_model("cycle", "LinkCheck")
    if event.action != AuditAction.LINK_CHECK or not event.target_id.isdecimal():
        return None
    check = LinkCheck.objects.filter(pk=int(event.target_id)).first()
    if check is None:
        return None
    return {
        "total": check.total,
        "done": check.done,
        "failures": len(check.failures),
        "finished": check.finished,
        "failed_urls": [r.get("url", "") for r in check.failures][:20],
    }


def connect() -> None:
    User = get_user_model()
    pairs = [
        (pre_save, _user_before, User),
        (post_save, _user_saved, User),
        (post_delete, _user_deleted, User),
        (pre_save, _membership_before, Membership),
        (post_save, _membership_saved, Membership),
        (post_delete, _membership_deleted, Membership),
        (pre_save, _grant_before, OverseerGrant),
        (post_save, _grant_saved, OverseerGrant),
        (post_delete, _grant_deleted, OverseerGrant),
        (post_save, _token_saved, ApiToken),
        (post_delete, _token_deleted, ApiToken),
        (post_save, _link_check_saved, "cycle.LinkCheck"),  # a lazy reference: no import of the cycle
    ]
    for signal, receiver, model in pairs:
        signal.connect(receiver, sender=model, dispatch_uid=f"audit.{receiver.__name__}")
