"""Every page: anonymous -> log-in, wrong role -> 403, other agency -> 404 (or nothing of ours), allowed -> the
page; denied requests change nothing. Then the main journeys through the pages."""

import re

import pytest

from ctip.accounts.enums import Role
from ctip.accounts.models import RecordShare
from ctip.audit.models import AuditEvent
from ctip.core.tests.routes import covers
from ctip.referrals.models import Referral, ServiceProvider

VIEW_ROUTES = tuple(
    f"referrals:{name}"
    for name in (
        "index",
        "inbox",
        "outbox",
        "overdue",
        "providers",
        "provider",
        "provider_create",
        "provider_edit",
        "send",
        "detail",
        "accept",
        "decline",
        "start",
        "complete",
        "revoke",
    )
)

pytestmark = pytest.mark.django_db

WRONG_ROLES = (Role.DATA_ANALYST, Role.AUDITOR, Role.SYSADMIN)


@pytest.fixture
def referral(send):
    return send()


def _urls(referral, shelter, case):
    r, p, c = referral.public_id, shelter.public_id, case.public_id
    return {
        "index": ("get", "/referrals/"),
        "inbox": ("get", "/referrals/inbox/"),
        "outbox": ("get", "/referrals/outbox/"),
        "overdue": ("get", "/referrals/overdue/"),
        "providers": ("get", "/referrals/providers/"),
        "provider": ("get", f"/referrals/providers/{p}/"),
        "provider_create": ("post", "/referrals/providers/new/"),
        "provider_edit": ("post", f"/referrals/providers/{p}/edit/"),
        "send": ("post", f"/referrals/new/{c}/"),
        "detail": ("get", f"/referrals/{r}/"),
        "accept": ("post", f"/referrals/{r}/accept/"),
        "decline": ("post", f"/referrals/{r}/decline/"),
        "start": ("post", f"/referrals/{r}/start/"),
        "complete": ("post", f"/referrals/{r}/complete/"),
        "revoke": ("post", f"/referrals/{r}/revoke/"),
    }


ALL = [
    "index",
    "inbox",
    "outbox",
    "overdue",
    "providers",
    "provider",
    "provider_create",
    "provider_edit",
    "send",
    "detail",
    "accept",
    "decline",
    "start",
    "complete",
    "revoke",
]
POST_DATA = {
    "reason": "Because of a test",
    "service_type": "psychosocial",
    "provider": "",
    "sections": ["care"],
    "services": ["shelter"],
    "national": "on",
    "shelter_capacity": "9",
    "accepts_children": "on",
    "accepts_adults": "on",
    "accepts_sex": "any",
    "is_active": "on",
    "version": "1",
}


def _snapshot(referral, shelter):
    referral.refresh_from_db()
    shelter.refresh_from_db()
    return (
        referral.status,
        referral.version,
        shelter.version,
        shelter.shelter_capacity,
        Referral.objects.count(),
        ServiceProvider.objects.count(),
        RecordShare.objects.filter(revoked_at__isnull=True).count(),
    )


@covers("anonymous", *VIEW_ROUTES)
@pytest.mark.parametrize("name", ALL)
def test_anonymous_is_sent_to_login(client, referral, shelter, case, name):
    method, url = _urls(referral, shelter, case)[name]
    before = _snapshot(referral, shelter)
    response = getattr(client, method)(url, POST_DATA)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert _snapshot(referral, shelter) == before


@covers("wrong_role", *VIEW_ROUTES)
@pytest.mark.parametrize("name", ALL)
def test_roles_without_the_action_get_403_and_change_nothing(users, client_for, referral, shelter, case, name):
    method, url = _urls(referral, shelter, case)[name]
    before = _snapshot(referral, shelter)
    for role in WRONG_ROLES:
        response = getattr(client_for(users[role]), method)(url, POST_DATA)
        assert response.status_code == 403, (role, name)
    assert _snapshot(referral, shelter) == before


# Pages bound to one record answer 404 to another agency; its own lists are simply empty of our records; the
# directory is shared by all referring and providing agencies (it holds organisations, not victims), but only its
# own entry may be edited.
OTHER_AGENCY = {
    "detail": 404,
    "accept": 404,
    "decline": 404,
    "start": 404,
    "complete": 404,
    "revoke": 404,
    "send": 404,
    "provider_edit": 403,
}


