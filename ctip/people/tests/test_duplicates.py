"""Registration-time candidates, the batch duplicate finder, the review queue, merge and unmerge."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.core.tests.routes import covers
from ctip.people import selectors
from ctip.people.identity import IdentifierValue, Identity
from ctip.people.models import DuplicateCandidate, Person, PersonMatchKey
from ctip.people.services import person_merge, person_unmerge

pytestmark = pytest.mark.django_db


def _identity(first, last, dob="1998-03-14", **kw):
    from datetime import date

    return Identity(first_name=first, last_name=last, date_of_birth=date.fromisoformat(dob) if dob else None, **kw)


def test_keys_are_written_and_hashed(users, make_person):
    from datetime import date

    person = make_person(users[Role.CASE_WORKER], "Mohamed", "Abdi", date_of_birth=date(1998, 3, 14))
    keys = list(PersonMatchKey.objects.filter(person=person).values_list("key", flat=True))
    assert keys and all(len(k) == 64 and "abdi" not in k.lower() for k in keys)


@pytest.mark.parametrize(
    ("registered", "probe", "found"),
    [
        (("Mohamed", "Abdi"), ("Muhammad", "Abdy"), True),
        (("Chebet", "Koech"), ("Jebet", "Koech"), True),
        (("Wanjiku", "Njoroge"), ("Njoroghe", "Wanjikũ"), True),  # order and spelling
        (("Wanjiku", "Kamau"), ("Wanjiru", "Kamau", "2001-07-02"), False),  # a different name that looks close
    ],
)
def test_registration_candidates_by_name_variants(users, make_person, registered, probe, found):
    from datetime import date

    person = make_person(users[Role.CASE_WORKER], *registered, date_of_birth=date(1998, 3, 14))
    result = selectors.person_candidates_for_identity(user=users[Role.CASE_WORKER], identity=_identity(*probe))
    assert (person.pk in [c.person.pk for c in result]) is found
    if found:
        candidate = next(c for c in result if c.person.pk == person.pk)
        assert candidate.reasons and candidate.name  # same agency: the name is shown
    assert AuditEvent.objects.filter(action="identity.match").exists()


def test_other_agency_candidate_shown_without_name(users, other_users, make_person):
    from datetime import date

    make_person(other_users[Role.CASE_WORKER], "Chebet", "Koech", date_of_birth=date(1998, 3, 14))
    result = selectors.person_candidates_for_identity(
        user=users[Role.CASE_WORKER], identity=_identity("Jebet", "Koech")
    )
    assert result and result[0].name == "" and all("Chebet" not in r for r in result[0].reasons)


def test_identifier_match_even_with_other_names(users, make_person):
    person = make_person(users[Role.CASE_WORKER], "Amina", "Hassan", identifiers=[("national_id", "23456789")])
    probe = _identity("Mary", "Otieno", dob=None, identifiers=[IdentifierValue("national_id", "23456789")])
    result = selectors.person_candidates_for_identity(user=users[Role.CASE_WORKER], identity=probe)
    assert result[0].person == person and "same national ID number" in result[0].reasons


def _pair(users, make_person):
    from datetime import date

    actor = users[Role.CASE_WORKER]
    a = make_person(actor, "Mohamed", "Abdi", date_of_birth=date(1998, 3, 14))
    b = make_person(actor, "Muhammad", "Abdy", date_of_birth=date(1998, 3, 14))
    return a, b


def test_find_duplicates_queues_pairs_for_review(users, make_person, client_for):
    a, b = _pair(users, make_person)
    make_person(users[Role.CASE_WORKER], "Grace", "Wafula")
    out = StringIO()
    call_command("find_duplicates", stdout=out)
    assert "likely pairs found" in out.getvalue()
    pair = DuplicateCandidate.objects.get()
    assert {pair.person_a_id, pair.person_b_id} == {a.pk, b.pk} and pair.status == "open"
    call_command("find_duplicates", stdout=StringIO())  # idempotent
    assert DuplicateCandidate.objects.count() == 1
    c = client_for(users[Role.CASE_WORKER])
    body = c.get("/people/duplicates/").content.decode()
    assert "Mohamed Abdi" in body and "Muhammad Abdy" in body
    response = c.post(f"/people/duplicates/{pair.public_id}/", {"decision": "merge_b_into_a", "reason": ""})
    assert response.status_code == 200  # reason required
    response = c.post(f"/people/duplicates/{pair.public_id}/", {"decision": "merge_b_into_a", "reason": "Same ID"})
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.merged_into_id == a.pk
    assert not PersonMatchKey.objects.filter(person=b).exists()
    assert AuditEvent.objects.filter(action="person.merge", target_id=str(b.public_id)).exists()


def test_find_duplicates_pairs_persons_sharing_an_identifier_even_without_a_common_match_key(users, make_person):
    from datetime import date

    actor = users[Role.CASE_WORKER]
    first = make_person(
        actor, "Baya", "Kazungu", date_of_birth=date(2001, 3, 29), identifiers=[("national_id", "24681357")]
    )
    # registered again with no date of birth: its only match keys are year-less, so no key block joins the two
    again = make_person(actor, "Baya", "Kazungu", identifiers=[("national_id", "24681357")])
    call_command("find_duplicates", stdout=StringIO())
    pair = DuplicateCandidate.objects.get()
    assert {pair.person_a_id, pair.person_b_id} == {first.pk, again.pk}
    assert "national_id_same" in pair.reasons


@covers("anonymous", "people:duplicates", "people:duplicate_review")
@covers("wrong_role", "people:duplicates", "people:duplicate_review")
@covers("other_agency", "people:duplicates", "people:duplicate_review")
@covers("allowed", "people:duplicate_review")
def test_duplicate_views_permissions(users, other_users, make_person, client, client_for):
    a, b = _pair(users, make_person)
    call_command("find_duplicates", stdout=StringIO())
    pair = DuplicateCandidate.objects.get()
    for url in ("/people/duplicates/", f"/people/duplicates/{pair.public_id}/"):
        assert client.get(url).status_code == 302
        assert client_for(users[Role.DATA_ANALYST]).get(url).status_code == 403
        assert client_for(users[Role.AUDITOR]).get(url).status_code == 403
    # Another agency does not see this agency's pair.
    other = client_for(other_users[Role.CASE_WORKER])
    assert str(pair.public_id) not in other.get("/people/duplicates/").content.decode()
    assert other.get(f"/people/duplicates/{pair.public_id}/").status_code == 404
    assert (
        other.post(f"/people/duplicates/{pair.public_id}/", {"decision": "not_duplicate", "reason": "x"}).status_code
        == 404
    )
    pair.refresh_from_db()
    assert pair.status == "open"
    assert client_for(users[Role.COORDINATOR]).get(f"/people/duplicates/{pair.public_id}/").status_code == 200


def test_not_duplicate_and_unmerge(users, make_person, client_for):
    a, b = _pair(users, make_person)
    call_command("find_duplicates", stdout=StringIO())
    pair = DuplicateCandidate.objects.get()
    c = client_for(users[Role.CASE_WORKER])
    assert (
        c.post(f"/people/duplicates/{pair.public_id}/", {"decision": "not_duplicate", "reason": "twins"}).status_code
        == 302
    )
    pair.refresh_from_db()
    assert pair.status == "not_duplicate"
    merged = person_merge(actor=users[Role.CASE_WORKER], keep=a, merge=b, reason="same passport")
    assert merged.merged_into_id == a.pk
    assert b.pk not in [
        c.person.pk
        for c in selectors.person_candidates_for_identity(
            user=users[Role.CASE_WORKER], identity=_identity("Muhammad", "Abdy")
        )
    ]
    response = c.post(f"/people/{b.public_id}/unmerge/", {"reason": "different people after all"})
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.merged_into_id is None and PersonMatchKey.objects.filter(person=b).exists()
    assert AuditEvent.objects.filter(action="person.unmerge").exists()
    with pytest.raises(Exception):
        person_unmerge(actor=users[Role.CASE_WORKER], person=b, reason="again")
    assert Person.objects.count() == 2


def test_exact_search_by_a_merged_records_identifier_shows_the_person_kept(users, make_person):
    actor = users[Role.CASE_WORKER]
    keep = make_person(actor, "Amina", "Hassan", identifiers=[("national_id", "23456789")])
    merge = make_person(actor, "Aminah", "Hasan", identifiers=[("phone", "0722 000 111")])
    person_merge(actor=actor, keep=keep, merge=merge, reason="same person, two registrations")
    assert selectors.person_find_by_identifier(user=actor, kind="phone", value="0722000111") == [keep]
    assert selectors.person_find_by_identifier(user=actor, kind="national_id", value="23456789") == [keep]


def test_blocks_are_runs_of_equal_keys_and_oversized_runs_are_skipped():
    from ctip.people.matching_store import _runs

    rows = [("a", 1), ("a", 2), ("b", 3), ("c", 4), ("c", 5), ("c", 6), ("d", 7), ("d", 7), ("e", 8), ("e", 9)]
    assert list(_runs(rows, max_block=2)) == [[1, 2], [8, 9]]  # "b" alone, "c" too big, "d" one person twice
    assert list(_runs(rows, max_block=3)) == [[1, 2], [4, 5, 6], [8, 9]]
    assert list(_runs([], max_block=3)) == []


def test_scan_in_a_dense_block_scores_only_pairs_with_a_second_key_or_an_identifier(users, make_person, monkeypatch):
    """Many persons born the same day share one key; in such a crowd the scan scores only the pairs that agree on
    more (a name key, an identifier), and still finds the re-registration."""
    from datetime import date

    from ctip.people import scan, services

    actor = users[Role.CASE_WORKER]
    born = date(1999, 7, 1)
    a = make_person(actor, "Achieng", "Otieno", date_of_birth=born)
    b = make_person(actor, "Akinyi", "Otieno", date_of_birth=born)  # one name agrees: shares name keys too
    make_person(actor, "Kiprono", "Rotich", date_of_birth=born)  # only the date in common
    make_person(actor, "Halima", "Abdi", date_of_birth=born, identifiers=[("phone", "+254712000111")])
    make_person(actor, "Zawadi", "Mwakio", date_of_birth=born, identifiers=[("phone", "+254712000111")])
    full = services.duplicates_scan(actor="test", max_block=200)
    DuplicateCandidate.objects.all().delete()
    monkeypatch.setattr(scan, "DENSE_BLOCK", 2)
    dense = services.duplicates_scan(actor="test", max_block=200)
    assert full.pairs_scored == 10  # every pair of the five shares the date of birth
    assert dense.pairs_scored == 2  # the Otienos (name keys) and the two sharing a phone
    assert DuplicateCandidate.objects.filter(person_a_id=min(a.pk, b.pk), person_b_id=max(a.pk, b.pk)).exists()


def test_scan_writes_the_queue_in_audited_chunks_while_it_streams(users, make_person, monkeypatch):
    """Pairs are written as they are explained (memory stays flat), each chunk audited; the result is the same."""
    from datetime import date

    from ctip.people import services

    actor = users[Role.CASE_WORKER]
    for first, again, born in (("Mohamed", "Muhammad", date(1998, 3, 14)), ("Chebet", "Jebet", date(2001, 5, 2))):
        make_person(actor, first, "Abdi" if first == "Mohamed" else "Koech", date_of_birth=born)
        make_person(actor, again, "Abdy" if first == "Mohamed" else "Koech", date_of_birth=born)
    monkeypatch.setattr(services, "SCAN_FLUSH", 1)
    result = services.duplicates_scan(actor="test")
    assert result.queued == DuplicateCandidate.objects.count() == 2
    events = list(AuditEvent.objects.filter(action="people.duplicates_scan").order_by("pk"))
    assert len(events) >= 3 and [e.changes["finished"] for e in events] == [False] * (len(events) - 1) + [True]
    assert events[-1].changes["queued"] == 2


def test_batch_prior_grows_with_the_registry():
    """Pairs compared grow with the square of the registry, true pairs only in proportion: the scan's prior grows."""
    from ctip.people import matching_store

    default = matching_store.CTIP_CONFIG.prior
    assert matching_store.batch_config(10).prior == default  # never below the registration-time prior
    assert matching_store.batch_config(1_000_000).prior == pytest.approx(24.58, abs=0.01)
    assert matching_store.batch_config(100_000).prior < matching_store.batch_config(1_000_000).prior
    assert matching_store.batch_config(1_000_000, 0.5).prior < matching_store.batch_config(1_000_000).prior
    assert matching_store.batch_config(1_000_000).cap_at_possible == matching_store.CTIP_CONFIG.cap_at_possible
    for bad in (0, 1, -0.1):
        with pytest.raises(ValueError):
            matching_store.batch_config(100, bad)


