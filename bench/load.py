"""Load benchmark of the deploy stack on loopback: gunicorn + PostgreSQL + ``manage.py db_worker``,
debug off, as docs/deploy.md describes, with closed-loop clients over a mix of agency, plan,
public and API pages; then the same levels again while costly work runs in the task workers (a
20-page scanned PDF imported through OCR and 16 link checks of plans whose evidence links point to
a server that drips one byte per second).

    .venv/bin/python bench/load.py [--clients 10,25,50] [--seconds 60] [--no-costly] [--keep-db]

The script creates its own database (``prongsai_load`` on PostgreSQL at 127.0.0.1:5432, user
postgres, trust authentication), migrates it, loads the demo data (``manage.py load_demo``), adds
its fixtures (an officer of 16 agencies for the link checks, API tokens, the dripping evidence
links), collects the static files into a temporary ``PRONGSAI_VAR``, starts gunicorn with
docs/deploy.md's command (4 workers x 2 threads) and two db_workers, runs the levels and tears
everything down, also on Ctrl-C; the database is dropped unless ``--keep-db``.

The clients talk to gunicorn as the reverse proxy of docs/deploy.md would: one connection per
request, ``X-Forwarded-Proto: https`` (so the HTTPS settings of debug-off hold as deployed).
Officers log in through the login form (agency and plan pages); the API is called with a bearer
token; public pages without login. Every page must answer 200: anything else is an error.
Targets (issue 11): 0 errors at every level, the public page's p95 under 500 ms while the costly
work runs; the figure before issue 11 was 66 requests/s at 50 clients (deploy stack, 2 cores).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import http.cookies
import http.server
import io
import os
import random
import re
import secrets
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
DEFAULT_DB = "prongsai_load"
KINDS = ("public", "agency", "plan", "api")
# The mix of page kinds, repeated: public 30 %, agency 25 %, plan 25 %, API 20 %.
PATTERN = [
    *("public", "agency", "plan", "api", "public", "plan", "agency", "public", "api", "plan"),
    *("public", "agency", "plan", "public", "api", "agency", "plan", "public", "agency", "api"),
]
PUBLIC_TARGET_MS = 500
EARLIER = "66 requests/s at 50 clients (deploy stack, 2 cores, before issue 11)"
PASSWORD = "demo1234"  # the demo logins' password (prongsai/web/demo/loader.py)
CHECK_PLANS = 16  # link checks started at once
LINKS_PER_PLAN = 8  # dripping evidence links per plan: the checker's WORKERS per check
SCAN_PAGES = 20
FIXTURE_CAPTION = "load-bench: dripping link"
CHECKER = "load_checker"
TOKEN_NAME = "load-bench"


# ---------------------------------------------------------------------------------------------
# Processes and teardown.


class Stack:
    """Everything the bench started, stopped in reverse order whatever happens."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.procs: list[tuple[str, subprocess.Popen, Path]] = []
        self.drip: socketserver.BaseServer | None = None

    def start(self, name: str, cmd: list[str], env: dict[str, str], nice: int = 0) -> subprocess.Popen:
        log = self.tmp / f"{name}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                cmd,
                env=env,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group: Ctrl-C reaches the bench only
                preexec_fn=(lambda: os.nice(nice)) if nice else None,
            )
        self.procs.append((name, proc, log))
        return proc

    def strays(self) -> list[int]:
        """Processes other than this one whose environment names this run's PRONGSAI_VAR."""
        mark = f"PRONGSAI_VAR={self.tmp / 'var'}".encode()
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) != os.getpid():
                try:
                    if mark in Path(f"/proc/{entry}/environ").read_bytes().split(b"\0"):
                        found.append(int(entry))
                except OSError:
                    continue
        return found

    def check_alive(self) -> None:
        for name, proc, log in self.procs:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited ({proc.returncode}):\n{tail(log)}")

    def stop(self) -> None:
        for _name, proc, _log in reversed(self.procs):
            if proc.poll() is None:
                with _quiet():
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for _name, proc, _log in reversed(self.procs):
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            with _quiet():  # the group: tesseract started by a worker too
                os.killpg(proc.pid, signal.SIGKILL)
            with _quiet():
                proc.wait(timeout=5)
        # Whatever left the groups (the importer's child takes a process group of its own) still
        # carries this run's environment: end it by that mark.
        for _ in range(3):
            strays = self.strays()
            for pid in strays:
                with _quiet():
                    os.kill(pid, signal.SIGKILL)
            if not strays:
                break
            time.sleep(0.5)
        if self.drip is not None:
            self.drip.shutdown()
            self.drip.server_close()


