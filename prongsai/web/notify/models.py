"""What a user is told: one row per person and event, shown on the dashboard until read, e-mailed
at once or in the daily digest (unless the person turned e-mails off)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prongsai.web.agencies.models import Agency


class Kind(models.TextChoices):
    PLAN_SUBMITTED = "plan_submitted", _("แผนรออนุมัติ")
    PLAN_RETURNED = "plan_returned", _("แผนถูกส่งกลับแก้ไข")
    PLAN_APPROVED = "plan_approved", _("แผนได้รับอนุมัติ")
    OVERDUE = "overdue", _("มาตรการเลยกำหนด")


# The sentence of each kind, translated when shown (``params`` fill it); ``text`` keeps the Thai
# sentence as it was when the event happened.
MESSAGES = {
    Kind.PLAN_SUBMITTED: _("%(agency)s เสนอแผนมาตรการปีงบประมาณ %(year)s ฉบับที่ %(version)s รอท่านพิจารณาอนุมัติ"),
    Kind.PLAN_RETURNED: _("ผู้บริหารส่งแผนมาตรการปีงบประมาณ %(year)s ฉบับที่ %(version)s กลับไปแก้ไข: %(comment)s"),
    Kind.PLAN_APPROVED: _("ผู้บริหารอนุมัติแผนมาตรการปีงบประมาณ %(year)s ฉบับที่ %(version)s แล้ว"),
    Kind.OVERDUE: _("มาตรการ “%(title)s” เลยกำหนดแล้ว (%(period)s) และยังไม่ได้รายงานว่าเสร็จ"),
}


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read__isnull=True)

    def for_user(self, user):
        return self.filter(recipient=user) if user.is_authenticated else self.none()


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(_("เรื่อง"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("ข้อความ"))
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(_("ลิงก์"), max_length=300, blank=True)  # a path on this site
    # Once per recipient and key (e.g. one overdue reminder per measure); blank: no such limit.
    key = models.CharField(max_length=80, blank=True)
    created = models.DateTimeField(_("เมื่อ"), default=timezone.now, db_index=True)
    read = models.DateTimeField(_("อ่านเมื่อ"), null=True, blank=True)
    emailed = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("การแจ้งเตือน")
        verbose_name_plural = _("การแจ้งเตือน")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="one_notification_per_key"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read"])]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def message(self) -> str:
        """The sentence in the reader's language."""
        template = MESSAGES.get(self.kind)
        if template is None or not self.params:
            return self.text
        try:
            return str(template) % self.params
        except (KeyError, TypeError, ValueError):
            return self.text


class Preference(models.Model):
    """A person's choice about e-mails, and when the last daily digest was sent to them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preference"
    )
    email = models.BooleanField(_("รับการแจ้งเตือนทางอีเมล"), default=True)
    last_digest = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("การตั้งค่าการแจ้งเตือน")
        verbose_name_plural = _("การตั้งค่าการแจ้งเตือน")

    @classmethod
    def of(cls, user) -> Preference:
        return cls.objects.get_or_create(user=user)[0]

    @classmethod
    def wants_email(cls, user) -> bool:
        if not user.email or not user.is_active:
            return False
        pref = cls.objects.filter(user=user).only("email").first()
        return pref is None or pref.email
