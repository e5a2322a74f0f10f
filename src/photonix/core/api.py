"""HTTP API of the core: first-run setup, sign-in, session and health."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect, ensure_csrf_cookie
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from photonix.core import auth, instance, oidc, services
from photonix.core.health import HealthReport, health_report, recent_health_report
from photonix.core.http import FIELD_ERRORS, DetailSerializer, IsAdmin
from photonix.core.models import User


class UserSerializer(serializers.ModelSerializer[User]):
    is_admin = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ("id", "username", "is_admin")
        read_only_fields = fields


class SsoSerializer(serializers.Serializer[Any]):
    label = serializers.CharField(  # type: ignore[assignment]  # a field, not Field.label
        help_text='The provider\'s name on the button: "Sign in with …".'
    )
    login_url = serializers.CharField(
        help_text="Where the browser goes to sign in (a navigation, not a fetch); add "
        "?next=/path to land there afterwards."
    )
    password_login = serializers.BooleanField(
        help_text="False in SSO-only mode: passwords sign in only the break-glass account."
    )


class SessionSerializer(serializers.Serializer[Any]):
    authenticated = serializers.BooleanField()
    setup_required = serializers.BooleanField()
    user = UserSerializer(allow_null=True)
    # Not required in the schema: clients written before the map existed stay valid.
    map_tile_url = serializers.CharField(
        allow_null=True,
        required=False,
        help_text="Leaflet tile URL template (saved in Settings, else PHOTONIX_MAP_TILE_URL), "
        "or null: maps draw the offline world layer.",
    )
    map_attribution = serializers.CharField(allow_null=True, required=False)
    sso = SsoSerializer(
        allow_null=True,
        required=False,
        help_text="Single sign-on with OpenID Connect, or null when it is not set up.",
    )


class SetupSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class LoginSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class ComponentSerializer(serializers.Serializer[Any]):
    ok = serializers.BooleanField()
    detail = serializers.CharField()
    latency_ms = serializers.FloatField(allow_null=True)


class HealthComponentsSerializer(serializers.Serializer[Any]):
    database = ComponentSerializer()
    broker = ComponentSerializer()
    workers = ComponentSerializer()


class HealthSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=["ok", "degraded"])
    version = serializers.CharField(required=False, help_text="Administrators only.")
    components = HealthComponentsSerializer(
        required=False,
        help_text="Signed-in callers only; each part's detail and latency for administrators.",
    )
    versions = serializers.DictField(
        child=serializers.CharField(), required=False, help_text="Administrators only."
    )


logger = logging.getLogger(__name__)


class _TolerantAnonThrottle(AnonRateThrottle):
    """A per-address rate limit on anonymous requests, tolerant of a cache outage: the request
    is let through and logged (at ``outage_log_level``), never a 500."""

    outage_log_level = logging.WARNING

    def allow_request(self, request: Request, view: APIView) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # noqa: BLE001 - a broker outage must not stop the request
            logger.log(
                self.outage_log_level,
                "%s rate limit not applied: the cache is unreachable (%s)",
                self.scope,
                exc,
            )
            return True


class LoginThrottle(_TolerantAnonThrottle):
    """A per-address rate limit on sign-in and setup (on top of the lockout, core/auth.py)."""

    scope = "login"


class HealthThrottle(_TolerantAnonThrottle):
    """Anonymous health checks per client address (``PHOTONIX_HEALTH_RATE``).

    Signed-in callers (a session, or an API token a monitor can use) are not counted.
    """

    scope = "health"
    # The health report itself says the broker is down; a line per probe would only be noise.
    outage_log_level = logging.DEBUG

    def get_rate(self) -> str:
        return str(settings.PHOTONIX_HEALTH_RATE)


@method_decorator(ensure_csrf_cookie, name="dispatch")
class SessionView(APIView):
    """Who is signed in, and whether first-run setup is still needed. Sets the CSRF cookie."""

    permission_classes = (AllowAny,)

    @extend_schema(operation_id="auth_session", responses=SessionSerializer)
    def get(self, request: Request) -> Response:
        user = request.user if request.user.is_authenticated else None
        data: dict[str, Any] = {
            "authenticated": user is not None,
            "setup_required": user is None and services.setup_required(),
            "user": UserSerializer(user).data if user is not None else None,
        }
        tiles = instance.map_tiles()
        data["map_tile_url"] = tiles.url or None
        data["map_attribution"] = tiles.attribution or None
        sso = oidc.config()
        data["sso"] = (
            {
                "label": sso.button_label,
                "login_url": oidc.LOGIN_PATH,
                "password_login": not sso.sso_only,
            }
            if sso.enabled
            else None
        )
        return Response(data)


@method_decorator(csrf_protect, name="dispatch")
class SetupView(APIView):
    """Create the first administrator and sign them in. Answers 409 once done."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = (LoginThrottle,)

    @extend_schema(
        operation_id="setup_create",
        request=SetupSerializer,
        responses={201: UserSerializer, 400: FIELD_ERRORS, 409: DetailSerializer},
    )
    def post(self, request: Request) -> Response:
        payload = SetupSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            user = services.user_create_first_admin(**payload.validated_data)
        except DjangoValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"password": exc.messages}
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        login(request._request, user, backend="django.contrib.auth.backends.ModelBackend")
        auth.password_entered(request.session)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


