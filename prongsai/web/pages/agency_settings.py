"""The agency's settings: its ครุฑ emblem for memos (uploaded once, replaceable), the facts the
documents print, and the storage it uses against its quota. Members read; editors change. The
emblem is served only to the agency's members through ``agency_emblem_file`` (never a public
media URL)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from prongsai.documents.builders.common import officers
from prongsai.documents.service import sniff_image
from prongsai.web.agencies.access import Action, agency_for, can
from prongsai.web.cycle.records import agency_interchange
from prongsai.web.housekeeping.quota import usage
from prongsai.web.pages.forms_memo import EmblemForm


@login_required
def agency_settings(request, agency: str):
    agency_obj = agency_for(request.user, agency)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    can_edit = can(request.user, Action.EDIT, agency_obj)
    form = EmblemForm() if can_edit else None
    status = 200
    if request.method == "POST":
        agency_for(request.user, agency, Action.EDIT)
        if request.POST.get("remove") == "1":
            if agency_obj.emblem:
                with transaction.atomic():
                    # The file goes with the daily cleanup once nothing names it (housekeeping).
                    agency_obj.emblem = ""
                    agency_obj.save(update_fields=["emblem"])
                messages.success(request, _("ลบตราครุฑแล้ว"))
            return redirect("agency_settings", agency=agency_obj.slug)
        form = EmblemForm(request.POST, request.FILES)
        if form.is_valid():
            with transaction.atomic():
                agency_obj.emblem = form.cleaned_data["emblem"]
                agency_obj.save(update_fields=["emblem"])
            messages.success(request, _("บันทึกตราครุฑแล้ว บันทึกข้อความที่ดาวน์โหลดต่อจากนี้จะแสดงตรานี้"))
            return redirect("agency_settings", agency=agency_obj.slug)
        status = 400
    off = officers(agency_interchange(agency_obj))
    return render(
        request,
        "pages/agency_settings.html",
        {
            "agency": agency_obj,
            "form": form,
            "can_edit": can_edit,
            "officers": off,
            "units": list(agency_obj.units.values_list("name", flat=True)),
            "plans": list(agency_obj.plans.values_list("fiscal_year", flat=True)),
            "usage": usage(agency_obj),
        },
        status=status,
    )


@login_required
@cache_control(private=True, max_age=300)
def agency_emblem_file(request, agency: str):
    """The emblem image, for the agency's members only; checked again by its bytes."""
    agency_obj = agency_for(request.user, agency)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if not agency_obj.emblem:
        raise Http404
    try:
        handle = agency_obj.emblem.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    head = handle.read(16)
    handle.seek(0)
    mime = sniff_image(head)
    if mime is None:
        handle.close()
        raise Http404
    response = FileResponse(handle, content_type=mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
