"""HTTP API of accounts: user management (administrators), password change, API tokens.

What would let a leaked API token or a session left open entrench itself — a new token, a
password reset, a new user, making someone an administrator or enabling them again — needs a
browser session whose password was entered within ``PHOTONIX_RECENT_PASSWORD_MINUTES``
(:class:`~photonix.core.http.RecentPassword`): tokens get 403 with the reason, an older session
403 with ``"code": "password_required"`` until it confirms the password
(:class:`PasswordConfirmView`). A password change asks for the current password itself and is
refused only to tokens. Reading users and tokens, and revoking a token, stay open to tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from photonix.core import auth, services
from photonix.core.api import LoginThrottle
from photonix.core.http import (
    FIELD_ERRORS,
    PASSWORD_REQUIRED,
    DetailSerializer,
    IsAdmin,
    RecentPassword,
    SessionOnly,
)
from photonix.core.models import ApiToken, User


def _errors(exc: DjangoValidationError, field: str = "password") -> dict[str, Any]:
    return exc.message_dict if hasattr(exc, "error_dict") else {field: exc.messages}


def _me(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsAuthenticated ran first
    return user


# --- Users (administrators) -------------------------------------------------------------------


class UserAdminSerializer(serializers.ModelSerializer[User]):
    is_admin = serializers.BooleanField(source="is_superuser", read_only=True)

    class Meta:
        model = User
        fields = ("id", "username", "email", "is_admin", "is_active", "date_joined", "last_login")
        read_only_fields = fields


class UserCreateSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False, write_only=True)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    is_admin = serializers.BooleanField(required=False, default=False)


class UserUpdateSerializer(serializers.Serializer[Any]):
    is_active = serializers.BooleanField(required=False)
    is_admin = serializers.BooleanField(required=False)
    email = serializers.EmailField(required=False, allow_blank=True)


class PasswordSetSerializer(serializers.Serializer[Any]):
    password = serializers.CharField(max_length=256, trim_whitespace=False, write_only=True)


class PasswordChangeSerializer(serializers.Serializer[Any]):
    old_password = serializers.CharField(max_length=256, trim_whitespace=False, write_only=True)
    new_password = serializers.CharField(max_length=256, trim_whitespace=False, write_only=True)


class UserListView(APIView):
    """Every user of the installation (administrators only); create one (with the password
    entered recently, not with a token)."""

    permission_classes = (IsAdmin,)

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [IsAdmin(), RecentPassword()]
        return [IsAdmin()]

    @extend_schema(operation_id="users_list", responses=UserAdminSerializer(many=True))
    def get(self, request: Request) -> Response:
        users = User.objects.order_by("username")
        return Response(UserAdminSerializer(users, many=True).data)

    @extend_schema(
        operation_id="users_create",
        request=UserCreateSerializer,
        responses={201: UserAdminSerializer, 400: FIELD_ERRORS, 403: PASSWORD_REQUIRED},
    )
    def post(self, request: Request) -> Response:
        payload = UserCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            user = services.user_create(**payload.validated_data)
        except DjangoValidationError as exc:
            return Response(_errors(exc), status=status.HTTP_400_BAD_REQUEST)
        except IntegrityError:
            return Response(
                {"username": ["A user with that username already exists."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(UserAdminSerializer(user).data, status=status.HTTP_201_CREATED)


class UserDetailView(APIView):
    """One user (administrators only): enable or disable, grant or remove admin, e-mail (the
    changes with the password entered recently, not with a token)."""

    permission_classes = (IsAdmin,)

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "GET":
            return [IsAdmin()]
        return [IsAdmin(), RecentPassword()]

    @extend_schema(operation_id="users_retrieve", responses=UserAdminSerializer)
    def get(self, request: Request, user_id: int) -> Response:
        return Response(UserAdminSerializer(get_object_or_404(User, pk=user_id)).data)

    @extend_schema(
        operation_id="users_update",
        request=UserUpdateSerializer,
        responses={200: UserAdminSerializer, 400: FIELD_ERRORS, 403: PASSWORD_REQUIRED},
    )
    def patch(self, request: Request, user_id: int) -> Response:
        user = get_object_or_404(User, pk=user_id)
        payload = UserUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            user = services.user_update(user, by=_me(request), **payload.validated_data)
        except DjangoValidationError as exc:
            return Response(_errors(exc, "email"), status=status.HTTP_400_BAD_REQUEST)
        return Response(UserAdminSerializer(user).data)


class UserPasswordView(APIView):
    """Set a user's password (administrators only; with the password entered recently, not with
    a token). Signs that user out everywhere."""

    permission_classes = (IsAdmin, RecentPassword)

    @extend_schema(
        operation_id="users_set_password",
        request=PasswordSetSerializer,
        responses={204: None, 400: FIELD_ERRORS, 403: PASSWORD_REQUIRED},
    )
    def post(self, request: Request, user_id: int) -> Response:
        user = get_object_or_404(User, pk=user_id)
        payload = PasswordSetSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            services.user_set_password(user, payload.validated_data["password"])
        except DjangoValidationError as exc:
            return Response(_errors(exc), status=status.HTTP_400_BAD_REQUEST)
        if user.pk == _me(request).pk:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request._request, user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _locked_out(locked: auth.Lockout) -> Response:
    return Response(
        {"detail": locked.message},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(locked.seconds)},
    )


def _under_lockout(request: Request, user: User, check: Callable[[], None]) -> Response | None:
    """Run ``check`` of a signed-in person's password under the sign-in lockout (a borrowed or
    stolen session must not become a way to guess the password without limit; its failures lock
    sign-in too). The lockout's answer, or None once ``check`` passed (``check`` raises
    ``WrongPasswordError`` for a wrong password, counted as a failed sign-in)."""
    address = auth.client_address(request)
    locked = auth.lockout_check(user.username, address)
    if locked is not None:
        return _locked_out(locked)
    try:
        check()
    except services.WrongPasswordError:
        auth.lockout_register_failure(user.username, address)
        raise
    auth.lockout_register_success(user.username, address)  # as a sign-in does
    return None


class PasswordChangeView(APIView):
    """Change your own password; the current one is required. Other sessions end."""

    permission_classes = (IsAuthenticated, SessionOnly)
    throttle_classes = (LoginThrottle,)

    @extend_schema(
        operation_id="auth_password_change",
        request=PasswordChangeSerializer,
        responses={204: None, 400: FIELD_ERRORS, 429: DetailSerializer},
    )
    def post(self, request: Request) -> Response:
        from django.contrib.auth import update_session_auth_hash

        payload = PasswordChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        user = _me(request)
        try:
            refused = _under_lockout(
                request, user, lambda: services.password_change(user, **payload.validated_data)
            )
        except DjangoValidationError as exc:
            return Response(_errors(exc, "new_password"), status=status.HTTP_400_BAD_REQUEST)
        if refused is not None:
            return refused
        update_session_auth_hash(request._request, user)  # this browser stays signed in
        auth.password_entered(request.session)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordConfirmSerializer(serializers.Serializer[Any]):
    password = serializers.CharField(max_length=256, trim_whitespace=False, write_only=True)


class PasswordConfirmView(APIView):
    """Enter your password again: managing users, tokens and library roles needs it entered
    within the last ``PHOTONIX_RECENT_PASSWORD_MINUTES`` (15 by default) in this session.
    Checked under the sign-in lockout."""

    permission_classes = (IsAuthenticated, SessionOnly)
    throttle_classes = (LoginThrottle,)

    @extend_schema(
        operation_id="auth_confirm_password",
        request=PasswordConfirmSerializer,
        responses={204: None, 400: FIELD_ERRORS, 429: DetailSerializer},
    )
    def post(self, request: Request) -> Response:
        payload = PasswordConfirmSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        user = _me(request)

        def check() -> None:
            if not user.check_password(payload.validated_data["password"]):
                raise services.WrongPasswordError("Wrong password.", field="password")

        refused = _under_lockout(request, user, check)
        if refused is not None:
            return refused
        auth.password_entered(request.session)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- API tokens -----------------------------------------------------------------------------


class TokenSerializer(serializers.ModelSerializer[ApiToken]):
    class Meta:
        model = ApiToken
        fields = ("id", "name", "prefix", "created_at", "last_used_at")
        read_only_fields = fields


class TokenCreatedSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    token = serializers.CharField(help_text="The token. Shown this once; only its hash is kept.")


class TokenCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)


class TokenListView(APIView):
    """Your API tokens (never the tokens themselves); create one (with the password entered
    recently, not with a token)."""

    permission_classes = (IsAuthenticated,)

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [IsAuthenticated(), RecentPassword()]
        return [IsAuthenticated()]

    @extend_schema(operation_id="tokens_list", responses=TokenSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(TokenSerializer(_me(request).api_tokens.all(), many=True).data)

    @extend_schema(
        operation_id="tokens_create",
        request=TokenCreateSerializer,
        responses={201: TokenCreatedSerializer, 400: FIELD_ERRORS, 403: PASSWORD_REQUIRED},
    )
    def post(self, request: Request) -> Response:
        payload = TokenCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        token, raw = services.token_create(_me(request), payload.validated_data["name"])
        data = {**TokenSerializer(token).data, "token": raw}
        return Response(data, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})


class TokenDetailView(APIView):
    """Revoke one of your API tokens: it stops working at once."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="tokens_revoke", responses={204: None, 404: DetailSerializer})
    def delete(self, request: Request, token_id: int) -> Response:
        if not services.token_revoke(_me(request), token_id):
            return Response({"detail": "No such token."}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)
