"""The anonymous public pages: submitting a tip, reference + PIN status checks, rate limits, CSRF, sealing, no IP
stored, Kiswahili."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client

from ctip.audit.models import AuditEvent
from ctip.intake import ratelimit, selectors, services
from ctip.intake.enums import TipStatus
from ctip.intake.models import Tip

pytestmark = pytest.mark.django_db

FORM = {
    "situation": "forced_work",
    "description": "Wafanyakazi wanafungiwa shambani usiku na hawalipwi mshahara. Mkubwa wao ni Kiprono.",
    "place": "Molo",
    "occurred": "since January",
    "people_involved": "Kiprono Langat 0711222333",
    "contact": "Mama Njeri 0733444555",
}


def _post_tip(client, **extra):
    return client.post("/report/", {**FORM, **extra}, REMOTE_ADDR=extra.pop("ip", "203.0.113.9"))


def _ref_pin(response) -> tuple[str, str]:
    text = response.content.decode()
    ref = re.search(r"TIP-[A-Z0-9]{4}-[A-Z0-9]{4}", text).group(0)
    pin = re.search(r"<code>(\d{6})</code>", text).group(1)
    return ref, pin


def test_anonymous_tip_gives_reference_and_pin_and_is_sealed():
    # given / when
    response = _post_tip(Client())
    # then
    assert response.status_code == 200
    ref, pin = _ref_pin(response)
    tip = Tip.objects.get(reference=ref)
    assert tip.status == TipStatus.NEW and tip.has_contact
    assert tip.pin_hash != pin and tip.pin_hash.startswith(("md5$", "pbkdf2", "argon2"))
    # nothing the reporter wrote is in the database in clear
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intake_tip")
        dump = repr(cursor.fetchall())
    for secret in ("Kiprono", "0711222333", "Njeri", "Molo", "January", "shambani"):
        assert secret not in dump
    assert pin not in dump
    texts = {n: getattr(tip, n) for n in ("description", "people_involved", "contact", "place")}
    assert "Kiprono" in texts["people_involved"] and texts["place"] == "Molo"


def test_no_ip_address_is_stored():
    _post_tip(Client())
    event = AuditEvent.objects.get(action="tip.submit")
    assert event.ip is None
    assert event.actor_id is None
    assert "203.0.113.9" not in repr(event.changes)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intake_tip")
        assert "203.0.113.9" not in repr(cursor.fetchall())


def test_rate_key_is_a_keyed_hash_not_the_ip(rf):
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    key = ratelimit.client_key(request)
    assert "203" not in key and len(key) == 32
    assert key == ratelimit.client_key(rf.get("/", REMOTE_ADDR="203.0.113.9"))
    assert key != ratelimit.client_key(rf.get("/", REMOTE_ADDR="203.0.113.10"))


def test_tip_submission_is_rate_limited_per_client():
    client = Client()
    for _ in range(ratelimit.TIP_SUBMIT.count):
        assert _post_tip(client).status_code == 200
    before = Tip.objects.count()
    blocked = _post_tip(client)
    assert blocked.status_code == 429
    assert Tip.objects.count() == before
    # another client is not affected
    assert client.post("/report/", FORM, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_invalid_tip_is_not_saved_and_shows_errors():
    response = Client().post("/report/", {"situation": "nonsense", "description": ""})
    assert response.status_code == 200
    assert Tip.objects.count() == 0
    assert b'class="error"' in response.content


def test_honeypot_filled_saves_nothing():
    response = _post_tip(Client(), website="http://spam.example")
    assert response.status_code == 200
    assert Tip.objects.count() == 0


def test_csrf_is_enforced_on_public_forms():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/report/", FORM).status_code == 403
    assert client.post("/report/status/", {"reference": "TIP-AAAA-AAAA", "pin": "123456"}).status_code == 403
    assert Tip.objects.count() == 0


def test_status_with_reference_and_pin_shows_status_and_message(coordinator):
    ref, pin = _ref_pin(_post_tip(Client()))
    tip = Tip.objects.get(reference=ref)
    services.tip_close(actor=coordinator, tip=tip, reason="referred_police", note="OB 12/3", message="Police informed.")
    response = Client().post("/report/status/", {"reference": ref.lower().replace("-", " "), "pin": pin})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Police informed." in text and "Closed" in text
    assert "OB 12/3" not in text and "referred_police" not in text  # no internal details


def test_converted_tip_does_not_reveal_a_case(submit_tip, coordinator, draft):
    tip, pin = submit_tip()
    case = services.tip_convert(actor=coordinator, tip=tip, draft=draft()).case
    result = selectors.tip_public_status(reference=tip.reference, pin=pin)
    assert result.status == "in_progress"
    assert case.reference not in repr(result)


def test_wrong_pin_and_wrong_reference_give_the_same_answer(submit_tip):
    tip, pin = submit_tip()
    wrong_pin = f"{(int(pin) + 1) % 10**6:06d}"
    client = Client()
    a = client.post("/report/status/", {"reference": tip.reference, "pin": wrong_pin})
    b = client.post("/report/status/", {"reference": "TIP-ZZZZ-ZZZZ", "pin": pin})
    assert a.status_code == b.status_code == 404

    def errors(r):
        return re.search(r'<div class="form-errors".*?</div>', r.content.decode(), re.S).group(0)

    assert errors(a) == errors(b)
    assert "We found no report with this reference number and PIN." in errors(a)


def test_pin_check_runs_even_for_unknown_reference(monkeypatch):
    calls = []
    import ctip.intake.selectors as sel

    real = sel.check_password
    monkeypatch.setattr(sel, "check_password", lambda p, e: calls.append(e) or real(p, e))
    with pytest.raises(Exception):  # noqa: B017 - NotFound
        sel.tip_public_status(reference="TIP-ZZZZ-ZZZZ", pin="123456")
    assert len(calls) == 1


def test_escalated_call_has_no_public_status(call, operator):
    tip = services.call_escalate(actor=operator, call=call)
    from ctip.core.errors import NotFound

    for pin in ("", "!", "000000"):
        with pytest.raises(NotFound):
            selectors.tip_public_status(reference=tip.reference, pin=pin)


def test_status_guessing_is_rate_limited_per_client(submit_tip):
    tip, pin = submit_tip()
    client = Client()
    for i in range(ratelimit.STATUS_CHECK.count):
        assert client.post("/report/status/", {"reference": f"TIP-AAAA-AA{i:02d}", "pin": "000000"}).status_code == 404
    # even the right PIN is refused now, from this client
    assert client.post("/report/status/", {"reference": tip.reference, "pin": pin}).status_code == 429


def _check(ip: str, reference: str, pin: str) -> int:
    return Client().post("/report/status/", {"reference": reference, "pin": pin}, REMOTE_ADDR=ip).status_code


def _wrong(pin: str, i: int = 1) -> str:
    return f"{(int(pin) + i) % 10**6:06d}"


@pytest.fixture
def clock(monkeypatch):
    """The rate limiter's clock, fixed; tests move it by hand."""
    now = [3600 * 24 * 1000 + 10.0]
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    return now


