"""Landing-page counts of persons: the split count (own + granted) equals the list the user sees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ctip.accounts.services import breakglass_open, share_grant
from ctip.people import selectors
from ctip.people.services import person_deactivate, person_merge

pytestmark = pytest.mark.django_db


def _same_as_list(user) -> tuple[int, int]:
    week = timezone.now() - timedelta(days=7)
    listed = list(selectors.person_list_for_user(user=user)[0:1000])
    counted = selectors.person_counts_for_user(user=user, since=week)
    assert counted == (len(listed), len([p for p in listed if p.created_at >= week]))
    return counted


def test_counts_add_own_shared_and_break_glass_persons_once(users, other_users, make_person, other_agency):
    home, away = users["case_worker"], other_users["case_worker"]
    own = [make_person(home, first_name=f"Own{i}") for i in range(3)]
    theirs = [make_person(away, first_name=f"Theirs{i}") for i in range(4)]
    gone = make_person(home, first_name="Gone")
    person_deactivate(actor=users["case_worker"], person=gone, reason="registered in error")
    person_merge(actor=home, keep=own[0], merge=own[1], reason="same person")
    assert _same_as_list(home) == (2, 2)  # deactivated and merged persons are not counted
    assert _same_as_list(away) == (4, 4)
    # a share and a break-the-glass grant add the records reached that way, once each
    share_grant(
        actor=away,
        target_type="people.person",
        target_id=theirs[0].public_id,
        owning_agency_id=theirs[0].owning_agency_id,
        agency=home.agency,
        sections=[],
        reason="Referral for shelter",
    )
    breakglass_open(actor=home, target_type="people.person", target_id=theirs[1].public_id, reason="Urgent: at risk")
    breakglass_open(actor=home, target_type="people.person", target_id=theirs[0].public_id, reason="Urgent: at risk")
    assert _same_as_list(home) == (4, 4)
    assert _same_as_list(users["coordinator"]) == (6, 6)  # national scope: every live person


def test_no_registry_role_counts_nothing(users, make_person):
    make_person(users["case_worker"])
    assert selectors.person_counts_for_user(user=users["auditor"], since=timezone.now()) == (0, 0)


def test_agency_list_merges_own_and_shared_persons_newest_first_page_by_page(
    users, other_users, make_person, other_agency
):
    from ctip.people.models import Person

    home, away = users["case_worker"], other_users["case_worker"]
    own = [make_person(home, first_name=f"Own{i}") for i in range(4)]
    theirs = [make_person(away, first_name=f"Theirs{i}") for i in range(3)]
    base = timezone.now() - timedelta(days=30)
    # interleave the dates: own 0, theirs 0, own 1, theirs 1, ...
    for n, person in enumerate([own[0], theirs[0], own[1], theirs[1], own[2], theirs[2], own[3]]):
        Person.objects.filter(pk=person.pk).update(created_at=base + timedelta(days=n))
    for person in theirs[:2]:
        share_grant(
            actor=away,
            target_type="people.person",
            target_id=person.public_id,
            owning_agency_id=person.owning_agency_id,
            agency=home.agency,
            sections=[],
            reason="Referral for shelter",
        )
    listed = selectors.person_list_for_user(user=home)
    expected = [own[3], own[2], theirs[1], own[1], theirs[0], own[0]]  # newest first; theirs[2] not shared
    assert listed[0:10] == expected
    assert listed[0:2] + listed[2:4] + listed[4:6] == expected
    assert listed[6:8] == []


def test_national_total_is_cached_for_a_minute_and_agency_counts_are_exact(users, make_person):
    from django.core.cache import cache

    make_person(users["case_worker"])
    week = timezone.now() - timedelta(days=7)
    assert selectors.person_counts_for_user(user=users["coordinator"], since=week) == (1, 1)
    make_person(users["case_worker"])
    # the national counts come from the cache until they expire; the agency counts are counted now
    assert selectors.person_counts_for_user(user=users["coordinator"], since=week) == (1, 1)
    assert selectors.person_counts_for_user(user=users["case_worker"], since=week) == (2, 2)
    cache.delete(selectors.NATIONAL_COUNTS_KEY)
    assert selectors.person_counts_for_user(user=users["coordinator"], since=week) == (2, 2)
