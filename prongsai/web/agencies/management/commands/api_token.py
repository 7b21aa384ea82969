"""API tokens from the shell: ``issue USER NAME [--days N]`` (the raw value printed once),
``list [USER]`` (expiry in B.E.), ``revoke ID``. Each issue and revocation is in the audit trail."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from prongsai.thai.dates import local_day, thai_date
from prongsai.web.agencies.models import TOKEN_MAX_DAYS, ApiToken, TokenExpiry


def _expiry(token: ApiToken) -> str:
    text = thai_date(local_day(token.expires))
    return f"{text} (หมดอายุแล้ว)" if token.expires <= timezone.now() else text


class Command(BaseCommand):
    help = "Issue, list or revoke API tokens (a token lasts 90 days unless --days, at most a year)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        issue = sub.add_parser("issue")
        issue.add_argument("username")
        issue.add_argument("name")
        issue.add_argument("--days", type=int, default=None, help=f"1 to {TOKEN_MAX_DAYS}")
        listing = sub.add_parser("list")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("id", type=int)

    def handle(self, *args, what: str, **opts):
        User = get_user_model()
        if what == "issue":
            user = User.objects.filter(username=opts["username"]).first()
            if user is None:
                raise CommandError(f"no user {opts['username']!r}")
            try:
                token, raw = ApiToken.issue(user, opts["name"], opts["days"])
            except TokenExpiry as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"{raw}\nid {token.pk}, หมดอายุ {_expiry(token)} (shown once: keep it safe)")
        elif what == "list":
            tokens = ApiToken.objects.select_related("user").order_by("user__username", "created")
            if opts["username"]:
                tokens = tokens.filter(user__username=opts["username"])
            for t in tokens:
                self.stdout.write(f"{t.pk}\t{t.user.get_username()}\t{t.name}\tหมดอายุ {_expiry(t)}")
        else:
            token = ApiToken.objects.filter(pk=opts["id"]).first()
            if token is None:
                raise CommandError(f"no token {opts['id']}")
            token.delete()
            self.stdout.write(f"revoked token {opts['id']}")
