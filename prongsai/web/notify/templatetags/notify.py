"""The menu's unread count and the dashboard's notifications card."""

from __future__ import annotations

from django import template

from prongsai.web.notify.models import Notification

register = template.Library()

CARD_LIMIT = 5


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("notify/badge.html", takes_context=True)
def notify_badge(context):
    user = _user(context)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "count": Notification.objects.for_user(user).unread().count()}


@register.inclusion_tag("notify/card.html", takes_context=True)
def notifications_card(context, agency=None):
    """The user's unread notifications (of ``agency`` when given), newest first."""
    user = _user(context)
    if user is None or not user.is_authenticated:
        return {"show": False}
    unread = Notification.objects.for_user(user).unread()
    if agency is not None:
        unread = unread.filter(agency=agency)
    items = list(unread.select_related("agency")[: CARD_LIMIT + 1])
    request = context["request"]
    return {
        "show": True,
        "items": items[:CARD_LIMIT],
        "more": len(items) > CARD_LIMIT,
        "csrf_token": context.get("csrf_token"),
        "here": request.get_full_path(),
    }
