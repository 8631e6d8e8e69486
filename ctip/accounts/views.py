from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctip.core.errors import ServiceError
from ctip.core.views_helpers import (
    apply_service_error,
    login_only,
    paginate,
    query_without_page,
    require_action,
)

from . import selectors, services
from .enums import BreakGlassReview, Role
from .forms import (
    AgencyForm,
    BreakGlassReviewForm,
    LoginForm,
    MfaSetupForm,
    PasswordChangeForm,
    ReasonForm,
    TokenForm,
    UserCreateForm,
    UserEditForm,
)
from .roles import ACTION_LABELS, MATRIX, Action


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated and (not request.user.mfa_required or request.user.is_verified()):
        return redirect("portal:home")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            login(request, user)
            services.auth_event(actor=user, action="auth.login_password")
            if user.mfa_required:
                has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
                target = reverse("accounts:mfa_verify" if has_device else "accounts:mfa_setup")
                nxt = _safe_next(request, "")
                response = redirect(f"{target}?next={nxt}" if nxt else target)
            else:
                response = redirect(_safe_next(request, reverse("portal:home")))
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.preferred_language, samesite="Lax")
            return response
        services.auth_event(actor=None, action="auth.login_failed")
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.auth_event(actor=request.user, action="auth.logout")
    logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("accounts:login")


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    image.save(buf)
    return buf.getvalue().decode()


SESSION_MFA_KEY = "ctip_mfa_pending_key"  # the secret being enrolled, until confirmed (no device row before)
SESSION_MFA_FAILURES = "ctip_mfa_password_failures"
MFA_PASSWORD_ATTEMPTS = 3  # wrong passwords at enrolment before the session is ended (log in again: axes counts)


