"""Load bench (issue 10): CTIP under gunicorn with production settings, each page driven by wrk, as a share of the
ceiling (a bare Django JSON view served by the same gunicorn processes, measured in the same run).

    .venv/bin/python bench/load.py --size small --duration 5            # quick run, SQLite var/bench-small.sqlite3
    .venv/bin/python bench/load.py                                      # medium demo, 10 s per page
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/ctip_bench
    .venv/bin/python bench/load.py --pages landing,cases,api-cases      # a subset (names: --list-pages)
    .venv/bin/python bench/load.py --pages verify-page,verify-api,verify-sms   # public verification (issue 12)
    CACHE_URL=redis://127.0.0.1:6379/5 TASKS_BACKEND=rq TASK_QUEUE_URL=redis://127.0.0.1:6379/6 \
        .venv/bin/python bench/load.py ...                              # the scale-out setup

The server inherits the environment, so CACHE_URL (rate-limit counters; production's default is the database
cache) and TASKS_BACKEND (the SMS replies' queue) choose the deployment measured; say which in a report.

Steps: fill the bench database with the project's demo generator when it is empty (dev keys from var/dev.env,
demo mode on, as every bench script; PostgreSQL: the database is created when missing); serve bench/server/wsgi.py
(CTIP's own WSGI application plus the ceiling view) with gunicorn, 2 workers, `config.settings.production`, on a
free loopback port (plain HTTP, so SECURE_SSL_REDIRECT=0 in the server's environment; nothing else is relaxed);
log the demo users in through the real log-in and 2FA pages (TOTP from their demo devices) and obtain an API token
through POST /api/v1/auth/token/; run wrk against the ceiling, every page, and the ceiling again; print the table;
stop gunicorn (also on Ctrl-C or SIGTERM) and run `manage.py audit_verify` on the bench database.
Requires wrk (Debian: apt-get install wrk).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from _setup import ROOT, database_label, ensure_demo, setup

HOST = "127.0.0.1"
USER = "demo.caseworker"  # frontline, agency scope, sees identities: the case and person pages open names
WORKERS = 2
CEILING = "/__bench__/ceiling"


@dataclass(frozen=True)
class Page:
    name: str
    label: str
    user: str | None  # None: anonymous
    path: str  # {case} and {person}: public ids picked from what the user may see
    token: bool = False  # API token instead of the session cookie
    method: str = "GET"
    body: str = ""  # POST body; {name} fields from the targets, %RAND% a fresh random number in each request
    content_type: str = ""
    csrf: bool = False  # a form post: the CSRF cookie and token of one GET of the same path first
    clients: bool = False  # each request from another client address (X-Forwarded-For through the trusted proxy)


PAGES = [
    Page("login", "log-in page (GET)", None, "/accounts/login/"),
    Page("report", "public tip form /report/", None, "/report/"),
    Page("landing", "landing, case worker", "demo.caseworker", "/"),
    Page("tasks", "my tasks, case worker", "demo.caseworker", "/tasks/"),
    Page("cases", "case list, case worker", USER, "/cases/"),
    Page(
        "cases-filtered",
        "case list filtered, case worker",
        USER,
        "/cases/?status=Active&exploitation=ForcedLabour",
    ),
    Page("cases-page50", "case list page 50, case worker", USER, "/cases/?page=50"),
    Page("case", "case detail, case worker", USER, "/cases/{case}/"),
    Page("person", "person detail, case worker (audited)", USER, "/people/{person}/"),
    Page("referrals", "referral inbox, service provider", "demo.provider", "/referrals/inbox/"),
    Page("audit", "audit trail, auditor", "demo.auditor", "/audit/"),
    Page("api-cases", "API case list, case worker (token)", USER, "/api/v1/cases/", token=True),
    Page("api-case", "API case detail, case worker (token)", USER, "/api/v1/cases/{case}/", token=True),
    # Public recruitment verification (issue 12): a misspelled agency name, each request from another client
    # behind the proxy (the per-client limits count each on its own, as in production behind a load balancer).
    Page(
        "verify-page",
        "verify page, misspelled name (POST)",
        None,
        "/verify/",
        method="POST",
        body="q={agency_typo_form}",
        content_type="application/x-www-form-urlencoded",
        csrf=True,
        clients=True,
    ),
    Page(
        "verify-api",
        "verify API JSON, misspelled name",
        None,
        "/api/v1/recruitment/verify/",
        method="POST",
        body='{{"q": "{agency_typo_json}"}}',
        content_type="application/json",
        clients=True,
    ),
    Page(
        "verify-sms",
        "verify SMS callback, misspelled name",
        None,
        "/verify/sms/?secret={sms_secret}",
        method="POST",
        body="from=%2B2547%RAND%&to=22384&text=VERIFY+{agency_typo_form}&id=bench-%RAND%&date=2026-12-07",
        content_type="application/x-www-form-urlencoded",
    ),
]

SMS_SECRET = "bench-" + os.urandom(12).hex()

# wrk's summary as one JSON line. non2xx counts every status outside 200-299 (wrk's own "errors.status" counts only
# 400 and above, so a redirect to the log-in page would pass unnoticed). Latency in microseconds.
WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, "non2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, math.floor(latency:percentile(50)), math.floor(latency:percentile(95)),
    math.floor(latency:percentile(99)), bad, e.connect + e.read + e.write + e.timeout))
end
"""


