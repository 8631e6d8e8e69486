"""The rule-set workflow through the real services: draft, edit (validated, optimistic concurrency), send for
review, return or publish by another officer; history never changes; each step audited. The counts of checks."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.audit.models import AuditEvent
from ctip.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from ctip.jobcheck import services
from ctip.jobcheck.models import CheckTally, RuleSet

from .conftest import SEED

pytestmark = pytest.mark.django_db

V1_TEXT = SEED.read_text(encoding="utf-8")


def v1():
    return RuleSet.objects.get(number=1)


def drafted(actor, note="Raise the fee weight"):
    draft = services.ruleset_draft(actor=actor, note=note)
    return services.ruleset_edit(
        actor=actor,
        ruleset=draft,
        source_text=V1_TEXT.replace("- id: fee_charged\n  weight: 4", "- id: fee_charged\n  weight: 7"),
        note=note,
        expected_version=draft.version,
    )


def test_the_seed_is_published():
    rs = v1()
    assert rs.status == "published" and rs.document["rules"][0]["id"] == "fee_charged"


def test_full_workflow_publishes_and_retires(users, fresh, django_capture_on_commit_callbacks):
    drafter, reviewer = users["labour_officer"], users["coordinator"]
    draft = drafted(drafter)
    assert draft.number == 2 and draft.based_on == v1() and draft.document["rules"][0]["weight"] == 7
    draft = services.ruleset_submit(actor=drafter, ruleset=draft, expected_version=draft.version)
    assert draft.status == "in_review" and draft.submitted_by == drafter
    with django_capture_on_commit_callbacks(execute=True):
        published = services.ruleset_publish(actor=reviewer, ruleset=draft, expected_version=draft.version)
    assert published.status == "published" and published.published_by == reviewer
    old = v1()
    assert old.status == "retired" and old.retired_at is not None
    assert old.document["rules"][0]["weight"] == 4  # history unchanged
    assert fresh.published_rules().number == 2
    actions = list(
        AuditEvent.objects.filter(action__startswith="jobcheck_rules.").order_by("id").values_list("action", flat=True)
    )
    assert actions == [
        "jobcheck_rules.draft",
        "jobcheck_rules.edit",
        "jobcheck_rules.submit",
        "jobcheck_rules.publish",
    ]


def test_the_drafter_cannot_publish_their_own_rules(users):
    officer = users["labour_officer"]
    draft = drafted(officer)
    draft = services.ruleset_submit(actor=officer, ruleset=draft, expected_version=draft.version)
    with pytest.raises(PermissionDenied):
        services.ruleset_publish(actor=officer, ruleset=draft, expected_version=draft.version)
    assert RuleSet.objects.get(pk=draft.pk).status == "in_review"


def test_return_needs_a_reason_then_goes_back_to_draft(users):
    drafter, reviewer = users["labour_officer"], users["coordinator"]
    draft = drafted(drafter)
    draft = services.ruleset_submit(actor=drafter, ruleset=draft, expected_version=draft.version)
    with pytest.raises(ValidationFailed) as exc:
        services.ruleset_return(actor=reviewer, ruleset=draft, reason=" ", expected_version=draft.version)
    assert "reason" in exc.value.fields
    back = services.ruleset_return(
        actor=reviewer, ruleset=draft, reason="Cite the notice", expected_version=draft.version
    )
    assert back.status == "draft" and back.review_note == "Cite the notice"
    assert AuditEvent.objects.filter(action="jobcheck_rules.return").count() == 1


def test_published_and_retired_versions_are_never_edited(users):
    officer = users["labour_officer"]
    with pytest.raises(InvalidTransition):
        services.ruleset_edit(actor=officer, ruleset=v1(), source_text=V1_TEXT, note="x", expected_version=None)
    draft = drafted(officer)
    draft = services.ruleset_submit(actor=officer, ruleset=draft, expected_version=draft.version)
    with pytest.raises(InvalidTransition):
        services.ruleset_edit(actor=officer, ruleset=draft, source_text=V1_TEXT, note="x", expected_version=None)


def test_invalid_rules_are_refused_with_clear_errors_and_nothing_saved(users):
    officer = users["labour_officer"]
    draft = services.ruleset_draft(actor=officer)
    bad = V1_TEXT.replace("field: visa, op: eq, value: tourist", "field: visa, op: eq, value: holiday")
    with pytest.raises(ValidationFailed) as exc:
        services.ruleset_edit(actor=officer, ruleset=draft, source_text=bad, note="x", expected_version=draft.version)
    assert any("rules[7].when.value" in m and "holiday" in m for m in exc.value.fields["source_text"])
    with pytest.raises(ValidationFailed) as exc:
        services.ruleset_edit(
            actor=officer, ruleset=draft, source_text="rules: [\n  - id: x", note="x", expected_version=draft.version
        )
    assert "line" in exc.value.fields["source_text"][0]
    fresh = RuleSet.objects.get(pk=draft.pk)
    assert fresh.version == draft.version and fresh.source_text == V1_TEXT


def test_a_stale_edit_is_refused(users):
    officer = users["labour_officer"]
    draft = services.ruleset_draft(actor=officer)
    services.ruleset_edit(actor=officer, ruleset=draft, source_text=V1_TEXT, note="a", expected_version=draft.version)
    with pytest.raises(Conflict):
        services.ruleset_edit(
            actor=officer, ruleset=draft, source_text=V1_TEXT, note="b", expected_version=draft.version
        )


def test_submit_needs_a_note(users):
    officer = users["labour_officer"]
    draft = services.ruleset_draft(actor=officer)
    with pytest.raises(ValidationFailed) as exc:
        services.ruleset_submit(actor=officer, ruleset=draft, expected_version=draft.version)
    assert "note" in exc.value.fields


@pytest.mark.parametrize("role", ["case_worker", "data_analyst", "investigator"])
def test_roles_without_the_right_cannot_draft(users, role):
    with pytest.raises(PermissionDenied):
        services.ruleset_draft(actor=users[role])


def test_a_user_who_may_edit_but_not_publish(users, monkeypatch):
    from ctip.accounts.roles import Action

    drafter, other = users["labour_officer"], users["coordinator"]
    draft = drafted(drafter)
    draft = services.ruleset_submit(actor=drafter, ruleset=draft, expected_version=draft.version)
    monkeypatch.setattr(type(other), "can", lambda self, action: action != Action.JOBCHECK_RULES_PUBLISH)
    with pytest.raises(PermissionDenied):
        services.ruleset_publish(actor=other, ruleset=draft, expected_version=draft.version)


def test_record_check_counts_by_level_only():
    day = date(2026, 1, 5)
    for level in ["high", "high", "low"]:
        services.record_check(level=level, channel="page", rule_set_number=1, day=day)
    counts = dict(CheckTally.objects.filter(day=day).values_list("level", "count"))
    assert counts == {"high": 2, "low": 1}
    assert [f.name for f in CheckTally._meta.get_fields()] == [
        "id",
        "day",
        "rule_set_number",
        "channel",
        "level",
        "count",
    ]