def _guard(reference: str, pin: str) -> None:
    """Ten failures from ten addresses: the reference is guarded."""
    for i in range(ratelimit.STATUS_FAILURES_PER_REFERENCE.count):
        assert _check(f"198.51.100.{i + 1}", reference, _wrong(pin, i + 1)) == 404


def test_status_guessing_is_rate_limited_per_reference_across_clients(submit_tip, clock):
    # given: a reference guarded by failures from many addresses
    tip, pin = submit_tip()
    _guard(tip.reference, pin)
    # then: one more address gets three tries on it, no more, and cannot confirm a guess afterwards
    tries = ratelimit.STATUS_FAILURES_PER_CLIENT_AND_REFERENCE.count
    assert [_check("192.0.2.50", tip.reference, _wrong(pin, 100 + i)) for i in range(tries + 1)] == [404] * tries + [
        429
    ]
    assert _check("192.0.2.50", tip.reference, pin) == 429
    # and an unknown reference is treated the same way (no hint that a reference exists)
    _guard("TIP-ZZZZ-ZZZZ", pin)
    assert [_check("192.0.2.51", "TIP-ZZZZ-ZZZZ", _wrong(pin, 100 + i)) for i in range(tries + 1)] == [404] * tries + [
        429
    ]


def test_failures_on_a_reference_do_not_lock_its_reporter_out(submit_tip, clock, caplog):
    # given: someone who knows the reference fails ten times on it, from ten addresses
    tip, pin = submit_tip()
    _guard(tip.reference, pin)
    [warning] = [r for r in caplog.records if "PIN guessing" in r.getMessage()]  # told once, without the reference
    assert tip.reference not in warning.getMessage() and "198.51" not in warning.getMessage()
    # then: the reporter's right PIN still works, from a new address and from one the guesser used once
    response = Client().post("/report/status/", {"reference": tip.reference, "pin": pin}, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200 and tip.reference in response.content.decode()
    assert _check("198.51.100.1", tip.reference, pin) == 200
    # the guesser's own address, once it has used its tries on the reference, cannot
    for i in range(ratelimit.STATUS_FAILURES_PER_CLIENT_AND_REFERENCE.count):
        _check("192.0.2.66", tip.reference, _wrong(pin, 200 + i))
    assert _check("192.0.2.66", tip.reference, pin) == 429


def test_guessing_from_many_addresses_is_bounded_per_address(submit_tip, clock):
    """Rotating addresses buys three PIN checks per address per day on a guarded reference, however many tries
    each address makes: slowed, but the reporter is never locked out (before: 10 checks in all, then nobody)."""
    tip, pin = submit_tip()
    addresses = [f"203.0.113.{i}" for i in range(1, 13)]
    answered = 0
    for round_ in range(6):
        for n, ip in enumerate(addresses):
            answered += _check(ip, tip.reference, _wrong(pin, 1 + round_ * 100 + n)) == 404
    assert answered == ratelimit.STATUS_FAILURES_PER_CLIENT_AND_REFERENCE.count * len(addresses)


def test_a_guarded_reference_and_a_blocked_address_recover_with_time(submit_tip, clock):
    tip, pin = submit_tip()
    _guard(tip.reference, pin)
    tries = ratelimit.STATUS_FAILURES_PER_CLIENT_AND_REFERENCE.count
    for i in range(tries):
        assert _check("192.0.2.80", tip.reference, _wrong(pin, 300 + i)) == 404
    assert _check("192.0.2.80", tip.reference, _wrong(pin, 400)) == 429
    clock[0] += 2 * 86400  # two days: the failures no longer weigh
    assert [_check("192.0.2.80", tip.reference, _wrong(pin, 500 + i)) for i in range(tries + 1)] == [404] * (tries + 1)
    assert _check("192.0.2.80", tip.reference, pin) == 200


def test_right_pins_do_not_use_up_an_address_shared_by_many_reporters(submit_tip, clock):
    """Behind a mobile operator's NAT many reporters share one address: right PINs do not count as failures."""
    tips = [submit_tip() for _ in range(3)]
    rounds = ratelimit.STATUS_LOOKUPS.count // len(tips)
    assert rounds * len(tips) > ratelimit.STATUS_CHECK.count
    for _ in range(rounds):
        for tip, pin in tips:
            assert _check("100.64.0.1", tip.reference, pin) == 200
    # every look-up costs a PIN-hash check: at most STATUS_LOOKUPS per address per hour, right or wrong
    assert _check("100.64.0.1", tips[0][0].reference, tips[0][1]) == 429
    clock[0] += 2 * 3600
    assert _check("100.64.0.1", tips[0][0].reference, tips[0][1]) == 200


def test_someone_failing_from_a_shared_address_blocks_it_for_an_hour_only(submit_tip, clock):
    tip, pin = submit_tip()
    for i in range(ratelimit.STATUS_CHECK.count):
        assert _check("100.64.0.2", f"TIP-AAAA-AA{i:02d}", "000000") == 404
    assert _check("100.64.0.2", tip.reference, pin) == 429  # the other reporter on that address waits
    assert _check("100.64.0.3", tip.reference, pin) == 200  # or uses another network
    clock[0] += 2 * 3600
    assert _check("100.64.0.2", tip.reference, pin) == 200


def test_public_pages_in_kiswahili_for_anonymous():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "sw", "next": "/report/"})
    assert response.status_code == 302
    page = client.get("/report/")
    assert page.status_code == 200
    assert 'lang="sw"' in page.content.decode()
    assert "biashara haramu ya binadamu" in page.content.decode()
    assert "Tuma taarifa" in page.content.decode() or "Tuma ripoti" in page.content.decode()


