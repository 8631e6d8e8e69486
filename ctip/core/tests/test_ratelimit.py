"""The generic cache rate limiter (ctip/core/ratelimit.py)."""

from __future__ import annotations

from django.test import RequestFactory

from ctip.core import ratelimit


def test_allow_counts_within_a_sliding_window(monkeypatch):
    now = [1_000_020.0]  # the start of a window
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    limit = ratelimit.Limit("t", 3, 60)
    assert [ratelimit.allow(limit, "a") for _ in range(4)] == [True, True, True, False]
    assert ratelimit.allow(limit, "b")  # another client counts on its own
    now[0] += 60  # the next window still weighs the previous one fully at its start
    assert not ratelimit.allow(limit, "a")
    now[0] += 59
    assert ratelimit.allow(limit, "a")


def test_client_key_hides_the_address():
    request = RequestFactory().get("/", REMOTE_ADDR="41.90.1.2")
    key = ratelimit.client_key(request)
    assert "41.90" not in key and len(key) == 32
    assert key == ratelimit.client_key(RequestFactory().get("/", REMOTE_ADDR="41.90.1.2"))
    forwarded = RequestFactory().get("/", REMOTE_ADDR="41.90.1.2", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert ratelimit.client_key(forwarded) == key  # forwarded headers are not trusted
    assert ratelimit.value_key("+254700111222") != ratelimit.value_key("+254700111223")


def test_behind_a_trusted_proxy_each_client_counts_on_its_own():
    from django.test import override_settings

    with override_settings(CTIP_TRUSTED_PROXIES=["10.0.0.0/8"]):
        behind = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="41.90.1.2")
        other = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="41.90.1.3")
        direct = RequestFactory().get("/", REMOTE_ADDR="41.90.1.2")
        assert ratelimit.client_key(behind) == ratelimit.client_key(direct)
        assert ratelimit.client_key(behind) != ratelimit.client_key(other)
