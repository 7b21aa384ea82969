"""The agency's team, managed by its editors: units (add, rename, deactivate), members (role, unit,
removal — never the agency's last editor) and invitations by e-mail with a signed, expiring link.
Who may do this is ``Action.MANAGE_TEAM`` in prongsai/web/agencies/access.py."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.thai.dates import fiscal_year_of, thai_date
from prongsai.web.agencies import invitations
from prongsai.web.agencies.access import Action, agency_for, leaves_no_editor
from prongsai.web.agencies.models import Invitation, Membership, Role, Unit, new_nonce
from prongsai.web.converters import parse_id
from prongsai.web.cycle.models import Measure
from prongsai.web.notify.models import Notification
from prongsai.web.notify.tasks import email_invitation
from prongsai.web.pages.forms_team import AcceptForm, InviteForm, MemberForm, UnitForm

ROLE_ORDER = {Role.EDITOR: 0, Role.APPROVER: 1, Role.CONTRIBUTOR: 2, Role.VIEWER: 3}


def _team(request, slug: str):
    """The agency if the user manages its team: 404 for non-members, 403 for other roles."""
    return agency_for(request.user, slug, Action.MANAGE_TEAM)


def _page(request, agency, *, status: int = 200, unit_form=None, invite_form=None, member_errors=None):
    members = sorted(
        Membership.objects.filter(agency=agency).select_related("user", "unit"),
        key=lambda m: (ROLE_ORDER.get(m.role, 9), m.user.get_full_name() or m.user.username),
    )
    rows = []
    for m in members:
        form = MemberForm(agency=agency, initial={"role": m.role, "unit": m.unit_id}, prefix=f"m{m.pk}")
        rows.append(
            {
                "m": m,
                "form": form,
                "me": m.user_id == request.user.pk,
                "errors": (member_errors or {}).get(m.pk, []),
            }
        )
    days = invitations.max_age() // 86400
    pending = []
    for inv in agency.invitations.filter(accepted__isnull=True).select_related("unit", "invited_by"):
        expires = inv.sent + timedelta(days=days)
        pending.append(
            {
                "inv": inv,
                "sent": thai_date(inv.sent),
                "expires": thai_date(expires),
                "expired": expires < timezone.now(),
            }
        )
    units = agency.units.annotate(
        n_members=Count("membership", filter=Q(membership__role=Role.CONTRIBUTOR), distinct=True),
        n_measures=Count("measures", distinct=True),
    ).order_by("-active", "name")
    return render(
        request,
        "pages/team.html",
        {
            "agency": agency,
            "members": rows,
            "pending": pending,
            "units": units,
            "unit_form": unit_form or UnitForm(agency=agency),
            "invite_form": invite_form or InviteForm(agency=agency),
            "days": days,
        },
        status=status,
    )


@login_required
def team(request, agency: str):
    ag = _team(request, agency)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return _page(request, ag)


def link_named_measures(unit: Unit) -> int:
    """Measures of the plans still being carried out or reported on (the current fiscal year's,
    last year's whose progress report is still due, and later ones) whose written ผู้รับผิดชอบ
    names the unit are linked to it, so what pages and documents print follows the unit's current
    name from now on (the same rule as an import: the unit's name appears in the text). Older
    plans keep what they printed."""
    current = fiscal_year_of(timezone.localdate())
    found = Measure.objects.filter(
        plan__agency_id=unit.agency_id,
        plan__fiscal_year__gte=current - 1,
        responsible_text__contains=unit.name,
    ).exclude(units=unit)
    n = 0
    for m in found:
        m.units.add(unit)
        n += 1
    return n


@login_required
def team_units(request, agency: str):
    """``op``: add (name), rename (unit, name), deactivate (unit), activate (unit)."""
    ag = _team(request, agency)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    op = request.POST.get("op", "")
    if op == "add":
        form = UnitForm(request.POST, agency=ag)
        if not form.is_valid():
            return _page(request, ag, status=400, unit_form=form)
        with transaction.atomic():
            unit = Unit.objects.create(agency=ag, name=form.cleaned_data["name"])
            linked = link_named_measures(unit)
        messages.success(request, _("เพิ่มส่วนราชการ “%(name)s” แล้ว") % {"name": unit.name})
        if linked:
            messages.info(request, _("เชื่อมมาตรการที่ระบุผู้รับผิดชอบเป็นส่วนราชการนี้แล้ว %(n)s มาตรการ") % {"n": linked})
        return redirect("team", agency=ag.slug)
    if op not in ("rename", "deactivate", "activate"):
        messages.error(request, _("ไม่รู้จักคำสั่งนี้"))
        return redirect("team", agency=ag.slug)
    unit = get_object_or_404(Unit, pk=_int(request.POST.get("unit")), agency=ag)
    if op == "rename":
        form = UnitForm(request.POST, agency=ag, unit=unit)
        if not form.is_valid():
            for e in form.errors.get("name", []):
                messages.error(request, e)
            return redirect("team", agency=ag.slug)
        old = unit.name
        with transaction.atomic():
            unit.name = form.cleaned_data["name"]
            unit.save(update_fields=["name"])
            link_named_measures(unit)
        messages.success(
            request,
            _("เปลี่ยนชื่อ “%(old)s” เป็น “%(new)s” แล้ว มาตรการที่เชื่อมกับส่วนราชการนี้แสดงชื่อใหม่")
            % {"old": old, "new": unit.name},
        )
    elif op == "deactivate":
        reporters = Membership.objects.filter(agency=ag, unit=unit).count()
        if reporters:
            messages.error(
                request,
                _("ยังมีผู้รายงานของ “%(name)s” %(n)s คน กรุณาเปลี่ยนส่วนราชการของสมาชิกก่อนเลิกใช้")
                % {"name": unit.name, "n": reporters},
            )
            return redirect("team", agency=ag.slug)
        unit.active = False
        unit.save(update_fields=["active"])
        messages.success(
            request,
            _("เลิกใช้ “%(name)s” แล้ว มาตรการเดิมยังแสดงชื่อนี้ แต่จะเลือกให้มาตรการหรือสมาชิกใหม่ไม่ได้")
            % {"name": unit.name},
        )
    else:
        unit.active = True
        unit.save(update_fields=["active"])
        messages.success(request, _("ใช้ “%(name)s” อีกครั้งแล้ว") % {"name": unit.name})
    return redirect("team", agency=ag.slug)


def _int(raw) -> int:
    return parse_id(raw) or 0


@login_required
def team_members(request, agency: str):
    """``member`` (a membership of this agency) with ``op`` change (role, unit) or remove."""
    ag = _team(request, agency)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    op = request.POST.get("op")
    if op not in ("change", "remove"):
        messages.error(request, _("ไม่รู้จักคำสั่งนี้"))
        return redirect("team", agency=ag.slug)
    with transaction.atomic():
        # Every editor row locked first, in one order: two editors demoting each other at the same
        # time must not both pass the "an editor remains" check.
        list(Membership.objects.select_for_update().filter(agency=ag, role=Role.EDITOR).order_by("pk"))
        m = get_object_or_404(
            Membership.objects.select_for_update().select_related("user"),
            pk=_int(request.POST.get("member")),
            agency=ag,
        )
        name = m.user.get_full_name() or m.user.username
        if op == "remove":
            if leaves_no_editor(m):
                messages.error(request, _("ลบ %(name)s ไม่ได้ หน่วยงานต้องมีผู้จัดทำอย่างน้อยหนึ่งคน") % {"name": name})
                return redirect("team", agency=ag.slug)
            m.delete()
            # What they were told about the agency (measure titles, comments) goes with the role.
            Notification.objects.filter(recipient_id=m.user_id, agency=ag).delete()
            messages.success(request, _("นำ %(name)s ออกจากหน่วยงานแล้ว") % {"name": name})
            if m.user_id == request.user.pk:
                return redirect("home")
            return redirect("team", agency=ag.slug)
        form = MemberForm(request.POST, agency=ag, prefix=f"m{m.pk}")
        if not form.is_valid():
            errors = [e for errs in form.errors.values() for e in errs]
            return _page(request, ag, status=400, member_errors={m.pk: errors})
        role, unit = form.cleaned_data["role"], form.cleaned_data["unit"]
        if leaves_no_editor(m, role):
            messages.error(
                request, _("เปลี่ยนบทบาทของ %(name)s ไม่ได้ หน่วยงานต้องมีผู้จัดทำอย่างน้อยหนึ่งคน") % {"name": name}
            )
            return redirect("team", agency=ag.slug)
        m.role, m.unit = role, unit
        m.save(update_fields=["role", "unit"])
    messages.success(
        request, _("บันทึกบทบาทของ %(name)s แล้ว: %(role)s") % {"name": name, "role": m.get_role_display()}
    )
    return redirect("team", agency=ag.slug)


@login_required
def team_invitations(request, agency: str):
    """``op`` invite (email, role, unit; again to the same address: a new link replaces the old),
    resend (invitation) or revoke (invitation)."""
    ag = _team(request, agency)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    op = request.POST.get("op", "invite")
    if op == "invite":
        form = InviteForm(request.POST, agency=ag)
        if not form.is_valid():
            return _page(request, ag, status=400, invite_form=form)
        data = form.cleaned_data
        with transaction.atomic():
            inv = ag.invitations.filter(
                email__iexact=data["email"], accepted__isnull=True
            ).first() or Invitation(agency=ag, email=data["email"])
            inv.role, inv.unit, inv.invited_by = data["role"], data["unit"], request.user
            inv.nonce, inv.sent = new_nonce(), timezone.now()
            inv.save()
        return _sent(request, ag, inv)
    inv = get_object_or_404(
        Invitation, pk=_int(request.POST.get("invitation")), agency=ag, accepted__isnull=True
    )
    if op == "resend":
        inv.nonce, inv.sent, inv.invited_by = new_nonce(), timezone.now(), request.user
        inv.save(update_fields=["nonce", "sent", "invited_by"])
        return _sent(request, ag, inv)
    if op == "revoke":
        inv.delete()
        messages.success(request, _("ยกเลิกคำเชิญของ %(email)s แล้ว ลิงก์เดิมใช้ไม่ได้อีก") % {"email": inv.email})
    else:
        messages.error(request, _("ไม่รู้จักคำสั่งนี้"))
    return redirect("team", agency=ag.slug)


def _sent(request, ag, inv):
    """The e-mail leaves through the task queue (the worker), after the invitation is saved."""
    inviter = request.user.get_full_name() or request.user.username
    site_url = request.build_absolute_uri("/")
    email_invitation.enqueue(inv.pk, site_url, inviter)  # the invitation is saved (committed) by now
    messages.success(request, _("ส่งคำเชิญไปที่ %(email)s แล้ว") % {"email": inv.email})
    return redirect("team", agency=ag.slug)


def invitation_accept(request, token: str):
    """The link in the invitation e-mail: a new person sets their name and password; a person who
    already has an account joins with it."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        inv = invitations.invitation_from(token)
    except invitations.InvitationError as exc:
        return render(request, "pages/team_accept.html", {"error": str(exc)}, status=410)
    existing = invitations.existing_user(inv.email)
    form = None if existing else AcceptForm(request.POST or None, email=inv.email)
    if request.method == "POST":
        try:
            if existing is not None:
                invitations.accept(inv, existing)
                messages.success(request, _("รับคำเชิญแล้ว กรุณาเข้าสู่ระบบด้วยบัญชีเดิมของท่าน"))
                if request.user.is_authenticated and request.user.pk == existing.pk:
                    return redirect("agency_dashboard", agency=inv.agency.slug)
                return redirect(
                    reverse("login")
                    + "?next="
                    + reverse("agency_dashboard", kwargs={"agency": inv.agency.slug})
                )
            if form.is_valid():
                with transaction.atomic():
                    user = form.create_user()
                    invitations.accept(inv, user)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("ยินดีต้อนรับสู่ %(agency)s") % {"agency": inv.agency.name})
                return redirect("agency_dashboard", agency=inv.agency.slug)
        except invitations.InvitationError as exc:
            return render(request, "pages/team_accept.html", {"error": str(exc)}, status=410)
    return render(
        request,
        "pages/team_accept.html",
        {"inv": inv, "existing": existing, "form": form},
        status=400 if form is not None and form.is_bound else 200,
    )
