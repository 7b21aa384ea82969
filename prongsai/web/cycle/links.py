"""The evidence link checker: does every link a plan gives (evidence links, links written in
captions and measure texts, the agency website) answer?

Seed 002's own improvement: check the links answered in the OIT form before the executive
approves. A check runs as a background task (``tasks.check_links``, queued by
``tasks.start_check``: tasks import this module, never the reverse) and records its progress on
its ``LinkCheck`` row, so the page can show it while it runs.

All outbound HTTP goes through ``fetch_status``: standard library only (urllib), HEAD first and
a small ranged GET when a server refuses HEAD, redirects followed, 10 s timeout. Only http(s),
and in deployment only public addresses: every connection (redirects included) is made to an
address that was checked after DNS resolution, so a link cannot reach the internal network
(SSRF) through a redirect or a name that resolves to 10.x/127.x/169.254.x. Tests and
development on a laptop opt in to private addresses with ``PRONGSAI_LINKCHECK_ALLOW_PRIVATE``.

Whether a check still holds: a check records the plan's ``content_version`` it read (in every
result row), which every edit of the plan or its measures moves on (and approvals compare
against); progress and evidence are not edits of the plan and leave it, so the check also holds
only while the links the plan gives now are all among those it checked. "The latest finished
check read the current version, covered every current link and found no failure" is exact, where
comparing timestamps with the audit trail would miss changes that write no history row.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prongsai.web.cycle.models import LinkCheck, Measure, Plan, ProgressEntry

TIMEOUT = 10.0  # seconds, per connection and per read
# Seconds for one link in all (DNS, connections, redirects, HEAD then GET): a server that drips a
# byte every few seconds kept each read under TIMEOUT and held a check for minutes.
DEADLINE = 20.0
WORKERS = 8  # links checked at the same time by one check
USER_AGENT = "Prongsai-LinkCheck/1 (ITA evidence link check)"
MAX_URL_LENGTH = 2000

# Error codes stored in the results; cycle/_linkcheck_reason.html says them in Thai.
SCHEME, INVALID, PRIVATE, DNS, REFUSED, TIMEOUT_ERR, SSL_ERR = (
    "scheme",
    "invalid",
    "private",
    "dns",
    "refused",
    "timeout",
    "ssl",
)
REDIRECTS, PROTOCOL, UNREACHABLE, HTTP = "redirects", "protocol", "unreachable", "http"


# ---------------------------------------------------------------------------------------------
# Outbound HTTP: the one function tests patch.


class PrivateAddress(OSError):
    """The host resolves only to addresses that are not on the public internet."""


def _allow_private() -> bool:
    return bool(getattr(settings, "PRONGSAI_LINKCHECK_ALLOW_PRIVATE", False))


def _address_allowed(ip: str) -> bool:
    if _allow_private():
        return True
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_global and not addr.is_multicast


class _Deadline(threading.local):
    """The current link's deadline and the sockets opened for it (per checking thread)."""

    at: float | None = None
    sockets: list[socket.socket]

    def __init__(self) -> None:
        self.sockets = []


_deadline = _Deadline()


class _Cut:
    """Whether the deadline fired: a cut socket may read as a clean end of the headers."""

    fired = False


def _cut(sockets: list[socket.socket], state: _Cut) -> None:
    """Shut the link's sockets down: a read blocked in another thread returns at once."""
    state.fired = True
    for sock in list(sockets):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


@contextlib.contextmanager
def _within(seconds: float):
    """Everything inside (every connection it opens) ends by ``seconds`` from now."""
    _deadline.at, _deadline.sockets = time.monotonic() + seconds, []
    state = _Cut()
    timer = threading.Timer(seconds, _cut, args=(_deadline.sockets, state))
    timer.daemon = True
    timer.start()
    try:
        yield state
    finally:
        timer.cancel()
        _deadline.at = None


