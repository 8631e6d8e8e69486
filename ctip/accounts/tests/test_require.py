"""The access chokepoint, `ctip.accounts.access.require`: the exact answer (403 / 404 / how access was granted)
for each way a user may or may not reach a case, its sections and its owner-side operations, as documented in
docs/architecture.md ("Access control") and docs/security.md."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser

from ctip.accounts import services as account_services
from ctip.accounts.access import ROLE, may, require, require_any
from ctip.accounts.enums import Role
from ctip.accounts.roles import Action
from ctip.cases.tests.factories import open_case
from ctip.core.errors import NotFound, PermissionDenied

pytestmark = pytest.mark.django_db

REASON = "Victim turned up at our shelter at night; need the care plan now"


@pytest.fixture
def case(users, make_person):
    return open_case(users[Role.CASE_WORKER], make_person)


def _share(case, owner, agency, sections):
    return account_services.share_grant(
        actor=owner,
        target_type="cases.case",
        target_id=case.public_id,
        owning_agency_id=case.owning_agency_id,
        agency=agency,
        sections=sections,
        reason="Referral to a shelter",
    )


def _raises(error, user, action, obj=None, **kwargs):
    with pytest.raises((NotFound, PermissionDenied)) as exc:
        require(user, action, obj, **kwargs)
    assert type(exc.value) is error, f"{type(exc.value).__name__} instead of {error.__name__}"
    assert may(user, action, obj, **kwargs) is False


def test_without_the_action_the_role_gets_403_whatever_the_record(users, case):
    for user in (AnonymousUser(), users[Role.DATA_ANALYST], users[Role.AUDITOR], users[Role.SYSADMIN]):
        _raises(PermissionDenied, user, Action.CASE_VIEW, case)
        _raises(PermissionDenied, user, Action.CASE_VIEW)


def test_without_a_record_only_the_role_is_checked(users):
    assert require(users[Role.CASE_WORKER], Action.CASE_EDIT) == ROLE
    assert ROLE.via == "role"
    assert require_any(users[Role.SERVICE_PROVIDER], Action.REFERRAL_SEND, Action.REFERRAL_RESPOND) == ROLE
    with pytest.raises(PermissionDenied):
        require_any(users[Role.DATA_ANALYST], Action.REFERRAL_SEND, Action.REFERRAL_RESPOND)
    with pytest.raises(TypeError):
        require(users[Role.CASE_WORKER], Action.CASE_EDIT, section="care")


def test_the_owning_agency_reaches_every_section_and_the_owner_side(users, case):
    worker = users[Role.CASE_WORKER]
    access = require(worker, Action.CASE_EDIT, case, section="consent", owner_side=True)
    assert (access.via, access.sections, access.owner_side) == ("agency", None, True)


def test_another_agency_without_a_share_gets_404(other_users, case):
    for role in (Role.CASE_WORKER, Role.INVESTIGATOR, Role.SERVICE_PROVIDER):
        _raises(NotFound, other_users[role], Action.CASE_VIEW, case)
    _raises(NotFound, other_users[Role.CASE_WORKER], Action.CASE_EDIT, case, section="care")


def test_a_national_viewer_sees_the_case_but_may_not_change_it(other_users, case):
    coordinator = other_users[Role.COORDINATOR]  # case.view national, case.edit agency
    access = require(coordinator, Action.CASE_VIEW, case, section="consent")
    assert (access.via, access.sections) == ("national", None)
    _raises(PermissionDenied, coordinator, Action.CASE_EDIT, case)
    _raises(PermissionDenied, coordinator, Action.CASE_EDIT, case, section="care")
    _raises(PermissionDenied, coordinator, Action.CASE_SCREEN, case, section="status")


def test_a_share_reaches_its_sections_only_and_never_the_owner_side(users, other_users, other_agency, case):
    _share(case, users[Role.CASE_WORKER], other_agency, ["care"])
    investigator = other_users[Role.INVESTIGATOR]  # case.view and case.edit at agency scope
    access = require(investigator, Action.CASE_VIEW, case)
    assert (access.via, access.sections, access.owner_side) == ("share", ("care",), False)
    assert require(investigator, Action.CASE_EDIT, case, section="care").via == "share"
    _raises(NotFound, investigator, Action.CASE_VIEW, case, section="consent")  # a section not shared: 404
    _raises(NotFound, investigator, Action.CASE_EDIT, case, section="consent")
    _raises(PermissionDenied, investigator, Action.CASE_EDIT, case, owner_side=True)  # status, the case team
    provider = other_users[Role.SERVICE_PROVIDER]  # case.view and service.record shared, no case.edit
    assert require(provider, Action.SERVICE_RECORD, case, section="care").via == "share"
    _raises(PermissionDenied, provider, Action.CASE_EDIT, case, section="care")


def test_several_shares_add_up(users, other_users, other_agency, case):
    _share(case, users[Role.CASE_WORKER], other_agency, ["care"])
    _share(case, users[Role.CASE_WORKER], other_agency, ["status"])
    access = require(other_users[Role.SERVICE_PROVIDER], Action.CASE_VIEW, case)
    assert set(access.sections) == {"care", "status"}
    assert access.sections_of(["care", "consent", "status"]) == {"care", "status"}


def test_a_share_without_sections_shows_the_case_and_no_section(users, other_users, other_agency, case):
    _share(case, users[Role.CASE_WORKER], other_agency, [])
    provider = other_users[Role.SERVICE_PROVIDER]
    assert require(provider, Action.CASE_VIEW, case).sections == ()
    _raises(NotFound, provider, Action.CASE_VIEW, case, section="care")


def test_break_glass_reaches_every_section_within_the_role_but_not_the_owner_side(other_users, case):
    worker = other_users[Role.CASE_WORKER]
    account_services.breakglass_open(actor=worker, target_type="cases.case", target_id=case.public_id, reason=REASON)
    access = require(worker, Action.CASE_EDIT, case, section="consent")
    assert (access.via, access.sections, access.owner_side) == ("break_glass", None, False)
    _raises(PermissionDenied, worker, Action.CASE_EDIT, case, owner_side=True)
    # another user of the same agency has no grant: still 404
    other = other_users[Role.INVESTIGATOR]
    _raises(NotFound, other, Action.CASE_VIEW, case)


def test_a_break_glass_grant_on_another_record_gives_nothing(other_users, case):
    worker = other_users[Role.CASE_WORKER]
    account_services.breakglass_open(actor=worker, target_type="cases.case", target_id=uuid.uuid4(), reason=REASON)
    _raises(NotFound, worker, Action.CASE_VIEW, case)


def test_require_reads_shares_and_grants_once(users, other_users, other_agency, case, django_assert_max_num_queries):
    stranger = other_users[Role.PROSECUTOR]
    # the shares, then the break-the-glass grants: nothing, 404
    with django_assert_max_num_queries(2), pytest.raises(NotFound):
        require(stranger, Action.CASE_EDIT, case, section="care")
    _share(case, users[Role.CASE_WORKER], other_agency, ["care"])
    with django_assert_max_num_queries(1):  # the shares, read once for seeing the case and for editing it
        require(other_users[Role.INVESTIGATOR], Action.CASE_EDIT, case, section="care")
    with django_assert_max_num_queries(0):  # the owning agency: the role's scope decides, no query
        require(users[Role.CASE_WORKER], Action.CASE_EDIT, case, section="care", owner_side=True)


def test_pages_answer_as_require_does(users, other_users, other_agency, case, client_for):
    edit = f"/cases/{case.public_id}/edit/"
    consent = f"/cases/{case.public_id}/consent/"
    assert client_for(users[Role.CASE_WORKER]).get(edit).status_code == 200
    assert client_for(users[Role.DATA_ANALYST]).get(edit).status_code == 403  # the role: 403 first
    assert client_for(other_users[Role.CASE_WORKER]).get(edit).status_code == 404  # not visible
    assert client_for(other_users[Role.COORDINATOR]).get(edit).status_code == 403  # visible, not editable
    assert client_for(other_users[Role.COORDINATOR]).post(consent, {}).status_code == 403
    _share(case, users[Role.CASE_WORKER], other_agency, ["care"])
    provider = client_for(other_users[Role.SERVICE_PROVIDER])
    assert provider.get(consent).status_code == 404  # a section not shared
    assert provider.get(f"/cases/{case.public_id}/care/").status_code == 200