def page_script(page: Page, body: str, headers: dict[str, str]) -> str:
    """wrk's script for one page: the summary above, plus the method, body and per-request randomness."""
    if page.method == "GET" and not page.clients:
        return WRK_SCRIPT
    lines = [WRK_SCRIPT, f'wrk.method = "{page.method}"']
    if page.content_type:
        lines.append(f'wrk.headers["Content-Type"] = "{page.content_type}"')
    for name, value in headers.items():
        lines.append(f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}")
    lines.append(f"local body = {json.dumps(body)}")
    lines.append(
        """
local seq = 0
local salt = 0
function init_random(thread_id)
  math.randomseed(os.time() + 7919 * thread_id)
  salt = thread_id
end
function request()
  seq = seq + 1
  local text = string.gsub(body, "%%RAND%%", string.format("%d%07d", salt, seq))
"""
    )
    if page.clients:
        lines.append(
            '  wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", '
            "math.random(0, 255), math.random(0, 255), math.random(1, 254))"
        )
    lines.append("  return wrk.format(nil, nil, nil, text)\nend")
    script = "\n".join(lines)
    # seed each thread differently: wrk runs init() in each thread's own Lua state
    return script.replace(
        "function init(args) non2xx = 0 end",
        "function init(args) non2xx = 0; init_random(tonumber(wrk.thread:get('id') or 0) or 0) end",
    ).replace(
        "function setup(thread) table.insert(threads, thread) end",
        "function setup(thread) table.insert(threads, thread); thread:set('id', #threads) end",
    )


class BenchError(Exception):
    pass


# --- database --------------------------------------------------------------------------------------------------


