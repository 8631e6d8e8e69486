"""The court: the diary (sittings held or adjourned, the next date), victim-witnesses under a pseudonym, the
outcome of each count with its sentence, restitution and forfeiture orders, appeals, and the flags; bad input
refused whole with a clear error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from ctip.justice import selectors, services
from ctip.justice.forms import parse_ksh
from ctip.justice.models import ChargeSheet, CountOutcome, CourtEvent, CourtStation, ForfeitureOrder
from ctip.reference.models import Offence

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def _today():
    return timezone.localdate()


@pytest.fixture
def sheet(submitted, prosecutor):
    """A file charged 100 days ago under s.3 (the advice back-dated to allow it), victim case linked."""
    services.investigation_advise(actor=prosecutor, investigation=submitted, advice="charge")
    submitted.submissions.update(advised_at=timezone.now() - timedelta(days=120))
    submitted.refresh_from_db()
    accused = submitted.suspects.first()
    return services.charge_sheet_record(
        actor=prosecutor,
        investigation=submitted,
        court=CourtStation.objects.get(code="milimani-mc"),
        court_case_number="MCCR/E55/2026",
        charged_on=_today() - timedelta(days=100),
        counts=[
            services.CountInput(accused, Offence.objects.get(code="ctipa-3"), accused_sex="male"),
            services.CountInput(accused, Offence.objects.get(code="ctipa-4"), accused_sex="male"),
        ],
    )


def _sheet(sheet):
    return ChargeSheet.objects.select_related("investigation").get(pk=sheet.pk)


def test_the_diary_schedules_holds_and_adjourns_with_the_next_date(sheet, prosecutor):
    mention = services.court_event_schedule(
        actor=prosecutor, sheet=_sheet(sheet), kind="mention", sits_on=_today() - 90 * DAY
    )
    with pytest.raises(ValidationFailed) as exc:
        services.court_event_record(actor=prosecutor, event=mention, status="adjourned", next_on=None)
    assert set(exc.value.fields) == {"reason", "next_on"}
    services.court_event_record(
        actor=prosecutor, event=mention, status="adjourned", reason="witness_absent", next_on=_today() + 5 * DAY
    )
    nxt = CourtEvent.objects.get(charge_sheet=sheet, status="scheduled")
    assert (nxt.kind, nxt.sits_on) == ("mention", _today() + 5 * DAY)
    with pytest.raises(InvalidTransition):
        services.court_event_record(actor=prosecutor, event=mention, status="held")
    with pytest.raises(ValidationFailed) as exc:  # a sitting to come is not recorded as held
        services.court_event_record(actor=prosecutor, event=nxt, status="held")
    assert "status" in exc.value.fields
    assert [e.sits_on for e in selectors.upcoming_sittings_for_user(user=prosecutor)] == [_today() + 5 * DAY]
    assert AuditEvent.objects.filter(action="prosecution.event_record").count() == 1


def test_a_hearing_dated_before_the_charge_is_refused(sheet, prosecutor):
    with pytest.raises(ValidationFailed) as exc:
        services.court_event_schedule(
            actor=prosecutor, sheet=_sheet(sheet), kind="hearing", sits_on=sheet.charged_on - DAY
        )
    assert "cannot be before the date of charge" in exc.value.fields["sits_on"][0]
    assert not CourtEvent.objects.exists()


def test_a_stale_form_is_refused(sheet, prosecutor):
    with pytest.raises(Conflict):
        services.court_event_schedule(
            actor=prosecutor, sheet=_sheet(sheet), kind="hearing", sits_on=_today(), expected_version=sheet.version - 1
        )


def test_only_the_charging_office_keeps_the_record(sheet, investigator):
    with pytest.raises(PermissionDenied):
        services.court_event_schedule(actor=investigator, sheet=_sheet(sheet), kind="hearing", sits_on=_today())


def _convict(prosecutor, sheet, **kw):
    count = sheet.counts.get(number=1)
    services.plea_record(actor=prosecutor, count=count, plea="not_guilty")
    return services.outcome_record(
        actor=prosecutor,
        count=count,
        verdict="convicted",
        decided_on=kw.pop("decided_on", _today() - 10 * DAY),
        imprisonment_months=kw.pop("imprisonment_months", 360),
        fine_cents=kw.pop("fine_cents", 500_000_000),
    )


def test_outcome_sentence_and_its_errors(sheet, prosecutor):
    count = sheet.counts.get(number=1)
    with pytest.raises(ValidationFailed) as exc:  # no plea yet
        services.outcome_record(actor=prosecutor, count=count, verdict="convicted", decided_on=_today())
    assert "Record the plea" in exc.value.fields["verdict"][0]
    services.plea_record(actor=prosecutor, count=count, plea="not_guilty")
    with pytest.raises(ValidationFailed) as exc:
        services.outcome_record(
            actor=prosecutor, count=count, verdict="acquitted", decided_on=_today(), imprisonment_months=12
        )
    assert exc.value.fields["sentence"] == ["A sentence is given only on a conviction."]
    with pytest.raises(ValidationFailed) as exc:
        services.outcome_record(actor=prosecutor, count=count, verdict="withdrawn", decided_on=sheet.charged_on - DAY)
    assert "decided_on" in exc.value.fields
    plea = services.court_event_schedule(
        actor=prosecutor, sheet=_sheet(sheet), kind="plea", sits_on=_today() - 50 * DAY
    )
    services.court_event_record(actor=prosecutor, event=plea, status="held")
    with pytest.raises(ValidationFailed) as exc:
        services.outcome_record(actor=prosecutor, count=count, verdict="convicted", decided_on=_today() - 60 * DAY)
    assert "before the plea" in exc.value.fields["decided_on"][0]
    assert not CountOutcome.objects.exists()
    outcome = _convict(prosecutor, sheet)
    assert (outcome.imprisonment_months, outcome.fine_cents) == (360, 500_000_000)
    with pytest.raises(InvalidTransition):
        services.plea_record(actor=prosecutor, count=count, plea="guilty")


def test_orders_need_a_conviction_and_forfeiture_is_sealed(sheet, prosecutor, case):
    accused = sheet.counts.get(number=1).accused
    with pytest.raises(ValidationFailed) as exc:
        services.restitution_order_record(
            actor=prosecutor,
            sheet=_sheet(sheet),
            accused=accused,
            beneficiary_case=case,
            amount_cents=100,
            ordered_on=_today(),
        )
    assert "convicted" in exc.value.fields["accused"][0]
    _convict(prosecutor, sheet)
    order = services.restitution_order_record(
        actor=prosecutor,
        sheet=_sheet(sheet),
        accused=accused,
        beneficiary_case=case,
        amount_cents=25_000_000,
        ordered_on=_today() - 5 * DAY,
    )
    assert order.beneficiary_case == case
    forfeit = services.forfeiture_order_record(
        actor=prosecutor,
        sheet=_sheet(sheet),
        accused=accused,
        amount_cents=1_200_000_00,
        assets="Toyota Probox KDA 123X and the Equity account",
        ordered_on=_today() - 5 * DAY,
    )
    stored = ForfeitureOrder.objects.filter(pk=forfeit.pk).values_list("assets", flat=True).get()
    assert type(stored).__name__ == "Ciphertext"  # sealed at rest
    assert ForfeitureOrder.objects.get(public_id=forfeit.public_id).assets.startswith("Toyota")
    event = AuditEvent.objects.get(action="prosecution.forfeiture")
    assert "Probox" not in str(event.changes)


def test_appeal_follows_a_decision(sheet, prosecutor):
    accused = sheet.counts.get(number=1).accused
    with pytest.raises(ValidationFailed):
        services.appeal_file(
            actor=prosecutor, sheet=_sheet(sheet), accused=accused, appellant="accused", filed_on=_today()
        )
    _convict(prosecutor, sheet, decided_on=_today() - 10 * DAY)
    with pytest.raises(ValidationFailed) as exc:
        services.appeal_file(
            actor=prosecutor, sheet=_sheet(sheet), accused=accused, appellant="accused", filed_on=_today() - 20 * DAY
        )
    assert "before the decision" in exc.value.fields["filed_on"][0]
    appeal = services.appeal_file(
        actor=prosecutor, sheet=_sheet(sheet), accused=accused, appellant="accused", filed_on=_today() - 2 * DAY
    )
    appeal.charge_sheet = _sheet(sheet)
    services.appeal_decide(actor=prosecutor, appeal=appeal, result="dismissed", decided_on=_today())
    with pytest.raises(InvalidTransition):
        services.appeal_decide(actor=prosecutor, appeal=appeal, result="allowed", decided_on=_today())


def test_witnesses_have_a_pseudonym_and_names_open_on_demand(sheet, prosecutor, case):
    witness = services.witness_add(actor=prosecutor, sheet=_sheet(sheet), case=case)
    assert witness.pseudonym == "PW1"
    with pytest.raises(ValidationFailed):
        services.witness_add(actor=prosecutor, sheet=_sheet(sheet), case=case)
    witness.charge_sheet = _sheet(sheet)
    services.witness_update(
        actor=prosecutor,
        witness=witness,
        data=services.WitnessInput(
            protection_referred_on=_today(),
            interpreter_language="Kiswahili",
            impact_statement="I lost two years of wages and my passport.",
            impact_recorded_on=_today(),
            testified_on=_today() - DAY,
        ),
    )
    inv, access = selectors.investigation_get_for_user(user=prosecutor, public_id=sheet.investigation.public_id)
    rows = selectors.witnesses_for_user(user=prosecutor, sheet=_sheet(sheet), access=access)
    assert (rows[0].pseudonym, rows[0].name, rows[0].statement, rows[0].has_statement) == ("PW1", "", "", True)
    rows = selectors.witnesses_for_user(user=prosecutor, sheet=_sheet(sheet), access=access, statements_shown=True)
    assert rows[0].statement.startswith("I lost")
    assert AuditEvent.objects.filter(action="prosecution.read_sensitive").exists()
    event = AuditEvent.objects.get(action="prosecution.witness_update")
    assert "wages" not in str(event.changes)


def test_flags(sheet, prosecutor, case, investigator):
    from ctip.cases.models import Case

    Case.objects.filter(pk=case.pk).update(is_child=True, trafficking_status="ActualVictimOfTrafficking")
    flagged = {s.pk: selectors.flags_of(s) for s in selectors.prosecution_list_for_user(user=prosecutor)}
    values = {v for v, _label in flagged[sheet.pk]}
    assert values == {"child_victim", "pending"}  # charged 100 days ago, no hearing held
    assert list(selectors.prosecution_list_for_user(user=prosecutor, flag="pending")) == [sheet]
    assert not selectors.prosecution_list_for_user(user=prosecutor, flag="victim_accused").exists()
    hearing = services.court_event_schedule(
        actor=prosecutor, sheet=_sheet(sheet), kind="hearing", sits_on=_today() - 30 * DAY
    )
    services.court_event_record(actor=prosecutor, event=hearing, status="held")
    assert not selectors.prosecution_list_for_user(user=prosecutor, flag="pending").exists()


def test_lighter_charges_and_victim_accused_flags(submitted, prosecutor, investigator, case):
    from ctip.cases.models import Case

    Case.objects.filter(pk=case.pk).update(trafficking_status="PossibleVictimOfTrafficking")
    services.investigation_advise(actor=prosecutor, investigation=submitted, advice="charge")
    submitted.refresh_from_db()
    from ctip.justice.models import Suspect

    # the victim of the linked case is also a suspect of the file (s.14): the same person id
    victim_suspect = Suspect.objects.create(
        investigation=submitted, kind="person", person=case.person, roles=["Exploiter"]
    )
    immigration = Offence.objects.filter(statute="immigration").exclude(section="").first()
    labour = Offence.objects.filter(statute__in=["employment", "labour_institutions"]).exclude(section="").first()
    sheet = services.charge_sheet_record(
        actor=prosecutor,
        investigation=submitted,
        court=CourtStation.objects.get(code="jkia"),
        court_case_number="MCCR/E9/2026",
        charged_on=_today(),
        counts=[
            services.CountInput(victim_suspect, immigration),
            services.CountInput(submitted.suspects.first(), labour),
        ],
    )
    flagged = selectors.prosecution_list_for_user(user=prosecutor, flag="lighter_charges").get()
    assert flagged.pk == sheet.pk
    assert {v for v, _l in selectors.flags_of(flagged)} == {"lighter_charges", "victim_accused"}


@pytest.mark.parametrize(
    ("text", "cents"),
    [("250,000", 25_000_000), ("1500.5", 150_050), ("KSh 1,000.25", 100_025), ("0.99", 99)],
)
def test_parse_ksh(text, cents):
    assert parse_ksh(text) == cents


@pytest.mark.parametrize("text", ["", "abc", "1.234", "1.2.3", "-5", "1e5"])
def test_parse_ksh_refuses(text):
    with pytest.raises(ValueError):
        parse_ksh(text)


def test_parse_ksh_round_trips():
    from hypothesis import given
    from hypothesis import strategies as st

    @given(st.integers(min_value=0, max_value=10**12))
    def check(cents):
        whole, part = divmod(cents, 100)
        assert parse_ksh(f"{whole:,}.{part:02d}") == cents
        assert parse_ksh(f"KSh {whole}.{part:02d}") == cents

    check()


def test_court_figures_suppress_small_cells(sheet, prosecutor, users):
    _convict(prosecutor, sheet)
    figures = selectors.court_figures(user=users[Role.DATA_ANALYST])
    ctip = next(r for r in figures.prosecuted if "Counter-Trafficking" in r.label)
    assert ctip.male.suppressed and ctip.total.suppressed
    assert all(r.count.suppressed for r in figures.sentences)


def test_lighter_charges_flag_counts_screening_indicators_before_the_status_is_decided(
    submitted, prosecutor, case, django_assert_num_queries
):
    """The linked case has no status decided yet; its latest screening's indicators suggest trafficking: the
    prosecution under immigration law only is flagged. A later screening that does not, or a decision "not a
    victim", clears it. Still one query for the list, flags and filter included."""
    from ctip.cases.models import Case, Screening

    assert case.trafficking_status == ""
    services.investigation_advise(actor=prosecutor, investigation=submitted, advice="charge")
    submitted.refresh_from_db()
    immigration = Offence.objects.filter(statute="immigration").exclude(section="").first()
    sheet = services.charge_sheet_record(
        actor=prosecutor,
        investigation=submitted,
        court=CourtStation.objects.get(code="jkia"),
        court_case_number="MCCR/E10/2026",
        charged_on=_today(),
        counts=[services.CountInput(submitted.suspects.first(), immigration)],
    )

    def flagged():
        listed = selectors.prosecution_list_for_user(user=prosecutor, flag="lighter_charges")
        with django_assert_num_queries(1):  # the list, its flags and the filter: one query
            return [s.pk for s in listed]

    assert flagged() == []  # no screening, no decision

    def screen(suggestion, days_ago):
        return Screening.objects.create(
            case=case,
            indicator_list="adult_labour",
            suggestion=suggestion,
            screened_on=_today() - days_ago * DAY,
            screened_by=prosecutor,
        )

    screen("NotAVictimOfTrafficking", 20)
    assert flagged() == []
    screen("PossibleVictimOfTrafficking", 10)  # the latest screening shows trafficking
    assert flagged() == [sheet.pk]
    assert "lighter_charges" in {
        v for v, _l in selectors.flags_of(selectors.prosecution_list_for_user(user=prosecutor).get())
    }
    Case.objects.filter(pk=case.pk).update(trafficking_status="NotAVictimOfTrafficking")  # decided otherwise
    assert flagged() == []
    Case.objects.filter(pk=case.pk).update(trafficking_status="")
    screen("NotAVictimOfTrafficking", 1)  # re-screened: the indicators no longer show it
    assert flagged() == []
