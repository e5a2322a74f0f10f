"""Photonix configuration, read once from the environment.

Every setting comes from an environment variable with the ``PHOTONIX_`` prefix (plus the
conventional ``DATABASE_URL`` and ``REDIS_URL``). Each is parsed by a typed helper so a wrong value
fails at start-up with a message that names the variable, never later in a request.

This module does not import Django: the launcher (``photonix serve``) reads it before Django is
configured, and tests can build a :class:`Config` from any mapping.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

PREFIX: Final = "PHOTONIX_"
LOG_FORMATS: Final = ("auto", "json", "text")
SENDFILE_MODES: Final = ("off", "x-sendfile", "x-accel-redirect")
LOG_LEVELS: Final = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
INSECURE_SECRET_PREFIX: Final = "django-insecure"  # noqa: S105 - a marker, not a secret
FLOWER_USER: Final = "photonix"


class ConfigError(ValueError):
    """A setting has a value Photonix cannot use. The message names the variable."""


def _raw(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def env_str(env: Mapping[str, str], name: str, default: str) -> str:
    value = _raw(env, name)
    return default if value is None else value


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = _raw(env, name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}={value!r} is not a boolean; use true or false.")


def env_int(env: Mapping[str, str], name: str, default: int, *, lo: int, hi: int) -> int:
    value = _raw(env, name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a whole number.") from None
    if not lo <= number <= hi:
        raise ConfigError(f"{name}={number} is out of range; it must be between {lo} and {hi}.")
    return number


def env_float(env: Mapping[str, str], name: str, default: float, *, lo: float, hi: float) -> float:
    value = _raw(env, name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a number.") from None
    if not lo <= number <= hi:
        raise ConfigError(
            f"{name}={number:g} is out of range; it must be between {lo:g} and {hi:g}."
        )
    return number


def env_list(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = _raw(env, name)
    if value is None:
        return default
    return tuple(item.strip() for item in value.split(",") if item.strip())


RATE_PERIODS: Final = ("second", "minute", "hour", "day")


def env_rate(env: Mapping[str, str], name: str, default: str) -> str:
    """A request rate as Django REST framework reads it: ``<count>/<second|minute|hour|day>``."""
    value = env_str(env, name, default)
    count, _, period = value.partition("/")
    if not count.strip().isdigit() or int(count) < 1 or period.strip().lower() not in RATE_PERIODS:
        raise ConfigError(
            f"{name}={value!r} is not a rate; use a count per second, minute, hour or day, "
            "such as 60/minute."
        )
    return f"{int(count)}/{period.strip().lower()}"


def env_choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(env, name, default)
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise ConfigError(f"{name}={value!r} is not one of {', '.join(choices)}.")


def _load_or_create(path: Path, make: Callable[[], str]) -> str:
    """The one-line secret kept in ``path``, created with ``make()`` (mode 0600) on first use."""
    if path.exists():
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    # O_EXCL: when several processes start at once, exactly one writes it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value


def _load_or_create_secret(data_dir: Path) -> str:
    """Return the secret key kept in the data directory, creating it (mode 0600) on first use."""
    return _load_or_create(data_dir / "secret_key", lambda: secrets.token_urlsafe(50))


def flower_login(config: Config) -> str:
    """``user:password`` that Flower asks for, generated once into the data directory.

    Kept in ``<data_dir>/flower-login`` (mode 0600); ``photonix status`` prints it. The password
    holds neither ``:`` nor ``,`` (Flower splits its logins on commas).
    """
    return _load_or_create(
        config.flower_login_path, lambda: f"{FLOWER_USER}:{secrets.token_urlsafe(24)}"
    )


def redact_url(url: str) -> str:
    """A URL fit for logs and the health page: any password replaced."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        credentials, _, host = rest.rpartition("@")
        user = credentials.split(":", 1)[0]
        return f"{scheme}{sep}{user}:***@{host}"
    return url


@dataclass(frozen=True)
class OidcConfig:
    """Single sign-on with an OpenID Connect provider (docs/accounts.md, "Single sign-on").

    Off unless ``issuer`` is set; then ``client_id`` and ``client_secret`` are required.
    """

    issuer: str = ""
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    scopes: tuple[str, ...] = ("openid", "email", "profile")
    button_label: str = "single sign-on"
    auto_create: bool = False
    link_by_email: bool = True
    sso_only: bool = False
    break_glass_user: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.issuer)