def test_scan_needs_more_evidence_when_the_registry_is_large(users, make_person):
    """Same two names and the same date of birth are a likely pair in a small registry; when the scan expects
    few true pairs among many (a large registry), names and date alone stay below the bar, but a shared ID
    number still makes the pair."""
    from ctip.people import services

    actor = users[Role.CASE_WORKER]
    make_person(actor, "Wanjiru", "Kinyua", date_of_birth=date(2001, 7, 2))
    make_person(actor, "Wanjiru", "Kinyua", date_of_birth=date(2001, 7, 2))
    a = make_person(actor, "Otieno", "Ouma", date_of_birth=date(1990, 1, 9), identifiers=[("national_id", "23456789")])
    b = make_person(actor, "Ouma", "Otieno", identifiers=[("national_id", "23456789")])
    small = services.duplicates_scan(actor="test")
    assert small.queued == 2
    DuplicateCandidate.objects.all().delete()
    large = services.duplicates_scan(actor="test", expected_rate=1e-9)  # the odds of a registry of billions
    assert large.prior > small.prior + 15
    assert list(DuplicateCandidate.objects.values_list("person_a_id", "person_b_id")) == [
        (min(a.pk, b.pk), max(a.pk, b.pk))
    ]
    assert (
        AuditEvent.objects.filter(action="people.duplicates_scan").order_by("pk").last().changes["prior"] == large.prior
    )


