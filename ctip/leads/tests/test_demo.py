"""Demo leads: every state, through the real services, consistent with the files; running again adds none."""

import pytest

from ctip.audit.models import AuditEvent
from ctip.demo.generator import EXTENSIONS, DemoCounts, generate
from ctip.leads.demo import add_demo_leads
from ctip.leads.enums import LeadStatus
from ctip.leads.models import Lead
from ctip.people.models import Person

pytestmark = pytest.mark.django_db


def test_demo_leads_in_every_state():
    assert add_demo_leads in EXTENSIONS
    result = generate(DemoCounts(persons=600), seed=5)
    assert result.extra["investigation_leads"] == Lead.objects.count() >= 5
    assert set(Lead.objects.values_list("status", flat=True)) == set(LeadStatus.values)
    assert set(Lead.objects.values_list("source", flat=True)) == {"tip", "complaint", "case", "officer"}
    for lead in Lead.objects.exclude(investigation=None).select_related("investigation"):
        assert lead.investigation.owning_agency_id == lead.owning_agency_id
    assert AuditEvent.objects.filter(action="lead.accept").exists()
    assert Person.objects.count() == result.persons  # acting on the demo leads registers no extra person
    add_demo_leads(seed=5, result=result, actor=None)
    assert Lead.objects.count() == result.extra["investigation_leads"]
