"""The service-provider directory: who keeps it, what a valid entry is, and the search."""

import pytest

from ctip.accounts.enums import Role
from ctip.audit.models import AuditEvent
from ctip.core.errors import Conflict, PermissionDenied, ValidationFailed
from ctip.reference.models import County
from ctip.referrals import selectors, services
from ctip.referrals.enums import RESPONSE_TIMES, duration_label, response_time
from ctip.referrals.models import ServiceProvider

pytestmark = pytest.mark.django_db


def test_every_service_has_a_response_time():
    from ctip.cases.enums import ServiceType

    assert set(RESPONSE_TIMES) == set(ServiceType.values)
    assert duration_label(response_time("shelter")) == "24 hours"
    assert duration_label(response_time("legal_aid")) == "7 days"


def test_create_is_audited(shelter):
    event = AuditEvent.objects.get(action="provider.create", target_id=str(shelter.public_id))
    assert event.changes["services"] == ["shelter", "psychosocial"] and event.changes["counties"] == ["047"]


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.INVESTIGATOR, Role.DATA_ANALYST, Role.SYSADMIN])
def test_roles_without_providers_manage_cannot_create(users, shelter_agency, role):
    with pytest.raises(PermissionDenied):
        services.provider_create(actor=users[role], agency=shelter_agency, services=["medical"], national=True)
    assert not ServiceProvider.objects.exists()


def test_a_provider_officer_manages_only_their_own_agency(recipient, shelter_agency, other_agency, other_users):
    with pytest.raises(PermissionDenied):
        services.provider_create(actor=recipient, agency=other_agency, services=["medical"], national=True)
    own = services.provider_create(actor=recipient, agency=shelter_agency, services=["medical"], national=True)
    with pytest.raises(PermissionDenied):
        services.provider_update(
            actor=other_users[Role.SERVICE_PROVIDER], provider=own, expected_version=own.version, phone="1"
        )
    own.refresh_from_db()
    assert own.phone == ""


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"services": []}, "services"),
        ({"services": ["spa"]}, "services"),
        ({"services": ["shelter"], "shelter_capacity": 0}, "shelter_capacity"),
        ({"national": False}, "counties"),
        ({"accepts_children": False, "accepts_adults": False}, "accepts_adults"),
        ({"accepts_sex": "robots"}, "accepts_sex"),
    ],
)
def test_invalid_entries_are_refused(users, shelter_agency, fields, error):
    data = {"services": ["medical"], "national": True, **fields}
    with pytest.raises(ValidationFailed) as err:
        services.provider_create(actor=users[Role.COORDINATOR], agency=shelter_agency, **data)
    assert error in err.value.fields
    assert not ServiceProvider.objects.exists()


def test_one_entry_per_agency(users, shelter):
    with pytest.raises(ValidationFailed):
        services.provider_create(
            actor=users[Role.COORDINATOR], agency=shelter.agency, services=["medical"], national=True
        )


def test_update_checks_the_version_and_records_changes(users, shelter):
    coordinator = users[Role.COORDINATOR]
    with pytest.raises(Conflict):
        services.provider_update(actor=coordinator, provider=shelter, expected_version=99, shelter_capacity=9)
    updated = services.provider_update(
        actor=coordinator, provider=shelter, expected_version=shelter.version, shelter_capacity=9, services=["shelter"]
    )
    assert updated.version == shelter.version + 1 and updated.shelter_capacity == 9
    event = AuditEvent.objects.filter(action="provider.update").latest("id")
    assert event.changes["shelter_capacity"] == [2, 9] and event.changes["services"][1] == ["shelter"]


def test_search_by_county_service_and_name(users, shelter, system_actor, sender):
    from ctip.accounts.services import agency_create

    coordinator = users[Role.COORDINATOR]
    mombasa = County.objects.get(code="001")
    nairobi = County.objects.get(code="047")
    coast = agency_create(actor=system_actor, name="Coast Legal Aid", short_name="CLA", agency_type="legal_aid")
    iom = agency_create(actor=system_actor, name="Migration Org", short_name="MIG", agency_type="international")
    legal = services.provider_create(actor=coordinator, agency=coast, services=["legal_aid"], counties=[mombasa])
    national = services.provider_create(actor=coordinator, agency=iom, services=["repatriation"], national=True)

    def search(**kw):
        return set(selectors.provider_list_for_user(user=sender, filters=selectors.ProviderFilters(**kw)))

    assert search() == {shelter, legal, national}
    assert search(county_id=mombasa.pk) == {legal, national}  # national providers serve every county
    assert search(county_id=nairobi.pk) == {shelter, national}
    assert search(service="legal_aid") == {legal}
    assert search(text="coast") == {legal}
    assert search(beds_free=True) == {shelter}
    services.provider_update(actor=coordinator, provider=legal, expected_version=legal.version, is_active=False)
    assert legal not in search()


def test_directory_is_closed_to_roles_without_referral_work(users, shelter):
    for role in (Role.DATA_ANALYST, Role.AUDITOR, Role.SYSADMIN):
        assert list(selectors.provider_list_for_user(user=users[role])) == []
