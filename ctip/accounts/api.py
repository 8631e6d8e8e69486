from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django_otp import match_token
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ctip.core import api as core_api
from ctip.core.errors import ErrorCode, NotFound, PermissionDenied, ServiceError, ValidationFailed
from ctip.core.schema import error, paged

from . import selectors, services
from .enums import Role
from .roles import Action


class AgencyOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    short_name = serializers.CharField()
    agency_type = serializers.CharField()
    htcds_org_type = serializers.CharField()
    national = serializers.BooleanField()
    counties = serializers.SerializerMethodField()
    is_active = serializers.BooleanField()

    def get_counties(self, obj) -> list[str]:
        return [c.code for c in obj.counties.all()]


class MeOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    username = serializers.CharField()
    role = serializers.CharField()
    agency = serializers.UUIDField(source="agency.public_id", allow_null=True, default=None)
    preferred_language = serializers.CharField()
    permissions = serializers.SerializerMethodField()

    def get_permissions(self, obj) -> dict[str, str]:
        return {a.value: str(obj.scope(a)) for a in Action if obj.scope(a) is not None}


class MeView(APIView):
    @extend_schema(responses=MeOut, summary="The current user, role and permissions")
    def get(self, request):
        return Response(MeOut(request.user).data)


class AgencyListView(APIView):
    @extend_schema(responses=AgencyOut(many=True), summary="Directory of agencies")
    def get(self, request):
        qs = selectors.agency_list().prefetch_related("counties")
        return Response(AgencyOut(qs, many=True).data)


class UserOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.CharField()
    role = serializers.CharField()
    agency = serializers.UUIDField(source="agency.public_id", allow_null=True, default=None)
    is_active = serializers.BooleanField()


class UserIn(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]{3,150}$")
    password = serializers.CharField(write_only=True)
    role = serializers.ChoiceField(choices=Role.choices)
    agency = serializers.UUIDField(required=False, allow_null=True)
    first_name = serializers.CharField(required=False, allow_blank=True, default="")
    last_name = serializers.CharField(required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class UserListView(APIView):
    @extend_schema(
        responses=paged(UserOut),
        summary="User accounts (system administrators)",
        parameters=[OpenApiParameter("q", str, description="Part of the user name or name")],
    )
    def get(self, request):
        qs = selectors.user_list_for_admin(user=request.user, q=request.query_params.get("q", ""))
        return core_api.page_response(request, qs, UserOut)

    @extend_schema(
        request=UserIn,
        responses={201: UserOut},
        summary="Create a user account",
    )
    def post(self, request):
        if not request.user.can(Action.USERS_MANAGE):
            raise PermissionDenied()
        data = UserIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        agency = None
        if d.get("agency"):
            try:
                agency = selectors.agency_get(public_id=d["agency"])
            except NotFound as exc:  # input, not the path: a field error like any other
                raise ValidationFailed(fields={"agency": [_("No agency has this id.")]}) from exc
        user = services.user_create(
            actor=request.user,
            username=d["username"],
            password=d["password"],
            role=d["role"],
            agency=agency,
            first_name=d["first_name"],
            last_name=d["last_name"],
            email=d["email"],
        )
        return Response(UserOut(user).data, status=201)


class TokenIn(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(write_only=True)
    otp = serializers.CharField(required=False, allow_blank=True, default="")


class TokenOut(serializers.Serializer):
    token = serializers.CharField(help_text='Send it as "Authorization: Token <token>".')


class LoginThrottle(core_api.AnonRateThrottle):
    rate = "20/min"


class TokenObtainView(APIView):
    """Exchange username, password and (where the role needs it) a TOTP code for an API token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginThrottle]

    @extend_schema(
        request=TokenIn,
        responses={
            200: TokenOut,
            401: error(401, "Wrong username or password (not_authenticated), or a wrong code (mfa_required)."),
            403: error(403, "The role may not hold an API token (permission_denied)."),
            429: error(429, "Too many attempts (rate_limited, or locked_out after failed log-ins)."),
        },
        summary="Obtain an API token",
    )
    def post(self, request):
        data = TokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        user = authenticate(request._request, username=d["username"], password=d["password"])
        if user is None:
            services.auth_event(actor=None, action="auth.api_login_failed")
            if getattr(request._request, "axes_locked_out", False):
                # django-axes would replace this response with its HTML lock-out page; the API answers in its
                # own error shape instead.
                request._request.axes_locked_out = False
                return Response(
                    {"code": ErrorCode.LOCKED_OUT, "message": str(ErrorCode.LOCKED_OUT.label), "fields": {}},
                    status=429,
                )
            return Response(
                {
                    "code": ErrorCode.NOT_AUTHENTICATED,
                    "message": _("Wrong username or password."),
                    "fields": {},
                },
                status=401,
            )
        if user.mfa_required:
            if not d["otp"]:
                raise ValidationFailed(fields={"otp": [_("Your role needs the 6-digit code from your app.")]})
            if match_token(user, d["otp"].strip()) is None:
                services.auth_event(actor=user, action="auth.mfa_failed")
                return Response(
                    {
                        "code": ErrorCode.MFA_REQUIRED,
                        "message": _("That code is not right."),
                        "fields": {"otp": [_("That code is not right.")]},
                    },
                    status=401,
                )
        user.is_verified = lambda: True  # verified just now, for this request only
        try:
            token = services.api_token_issue(actor=user)
        except ServiceError:
            raise
        return Response({"token": token.key})