@method_decorator(csrf_protect, name="dispatch")
class LoginView(APIView):
    """Sign in with a username and password (session cookie). In SSO-only mode
    (``PHOTONIX_OIDC_ONLY``) only the break-glass account may: others get 403 with
    ``"code": "sso_only"``."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = (LoginThrottle,)

    @extend_schema(
        operation_id="auth_login",
        request=LoginSerializer,
        responses={
            200: UserSerializer,
            400: DetailSerializer,
            403: DetailSerializer,
            429: DetailSerializer,
        },
    )
    def post(self, request: Request) -> Response:
        payload = LoginSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        username = payload.validated_data["username"]
        if not oidc.password_sign_in_allowed(username):
            # SSO-only mode: refused before the password is looked at (docs/accounts.md).
            raise oidc.password_sign_in_refusal()
        address = auth.client_address(request)
        # Checked before the password: during a lockout even the right password is refused, so
        # an attacker learns nothing from the answers.
        locked = auth.lockout_check(username, address)
        if locked is None:
            user = authenticate(
                request._request, username=username, password=payload.validated_data["password"]
            )
            if user is not None:
                auth.lockout_register_success(username, address)
                login(request._request, user)
                auth.password_entered(request.session)
                return Response(UserSerializer(user).data)
            # The failure that reaches the limit is answered like the others; the next attempt
            # meets the lock.
            auth.lockout_register_failure(username, address)
            return Response(
                {"detail": "Wrong username or password."}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(
            {"detail": locked.message},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(locked.seconds)},
        )


class LogoutView(APIView):
    """Sign out of this browser session."""

    permission_classes = (AllowAny,)

    @extend_schema(operation_id="auth_logout", request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HealthView(APIView):
    """Database, broker and worker health: 200 when every part is up, else 503.

    Public, so load balancers and monitors can use it. Anonymous callers get the status alone
    (``ok`` or ``degraded``) and are rate-limited per address (429 past
    ``PHOTONIX_HEALTH_RATE``); signed-in callers also get each part's state; administrators get
    the details (addresses, worker names) and the versions. No answer waits for workers: they
    report their state to the broker themselves, and callers other than administrators get a
    report at most a few seconds old."""

    permission_classes = (AllowAny,)
    throttle_classes = (HealthThrottle,)

    @extend_schema(
        operation_id="health",
        responses={200: HealthSerializer, 503: HealthSerializer, 429: DetailSerializer},
    )
    def get(self, request: Request) -> Response:
        user = request.user
        if isinstance(user, User) and user.is_admin:
            report: HealthReport = health_report(ask_workers=False)
            body: dict[str, Any] = dict(report)
        else:
            report = recent_health_report()
            body = {"status": report["status"]}
            if user.is_authenticated:
                body["components"] = {
                    name: {
                        "ok": component["ok"],
                        "detail": "ok" if component["ok"] else "unavailable",
                        "latency_ms": None,
                    }
                    for name, component in report["components"].items()
                }
        code = (
            status.HTTP_200_OK if report["status"] == "ok" else status.HTTP_503_SERVICE_UNAVAILABLE
        )
        return Response(body, status=code)


class MapSettingsSerializer(serializers.Serializer[Any]):
    map_tile_url = serializers.CharField(
        allow_blank=True,
        max_length=instance.MAX_TILE_URL,
        help_text="Leaflet tile URL template: http(s), with {z}, {x} and {y} (and optionally {s}, "
        "{r}). Empty: no source saved here (the environment's default applies).",
    )
    map_attribution = serializers.CharField(
        allow_blank=True,
        required=False,
        default="",
        max_length=instance.MAX_ATTRIBUTION,
        help_text="Plain text shown on maps, e.g. © OpenStreetMap contributors.",
    )


class MapSettingsStateSerializer(serializers.Serializer[Any]):
    map_tile_url = serializers.CharField(help_text="The source saved in Settings, or empty.")
    map_attribution = serializers.CharField()
    default_tile_url = serializers.CharField(
        help_text="PHOTONIX_MAP_TILE_URL: used when nothing is saved here."
    )
    default_attribution = serializers.CharField(help_text="PHOTONIX_MAP_ATTRIBUTION.")
    effective_tile_url = serializers.CharField(help_text="What maps use now, or empty.")
    source = serializers.ChoiceField(  # type: ignore[assignment]  # a field, not Field.source
        choices=["settings", "environment", "none"],
        help_text="Where the effective source comes from (none: the offline world layer).",
    )


def _map_settings_state() -> dict[str, str]:
    saved = instance.saved_map_tiles()
    effective = instance.map_tiles()
    return {
        "map_tile_url": saved.url,
        "map_attribution": saved.attribution,
        "default_tile_url": str(settings.PHOTONIX_MAP_TILE_URL or ""),
        "default_attribution": str(settings.PHOTONIX_MAP_ATTRIBUTION or ""),
        "effective_tile_url": effective.url,
        "source": effective.source,
    }


class MapSettingsView(APIView):
    """The map's tile source (administrators only). Saved here, it takes precedence over
    ``PHOTONIX_MAP_TILE_URL``; saved empty, the environment's default applies again."""

    permission_classes = (IsAdmin,)

    @extend_schema(operation_id="settings_map", responses=MapSettingsStateSerializer)
    def get(self, request: Request) -> Response:
        return Response(_map_settings_state())

    @extend_schema(
        operation_id="settings_map_update",
        request=MapSettingsSerializer,
        responses={200: MapSettingsStateSerializer, 400: FIELD_ERRORS, 403: DetailSerializer},
    )
    def put(self, request: Request) -> Response:
        payload = MapSettingsSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        instance.map_tiles_set(
            url=payload.validated_data["map_tile_url"],
            attribution=payload.validated_data["map_attribution"],
        )
        return Response(_map_settings_state())