class _quiet:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return exc[0] is not None and issubclass(exc[0], (ProcessLookupError, PermissionError, OSError))


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and all its descendants (live ones, and reaped ones through cutime)."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                raw = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            rest = raw[raw.rindex(")") + 2 :].split()
            ppid = int(rest[1])
            stats[int(entry)] = (ppid, sum(int(x) for x in rest[11:15]) / ticks)
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        if p in stats:
            total += stats[p][1]
            todo += [c for c, (pp, _) in stats.items() if pp == p]
    return total


# ---------------------------------------------------------------------------------------------
# Database and fixtures.


def create_database(server: str, name: str, keep: bool) -> bool:
    """Create the database (dropped first unless --keep-db reuses it). True when it was created."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and keep:
            return False
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
        # Short queries: JIT compilation costs more than it saves (as bench/web.py).
        conn.execute(f'ALTER DATABASE "{name}" SET jit = off')
    return True


def drop_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Fixtures:
    officers: dict[str, str] = field(default_factory=dict)  # username -> agency slug
    plan_years: dict[str, list[int]] = field(default_factory=dict)  # officer's agency -> plan years
    public: list[str] = field(default_factory=list)  # /p/… paths
    api: list[tuple[str, str]] = field(default_factory=list)  # (path, token)
    check_plans: list[tuple[str, int]] = field(default_factory=list)  # (slug, year)
    import_officer: str = "editor003"
    import_agency: str = "tonyongmat"


def fixtures(drip_port: int) -> Fixtures:
    """Users, tokens and dripping evidence links (idempotent), and the pages to request."""
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.urls import reverse
    from django_tasks_db.models import DBTaskResult

    from prongsai.web.agencies.models import Agency, ApiToken, Membership, Role
    from prongsai.web.cycle.models import Approval, Evidence, EvidenceKind, LinkCheck, Plan
    from prongsai.web.imports.models import ImportJob

    fx = Fixtures()
    with transaction.atomic():
        for m in Membership.objects.filter(user__username__regex=r"^editor[0-9]{3}$").select_related(
            "user", "agency"
        ):
            fx.officers[m.user.username] = m.agency.slug
            years = sorted(m.agency.plans.values_list("fiscal_year", flat=True))
            fx.plan_years[m.agency.slug] = years
            ApiToken.objects.filter(user=m.user, name=TOKEN_NAME).delete()
            _, raw = ApiToken.issue(m.user, TOKEN_NAME)
            slug, year = m.agency.slug, years[-1]
            for path in (
                f"/api/agencies/{slug}",
                f"/api/agencies/{slug}/plans/{year}",
                f"/api/agencies/{slug}/plans/{year}/measures",
                f"/api/agencies/{slug}/assessments",
            ):
                fx.api.append((path, raw))
        # Public pages: the newest approved plan of the seeds and of 20 province agencies.
        approved = (
            Approval.objects.filter(decision="approved")
            .values_list("plan__agency__slug", "plan__fiscal_year")
            .distinct()
        )
        newest: dict[str, int] = {}
        for slug, year in approved:
            newest[slug] = max(year, newest.get(slug, 0))
        chosen = (
            sorted(s for s in newest if s in fx.plan_years)
            + sorted(s for s in newest if s not in fx.plan_years)[:20]
        )
        for slug in chosen:
            fx.public.append(reverse("public_year", kwargs={"agency": slug, "year": newest[slug]}))
        fx.public += [reverse("public_agency", kwargs={"agency": s}) for s in chosen[:5]]
        # The link checks: 16 plans not yet approved, each with 8 evidence links to the drip server.
        checker = User.objects.filter(username=CHECKER).first()
        if checker is None:
            checker = User.objects.create_user(CHECKER, password=PASSWORD)
        plans = (
            Plan.objects.exclude(status="approved")
            .exclude(agency__slug__in=fx.plan_years)
            .filter(measures__isnull=False)
            .select_related("agency")
            .distinct()
            .order_by("-fiscal_year", "agency__slug")[:CHECK_PLANS]
        )
        Evidence.objects.filter(caption=FIXTURE_CAPTION).delete()
        # A reused database (--keep-db) starts clean: no task, check or import left by an earlier run.
        DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).delete()
        LinkCheck.objects.filter(plan__in=plans).delete()
        ImportJob.objects.all().delete()  # the bench's own database: only its imports
        for plan in plans:
            Membership.objects.get_or_create(user=checker, agency=plan.agency, defaults={"role": Role.EDITOR})
            Agency.objects.filter(pk=plan.agency_id).update(website="")  # only the dripping links
            measure = plan.measures.order_by("position", "pk").first()
            Evidence.objects.bulk_create(
                Evidence(
                    measure=measure,
                    kind=EvidenceKind.LINK,
                    url=f"http://127.0.0.1:{drip_port}/{plan.agency.slug}/{i}",
                    caption=FIXTURE_CAPTION,
                    owner=checker,
                )
                for i in range(LINKS_PER_PLAN)
            )
            fx.check_plans.append((plan.agency.slug, plan.fiscal_year))
    if len(fx.check_plans) < CHECK_PLANS:
        sys.exit(f"only {len(fx.check_plans)} plans for the link checks; load_demo loads about 50 agencies")
    if fx.import_officer not in fx.officers:
        fx.import_officer = sorted(fx.officers)[0]
    fx.import_agency = fx.officers[fx.import_officer]
    return fx


def scanned_pdf(tmp: Path, pages: int = SCAN_PAGES) -> bytes:
    """An image-only PDF of ``pages`` pages: a demo document rendered by pdftoppm, its pages
    cycled, rebuilt by Pillow (no text layer, so the importer must OCR every page)."""
    from PIL import Image

    source = tmp / "plan.pdf"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "prongsai",
            "document",
            "plan",
            str(ROOT / "prongsai/demo/tonyongmat.json"),
            "-o",
            str(source),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(source), str(tmp / "page")], check=True)
    images = [Image.open(p).convert("L") for p in sorted(tmp.glob("page-*.png"))]
    if not images:
        sys.exit("pdftoppm rendered no page")
    seq = [images[i % len(images)] for i in range(pages)]
    buf = io.BytesIO()
    seq[0].save(buf, format="PDF", save_all=True, append_images=seq[1:], resolution=150)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# The slow server: one byte per second, status line and headers included.


class Drip(http.server.BaseHTTPRequestHandler):
    def _drip(self, body: bool) -> None:
        payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n"
        if body:
            payload += b"." * 100000
        try:
            for byte in payload:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(1)
        except OSError:  # the checker cut the connection at its deadline
            pass
        self.close_connection = True

    def do_HEAD(self) -> None:
        self._drip(False)

    def do_GET(self) -> None:
        self._drip(True)

    def log_message(self, format: str, *args: object) -> None:
        pass


class DripServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 256


# ---------------------------------------------------------------------------------------------
# HTTP as the reverse proxy speaks it.


class Site:
    def __init__(self, port: int) -> None:
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.origin = f"https://{self.host}"

    def request(
        self,
        method: str,
        path: str,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        timeout: float = 90,
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(
                method,
                path,
                body=body,
                headers={
                    "Host": self.host,
                    "X-Forwarded-Proto": "https",
                    "Connection": "close",
                    **(headers or {}),
                },
            )
            r = conn.getresponse()
            return r.status, r.headers, r.read()
        finally:
            conn.close()


class Session:
    """A browser's cookies (session and CSRF) for one logged-in person."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.cookies: dict[str, str] = {}

    def _store(self, headers: http.client.HTTPMessage) -> None:
        for value in headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value

    def headers(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    def get(self, path: str) -> tuple[int, bytes]:
        status, headers, body = self.site.request("GET", path, self.headers())
        self._store(headers)
        return status, body

    def post(self, path: str, body: bytes, content_type: str) -> tuple[int, http.client.HTTPMessage]:
        headers = {
            **self.headers(),
            "Content-Type": content_type,
            "Origin": self.site.origin,
            "Referer": self.site.origin + path,
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
        }
        status, resp_headers, _ = self.site.request("POST", path, headers, body)
        self._store(resp_headers)
        return status, resp_headers

    def login(self, username: str) -> None:
        status, page = self.get("/login/")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not found:
            raise RuntimeError(f"/login/ answered {status} without a CSRF token")
        form = urlencode(
            {"csrfmiddlewaretoken": found.group(1).decode(), "username": username, "password": PASSWORD}
        )
        status, _ = self.post("/login/", form, "application/x-www-form-urlencoded")
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username} answered {status}")

    def form_post(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None
    ) -> int:
        if "csrftoken" not in self.cookies:
            self.get(path)
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        if files:
            body, ctype = multipart(data, files)
        else:
            body, ctype = urlencode(data), "application/x-www-form-urlencoded"
        status, _ = self.post(path, body, ctype)
        return status


