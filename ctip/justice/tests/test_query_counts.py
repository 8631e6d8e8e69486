"""Queries of the investigation pages are bounded and do not grow with the rows shown (issue 10): the same count
at 10 and at 50 files on the lists, 12 or fewer on a file's pages whatever it holds. Opening sealed text or names
on demand (?show=) adds the one audit event of the read: 5 statements inside a test's transaction (a savepoint,
the chain head, the insert, its update, the release), 3 outside."""

import pytest

from ctip.core.tests.querycount import LIMIT, count_queries

from .conftest import make_ready, open_file

AUDITED_READ = 5

pytestmark = pytest.mark.django_db


def _files(actor, start, stop):
    return [open_file(actor, ob_number=f"OB {i}") for i in range(start, stop)]


def test_list_same_queries_at_10_and_50_files(investigator, client_for):
    client = client_for(investigator)
    _files(investigator, 0, 10)
    at_10 = count_queries(client, "/justice/")
    _files(investigator, 10, 50)
    at_50 = count_queries(client, "/justice/")
    print(f"QUERYCOUNT /justice/ 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT


def test_queue_same_queries_at_10_and_50_files(investigator, prosecutor, submit, client_for):
    client = client_for(prosecutor)

    def handed(start, stop):
        for f in _files(investigator, start, stop):
            submit(make_ready(investigator, f))

    handed(0, 10)
    at_10 = count_queries(client, "/justice/queue/")
    handed(10, 50)
    at_50 = count_queries(client, "/justice/queue/")
    print(f"QUERYCOUNT /justice/queue/ 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT


def _fill(actor, investigation, n):
    from datetime import date

    from ctip.justice import services
    from ctip.people.identity import Identity

    for i in range(n):
        services.suspect_add(
            actor=actor,
            investigation=investigation,
            roles=["Exploiter"],
            person=services.PersonChoice(
                identity=Identity(first_name=f"Suspect{i}", last_name="Kamau"), confirm_new=True
            ),
        )
        services.identifier_add(actor=actor, investigation=investigation, kind="phone", value=f"07123456{i:02d}")
        services.action_add(actor=actor, investigation=investigation, done_on=date(2026, 3, 2), text=f"Step {i}")


@pytest.mark.parametrize(
    ("page", "bound"),
    [
        ("", LIMIT),
        ("evidence/", LIMIT),
        ("log/", LIMIT),
        ("exchange/", LIMIT),
        ("edit/", LIMIT),
        ("suspects/person/", LIMIT),
        ("?show=names", LIMIT + AUDITED_READ),
        ("log/?show=text", LIMIT + AUDITED_READ),
    ],
)
def test_file_pages_bounded_for_the_investigator(file, investigator, client_for, page, bound):
    client = client_for(investigator)
    make_ready(investigator, file)
    _fill(investigator, file, 2)
    client.get(f"/justice/{file.public_id}/")  # reference look-ups cached once per process
    few = count_queries(client, f"/justice/{file.public_id}/{page}")
    _fill(investigator, file, 8)
    many = count_queries(client, f"/justice/{file.public_id}/{page}")
    print(f"QUERYCOUNT investigator /justice/<id>/{page} {few} {many}")
    assert few == many <= bound


@pytest.mark.parametrize(
    ("page", "bound"),
    [("", LIMIT), ("evidence/", LIMIT), ("exchange/", LIMIT), ("exchange/?show=text", LIMIT + AUDITED_READ)],
)
def test_file_pages_bounded_for_the_prosecutor(file, investigator, prosecutor, submit, client_for, page, bound):
    make_ready(investigator, file)
    _fill(investigator, file, 6)
    submit(file)
    client = client_for(prosecutor)
    client.get(f"/justice/{file.public_id}/")
    n = count_queries(client, f"/justice/{file.public_id}/{page}")
    print(f"QUERYCOUNT prosecutor /justice/<id>/{page} {n}")
    assert n <= bound


def test_figures_page_same_queries_at_10_and_50_files(investigator, users, client_for):
    from ctip.accounts.enums import Role

    client = client_for(users[Role.DATA_ANALYST])
    _files(investigator, 0, 10)
    at_10 = count_queries(client, "/justice/figures/")
    _files(investigator, 10, 50)
    at_50 = count_queries(client, "/justice/figures/")
    print(f"QUERYCOUNT /justice/figures/ 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT


# --- the court pages -------------------------------------------------------------------------------------------------


def _prosecutions(investigator, prosecutor, odpp_agency, start, stop):
    """Charged files, each with a sitting in the next days and a witness-free record."""
    from datetime import timedelta

    from django.utils import timezone

    from ctip.justice import services
    from ctip.justice.models import ChargeSheet, CourtStation
    from ctip.reference.models import Offence

    court = CourtStation.objects.get(code="milimani-mc")
    s3 = Offence.objects.get(code="ctipa-3")
    today = timezone.localdate()
    for f in _files(investigator, start, stop):
        make_ready(investigator, f)
        services.investigation_submit(actor=investigator, investigation=f, agency=odpp_agency, sections=["suspects"])
        services.investigation_advise(actor=prosecutor, investigation=f, advice="charge")
        f.refresh_from_db()
        sheet = services.charge_sheet_record(
            actor=prosecutor,
            investigation=f,
            court=court,
            court_case_number=f"MCCR/E{f.pk}/2026",
            charged_on=today,
            counts=[services.CountInput(f.suspects.first(), s3)],
        )
        sheet = ChargeSheet.objects.select_related("investigation").get(pk=sheet.pk)
        services.court_event_schedule(actor=prosecutor, sheet=sheet, kind="hearing", sits_on=today + timedelta(days=3))


@pytest.mark.parametrize(
    "page", ["/justice/hearings/", "/justice/prosecutions/", "/justice/prosecutions/?flag=pending"]
)
def test_court_lists_same_queries_at_10_and_50(investigator, prosecutor, odpp_agency, client_for, page):
    client = client_for(prosecutor)
    _prosecutions(investigator, prosecutor, odpp_agency, 0, 10)
    at_10 = count_queries(client, page)
    _prosecutions(investigator, prosecutor, odpp_agency, 10, 50)
    at_50 = count_queries(client, page)
    print(f"QUERYCOUNT {page} 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT


def test_court_and_witness_pages_bounded(investigator, prosecutor, odpp_agency, client_for, case):
    from ctip.justice import services
    from ctip.justice.models import ChargeSheet, Investigation

    _prosecutions(investigator, prosecutor, odpp_agency, 0, 1)
    f = Investigation.objects.get()
    client = client_for(prosecutor)
    pages = ["court/", "witnesses/", ""]
    client.get(f"/justice/{f.public_id}/court/")
    few = [count_queries(client, f"/justice/{f.public_id}/{p}") for p in pages]
    sheet = ChargeSheet.objects.select_related("investigation").get()
    from datetime import timedelta

    from django.utils import timezone

    for i in range(8):
        services.court_event_schedule(
            actor=prosecutor, sheet=sheet, kind="mention", sits_on=timezone.localdate() + timedelta(days=10 + i)
        )
        sheet.refresh_from_db()
    many = [count_queries(client, f"/justice/{f.public_id}/{p}") for p in pages]
    print(f"QUERYCOUNT court pages {few} {many}")
    assert few == many
    assert max(many) <= LIMIT
