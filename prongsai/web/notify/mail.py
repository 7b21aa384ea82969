"""E-mails in Thai through Django's e-mail framework (console in development, SMTP in deployment:
docs/deploy.md). Subject and body come from templates under ``notify/email/``."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def path(name: str, **kwargs) -> str:
    """A page's path without a language prefix (Thai, the site's default): stored links and
    e-mails must not depend on the language of whoever triggered them."""
    with translation.override("th"):
        return reverse(name, kwargs=kwargs)


def absolute(path: str, request=None) -> str:
    """A link a person can open from their mailbox: the request's own address when there is one,
    else the configured site address (the daily digest has no request)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.PRONGSAI_SITE_URL.rstrip("/") + path


def send(to: str, template: str, context: dict) -> bool:
    """Renders ``notify/email/<template>_subject.txt`` and ``_body.txt`` in Thai and sends them;
    False when there is nobody to send to or the mail server refused."""
    if not to:
        return False
    with translation.override("th"):
        subject = " ".join(render_to_string(f"notify/email/{template}_subject.txt", context).split())
        body = render_to_string(f"notify/email/{template}_body.txt", context)
    return send_mail(subject, body, None, [to], fail_silently=False) == 1