def urlencode(fields: dict[str, str]) -> bytes:
    from urllib.parse import urlencode as enc

    return enc(fields).encode()


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, data) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


# ---------------------------------------------------------------------------------------------
# Closed-loop clients.


@dataclass
class Work:
    kind: str
    path: str
    headers: dict[str, str]


def schedule(fx: Fixtures, sessions: dict[str, Session], kinds: list[str], seed: int = 1) -> list[Work]:
    """A long mixed sequence of requests; each client walks it from its own offset."""
    rng = random.Random(seed)
    officers = sorted(fx.officers)
    pools: dict[str, list[Work]] = {k: [] for k in KINDS}
    for path in fx.public:
        pools["public"].append(Work("public", path, {}))
    for user in officers:
        slug, cookie = fx.officers[user], sessions[user].headers()
        for path in (f"/a/{slug}/", f"/a/{slug}/years/"):
            pools["agency"].append(Work("agency", path, cookie))
        for year in fx.plan_years[slug][-2:]:
            pools["plan"].append(Work("plan", f"/a/{slug}/plans/{year}/", cookie))
    for path, token in fx.api:
        pools["api"].append(Work("api", path, {"Authorization": f"Bearer {token}"}))
    out = []
    for _ in range(30):
        for kind in (k for k in PATTERN if k in kinds):
            out.append(rng.choice(pools[kind]))
    return out


