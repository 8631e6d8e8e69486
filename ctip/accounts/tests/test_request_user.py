"""The request's user in one query (ctip.accounts.request_user) and the access grants read once per read-only
request (ctip.accounts.access.request_grants): fewer queries, the same sessions, second factor and access."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctip.accounts.access import memoise_request_grants, record_access, request_grants
from ctip.accounts.enums import Role
from ctip.accounts.roles import Action
from ctip.core.tests.querycount import page_queries
from ctip.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_user_agency_device_and_unread_count_in_one_query(users, client_for):
    worker = users[Role.CASE_WORKER]
    assert worker.mfa_required
    client = client_for(worker)
    for _ in range(2):
        notify(users=[worker], kind="account.mfa_enrolled")
    sql = page_queries(client, "/tasks/")
    user_reads = [s for s in sql if '"accounts_user"' in s and "FROM" in s and "WHERE" in s]
    loading = [s for s in user_reads if '"otp_totp_totpdevice"' in s]
    assert len(loading) == 1  # the device, joined to its user and agency, with the unread count
    assert '"accounts_agency"' in loading[0] and '"notifications_notification"' in loading[0]
    assert not [s for s in sql if s.startswith('SELECT "accounts_agency"')]
    assert not [s for s in sql if "notifications_notification" in s and s not in loading]
    body = client.get("/tasks/").content.decode()
    assert '<span class="badge" aria-label="unread">2</span>' in body
    assert worker.agency.name in body or str(worker.agency) in body


def test_user_without_second_factor_in_one_query(users, client_for):
    analyst = next(u for u in users.values() if not u.mfa_required and u.agency_id)
    sql = page_queries(client_for(analyst), "/tasks/")
    assert len([s for s in sql if s.startswith('SELECT "accounts_user"')]) == 1
    assert not [s for s in sql if "otp_totp_totpdevice" in s]


def test_device_deleted_leaves_the_session_unverified(users, client_for):
    worker = users[Role.CASE_WORKER]
    client = client_for(worker)
    assert client.get("/cases/").status_code == 200
    TOTPDevice.objects.filter(user=worker).delete()
    response = client.get("/cases/")
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]
    assert "otp_device_id" not in client.session


def test_device_of_another_user_does_not_verify(users, client_for):
    worker, other = users[Role.CASE_WORKER], users[Role.COORDINATOR]
    theirs, _ = TOTPDevice.objects.get_or_create(user=other, name="default", defaults={"confirmed": True})
    client = Client()
    client.force_login(worker)
    session = client.session
    session["otp_device_id"] = theirs.persistent_id
    session.save()
    response = client.get("/cases/")
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]


def test_unconfirmed_device_does_not_verify(users, client_for):
    worker = users[Role.CASE_WORKER]
    client = client_for(worker)
    TOTPDevice.objects.filter(user=worker).update(confirmed=False)
    response = client.get("/cases/")
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]


def test_deactivated_user_is_logged_out(users, client_for):
    worker = users[Role.CASE_WORKER]
    client = client_for(worker)
    assert client.get("/cases/").status_code == 200
    type(worker).objects.filter(pk=worker.pk).update(is_active=False)
    response = client.get("/cases/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_session_of_the_previous_backend_is_logged_out_once(users):
    """Documented in docs/operations.md: sessions opened before the backend changed sign in again once."""
    worker = users[Role.DATA_ANALYST]
    client = Client()
    client.force_login(worker, backend="ctip.accounts.request_user.RequestUserBackend")
    assert client.get("/tasks/").status_code == 200
    session = client.session
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    response = client.get("/tasks/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


# --- the grants, read once per read-only request ----------------------------------------------------------------


def _share(owner, case, agency):
    from ctip.accounts.services import share_grant

    return share_grant(
        actor=owner,
        target_type="cases.case",
        target_id=case.public_id,
        owning_agency_id=case.owning_agency_id,
        agency=agency,
        sections=["care"],
        reason="shelter referral",
    )


def test_grants_read_once_for_every_decision_of_a_request(users, other_users, django_assert_num_queries):
    from ctip.cases.tests.factories import open_case
    from ctip.core.tests.world import register_person

    owner, reader = users[Role.CASE_WORKER], other_users[Role.CASE_WORKER]
    cases = [open_case(owner, register_person, first_name=f"P{i}") for i in range(3)]
    _share(owner, cases[0], reader.agency)
    memoise_request_grants(reader)
    with django_assert_num_queries(1):
        decided = [
            record_access(
                reader, Action.CASE_VIEW, "cases.case", public_id=c.public_id, owning_agency_id=c.owning_agency_id
            )
            for c in cases
        ]
        request_grants(reader)
    assert [a.allowed for a in decided] == [True, False, False]
    assert decided[0].via == "share" and decided[0].sections == ("care",)


def test_without_the_request_memo_each_decision_reads_the_database(users, other_users):
    """Services and background work (no request user) see a share the moment it exists."""
    from ctip.cases.tests.factories import open_case
    from ctip.core.tests.world import register_person

    owner, reader = users[Role.CASE_WORKER], other_users[Role.CASE_WORKER]
    case = open_case(owner, register_person)
    assert request_grants(reader) is None
    assert not record_access(
        reader, Action.CASE_VIEW, "cases.case", public_id=case.public_id, owning_agency_id=case.owning_agency_id
    ).allowed
    _share(owner, case, reader.agency)
    assert record_access(
        reader, Action.CASE_VIEW, "cases.case", public_id=case.public_id, owning_agency_id=case.owning_agency_id
    ).allowed


def test_break_the_glass_grant_in_the_request_memo(users, other_users):
    from datetime import timedelta

    from django.utils import timezone

    from ctip.accounts.models import BreakGlassGrant
    from ctip.cases.tests.factories import open_case
    from ctip.core.tests.world import register_person

    owner, reader = users[Role.CASE_WORKER], other_users[Role.CASE_WORKER]
    case, expired = open_case(owner, register_person), open_case(owner, register_person, first_name="Old")
    for target, ends in ((case, timezone.now() + timedelta(hours=1)), (expired, timezone.now() - timedelta(minutes=1))):
        BreakGlassGrant.objects.create(
            user=reader,
            agency=reader.agency,
            target_type="cases.case",
            target_id=target.public_id,
            reason="emergency",
            expires_at=ends,
        )
    memoise_request_grants(reader)
    access = record_access(
        reader, Action.CASE_VIEW, "cases.case", public_id=case.public_id, owning_agency_id=case.owning_agency_id
    )
    assert access.allowed and access.via == "break_glass"
    assert not record_access(
        reader, Action.CASE_VIEW, "cases.case", public_id=expired.public_id, owning_agency_id=expired.owning_agency_id
    ).allowed


def test_shared_case_page_and_list_on_a_get(users, other_users, client_for):
    """Through the pages: the shared case is listed and opens for the other agency, an unshared one does not."""
    from ctip.cases.tests.factories import open_case
    from ctip.core.tests.world import register_person

    owner, reader = users[Role.CASE_WORKER], other_users[Role.CASE_WORKER]
    shared, kept = open_case(owner, register_person), open_case(owner, register_person, first_name="Kept")
    _share(owner, shared, reader.agency)
    client = client_for(reader)
    listing = client.get("/cases/").content.decode()
    assert shared.reference in listing and kept.reference not in listing
    assert client.get(f"/cases/{shared.public_id}/").status_code == 200
    assert client.get(f"/cases/{kept.public_id}/").status_code == 404
