"""Every accounts page: anonymous, wrong role, other agency where it matters, and allowed.

The allowed sets are written out here rather than derived from roles.py, so a change to the matrix that opens a
page to more roles makes these tests fail and is a visible decision.
"""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from ctip.accounts.enums import BreakGlassReview, Role
from ctip.accounts.models import Agency, BreakGlassGrant, User
from ctip.core.tests.routes import covers

from .helpers import ALL_ROLES, assert_login_redirect

ANONYMOUS_TO_LOGIN = (
    "accounts:profile",
    "accounts:user_list",
    "accounts:user_create",
    "accounts:user_detail",
    "accounts:agency_list",
    "accounts:agency_create",
    "accounts:agency_edit",
    "accounts:breakglass_list",
    "accounts:breakglass_review",
    "accounts:role_matrix",
)

pytestmark = pytest.mark.django_db

USER_ADMINS = {Role.SYSADMIN}
BREAKGLASS_REVIEWERS = {Role.COORDINATOR, Role.AUDITOR}
AGENCY_ADMINS = {Role.SYSADMIN}


# --- anonymous -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("accounts:profile", {}),
        ("accounts:user_list", {}),
        ("accounts:user_create", {}),
        ("accounts:user_detail", {"public_id": uuid.uuid4()}),
        ("accounts:agency_list", {}),
        ("accounts:agency_create", {}),
        ("accounts:agency_edit", {"public_id": uuid.uuid4()}),
        ("accounts:breakglass_list", {}),
        ("accounts:breakglass_review", {"public_id": uuid.uuid4()}),
        ("accounts:role_matrix", {}),
    ],
)
@covers("anonymous", *ANONYMOUS_TO_LOGIN)
def test_anonymous_is_sent_to_login(client, name, kwargs):
    path = reverse(name, kwargs=kwargs)
    # when / then: GET and POST alike go to the log-in page, with the page to come back to
    assert_login_redirect(client.get(path), path)
    assert_login_redirect(client.post(path, {"op": "deactivate"}), path)


@covers("anonymous", "accounts:mfa_setup", "accounts:mfa_verify")
@pytest.mark.parametrize("name", ["accounts:mfa_setup", "accounts:mfa_verify"])
def test_anonymous_second_factor_pages_go_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")