@dataclass
class Level:
    clients: int
    costly: bool
    seconds: float = 0.0  # the window in which requests start
    wall: float = 0.0  # until the last request answered
    in_window: int = 0  # requests answered within the window: requests/s
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: dict[str, int] = field(default_factory=lambda: {k: 0 for k in KINDS})
    error_samples: list[str] = field(default_factory=list)
    cpu_web: float = 0.0
    cpu_workers: float = 0.0
    load: float = 0.0
    costly_state: str = ""

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def rps(self) -> float:
        return self.in_window / self.seconds if self.seconds else 0.0

    @property
    def total_errors(self) -> int:
        return sum(self.errors.values())

    def p(self, kind: str, q: float) -> float:
        return pct(self.latencies[kind], q)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def run_level(
    sites: dict[str, Site], work: list[Work], level: Level, seconds: float, stop_all: threading.Event
) -> None:
    lock = threading.Lock()
    start_gate = threading.Barrier(level.clients + 1)
    stop_at = [0.0]

    def client(k: int) -> None:
        i = k  # neighbours start on different kinds: the mix holds from the first request
        start_gate.wait()
        while time.perf_counter() < stop_at[0] and not stop_all.is_set():
            w = work[i % len(work)]
            i += 1
            began = time.perf_counter()
            try:
                status, _, _ = sites[w.kind].request("GET", w.path, w.headers)
                error = None if status == 200 else f"HTTP {status}"
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__}: {exc}"
            ended = time.perf_counter()
            ms = (ended - began) * 1000
            with lock:
                level.latencies[w.kind].append(ms)
                level.in_window += ended <= stop_at[0]
                if error:
                    level.errors[w.kind] += 1
                    if len(level.error_samples) < 10:
                        level.error_samples.append(f"{w.kind} {w.path}: {error} after {ms:.0f} ms")

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(level.clients)]
    for t in threads:
        t.start()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    level.seconds = seconds
    start_gate.wait()
    for t in threads:
        while t.is_alive():
            t.join(0.5)
    level.wall = time.perf_counter() - began


# ---------------------------------------------------------------------------------------------
# Costly work: an OCR import and link checks, through the pages an editor uses.


