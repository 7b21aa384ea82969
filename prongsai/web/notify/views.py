"""A person's own notifications: the list, marking read (one, or all), opening one, and turning
e-mails on or off. Nobody sees another person's notifications: every query is by recipient."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prongsai.web.converters import parse_id
from prongsai.web.notify.models import Notification, Preference

LIST_LIMIT = 200


@login_required
def notification_list(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    items = list(Notification.objects.for_user(request.user).select_related("agency")[:LIST_LIMIT])
    return render(
        request,
        "notify/list.html",
        {
            "items": items,
            "unread": sum(n.read is None for n in items),
            "preference": Preference.of(request.user),
        },
    )


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@login_required
@require_POST
def notification_read(request):
    """``id``: that one (``open``: then go to its page); ``all``: every unread one."""
    mine = Notification.objects.for_user(request.user)
    now = timezone.now()
    if request.POST.get("all"):
        mine.unread().update(read=now)
        return redirect(_safe_next(request, "notifications"))
    raw = request.POST.get("id", "")
    pk = parse_id(raw)
    n = mine.filter(pk=pk).first() if pk is not None else None
    if n is None:
        messages.error(request, _("ไม่พบการแจ้งเตือนนี้"))
        return redirect("notifications")
    if n.read is None:
        mine.filter(pk=n.pk).update(read=now)
    # A path on this site only ("//host/…" also starts with "/").
    if request.POST.get("open") and url_has_allowed_host_and_scheme(n.link, set(), request.is_secure()):
        return redirect(n.link)
    return redirect(_safe_next(request, "notifications"))


@login_required
@require_POST
def notification_settings(request):
    pref = Preference.of(request.user)
    pref.email = request.POST.get("email") == "1"
    pref.save(update_fields=["email"])
    if pref.email:
        if request.user.email:
            messages.success(request, _("จะส่งการแจ้งเตือนทางอีเมลไปที่ %(email)s") % {"email": request.user.email})
        else:
            messages.warning(request, _("เปิดการแจ้งเตือนทางอีเมลแล้ว แต่บัญชีนี้ยังไม่มีอีเมล กรุณาแจ้งผู้จัดทำของหน่วยงาน"))
    else:
        messages.success(request, _("ปิดการแจ้งเตือนทางอีเมลแล้ว การแจ้งเตือนยังแสดงในระบบตามเดิม"))
    return redirect("notifications")