def test_reference_normalisation():
    assert services.normalize_reference(" tip 7k3q 9xrm ") == "TIP-7K3Q-9XRM"
    assert services.normalize_reference("TIP-7K3Q-9XRM") == "TIP-7K3Q-9XRM"
    assert services.normalize_reference("") == ""


def test_references_are_unguessable_shape(submit_tip):
    refs = {submit_tip()[0].reference for _ in range(5)}
    assert len(refs) == 5
    for ref in refs:
        assert re.fullmatch(r"TIP-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", ref)


def test_limit_holds_across_a_window_boundary(monkeypatch):
    """A fixed window would forget every request at the boundary; the sliding window still counts them."""
    limit = ratelimit.Limit("test_boundary", 10, 3600)
    clock = [3600 * 1000 + 3599.0]  # one second before a boundary
    monkeypatch.setattr(ratelimit, "_now", lambda: clock[0])
    for _ in range(limit.count):
        assert ratelimit.allow(limit, "client")
    assert not ratelimit.allow(limit, "client")
    clock[0] += 2  # one second into the next window: the previous window still weighs almost fully
    assert ratelimit.exceeded(limit, "client")
    assert not ratelimit.allow(limit, "client")
    clock[0] += 1800  # half-way through: the previous 11 count for half, the current 1 fully
    assert ratelimit.count(limit, "client") == pytest.approx(11 * (1 - 1801 / 3600) + 1)
    clock[0] += 3600  # a whole window later nothing is left of the first burst
    assert ratelimit.count(limit, "client") == pytest.approx(1 * (1 - 1801 / 3600))
    assert ratelimit.allow(limit, "client")