def ensure_postgres_database(url: str) -> None:
    """CREATE DATABASE when the one named in `url` does not exist (connecting to the server's `postgres`)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise BenchError(f"Unexpected database name {name!r} in --database-url.")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def server_env() -> dict[str, str]:
    """The gunicorn (and audit_verify) environment: production settings with the bench database and dev keys.

    The keys are in os.environ: config.settings.dev loaded var/dev.env in this process (bench/_setup.py)."""
    env = dict(os.environ)
    for name in ("DEBUG", "CTIP_DEMO_MODE"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        ALLOWED_HOSTS=HOST,
        # Plain HTTP on loopback: no redirect to https. Everything else keeps its production default.
        SECURE_SSL_REDIRECT="0",
        # The public pages sit behind a proxy on loopback, as behind a load balancer in production: each wrk request
        # of the verify pages carries its own client address, and the per-client limits count each client alone.
        CTIP_TRUSTED_PROXIES="127.0.0.1",
        # The short code is on for the bench; its flood guard (6,000 a minute by default, sized to a gateway
        # contract) is raised so the bench measures answers rather than "busy" replies. Per-sender limits stay.
        CTIP_SMS_CALLBACK_SECRET=SMS_SECRET,
        CTIP_SMS_SHORT_CODE_PER_MINUTE="1000000000",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
    )
    return env


def manage(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=server_env(),
        capture_output=True,
        text=True,
        check=check,
    )


def pick_targets() -> dict[str, str]:
    """The first case on USER's case list, and its person: the detail pages' targets."""
    from ctip.accounts.models import User
    from ctip.cases.selectors import case_list_for_user

    cases = case_list_for_user(user=User.objects.get(username=USER))
    case = cases.select_related("person").first()
    if case is None:
        raise BenchError(f"The bench database holds no case {USER} may see.")
    total = cases.count()
    print(f"{USER} sees {total:,} cases: {-(-total // 25)} list pages (a page past the end is an empty list)")
    targets = {"case": str(case.public_id), "person": str(case.person.public_id), "sms_secret": SMS_SECRET}
    targets.update(agency_typo())
    return targets


def agency_typo() -> dict[str, str]:
    """A deregistered demo agency's name with one letter dropped: the misspelled look-up the public makes."""
    from urllib.parse import quote_plus

    from ctip.recruitment.enums import AgencyStatus
    from ctip.recruitment.models import RecruitmentAgency

    agency = RecruitmentAgency.objects.filter(status=AgencyStatus.DEREGISTERED).order_by("id").first()
    if agency is None:
        return {"agency_typo_form": "", "agency_typo_json": ""}
    name = agency.legal_name
    typo = name[:3] + name[4:]
    print(f"verify look-up: {typo!r} (the deregistered {name!r} misspelled)")
    return {"agency_typo_form": quote_plus(typo), "agency_typo_json": json.dumps(typo)[1:-1]}


def audit_counts() -> tuple[int, int]:
    """(audit events, identity reads) in the bench database."""
    from ctip.audit.models import AuditEvent

    return AuditEvent.objects.count(), AuditEvent.objects.filter(action="identity.read").count()


