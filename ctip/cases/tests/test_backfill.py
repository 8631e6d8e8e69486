"""`manage.py backfill_case_sex`: older cases get the sex at identification statistics read, once."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from ctip.audit.models import AuditEvent
from ctip.cases import services
from ctip.cases.models import Case

pytestmark = pytest.mark.django_db


def test_backfill_fills_the_sex_of_older_cases_once(users, make_person):
    worker = users["case_worker"]
    person = make_person(worker, "Akinyi", "Otieno", sex="female", date_of_birth=date(1999, 2, 3))
    case = services.case_open(
        actor=worker,
        person=person,
        identified_on=date(2026, 3, 1),
        narrative="Recruited for a job in Riyadh.",
        htcds={"vic_TypeOfExploitation": ["ForcedLabour"]},
    )
    assert case.sex_at_identification == "female"
    Case.objects.filter(pk=case.pk).update(sex_at_identification="")  # as opened before the column existed
    out = StringIO()
    call_command("backfill_case_sex", stdout=out)
    case.refresh_from_db()
    assert case.sex_at_identification == "female"
    assert "1 case(s) filled in." in out.getvalue()
    call_command("backfill_case_sex", stdout=StringIO())  # nothing left to do
    events = AuditEvent.objects.filter(action="case.statistics_backfill").order_by("id")
    assert [e.changes["cases"] for e in events] == [1, 0]
