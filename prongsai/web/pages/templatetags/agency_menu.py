"""The agency's menu, shown by base.html on every page of an agency the user belongs to: only
the entries the user's role may open (a viewer is never offered an import that ends in 403)."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from prongsai.web.agencies.access import Action, can

register = template.Library()


@register.inclusion_tag("pages/agency_menu.html", takes_context=True)
def agency_menu(context) -> dict:
    agency, request = context.get("agency"), context.get("request")
    slug = getattr(agency, "slug", None)
    user = getattr(request, "user", None)
    if not slug or user is None or not can(user, Action.VIEW, agency):
        return {"links": []}
    match = getattr(request, "resolver_match", None)
    if match is not None and (match.url_name or "").startswith("public_"):
        return {"links": []}  # the public page looks the same to a member as to anyone

    def link(name: str, label: str, **kwargs) -> dict:
        url = reverse(name, kwargs={"agency": slug, **kwargs})
        current = request.path == url
        return {"url": url, "label": label, "current": current}

    links = [
        link("agency_dashboard", _("ภาพรวม")),
        link("years", _("ปีงบประมาณ")),
        link("scores_new", _("ผลการประเมิน")),
    ]
    if can(user, Action.EDIT, agency):
        links += [
            link("scores_import", _("นำเข้าคะแนน")),
            link("import_upload", _("นำเข้ารายงานเดิม")),
            link("agency_settings", _("ตั้งค่าหน่วยงาน")),
        ]
    if can(user, Action.MANAGE_TEAM, agency):  # units, members, invitations (pages/team.py)
        links.append(link("team", _("ทีมงาน")))
    return {"agency": agency, "links": links}
