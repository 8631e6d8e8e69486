"""Helpers to open cases through the real services in tests."""

from __future__ import annotations

from datetime import date

from ctip.cases import services


def open_case(actor, make_person, *, first_name="Achieng", last_name="Otieno", identified_on=None, **fields):
    person = make_person(actor, first_name, last_name, date_of_birth=fields.pop("date_of_birth", date(1998, 4, 1)))
    return services.case_open(
        actor=actor,
        person=person,
        identified_on=identified_on or date(2026, 3, 1),
        narrative=fields.pop("narrative", "Recruited through a Facebook job advert for Riyadh."),
        htcds=fields.pop("htcds", {"vic_TypeOfExploitation": ["ForcedLabour"]}),
        **fields,
    )
