"""The identity: validated and normalised once (validate_identity -> ValidIdentity), opened by one function
(open_identity, all fields or a named subset); the duplicate look-up below the selectors that show it."""

from __future__ import annotations

import ast
import inspect
from datetime import date

import pytest

from ctip.core.errors import ValidationFailed
from ctip.people import matching_store
from ctip.people.identity import (
    IDENTIFIERS,
    IDENTITY_FIELDS,
    NAME_FIELDS,
    IdentifierValue,
    Identity,
    ValidIdentity,
    open_identity,
    validate_identity,
)
from ctip.people.models import Person
from ctip.people.sealed import VaultTokenField

pytestmark = pytest.mark.django_db


def test_identity_fields_are_the_sealed_columns_of_person():
    vault_columns = {f.name for f in Person._meta.concrete_fields if isinstance(f, VaultTokenField)}
    assert set(IDENTITY_FIELDS) == vault_columns


def test_validation_normalises_into_a_new_valid_identity_and_leaves_the_input_alone():
    raw = Identity(
        first_name="  Nekesa ",
        last_name="Wafula ",
        aliases=[" Neki", " "],
        citizenships=["ke"],
        notes=" speaks Luhya ",
        identifiers=[
            IdentifierValue("phone", "0722 000 111"),
            IdentifierValue("phone", "+254722000111"),  # the same number again
            IdentifierValue("national_id", "0234 5678", "ke"),
        ],
    )
    valid = validate_identity(raw)
    assert isinstance(valid, ValidIdentity)
    assert (valid.first_name, valid.last_name, valid.aliases, valid.citizenships, valid.notes) == (
        "Nekesa",
        "Wafula",
        ["Neki"],
        ["KE"],
        "speaks Luhya",
    )
    assert valid.identifiers == [
        IdentifierValue("phone", "+254722000111"),
        IdentifierValue("national_id", "2345678", "KE"),
    ]
    assert raw.first_name == "  Nekesa " and len(raw.identifiers) == 3  # the input is not changed
    assert validate_identity(valid) is valid  # validated once: passed on as it is


def test_validation_reports_every_field_at_once():
    with pytest.raises(ValidationFailed) as failed:
        validate_identity(
            Identity(
                date_of_birth=date(1899, 12, 31),
                citizenships=["XX"],
                identifiers=[IdentifierValue("phone", "12")],
            )
        )
    assert set(failed.value.fields) == {"first_name", "date_of_birth", "citizenships", "phone"}


def test_open_identity_opens_all_or_only_the_fields_named(users, make_person):
    person = make_person(
        users["case_worker"],
        "Nekesa",
        "Wafula",
        identifiers=[("phone", "0722 000 111")],
        date_of_birth=date(2001, 2, 3),
        notes="speaks Luhya",
    )
    whole = open_identity(person)
    assert whole.full_name == "Nekesa Wafula" and whole.notes == "speaks Luhya"
    assert whole.identifiers == [IdentifierValue("phone", "+254722000111", "")]
    names = open_identity(person, NAME_FIELDS)
    assert names.full_name == "Nekesa Wafula"
    assert (names.date_of_birth, names.notes, names.identifiers) == (None, "", [])  # not opened
    only = open_identity(person, ["date_of_birth", IDENTIFIERS])
    assert only.date_of_birth == date(2001, 2, 3) and only.first_name == "" and len(only.identifiers) == 1
    with pytest.raises(ValueError):
        open_identity(person, ["password"])


def test_the_matching_store_does_not_import_the_selectors_or_services():
    # The candidate type lives where candidates are produced (matching_store); the selector that shows them
    # imports it, never the other way round.
    tree = ast.parse(inspect.getsource(matching_store))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
            imported.update(f"{node.module or ''}.{alias.name}" for alias in node.names)
    assert not {name for name in imported if name.split(".")[-1] in ("selectors", "services")}
    assert matching_store.Candidate.__module__ == "ctip.people.matching_store"
