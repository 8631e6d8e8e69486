from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from ctip.core.tests.world import shared_fixture


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coordinator(users):
    return users["coordinator"]


@pytest.fixture
def operator(users):
    return users["hotline_operator"]


@pytest.fixture
def case_worker(users):
    return users["case_worker"]


def _submit_tip(**overrides):
    from ctip.intake.enums import Situation
    from ctip.intake.services import TipInput, tip_submit

    data = {
        "situation": Situation.JOB_ABROAD,
        "description": "My neighbour's daughter was promised a job in Riyadh and her passport was taken.",
        "place": "Kawangware",
        "occurred": "last month",
        "people_involved": "Agent Mwangi 0712345678",
        "contact": "call me on 0722000111",
        "language": "en",
    }
    data.update(overrides)
    return tip_submit(data=TipInput(**data))


@pytest.fixture
def submit_tip(db):
    return _submit_tip


def _log_call(actor, **overrides):
    from django.utils import timezone

    from ctip.intake.enums import CallerType, Urgency
    from ctip.intake.services import CallInput, call_log

    data = {
        "caller_type": CallerType.FAMILY,
        "summary": "Caller's sister Wanjiku is held in a house in Mombasa and cannot leave.",
        "call_at": timezone.now(),
        "urgency": Urgency.HIGH,
        "city": "Mombasa",
        "duration_minutes": 12,
        "follow_up_needed": True,
    }
    data.update(overrides)
    return call_log(actor=actor, data=CallInput(**data))


@pytest.fixture
def log_call(db):
    return _log_call


@pytest.fixture
def draft():
    from datetime import date

    from ctip.intake.services import CaseDraft
    from ctip.people.identity import Identity

    def make(**overrides):
        data = {
            "identity": Identity(first_name="Akinyi", last_name="Odhiambo", date_of_birth=date(1998, 3, 4)),
            "identified_on": timezone.localdate(),
            "narrative": "Reported through intake.",
            "htcds": {"vic_TypeOfExploitation": ["ForcedLabour"]},
        }
        data.update(overrides)
        return CaseDraft(**data)

    return make


@shared_fixture()
def tip():
    return _submit_tip()[0]


@shared_fixture("users")
def call(users):
    return _log_call(users["hotline_operator"])


def _sample_csv() -> bytes:
    from pathlib import Path

    return (Path(__file__).resolve().parent.parent / "samples" / "htcds_import_sample.csv").read_bytes()


@pytest.fixture
def sample_csv() -> bytes:
    return _sample_csv()


@shared_fixture("users")
def import_job(users):
    from ctip.intake.services import import_start

    return import_start(actor=users["case_worker"], file_name="sample.csv", content=_sample_csv())
