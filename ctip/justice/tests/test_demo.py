"""Demo investigation files: consistent with the cases and the rules (shares, submissions, reasons), every status,
some through the real services; running again adds no second file for a case."""

import pytest
from django.utils import timezone

from ctip.accounts.models import RecordShare
from ctip.audit.models import AuditEvent
from ctip.demo.cases import add_demo_cases
from ctip.demo.generator import EXTENSIONS, DemoCounts, DemoResult, generate
from ctip.justice.demo import add_demo_investigations
from ctip.justice.enums import Advice, InvestigationStatus
from ctip.justice.models import ChargeSheet, Investigation, InvestigationCase, Submission, Suspect
from ctip.people.models import Person

pytestmark = pytest.mark.django_db


def test_demo_investigations():
    assert EXTENSIONS.index(add_demo_investigations) == EXTENSIONS.index(add_demo_cases) + 1
    result = generate(DemoCounts(persons=600), seed=5)
    from ctip.leads.models import Lead

    # the leads demo, later in EXTENSIONS, accepts a lead and so opens one more file of its own (a joined lead
    # points at one of the justice demo's files)
    from_leads = Lead.objects.filter(status="accepted").values("investigation")
    files = Investigation.objects.exclude(pk__in=from_leads).count()
    assert result.extra["investigations"] == files > 0
    assert set(Investigation.objects.values_list("status", flat=True)) == set(InvestigationStatus.values)
    assert AuditEvent.objects.filter(action="investigation.submit").exists()  # some through the real services
    # a suspect linked from the person registry (no new person registered: the demo's persons are its own)
    assert Suspect.objects.filter(kind="person").exists()
    assert Person.objects.count() == result.persons
    references = list(Investigation.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references))
    demo_files = Investigation.objects.exclude(pk__in=from_leads)
    for f in demo_files.prefetch_related("case_links__case", "submissions__share", "evidence"):
        # the file's unit owns the linked case (the investigator sees it), identified before the file
        for link in f.case_links.all():
            assert link.case.owning_agency_id == f.owning_agency_id
            assert link.case.identified_on <= f.opened_on
        assert f.evidence.count() == 9
        assert all(e.reason for e in f.evidence.all() if e.state == "missing")
        subs = list(f.submissions.all())
        pending = [s for s in subs if not s.advice]
        active = [s for s in subs if s.share.revoked_at is None]
        if f.status == InvestigationStatus.OPEN:
            assert not subs or all(s.returned_at for s in subs)
        if f.status == InvestigationStatus.WITH_ODPP:
            assert len(pending) == 1 and active == pending
        if f.status == InvestigationStatus.CHARGE_ADVISED:
            assert subs[-1].advice == Advice.CHARGE and active == [subs[-1]]
        sheet = ChargeSheet.objects.filter(investigation=f).first()
        if sheet is not None:
            assert f.status == InvestigationStatus.CHARGE_ADVISED
            assert sheet.charged_on >= timezone.localtime(subs[-1].advised_at).date()
            assert sheet.counts.exists()
            assert all(c.accused.investigation_id == f.pk for c in sheet.counts.all())
        if f.status == InvestigationStatus.CLOSED:
            assert f.closure_reason and not active
        for s in subs:
            assert timezone.localtime(s.submitted_at).date() >= f.opened_on
            assert s.advised_at is None or s.advised_at >= s.submitted_at
            assert (s.share.revoked_at is not None) == (
                s.advice in (Advice.FURTHER_INVESTIGATION, Advice.NO_FURTHER_ACTION)
            )
    assert RecordShare.objects.filter(target_type="justice.investigation").count() == Submission.objects.count()
    assert ChargeSheet.objects.exists()
    _check_court(result)
    # again: no second file for an investigated case
    from ctip.accounts.models import User

    again = DemoResult()
    add_demo_investigations(seed=5, result=again, actor=User.objects.get(username="demo.admin"))
    assert InvestigationCase.objects.values("case").distinct().count() == InvestigationCase.objects.count()
    assert again.extra["court_sittings"] == 0  # no second diary for a sheet that has one


def _check_court(result):
    """The court records are consistent with the dates: nothing before the charge, nothing recorded after today,
    sentences only on convictions, orders only against a convicted accused."""
    from ctip.justice.models import CountOutcome, CourtEvent, ForfeitureOrder, RestitutionOrder

    today = timezone.localdate()
    assert result.extra["court_sittings"] == CourtEvent.objects.count() > 0
    for e in CourtEvent.objects.select_related("charge_sheet"):
        assert e.sits_on >= e.charge_sheet.charged_on
        assert e.status == "scheduled" or e.sits_on <= today
        assert e.status != "adjourned" or (e.adjournment_reason and e.next_on)
    for o in CountOutcome.objects.select_related("count__charge_sheet"):
        assert o.count.charge_sheet.charged_on <= o.decided_on <= today
        assert o.count.plea != "not_taken"
        assert o.verdict == "convicted" or (o.imprisonment_months is None and o.fine_cents is None)
    for model in (RestitutionOrder, ForfeitureOrder):
        for order in model.objects.all():
            assert CountOutcome.objects.filter(
                count__charge_sheet_id=order.charge_sheet_id, count__accused_id=order.accused_id, verdict="convicted"
            ).exists()
