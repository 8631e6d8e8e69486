"""Scratch timing (not collected: no test_ prefix)."""

import time
from datetime import date

import pytest

from ctip.accounts.enums import Role

from .conftest import open_victim
from .test_query_counts import _more_cases

pytestmark = pytest.mark.django_db


def test_time_report(users, provider, analyst):
    from ctip.stats import report as rb
    from ctip.stats.models import AnnualReport

    worker = users[Role.CASE_WORKER]
    template = open_victim(worker)
    t0 = time.perf_counter()
    for start in range(0, 20000, 5000):
        _more_cases(template, provider, worker, start, start + 5000)
    t1 = time.perf_counter()
    sections = rb.build_sections(user=analyst, date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
    t2 = time.perf_counter()
    r = AnnualReport(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31), small_cell=11, sections=sections)
    from django.utils import timezone

    r.generated_at = timezone.now()
    r.parameters = rb.parameters(date_from=r.date_from, date_to=r.date_to)
    x = rb.to_xlsx(r)
    t3 = time.perf_counter()
    p = rb.to_pdf(r)
    t4 = time.perf_counter()
    print(f"BENCH load={t1-t0:.1f}s sections={t2-t1:.2f}s xlsx={t3-t2:.2f}s ({len(x)} B) pdf={t4-t3:.2f}s ({len(p)} B)")
