"""Template context shared by every page: the user's agencies and whether they oversee others."""

from __future__ import annotations

from prongsai.web.agencies.access import is_overseer, member_agencies


def site(request) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "my_agencies": list(member_agencies(user).only("pk", "name", "slug")[:50]),
        "is_overseer": is_overseer(user),
    }
