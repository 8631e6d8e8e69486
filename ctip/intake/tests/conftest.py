from __future__ import annotations

import pytest
from django.core.cache import cache


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


@pytest.fixture
def submit_tip(db):
    from ctip.intake.enums import Situation
    from ctip.intake.services import TipInput, tip_submit

    def make(**overrides):
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

    return make


@pytest.fixture
def log_call(db):
    from django.utils import timezone

    from ctip.intake.enums import CallerType, Urgency
    from ctip.intake.services import CallInput, call_log

    def make(actor, **overrides):
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

    return make


@pytest.fixture
def draft():
    from datetime import date

    from ctip.intake.services import CaseDraft
    from ctip.people.identity import Identity

    def make(**overrides):
        data = {
            "identity": Identity(first_name="Akinyi", last_name="Odhiambo", date_of_birth=date(1998, 3, 4)),
            "identified_on": date.today(),
            "narrative": "Reported through intake.",
            "htcds": {"vic_TypeOfExploitation": ["ForcedLabour"]},
        }
        data.update(overrides)
        return CaseDraft(**data)

    return make


@pytest.fixture
def tip(submit_tip):
    return submit_tip()[0]


@pytest.fixture
def call(log_call, operator):
    return log_call(operator)


@pytest.fixture
def sample_csv() -> bytes:
    from pathlib import Path

    return (Path(__file__).resolve().parent.parent / "samples" / "htcds_import_sample.csv").read_bytes()


@pytest.fixture
def import_job(case_worker, sample_csv):
    from ctip.intake.services import import_start

    return import_start(actor=case_worker, file_name="sample.csv", content=sample_csv)
