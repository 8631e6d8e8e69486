"""The client's address (ctip.core.client_ip) and everything that counts by it: the audit context, the public
pages' rate limits, django-axes' lock-out and DRF's throttles. X-Forwarded-For counts only from a trusted proxy."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from rest_framework.test import APIClient

from ctip.accounts.api import LoginThrottle
from ctip.core.client_ip import client_ip, parse_trusted_proxies
from ctip.core.tests.world import PASSWORD
from ctip.intake import ratelimit

rf = RequestFactory()
LB = ["10.0.0.0/24", "2001:db8:ff::/48"]


def _ip(remote: str, forwarded: str | None = None) -> str | None:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(rf.get("/", REMOTE_ADDR=remote, **extra))


def test_without_trusted_proxies_the_header_is_ignored():
    assert _ip("198.51.100.9", "203.0.113.5") == "198.51.100.9"
    assert _ip("10.0.0.2", "203.0.113.5") == "10.0.0.2"


@override_settings(CTIP_TRUSTED_PROXIES=LB)
def test_a_trusted_peer_passes_on_the_address_it_saw():
    assert _ip("10.0.0.2", "203.0.113.5") == "203.0.113.5"
    # a proxy chain: the balancer forwarded what another trusted proxy saw
    assert _ip("10.0.0.2", "203.0.113.5, 10.0.0.7") == "203.0.113.5"
    # no header from the balancer: the balancer itself
    assert _ip("10.0.0.2") == "10.0.0.2"


@override_settings(CTIP_TRUSTED_PROXIES=LB)
def test_a_client_cannot_choose_its_address():
    # the client wrote "1.1.1.1" itself; the balancer appended the address it saw
    assert _ip("10.0.0.2", "1.1.1.1, 203.0.113.5") == "203.0.113.5"
    # a peer that is not a trusted proxy: its header is not read at all
    assert _ip("198.51.100.9", "10.0.0.7, 1.1.1.1") == "198.51.100.9"
    # garbage passed on by the balancer: the balancer's own address, never the garbage
    assert _ip("10.0.0.2", "not-an-address") == "10.0.0.2"
    assert _ip("10.0.0.2", "1.1.1.1, junk, 10.0.0.7") == "10.0.0.7"


@override_settings(CTIP_TRUSTED_PROXIES=LB)
def test_ports_ipv6_and_mapped_addresses():
    assert _ip("10.0.0.2", "203.0.113.5:51234") == "203.0.113.5"
    assert _ip("10.0.0.2", "[2001:db8::1]:443") == "2001:db8::1"
    assert _ip("2001:db8:ff::2", "2001:db8::1") == "2001:db8::1"
    assert _ip("::ffff:10.0.0.2", "203.0.113.5") == "203.0.113.5"


def test_the_setting_refuses_what_is_not_an_address():
    assert parse_trusted_proxies(" 10.0.0.1, 10.1.0.0/16 ,") == ["10.0.0.1", "10.1.0.0/16"]
    with pytest.raises(ValueError):
        parse_trusted_proxies("10.0.0.1,lb.internal")
    with pytest.raises(ValueError):
        parse_trusted_proxies("1")


@override_settings(CTIP_TRUSTED_PROXIES=LB)
def test_rate_limit_key_and_drf_throttle_use_the_forwarded_client():
    behind = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    direct = rf.get("/", REMOTE_ADDR="203.0.113.5")
    assert ratelimit.client_key(behind) == ratelimit.client_key(direct)
    assert LoginThrottle().get_ident(behind) == "203.0.113.5"
    spoofed = rf.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert LoginThrottle().get_ident(spoofed) == "198.51.100.9"


def test_drf_throttle_ignores_a_forged_header_without_trusted_proxies():
    request = rf.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert LoginThrottle().get_ident(request) == "198.51.100.9"


@pytest.mark.django_db
@override_settings(CTIP_TRUSTED_PROXIES=LB)
def test_audit_context_records_the_forwarded_client(users):
    from ctip.accounts.enums import Role
    from ctip.audit.models import AuditEvent

    analyst = users[Role.DATA_ANALYST]
    Client().post(
        "/accounts/login/",
        {"username": analyst.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5",
    )
    assert AuditEvent.objects.filter(action="auth.login_password").latest("id").ip == "203.0.113.5"


@pytest.mark.django_db
@override_settings(CTIP_TRUSTED_PROXIES=LB)
def test_axes_locks_the_forwarded_client_out_not_the_balancer(users):
    from ctip.accounts.enums import Role

    analyst, other = users[Role.DATA_ANALYST], users[Role.CASE_WORKER]
    for _ in range(5):
        Client().post(
            "/accounts/login/",
            {"username": f"nobody{_}", "password": "Wrong-Password-000"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    locked = Client().post(
        "/accounts/login/",
        {"username": analyst.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert locked.status_code == 429
    # another client behind the same balancer is not locked out
    fine = Client().post(
        "/accounts/login/",
        {"username": other.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.67",
    )
    assert fine.status_code == 302


@pytest.mark.django_db
@override_settings(CTIP_TRUSTED_PROXIES=LB)
def test_public_status_limit_counts_each_forwarded_client():
    from ctip.intake.enums import Situation
    from ctip.intake.services import TipInput, tip_submit

    cache.clear()
    tip, pin = tip_submit(
        data=TipInput(situation=Situation.JOB_ABROAD, description="A job abroad; passport kept.", language="en")
    )
    url = "/api/v1/intake/public/tips/status/"

    def wrong(address: str) -> int:
        body = {"reference": tip.reference, "pin": f"{(int(pin) + 1) % 10**6:06d}"}
        return APIClient().post(url, body, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address).status_code

    limit = ratelimit.STATUS_CHECK.count
    assert [wrong("203.0.113.5") for _ in range(limit + 1)] == [404] * limit + [429]
    # the same balancer, another client: not limited by the first one's failures
    assert wrong("203.0.113.6") == 404
    cache.clear()