class Costly:
    def __init__(self, site: Site, fx: Fixtures, scan: bytes) -> None:
        self.site, self.fx, self.scan = site, fx, scan
        self.importer = Session(site)
        self.importer.login(fx.import_officer)
        self.checker = Session(site)
        self.checker.login(CHECKER)
        self.refused: list[str] = []

    def top_up(self) -> None:
        """Start an import unless one is still queued or running, and a link check of every plan
        whose last check has finished: the costly work never runs dry during a level."""
        from django.db import connection

        from prongsai.web.cycle.models import LinkCheck
        from prongsai.web.imports.models import ImportJob, JobStatus

        busy = ImportJob.objects.filter(
            agency__slug=self.fx.import_agency, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        ).exists()
        if not busy:
            path = f"/a/{self.fx.import_agency}/imports/"
            status = self.importer.form_post(path, {}, {"files": ("scan-20-pages.pdf", self.scan)})
            if status != 302:
                self.refused.append(f"import upload: HTTP {status}")
        for slug, year in self.fx.check_plans:
            last = (
                LinkCheck.objects.filter(plan__agency__slug=slug, plan__fiscal_year=year)
                .order_by("-pk")
                .first()
            )
            if last is None or last.finished is not None:
                status = self.checker.form_post(f"/a/{slug}/plans/{year}/linkcheck/", {})
                if status != 302:
                    self.refused.append(f"link check {slug} {year}: HTTP {status}")
        connection.close()

    def state(self) -> str:
        from django.db import connection
        from django.utils import timezone

        from prongsai.web.cycle.models import LinkCheck
        from prongsai.web.imports.models import ImportJob

        jobs = list(ImportJob.objects.filter(agency__slug=self.fx.import_agency).order_by("pk"))
        now = timezone.now()
        parts = []
        for j in jobs:
            if j.finished_at:
                took = (j.finished_at - (j.started or j.created)).total_seconds()
                parts.append(f"{j.status} ({j.method or '-'} {j.pages or '?'} pages, {took:.0f} s)")
            elif j.started:
                stage = getattr(j, "progress_stage", "")  # the importer's progress, when it reports it
                done = f", {stage} {j.progress_done}/{j.progress_total}" if stage else ""
                parts.append(f"running for {(now - j.started).total_seconds():.0f} s{done}")
            else:
                parts.append("queued")
        finished = list(LinkCheck.objects.filter(finished__isnull=False))
        verdicts = Counter(
            "ok" if r.get("ok") else (r.get("error") or "failed")
            for c in finished
            for r in (c.results or [])
            if "127.0.0.1" in r.get("url", "")
        )
        running = LinkCheck.objects.filter(finished__isnull=True).count()
        connection.close()
        took = [(c.finished - c.started).total_seconds() for c in finished]
        said = ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items())) or "none yet"
        out = (
            f"imports so far: {', '.join(parts) or 'none'}; link checks: {len(finished)} finished"
            + (f" (longest {max(took):.0f} s from request to end)" if took else "")
            + f", {running} queued or running; the dripping links were reported: {said}"
        )
        if verdicts.get("ok"):
            out += " (ok for a server that never finished its headers: expected 'timeout')"
        return out


# ---------------------------------------------------------------------------------------------


