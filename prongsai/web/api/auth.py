"""Who is calling the API: a bearer token (programs) or the browser's session (pages using the API).

A token acts with its user's rights, no more: what the user may do is decided afterwards by
``prongsai.web.agencies.access``, exactly as for the pages.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from prongsai.thai.dates import local_day, thai_date
from prongsai.web.agencies.models import ApiToken
from prongsai.web.api.errors import ApiError


def expired_error(token: ApiToken) -> ApiError:
    day = local_day(token.expires)
    return ApiError(
        401,
        f"token expired on {day.isoformat()}: ask for a new one (manage.py api_token issue)",
        f"โทเคนนี้หมดอายุแล้วเมื่อ {thai_date(day)} กรุณาขอโทเคนใหม่จากผู้ดูแลระบบ",
        code="token_expired",
    )


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; only the token's SHA-256 is stored. An expired token is
    refused with 401 and a message saying so (not the generic one: the program's owner must know
    to ask for a new token rather than check the value)."""

    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.hash(token.strip()), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        if found.expired:
            raise expired_error(found)
        ApiToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
        # The audit trail (simple-history's middleware) and the access checks read request.user.
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The logged-in browser; unsafe methods need the CSRF token, as for the pages.

    A request that sends an Authorization header is judged by its token alone, so a wrong token
    answers 401 even in a browser that is logged in.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if "Authorization" in request.headers or not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None