def load_oidc(env: Mapping[str, str]) -> OidcConfig:
    """The ``PHOTONIX_OIDC_*`` settings. Raises :class:`ConfigError` on an unusable combination."""
    issuer = env_str(env, f"{PREFIX}OIDC_ISSUER", "").rstrip("/")
    client_id = env_str(env, f"{PREFIX}OIDC_CLIENT_ID", "")
    client_secret = env_str(env, f"{PREFIX}OIDC_CLIENT_SECRET", "")
    scopes = tuple(
        dict.fromkeys(
            ("openid", *env_str(env, f"{PREFIX}OIDC_SCOPES", "openid email profile").split())
        )
    )
    sso_only = env_bool(env, f"{PREFIX}OIDC_ONLY", False)
    if issuer:
        if not issuer.startswith(("https://", "http://")):
            raise ConfigError(f"{PREFIX}OIDC_ISSUER={issuer!r} is not an http(s) URL.")
        missing = [
            f"{PREFIX}OIDC_{name}"
            for name, value in (("CLIENT_ID", client_id), ("CLIENT_SECRET", client_secret))
            if not value
        ]
        if missing:
            raise ConfigError(
                f"{PREFIX}OIDC_ISSUER is set but {' and '.join(missing)} is not; the provider "
                "gives both when Photonix is registered with it."
            )
    elif sso_only:
        raise ConfigError(
            f"{PREFIX}OIDC_ONLY is on but {PREFIX}OIDC_ISSUER is not set: nobody could sign in."
        )
    return OidcConfig(
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret,
        scopes=scopes,
        button_label=env_str(env, f"{PREFIX}OIDC_BUTTON_LABEL", "single sign-on")[:60],
        auto_create=env_bool(env, f"{PREFIX}OIDC_AUTO_CREATE", False),
        link_by_email=env_bool(env, f"{PREFIX}OIDC_LINK_BY_EMAIL", True),
        sso_only=sso_only,
        break_glass_user=env_str(env, f"{PREFIX}OIDC_BREAK_GLASS_USER", ""),
    )


@dataclass(frozen=True)
class Config:
    """Every setting Photonix reads, parsed and validated."""

    data_dir: Path
    port: int
    bind: str
    database_url: str
    redis_url: str | None
    secret_key: str
    secret_key_from_env: bool
    production: bool
    debug: bool
    allowed_hosts: tuple[str, ...]
    csrf_trusted_origins: tuple[str, ...]
    log_format: str
    log_level: str
    worker_concurrency: int
    web_workers: int
    flower_port: int
    flower_enabled: bool
    flower_url: str
    watcher_enabled: bool
    rescan_minutes: int
    trash_days: int
    max_folder_depth: int
    reconcile_after_minutes: int
    faces_group_delay: float
    faces_group_max_delay: float
    visibility_timeout: int
    lock_ttl: int
    sendfile: str
    accel_prefix: str
    offline: bool
    models_dir: Path
    ml_threads: int
    clip_manifest: Path | None
    object_threshold: float
    detect_threshold: float
    place_max_km: float
    colour_min_share: float
    hsts_seconds: int
    ssl_redirect: bool
    login_max_failures: int
    login_max_failures_per_ip: int
    login_lockout_minutes: int
    recent_password_minutes: int
    map_tile_url: str
    map_attribution: str
    health_rate: str
    upload_max_mb: int
    upload_quota_mb: int
    upload_expiry_hours: int
    oidc: OidcConfig = field(default_factory=OidcConfig)

    @property
    def broker_dir(self) -> Path:
        return self.data_dir / "broker"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def embedded_broker(self) -> bool:
        return self.redis_url is None

    @property
    def broker_socket(self) -> Path:
        """Unix socket of the embedded broker (used only when ``REDIS_URL`` is not set)."""
        return self.broker_dir / "valkey.sock"

    @property
    def broker_url(self) -> str:
        """The broker every process of this installation talks to.

        Without ``REDIS_URL`` that is the embedded server's socket in the data directory, so a
        ``photonix status`` or ``photonix worker`` started by hand finds the broker that
        ``photonix serve`` runs.
        """
        return self.redis_url or f"redis+socket://{self.broker_socket}"

    @property
    def flower_login_path(self) -> Path:
        """Flower's generated ``user:password`` (see :func:`flower_login`)."""
        return self.data_dir / "flower-login"

    @property
    def json_logs(self) -> bool:
        if self.log_format == "auto":
            return self.production
        return self.log_format == "json"

    def check_production(self) -> list[str]:
        """Reasons this configuration must not serve in production (empty when it may)."""
        problems: list[str] = []
        if not self.production:
            return problems
        if self.debug:
            problems.append("PHOTONIX_DEBUG is on; turn it off in production.")
        if not self.secret_key_from_env:
            problems.append("PHOTONIX_SECRET_KEY is not set; production needs a real secret.")
        elif (
            len(self.secret_key) < 50
            or len(set(self.secret_key)) < 5
            or self.secret_key.startswith(INSECURE_SECRET_PREFIX)
        ):
            problems.append(
                "PHOTONIX_SECRET_KEY is too weak: use at least 50 random characters "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
            )
        if not self.allowed_hosts or "*" in self.allowed_hosts:
            problems.append(
                "PHOTONIX_ALLOWED_HOSTS must list the host names Photonix is served on."
            )
        return problems


