"""The decrypted view of a person's identity: checking and normalising it once (validate_identity), sealing it
(seal_identity) and opening it (open_identity: the one way to decrypt a person's identity, all of it or the
fields named)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.core.errors import ValidationFailed
from ctip.reference.selectors import country_codes

from .enums import Gender, IdentifierKind, Sex
from .normalize import IdentifierInvalid, normalize_identifier
from .vault import get_vault

# The sealed columns of Person; bulk loaders (the demo) write them in this order.
IDENTITY_FIELDS = (
    "first_name",
    "middle_names",
    "last_name",
    "aliases",
    "date_of_birth",
    "sex",
    "gender",
    "citizenships",
    "addresses",
    "notes",
    "birth_year",
)
NAME_FIELDS = ("first_name", "middle_names", "last_name")
IDENTIFIERS = "identifiers"  # a field name for open_identity: the person's identifiers (PersonIdentifier rows)


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
    # The (estimated) year of birth when the date of birth is not known: "born 1998", or an age estimated in a
    # year ("about 24 in 2026" is 2002). With a date of birth the year is the date's.
    birth_year: int | None = None

    @property
    def year_of_birth(self) -> int | None:
        """The year of the date of birth, else the (estimated) year of birth."""
        return self.date_of_birth.year if self.date_of_birth else self.birth_year

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
        today = timezone.localdate()
        dob = self.date_of_birth
        return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))

    def as_dict(self) -> dict:
        data = asdict(self)
        data["date_of_birth"] = self.date_of_birth.isoformat() if self.date_of_birth else None
        return data


@dataclass
class ValidIdentity(Identity):
    """An identity checked and normalised by `validate_identity` (names trimmed, identifiers in their canonical
    form and without repeats, country codes upper case). Pass it on: nothing downstream (the duplicate look-up,
    person_register, the match keys, the vault) checks or normalises it again."""


def validate_identity(identity: Identity) -> ValidIdentity:
    """Check and normalise, once; raise ValidationFailed with every field's problem at once. An identity already
    validated is returned as it is. The argument is not changed."""
    if isinstance(identity, ValidIdentity):
        return identity
    names = {name: (getattr(identity, name) or "").strip() for name in NAME_FIELDS}
    aliases = [a.strip() for a in identity.aliases if a and a.strip()]
    citizenships = [c.strip().upper() for c in identity.citizenships if c and c.strip()]
    errors: dict[str, list[str]] = {}
    if not (names["first_name"] or names["last_name"] or aliases):
        errors["first_name"] = [_("Give at least one name or alias (write 'Unknown' if the person gave none).")]
    for name, value in names.items():
        if len(value) > 100:
            errors[name] = [_("At most 100 characters.")]
    if identity.date_of_birth:
        if identity.date_of_birth > timezone.localdate():
            errors["date_of_birth"] = [_("The date of birth cannot be in the future.")]
        elif identity.date_of_birth < date(1900, 1, 1):
            errors["date_of_birth"] = [_("The date of birth is before 1900.")]
    birth_year = identity.birth_year
    if identity.date_of_birth:
        birth_year = None  # the date's own year
    elif birth_year is not None and not 1900 <= birth_year <= timezone.localdate().year:
        errors["birth_year"] = [
            _("Give a year of birth between 1900 and %(year)s.") % {"year": timezone.localdate().year}
        ]
    if identity.sex and identity.sex not in Sex.values:
        errors["sex"] = [_("Choose a valid option.")]
    if identity.gender and identity.gender not in Gender.values:
        errors["gender"] = [_("Choose a valid option.")]
    if citizenships:
        known = country_codes()
        if any(c not in known for c in citizenships):
            errors["citizenships"] = [_("Unknown country code.")]
    seen = set()
    identifiers = []
    for ident in identity.identifiers:
        try:
            value = normalize_identifier(ident.kind, ident.value)
        except IdentifierInvalid as exc:
            errors.setdefault(ident.kind, []).append(str(exc))
            continue
        if (ident.kind, value) not in seen:
            seen.add((ident.kind, value))
            identifiers.append(IdentifierValue(ident.kind, value, (ident.issuing_country or "").strip().upper()))
    if errors:
        raise ValidationFailed(fields=errors)
    return ValidIdentity(
        **{
            **{f.name: getattr(identity, f.name) for f in fields(Identity)},
            **names,
            "aliases": aliases,
            "citizenships": citizenships,
            "notes": (identity.notes or "").strip(),
            "identifiers": identifiers,
            "birth_year": birth_year,
        }
    )


def ctx(public_id, field_name: str) -> str:
    return f"people.person:{public_id}:{field_name}"


def seal_identity(public_id, identity: Identity) -> dict[str, str]:
    """Field name -> vault token, for the sealed columns of Person (of an identity validated before)."""
    v = get_vault()
    plain = {
        "first_name": identity.first_name,
        "middle_names": identity.middle_names,
        "last_name": identity.last_name,
        "aliases": json.dumps(identity.aliases, ensure_ascii=False) if identity.aliases else "",
        "date_of_birth": identity.date_of_birth.isoformat() if identity.date_of_birth else "",
        "sex": identity.sex,
        "gender": identity.gender,
        "citizenships": json.dumps(identity.citizenships) if identity.citizenships else "",
        "addresses": json.dumps(identity.addresses, ensure_ascii=False) if identity.addresses else "",
        "notes": identity.notes,
        "birth_year": str(identity.birth_year) if identity.birth_year else "",
    }
    return {name: v.seal(value, context=ctx(public_id, name)) for name, value in plain.items()}


def open_identity(person, fields: Iterable[str] | None = None, *, identifier_rows=None) -> Identity:
    """Decrypt a person's identity: every field and the identifiers (`fields` None), or only the fields named
    (IDENTITY_FIELDS, and IDENTIFIERS for the identifiers); the others stay empty. The one way to open an
    identity: what is shown goes through the audited selectors (people.selectors, cases.selectors); the matcher
    and the case date checks use it internally, showing nothing. `person` needs `pk`, `public_id` and the sealed
    columns asked for; `identifier_rows`, (kind, vault token, issuing country) of the person's identifiers read
    beforehand (the registry-wide duplicate scan reads them for many persons at once), replaces
    `person.identifiers`."""
    wanted = set(IDENTITY_FIELDS) | {IDENTIFIERS} if fields is None else set(fields)
    unknown = wanted - set(IDENTITY_FIELDS) - {IDENTIFIERS}
    if unknown:
        raise ValueError(f"not identity fields: {sorted(unknown)}")
    v = get_vault()
    pid = str(person.public_id)  # formatted once, not once per field
    opened = {name: v.open(getattr(person, name), context=ctx(pid, name)) for name in IDENTITY_FIELDS if name in wanted}
    values: dict = {}
    for name, text in opened.items():
        if name in ("aliases", "citizenships", "addresses"):
            values[name] = json.loads(text or "[]")
        elif name == "date_of_birth":
            values[name] = date.fromisoformat(text) if text else None
        elif name == "birth_year":
            values[name] = int(text) if text else None
        else:
            values[name] = text
    if IDENTIFIERS in wanted and identifier_rows is not None:
        values[IDENTIFIERS] = [
            IdentifierValue(kind, v.open(token, context=ctx(pid, f"identifier:{kind}")), country)
            for kind, token, country in identifier_rows
        ]
    elif IDENTIFIERS in wanted:
        values[IDENTIFIERS] = [
            IdentifierValue(i.kind, v.open(i.value, context=ctx(pid, f"identifier:{i.kind}")), i.issuing_country)
            for i in (person.identifiers.all() if person.pk else ())  # an unsaved row has no identifier rows
        ]
    return Identity(**values)


@dataclass(frozen=True, slots=True)
class SealedIdentity:
    """A person's identity as `person_register` stores it: the sealed Person columns (IDENTITY_FIELDS order) and
    the identifiers as (kind, issuing country, sealed value, blind index)."""

    columns: tuple[str, ...]
    identifiers: tuple[tuple[str, str, str, str], ...]


def seal_identities(items: Iterable[tuple[object, Identity]]) -> list[SealedIdentity]:
    """Seal many (public id, identity) pairs at once, for bulk loaders (the demo, imports of many persons): the
    same tokens and blind indexes as `seal_identity` and the identifier rows `person_register` writes, without a
    model instance per person. Pure computation (no database): it may run in a worker process."""
    v = get_vault()
    out = []
    for public_id, identity in items:
        sealed = seal_identity(public_id, identity)
        out.append(
            SealedIdentity(
                columns=tuple(sealed[name] for name in IDENTITY_FIELDS),
                identifiers=tuple(
                    (
                        i.kind,
                        i.issuing_country,
                        v.seal(i.value, context=ctx(public_id, f"identifier:{i.kind}")),
                        v.blind_index(i.kind, i.value),
                    )
                    for i in identity.identifiers
                ),
            )
        )
    return out
