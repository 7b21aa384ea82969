"""Content-Security-Policy on every response that sets none of its own: scripts only from this
site's files (no inline script or event handler anywhere: prongsai/web/static/prongsai/behaviour.js),
no framing, forms posting only here. Inline styles stay allowed (style attributes, HTMX's
indicator style); a downloaded evidence file sets a stricter, sandboxing policy of its own."""

from __future__ import annotations

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response
