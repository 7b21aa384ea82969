"""The idle timeout's renewal: a signed-in person's session lives SESSION_COOKIE_AGE from their
last activity. Django's SESSION_SAVE_EVERY_REQUEST would write the session row on every request;
this renews it at most every RENEW_SECONDS, so the timeout is within minutes of exact and a busy
page costs no write."""

from __future__ import annotations

import time

RENEW_SECONDS = 300
MARK = "_renewed"


class RenewIdleSessionMiddleware:
    """After SessionMiddleware: touching the session marks it modified, and SessionMiddleware then
    saves it with a new expiry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():  # never a session for a visitor
            now = int(time.time())
            if now - int(session.get(MARK, 0)) >= RENEW_SECONDS:
                session[MARK] = now
        return response
