"""The decrypted view of a person's identity, and sealing/opening it through the vault."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date

from .enums import IdentifierKind
from .vault import get_vault


@dataclass
class IdentifierValue:
    kind: str
    value: str
    issuing_country: str = ""


@dataclass
class Identity:
    first_name: str = ""
    middle_names: str = ""
    last_name: str = ""
    aliases: list[str] = field(default_factory=list)
    date_of_birth: date | None = None
    sex: str = ""
    gender: str = ""
    citizenships: list[str] = field(default_factory=list)
    addresses: list[dict] = field(default_factory=list)
    notes: str = ""
    identifiers: list[IdentifierValue] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_names, self.last_name) if p)

    def of_kind(self, kind: str) -> list[str]:
        return [i.value for i in self.identifiers if i.kind == kind]

    @property
    def phones(self) -> list[str]:
        return self.of_kind(IdentifierKind.PHONE)

    @property
    def age(self) -> int | None:
        if not self.date_of_birth:
            return None
        today = date.today()
        dob = self.date_of_birth
        return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))

    def as_dict(self) -> dict:
        data = asdict(self)
        data["date_of_birth"] = self.date_of_birth.isoformat() if self.date_of_birth else None
        return data


def ctx(public_id, field_name: str) -> str:
    return f"people.person:{public_id}:{field_name}"


def seal_identity(public_id, identity: Identity) -> dict[str, str]:
    """Field name -> vault token, for the sealed columns of Person."""
    v = get_vault()
    plain = {
        "first_name": identity.first_name.strip(),
        "middle_names": identity.middle_names.strip(),
        "last_name": identity.last_name.strip(),
        "aliases": json.dumps(identity.aliases, ensure_ascii=False) if identity.aliases else "",
        "date_of_birth": identity.date_of_birth.isoformat() if identity.date_of_birth else "",
        "sex": identity.sex,
        "gender": identity.gender,
        "citizenships": json.dumps(identity.citizenships) if identity.citizenships else "",
        "addresses": json.dumps(identity.addresses, ensure_ascii=False) if identity.addresses else "",
        "notes": identity.notes.strip(),
    }
    return {name: v.seal(value, context=ctx(public_id, name)) for name, value in plain.items()}


def open_identity(person, identifiers=()) -> Identity:
    v = get_vault()
    pid = person.public_id

    def o(name: str) -> str:
        return v.open(getattr(person, name), context=ctx(pid, name))

    dob = o("date_of_birth")
    return Identity(
        first_name=o("first_name"),
        middle_names=o("middle_names"),
        last_name=o("last_name"),
        aliases=json.loads(o("aliases") or "[]"),
        date_of_birth=date.fromisoformat(dob) if dob else None,
        sex=o("sex"),
        gender=o("gender"),
        citizenships=json.loads(o("citizenships") or "[]"),
        addresses=json.loads(o("addresses") or "[]"),
        notes=o("notes"),
        identifiers=[
            IdentifierValue(i.kind, v.open(i.value, context=ctx(pid, f"identifier:{i.kind}")), i.issuing_country)
            for i in identifiers
        ],
    )


def open_names(person) -> str:
    v = get_vault()
    pid = person.public_id
    parts = [v.open(getattr(person, n), context=ctx(pid, n)) for n in ("first_name", "middle_names", "last_name")]
    return " ".join(p for p in parts if p)