def _guarded_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
    """socket.create_connection, but only to addresses that ``_address_allowed``; the socket
    connects to the checked address itself, so DNS cannot answer differently a second time."""
    host, port = address
    if _deadline.at is not None and time.monotonic() >= _deadline.at:
        raise TimeoutError(f"{host}: the link's time is spent")
    infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    allowed = [info for info in infos if _address_allowed(info[4][0])]
    if not allowed:
        raise PrivateAddress(f"{host} resolves to non-public addresses only")
    last: OSError | None = None
    for family, type_, proto, _canon, sockaddr in allowed:
        sock = socket.socket(family, type_, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            last = exc
            sock.close()
    raise last  # type: ignore[misc]


def _watch(sock: socket.socket | None) -> None:
    """The connection's socket (the TLS one for https) is cut when the link's deadline passes."""
    if sock is not None and _deadline.at is not None:
        _deadline.sockets.append(sock)
        if time.monotonic() >= _deadline.at:
            _cut([sock])


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection

    def connect(self) -> None:
        super().connect()
        _watch(self.sock)


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection

    def connect(self) -> None:
        super().connect()
        _watch(self.sock)


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_GuardedHTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_GuardedHTTPSConnection, req, context=ssl.create_default_context())


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows redirects keeping HEAD a HEAD (Python 3.11 turns it into a GET)."""

    max_redirections = 10

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"
        return new


def _opener() -> urllib.request.OpenerDirector:
    """http and https only (no file:, ftp:, data:), no proxy from the environment."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler({}),
        _HTTPHandler(),
        _HTTPSHandler(),
        _RedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _ascii_url(url: str) -> str:
    """A link as people write it (Thai path, Thai domain) as the ASCII URL HTTP needs."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    host = host.encode("idna").decode("ascii") if not host.isascii() else host
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    safe = "/%:@!$&'()*+,;=~-._"
    path = urllib.parse.quote(parts.path, safe=safe) or "/"
    query = urllib.parse.quote(parts.query, safe=safe + "?")
    return urllib.parse.urlunsplit((parts.scheme.lower(), netloc, path, query, ""))


def _classify(exc: BaseException) -> str:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, PrivateAddress):
        return PRIVATE
    if isinstance(reason, socket.gaierror):
        return DNS
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return SSL_ERR
    if isinstance(reason, TimeoutError | socket.timeout):
        return TIMEOUT_ERR
    if isinstance(reason, ConnectionRefusedError):
        return REFUSED
    if isinstance(reason, str) and "unknown url type" in reason:
        return SCHEME  # a redirect to file:, ftp: ...
    if isinstance(reason, http.client.HTTPException):
        return PROTOCOL
    return UNREACHABLE


def _request(url: str, method: str) -> tuple[bool, int | None, str]:
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    if method == "GET":
        headers["Range"] = "bytes=0-1023"
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with _opener().open(request, timeout=TIMEOUT) as response:
            status = response.status
            if method == "GET":
                # The status line and headers arrived: the link answers whatever the body does.
                with contextlib.suppress(OSError, http.client.HTTPException):
                    response.read(1024)
            return status < 400, status, ""
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code in (301, 302, 303, 307, 308):  # redirect loop or redirect refused
            return False, exc.code, REDIRECTS
        if exc.code < 400:  # 300, 304: an answer, not an error
            return True, exc.code, ""
        if exc.code == 416 and method == "GET":  # the range is past an empty file: it exists
            return True, exc.code, ""
        return False, exc.code, HTTP
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        return False, None, _classify(exc)


def fetch_status(url: str) -> tuple[bool, int | None, str]:
    """(ok, HTTP status or None, error code or "") for one link. The only outbound HTTP."""
    url = (url or "").strip()
    try:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            return False, None, SCHEME
        if not parts.hostname or len(url) > MAX_URL_LENGTH:
            return False, None, INVALID
        target = _ascii_url(url)
    except (ValueError, UnicodeError):
        return False, None, INVALID
    started = time.monotonic()
    with _within(DEADLINE) as cut:
        ok, status, error = _request(target, "HEAD")
        if not ok and not cut.fired and (error in (HTTP, PROTOCOL) or (error == REDIRECTS and status)):
            # Many servers refuse or mishandle HEAD (405, 403, 404, 501, a dropped connection).
            ok, status, error = _request(target, "GET")
    # Cut at the deadline, whatever the read then raised or returned: a status line sent in time
    # with headers that never end reads as a whole answer once its socket is shut.
    if cut.fired or (not ok and time.monotonic() - started >= DEADLINE):
        return False, status, TIMEOUT_ERR
    return ok, status, error


# ---------------------------------------------------------------------------------------------
# What a plan links to.

# A link written in Thai text ends at white space or at a character a URL never ends with; Thai
# letters stay part of it (Thai paths are common on agencies' sites).
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'`{}|\\^\[\]]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\"”’»、。"


def find_urls(text: str) -> list[str]:
    """The links written in a text, in order, each once (a bare www. gets http://)."""
    found: list[str] = []
    for match in _URL_RE.finditer(unicodedata.normalize("NFC", text or "")):
        url = match.group(0)
        while url and url[-1] in _TRAILING:
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break  # wiki-style links keep their closing parenthesis
            url = url[:-1]
        if url.lower().startswith("www."):
            url = "http://" + url
        if len(url) > len("http://x") and url not in found:
            found.append(url)
    return found


@dataclass
class Target:
    url: str
    source: str  # "evidence", "caption", "measure", "progress", "website"
    measure_id: int | None = None
    measure: str = ""
    position: int | None = None


def collect(plan: Plan) -> list[Target]:
    """Every link of the plan, each URL once (where it first appears): the measures' evidence
    links, links inside evidence captions, links in the measures' texts and latest progress,
    and the agency's website."""
    targets: dict[str, Target] = {}

    def add(url: str, source: str, m: Measure | None = None) -> None:
        url = url.strip()
        if url and url not in targets:
            if m is None:
                targets[url] = Target(url, source)
            else:
                targets[url] = Target(url, source, m.pk, m.title, m.position)

    measures = plan.measures.order_by("position", "pk").prefetch_related(
        "evidence", Prefetch("progress", queryset=ProgressEntry.objects.order_by("-as_of", "-pk"))
    )
    for m in measures:
        for e in m.evidence.all():
            if e.url:
                add(e.url, "evidence", m)
            for url in find_urls(e.caption):
                add(url, "caption", m)
        for text in (m.title, m.analysis, m.steps, m.monitoring, m.responsible_text):
            for url in find_urls(text):
                add(url, "measure", m)
        latest = next(iter(m.progress.all()), None)
        if latest is not None:
            for text in (latest.result, latest.outcome, latest.suggestion):
                for url in find_urls(text):
                    add(url, "progress", m)
    if plan.agency.website:
        add(plan.agency.website, "website")
    return list(targets.values())


# ---------------------------------------------------------------------------------------------
# Running a check.


def run_check(check_id: int) -> None:
    """The task's body: check every link, recording progress as each answers. The check is
    marked finished whatever happens, so a page never polls forever."""
    check = LinkCheck.objects.select_related("plan__agency").get(pk=check_id)
    if check.finished is not None:
        return  # a retried task: the check already ran
    results: list[dict] = []
    try:
        plan = check.plan
        plan.refresh_from_db(fields=["content_version"])
        version = plan.content_version  # read before the links: an edit during the check makes it stale
        targets = collect(plan)
        LinkCheck.objects.filter(pk=check_id).update(total=len(targets), done=0, results=[])
        if targets:
            with ThreadPoolExecutor(max_workers=min(WORKERS, len(targets))) as pool:
                futures = {pool.submit(_fetch, t.url): t for t in targets}
                for future in as_completed(futures):
                    t = futures[future]
                    ok, status, error = future.result()
                    results.append(
                        {
                            "url": t.url,
                            "ok": ok,
                            "status": status,
                            "error": error,
                            "source": t.source,
                            "measure_id": t.measure_id,
                            "measure": t.measure,
                            "position": t.position,
                            "version": version,
                        }
                    )
                    _save_progress(check_id, results)
    finally:
        LinkCheck.objects.filter(pk=check_id).update(finished=timezone.now())


def _save_progress(check_id: int, results: list[dict]) -> None:
    LinkCheck.objects.filter(pk=check_id).update(done=len(results), results=_ordered(results))


def _fetch(url: str) -> tuple[bool, int | None, str]:
    try:
        return fetch_status(url)  # looked up at call time, so tests can patch it
    except Exception:  # one odd link must not end the whole check
        return False, None, UNREACHABLE


def _ordered(results: list[dict]) -> list[dict]:
    """Failures first, then in the plan's order (measures by position, the website last)."""
    return sorted(
        results,
        key=lambda r: (r["ok"], r["position"] is None, r["position"] or 0, r["measure_id"] or 0, r["url"]),
    )


# ---------------------------------------------------------------------------------------------
# Reading checks.


def latest_check(plan: Plan) -> LinkCheck | None:
    return plan.link_checks.order_by("-started", "-pk").first()


def latest_check_ok(plan: Plan) -> tuple[bool, str]:
    """(True, "") when the latest finished check read the plan as it is now and every link
    answered; else False and why, in Thai (for the submit-for-approval step)."""
    check = plan.link_checks.filter(finished__isnull=False).order_by("-started", "-pk").first()
    if check is None:
        return False, _("ยังไม่ได้ตรวจสอบลิงก์")
    plan.refresh_from_db(fields=["content_version"])
    if check.total == 0:
        # Nothing to check then: it still holds if there is nothing to check now.
        if collect(plan):
            return False, _("แผนมีการแก้ไขหลังการตรวจสอบลิงก์")
        return True, ""
    if any(r.get("version") != plan.content_version for r in check.results):
        return False, _("แผนมีการแก้ไขหลังการตรวจสอบลิงก์")
    if check.done < check.total:
        return False, _("การตรวจสอบลิงก์ครั้งล่าสุดไม่เสร็จสมบูรณ์ กรุณาตรวจสอบอีกครั้ง")
    checked = {r.get("url") for r in check.results}
    if any(t.url not in checked for t in collect(plan)):  # evidence or progress added since
        return False, _("มีลิงก์ใหม่ที่ยังไม่ได้ตรวจสอบ กรุณาตรวจสอบลิงก์อีกครั้ง")
    failures = check.failures
    if failures:
        shown = ", ".join(r["url"] for r in failures[:3]) + (" …" if len(failures) > 3 else "")
        return False, ngettext(
            "มีลิงก์ที่เปิดไม่ได้ %(count)d รายการ: %(urls)s",
            "มีลิงก์ที่เปิดไม่ได้ %(count)d รายการ: %(urls)s",
            len(failures),
        ) % {"count": len(failures), "urls": shown}
    return True, ""