@covers("other_agency", *(f"referrals:{name}" for name in OTHER_AGENCY))
@pytest.mark.parametrize("name", list(OTHER_AGENCY))
@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.SERVICE_PROVIDER])
def test_other_agency_is_refused_and_changes_nothing(other_users, client_for, referral, shelter, case, name, role):
    method, url = _urls(referral, shelter, case)[name]
    user = other_users[role]
    before = _snapshot(referral, shelter)
    response = getattr(client_for(user), method)(url, POST_DATA)
    expected = OTHER_AGENCY[name]
    if name in ("send", "revoke") and role == Role.SERVICE_PROVIDER:
        expected = 403  # a provider officer may never send or revoke
    assert response.status_code == expected, (name, role)
    assert _snapshot(referral, shelter) == before


@covers("other_agency", "referrals:inbox", "referrals:outbox", "referrals:overdue")
def test_other_agency_lists_do_not_show_our_referrals(other_users, client_for, referral):
    c = client_for(other_users[Role.CASE_WORKER])
    for url in ("/referrals/inbox/", "/referrals/outbox/", "/referrals/overdue/"):
        response = c.get(url)
        assert response.status_code == 200 and referral.reference not in response.content.decode()


def test_sender_side_cannot_answer_and_recipient_side_cannot_revoke(client_for, sender, recipient, referral):
    before = referral.version
    assert client_for(sender).post(f"/referrals/{referral.public_id}/accept/").status_code == 403
    assert client_for(recipient).post(f"/referrals/{referral.public_id}/revoke/", {"reason": "x"}).status_code == 403
    referral.refresh_from_db()
    assert referral.version == before and referral.status == "sent"


def test_recipient_cannot_send_a_shared_case_on(client_for, shelter_users, referral, case):
    # the provider's case worker may send referrals of their own cases, not of a case only shared with them
    response = client_for(shelter_users[Role.CASE_WORKER]).post(f"/referrals/new/{case.public_id}/", POST_DATA)
    assert response.status_code == 403
    assert Referral.objects.count() == 1


# --- allowed -------------------------------------------------------------------------------------------------------


@covers(
    "allowed",
    "referrals:inbox",
    "referrals:outbox",
    "referrals:overdue",
    "referrals:providers",
    "referrals:provider",
    "referrals:send",
    "referrals:detail",
)
def test_allowed_pages(client_for, sender, recipient, users, referral, shelter, case):
    s, r = client_for(sender), client_for(recipient)
    assert s.get("/referrals/").url == "/referrals/outbox/"
    assert r.get("/referrals/").url == "/referrals/inbox/"
    assert referral.reference in s.get("/referrals/outbox/").content.decode()
    assert referral.reference in r.get("/referrals/inbox/").content.decode()
    assert s.get("/referrals/overdue/").status_code == 200
    listing = s.get("/referrals/providers/?service=shelter&county=047")
    assert listing.status_code == 200 and "SAFEHOUSE" in listing.content.decode()
    assert "2 of 2" in listing.content.decode()
    assert s.get(f"/referrals/providers/{shelter.public_id}/").status_code == 200
    assert s.get(f"/referrals/new/{case.public_id}/?service=shelter").status_code == 200
    for client in (s, r, client_for(users[Role.COORDINATOR])):
        assert client.get(f"/referrals/{referral.public_id}/").status_code == 200
    # the hotline may consult the directory to point callers to help
    assert client_for(users[Role.HOTLINE_OPERATOR]).get("/referrals/providers/").status_code == 200


def test_detail_shows_the_notes_only_on_request_and_logs_the_read(client_for, recipient, referral):
    c = client_for(recipient)
    page = c.get(f"/referrals/{referral.public_id}/").content.decode()
    assert "Achieng" not in page
    assert not AuditEvent.objects.filter(action="referral.read_sensitive").exists()
    page = c.get(f"/referrals/{referral.public_id}/?show=text").content.decode()
    assert "Achieng Otieno" in page
    assert AuditEvent.objects.filter(action="referral.read_sensitive", actor=recipient).count() == 1


