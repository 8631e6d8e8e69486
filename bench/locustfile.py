"""The mixed load of bench/mixed.py (issue 10): case workers, a coordinator, a service provider and the public, each
doing what their role does all day, against a CTIP served by gunicorn with production settings.

Not run on its own: bench/mixed.py signs the officers in through the real log-in and 2FA pages, picks the records
each may open, measures how many identity-read audit events each kind of request writes, and passes all of it in
the JSON file named by MIXED_CONFIG. At the end this file writes the successful requests per kind to MIXED_RESULT,
so the runner can check that the audit trail holds exactly one event per audited read.

Cookies are sent by hand (a `Cookie` header): the production cookies are Secure and the bench serves plain HTTP
on loopback, where a cookie jar would not send them back.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from collections import Counter
from datetime import date, timedelta

from locust import HttpUser, between, events, task

CONFIG = json.loads(open(os.environ["MIXED_CONFIG"]).read()) if os.environ.get("MIXED_CONFIG") else {}  # noqa: SIM115
OK = Counter()  # request kind -> successful responses (read by the runner for the audit check)
_pending_referrals = list(CONFIG.get("provider", {}).get("pending", []))
_tip_ids = list(CONFIG.get("coordinator", {}).get("tips", []))
_client_numbers = itertools.count(1)

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _hidden_inputs(html: str, action: str) -> dict[str, str]:
    """The hidden inputs of the form posting to `action` (the version field of an optimistic-locking form)."""
    match = re.search(r'<form[^>]*action="' + re.escape(action) + r'"[^>]*>(.*?)</form>', html, re.S)
    if not match:
        return {}
    return dict(re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', match.group(1)))


@events.test_stop.add_listener
def _write_result(environment, **_kwargs):
    if os.environ.get("MIXED_RESULT"):
        with open(os.environ["MIXED_RESULT"], "w") as handle:
            json.dump(dict(OK), handle)


class Officer(HttpUser):
    abstract = True
    wait_time = between(1, 4)  # reading a page, typing
    role = ""

    def on_start(self):
        self.cfg = CONFIG[self.role]
        self.headers = {"Cookie": self.cfg["cookie"], "Origin": self.host}

    def get(self, kind: str, path: str, name: str | None = None) -> str | None:
        with self.client.get(path, headers=self.headers, name=name or kind, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{kind}: {response.status_code}")
                return None
            OK[kind] += 1
            return response.text

    def post(self, kind: str, path: str, data: dict, *, expect: int = 302) -> bool:
        with self.client.post(
            path, data=data, headers=self.headers, name=kind, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != expect:
                response.failure(f"{kind}: {response.status_code}")
                return False
            OK[kind] += 1
            return True


class CaseWorker(Officer):
    """Reads the case list and cases, opens the person behind a case (an audited identity read), schedules
    follow-ups."""

    weight = 25
    role = "caseworker"

    @task(4)
    def case_list(self):
        self.get("case list", f"/cases/?page={random.randint(1, self.cfg['pages'])}", name="case list (page n)")

    @task(1)
    def case_list_filtered(self):
        self.get("case list filtered", "/cases/?status=Active&exploitation=ForcedLabour")

    @task(4)
    def case_detail(self):
        case = random.choice(self.cfg["cases"])
        self.get("case detail", f"/cases/{case['case']}/", name="case detail")

    @task(2)
    def person_detail(self):
        case = random.choice(self.cfg["cases"])
        self.get("person detail", f"/people/{case['person']}/", name="person detail")

    @task(1)
    def landing(self):
        self.get("landing", "/")

    @task(1)
    def schedule_follow_up(self):
        case = random.choice(self.cfg["editable"])
        path = f"/cases/{case}/follow-ups/"
        html = self.get("follow-ups page", path, name="follow-ups page")
        if html is None:
            return
        due = date.fromisoformat(self.cfg["today"]) + timedelta(days=random.randint(1, 30))
        self.post(
            "follow-up scheduled",
            path,
            {
                "csrfmiddlewaretoken": CSRF_INPUT.search(html).group(1),
                "due_on": due.isoformat(),
                "purpose": "Home visit (load bench)",
                "assigned_to": self.cfg["officer"],
            },
        )


class Coordinator(Officer):
    """Triages public tips, watches overdue referrals and the duplicate queue."""

    weight = 4
    role = "coordinator"

    @task(3)
    def tips(self):
        self.get("tip list", "/intake/tips/")

    @task(3)
    def tip_detail(self):
        if _tip_ids:
            self.get("tip detail", f"/intake/tips/{random.choice(_tip_ids)}/", name="tip detail")

    @task(1)
    def overdue(self):
        self.get("overdue referrals", "/referrals/overdue/")

    @task(1)
    def landing(self):
        self.get("landing", "/")

    @task(1)
    def my_tasks(self):
        self.get("my tasks", "/tasks/")


class Provider(Officer):
    """Answers the referrals sent to the shelter: reads the inbox and referrals, accepts the pending ones."""

    weight = 6
    role = "provider"

    @task(3)
    def inbox(self):
        self.get("referral inbox", "/referrals/inbox/")

    @task(3)
    def referral(self):
        self.get("referral detail", f"/referrals/{random.choice(self.cfg['referrals'])}/", name="referral detail")

    @task(1)
    def accept(self):
        if not _pending_referrals:
            return
        referral = _pending_referrals.pop()
        html = self.get("referral detail", f"/referrals/{referral}/", name="referral detail")
        if html is None:
            return
        action = f"/referrals/{referral}/accept/"
        data = _hidden_inputs(html, action)
        if "csrfmiddlewaretoken" not in data:
            data["csrfmiddlewaretoken"] = CSRF_INPUT.search(html).group(1)
        self.post("referral accepted", action, data)


class Public(HttpUser):
    """Someone who saw a public page shared on social media: opens the tip form, sometimes sends a tip. Each comes
    from its own address (X-Forwarded-For, set by the load balancer the bench server trusts), as they would."""

    weight = 15
    wait_time = between(2, 8)

    def on_start(self):
        n = next(_client_numbers)
        self.address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"

    def _headers(self, cookie: str = "") -> dict[str, str]:
        headers = {"X-Forwarded-For": self.address, "Origin": self.host}
        if cookie:
            headers["Cookie"] = cookie
        return headers

    @task(4)
    def report_form(self):
        with self.client.get("/report/", headers=self._headers(), name="report form", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"report form: {r.status_code}")
                return
            OK["report form"] += 1

    @task(1)
    def send_tip(self):
        with self.client.get("/report/", headers=self._headers(), name="report form", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"report form: {r.status_code}")
                return
            OK["report form"] += 1
            csrf_cookie = r.cookies.get("csrftoken", "")
            token = CSRF_INPUT.search(r.text).group(1)
        data = {
            "csrfmiddlewaretoken": token,
            "situation": CONFIG["public"]["situation"],
            "description": "A recruiter promised my cousin a job abroad and kept her passport (load bench).",
            "place": "Mombasa",
        }
        with self.client.post(
            "/report/",
            data=data,
            headers=self._headers(f"csrftoken={csrf_cookie}"),
            name="tip sent",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "PIN" not in response.text:
                response.failure(f"tip sent: {response.status_code}")
                return
            OK["tip sent"] += 1
