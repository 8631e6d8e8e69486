"""Break-the-glass (open with a reason, then review) and record shares (grant, revoke), through the services, the
access rules that honour them, and the pages that use them."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ctip.accounts import services
from ctip.accounts.access import allowed_ids, record_access, visible_q
from ctip.accounts.enums import BreakGlassReview, Role
from ctip.accounts.models import BreakGlassGrant, RecordShare
from ctip.accounts.roles import Action
from ctip.core.errors import Conflict, PermissionDenied, ValidationFailed

from .helpers import ALL_ROLES, audit_actions, last_event

pytestmark = pytest.mark.django_db

TARGET = "people.person"
REASON = "Child found alone at Namanga border post; need family contacts"
BREAKGLASS_USERS = {
    Role.COORDINATOR,
    Role.INVESTIGATOR,
    Role.PROSECUTOR,
    Role.CASE_WORKER,
    Role.LABOUR_OFFICER,
    Role.IMMIGRATION_OFFICER,
    Role.CONSULAR_OFFICER,
}


def _access(user, record_id, owner_id, action=Action.PERSON_VIEW_IDENTITY):
    return record_access(user, action, TARGET, public_id=record_id, owning_agency_id=owner_id)


# --- break the glass: open -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_breakglass_open_by_role(other_users, users, agency, role):
    actor = other_users.get(role) or users[role]  # the system administrator has no agency
    record_id = uuid.uuid4()
    if role in BREAKGLASS_USERS:
        grant = services.breakglass_open(actor=actor, target_type=TARGET, target_id=record_id, reason=REASON)
        assert grant.user == actor and grant.agency_id == actor.agency_id
        assert grant.review_status == BreakGlassReview.PENDING
        assert timedelta(hours=3, minutes=59) < grant.expires_at - timezone.now() <= timedelta(hours=4)
        access = _access(actor, record_id, agency.pk)
        assert access.allowed and access.via == "break_glass"
        event = last_event("breakglass.open")
        assert event.actor == actor and event.target_id == str(record_id) and event.reason == REASON
    else:
        with pytest.raises(PermissionDenied):
            services.breakglass_open(actor=actor, target_type=TARGET, target_id=record_id, reason=REASON)
        assert not BreakGlassGrant.objects.exists()
        assert last_event("breakglass.open") is None


@pytest.mark.parametrize("reason", ["", "   ", "need it now", " " * 20 + "short"])
def test_breakglass_needs_a_real_reason(other_users, reason):
    with pytest.raises(ValidationFailed) as exc:
        services.breakglass_open(
            actor=other_users[Role.INVESTIGATOR], target_type=TARGET, target_id=uuid.uuid4(), reason=reason
        )
    assert "reason" in exc.value.fields
    assert not BreakGlassGrant.objects.exists()


def test_breakglass_access_is_personal_and_expires(other_users, agency):
    opener, colleague = other_users[Role.INVESTIGATOR], other_users[Role.CASE_WORKER]
    record_id = uuid.uuid4()
    grant = services.breakglass_open(actor=opener, target_type=TARGET, target_id=record_id, reason=REASON)
    assert _access(opener, record_id, agency.pk).allowed
    # a colleague in the same agency gets nothing from it
    assert not _access(colleague, record_id, agency.pk).allowed
    # another record of the same type is not opened
    assert not _access(opener, uuid.uuid4(), agency.pk).allowed
    # after it expires, access ends
    BreakGlassGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not _access(opener, record_id, agency.pk).allowed


# --- break the glass: review ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_breakglass_review_by_role(users, grant, role):
    reviewer = users[role]
    if role in {Role.COORDINATOR, Role.AUDITOR}:
        reviewed = services.breakglass_review(
            actor=reviewer, grant=grant, outcome=BreakGlassReview.UNJUSTIFIED, note=" Not an emergency "
        )
        assert reviewed.review_status == BreakGlassReview.UNJUSTIFIED
        assert reviewed.reviewed_by == reviewer and reviewed.reviewed_at is not None
        assert reviewed.review_note == "Not an emergency"
        event = last_event("breakglass.review")
        assert event.actor == reviewer
        assert event.changes == {"outcome": "unjustified", "grant": str(grant.public_id)}
    else:
        with pytest.raises(PermissionDenied):
            services.breakglass_review(actor=reviewer, grant=grant, outcome=BreakGlassReview.JUSTIFIED)
        grant.refresh_from_db()
        assert grant.review_status == BreakGlassReview.PENDING


def test_nobody_reviews_their_own_access(users):
    coordinator = users[Role.COORDINATOR]
    own = services.breakglass_open(actor=coordinator, target_type=TARGET, target_id=uuid.uuid4(), reason=REASON)
    with pytest.raises(PermissionDenied):
        services.breakglass_review(actor=coordinator, grant=own, outcome=BreakGlassReview.JUSTIFIED)
    own.refresh_from_db()
    assert own.review_status == BreakGlassReview.PENDING


def test_review_outcome_must_be_a_decision(users, grant):
    with pytest.raises(ValidationFailed) as exc:
        services.breakglass_review(actor=users[Role.AUDITOR], grant=grant, outcome=BreakGlassReview.PENDING)
    assert "outcome" in exc.value.fields


def test_review_happens_once(users, grant):
    services.breakglass_review(actor=users[Role.AUDITOR], grant=grant, outcome=BreakGlassReview.JUSTIFIED)
    with pytest.raises(Conflict):
        services.breakglass_review(actor=users[Role.COORDINATOR], grant=grant, outcome=BreakGlassReview.UNJUSTIFIED)
    grant.refresh_from_db()
    assert grant.review_status == BreakGlassReview.JUSTIFIED and grant.reviewed_by == users[Role.AUDITOR]
    assert audit_actions(action="breakglass.review") == ["breakglass.review"]


def test_review_page_refuses_own_access_with_a_message(users, client_for):
    coordinator = users[Role.COORDINATOR]
    own = services.breakglass_open(actor=coordinator, target_type=TARGET, target_id=uuid.uuid4(), reason=REASON)
    url = reverse("accounts:breakglass_review", kwargs={"public_id": own.public_id})
    response = client_for(coordinator).post(url, {"outcome": BreakGlassReview.JUSTIFIED})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    own.refresh_from_db()
    assert own.review_status == BreakGlassReview.PENDING


def test_review_page_requires_an_outcome(users, grant, client_for):
    url = reverse("accounts:breakglass_review", kwargs={"public_id": grant.public_id})
    response = client_for(users[Role.AUDITOR]).post(url, {"outcome": "pending", "note": "x"})
    assert response.status_code == 200 and response.context["form"].errors["outcome"]
    grant.refresh_from_db()
    assert grant.review_status == BreakGlassReview.PENDING


def test_reviewed_grant_leaves_the_pending_list(users, grant, client_for):
    client = client_for(users[Role.AUDITOR])
    assert client.get(reverse("accounts:breakglass_list")).context["page"].object_list == [grant]
    client.post(
        reverse("accounts:breakglass_review", kwargs={"public_id": grant.public_id}),
        {"outcome": BreakGlassReview.JUSTIFIED},
    )
    assert client.get(reverse("accounts:breakglass_list")).context["page"].object_list == []
    reviewed = client.get(reverse("accounts:breakglass_list"), {"status": "justified"}).context["page"]
    assert [g.public_id for g in reviewed] == [grant.public_id]


def test_breakglass_end_to_end_through_the_pages(users, other_users, client_for, make_person):
    # given a person owned by the home agency
    person = make_person(users[Role.CASE_WORKER], first_name="Zawadikwe", last_name="Mwangangiyo")
    outsider = other_users[Role.INVESTIGATOR]
    client = client_for(outsider)
    detail = reverse("people:detail", kwargs={"public_id": person.public_id})
    # the outsider sees only the restricted page, with no identity
    restricted = client.get(detail)
    assert restricted.status_code == 403 and "Zawadikwe" not in restricted.content.decode()
    # a too-short reason is refused
    glass = reverse("people:break_glass", kwargs={"public_id": person.public_id})
    assert client.post(glass, {"reason": "urgent"}).status_code == 400
    assert not BreakGlassGrant.objects.exists()
    # a proper reason opens it
    opened = client.post(glass, {"reason": REASON})
    assert opened.status_code == 302 and opened["Location"] == detail
    page = client.get(detail)
    assert page.status_code == 200 and "Zawadikwe" in page.content.decode()
    assert page.context["access"].via == "break_glass"
    # and the coordinator reviews it on the accounts page
    grant = BreakGlassGrant.objects.get(user=outsider)
    reviewer = client_for(users[Role.COORDINATOR])
    listed = reviewer.get(reverse("accounts:breakglass_list"))
    assert [g.public_id for g in listed.context["page"]] == [grant.public_id]
    reviewed = reviewer.post(
        reverse("accounts:breakglass_review", kwargs={"public_id": grant.public_id}),
        {"outcome": BreakGlassReview.JUSTIFIED, "note": "Confirmed with the border post"},
    )
    assert reviewed.status_code == 302
    grant.refresh_from_db()
    assert grant.review_status == BreakGlassReview.JUSTIFIED


# --- shares --------------------------------------------------------------------------------------


def _share(actor, record_id, owner, to, **kw):
    return services.share_grant(
        actor=actor,
        target_type=TARGET,
        target_id=record_id,
        owning_agency_id=owner.pk,
        agency=to,
        sections=kw.pop("sections", ["identity"]),
        reason=kw.pop("reason", "Referred for shelter"),
        **kw,
    )


def test_share_grant_opens_the_record_to_the_other_agency(users, other_users, agency, other_agency):
    record_id = uuid.uuid4()
    outsider = other_users[Role.CASE_WORKER]
    assert not _access(outsider, record_id, agency.pk).allowed
    share = _share(users[Role.CASE_WORKER], record_id, agency, other_agency, sections=["identity", "care"])
    access = _access(outsider, record_id, agency.pk)
    assert access.allowed and access.via == "share" and access.sections == ("identity", "care")
    # a service provider (shared scope only) in that agency sees it too
    assert _access(other_users[Role.SERVICE_PROVIDER], record_id, agency.pk).via == "share"
    # roles without identity rights gain none from a share
    assert not _access(other_users[Role.DATA_ANALYST], record_id, agency.pk).allowed
    assert not _access(other_users[Role.HOTLINE_OPERATOR], record_id, agency.pk).allowed
    # the share is recorded and audited
    assert share.granted_by == users[Role.CASE_WORKER] and share.reason == "Referred for shelter"
    event = last_event("share.grant")
    assert event.actor == users[Role.CASE_WORKER] and event.target_id == str(record_id)
    assert event.changes == {"agency": other_agency.pk, "sections": ["identity", "care"]}


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != Role.SYSADMIN])
def test_share_grant_by_role(users, agency, other_agency, role):
    record_id = uuid.uuid4()
    actor = users[role]
    if role in BREAKGLASS_USERS:  # the frontline roles hold share rights
        _share(actor, record_id, agency, other_agency)
        assert RecordShare.objects.filter(target_id=record_id).count() == 1
    else:
        with pytest.raises(PermissionDenied):
            _share(actor, record_id, agency, other_agency)
        assert not RecordShare.objects.exists()


def test_only_the_owning_agency_may_share(users, other_users, agency, other_agency):
    with pytest.raises(PermissionDenied):
        _share(other_users[Role.COORDINATOR], uuid.uuid4(), agency, other_agency)
    with pytest.raises(PermissionDenied):
        _share(users[Role.SYSADMIN], uuid.uuid4(), agency, other_agency)
    assert not RecordShare.objects.exists()
    assert last_event("share.grant") is None


def test_share_needs_a_reason(users, agency, other_agency):
    with pytest.raises(ValidationFailed) as exc:
        _share(users[Role.CASE_WORKER], uuid.uuid4(), agency, other_agency, reason="   ")
    assert "reason" in exc.value.fields
    assert not RecordShare.objects.exists()


def test_share_revoke(users, other_users, agency, other_agency):
    record_id = uuid.uuid4()
    share = _share(users[Role.CASE_WORKER], record_id, agency, other_agency)
    revoker = users[Role.INVESTIGATOR]  # any share-granting user of the owning agency
    revoked = services.share_revoke(actor=revoker, share=share, owning_agency_id=agency.pk, reason="Case closed")
    assert revoked.revoked_at is not None and revoked.revoked_by == revoker
    assert not _access(other_users[Role.CASE_WORKER], record_id, agency.pk).allowed
    event = last_event("share.revoke")
    assert event.actor == revoker and event.reason == "Case closed" and event.changes == {"agency": other_agency.pk}
    # revoking again changes nothing and is not audited twice
    again = services.share_revoke(actor=revoker, share=share, owning_agency_id=agency.pk)
    assert again.revoked_at == revoked.revoked_at
    assert audit_actions(action="share.revoke") == ["share.revoke"]


def test_share_revoke_refused_outside_the_owning_agency(users, other_users, agency, other_agency):
    record_id = uuid.uuid4()
    share = _share(users[Role.CASE_WORKER], record_id, agency, other_agency)
    for actor in (other_users[Role.CASE_WORKER], users[Role.DATA_ANALYST], users[Role.SYSADMIN]):
        with pytest.raises(PermissionDenied):
            services.share_revoke(actor=actor, share=share, owning_agency_id=agency.pk)
    share.refresh_from_db()
    assert share.revoked_at is None
    assert _access(other_users[Role.CASE_WORKER], record_id, agency.pk).allowed


def test_expired_share_gives_no_access(users, other_users, agency, other_agency):
    record_id = uuid.uuid4()
    _share(
        users[Role.CASE_WORKER],
        record_id,
        agency,
        other_agency,
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    assert not _access(other_users[Role.CASE_WORKER], record_id, agency.pk).allowed


def test_list_filters_agree_with_record_access(users, other_users, agency, other_agency, make_person):
    from ctip.people.models import Person

    home_a = make_person(users[Role.CASE_WORKER], first_name="Amani", last_name="Kiprop")
    home_b = make_person(users[Role.CASE_WORKER], first_name="Baraka", last_name="Odhiambo")
    theirs = make_person(other_users[Role.CASE_WORKER], first_name="Chausiku", last_name="Wekesa")
    outsider = other_users[Role.CASE_WORKER]
    _share(users[Role.CASE_WORKER], home_a.public_id, agency, other_agency)

    def visible(user):
        q = visible_q(user, Action.PERSON_VIEW, TARGET)
        return set() if q is None else set(Person.objects.filter(q).values_list("public_id", flat=True))

    everyone = [home_a, home_b, theirs]
    assert visible(outsider) == {home_a.public_id, theirs.public_id}
    assert allowed_ids(outsider, Action.PERSON_VIEW, TARGET, everyone) == {home_a.public_id, theirs.public_id}
    assert visible(users[Role.CASE_WORKER]) == {home_a.public_id, home_b.public_id}
    assert visible(other_users[Role.SERVICE_PROVIDER]) == {home_a.public_id}  # shares only, not its own agency
    assert visible(users[Role.COORDINATOR]) == {p.public_id for p in everyone}  # national
    assert visible(users[Role.AUDITOR]) == set()


def test_shared_person_page_opens_for_the_other_agency(
    users, other_users, agency, other_agency, client_for, make_person
):
    person = make_person(users[Role.CASE_WORKER], first_name="Zawadikwe", last_name="Mwangangiyo")
    client = client_for(other_users[Role.CASE_WORKER])
    detail = reverse("people:detail", kwargs={"public_id": person.public_id})
    assert client.get(detail).status_code == 403
    share = _share(users[Role.CASE_WORKER], person.public_id, agency, other_agency)
    page = client.get(detail)
    assert page.status_code == 200 and page.context["access"].via == "share"
    assert page.context["can_edit"] is False  # a share lets them read, not edit
    services.share_revoke(actor=users[Role.CASE_WORKER], share=share, owning_agency_id=agency.pk)
    assert client.get(detail).status_code == 403


def test_deactivated_user_loses_all_access(users, agency, system_actor):
    record_id = uuid.uuid4()
    worker = users[Role.CASE_WORKER]
    assert _access(worker, record_id, agency.pk).via == "agency"
    services.user_set_active(actor=system_actor, user=worker, active=False)
    worker.refresh_from_db()
    assert not _access(worker, record_id, agency.pk).allowed
    assert visible_q(worker, Action.PERSON_VIEW, TARGET) is None


def test_granted_records_are_the_same_inline_or_as_subqueries(users, other_users, agency, other_agency, monkeypatch):
    """Shared ids are put in the query as a list; past the limit, as sub-selects. Both find the same records."""
    from ctip.accounts import access as access_module
    from ctip.people.models import Person

    owner = users[Role.CASE_WORKER]
    persons = []
    for i in range(3):
        person = Person.objects.create(owning_agency=agency, created_by=owner, first_name=f"sealed-{i}")
        persons.append(person)
    for person in persons[:2]:
        _share(owner, person.public_id, agency, other_agency, sections=["identity"])
    outsider = other_users[Role.CASE_WORKER]
    inline = set(Person.objects.filter(access_module.granted_q(outsider, TARGET)).values_list("pk", flat=True))
    monkeypatch.setattr(access_module, "GRANTED_INLINE_LIMIT", 1)
    as_subquery = access_module.granted_q(outsider, TARGET)
    assert "SELECT" in str(Person.objects.filter(as_subquery).query)
    assert set(Person.objects.filter(as_subquery).values_list("pk", flat=True)) == inline == {p.pk for p in persons[:2]}