def load(env: Mapping[str, str] | None = None) -> Config:
    """Parse the environment into a :class:`Config`. Raises :class:`ConfigError` on bad values."""
    env = os.environ if env is None else env
    data_dir = Path(env_str(env, f"{PREFIX}DATA_DIR", "./data")).expanduser().resolve()
    production = env_bool(env, f"{PREFIX}PRODUCTION", False)
    # Off unless asked for (``make dev`` asks): debug pages show settings and code to anyone who
    # triggers an error, and Django keeps every query in memory while it is on.
    debug = env_bool(env, f"{PREFIX}DEBUG", False)
    secret_env = _raw(env, f"{PREFIX}SECRET_KEY")
    secret = secret_env if secret_env is not None else _load_or_create_secret(data_dir)
    port = env_int(env, f"{PREFIX}PORT", 8000, lo=1, hi=65535)
    default_hosts = ("localhost", "127.0.0.1", "[::1]") if production else ("*",)
    database_url = env_str(env, "DATABASE_URL", f"sqlite:///{data_dir / 'photonix.sqlite3'}")
    if not database_url.startswith(("sqlite://", "postgres://", "postgresql://")):
        raise ConfigError(
            f"DATABASE_URL={database_url.split('@')[-1]!r} is not supported; "
            "use sqlite:///path or postgresql://user@host/db."
        )
    redis_url = _raw(env, "REDIS_URL")
    if redis_url is not None and not redis_url.startswith(
        ("redis://", "rediss://", "redis+socket://", "unix://")
    ):
        raise ConfigError(
            "REDIS_URL must start with redis://, rediss:// or redis+socket:// "
            "(valkey:// URLs are not understood by Celery)."
        )
    cpus = os.cpu_count() or 1
    flower_port = env_int(env, f"{PREFIX}FLOWER_PORT", 5555, lo=1, hi=65535)
    return Config(
        data_dir=data_dir,
        port=port,
        bind=env_str(env, f"{PREFIX}BIND", "127.0.0.1"),
        database_url=database_url,
        redis_url=redis_url,
        secret_key=secret,
        secret_key_from_env=secret_env is not None,
        production=production,
        debug=debug,
        allowed_hosts=env_list(env, f"{PREFIX}ALLOWED_HOSTS", default_hosts),
        csrf_trusted_origins=env_list(env, f"{PREFIX}CSRF_TRUSTED_ORIGINS", ()),
        log_format=env_choice(env, f"{PREFIX}LOG_FORMAT", "auto", LOG_FORMATS),
        log_level=env_choice(env, f"{PREFIX}LOG_LEVEL", "INFO", LOG_LEVELS),
        worker_concurrency=env_int(env, f"{PREFIX}WORKER_CONCURRENCY", min(cpus, 4), lo=1, hi=256),
        flower_port=flower_port,
        web_workers=env_int(env, f"{PREFIX}WEB_WORKERS", 2, lo=1, hi=64),
        flower_enabled=env_bool(env, f"{PREFIX}FLOWER", True),
        flower_url=env_str(env, f"{PREFIX}FLOWER_URL", f"http://127.0.0.1:{flower_port}/"),
        watcher_enabled=env_bool(env, f"{PREFIX}WATCHER", True),
        rescan_minutes=env_int(env, f"{PREFIX}RESCAN_MINUTES", 360, lo=0, hi=7 * 24 * 60),
        trash_days=env_int(env, f"{PREFIX}TRASH_DAYS", 30, lo=1, hi=3650),
        max_folder_depth=env_int(env, f"{PREFIX}MAX_FOLDER_DEPTH", 64, lo=1, hi=1000),
        sendfile=env_choice(env, f"{PREFIX}SENDFILE", "off", SENDFILE_MODES),
        accel_prefix=env_str(env, f"{PREFIX}ACCEL_PREFIX", "/protected"),
        reconcile_after_minutes=env_int(
            env, f"{PREFIX}RECONCILE_AFTER_MINUTES", 15, lo=1, hi=7 * 24 * 60
        ),
        # Faces are grouped into people once a library's faces stop changing for this long, and
        # at least this often while they keep changing (a long import).
        faces_group_delay=env_float(env, f"{PREFIX}FACES_GROUP_DELAY", 5.0, lo=0.0, hi=600.0),
        faces_group_max_delay=env_float(
            env, f"{PREFIX}FACES_GROUP_MAX_DELAY", 300.0, lo=0.0, hi=600.0
        ),
        # Seconds before a message delivered to a worker that never acknowledged it (a host that
        # died) goes back to its queue. Above the hard time limit plus the longest retry delay.
        visibility_timeout=env_int(env, f"{PREFIX}VISIBILITY_TIMEOUT", 900, lo=5, hi=7 * 24 * 3600),
        lock_ttl=env_int(env, f"{PREFIX}LOCK_TTL", 30, lo=3, hi=3600),
        offline=env_bool(env, f"{PREFIX}OFFLINE", False),
        models_dir=Path(env_str(env, f"{PREFIX}MODELS_DIR", str(data_dir / "models")))
        .expanduser()
        .resolve(),
        ml_threads=env_int(env, f"{PREFIX}ML_THREADS", 1, lo=0, hi=256),
        # The manifest of smart search's image-text model (files, sizes, sha256, URL); unset:
        # the one shipped with Photonix.
        clip_manifest=Path(manifest).expanduser().resolve()
        if (manifest := env_str(env, f"{PREFIX}CLIP_MANIFEST", ""))
        else None,
        object_threshold=env_float(env, f"{PREFIX}OBJECT_THRESHOLD", 0.15, lo=0.0, hi=1.0),
        detect_threshold=env_float(env, f"{PREFIX}DETECT_THRESHOLD", 0.4, lo=0.0, hi=1.0),
        place_max_km=env_float(env, f"{PREFIX}PLACE_MAX_KM", 25.0, lo=0.1, hi=500.0),
        colour_min_share=env_float(env, f"{PREFIX}COLOUR_MIN_SHARE", 0.05, lo=0.0, hi=1.0),
        # HSTS only means something over HTTPS, which production implies (secure cookies).
        hsts_seconds=env_int(
            env, f"{PREFIX}HSTS_SECONDS", 31_536_000 if production else 0, lo=0, hi=2 * 31_536_000
        ),
        ssl_redirect=env_bool(env, f"{PREFIX}SSL_REDIRECT", production),
        login_max_failures=env_int(env, f"{PREFIX}LOGIN_MAX_FAILURES", 5, lo=1, hi=1000),
        login_max_failures_per_ip=env_int(
            env, f"{PREFIX}LOGIN_MAX_FAILURES_PER_IP", 20, lo=1, hi=100_000
        ),
        login_lockout_minutes=env_int(env, f"{PREFIX}LOGIN_LOCKOUT_MINUTES", 15, lo=1, hi=24 * 60),
        # Managing accounts and roles needs the password entered within this many minutes.
        recent_password_minutes=env_int(
            env, f"{PREFIX}RECENT_PASSWORD_MINUTES", 15, lo=1, hi=14 * 24 * 60
        ),
        map_tile_url=env_str(env, f"{PREFIX}MAP_TILE_URL", ""),
        map_attribution=env_str(env, f"{PREFIX}MAP_ATTRIBUTION", ""),
        health_rate=env_rate(env, f"{PREFIX}HEALTH_RATE", "60/minute"),
        # The largest file one upload may send, and how much one person may upload in all
        # (0: no quota); an upload left incomplete this long is deleted.
        upload_max_mb=env_int(env, f"{PREFIX}UPLOAD_MAX_MB", 4096, lo=1, hi=1024 * 1024),
        upload_quota_mb=env_int(env, f"{PREFIX}UPLOAD_QUOTA_MB", 0, lo=0, hi=1024 * 1024 * 1024),
        upload_expiry_hours=env_int(env, f"{PREFIX}UPLOAD_EXPIRY_HOURS", 24, lo=1, hi=24 * 365),
        oidc=load_oidc(env),
    )


_config: Config | None = None


def get() -> Config:
    """The process-wide configuration, parsed on first use."""
    global _config  # noqa: PLW0603 - one parse per process is the point
    if _config is None:
        _config = load()
    return _config


def reset() -> None:
    """Forget the parsed configuration (tests change the environment and parse again)."""
    global _config  # noqa: PLW0603
    _config = None
