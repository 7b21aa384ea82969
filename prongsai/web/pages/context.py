"""Template context shared by every page: the user's agencies, whether they oversee others, and
the page's path without its language prefix (what the language switch returns to)."""

from __future__ import annotations

from django.utils.translation import get_language_from_path

from prongsai.web.agencies.access import is_overseer, member_agencies


def unprefixed_path(request) -> str:
    """``/en/a/x/?q=1`` → ``/a/x/?q=1``. Django's set_language resolves ``next`` in the language
    being left only when it has no prefix; a prefixed ``next`` (``/en/…``) fails to resolve from
    Thai and the page stayed English (defect 9)."""
    full = request.get_full_path()
    lang = get_language_from_path(request.path_info)
    prefix = f"/{lang}/"
    if lang and full.startswith(prefix):
        return "/" + full[len(prefix) :]
    return full


def site(request) -> dict:
    ctx = {"lang_next": unprefixed_path(request)}
    user = request.user
    if not user.is_authenticated:
        return ctx
    return {
        **ctx,
        "my_agencies": list(member_agencies(user).only("pk", "name", "slug")[:50]),
        "is_overseer": is_overseer(user),
    }
