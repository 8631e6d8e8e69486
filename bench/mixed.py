"""Mixed load run (issue 10): locust drives case workers, a coordinator, a service provider and the public at once
against CTIP under gunicorn with production settings, then checks that nothing failed, the 95th percentile, that
the audit trail holds exactly one identity-read event per audited read made, and that the chain is intact.

    make bench-mixed BENCH_ARGS="--database-url postgres://postgres@127.0.0.1:5432/ctip_bench"
    .venv/bin/python bench/mixed.py --users 50 --duration 300 --database-url postgres://...   # the issue's run
    .venv/bin/python bench/mixed.py --size small --users 10 --duration 30                      # a quick try

Requires the bench requirements (requirements/bench.txt: locust). The officers sign in through the real log-in and
2FA pages (as bench/load.py does); the public users each come from their own address through one trusted proxy
(CTIP_TRUSTED_PROXIES=127.0.0.1 in the server's environment: the bench stands in for the load balancer), so the
per-address limit on tips applies to each of them as it would in the field. Exit status 0 only when every check passed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from datetime import date

from _setup import ROOT, database_label, ensure_demo, setup
from load import WORKERS, BenchError, Browser, Server, ensure_postgres_database, manage, serve_and_run, web_login

P95_TARGET_MS = 300
CASEWORKER = "demo.caseworker"
COORDINATOR = "demo.coordinator"
PROVIDER = "demo.provider"
IDENTITY_ACTIONS = ("identity.",)


def identity_events() -> int:
    from django.db.models import Q

    from ctip.audit.models import AuditEvent

    q = Q()
    for prefix in IDENTITY_ACTIONS:
        q |= Q(action__startswith=prefix)
    return AuditEvent.objects.filter(q).count()


def pick_records() -> dict:
    """What each officer opens: cases (and their persons) the case worker may see, cases it may edit, tips the
    coordinator triages, referrals the provider has (and those pending its answer)."""
    from ctip.accounts.access import may
    from ctip.accounts.models import User
    from ctip.accounts.roles import Action
    from ctip.cases.selectors import case_list_for_user
    from ctip.intake.selectors import tip_list_for_user
    from ctip.referrals.enums import ReferralStatus
    from ctip.referrals.selectors import referral_list_for_user

    worker = User.objects.get(username=CASEWORKER)
    cases = list(case_list_for_user(user=worker).select_related("person")[:300])
    if not cases:
        raise BenchError(f"{CASEWORKER} sees no case: load the demo.")
    # open cases only: a closed case refuses a follow-up (400, "Re-open it first"), as it should
    editable = [str(c.public_id) for c in cases if not c.is_closed and may(worker, Action.CASE_EDIT, c)][:100]
    if not editable:
        raise BenchError(f"{CASEWORKER} may edit none of its open cases.")
    total = case_list_for_user(user=worker).count()
    coordinator = User.objects.get(username=COORDINATOR)
    provider = User.objects.get(username=PROVIDER)
    inbox = list(referral_list_for_user(user=provider, box="inbox")[:300])
    if not inbox:
        raise BenchError(f"{PROVIDER} has no referral in its inbox: load the demo.")
    from ctip.intake.enums import Situation

    return {
        "caseworker": {
            "cases": [{"case": str(c.public_id), "person": str(c.person.public_id)} for c in cases],
            "editable": editable,
            "pages": max(1, min(50, -(-total // 25))),
            "officer": str(worker.pk),
            "today": date.today().isoformat(),
        },
        "coordinator": {"tips": [str(t.public_id) for t in tip_list_for_user(user=coordinator)[:200]]},
        "provider": {
            "referrals": [str(r.public_id) for r in inbox],
            "pending": [str(r.public_id) for r in inbox if r.status == ReferralStatus.SENT],
        },
        "public": {"situation": Situation.JOB_ABROAD.value},
    }


def calibrate(port: int, cookies: dict[str, str], records: dict) -> dict[str, int]:
    """Identity-read audit events written by one request of each kind that may write one (measured, not assumed)."""
    case = records["caseworker"]["cases"][0]
    probes = {
        "case list": (CASEWORKER, "/cases/?page=1"),
        "case list filtered": (CASEWORKER, "/cases/?status=Active&exploitation=ForcedLabour"),
        "case detail": (CASEWORKER, f"/cases/{case['case']}/"),
        "person detail": (CASEWORKER, f"/people/{case['person']}/"),
        "follow-ups page": (CASEWORKER, f"/cases/{records['caseworker']['editable'][0]}/follow-ups/"),
        "landing": (CASEWORKER, "/"),
        "tip list": (COORDINATOR, "/intake/tips/"),
        "my tasks": (COORDINATOR, "/tasks/"),
        "overdue referrals": (COORDINATOR, "/referrals/overdue/"),
        "referral inbox": (PROVIDER, "/referrals/inbox/"),
        "referral detail": (PROVIDER, f"/referrals/{records['provider']['referrals'][0]}/"),
    }
    if records["coordinator"]["tips"]:
        probes["tip detail"] = (COORDINATOR, f"/intake/tips/{records['coordinator']['tips'][0]}/")
    per_kind = {}
    for kind, (user, path) in probes.items():
        browser = Browser(port)
        browser.cookies = dict(part.split("=", 1) for part in cookies[user].split("; "))
        before = identity_events()
        status, _, _ = browser.request("GET", path)
        if status != 200:
            raise BenchError(f"calibration: {kind} {path} answered {status}")
        per_kind[kind] = identity_events() - before
    return per_kind


def read_stats(prefix: str) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


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
    manage("createcachetable")
    from ctip.demo.generator import DEMO_PASSWORD

    records = pick_records()
    server.start()
    print(f"gunicorn: {WORKERS} workers, production settings, http://127.0.0.1:{server.port}")
    cookies = {user: web_login(server.port, user, DEMO_PASSWORD) for user in (CASEWORKER, COORDINATOR, PROVIDER)}
    per_kind = calibrate(server.port, cookies, records)
    audited = {kind: n for kind, n in per_kind.items() if n}
    print("identity-read events per request: " + ", ".join(f"{k} {n}" for k, n in sorted(audited.items())))
    for role, user in (("caseworker", CASEWORKER), ("coordinator", COORDINATOR), ("provider", PROVIDER)):
        records[role]["cookie"] = cookies[user]

    work = tempfile.mkdtemp(prefix="ctip-mixed-")
    config, result, prefix = (os.path.join(work, name) for name in ("config.json", "result.json", "locust"))
    with open(config, "w") as handle:
        json.dump(records, handle)
    events_before = identity_events()
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{args.duration}s",
        "--host",
        f"http://127.0.0.1:{server.port}",
        "--csv",
        prefix,
        "--only-summary",
        "--stop-timeout",
        "30",
        "--exit-code-on-error",
        "0",
    ]
    print(f"locust: {args.users} users (spawn {args.spawn_rate}/s) for {args.duration} s", flush=True)
    env = dict(os.environ, MIXED_CONFIG=config, MIXED_RESULT=result)
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=sys.stdout, stderr=subprocess.STDOUT)
    server.stop()
    events_written = identity_events() - events_before
    with open(result) as handle:
        ok = json.load(handle)
    expected = sum(count * per_kind.get(kind, 0) for kind, count in ok.items())

    rows = read_stats(prefix)
    print()
    print(f"{'request':<28} {'count':>8} {'fail':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for row in rows:
        print(
            f"{row['Name'][:28]:<28} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{float(row['Requests/s']):7.1f} {row['50%']:>8} {row['95%']:>8} {row['99%']:>8}"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    failures, p95 = int(total["Failure Count"]), float(total["95%"])
    print()
    print(f"requests: {total['Request Count']}, failures: {failures}, p95 {p95:.0f} ms (target {P95_TARGET_MS})")
    print(f"identity-read audit events: {events_written:,} written, {expected:,} expected from the reads made")
    verify = manage("audit_verify", check=False)
    print(f"audit_verify: {(verify.stdout + verify.stderr).strip()}")
    checks = {
        "no failed request": failures == 0,
        f"p95 <= {P95_TARGET_MS} ms": p95 <= P95_TARGET_MS,
        "one audit event per audited read": events_written == expected,
        "audit chain intact": verify.returncode == 0,
    }
    for name, passed in checks.items():
        print(f"  [{'pass' if passed else 'FAIL'}] {name}")
    return 0 if all(checks.values()) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="medium", choices=["small", "medium", "large"])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", type=int, default=300, help="seconds (default 300)")
    parser.add_argument("--database-url", help="the bench database (default: var/bench-<size>.sqlite3)")
    args = parser.parse_args()
    try:
        import locust  # noqa: F401
    except ImportError:
        parser.error("locust is not installed: .venv/bin/pip install -r requirements/bench.txt")
    os.environ["CTIP_TRUSTED_PROXIES"] = "127.0.0.1"  # the bench is the load balancer (see the module's docstring)
    return serve_and_run(run, args, "bench-mixed-gunicorn.log")


if __name__ == "__main__":
    sys.exit(main())
