"""The officers' pages: what they show, conflicts, the import through the page, and bounded queries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ctip.core.tests.querycount import LIMIT, count_queries
from ctip.people.identity import Identity
from ctip.recruitment import services

from .conftest import make_agency

pytestmark = pytest.mark.django_db


def test_list_search_by_name_licence_and_phone(officer, register, client_for):
    client = client_for(officer)
    url = reverse("recruitment:list")
    assert "Upendo" in client.get(url, {"q": "upendo"}).content.decode()
    body = client.get(url, {"q": "RA/2019"}).content.decode()
    assert "Jakarta Ventures Ltd" in body and "Upendo" not in body
    body = client.get(url, {"q": "0733000002"}).content.decode()
    assert "Jakartya" in body and "Upendo" not in body
    assert "Safari" in client.get(url, {"status": "suspended"}).content.decode()


def test_detail_shows_lookalike_warning_and_history(officer, register, client_for, fresh_index):
    body = client_for(officer).get(reverse("recruitment:detail", args=[register["lookalike"].public_id])).content
    body = body.decode()
    assert "closely resembles" in body and "Jakarta Ventures Ltd" in body
    assert "NEA notice of 1 March 2024" in body


def test_director_names_only_for_those_who_may_see_identity(officer, users, other_users, register, client_for):
    services.director_add(
        actor=officer,
        agency=register["valid"],
        choice=services.PersonChoice(identity=Identity(first_name="Amani", last_name="Wekesa"), confirm_new=True),
    )
    url = reverse("recruitment:detail", args=[register["valid"].public_id])
    assert "Amani Wekesa" in client_for(officer).get(url).content.decode()
    other = client_for(other_users["labour_officer"]).get(url).content.decode()
    assert "Wekesa" not in other and "identity not shown" in other


def test_director_candidates_then_link(officer, register, client_for):
    services.director_add(
        actor=officer,
        agency=register["valid"],
        choice=services.PersonChoice(identity=Identity(first_name="Amani", last_name="Wekesa"), confirm_new=True),
    )
    client = client_for(officer)
    url = reverse("recruitment:director_add", args=[register["deregistered"].public_id])
    response = client.post(url, {"p-first_name": "Amani", "p-last_name": "Wekesa"})
    assert response.status_code == 200 and "may already be known" in response.content.decode()
    person = response.context["candidates"][0].person
    response = client.post(url, {"p-first_name": "Amani", "p-last_name": "Wekesa", "person_choice": person.public_id})
    assert response.status_code == 302
    assert register["deregistered"].directors.get().person == person


def test_stale_edit_shows_the_conflict_and_keeps_input(officer, register, client_for):
    agency = register["valid"]
    client = client_for(officer)
    url = reverse("recruitment:edit", args=[agency.public_id])
    data = {"licence_number": agency.licence_number, "legal_name": "Upendo Two", "version": agency.version}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "legal_name": "Upendo Three"})
    body = response.content.decode()
    assert response.status_code == 200 and "Someone else changed this agency" in body and "Upendo Three" in body


def test_import_through_the_page_and_formula_safe_report(officer, client_for):
    client = client_for(officer)
    content = b'Licence Number,Agency Name,Status\nRA/1,=HYPERLINK("x"),maybe\n'
    response = client.post(
        reverse("recruitment:import"),
        {"file": SimpleUploadedFile("nea.csv", content, "text/csv"), "source": "NEA list"},
    )
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert "Nothing" in detail.content.decode() or detail.status_code == 200
    record = detail.context["record"]
    assert record.status == "refused"
    report = client.get(reverse("recruitment:import_report", args=[record.public_id])).content.decode()
    assert "status" in report and "\n=" not in report and ",=" not in report


def test_import_page_refuses_missing_fields(officer, client_for):
    response = client_for(officer).post(reverse("recruitment:import"), {"source": "NEA"})
    assert response.status_code == 200 and response.context["form"].errors["file"]


def _many(officer, n, start=0):
    for i in range(start, start + n):
        make_agency(officer, f"RA/9/{i}", f"Agency Number {i} Ltd", phones=[f"0711{i:06d}"])


def test_list_queries_bounded(officer, client_for):
    client = client_for(officer)
    _many(officer, 10)
    small = count_queries(client, reverse("recruitment:list"))
    _many(officer, 40, start=10)
    large = count_queries(client, reverse("recruitment:list"))
    assert small == large <= LIMIT


def test_detail_queries_bounded(officer, register, client_for):
    from datetime import date

    from ctip.reference.models import Country

    client = client_for(officer)
    agency = register["valid"]
    url = reverse("recruitment:detail", args=[agency.public_id])
    country = Country.objects.get(alpha2="SA")
    order = services.JobOrderInput(
        "Employer", country.pk, "Driver", 2, 100_00, "SAR", date(2024, 1, 1), date(2025, 1, 1)
    )
    services.job_order_add(actor=officer, agency=agency, data=order)
    count_queries(client, url)  # builds the public index once (the look-alike warning)
    small = count_queries(client, url)
    for _ in range(20):
        services.job_order_add(actor=officer, agency=agency, data=order)
    assert count_queries(client, url) == small <= LIMIT
