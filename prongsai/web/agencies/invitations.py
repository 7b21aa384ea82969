"""Invitations by e-mail: the signed, expiring token in the link, and what accepting does. An
invitation names its agency, role (and unit for a contributor); the person it was sent to sets
their own password, or, when they already have an account, gains the role on it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.web.agencies.models import Invitation, Membership, Role

SALT = "prongsai.agencies.invitation"


class InvitationError(Exception):
    """A link that cannot be used, with the reason in the reader's language."""


def token_for(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=SALT)


def max_age() -> int:
    return settings.PRONGSAI_INVITATION_DAYS * 24 * 60 * 60


def invitation_from(token: str) -> Invitation:
    """The pending invitation a link names; InvitationError when the link was altered, expired,
    replaced by a newer one, revoked or already used."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise InvitationError(_("ลิงก์คำเชิญนี้หมดอายุแล้ว กรุณาขอให้ผู้จัดทำของหน่วยงานส่งคำเชิญใหม่")) from None
    except signing.BadSignature:
        raise InvitationError(_("ลิงก์คำเชิญไม่ถูกต้อง กรุณาเปิดลิงก์จากอีเมลอีกครั้ง")) from None
    inv = (
        Invitation.objects.select_related("agency", "unit")
        .filter(pk=data.get("i"), nonce=data.get("n"))
        .first()
    )
    if inv is None:
        raise InvitationError(_("คำเชิญนี้ถูกยกเลิกหรือมีคำเชิญใหม่แทนแล้ว กรุณาใช้ลิงก์ในอีเมลฉบับล่าสุด"))
    if inv.accepted:
        raise InvitationError(_("คำเชิญนี้ถูกใช้ไปแล้ว กรุณาเข้าสู่ระบบ"))
    return inv


def existing_user(email: str):
    return get_user_model().objects.filter(email__iexact=email, is_active=True).order_by("pk").first()


def accept(invitation: Invitation, user) -> Membership:
    """Gives ``user`` the invited role, once (the row is locked so a double click joins once)."""
    with transaction.atomic():
        inv = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if inv.accepted:
            raise InvitationError(_("คำเชิญนี้ถูกใช้ไปแล้ว กรุณาเข้าสู่ระบบ"))
        if Membership.objects.filter(user=user, agency_id=inv.agency_id).exists():
            raise InvitationError(_("บัญชีนี้เป็นสมาชิกของหน่วยงานนี้อยู่แล้ว"))
        membership = Membership.objects.create(
            user=user,
            agency_id=inv.agency_id,
            role=inv.role,
            unit=inv.unit if inv.role == Role.CONTRIBUTOR else None,
        )
        inv.accepted = timezone.now()
        inv.accepted_by = user
        inv.save(update_fields=["accepted", "accepted_by"])
    return membership