def test_send_journey(client_for, sender, case, shelter, consent):
    c = client_for(sender)
    page = c.get(f"/referrals/new/{case.public_id}/?service=shelter")
    html = page.content.decode()
    assert "SAFEHOUSE" in html and "2 beds free" in html
    assert re.search(r'value="care"[^>]*checked', html)  # the suggested minimum for shelter
    assert not re.search(r'value="identity"[^>]*checked', html)  # identity only when ticked
    response = c.post(
        f"/referrals/new/{case.public_id}/",
        {"service_type": "shelter", "provider": str(shelter.public_id), "sections": ["care"], "notes": ""},
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == f"/referrals/{referral.public_id}/"
    assert referral.sections == ["care"] and referral.sent_by == sender


def test_send_without_consent_shows_override_field_and_needs_a_reason(client_for, sender, case, shelter):
    c = client_for(sender)
    html = c.get(f"/referrals/new/{case.public_id}/?service=shelter").content.decode()
    assert "override_reason" in html
    data = {"service_type": "shelter", "provider": str(shelter.public_id), "sections": ["care"]}
    assert c.post(f"/referrals/new/{case.public_id}/", data).status_code == 200
    assert Referral.objects.count() == 0
    data["override_reason"] = "Immediate danger: the trafficker knows where she sleeps"
    assert c.post(f"/referrals/new/{case.public_id}/", data).status_code == 302
    assert Referral.objects.get().consent_override
    assert AuditEvent.objects.filter(action="consent.override").count() == 1


def test_send_without_consent_is_blocked_for_roles_that_cannot_override(client_for, users, case, shelter):
    c = client_for(users[Role.INVESTIGATOR])
    html = c.get(f"/referrals/new/{case.public_id}/?service=shelter").content.decode()
    assert "Send referral" not in html and "cannot share without it" in html
    data = {"service_type": "shelter", "provider": str(shelter.public_id), "sections": ["care"]}
    response = c.post(f"/referrals/new/{case.public_id}/", data)
    assert response.status_code == 200 and Referral.objects.count() == 0


@covers("allowed", "referrals:accept", "referrals:start", "referrals:complete")
def test_transition_journey(client_for, recipient, sender, referral):
    r = client_for(recipient)
    url = f"/referrals/{referral.public_id}/"
    html = r.get(url).content.decode()
    assert f"{url}accept/" in html and f"{url}decline/" in html and f"{url}revoke/" not in html
    assert r.post(f"{url}accept/", {"version": referral.version}).status_code == 302
    assert r.post(f"{url}start/").status_code == 302
    assert r.post(f"{url}complete/", {"note": "Done"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "completed"
    # an invalid move is refused with a message, nothing changes
    response = r.post(f"{url}accept/", follow=True)
    assert "cannot become" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "completed"


def test_decline_needs_a_reason_on_the_page(client_for, recipient, referral):
    r = client_for(recipient)
    r.post(f"/referrals/{referral.public_id}/decline/", {"reason": ""})
    referral.refresh_from_db()
    assert referral.status == "sent"
    r.post(f"/referrals/{referral.public_id}/decline/", {"reason": "No bed for a boy"})
    referral.refresh_from_db()
    assert referral.status == "declined"


def test_revoke_from_the_page(client_for, sender, referral):
    c = client_for(sender)
    html = c.get(f"/referrals/{referral.public_id}/").content.decode()
    assert "/revoke/" in html and "/accept/" not in html
    c.post(f"/referrals/{referral.public_id}/revoke/", {"reason": "Moved to another county"})
    referral.refresh_from_db()
    assert referral.status == "revoked"


# --- the directory pages ---------------------------------------------------------------------------------------


def test_coordinator_adds_and_edits_any_provider(client_for, users, make_user, system_actor):
    from ctip.accounts.services import agency_create

    clinic = agency_create(actor=system_actor, name="Test Clinic", short_name="CLINIC", agency_type="health")
    c = client_for(users[Role.COORDINATOR])
    response = c.post(
        "/referrals/providers/new/",
        {**POST_DATA, "agency": str(clinic.public_id), "services": ["medical"], "languages": "English, Somali"},
    )
    provider = ServiceProvider.objects.get(agency=clinic)
    assert response.status_code == 302 and provider.languages == ["English", "Somali"]
    assert provider.shelter_capacity == 0  # no shelter offered: no beds
    response = c.post(
        f"/referrals/providers/{provider.public_id}/edit/",
        {**POST_DATA, "services": ["medical", "psychosocial"], "version": provider.version},
    )
    assert response.status_code == 302
    assert sorted(provider.offered.values_list("service_type", flat=True)) == ["medical", "psychosocial"]
    assert AuditEvent.objects.filter(action="provider.update", target_id=str(provider.public_id)).exists()


def test_provider_officer_edits_only_their_own_entry(client_for, recipient, shelter, other_users, system_actor):
    c = client_for(recipient)
    assert c.get(f"/referrals/providers/{shelter.public_id}/edit/").status_code == 200
    response = c.post(
        f"/referrals/providers/{shelter.public_id}/edit/",
        {**POST_DATA, "services": ["shelter"], "shelter_capacity": "5", "version": shelter.version},
    )
    assert response.status_code == 302
    shelter.refresh_from_db()
    assert shelter.shelter_capacity == 5
    # their agency already has an entry: "add" leads to editing it
    assert c.get("/referrals/providers/new/").url == f"/referrals/providers/{shelter.public_id}/edit/"


def test_stale_edit_is_refused(client_for, users, shelter):
    c = client_for(users[Role.COORDINATOR])
    response = c.post(
        f"/referrals/providers/{shelter.public_id}/edit/",
        {**POST_DATA, "services": ["shelter"], "shelter_capacity": "7", "version": shelter.version + 5},
    )
    assert response.status_code == 200
    shelter.refresh_from_db()
    assert shelter.shelter_capacity == 2


def test_list_pages_query_counts_do_not_grow_with_rows(client_for, sender, recipient, send, make_person, shelter):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ctip.cases.tests.factories import open_case

    from .conftest import give_consent

    def count(client, url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    send()
    pages = ["/referrals/inbox/", "/referrals/outbox/", "/referrals/providers/"]
    s, r = client_for(sender), client_for(recipient)
    before = {url: count(r if "inbox" in url else s, url) for url in pages}
    for name in ("Wanjiku", "Njeri", "Akinyi"):
        other = open_case(sender, make_person, first_name=name)
        give_consent(sender, other)
        send(on_case=other)
    after = {url: count(r if "inbox" in url else s, url) for url in pages}
    assert after == before


def test_one_service_control_and_a_plain_error_for_a_provider_without_the_service(client_for, sender, case, shelter):
    """The service is chosen once (the list of providers follows it); the form carries it hidden. A provider that
    does not offer the service posted is refused in words, never as 'Select a valid choice. <uuid> ...'."""
    c = client_for(sender)
    html = c.get(f"/referrals/new/{case.public_id}/").content.decode()
    assert "Choose the service needed to see the providers who offer it." in html
    assert 'name="provider"' not in html  # no provider list before the service is known
    html = c.get(f"/referrals/new/{case.public_id}/?service=shelter").content.decode()
    assert html.count(">Service needed<") == 1 and 'type="hidden" name="service_type" value="shelter"' in html
    response = c.post(
        f"/referrals/new/{case.public_id}/",
        {"service_type": "legal_aid", "provider": str(shelter.public_id), "sections": ["care"], "override_reason": "x"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and Referral.objects.count() == 0
    assert "does not offer the service needed" in page and str(shelter.public_id) not in page.split("alert")[1]
    assert "Select a valid choice" not in page


def test_the_sender_can_revoke_right_after_sending(client_for, sender, case, shelter, consent):
    c = client_for(sender)
    data = {"service_type": "shelter", "provider": str(shelter.public_id), "sections": ["care"], "notes": ""}
    page = c.post(f"/referrals/new/{case.public_id}/", data, follow=True).content.decode()
    referral = Referral.objects.get()
    assert f'action="/referrals/{referral.public_id}/revoke/"' in page


def test_new_referrals_wait_in_the_providers_my_tasks_until_answered(client_for, recipient, sender, referral):
    """A provider's officer finds a new referral in My tasks (not only once it is overdue); the sender does not
    get it as a task to answer; once accepted it leaves the list, and the landing count follows."""
    from ctip.portal.selectors import my_tasks, task_count

    assert [r.pk for r in my_tasks(user=recipient)["referrals_to_answer"]] == [referral.pk]
    assert my_tasks(user=sender)["referrals_to_answer"] == []
    before = task_count(user=recipient)
    page = client_for(recipient).get("/tasks/").content.decode()
    assert "New referrals to accept or decline" in page and f"/referrals/{referral.public_id}/" in page
    assert (
        client_for(recipient)
        .post(f"/referrals/{referral.public_id}/accept/", {"version": referral.version})
        .status_code
        == 302
    )
    assert my_tasks(user=recipient)["referrals_to_answer"] == []
    assert task_count(user=recipient) == before - 1
