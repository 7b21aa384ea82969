"""Agencies, their units, and who may do what in them.

Who sees what is decided in one place, ``prongsai/web/agencies/access.py``; these models only
hold the facts (memberships per agency, overseer grants per province or nationwide).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

AGENCY_TYPES = [
    ("เทศบาลนคร", _("เทศบาลนคร")),
    ("เทศบาลเมือง", _("เทศบาลเมือง")),
    ("เทศบาลตำบล", _("เทศบาลตำบล")),
    ("องค์การบริหารส่วนจังหวัด", _("องค์การบริหารส่วนจังหวัด")),
    ("องค์การบริหารส่วนตำบล", _("องค์การบริหารส่วนตำบล")),
    ("อื่น ๆ", _("หน่วยงานอื่น")),
]


def emblem_path(instance, filename: str) -> str:
    """A name nobody can guess (the file is served only through an access-checked view)."""
    ext = ".png" if filename.lower().endswith(".png") else ".jpg"
    return f"emblems/{uuid.uuid4().hex}{ext}"


class Agency(models.Model):
    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=200)
    slug = models.SlugField(_("รหัสในลิงก์สาธารณะ"), max_length=80, unique=True)
    type = models.CharField(_("ประเภท"), max_length=40, choices=AGENCY_TYPES)
    district = models.CharField(_("อำเภอ"), max_length=80, blank=True)
    province = models.CharField(_("จังหวัด"), max_length=80, db_index=True)
    executive_title = models.CharField(_("ตำแหน่งผู้บริหาร"), max_length=120, blank=True)
    website = models.URLField(_("เว็บไซต์"), blank=True)
    # The agency's ครุฑ for its memos: PNG or JPEG checked by content (cycle/uploads.py).
    emblem = models.FileField(_("ตราครุฑ"), upload_to=emblem_path, blank=True, max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")
        ordering = ["province", "name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A division of an agency (สำนักปลัด, กองคลัง, กองช่าง …) that measures are assigned to."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("ชื่อส่วนราชการ"), max_length=120)
    # Deactivated, never deleted: past measures and memberships keep naming it.
    active = models.BooleanField(_("ใช้งานอยู่"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ส่วนราชการ")
        verbose_name_plural = _("ส่วนราชการ")
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unit_name_once_per_agency")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    EDITOR = "editor", _("ผู้จัดทำ")
    CONTRIBUTOR = "contributor", _("ผู้รายงานของส่วนราชการ")
    APPROVER = "approver", _("ผู้บริหาร (ผู้อนุมัติ)")
    VIEWER = "viewer", _("ผู้อ่าน")


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("บทบาท"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("สำหรับผู้รายงานของส่วนราชการ: แก้ไขได้เฉพาะมาตรการของส่วนราชการนี้"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("สมาชิก")
        verbose_name_plural = _("สมาชิก")
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="one_role_per_agency")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency}: {self.role}"


def new_nonce() -> str:
    return secrets.token_hex(16)


class Invitation(models.Model):
    """An editor's invitation of a person, by e-mail, to one role of the agency. The link carries a
    signed, expiring token (``prongsai.web.agencies.invitations``); ``nonce`` changes when the
    invitation is sent again, so only the newest link works."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("อีเมล"))
    role = models.CharField(_("บทบาท"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("ส่วนราชการ")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    nonce = models.CharField(max_length=32, default=new_nonce)
    sent = models.DateTimeField(_("ส่งเมื่อ"))
    accepted = models.DateTimeField(_("ตอบรับเมื่อ"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("คำเชิญ")
        verbose_name_plural = _("คำเชิญ")
        ordering = ["agency", "-sent"]

    def __str__(self) -> str:
        return f"{self.email} @ {self.agency}: {self.role}"


class OverseerGrant(models.Model):
    """Read-only access across agencies: one province, or the whole country when blank."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="overseer_grants"
    )
    province = models.CharField(_("จังหวัด"), max_length=80, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("สิทธิ์ผู้กำกับดูแล")
        verbose_name_plural = _("สิทธิ์ผู้กำกับดูแล")

    def __str__(self) -> str:
        return f"{self.user}: {self.province or 'ทั่วประเทศ'}"


TOKEN_MAX_DAYS = 366  # a token chosen to last "a year" may end on the same date next year


class TokenExpiry(ValueError):
    pass


def default_expiry():
    """The setting's number of days from now (tokens issued before expiry existed got this from
    the migration that added it)."""
    return timezone.now() + timedelta(days=settings.PRONGSAI_API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A token for the JSON API; only its SHA-256 is stored. It acts with its user's rights until
    it expires (``settings.PRONGSAI_API_TOKEN_DAYS``, 90 days unless chosen at creation, at most
    a year) or is revoked (deleted)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("ชื่อ"), max_length=80)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(_("หมดอายุ"), default=default_expiry)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("โทเคน API")
        verbose_name_plural = _("โทเคน API")

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def expired(self) -> bool:
        return self.expires <= timezone.now()

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str, days: int | None = None) -> tuple[ApiToken, str]:
        """A new token lasting ``days`` (the setting's default; 1 to 366); the raw value is
        returned once and never stored."""
        days = settings.PRONGSAI_API_TOKEN_DAYS if days is None else days
        if not 1 <= days <= TOKEN_MAX_DAYS:
            raise TokenExpiry(f"a token lasts 1 to {TOKEN_MAX_DAYS} days, not {days}")
        raw = "ps_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, digest=cls.hash(raw), expires=timezone.now() + timedelta(days=days)
        )
        return token, raw


class AuditAction(models.TextChoices):
    USER_CREATED = "user.created", _("สร้างบัญชีผู้ใช้")
    USER_CHANGED = "user.changed", _("แก้ไขบัญชีผู้ใช้")
    USER_DEACTIVATED = "user.deactivated", _("ระงับบัญชีผู้ใช้")
    USER_REACTIVATED = "user.reactivated", _("เปิดใช้บัญชีผู้ใช้อีกครั้ง")
    USER_DELETED = "user.deleted", _("ลบบัญชีผู้ใช้")
    PASSWORD_CHANGED = "password.changed", _("เปลี่ยนรหัสผ่าน")
    PASSWORD_RESET = "password.reset", _("ตั้งรหัสผ่านใหม่ผ่านลิงก์")
    MEMBERSHIP_ADDED = "membership.added", _("เพิ่มสมาชิกหน่วยงาน")
    MEMBERSHIP_CHANGED = "membership.changed", _("เปลี่ยนบทบาทสมาชิก")
    MEMBERSHIP_REMOVED = "membership.removed", _("นำสมาชิกออกจากหน่วยงาน")
    GRANT_ADDED = "grant.added", _("ให้สิทธิ์ผู้กำกับดูแล")
    GRANT_CHANGED = "grant.changed", _("เปลี่ยนสิทธิ์ผู้กำกับดูแล")
    GRANT_REMOVED = "grant.removed", _("ยกเลิกสิทธิ์ผู้กำกับดูแล")
    TOKEN_ISSUED = "token.issued", _("ออกโทเคน API")
    TOKEN_REVOKED = "token.revoked", _("เพิกถอนโทเคน API")
    LINK_CHECK = "linkcheck", _("ตรวจลิงก์หลักฐาน")
    CLEANUP = "cleanup", _("ล้างข้อมูลตามระยะเวลาจัดเก็บ")


class AuditEvent(models.Model):
    """One entry of the audit trail for what has no history of its own rows: accounts (creation,
    roles, passwords, deactivation), API tokens (issued, revoked), link checks (who asked, when;
    the result is read from the check) and the cleanup (what it removed). Written by
    ``prongsai.web.agencies.audit``; never edited. The cycle's records keep their own history
    (django-simple-history); both are in the site admin."""

    at = models.DateTimeField(_("เมื่อ"), default=timezone.now, db_index=True)
    # No database constraint and nothing done on delete, as for the history tables: an entry keeps
    # the ids of an account or agency deleted since (even one written while the agency itself
    # was being deleted, for its memberships), and the names shown.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ผู้กระทำ"),
    )
    actor_name = models.CharField(_("ชื่อผู้กระทำ"), max_length=150, blank=True)
    action = models.CharField(_("การกระทำ"), max_length=30, choices=AuditAction.choices, db_index=True)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("หน่วยงาน"),
    )
    agency_name = models.CharField(_("หน่วยงาน"), max_length=200, blank=True)
    target = models.CharField(_("สิ่งที่ถูกกระทำ"), max_length=200, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    detail = models.JSONField(_("รายละเอียด"), default=dict, blank=True)

    class Meta:
        verbose_name = _("บันทึกการตรวจสอบ")
        verbose_name_plural = _("บันทึกการตรวจสอบ")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["action", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action} {self.target}"
