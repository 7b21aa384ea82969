"""A person's own API tokens (account/tokens/): each with its expiry in B.E., a new one named and
given a lifetime (30 days to a year, 90 by default), shown once, and revoked. A token acts with its
owner's rights only; issuing and revoking are in the audit trail (``agencies.audit``)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from prongsai.web.agencies.models import ApiToken

LIFETIMES = [30, 90, 180, 365]


def _lifetime_choices():
    days = sorted({*LIFETIMES, settings.PRONGSAI_API_TOKEN_DAYS} - {0})
    return [(d, gettext_lazy("%(days)s วัน") % {"days": d}) for d in days if 1 <= d <= 366]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("ชื่อโทเคน (ใช้ทำอะไร)"),
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("เช่น สคริปต์ส่งคะแนนของกองคลัง")}),
    )
    days = forms.TypedChoiceField(label=gettext_lazy("ใช้ได้นาน"), coerce=int, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = _lifetime_choices()
        self.fields["days"].initial = settings.PRONGSAI_API_TOKEN_DAYS


def _page(request, form, raw: str = "", status: int = 200):
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created")
    return render(
        request, "agencies/tokens.html", {"tokens": tokens, "form": form, "raw": raw}, status=status
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request):
    """GET: the person's tokens; POST: a new one, its value shown on this answer only."""
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    _, raw = ApiToken.issue(request.user, form.cleaned_data["name"], form.cleaned_data["days"])
    return _page(request, TokenForm(), raw=raw)


@login_required
@require_POST
def token_revoke(request, token: int):
    found = get_object_or_404(ApiToken, pk=token, user=request.user)
    found.delete()
    messages.success(request, _("เพิกถอนโทเคน “%(name)s” แล้ว") % {"name": found.name})
    return redirect("api_tokens")
