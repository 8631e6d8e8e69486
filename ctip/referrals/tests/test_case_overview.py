"""What referrals add to the case overview and the caseload (issue 13, through ctip.cases.contributions): the
"Referred" and "Assisted" steps, the open referrals (overdue first), the caseload's "referrals awaiting an answer";
the case page's queries do not grow with the number of referrals."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.core.tests.querycount import LIMIT, count_queries
from ctip.referrals.models import Referral

pytestmark = pytest.mark.django_db


def _steps(body):
    line = body[body.index('class="nrm-progress"') :].split("</ol>")[0]
    found = re.findall(r'<span class="step-name">(.*?)</span>\s*<span class="step-state">(.*?)</span>', line, re.S)
    return {name: state.strip() for name, state in found}


def test_referrals_on_the_overview(sender, case, send, drive, client_for):
    first = send()
    Referral.objects.filter(pk=first.pk).update(response_due_at=timezone.now() - timedelta(hours=1))
    drive(send(service="psychosocial"), "in_progress")
    body = client_for(sender).get(f"/cases/{case.public_id}/").content.decode()
    steps = _steps(body)
    assert steps["Referred"].startswith("Done") and steps["Assisted"].startswith("Done")
    panel = body[body.index("Open referrals") :].split("</div>")[0]
    assert "Open referrals (2)" in panel
    assert panel.index(first.reference) < panel.index("Psychosocial")  # overdue first
    assert panel.count("Overdue") == 1 and f'href="/referrals/{first.public_id}/"' in panel
    assert "1 referral unanswered past its response time" in body


def test_case_page_queries_do_not_grow_with_referrals(sender, case, send, drive, client_for, make_person):
    from ctip.cases.tests.factories import open_case
    from ctip.referrals.tests.conftest import give_consent

    few, many = case, open_case(sender, make_person, first_name="Zawadi")
    give_consent(sender, many)
    send()
    for service in ("shelter", "psychosocial") * 4:  # one open referral per provider and service: decline them
        drive(send(service=service, on_case=many), "declined")
    send(on_case=many)
    send(service="psychosocial", on_case=many)
    client = client_for(sender)
    n_few = count_queries(client, f"/cases/{few.public_id}/")
    n_many = count_queries(client, f"/cases/{many.public_id}/")
    print(f"QUERYCOUNT case overview referrals few={n_few} many={n_many}")
    assert n_few == n_many <= LIMIT


def test_caseload_counts_cases_awaiting_a_provider(sender, case, send, drive, client_for):
    send()  # the registering officer (sender) is assigned to the case
    body = client_for(sender).get("/cases/caseload/").content.decode()
    row = body[body.index(f'<th scope="row">{sender.username}</th>') :].split("</tr>")[0]
    assert [int(v) for v in re.findall(r"<td[^>]*>(?:<a href=\"[^\"]*\">)?(\d+)", row)][3] == 1
    listed = client_for(sender).get(f"/cases/?status=open&flag=awaiting_referral&officer={sender.public_id}")
    assert case.reference in listed.content.decode()
    drive(Referral.objects.get(case=case), "accepted")
    listed = client_for(sender).get("/cases/?flag=awaiting_referral")
    assert case.reference not in listed.content.decode()


def test_provider_sees_only_its_referral_and_the_steps_it_may(sender, case, send, recipient, client_for):
    referral = send(sections=("care",))
    body = client_for(recipient).get(f"/cases/{case.public_id}/").content.decode()
    steps = _steps(body)
    assert steps["Consent"] == "Not shared with you" and steps["Referred"].startswith("Done")
    assert referral.reference in body and "Next actions" not in body
    assert recipient.role == Role.SERVICE_PROVIDER