@covers("anonymous", "accounts:login")
def test_anonymous_sees_login_page(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "form" in response.context and "password" in response.context["form"].fields


def test_anonymous_post_to_users_creates_nothing(client, agency):
    before = User.objects.count()
    client.post(
        reverse("accounts:user_create"),
        {"username": "sneaky", "password": "Another-Strong-Pass-77", "role": Role.CASE_WORKER},
    )
    assert User.objects.count() == before


# --- profile and role matrix: every role ---------------------------------------------------------


@covers("allowed", "accounts:profile")
@pytest.mark.parametrize("role", ALL_ROLES)
def test_profile_shows_the_users_own_account(users, client_for, role):
    user = users[role]
    response = client_for(user).get(reverse("accounts:profile"))
    assert response.status_code == 200
    assert response.context["user"] == user
    body = response.content.decode()
    assert user.username in body
    assert str(Role(role).label) in body
    # nobody else's account is on the page
    other = users[Role.CASE_WORKER if role != Role.CASE_WORKER else Role.INVESTIGATOR]
    assert other.username not in body


@covers("allowed", "accounts:role_matrix")
@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_matrix_is_open_to_every_role(users, client_for, role):
    response = client_for(users[role]).get(reverse("accounts:role_matrix"))
    assert response.status_code == 200
    assert [r["role"] for r in response.context["rows"]] == [r.label for r in Role]
    sysadmin_row = next(r for r in response.context["rows"] if r["role"] == Role.SYSADMIN.label)
    # the system administrator has no access to identity data, and the page says so
    actions = [a for a, _label in response.context["actions"]]
    assert sysadmin_row["cells"][actions.index("person.view_identity")] is None
    assert sysadmin_row["cells"][actions.index("users.manage")] == "national"


# --- user administration -------------------------------------------------------------------------


@covers("wrong_role", "accounts:user_list")
@covers("allowed", "accounts:user_list")
@pytest.mark.parametrize("role", ALL_ROLES)
def test_user_list_only_for_user_admins(users, other_users, client_for, role):
    response = client_for(users[role]).get(reverse("accounts:user_list"))
    if role in USER_ADMINS:
        assert response.status_code == 200
        listed = {u.username for u in response.context["page"]}
        # national scope: both agencies' users are listed
        assert users[Role.CASE_WORKER].username in listed
        assert other_users[Role.CASE_WORKER].username in listed
    else:
        assert response.status_code == 403
        assert other_users[Role.CASE_WORKER].username not in response.content.decode()


def test_user_list_filters(users, other_users, other_agency, client_for):
    client = client_for(users[Role.SYSADMIN])
    by_agency = client.get(reverse("accounts:user_list"), {"agency": str(other_agency.public_id)})
    names = {u.username for u in by_agency.context["page"]}
    assert names == {u.username for u in other_users.values()}
    by_role = client.get(reverse("accounts:user_list"), {"role": Role.AUDITOR})
    assert {u.role for u in by_role.context["page"]} == {Role.AUDITOR}
    by_q = client.get(reverse("accounts:user_list"), {"q": "x2-case"})
    assert [u.username for u in by_q.context["page"]] == ["x2-case_worker"]
    # a bad agency id is ignored, not a crash
    assert client.get(reverse("accounts:user_list"), {"agency": "not-a-uuid"}).status_code == 200


@covers("wrong_role", "accounts:user_create")
@covers("allowed", "accounts:user_create")
@pytest.mark.parametrize("role", ALL_ROLES)
def test_user_create_page_only_for_user_admins(users, agency, client_for, role):
    client = client_for(users[role])
    before = User.objects.count()
    get = client.get(reverse("accounts:user_create"))
    post = client.post(
        reverse("accounts:user_create"),
        {
            "username": f"new-by-{role}",
            "password": "Another-Strong-Pass-77",
            "role": Role.CASE_WORKER,
            "agency": str(agency.public_id),
            "preferred_language": "en",
        },
    )
    if role in USER_ADMINS:
        assert get.status_code == 200 and get.context["creating"] is True
        assert post.status_code == 302
        assert User.objects.filter(username=f"new-by-{role}").exists()
    else:
        assert get.status_code == 403 and post.status_code == 403
        assert User.objects.count() == before


@covers("wrong_role", "accounts:user_detail")
@covers("allowed", "accounts:user_detail")
@pytest.mark.parametrize("role", ALL_ROLES)
def test_user_detail_only_for_user_admins(users, other_users, client_for, role):
    target = other_users[Role.INVESTIGATOR]
    client = client_for(users[role])
    url = reverse("accounts:user_detail", kwargs={"public_id": target.public_id})
    get = client.get(url)
    post = client.post(url, {"op": "deactivate", "reason": "left the service"})
    target.refresh_from_db()
    if role in USER_ADMINS:
        assert get.status_code == 200 and get.context["target"] == target
        assert post.status_code == 302
        assert target.is_active is False
    else:
        assert get.status_code == 403 and post.status_code == 403
        assert target.is_active is True


def test_user_detail_unknown_id_is_404(users, client_for):
    response = client_for(users[Role.SYSADMIN]).get(reverse("accounts:user_detail", kwargs={"public_id": uuid.uuid4()}))
    assert response.status_code == 404


# --- agencies ------------------------------------------------------------------------------------


@covers("allowed", "accounts:agency_list")
@pytest.mark.parametrize("role", ALL_ROLES)
def test_agency_directory_is_open_to_every_role(users, agency, other_agency, client_for, role):
    response = client_for(users[role]).get(reverse("accounts:agency_list"))
    assert response.status_code == 200
    names = {a.name for a in response.context["agencies"]}
    assert {agency.name, other_agency.name} <= names
    assert response.context["can_manage"] is (role in AGENCY_ADMINS)
    edit_link = reverse("accounts:agency_edit", kwargs={"public_id": agency.public_id})
    assert (edit_link in response.content.decode()) is (role in AGENCY_ADMINS)


@covers("wrong_role", "accounts:agency_create")
@covers("allowed", "accounts:agency_create")
@pytest.mark.parametrize("role", ALL_ROLES)
def test_agency_create_only_for_agency_admins(users, client_for, role):
    client = client_for(users[role])
    get = client.get(reverse("accounts:agency_create"))
    post = client.post(
        reverse("accounts:agency_create"),
        {"name": f"Shelter by {role}", "agency_type": "shelter", "is_active": "on"},
    )
    exists = Agency.objects.filter(name=f"Shelter by {role}").exists()
    if role in AGENCY_ADMINS:
        assert get.status_code == 200
        assert post.status_code == 302 and post["Location"] == reverse("accounts:agency_list")
        assert exists
    else:
        assert get.status_code == 403 and post.status_code == 403
        assert not exists


@covers("wrong_role", "accounts:agency_edit")
@covers("allowed", "accounts:agency_edit")
@pytest.mark.parametrize("role", ALL_ROLES)
def test_agency_edit_only_for_agency_admins(users, agency, client_for, role):
    client = client_for(users[role])
    url = reverse("accounts:agency_edit", kwargs={"public_id": agency.public_id})
    get = client.get(url)
    post = client.post(
        url,
        {"name": "Renamed Unit", "agency_type": "police", "is_active": "on", "version": agency.version},
    )
    agency.refresh_from_db()
    if role in AGENCY_ADMINS:
        assert get.status_code == 200 and get.context["agency"] == agency
        assert get.context["form"].initial["name"] == "Home Agency Anti-Trafficking Unit"
        assert post.status_code == 302
        assert agency.name == "Renamed Unit"
    else:
        assert get.status_code == 403 and post.status_code == 403
        assert agency.name == "Home Agency Anti-Trafficking Unit"


def test_agency_edit_unknown_id_is_404(users, client_for):
    url = reverse("accounts:agency_edit", kwargs={"public_id": uuid.uuid4()})
    assert client_for(users[Role.SYSADMIN]).get(url).status_code == 404


def test_agency_edit_stale_version_is_refused(users, agency, client_for):
    client = client_for(users[Role.SYSADMIN])
    url = reverse("accounts:agency_edit", kwargs={"public_id": agency.public_id})
    response = client.post(url, {"name": "Stale Edit", "agency_type": "police", "version": agency.version + 5})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    agency.refresh_from_db()
    assert agency.name != "Stale Edit"


# --- break the glass review ----------------------------------------------------------------------


@covers("wrong_role", "accounts:breakglass_list")
@covers("allowed", "accounts:breakglass_list")
@pytest.mark.parametrize("role", ALL_ROLES)
def test_breakglass_list_only_for_reviewers(users, grant, client_for, role):
    response = client_for(users[role]).get(reverse("accounts:breakglass_list"))
    if role in BREAKGLASS_REVIEWERS:
        assert response.status_code == 200
        assert [g.public_id for g in response.context["page"]] == [grant.public_id]
        assert grant.reason in response.content.decode()
    else:
        assert response.status_code == 403
        assert grant.reason not in response.content.decode()


@covers("wrong_role", "accounts:breakglass_review")
@covers("allowed", "accounts:breakglass_review")
@pytest.mark.parametrize("role", ALL_ROLES)
def test_breakglass_review_only_for_reviewers(users, grant, client_for, role):
    client = client_for(users[role])
    url = reverse("accounts:breakglass_review", kwargs={"public_id": grant.public_id})
    get = client.get(url)
    post = client.post(url, {"outcome": BreakGlassReview.JUSTIFIED, "note": "ok"})
    grant.refresh_from_db()
    if role in BREAKGLASS_REVIEWERS:
        assert get.status_code == 200 and get.context["grant"] == grant
        assert post.status_code == 302 and post["Location"] == reverse("accounts:breakglass_list")
        assert grant.review_status == BreakGlassReview.JUSTIFIED
        assert grant.reviewed_by == users[role]
    else:
        assert get.status_code == 403 and post.status_code == 403
        assert grant.review_status == BreakGlassReview.PENDING


@covers("other_agency", "accounts:breakglass_list", "accounts:breakglass_review")
@pytest.mark.parametrize("role", sorted(BREAKGLASS_REVIEWERS))
def test_other_agency_reviewers_see_grants_nationally(users, other_users, grant, client_for, role):
    # Reviewing break-the-glass has national scope: a reviewer in another agency sees the home agency's grant.
    response = client_for(other_users[role]).get(reverse("accounts:breakglass_list"))
    assert response.status_code == 200
    assert [g.public_id for g in response.context["page"]] == [grant.public_id]


def test_breakglass_review_unknown_id_is_404(users, client_for):
    url = reverse("accounts:breakglass_review", kwargs={"public_id": uuid.uuid4()})
    assert client_for(users[Role.AUDITOR]).get(url).status_code == 404


def test_breakglass_list_status_filter(users, grant, client_for):
    client = client_for(users[Role.AUDITOR])
    assert list(client.get(reverse("accounts:breakglass_list"), {"status": "justified"}).context["page"]) == []
    assert len(client.get(reverse("accounts:breakglass_list"), {"status": "all"}).context["page"]) == 1
    # an unknown status falls back to pending
    response = client.get(reverse("accounts:breakglass_list"), {"status": "bogus"})
    assert response.context["status"] == BreakGlassReview.PENDING
    assert BreakGlassGrant.objects.count() == 1


# --- language switch -----------------------------------------------------------------------------


def test_set_language_remembers_choice_on_profile(users, client_for):
    user = users[Role.CASE_WORKER]
    response = client_for(user).post(reverse("set_language"), {"language": "sw", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "sw"


def test_set_language_get_is_refused_and_anonymous_changes_nothing(client, users):
    assert client.get(reverse("set_language")).status_code == 405
    response = client.post(reverse("set_language"), {"language": "sw", "next": "/"})
    assert response.status_code == 302
    assert not User.objects.filter(preferred_language="sw").exists()