# --- the server ------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn in its own process group, stopped by stop() (called from `finally`, on Ctrl-C and SIGTERM)."""

    def __init__(self, port: int, log_path):
        self.port = port
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log_path, "w")  # noqa: SIM115 (kept open for the child's lifetime)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bench.server.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(WORKERS),
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=server_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn exited with {self.proc.returncode}; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", CEILING)
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise BenchError(f"gunicorn did not answer within 60 s; see {self.log_path}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        except ProcessLookupError:
            pass


# --- logging in ------------------------------------------------------------------------------------------------


class Browser:
    """A minimal cookie-keeping HTTP client (the production cookies are Secure: urllib would not send them back
    over plain HTTP)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, form: dict | None = None, json_body: dict | None = None):
        headers = {"Origin": f"http://{HOST}:{self.port}"}
        body = None
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body)
            headers["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        conn.request(method, path, body=body, headers=headers)
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

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


def _csrf(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise BenchError("No CSRF token on the form.")
    return match.group(1)


def totp_code(username: str) -> str:
    """The user's current code from the demo device, waiting for the next 30 s step when this step's code was
    already used (django-otp refuses a code twice)."""
    from django_otp.oath import hotp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    while True:
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise BenchError(f"{username} has no confirmed TOTP device (load the demo).")
        t = int((time.time() - device.t0) // device.step) + device.drift
        if device.last_t is None or t > device.last_t:
            return f"{hotp(device.bin_key, t, digits=device.digits):0{device.digits}d}"
        wait = device.step - (time.time() - device.t0) % device.step + 0.2
        print(f"  {username}: this step's code is used, waiting {wait:.0f} s for the next one", flush=True)
        time.sleep(wait)


def web_login(port: int, username: str, password: str) -> str:
    """Log in through the real pages (password, then TOTP); returns the Cookie header of the verified session."""
    browser = Browser(port)
    _, _, html = browser.request("GET", "/accounts/login/")
    status, headers, _ = browser.request(
        "POST",
        "/accounts/login/",
        form={"username": username, "password": password, "csrfmiddlewaretoken": _csrf(html)},
    )
    if status != 302 or "2fa/verify" not in headers.get("Location", ""):
        raise BenchError(f"log-in of {username}: {status} {headers.get('Location', '')}")
    _, _, html = browser.request("GET", "/accounts/2fa/verify/")
    status, headers, _ = browser.request(
        "POST", "/accounts/2fa/verify/", form={"token": totp_code(username), "csrfmiddlewaretoken": _csrf(html)}
    )
    if status != 302:
        raise BenchError(f"2FA of {username}: {status}")
    status, _, _ = browser.request("GET", "/")
    if status != 200:
        raise BenchError(f"{username} is not signed in after 2FA: GET / answered {status}")
    return browser.cookie_header()


def api_token(port: int, username: str, password: str) -> str:
    status, _, text = Browser(port).request(
        "POST",
        "/api/v1/auth/token/",
        json_body={"username": username, "password": password, "otp": totp_code(username)},
    )
    if status != 200:
        raise BenchError(f"API token of {username}: {status} {text[:200]}")
    return json.loads(text)["token"]


# --- load ------------------------------------------------------------------------------------------------------


def wrk(port: int, path: str, headers: dict[str, str], *, duration: int, connections: int, script: str) -> dict:
    command = ["wrk", "-t", str(WORKERS), "-c", str(connections), "-d", f"{duration}s", "--timeout", "30s"]
    command += ["-s", script]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{path}")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH "):
            result = json.loads(line[len("BENCH ") :])
            result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
            return result
    raise BenchError(f"wrk gave no summary for {path}: {done.stdout[-500:]} {done.stderr[-500:]}")


def probe(port: int, path: str, headers: dict[str, str], method: str = "GET", body: str = "") -> int:
    """One request before the load: the status (and a warm worker)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.request(method, path, body=body.replace("%RAND%", "0000001") or None, headers=headers)
    status = conn.getresponse().status
    conn.close()
    return status


def print_table(rows: list[tuple[str, str, dict]], ceiling_rps: float) -> None:
    print()
    print(f"{'page':<16} {'':<38} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'ceiling':>8}")
    for name, label, r in rows:
        share = f"{100 * r['rps'] / ceiling_rps:7.1f}%" if name != "ceiling" else f"{'-':>8}"
        print(
            f"{name:<16} {label:<38} {r['rps']:8.1f} {r['p50'] / 1000:8.1f} {r['p95'] / 1000:8.1f} "
            f"{r['p99'] / 1000:8.1f} {r['non2xx'] + r['socket_errors']:8d} {share}"
        )


def run(args, server: Server) -> int:
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        ensure_postgres_database(os.environ["DATABASE_URL"])
    setup(args.size)
    print(f"database: {database_label()}")
    loaded = ensure_demo(args.size)
    if loaded is not None:
        print(f"demo --size {args.size} loaded in {loaded:.1f} s")
    manage("createcachetable")  # the production cache (CACHE_URL=db): the dev settings' migrate did not make it
    from ctip.demo.generator import DEMO_PASSWORD

    targets = pick_targets()
    wanted = set(args.pages.split(",")) if args.pages else None
    pages = [p for p in PAGES if wanted is None or p.name in wanted]

    server.start()
    print(f"gunicorn: {WORKERS} workers, production settings, http://{HOST}:{server.port} (log {server.log_path})")
    sessions: dict[str, str] = {}
    tokens: dict[str, str] = {}
    if any(p.name.startswith("verify") for p in pages) and not targets["agency_typo_form"]:
        raise BenchError("The bench database holds no deregistered agency (load the demo's recruitment register).")
    for page in pages:
        if page.user and page.token and page.user not in tokens:
            tokens[page.user] = api_token(server.port, page.user, DEMO_PASSWORD)
        elif page.user and not page.token and page.user not in sessions:
            sessions[page.user] = web_login(server.port, page.user, DEMO_PASSWORD)
    print(f"signed in: {', '.join(sorted(sessions))}; API tokens: {', '.join(sorted(tokens)) or '-'}")

    events_before, reads_before = audit_counts()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(WRK_SCRIPT)
        script = handle.name
    extra_scripts: list[str] = []
    try:
        load = {"duration": args.duration, "connections": args.connections, "script": script}
        print(f"wrk: {args.connections} connections, {WORKERS} threads, {args.duration} s per page")
        before = wrk(server.port, CEILING, {}, **load)
        rows = [("ceiling", "bare Django JSON view (before)", before)]
        for page in pages:
            path = page.path.format(**targets)
            if page.token:
                headers = {"Authorization": f"Token {tokens[page.user]}"}
            elif page.user:
                headers = {"Cookie": sessions[page.user]}
            else:
                headers = {}
            body = page.body.format(**targets)
            if page.csrf:
                browser = Browser(server.port)
                _, _, html = browser.request("GET", path)
                headers["Cookie"] = browser.cookie_header()
                body += "&csrfmiddlewaretoken=" + _csrf(html)
            page_load = load
            if page.method != "GET" or page.clients:
                with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
                    handle.write(page_script(page, body, {}))
                    extra_scripts.append(handle.name)
                page_load = {**load, "script": handle.name}
            probe_headers = {**headers, "Content-Type": page.content_type} if page.content_type else headers
            status = probe(server.port, path, probe_headers, page.method, body)
            if status != 200:
                print(f"warning: {page.name} {path.split('?')[0]} answered {status} before the load")
            rows.append((page.name, page.label, wrk(server.port, path, headers, **page_load)))
            print(f"  {page.name}: {rows[-1][2]['rps']:.1f} req/s", flush=True)
        after = wrk(server.port, CEILING, {}, **load)
        rows.append(("ceiling", "bare Django JSON view (after)", after))
    finally:
        for name in (script, *extra_scripts):
            os.unlink(name)
    ceiling_rps = (before["rps"] + after["rps"]) / 2
    print_table(rows, ceiling_rps)
    print(f"ceiling: mean of before and after, {ceiling_rps:.0f} req/s")
    if abs(before["rps"] - after["rps"]) > 0.25 * ceiling_rps:
        print("warning: the ceiling moved by more than 25% during the run (a busy machine?): compare with care")
    events_after, reads_after = audit_counts()
    print(
        f"audit events written during the load: {events_after - events_before:,} "
        f"(identity reads: {reads_after - reads_before:,})"
    )

    server.stop()
    verify = manage("audit_verify", check=False)
    print(f"audit_verify: {(verify.stdout + verify.stderr).strip()}")
    return 0 if verify.returncode == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="medium", choices=["small", "medium", "large"])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page (default 10)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--pages", help="comma-separated subset of: " + ",".join(p.name for p in PAGES))
    parser.add_argument("--database-url", help="the bench database (default: var/bench-<size>.sqlite3)")
    parser.add_argument("--list-pages", action="store_true", help="print the pages and exit")
    args = parser.parse_args()
    if args.list_pages:
        for page in PAGES:
            print(f"{page.name:<16} {page.user or 'anonymous':<18} {page.path:<50} {page.label}")
        return 0
    unknown = set(args.pages.split(",")) - {p.name for p in PAGES} if args.pages else set()
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (Debian: apt-get install wrk)")

    return serve_and_run(run, args, "bench-gunicorn.log")


def serve_and_run(run_bench, args, log_name: str) -> int:
    """Run `run_bench(args, server)` with a gunicorn Server that is stopped whatever happens (error, Ctrl-C,
    SIGTERM, SIGHUP); exit status 2 on a BenchError, 130 when interrupted. Shared by the bench scripts."""
    server = Server(free_port(), ROOT / "var" / log_name)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started with SIGINT ignored (`cmd &`)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))
    try:
        return run_bench(args, server)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
