"""Benchmark of the web pages at national scale on PostgreSQL: median and p95 latency in-process
(Django's test Client), then requests per second with several concurrent clients against a real
server on loopback (``manage.py runserver --noreload``, threaded, one process: a relative figure,
not a deployment's; the deployment runs several processes behind a load balancer).

    .venv/bin/python bench/web.py [--setup] [--agencies 8300] [--requests 60] [--clients 4]

--setup creates the database when missing, migrates it and loads ``load_demo --national N``
(8,300 agencies x 7 years with measures, progress and approvals; about 10 min of CPU, written
by COPY) then ``oversight_rebuild`` (the overseer's summary rows; COPY sends no signals).
Targets: p95 under 150 ms for agency pages and the province and agency overseer pages, under
500 ms for the national overseer page computed (no page cache), and the overseer's XLSX export of
every agency under 5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/prongsai_bench"
# Production-like settings: DEBUG off (no query log), no HTTPS redirect on loopback.
ENV = {"PRONGSAI_DEBUG": "0", "PRONGSAI_SECRET_KEY": "bench-only-key", "PRONGSAI_SSL_REDIRECT": "0"}
AGENCY_TARGET_MS = 150
NATIONAL_TARGET_MS = 500
EXPORT_TARGET_MS = 5000


def setup_database(url: str, agencies: int) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
        # Dashboards are short queries: JIT compilation costs more than it saves (docs/deploy.md).
        conn.execute(f'ALTER DATABASE "{name}" SET jit = off')
    env = {**os.environ, **ENV, "DATABASE_URL": url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
    start = time.perf_counter()
    subprocess.run([*manage, "load_demo", "--national", str(agencies)], env=env, check=True)
    print(f"load_demo --national {agencies}: {time.perf_counter() - start:.0f} s")
    start = time.perf_counter()
    subprocess.run([*manage, "oversight_rebuild"], env=env, check=True)
    print(f"oversight_rebuild: {time.perf_counter() - start:.0f} s")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--setup", action="store_true", help="create, migrate and load the database first")
    parser.add_argument("--agencies", type=int, default=8300)
    parser.add_argument("--requests", type=int, default=60, help="measured requests per page, in-process")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients against the server")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--oversight-only", action="store_true", help="only the overseer's pages and export")
    args = parser.parse_args()
    if args.setup:
        setup_database(args.database_url, args.agencies)

    os.environ.update(ENV)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.web.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse

    from prongsai.web.agencies.models import Agency, Membership, Role
    from prongsai.web.demo.loader import LAST_ASSESSED

    national = Agency.objects.filter(slug__regex=r"^n[0-9]{5}$")
    total = national.count()
    if total < 100:
        sys.exit(f"{args.database_url}: {total} generated agencies; run with --setup first")
    rng = random.Random(1)
    # Agencies whose plan of the year has been approved (the public page exists).
    published = national.filter(plans__fiscal_year=LAST_ASSESSED, plans__approvals__decision="approved")
    sample = rng.sample(sorted(set(published.values_list("slug", flat=True))), 20)
    editors = []
    for i, slug in enumerate(sample):  # one editor per sampled agency, as in real life
        user, _ = User.objects.get_or_create(username=f"bench_editor_{i}")
        Membership.objects.get_or_create(
            user=user, agency=Agency.objects.get(slug=slug), defaults={"role": Role.EDITOR}
        )
        editors.append((user, slug))
    overseer = User.objects.get(username="overseer_national")
    plan_year = LAST_ASSESSED  # the plan the next OIT checks: measures and progress
    print(
        f"web: {total} generated agencies, PostgreSQL {args.database_url.rsplit('/', 1)[-1]}, "
        f"{args.requests} requests per page in-process (after warm-up), DEBUG off"
    )

    def agency_urls(slug: str) -> dict[str, str]:
        return {
            "agency_dashboard": reverse("agency_dashboard", kwargs={"agency": slug}),
            "plan_detail": reverse("plan_detail", kwargs={"agency": slug, "year": plan_year}),
            "public_year": reverse("public_year", kwargs={"agency": slug, "year": plan_year}),
        }

    pages: list[tuple[str, str, object, float]] = []  # (label, url, user, target)
    if not args.oversight_only:
        for name in ("agency_dashboard", "plan_detail", "public_year"):
            for user, slug in editors:
                pages.append((name, agency_urls(slug)[name], user, AGENCY_TARGET_MS))
    # The overseer's pages read the precomputed rows (oversight.AgencyYear); the national page's
    # default year is the plans' under way.
    pages.append(("oversight_home (computed)", reverse("oversight_home"), overseer, NATIONAL_TARGET_MS))
    pages.append(
        (
            "oversight_home behind (computed)",
            reverse("oversight_home") + f"?year={LAST_ASSESSED}&status=behind&sort=-behind",
            overseer,
            NATIONAL_TARGET_MS,
        )
    )
    pages.append(("oversight_home (5 min cache)", reverse("oversight_home"), overseer, NATIONAL_TARGET_MS))
    pages.append(
        (
            "oversight_province",
            reverse("oversight_province", kwargs={"province": "ขอนแก่น", "year": LAST_ASSESSED}),
            overseer,
            AGENCY_TARGET_MS,
        )
    )
    pages.append(
        (
            "oversight_agency",
            reverse("oversight_agency", kwargs={"agency": sample[0]}),
            overseer,
            AGENCY_TARGET_MS,
        )
    )

    results: dict[str, list[float]] = {}
    targets: dict[str, float] = {}
    clients: dict[int, Client] = {}
    for label, url, user, target in pages:
        # The overseer figures are cached 5 minutes per scope: measured both ways.
        settings.PRONGSAI_OVERSIGHT_CACHE_SECONDS = 300 if "cache" in label else 0
        client = clients.setdefault(user.pk, Client())
        client.force_login(user)
        targets[label] = target
        per_url = max(
            1, args.requests // (20 if label in ("agency_dashboard", "plan_detail", "public_year") else 1)
        )
        for _ in range(1 if label in ("agency_dashboard", "plan_detail", "public_year") else 2):
            r = client.get(url)
            if r.status_code != 200:
                sys.exit(f"{label} {url}: HTTP {r.status_code}")
        for _ in range(per_url):
            start = time.perf_counter()
            client.get(url)
            results.setdefault(label, []).append((time.perf_counter() - start) * 1000)
    # The overseer's export of every agency of the country, XLSX then CSV (same rows).
    settings.PRONGSAI_OVERSIGHT_CACHE_SECONDS = 0
    client = clients[overseer.pk]
    for fmt, name in (("xlsx", "oversight_export_xlsx"), ("csv", "oversight_export_csv")):
        label = f"oversight export {fmt} ({total})"
        targets[label] = EXPORT_TARGET_MS
        for i in range(max(3, args.requests // 12) + 1):
            start = time.perf_counter()
            r = client.get(reverse(name) + f"?year={LAST_ASSESSED}")
            took = (time.perf_counter() - start) * 1000
            if r.status_code != 200:
                sys.exit(f"{label}: HTTP {r.status_code}")
            if i:  # the first one warms up
                results.setdefault(label, []).append(took)

    print(f"  {'page':<34} {'median':>8} {'p95':>8}  target (p95)")
    for label, times in results.items():
        p95 = pct(times, 95)
        ok = "met" if p95 < targets[label] else "NOT met"
        print(
            f"  {label:<34} {statistics.median(times):6.1f}ms {p95:6.1f}ms  < {targets[label]:.0f} ms: {ok}"
            f"  (n={len(times)})"
        )
    if args.oversight_only:
        return

    # A real server on loopback, several clients at once over the agency pages.
    env = {**os.environ}
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{args.port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{args.port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login/", timeout=1)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        cookies = {}
        for user, _slug in editors:
            c = Client()
            c.force_login(user)
            cookies[user.pk] = c.cookies["sessionid"].value
        work = [(agency_urls(slug)[n], cookies[user.pk]) for user, slug in editors for n in agency_urls(slug)]
        for url, session in work:  # warm the server's caches (public documents) once
            req = urllib.request.Request(base + url, headers={"Cookie": f"sessionid={session}"})
            urllib.request.urlopen(req, timeout=60).read()
        done, errors, latencies = [0], [0], []
        lock = threading.Lock()
        stop = time.perf_counter() + args.seconds

        def worker(k: int) -> None:
            i = k
            while time.perf_counter() < stop:
                url, session = work[i % len(work)]
                i += args.clients
                req = urllib.request.Request(base + url, headers={"Cookie": f"sessionid={session}"})
                start = time.perf_counter()
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        r.read()
                        ok = r.status == 200
                except (urllib.error.URLError, ConnectionError):
                    ok = False
                with lock:
                    latencies.append((time.perf_counter() - start) * 1000)
                    done[0] += 1
                    errors[0] += not ok

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(args.clients)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - began
        print(
            f"  runserver (1 process, threaded), {args.clients} concurrent clients, {wall:.0f} s over the "
            f"agency pages: {done[0] / wall:.1f} requests/s, median {statistics.median(latencies):.0f} ms, "
            f"p95 {pct(latencies, 95):.0f} ms, errors {errors[0]}"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
