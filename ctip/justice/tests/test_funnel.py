"""The exact funnel counts the statistics module publishes (ctip.stats): files opened, handed to the prosecutor,
charged, filtered by the linked victim cases; and the published funnel with its small cells hidden."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.core.errors import PermissionDenied
from ctip.justice import selectors, services
from ctip.reference.models import Offence

from .conftest import open_file

pytestmark = pytest.mark.django_db


def test_funnel_counts_each_stage(charged_and_more, users):
    analyst = users[Role.DATA_ANALYST]
    counts = selectors.funnel_counts(user=analyst)
    assert (counts.opened, counts.with_odpp, counts.charged) == (3, 1, 1)
    today = timezone.localdate()
    assert selectors.funnel_counts(user=analyst, date_from=today + timedelta(days=1)).opened == 0
    # only files linked to the given cases (the charged file was opened from the case, as was OB 78; not OB 77)
    from ctip.cases.models import Case

    linked = selectors.funnel_counts(user=analyst, cases=Case.objects.filter(pk=charged_and_more["case"].pk))
    assert (linked.opened, linked.with_odpp, linked.charged) == (2, 1, 1)  # the charged file and OB 78


def test_funnel_needs_statistics(users):
    with pytest.raises(PermissionDenied):
        selectors.funnel_counts(user=users[Role.CASE_WORKER])


def test_published_funnel_hides_small_stages(charged_and_more, users):
    from ctip.stats.filters import Filters
    from ctip.stats.selectors import justice_figures
    from ctip.stats.tables import publish

    figure = publish(justice_figures(user=users[Role.DATA_ANALYST], filters=Filters())[0])
    assert [r.cells[0].value for r in figure.rows] == [None, None, None]


@pytest.fixture
def charged_and_more(submitted, prosecutor, investigator, case):
    services.investigation_advise(actor=prosecutor, investigation=submitted, advice="charge")
    submitted.refresh_from_db()
    from ctip.justice.models import CourtStation

    services.charge_sheet_record(
        actor=prosecutor,
        investigation=submitted,
        court=CourtStation.objects.filter(name__startswith="Milimani").order_by("id").first(),
        court_case_number="MCCR/E9/2026",
        charged_on=timezone.localdate(),
        counts=[services.CountInput(submitted.suspects.first(), Offence.objects.get(code="ctipa-3"))],
    )
    open_file(investigator, ob_number="OB 77")
    open_file(investigator, case=case, ob_number="OB 78")
    return {"case": case}
