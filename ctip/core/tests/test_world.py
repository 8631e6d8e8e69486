"""The shared test world (world.py): built once per module, yet nothing a test does reaches the next test.
These tests run in file order; the later ones check what the earlier ones changed is gone."""

from __future__ import annotations

import pytest

from ctip.accounts.models import Agency, User
from ctip.people.models import Person

pytestmark = pytest.mark.django_db


def test_a_test_changes_a_shared_user_in_memory_and_in_the_database(users, agency):
    worker = users["case_worker"]
    worker.first_name = "Changed"
    worker.save(update_fields=["first_name"])
    agency.name = "Renamed in memory only"
    User.objects.filter(pk=users["investigator"].pk).delete()
    assert not User.objects.filter(username="home-investigator").exists()


def test_the_next_test_gets_the_shared_world_back_unchanged(users, agency):
    assert users["case_worker"].first_name == ""
    assert User.objects.get(pk=users["case_worker"].pk).first_name == ""
    assert agency.name == "Home Agency Anti-Trafficking Unit"
    assert User.objects.filter(username="home-investigator").exists()
    # the copies of one test refer to each other
    assert users["case_worker"].agency_id == agency.pk


def test_a_test_sees_only_the_parts_it_asks_for(system_actor):
    # `users` and `agency` were built for the tests above; this one did not ask for them
    assert not Agency.objects.exists()
    assert list(User.objects.values_list("username", flat=True)) == ["fixture-admin"]
    assert not Person.objects.exists()


def test_parts_come_back_after_a_test_that_did_not_ask_for_them(users, other_users):
    assert User.objects.filter(username__startswith="home-").count() == len(users)
    assert User.objects.filter(username__startswith="x2-").count() == len(other_users)
