"""CTIP past one machine, checked: two gunicorn app processes and an RQ worker share PostgreSQL and Redis.

    .venv/bin/python tools/multiprocess_check.py                 # or: make multiprocess-check
    .venv/bin/python tools/multiprocess_check.py --database-url postgres://postgres@127.0.0.1:5432/ctip_mp \
        --redis-url redis://127.0.0.1:6379 --cache-db 14 --queue-db 15

What it does, with configuration only (production settings, nothing patched):
1. (Re)creates its own PostgreSQL database (dropped first: never point it at a live one), migrates it, and adds an
   agency, a case worker with a TOTP device and an administrator through the services.
2. Starts app process A and app process B (`gunicorn config.wsgi`, one worker each, on two free loopback ports) and
   one RQ worker (`manage.py rqworker --job-class django_tasks_rq.Job default`), all with the same environment:
   `CACHE_URL` = Redis database --cache-db, `TASKS_BACKEND=rq` with `TASK_QUEUE_URL` = Redis database --queue-db,
   `CTIP_TRUSTED_PROXIES=127.0.0.1` (this script stands in for the load balancer and sends X-Forwarded-For),
   `CTIP_SERVE_STATIC=0` (static files are the web server's job) and `DATABASE_REPLICA_URL` = the same database
   under another connection name (application_name=ctip_replica; a stand-in for a streaming replica, which holds
   the same rows), so the check can see which connection the report figures use.
3. Checks, printing each:
   - static: the app processes do not serve /static/ (404);
   - session: a log-in (password, then the TOTP code) on A is signed in on B; a log-out on B ends it on A;
   - rate limit: a client's wrong tip-status look-ups counted on A refuse its next one on B (429), while another
     client behind the same balancer is still answered (X-Forwarded-For from the trusted proxy);
   - replica: an analyst's landing page on A counts the national figures over the replica connection (seen in
     pg_stat_activity), and the page answers 200;
   - background import: a 250-row CSV uploaded on B is queued in Redis (not run in the request), run by the RQ
     worker (its name is on the finished job), and its progress read on A shows it done with every row imported.
4. Stops the three processes (also on Ctrl-C). Exit status 0 only when every check passed.

Needs PostgreSQL and Redis reachable (`redis-server --daemonize yes` starts a local one). Logs: var/multiprocess-*.log.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import io
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PASSWORD = "Multi-Process-Check-2026"
WORKER_USER = "mp.caseworker"
ANALYST = "mp.analyst"
REPLICA_APP = "ctip_replica"
IMPORT_ROWS = 250  # more than ctip.intake.services.imports.INLINE_IMPORT_ROWS: a background task
CLIENT = "203.0.113.10"  # the public client whose look-ups are counted (TEST-NET-3)
OTHER_CLIENT = "203.0.113.11"


class CheckFailed(Exception):
    pass


def _key(n: int = 32) -> str:
    return base64.b64encode(os.urandom(n)).decode()


def server_env(database_url: str, cache_url: str, queue_url: str) -> dict[str, str]:
    """The environment of every process: production settings, fresh keys (the database is new), Redis for the cache
    and the task queue. Nothing from the caller's CTIP_/DJANGO_/DATABASE_/CACHE_/TASK variables leaks in."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CTIP_", "DJANGO_", "DATABASE_", "CACHE_", "TASK", "SECURE_", "DEBUG"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        CTIP_VAULT_KEYS=f"mp1:{_key()}",
        CTIP_INDEX_KEY=_key(),
        CTIP_AUDIT_KEY=_key(),
        DATABASE_URL=database_url,
        DATABASE_REPLICA_URL=f"{database_url}?application_name={REPLICA_APP}",
        CACHE_URL=cache_url,
        TASKS_BACKEND="rq",
        TASK_QUEUE_URL=queue_url,
        CTIP_TASK_TIMEOUT_SECONDS="600",
        CTIP_TRUSTED_PROXIES=HOST,
        CTIP_SERVE_STATIC="0",
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback; everything else keeps its production value
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
    )
    return env


# --- services --------------------------------------------------------------------------------------------------


