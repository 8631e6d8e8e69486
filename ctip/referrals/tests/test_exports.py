"""Referral lists exported as the inbox and the outbox show them (ctip/exports)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from ctip.accounts.enums import Role

pytestmark = pytest.mark.django_db


def _export(client, kind, **data):
    return client.post(reverse("exports:start"), {"kind": kind, "format": "csv", **data})


def _rows(response):
    assert response.status_code == 200, response.status_code
    return list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))


def test_inbox_and_outbox_exports(send, sender, recipient, users, client_for):
    referral = send()
    inbox = _rows(_export(client_for(recipient), "referrals_in"))
    assert inbox[0][:4] == ["Referral", "Case", "Service", "From"]
    assert [r[0] for r in inbox[1:]] == [referral.reference]
    assert inbox[1][2] == "Shelter" and inbox[1][4] == "Sent, awaiting response"
    outbox = _rows(_export(client_for(sender), "referrals_out"))
    assert outbox[0][3] == "To" and [r[0] for r in outbox[1:]] == [referral.reference]
    assert _rows(_export(client_for(sender), "referrals_out", status="completed"))[1:] == []
    assert "Ask for Achieng" not in str(inbox) + str(outbox)  # the sealed notes never leave


def test_roles_without_the_list_are_refused(send, users, client_for):
    send()
    analyst = client_for(users[Role.DATA_ANALYST])
    assert _export(analyst, "referrals_in").status_code == 403
    assert _export(analyst, "referrals_out").status_code == 403