def test_find_duplicates_command_rejects_a_bad_rate():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="between 0 and 1"):
        call_command("find_duplicates", "--expected-rate", "2")


def test_find_duplicates_command_rejects_a_bad_number_of_processes():
    from django.core.management import CommandError, call_command

    for bad in ("0", "-1", "two"):
        with pytest.raises(CommandError, match="number of processes"):
            call_command("find_duplicates", "--processes", bad)


def test_scan_scores_each_pair_once_whatever_the_keys_it_shares(users, make_person):
    """Two registrations sharing several keys (names and year, name and initial, date of birth) and an identifier
    are one pair, scored once and queued once, with the scalar matcher's reasons."""
    from ctip.people import services

    actor = users[Role.CASE_WORKER]
    a = make_person(actor, "Chebet", "Koech", date_of_birth=date(2001, 5, 2), identifiers=[("phone", "0712000111")])
    b = make_person(actor, "Jebet", "Koech", date_of_birth=date(2001, 5, 2), identifiers=[("phone", "0712000111")])
    result = services.duplicates_scan(actor="test")
    assert result.pairs_scored == 1
    assert result.queued == 1
    pair = DuplicateCandidate.objects.get()
    assert (pair.person_a_id, pair.person_b_id) == (min(a.pk, b.pk), max(a.pk, b.pk))
    assert "dob_same" in pair.reasons and "phone_same" in pair.reasons
    assert set(result.phases) == set(result.peaks) == {"pairs", "persons", "scores", "queue"}