def check_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        raise CheckFailed(f"Redis is not reachable at {url}: {exc} (start it: redis-server --daemonize yes)") from exc


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or name in ("postgres", "test", "ctip"):
        raise CheckFailed(f"Refusing database name {name!r}: give the check a scratch database of its own.")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(env: dict[str, str]) -> None:
    """Migrate and create the people the check needs, in this process, with the servers' settings."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ctip.accounts import services as accounts
    from ctip.accounts.enums import AgencyType, Role

    call_command("migrate", verbosity=0)
    admin = accounts.admin_bootstrap(username="mp.admin", password=PASSWORD)
    agency = accounts.agency_create(
        actor=admin, name="Multi-process check agency", short_name="MPC", agency_type=AgencyType.CHILDREN
    )
    worker = accounts.user_create(
        actor=admin, username=WORKER_USER, password=PASSWORD, role=Role.CASE_WORKER, agency=agency
    )
    accounts.user_create(actor=admin, username=ANALYST, password=PASSWORD, role=Role.DATA_ANALYST, agency=agency)
    # The case worker's authenticator (the enrolment page would do the same after a code); the log-in below uses it.
    TOTPDevice.objects.create(user=worker, name="CTIP", confirmed=True)
    import django_rq
    from django.core.cache import cache

    # This check's own Redis databases: no queued job, counter or cached figure left from an earlier run.
    django_rq.get_queue("default").empty()
    cache.clear()


def totp_code(username: str) -> str:
    from django_otp.oath import hotp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    while True:
        device.refresh_from_db()
        t = int((time.time() - device.t0) // device.step) + device.drift
        if device.last_t is None or t > device.last_t:
            return f"{hotp(device.bin_key, t, digits=device.digits):0{device.digits}d}"
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.2)


# --- processes -------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Process:
    """A child in its own process group, stopped with SIGTERM (SIGKILL after 15 s)."""

    def __init__(self, name: str, command: list[str], env: dict[str, str]):
        self.name = name
        self.log_path = ROOT / "var" / f"multiprocess-{name}.log"
        self.log_path.parent.mkdir(exist_ok=True)
        with open(self.log_path, "w") as log:
            self.proc = subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if not self.alive():
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        except ProcessLookupError:
            pass


def gunicorn(name: str, port: int, env: dict[str, str]) -> Process:
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"{HOST}:{port}", "--workers", "1"]
    return Process(name, [*command, "--timeout", "120", "--log-level", "warning"], env)


def wait_healthy(process: Process, port: int) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if not process.alive():
            raise CheckFailed(f"{process.name} exited with {process.proc.returncode}; see {process.log_path}")
        try:
            status, _, _ = Browser(port).request("GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise CheckFailed(f"{process.name} did not answer /healthz within 90 s; see {process.log_path}")


# --- HTTP ------------------------------------------------------------------------------------------------------


class Browser:
    """A cookie jar shared between app processes, as a browser behind a load balancer would send it. Every request
    comes through "the balancer": X-Forwarded-For carries the client address."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None, client: str = "198.51.100.20"):
        self.port = port
        self.cookies = cookies if cookies is not None else {}
        self.client = client

    def on(self, port: int) -> Browser:
        """The same browser (same cookies), its next requests sent to another app process."""
        return Browser(port, self.cookies, self.client)

    def request(self, method: str, path: str, *, form=None, json_body=None, files=None, headers=None):
        sent = {"Origin": f"http://{HOST}:{self.port}", "X-Forwarded-For": self.client, **(headers or {})}
        body: bytes | str | None = None
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if files is not None:
            boundary = uuid.uuid4().hex
            out = io.BytesIO()
            for name, value in (form or {}).items():
                out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
            for name, (filename, content) in files.items():
                out.write(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    "Content-Type: text/csv\r\n\r\n".encode()
                )
                out.write(content + b"\r\n")
            out.write(f"--{boundary}--\r\n".encode())
            body = out.getvalue()
            sent["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body)
            sent["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for line in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        conn.close()
        return response.status, response.headers, text


def csrf(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise CheckFailed("No CSRF token on the form.")
    return match.group(1)


def ok(message: str) -> None:
    print(f"  ok  {message}", flush=True)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


# --- the checks ------------------------------------------------------------------------------------------------


def check_static(a: int) -> None:
    status, _, _ = Browser(a).request("GET", "/static/ctip/ctip.js")
    expect(status == 404, f"/static/ on an app process answered {status}: CTIP_SERVE_STATIC=0 should leave it out")
    ok("static files: the app processes do not serve /static/ (CTIP_SERVE_STATIC=0): 404")


def check_session(a: int, b: int) -> Browser:
    browser = Browser(a)
    _, _, html = browser.request("GET", "/accounts/login/")
    login = {"username": WORKER_USER, "password": PASSWORD, "csrfmiddlewaretoken": csrf(html)}
    status, headers, _ = browser.request("POST", "/accounts/login/", form=login)
    expect(status == 302 and "2fa/verify" in headers.get("Location", ""), f"password step on A answered {status}")
    _, _, html = browser.request("GET", "/accounts/2fa/verify/")
    status, _, _ = browser.request(
        "POST", "/accounts/2fa/verify/", form={"token": totp_code(WORKER_USER), "csrfmiddlewaretoken": csrf(html)}
    )
    expect(status == 302, f"2FA step on A answered {status}")
    status, _, _ = browser.on(b).request("GET", "/")
    expect(status == 200, f"the session made on A is not signed in on B: GET / answered {status}")
    status, _, _ = browser.on(b).request("GET", "/cases/")
    expect(status == 200, f"case list on B answered {status}")
    ok("session: signed in on A (password + TOTP), the same cookie is signed in on B (landing and case list 200)")
    return browser


def check_logout(browser: Browser, a: int, b: int) -> None:
    _, _, html = browser.on(b).request("GET", "/accounts/profile/")
    status, _, _ = browser.on(b).request("POST", "/accounts/logout/", form={"csrfmiddlewaretoken": csrf(html)})
    expect(status in (200, 302), f"log-out on B answered {status}")
    status, headers, _ = browser.on(a).request("GET", "/")
    expect(status == 302 and "login" in headers.get("Location", ""), f"after log-out on B, A answered {status}")
    ok("session: a log-out on B ends the session on A (302 to the log-in page)")


def check_rate_limit(a: int, b: int) -> None:
    from ctip.intake import ratelimit

    limit = ratelimit.STATUS_CHECK.count
    body = {"reference": "CTIP-T-0000-NOPE", "pin": "000000"}
    url = "/api/v1/intake/public/tips/status/"
    codes = [Browser(a, client=CLIENT).request("POST", url, json_body=body)[0] for _ in range(limit)]
    expect(codes == [404] * limit, f"wrong look-ups on A answered {codes}")
    status, _, _ = Browser(b, client=CLIENT).request("POST", url, json_body=body)
    expect(status == 429, f"after {limit} failures counted on A, the same client on B answered {status}, not 429")
    status, _, _ = Browser(b, client=OTHER_CLIENT).request("POST", url, json_body=body)
    expect(status == 404, f"another client behind the same balancer answered {status}: it should not be limited")
    ok(
        f"rate limit: {limit} wrong tip-status look-ups from {CLIENT} on A, the next one on B is refused (429); "
        f"{OTHER_CLIENT} on B is still answered (404)"
    )


def check_replica(a: int, database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    admin = parts._replace(path="/postgres").geturl()
    query = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND application_name = %s"
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        before = conn.execute(query, [parts.path.lstrip("/"), REPLICA_APP]).fetchone()[0]
        browser = Browser(a)
        _, _, html = browser.request("GET", "/accounts/login/")
        login = {"username": ANALYST, "password": PASSWORD, "csrfmiddlewaretoken": csrf(html)}
        status, _, _ = browser.request("POST", "/accounts/login/", form=login)
        expect(status == 302, f"the analyst's log-in on A answered {status}")
        status, _, _ = browser.request("GET", "/")
        expect(status == 200, f"the analyst's landing page on A answered {status}")
        after = conn.execute(query, [parts.path.lstrip("/"), REPLICA_APP]).fetchone()[0]
    expect(after > before, "the analyst's national figures did not open a connection to the replica alias")
    ok(f"replica: the analyst's landing page on A counted the national figures on the replica connection ({after})")


def import_csv(rows: int) -> bytes:
    header = _SAMPLE.read_text(encoding="utf-8").splitlines()[0].split(",")
    first = ["Achieng", "Baraka", "Chebet", "Daudi", "Esther", "Faraji", "Gathoni", "Hamisi", "Imani", "Jelimo"]
    last = ["Kamau", "Lusweti", "Mutua", "Njoroge", "Odhiambo", "Rotich", "Sang", "Wanyama", "Kiprono", "Nduta"]
    out = io.StringIO()
    out.write(",".join(header) + "\n")
    for i in range(rows):
        row = dict.fromkeys(header, "")
        row.update(
            prs_FirstName=first[i % 10],
            prs_SecondName=f"{last[(i // 10) % 10]}{'abcdefghijklmnopqrstuvwxyz'[i // 100 % 26]}",
            prs_Gender="NonSpecifiedUnknown",
            ctip_Sex="unknown",
            cas_Status="Active",
            ctip_IdentifiedOn="2025-03-15",
            ctip_IdentifiedCountry="SO",
            ctip_Narrative=f"Fictitious multi-process check record {i + 1}.",
        )
        out.write(",".join(row[c] for c in header) + "\n")
    return out.getvalue().encode()


_SAMPLE = ROOT / "ctip" / "intake" / "samples" / "htcds_import_sample.csv"


def check_import(signed_in: Browser, a: int, b: int) -> None:
    import django_rq
    from rq.registry import FinishedJobRegistry

    browser = signed_in.on(b)
    _, _, html = browser.request("GET", "/intake/import/")
    content = import_csv(IMPORT_ROWS)
    queue = django_rq.get_queue("default")
    earlier = set(FinishedJobRegistry(queue=queue).get_job_ids())  # an earlier run's results live for 500 s
    started = time.monotonic()
    status, headers, text = browser.request(
        "POST", "/intake/import/", form={"csrfmiddlewaretoken": csrf(html)}, files={"file": ("mp.csv", content)}
    )
    expect(status == 302, f"the upload on B answered {status}: {text[:300]}")
    public_id = headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    answered = time.monotonic() - started
    job: dict = {}
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        status, _, text = browser.on(a).request("GET", f"/api/v1/intake/imports/{public_id}/")
        expect(status == 200, f"the import's progress on A answered {status}: {text[:300]}")
        job = json.loads(text)
        if job["status"] not in ("pending", "validating", "importing"):
            break
        time.sleep(1)
    took = time.monotonic() - started
    expect(job.get("status") == "done", f"the import ended {job.get('status')!r}: {json.dumps(job)[:500]}")
    expect(job["rows_imported"] == IMPORT_ROWS, f"{job['rows_imported']} of {IMPORT_ROWS} rows imported")
    finished = [queue.fetch_job(i) for i in set(FinishedJobRegistry(queue=queue).get_job_ids()) - earlier]
    ran = [j for j in finished if j is not None and j.func_name == "ctip.intake.tasks.run_import"]
    expect(len(ran) == 1, f"expected one finished run_import job in Redis, found {len(ran)}")
    expect(bool(ran[0].worker_name), "the finished job names no RQ worker")
    ok(
        f"background import: {IMPORT_ROWS} rows uploaded on B (answered in {answered:.1f} s, queued in Redis), run by "
        f"RQ worker {ran[0].worker_name}, progress read on A: done, {job['rows_imported']} rows, {took:.1f} s in all"
    )


def run(args) -> int:
    cache_url = f"{args.redis_url.rstrip('/')}/{args.cache_db}"
    queue_url = f"{args.redis_url.rstrip('/')}/{args.queue_db}"
    check_redis(cache_url)
    recreate_database(args.database_url)
    env = server_env(args.database_url, cache_url, queue_url)
    started = time.monotonic()
    prepare(env)
    print(f"database {urlsplit(args.database_url).path.lstrip('/')} migrated in {time.monotonic() - started:.1f} s")
    a, b = free_port(), free_port()
    processes = [
        gunicorn("app-a", a, env),
        gunicorn("app-b", b, env),
        Process(
            "worker",
            [sys.executable, "manage.py", "rqworker", "--job-class", "django_tasks_rq.Job", "default"],
            env,
        ),
    ]

    def stop(*_):
        for process in processes:
            process.stop()
        raise SystemExit(130)

    signal.signal(signal.SIGTERM, stop)
    try:
        wait_healthy(processes[0], a)
        wait_healthy(processes[1], b)
        print(f"app A http://{HOST}:{a}, app B http://{HOST}:{b}, RQ worker (pid {processes[2].proc.pid})")
        print(f"cache {cache_url}, task queue {queue_url}; logs var/multiprocess-*.log")
        check_static(a)
        browser = check_session(a, b)
        check_rate_limit(a, b)
        check_replica(a, args.database_url)
        check_import(browser, a, b)
        expect(processes[2].alive(), f"the RQ worker exited; see {processes[2].log_path}")
        check_logout(browser, a, b)
    except CheckFailed as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        for process in processes:
            process.stop()
    print("multi-process check passed: session, rate limit and background import work across processes")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ctip_multiprocess")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379", help="Redis server (no database number)")
    parser.add_argument("--cache-db", type=int, default=14, help="Redis database number of the cache (default 14)")
    parser.add_argument("--queue-db", type=int, default=15, help="Redis database number of the task queue (15)")
    args = parser.parse_args()
    try:
        return run(args)
    except CheckFailed as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