@sensitive_post_parameters("token", "current_token", "password")
@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    """First enrolment (password again) or replacement of the device (a code from the current one)."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    replacing = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    if replacing and not request.user.is_verified():
        return redirect("accounts:mfa_verify")
    key = request.session.get(SESSION_MFA_KEY)
    if not key:
        key = request.session[SESSION_MFA_KEY] = services.mfa_new_key()
    form = MfaSetupForm(request.POST or None, replacing=replacing)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            device = services.mfa_device_confirm(
                actor=request.user,
                key=key,
                token=d["token"],
                current_token=d.get("current_token", ""),
                password=d.get("password", ""),
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
            if "password" in exc.fields:
                failures = request.session[SESSION_MFA_FAILURES] = request.session.get(SESSION_MFA_FAILURES, 0) + 1
                if failures >= MFA_PASSWORD_ATTEMPTS:
                    services.auth_event(actor=request.user, action="auth.logout")
                    logout(request)
                    messages.error(request, _("Too many wrong passwords. Log in again."))
                    return redirect("accounts:login")
        else:
            otp_login(request, device)
            for name in (SESSION_MFA_KEY, SESSION_MFA_FAILURES):
                request.session.pop(name, None)
            if replacing:
                messages.success(request, _("Your authenticator device was replaced."))
            else:
                messages.success(request, _("Two-factor authentication is set up."))
            return redirect(_safe_next(request, reverse("portal:home")))
    draft = TOTPDevice(user=request.user, name="CTIP", key=key)  # never saved: gives the QR code and the key
    secret = base64.b32encode(draft.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "replacing": replacing,
            "qr_svg": _qr_svg(draft.config_url),
            "secret": secret,
            "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        },
    )


@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if request.user.is_verified():
        return redirect("portal:home")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            services.auth_event(actor=request.user, action="auth.login_mfa")
            return redirect(_safe_next(request, reverse("portal:home")))
        services.auth_event(actor=request.user, action="auth.mfa_failed")
        form.add_error("token", _("That code is not right, or was already used. Wait for the next code."))
    return render(request, "accounts/mfa_verify.html", {"form": form})


@login_only
@require_http_methods(["GET", "POST"])
def profile(request):
    pw_form = PasswordChangeForm(request.user, request.POST if request.POST.get("form") == "password" else None)
    token = None
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "password" and pw_form.is_valid():
                services.user_set_password(
                    actor=request.user, user=request.user, password=pw_form.cleaned_data["new_password"]
                )
                update_session_auth_hash(request, request.user)
                messages.success(request, _("Your password was changed."))
                return redirect("accounts:profile")
            if which == "token":
                token = services.api_token_issue(actor=request.user).key
            if which == "revoke_token":
                services.api_token_revoke(actor=request.user)
                messages.info(request, _("Your API token was revoked."))
                return redirect("accounts:profile")
        except ServiceError as exc:
            if "password" in exc.fields:  # the service names it "password"; this form's field is "new_password"
                exc.fields["new_password"] = exc.fields.pop("password")
            apply_service_error(pw_form, exc)
    has_mfa = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return render(request, "accounts/profile.html", {"pw_form": pw_form, "new_token": token, "has_mfa": has_mfa})


# --- user administration ---------------------------------------------------------------------------


@require_action(Action.USERS_MANAGE)
def user_list(request):
    agency_param = request.GET.get("agency", "")
    agency = None
    if agency_param:
        try:
            agency = selectors.agency_get(public_id=agency_param)
        except ServiceError:
            agency = None
    qs = selectors.user_list_for_admin(
        user=request.user,
        q=request.GET.get("q", "").strip(),
        role=request.GET.get("role", ""),
        agency_id=agency.pk if agency else None,
        active=request.GET.get("active", ""),
    )
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": paginate(request, qs),
            "roles": Role.choices,
            "agencies": selectors.agency_list(),
            "filters": request.GET,
            "query": query_without_page(request),
        },
    )


@require_action(Action.USERS_MANAGE)
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                role=data["role"],
                agency=data["agency"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                preferred_language=data["preferred_language"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("User account created."))
            return redirect("accounts:user_detail", public_id=user.public_id)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@require_action(Action.USERS_MANAGE)
@require_http_methods(["GET", "POST"])
def user_detail(request, public_id):
    target = selectors.user_get_for_admin(user=request.user, public_id=public_id)
    initial = {
        "first_name": target.first_name,
        "last_name": target.last_name,
        "email": target.email,
        "role": target.role,
        "agency": target.agency.public_id if target.agency else None,
        "preferred_language": target.preferred_language,
    }
    op = request.POST.get("op", "save") if request.method == "POST" else ""
    # Only "save" submits the edit form; the account actions must not show its fields as missing.
    form = UserEditForm(request.POST if op == "save" else None, initial=initial)
    reason_form = ReasonForm(request.POST or None)
    if request.method == "POST":
        try:
            if op == "save" and form.is_valid():
                d = form.cleaned_data
                services.user_update(
                    actor=request.user,
                    user=target,
                    role=d["role"],
                    agency=d["agency"],
                    first_name=d["first_name"],
                    last_name=d["last_name"],
                    email=d["email"],
                    preferred_language=d["preferred_language"],
                )
                messages.success(request, _("Changes saved."))
                return redirect("accounts:user_detail", public_id=target.public_id)
            if op in ("deactivate", "activate") and reason_form.is_valid():
                services.user_set_active(
                    actor=request.user,
                    user=target,
                    active=op == "activate",
                    reason=reason_form.cleaned_data["reason"],
                )
                messages.success(request, _("Account activated.") if op == "activate" else _("Account deactivated."))
                return redirect("accounts:user_detail", public_id=target.public_id)
            if op == "reset_mfa" and reason_form.is_valid():
                services.user_reset_mfa(actor=request.user, user=target, reason=reason_form.cleaned_data["reason"])
                messages.success(request, _("Two-factor authentication reset: the user enrols again at next log-in."))
                return redirect("accounts:user_detail", public_id=target.public_id)
        except ServiceError as exc:
            if op == "save":
                apply_service_error(form, exc)
            else:
                messages.error(request, exc.message)
    has_mfa = TOTPDevice.objects.filter(user=target, confirmed=True).exists()
    return render(request, "accounts/user_detail.html", {"target": target, "form": form, "has_mfa": has_mfa})


# --- agencies --------------------------------------------------------------------------------------


@login_only
def agency_list(request):
    agencies = selectors.agency_list().annotate(user_count=Count("users")).prefetch_related("counties")
    return render(
        request,
        "accounts/agency_list.html",
        {"agencies": agencies, "can_manage": request.user.can(Action.AGENCIES_MANAGE)},
    )


@require_action(Action.AGENCIES_MANAGE)
@require_http_methods(["GET", "POST"])
def agency_edit(request, public_id=None):
    agency = selectors.agency_get(public_id=public_id) if public_id else None
    initial = {}
    if agency:
        initial = {f: getattr(agency, f) for f in services.AGENCY_FIELDS}
        initial["counties"] = list(agency.counties.all())
        initial["version"] = agency.version
    form = AgencyForm(request.POST or None, initial=initial or {"is_active": True})
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        counties = d.pop("counties")
        version = d.pop("version")
        try:
            if agency:
                agency = services.agency_update(
                    actor=request.user, agency=agency, expected_version=version, counties=counties, **d
                )
            else:
                agency = services.agency_create(actor=request.user, counties=counties, **d)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Agency saved."))
            return redirect("accounts:agency_list")
    return render(request, "accounts/agency_form.html", {"form": form, "agency": agency})


# --- break the glass -------------------------------------------------------------------------------


@require_action(Action.BREAKGLASS_REVIEW)
def breakglass_list(request):
    status = request.GET.get("status", BreakGlassReview.PENDING)
    if status not in BreakGlassReview.values and status != "all":
        status = BreakGlassReview.PENDING
    qs = selectors.breakglass_list_for_reviewer(user=request.user, status="" if status == "all" else status)
    return render(
        request,
        "accounts/breakglass_list.html",
        {
            "page": paginate(request, qs),
            "status": status,
            "statuses": BreakGlassReview.choices,
            "query": query_without_page(request),
        },
    )


@require_action(Action.BREAKGLASS_REVIEW)
@require_http_methods(["GET", "POST"])
def breakglass_review(request, public_id):
    grant = selectors.breakglass_get_for_reviewer(user=request.user, public_id=public_id)
    form = BreakGlassReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.breakglass_review(
                actor=request.user,
                grant=grant,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("accounts:breakglass_list")
    return render(request, "accounts/breakglass_review.html", {"grant": grant, "form": form})


@login_only
def role_matrix(request):
    actions = list(ACTION_LABELS.items())
    rows = [{"role": role.label, "cells": [MATRIX[role].get(a) for a, _label in actions]} for role in Role]
    return render(request, "accounts/role_matrix.html", {"actions": actions, "rows": rows})


@require_POST
def set_language(request):
    """Django's language switch, and the choice is remembered on the user's profile."""
    lang = request.POST.get("language", "en")
    if request.user.is_authenticated and lang in ("en", "sw"):
        services.user_set_language(actor=request.user, language=lang)
    return django_set_language(request)
