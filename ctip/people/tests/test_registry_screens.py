"""The registry as officers use it (issue 13): find a person by name, a person's cases, and the cross-agency
duplicate review (field-by-field agreement, asking the owning agency, undoing a merge)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.core.tests.querycount import LIMIT, count_queries
from ctip.core.tests.world import register_person
from ctip.people import selectors
from ctip.people.models import ConfirmationStatus, DuplicateCandidate, DuplicateConfirmation

pytestmark = pytest.mark.django_db

SECRET_FIRST, SECRET_LAST = "Akinyi", "Odiambo"


def _name_post(client, name, **extra):
    data = {"n-name": name, **{f"n-{k}": v for k, v in extra.items()}}
    return client.post("/people/", data)


# --- find a person by name ----------------------------------------------------------------------------------------


def test_name_search_finds_spelling_variant_and_narrows(users, client_for):
    worker = users[Role.CASE_WORKER]
    register_person(
        worker, SECRET_FIRST, SECRET_LAST, date_of_birth=date(1998, 3, 14), addresses=[{"county": "047", "line": ""}]
    )
    register_person(worker, "Wanjiku", "Kamau", date_of_birth=date(1998, 3, 14))
    client = client_for(worker)

    response = _name_post(client, "Akinyi Odhiambo")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Akinyi Odiambo" in body and "Wanjiku" not in body
    assert "Akinyi Odiambo" in _name_post(client, "odhiambo akinyi", birth_year="1997").content.decode()  # order, ±1
    assert "Akinyi Odiambo" not in _name_post(client, "Akinyi Odhiambo", birth_year="1970").content.decode()
    assert "Akinyi Odiambo" in _name_post(client, "Akinyi Odhiambo", county="047").content.decode()
    assert "Akinyi Odiambo" not in _name_post(client, "Akinyi Odhiambo", county="001").content.decode()


def test_name_search_without_year_finds_person_without_date_of_birth(users):
    worker = users[Role.CASE_WORKER]
    person = register_person(worker, "Chebet", "Koech")
    hits = selectors.person_find_by_name(user=worker, name="Jebet Koech")
    assert [h.person for h in hits] == [person]


def test_name_search_is_audited_without_the_name(users, client_for):
    worker = users[Role.CASE_WORKER]
    person = register_person(worker, SECRET_FIRST, SECRET_LAST)
    _name_post(client_for(worker), "Akinyi Odhiambo", birth_year="1998")
    event = AuditEvent.objects.filter(action="identity.search_name").latest("id")
    text = json.dumps(event.changes)
    assert "akinyi" not in text.lower() and "odhiambo" not in text.lower() and "1998" not in text
    assert len(event.changes["query"]) == 64 and event.changes["narrowed_by"] == ["birth_year"]
    assert event.changes["persons"] == [str(person.public_id)]
    # The same search gives the same digest: repeated searches can be seen, the name cannot be read back.
    _name_post(client_for(worker), "akinyi  odhiambo", birth_year="1998")
    again = AuditEvent.objects.filter(action="identity.search_name").latest("id")
    assert again.changes["query"] == event.changes["query"]


def test_name_search_only_among_identities_the_user_may_see(users, other_users, client_for):
    register_person(other_users[Role.CASE_WORKER], SECRET_FIRST, SECRET_LAST)
    for who in (users[Role.CASE_WORKER], users[Role.COORDINATOR]):  # the coordinator sees persons nationally
        response = _name_post(client_for(who), "Akinyi Odiambo")
        assert response.status_code == 200
        body = response.content.decode()
        assert SECRET_LAST not in body.replace('Akinyi Odiambo"', "")  # not in a result row
        assert "No person found with a name like this." in body
        assert "restricted" not in body.split("name-results")[1]  # nothing hints at a record elsewhere


def test_name_search_needs_two_names_and_a_sane_year(users, client_for):
    client = client_for(users[Role.CASE_WORKER])
    response = _name_post(client, "Akinyi")
    assert response.status_code == 400
    assert "Give at least two names" in response.content.decode()
    assert _name_post(client, "Akinyi Odhiambo", birth_year="1850").status_code == 400
    assert _name_post(client, "Akinyi Odhiambo", birth_year="abc").status_code == 400
    assert _name_post(client, "Akinyi Odhiambo", county="999").status_code == 400
    assert _name_post(client, "x" * 201).status_code == 400


def test_name_in_query_string_is_not_a_search(users, client_for):
    worker = users[Role.CASE_WORKER]
    register_person(worker, SECRET_FIRST, SECRET_LAST)
    response = client_for(worker).get("/people/?n-name=Akinyi+Odiambo")
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="identity.search_name").exists()
    assert 'method="post" class="filters" novalidate aria-label=' in response.content.decode()


def test_name_search_rate_limited_per_user(users, client_for):
    from ctip.people.views import NAME_SEARCH_LIMIT

    client = client_for(users[Role.CASE_WORKER])
    for _ in range(NAME_SEARCH_LIMIT.count):
        assert _name_post(client, "Akinyi Odhiambo").status_code == 200
    response = _name_post(client, "Akinyi Odhiambo")
    assert response.status_code == 429
    assert "Too many name searches" in response.content.decode()
    # Another user is not held back.
    assert _name_post(client_for(users[Role.INVESTIGATOR]), "Akinyi Odhiambo").status_code == 200


def test_name_search_refused_without_identity_access(users, client_for):
    assert _name_post(client_for(users[Role.DATA_ANALYST]), "Akinyi Odhiambo").status_code == 403
    from ctip.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        selectors.person_find_by_name(user=users[Role.DATA_ANALYST], name="Akinyi Odhiambo")


def _search_queries(client) -> int:
    _name_post(client, "Akinyi Odhiambo")  # warm
    with CaptureQueriesContext(connection) as ctx:
        response = _name_post(client, "Akinyi Odhiambo")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_name_search_same_queries_at_10_and_50_namesakes(users, client_for):
    worker = users[Role.CASE_WORKER]
    client = client_for(worker)
    for i in range(10):
        register_person(worker, SECRET_FIRST, SECRET_LAST, date_of_birth=date(1980 + i % 20, 1 + i % 12, 2))
    at_10 = _search_queries(client)
    for i in range(10, 50):
        register_person(worker, SECRET_FIRST, SECRET_LAST, date_of_birth=date(1980 + i % 20, 1 + i % 12, 2))
    at_50 = _search_queries(client)
    print(f"QUERYCOUNT name search 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT
    assert len(selectors.person_find_by_name(user=worker, name="Akinyi Odhiambo")) == selectors.NAME_SEARCH_RESULTS


# --- a person's cases ---------------------------------------------------------------------------------------------


def _open_case(actor, person, identified_on=date(2026, 3, 1)):
    from ctip.cases import services

    return services.case_open(
        actor=actor,
        person=person,
        identified_on=identified_on,
        narrative="Recruited through a job advert.",
        htcds={"vic_TypeOfExploitation": ["ForcedLabour"]},
    )


def _case_elsewhere(other_worker, person):
    """A case another agency opened about the same person (as after a registration look-up linked it)."""
    from ctip.cases.models import Case

    theirs = register_person(other_worker, "Other", "Person")
    case = _open_case(other_worker, theirs)
    Case.objects.filter(pk=case.pk).update(person=person)
    return case


def test_person_page_lists_only_visible_cases(users, other_users, client_for):
    worker = users[Role.CASE_WORKER]
    person = register_person(worker, SECRET_FIRST, SECRET_LAST)
    mine = _open_case(worker, person)
    theirs = _case_elsewhere(other_users[Role.CASE_WORKER], person)
    body = client_for(worker).get(f"/people/{person.public_id}/").content.decode()
    assert mine.reference in body and "Active" in body and "Your agency&#x27;s case" in body
    assert theirs.reference not in body and str(other_users[Role.CASE_WORKER].agency) not in body
    # The coordinator sees every case nationally, with that access named.
    body = client_for(users[Role.COORDINATOR]).get(f"/people/{person.public_id}/").content.decode()
    assert mine.reference in body and theirs.reference in body and "National access" in body


def test_person_page_shared_case_names_sections(users, other_users, client_for):
    from ctip.accounts.models import RecordShare

    worker, other = users[Role.CASE_WORKER], other_users[Role.CASE_WORKER]
    person = register_person(worker, SECRET_FIRST, SECRET_LAST)
    case = _open_case(worker, person)
    for target_type, target_id in (("people.person", person.public_id), ("cases.case", case.public_id)):
        RecordShare.objects.create(
            target_type=target_type,
            target_id=target_id,
            agency=other.agency,
            sections=["identity", "care"],
            reason="referral",
            granted_by=worker,
        )
    body = client_for(other).get(f"/people/{person.public_id}/").content.decode()
    assert case.reference in body and "Shared with your agency" in body and "Needs, care plan and services" in body


def test_person_page_without_case_role_has_no_cases_section(users, client_for):
    from ctip.cases.person_panel import person_cases_panel

    person = register_person(users[Role.CASE_WORKER], SECRET_FIRST, SECRET_LAST)
    assert person_cases_panel(users[Role.DATA_ANALYST], person) is None


def test_person_page_same_queries_at_10_and_50_cases(users, client_for):
    worker = users[Role.CASE_WORKER]
    person = register_person(worker, SECRET_FIRST, SECRET_LAST)
    client = client_for(worker)
    url = f"/people/{person.public_id}/"
    for i in range(10):
        _open_case(worker, person, date(2026, 1, 1 + i))
    at_10 = count_queries(client, url)
    for i in range(40):
        _open_case(worker, person, date(2025, 1 + i % 12, 1 + i % 28))
    at_50 = count_queries(client, url)
    print(f"QUERYCOUNT person page cases 10={at_10} 50={at_50}")
    assert at_10 == at_50 <= LIMIT


# --- cross-agency duplicate review --------------------------------------------------------------------------------


def _cross_pair(users, other_users):
    a = register_person(
        users[Role.CASE_WORKER],
        "Mohamed",
        "Abdi",
        date_of_birth=date(1998, 3, 14),
        sex="male",
        identifiers=[("national_id", "23456789"), ("phone", "0722123456")],
        addresses=[{"county": "047", "line": ""}],
    )
    b = register_person(
        other_users[Role.CASE_WORKER],
        "Muhammad",
        "Abdy",
        date_of_birth=date(1998, 4, 14),
        sex="male",
        identifiers=[("national_id", "23456788"), ("phone", "0733999888")],
        addresses=[{"county": "001", "line": ""}],
    )
    first, second = sorted((a, b), key=lambda p: p.pk)
    pair = DuplicateCandidate.objects.create(
        person_a=first, person_b=second, score=0.7, reasons=["name_phonetic_variant"]
    )
    return pair, a, b


def test_review_shows_agreement_without_hidden_values(users, other_users, client_for):
    pair, mine, theirs = _cross_pair(users, other_users)
    coordinator = users[Role.COORDINATOR]  # merges nationally, sees identity of its own agency only
    response = client_for(coordinator).get(f"/people/duplicates/{pair.public_id}/")
    assert response.status_code == 200
    body = response.content.decode()
    for secret in ("Muhammad", "Abdy", "23456788", "0733999888", "1998-04-14"):
        assert secret not in body
    assert "Identity restricted." in body
    rows = {r.field: r.category for r in selectors.duplicate_agreement_for_user(user=coordinator, candidate=pair)}
    assert rows["first_name"] == "same"  # Mohamed / Muhammad: one name, two spellings
    assert rows["last_name"] == "similar"
    assert rows["date_of_birth"] == "similar"  # one digit
    assert rows["sex"] == "same"
    assert rows["identifier:national_id"] == "similar"
    assert rows["identifier:phone"] == "different"
    assert rows["identifier:passport"] == "missing"
    assert rows["county"] == "different"
    event = AuditEvent.objects.filter(action="identity.compare").latest("id")
    assert {event.target_id, event.changes["other"]} == {str(mine.public_id), str(theirs.public_id)}


def test_ask_owning_agency_and_answer(users, other_users, client_for):
    from ctip.notifications.models import Notification

    pair, mine, theirs = _cross_pair(users, other_users)
    coordinator = users[Role.COORDINATOR]
    response = client_for(coordinator).post(f"/people/duplicates/{pair.public_id}/ask/")
    assert response.status_code == 302
    confirmation = DuplicateConfirmation.objects.get()
    assert confirmation.person == theirs and confirmation.agency == theirs.owning_agency
    notified = Notification.objects.filter(kind="person.confirm_request")
    assert other_users[Role.CASE_WORKER] in [n.user for n in notified]
    assert all("Muhammad" not in json.dumps(n.params) for n in notified)
    # Asking twice is refused (one open request per agency); the page says so.
    response = client_for(coordinator).post(f"/people/duplicates/{pair.public_id}/ask/", follow=True)
    assert "already asked" in response.content.decode()
    assert DuplicateConfirmation.objects.count() == 1

    answerer = client_for(other_users[Role.CASE_WORKER])
    inbox = answerer.get("/people/duplicates/").content.decode()
    assert f"/people/confirmations/{confirmation.public_id}/" in inbox
    page = answerer.get(f"/people/confirmations/{confirmation.public_id}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mohamed" not in body and "23456789" not in body  # the asker's side stays hidden
    assert answerer.post(f"/people/confirmations/{confirmation.public_id}/", {"answer": "maybe"}).status_code == 400
    response = answerer.post(f"/people/confirmations/{confirmation.public_id}/", {"answer": "same"})
    assert response.status_code == 302
    confirmation.refresh_from_db()
    assert confirmation.status == ConfirmationStatus.SAME and confirmation.answered_by == other_users[Role.CASE_WORKER]
    assert Notification.objects.filter(kind="person.confirm_answer", user=coordinator).exists()
    assert AuditEvent.objects.filter(action="person.confirm_request").exists()
    assert AuditEvent.objects.filter(action="person.confirm_answer", target_id=str(theirs.public_id)).exists()
    # Answered once: a second answer is a conflict, shown on the form.
    again = answerer.post(f"/people/confirmations/{confirmation.public_id}/", {"answer": "not_same"})
    assert again.status_code == 409
    review = client_for(coordinator).get(f"/people/duplicates/{pair.public_id}/").content.decode()
    assert "Confirmed: the same person" in review


def test_ask_refused_when_reviewer_sees_both(users, make_person, client_for):
    from ctip.core.errors import ValidationFailed
    from ctip.people.services import duplicate_confirmation_request

    worker = users[Role.CASE_WORKER]
    a = register_person(worker, "Chebet", "Koech")
    b = register_person(worker, "Jebet", "Koech")
    pair = DuplicateCandidate.objects.create(person_a=a, person_b=b, score=0.6, reasons=[])
    with pytest.raises(ValidationFailed):
        duplicate_confirmation_request(actor=worker, candidate=pair)
    assert (
        "Ask the owning agency" not in client_for(worker).get(f"/people/duplicates/{pair.public_id}/").content.decode()
    )


def test_other_agency_cannot_answer_someone_elses_request(users, other_users, client_for):
    pair, _mine, _theirs = _cross_pair(users, other_users)
    from ctip.people.services import duplicate_confirmation_request

    confirmation = duplicate_confirmation_request(actor=users[Role.COORDINATOR], candidate=pair)[0]
    # The asker's own agency (not the owner of the hidden side) does not see it.
    assert (
        client_for(users[Role.CASE_WORKER]).get(f"/people/confirmations/{confirmation.public_id}/").status_code == 404
    )


def test_merge_then_undo_from_the_review_page(users, client_for):
    worker = users[Role.CASE_WORKER]
    a = register_person(worker, "Mohamed", "Abdi", date_of_birth=date(1998, 3, 14))
    b = register_person(worker, "Muhammad", "Abdy", date_of_birth=date(1998, 3, 14))
    pair = DuplicateCandidate.objects.create(person_a=a, person_b=b, score=0.9, reasons=[])
    client = client_for(worker)
    url = f"/people/duplicates/{pair.public_id}/"
    response = client.post(url, {"decision": "merge_b_into_a", "reason": "same ID card"})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert f'action="/people/{b.public_id}/unmerge/"' in page and "Undo the merge" in page
    assert client.post(f"/people/{b.public_id}/unmerge/", {"reason": "twins"}).status_code == 302
    pair.refresh_from_db()
    b.refresh_from_db()
    assert b.merged_into_id is None and pair.status == "open"  # back in the queue for a new decision
    assert "Undo the merge" not in client.get(url).content.decode()


def test_review_page_queries_bounded(users, other_users, client_for):
    pair, _mine, _theirs = _cross_pair(users, other_users)
    n = count_queries(client_for(users[Role.COORDINATOR]), f"/people/duplicates/{pair.public_id}/")
    print(f"QUERYCOUNT duplicate review {n}")
    assert n <= LIMIT


def test_kiswahili_labels(users, client_for):
    from django.utils import translation

    from ctip.people.agreement import CATEGORY_LABELS

    with translation.override("sw"):
        assert str(CATEGORY_LABELS["same"]) != "Same"
        assert str(ConfirmationStatus.SAME.label) != "Confirmed: the same person"


def test_demo_asks_the_owning_agency_once(users, other_users):
    from types import SimpleNamespace

    from ctip.people.demo import add_demo_confirmation

    _cross_pair(users, other_users)
    result = SimpleNamespace(extra={})
    add_demo_confirmation(seed=1, result=result, actor=None)
    add_demo_confirmation(seed=1, result=result, actor=None)
    assert DuplicateConfirmation.objects.count() == 1 == result.extra["duplicate_confirmations_asked"]


def test_person_page_lists_cases_of_records_merged_into_it(users, client_for):
    from ctip.people.services import person_merge

    worker = users[Role.CASE_WORKER]
    kept = register_person(worker, "Mohamed", "Abdi", date_of_birth=date(1998, 3, 14))
    merged = register_person(worker, "Muhammad", "Abdy", date_of_birth=date(1998, 3, 14))
    case = _open_case(worker, merged)
    person_merge(actor=worker, keep=kept, merge=merged, reason="same ID card")
    assert case.reference in client_for(worker).get(f"/people/{kept.public_id}/").content.decode()