def report(level: Level) -> None:
    phase = "with costly work" if level.costly else "quiet"
    print(
        f"\n{level.clients} clients, {phase}: {level.rps:.1f} requests/s ({level.in_window} answered in the "
        f"{level.seconds:.0f} s window, {level.requests} in all), errors {level.total_errors}; "
        f"load average {level.load:.1f}"
    )
    print(f"  {'page':<8} {'n':>6} {'p50':>8} {'p95':>8} {'p99':>8} {'errors':>7}")
    for kind in (k for k in KINDS if level.latencies[k]):
        print(
            f"  {kind:<8} {len(level.latencies[kind]):>6} {level.p(kind, 50):>6.0f}ms "
            f"{level.p(kind, 95):>6.0f}ms {level.p(kind, 99):>6.0f}ms {level.errors[kind]:>7}"
        )
    p95 = level.p("public", 95)
    verdict = (
        ("met" if p95 < PUBLIC_TARGET_MS else "NOT met")
        if level.costly
        else "(target applies with costly work)"
    )
    print(f"  public page p95: {p95:.0f} ms (< {PUBLIC_TARGET_MS} ms: {verdict})")
    print(
        f"  CPU over the level: gunicorn {level.cpu_web:.1f} s, "
        f"db_workers (with tesseract) {level.cpu_workers:.1f} s "
        f"in {level.wall:.1f} s on {os.cpu_count()} cores"
    )
    if level.costly_state:
        print(f"  costly work: {level.costly_state}")
    for sample in level.error_samples:
        print(f"  error: {sample}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--clients", default="10,25,50", help="levels of concurrent clients (comma separated)"
    )
    parser.add_argument("--seconds", type=float, default=60, help="seconds per level")
    parser.add_argument(
        "--no-costly", action="store_true", help="skip the levels with the OCR import and link checks"
    )
    parser.add_argument("--kinds", default=",".join(KINDS), help="page kinds in the mix (diagnosis)")
    parser.add_argument("--keep-db", action="store_true", help="keep (and reuse) the database")
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_POSTGRES", DEFAULT_SERVER),
        help="PostgreSQL URL without a database",
    )
    parser.add_argument("--database", default=DEFAULT_DB)
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (docs/deploy.md: 4)")
    parser.add_argument(
        "--threads", type=int, default=2, help="threads per gunicorn worker (docs/deploy.md: 2)"
    )
    parser.add_argument(
        "--public-workers",
        type=int,
        default=0,
        help="a second gunicorn of N workers for the public pages alone (0: one pool for everything)",
    )
    parser.add_argument("--db-workers", type=int, default=2, help="manage.py db_worker processes")
    parser.add_argument(
        "--worker-nice", type=int, default=0, help="niceness of the db_workers (0: as the web)"
    )
    parser.add_argument(
        "--omp-threads", type=int, default=0, help="OMP_THREAD_LIMIT of the db_workers: tesseract's threads"
    )
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  (progress as it comes)
    levels = [int(x) for x in args.clients.split(",") if x.strip()]
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    if not kinds or set(kinds) - set(KINDS):
        parser.error(f"--kinds: some of {', '.join(KINDS)}")

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    tmp = Path(tempfile.mkdtemp(prefix="prongsai-load-"))
    stack = Stack(tmp)
    stop_all = threading.Event()
    url = f"{args.server}/{args.database}"
    try:
        port = args.port or free_port()
        drip = DripServer(("127.0.0.1", 0), Drip)
        stack.drip = drip
        threading.Thread(target=drip.serve_forever, daemon=True).start()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "PRONGSAI_DEBUG": "0",
            "PRONGSAI_SECRET_KEY": secrets.token_urlsafe(50),
            "PRONGSAI_ALLOWED_HOSTS": "127.0.0.1",
            "PRONGSAI_VAR": str(tmp / "var"),
            # The drip server is on loopback: the link checker refuses private addresses otherwise.
            "PRONGSAI_LINKCHECK_ALLOW_PRIVATE": "1",
            "PRONGSAI_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "PRONGSAI_LOG_LEVEL": "WARNING",
        }
        os.environ.update({k: env[k] for k in env if k.startswith(("PRONGSAI_", "DATABASE_URL"))})
        manage = [sys.executable, str(ROOT / "manage.py")]
        began = time.perf_counter()
        created = create_database(args.server, args.database, args.keep_db)
        subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        subprocess.run([*manage, "load_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*manage, "collectstatic", "--no-input", "-v", "0"], env=env, check=True)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.web.settings")
        import django

        django.setup()
        from django.db import connection

        fx = fixtures(drip.server_address[1])
        connection.close()
        scan = b"" if args.no_costly else scanned_pdf(tmp)
        print(
            f"set-up {time.perf_counter() - began:.0f} s: database {args.database} "
            f"({'created' if created else 'reused'}, demo data), "
            f"{len(fx.officers)} officers, {len(fx.public)} public pages, {len(fx.api)} API paths"
            + ("" if args.no_costly else f", scanned PDF of {SCAN_PAGES} pages ({len(scan) / 2**20:.1f} MiB)")
        )

        def gunicorn(name: str, bind: int, workers: int) -> subprocess.Popen:
            return stack.start(
                name,
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "prongsai.web.wsgi:application",
                    "--bind", f"127.0.0.1:{bind}",
                    "--workers", str(workers),
                    "--threads", str(args.threads),
                    "--timeout", "60",
                    "--forwarded-allow-ips", "127.0.0.1",
                ],
                env,
            )  # fmt: skip

        webs = [gunicorn("gunicorn", port, args.workers)]
        sites = {kind: Site(port) for kind in KINDS}
        if args.public_workers:
            # The proxy sends /p/ to a pool of its own (location /p/ { proxy_pass http://public; }).
            public_port = free_port()
            webs.append(gunicorn("gunicorn-public", public_port, args.public_workers))
            sites["public"] = Site(public_port)
        workers = [
            stack.start(
                f"db_worker{n}",
                [*manage, "db_worker", "--worker-id", f"load-{n}"],
                {**env, "OMP_THREAD_LIMIT": str(args.omp_threads)} if args.omp_threads else env,
                args.worker_nice,
            )
            for n in range(args.db_workers)
        ]
        site = sites["agency"]
        for s in {id(x): x for x in sites.values()}.values():
            wait_ready(s, stack)
        print(
            f"gunicorn {args.workers} workers x {args.threads} threads on 127.0.0.1:{port}"
            + (f" (+ {args.public_workers} for /p/ alone)" if args.public_workers else "")
            + ", "
            f"{args.db_workers} db_worker(s) (nice {args.worker_nice}, OMP_THREAD_LIMIT "
            f"{args.omp_threads or 'unset'}), debug off, PostgreSQL; "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} before the run"
        )
        sessions = {}
        for user in sorted(fx.officers):
            sessions[user] = Session(site)
            sessions[user].login(user)
        work = schedule(fx, sessions, kinds)
        for w in {(w.path, tuple(w.headers.items())): w for w in work}.values():  # warm every page once
            status, _, _ = sites[w.kind].request("GET", w.path, w.headers)
            if status != 200:
                raise RuntimeError(f"warm-up: {w.kind} {w.path} answered {status}")

        costly = None if args.no_costly else Costly(site, fx, scan)
        results: list[Level] = []
        for phase_costly in (False, True):
            if phase_costly and costly is None:
                break
            for n in levels:
                level = Level(n, phase_costly)
                if costly is not None and phase_costly:
                    costly.top_up()
                    time.sleep(2)  # the workers pick the tasks up
                stack.check_alive()
                web_cpu = sum(cpu_seconds(w.pid) for w in webs)
                worker_cpu = sum(cpu_seconds(w.pid) for w in workers)
                level.load = os.getloadavg()[0]
                run_level(sites, work, level, args.seconds, stop_all)
                level.cpu_web = sum(cpu_seconds(w.pid) for w in webs) - web_cpu
                level.cpu_workers = sum(cpu_seconds(w.pid) for w in workers) - worker_cpu
                if costly is not None and phase_costly:
                    level.costly_state = costly.state()
                report(level)
                results.append(level)
                stack.check_alive()
        summary(results, costly)
        if any(lv.total_errors for lv in results) or (costly is not None and costly.refused):
            for name, _proc, log in stack.procs:
                print(f"\n--- {name} log (tail) ---\n{tail(log)}")
    except KeyboardInterrupt:
        stop_all.set()
        print("\ninterrupted: stopping the stack", file=sys.stderr)
    finally:
        stop_all.set()
        stack.stop()
        if "django" in sys.modules:
            from django.conf import settings

            if settings.configured:
                from django.db import connections

                connections.close_all()
        if not args.keep_db:
            try:
                drop_database(args.server, args.database)
            except Exception as exc:  # teardown goes on
                print(f"could not drop {args.database}: {exc}", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)


def summary(results: list[Level], costly: Costly | None) -> None:
    print("\nsummary")
    print(f"  {'phase':<18} {'clients':>7} {'req/s':>7} {'errors':>7} {'public p95':>11}")
    for lv in results:
        phase = "with costly work" if lv.costly else "quiet"
        print(
            f"  {phase:<18} {lv.clients:>7} {lv.rps:>7.1f} {lv.total_errors:>7} {lv.p('public', 95):>9.0f}ms"
        )
    print(f"  earlier: {EARLIER}")
    if costly is not None and costly.refused:
        print(f"  costly work refused: {'; '.join(costly.refused[:5])}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(site: Site, stack: Stack) -> None:
    for _ in range(300):
        stack.check_alive()
        try:
            if site.request("GET", "/login/", timeout=5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /login/ within 60 s")


if __name__ == "__main__":
    main()
