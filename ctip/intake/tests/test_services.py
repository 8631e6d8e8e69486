"""Tip and call state machines, conversion into a case (atomic), sealing of call text, selectors."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.cases.models import Case
from ctip.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ctip.intake import selectors, services
from ctip.intake.enums import CallStatus, TipStatus
from ctip.intake.models import HotlineCall, Tip
from ctip.people.identity import Identity
from ctip.people.models import Person

pytestmark = pytest.mark.django_db


# --- tip state machine ---------------------------------------------------------------------------------------


def test_new_tip_goes_to_review_then_closed(tip, coordinator):
    tip = services.tip_start_review(actor=coordinator, tip=tip)
    assert tip.status == TipStatus.UNDER_REVIEW and tip.reviewer == coordinator
    tip = services.tip_close(actor=coordinator, tip=tip, reason="insufficient", message="Thank you.")
    assert tip.status == TipStatus.CLOSED and tip.closed_at
    assert tip.message_to_reporter == "Thank you."
    assert list(
        AuditEvent.objects.filter(target_id=str(tip.public_id)).order_by("id").values_list("action", flat=True)
    ) == [
        "tip.submit",
        "tip.review",
        "tip.close",
    ]


@pytest.mark.parametrize(
    "action",
    [
        lambda a, t, d: services.tip_start_review(actor=a, tip=t),
        lambda a, t, d: services.tip_close(actor=a, tip=t, reason="duplicate"),
        lambda a, t, d: services.tip_convert(actor=a, tip=t, draft=d()),
    ],
)
def test_closed_tip_cannot_move(tip, coordinator, draft, action):
    services.tip_close(actor=coordinator, tip=tip, reason="duplicate")
    tip.refresh_from_db()
    with pytest.raises(InvalidTransition):
        action(coordinator, tip, draft)
    tip.refresh_from_db()
    assert tip.status == TipStatus.CLOSED


def test_under_review_cannot_be_reviewed_again(tip, coordinator):
    services.tip_start_review(actor=coordinator, tip=tip)
    with pytest.raises(InvalidTransition):
        services.tip_start_review(actor=coordinator, tip=tip)


def test_converted_tip_cannot_be_closed(tip, coordinator, draft):
    services.tip_convert(actor=coordinator, tip=tip, draft=draft())
    with pytest.raises(InvalidTransition):
        services.tip_close(actor=coordinator, tip=tip, reason="duplicate")


def test_close_needs_a_valid_reason_and_a_note_for_other(tip, coordinator):
    with pytest.raises(ValidationFailed) as bad:
        services.tip_close(actor=coordinator, tip=tip, reason="bored")
    assert "reason" in bad.value.fields
    with pytest.raises(ValidationFailed) as other:
        services.tip_close(actor=coordinator, tip=tip, reason="other", note=" ")
    assert "note" in other.value.fields
    tip.refresh_from_db()
    assert tip.status == TipStatus.NEW


def test_stale_version_is_refused(tip, coordinator):
    from ctip.core.errors import Conflict

    with pytest.raises(Conflict):
        services.tip_start_review(actor=coordinator, tip=tip, expected_version=tip.version + 1)


def test_database_refuses_an_invalid_status(tip):
    with pytest.raises(IntegrityError), transaction.atomic():
        Tip.objects.filter(pk=tip.pk).update(status="lost")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tip.objects.filter(pk=tip.pk).update(status=TipStatus.CLOSED, close_reason="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tip.objects.filter(pk=tip.pk).update(status=TipStatus.CONVERTED)


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.HOTLINE_OPERATOR, Role.INVESTIGATOR, Role.DATA_ANALYST])
def test_only_triage_roles_act_on_tips(tip, users, draft, role):
    actor = users[role]
    for call in (
        lambda: services.tip_start_review(actor=actor, tip=tip),
        lambda: services.tip_close(actor=actor, tip=tip, reason="duplicate"),
        lambda: services.tip_set_message(actor=actor, tip=tip, message="x"),
        lambda: services.tip_convert(actor=actor, tip=tip, draft=draft()),
    ):
        with pytest.raises(PermissionDenied):
            call()
    tip.refresh_from_db()
    assert tip.status == TipStatus.NEW and tip.version == 1


# hypothesis: any sequence of triage actions keeps the tip within the state machine.
ACTIONS = st.lists(st.sampled_from(["review", "close", "message", "convert"]), max_size=6)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_any_sequence_of_actions_follows_the_state_machine(submit_tip, coordinator, draft, actions):
    from ctip.intake.enums import TIP_TRANSITIONS

    tip, _pin = submit_tip()
    for name in actions:
        before = Tip.objects.get(pk=tip.pk).status
        try:
            with transaction.atomic():
                if name == "review":
                    services.tip_start_review(actor=coordinator, tip=tip)
                elif name == "close":
                    services.tip_close(actor=coordinator, tip=tip, reason="duplicate")
                elif name == "message":
                    services.tip_set_message(actor=coordinator, tip=tip, message="m")
                else:
                    services.tip_convert(
                        actor=coordinator,
                        tip=tip,
                        draft=draft(identity=Identity(first_name=f"P{Person.objects.count()}")),
                    )
        except InvalidTransition:
            assert Tip.objects.get(pk=tip.pk).status == before
        after = Tip.objects.get(pk=tip.pk).status
        assert after == before or after in TIP_TRANSITIONS[before]


# --- conversion -------------------------------------------------------------------------------------------------


def test_convert_creates_person_and_case_and_links_them(tip, coordinator, draft):
    case = services.tip_convert(actor=coordinator, tip=tip, draft=draft(), message="We are acting on it.").case
    tip.refresh_from_db()
    assert tip.status == TipStatus.CONVERTED and tip.case == case
    assert case.channel == "public_tip" and case.owning_agency == coordinator.agency
    assert case.attributes.filter(field="vic_TypeOfExploitation", value="ForcedLabour").exists()
    assert case.timeline.filter(kind="case.from_intake").exists()
    assert Person.objects.filter(pk=case.person_id).exists()


def test_a_failing_conversion_leaves_nothing(tip, coordinator, draft):
    # given: the date of birth says an adult, the officer says a child -> case_open refuses after the person exists
    persons, cases, events = Person.objects.count(), Case.objects.count(), AuditEvent.objects.count()
    bad = draft(identity=Identity(first_name="Akinyi", date_of_birth=date(1990, 1, 1)), is_child=True)
    # when
    with pytest.raises(ValidationFailed):
        services.tip_convert(actor=coordinator, tip=tip, draft=bad)
    # then
    assert Person.objects.count() == persons
    assert Case.objects.count() == cases
    assert AuditEvent.objects.count() == events
    tip.refresh_from_db()
    assert tip.status == TipStatus.NEW and tip.case is None


def test_convert_refuses_invalid_htcds_and_keeps_the_tip_open(tip, coordinator, draft):
    with pytest.raises(ValidationFailed):
        services.tip_convert(actor=coordinator, tip=tip, draft=draft(htcds={"vic_TypeOfExploitation": ["Piracy"]}))
    assert Person.objects.count() == 0
    tip.refresh_from_db()
    assert tip.status == TipStatus.NEW


# --- hotline calls -------------------------------------------------------------------------------------------


def test_call_summary_is_sealed(call):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intake_hotlinecall")
        dump = repr(cursor.fetchall())
    assert "Wanjiku" not in dump and "Mombasa" not in dump
    assert "Wanjiku" in HotlineCall.objects.get(pk=call.pk).summary


def test_call_read_is_audited(call, operator):
    texts = selectors.call_text_for_user(user=operator, call=call)
    assert "Wanjiku" in texts["summary"]
    assert AuditEvent.objects.filter(action="call.read", target_id=str(call.public_id), actor=operator).exists()


def test_tip_read_is_audited(tip, coordinator):
    texts = selectors.tip_text_for_user(user=coordinator, tip=tip)
    assert "Riyadh" in texts["description"]
    event = AuditEvent.objects.get(action="tip.read")
    assert event.actor == coordinator and "Riyadh" not in repr(event.changes)


def test_operator_cannot_convert_but_can_escalate(call, operator, coordinator, draft):
    with pytest.raises(PermissionDenied):
        services.call_convert(actor=operator, call=call, draft=draft())
    assert Person.objects.count() == 0
    tip = services.call_escalate(actor=operator, call=call, situation="forced_work")
    call.refresh_from_db()
    assert call.status == CallStatus.ESCALATED
    assert tip.source == "hotline" and tip.pin_hash == "!"
    assert "Wanjiku" in tip.description
    assert tip in selectors.tips_awaiting_triage(coordinator)
    # the coordinator converts the escalated call from the queue: channel hotline, call converted too
    case = services.tip_convert(actor=coordinator, tip=tip, draft=draft()).case
    call.refresh_from_db()
    assert case.channel == "hotline" and call.status == CallStatus.CONVERTED and call.case == case


def test_coordinator_converts_a_call_directly(call, coordinator, draft):
    case = services.call_convert(actor=coordinator, call=call, draft=draft()).case
    call.refresh_from_db()
    assert call.status == CallStatus.CONVERTED and case.channel == "hotline"
    with pytest.raises(InvalidTransition):
        services.call_convert(actor=coordinator, call=call, draft=draft())
    with pytest.raises(InvalidTransition):
        services.call_escalate(actor=coordinator, call=call)


def test_escalated_then_converted_call_closes_its_tip(call, operator, coordinator, draft):
    tip = services.call_escalate(actor=operator, call=call)
    services.call_convert(actor=coordinator, call=call, draft=draft())
    tip.refresh_from_db()
    assert tip.status == TipStatus.CONVERTED


def test_operator_of_another_agency_cannot_escalate(call, other_users):
    with pytest.raises(NotFound):  # the call is not visible to another agency
        services.call_escalate(actor=other_users[Role.HOTLINE_OPERATOR], call=call)
    call.refresh_from_db()
    assert call.status == CallStatus.LOGGED


def test_call_log_validates(operator):
    from django.utils import timezone

    with pytest.raises(ValidationFailed) as exc:
        services.call_log(
            actor=operator,
            data=services.CallInput(
                caller_type="alien", summary="", call_at=timezone.now() + timezone.timedelta(days=1), urgency="meh"
            ),
        )
    assert {"caller_type", "summary", "call_at", "urgency"} <= set(exc.value.fields)
    assert HotlineCall.objects.count() == 0


def test_case_worker_cannot_log_calls(case_worker, log_call):
    with pytest.raises(PermissionDenied):
        log_call(case_worker)


# --- selectors ----------------------------------------------------------------------------------------------


def test_tips_awaiting_triage(submit_tip, coordinator, users):
    a, _ = submit_tip()
    b, _ = submit_tip()
    c, _ = submit_tip()
    services.tip_start_review(actor=coordinator, tip=b)
    services.tip_close(actor=coordinator, tip=c, reason="duplicate")
    assert list(selectors.tips_awaiting_triage(coordinator)) == [a, b]
    assert list(selectors.tips_awaiting_triage(users[Role.CASE_WORKER])) == []


def test_queue_lists_new_first(submit_tip, coordinator):
    a, _ = submit_tip()
    b, _ = submit_tip()
    services.tip_start_review(actor=coordinator, tip=a)
    rows = list(selectors.tip_list_for_user(user=coordinator))
    assert rows == [b, a]
    assert list(selectors.tip_list_for_user(user=coordinator, filters=selectors.TipFilters(status="under_review"))) == [
        a
    ]


def test_coordinators_are_notified_of_new_tips_and_escalated_calls(
    submit_tip, coordinator, operator, users, django_capture_on_commit_callbacks
):
    """Every national triager is told, after commit, with nothing about the situation in the notice; other roles
    are not told."""
    from ctip.intake.tests.conftest import _log_call
    from ctip.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        tip, _pin = submit_tip(description="Three girls were taken to a house in Eastleigh by a recruiter.")
    notice = Notification.objects.get(user=coordinator)
    assert notice.kind == "tip.new" and notice.params == {} and notice.url == f"/intake/tips/{tip.public_id}/"
    assert not Notification.objects.exclude(user=coordinator).filter(kind__startswith="tip.").exists()
    with django_capture_on_commit_callbacks(execute=True):
        call = _log_call(operator)
    with django_capture_on_commit_callbacks(execute=True):
        escalated = services.call_escalate(actor=operator, call=call)
    notice = Notification.objects.get(user=coordinator, kind="tip.escalated_call")
    assert notice.url == f"/intake/tips/{escalated.public_id}/"


def test_a_rejected_tip_notifies_nobody(coordinator, django_capture_on_commit_callbacks):
    from ctip.core.errors import ValidationFailed
    from ctip.intake.services import TipInput, tip_submit
    from ctip.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationFailed):
        tip_submit(data=TipInput(situation="nonsense", description="short"))
    assert not Notification.objects.exists()
