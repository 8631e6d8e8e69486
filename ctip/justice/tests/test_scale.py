"""Issue 11 at scale (bench/justice.py): the office's lists when it holds more shares than fit in a list (each
file's share looked up on its own row, by index), and the lead-time medians read as histograms."""

import random
import statistics
from datetime import date, timedelta

import pytest

from ctip.accounts import access
from ctip.justice import selectors

from .conftest import make_ready, open_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def few_inline(monkeypatch):
    """More grants than fit in a list, with three: the path a prosecution office with 20,000 files takes."""
    monkeypatch.setattr(access, "GRANTED_INLINE_LIMIT", 2)
    access._too_many.clear()
    yield
    access._too_many.clear()  # the process remembers offices with too many grants: not past this test


def test_queue_with_more_shares_than_fit_in_a_list(few_inline, investigator, prosecutor, submit, client_for):
    handed = []
    for i in range(3):
        f = open_file(investigator, ob_number=f"OB {i}")
        submit(make_ready(investigator, f))
        handed.append(f.reference)
    kept = open_file(investigator, ob_number="OB 9")  # never handed over: the prosecutor never sees it
    queue = list(selectors.review_queue_for_user(user=prosecutor).values_list("reference", flat=True))
    assert queue == handed
    page = client_for(prosecutor).get("/justice/queue/")
    assert page.status_code == 200
    text = page.content.decode()
    assert all(ref in text for ref in handed) and kept.reference not in text
    # remembered: the next request does not read the grants again to find out
    assert any(key[0] == "request" and key[1] == prosecutor.pk for key in access._too_many)
    assert client_for(prosecutor).get(f"/justice/{kept.public_id}/").status_code == 404


def test_a_file_page_decides_on_its_shares_once_per_request(few_inline, investigator, prosecutor, submit, client_for):
    from ctip.core.tests.querycount import LIMIT, count_queries

    files = []
    for i in range(3):
        f = open_file(investigator, ob_number=f"OB {i}")
        submit(make_ready(investigator, f))
        files.append(f)
    client = client_for(prosecutor)
    n = count_queries(client, f"/justice/{files[0].public_id}/exchange/")
    assert n <= LIMIT


@pytest.mark.parametrize("seed", range(20))
def test_median_of_histogram_is_the_median_of_the_days(seed):
    rng = random.Random(seed)
    days = [rng.randrange(-3, 90) for _ in range(rng.randrange(0, 60))]
    histogram = [(d, days.count(d)) for d in set(days)]
    start = date(2026, 1, 1)
    pairs = [(start, start + timedelta(days=d)) for d in days]
    assert selectors._median_of_histogram(histogram) == selectors._median_days(pairs)
    if selectors._median_of_histogram(histogram) is not None:
        assert selectors._median_of_histogram(histogram) == int(statistics.median(days))


def test_figures_medians_from_histograms_match_the_files(investigator, prosecutor, submit, users, case):
    """The medians the database groups are those of the files one by one (the advice's date in Nairobi: an
    advice at 22:30 UTC is the next day)."""
    from datetime import UTC, datetime

    from django.utils import timezone

    from ctip.accounts.enums import Role
    from ctip.justice import services
    from ctip.justice.models import Investigation, InvestigationCase, Submission

    expected_file, expected_decision = [], []
    for i in range(13):
        f = open_file(investigator, ob_number=f"OB {i}")
        opened = case.identified_on + timedelta(days=3 * i + 1)
        Investigation.objects.filter(pk=f.pk).update(opened_on=opened)
        InvestigationCase.objects.get_or_create(
            investigation=f, case=case, defaults={"role": "complainant", "linked_by": investigator}
        )
        expected_file.append((case.identified_on, opened))
        f.refresh_from_db()
        submit(make_ready(investigator, f))
        services.investigation_advise(actor=prosecutor, investigation=f, advice="charge")
        advised = datetime.combine(opened + timedelta(days=i % 5), datetime.min.time(), tzinfo=UTC) + timedelta(
            hours=22, minutes=30
        )
        Submission.objects.filter(investigation=f).update(advised_at=advised)
        expected_decision.append((opened, timezone.localtime(advised).date()))
    figures = selectors.figures(user=users[Role.DATA_ANALYST])
    assert figures.median_identification_to_file == selectors._median_days(expected_file)
    assert figures.median_file_to_decision == selectors._median_days(expected_decision)
    assert figures.median_file_to_decision == 3  # days i % 5 + 1 (the Nairobi date is the next day): median 3
