from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from photonix import conf


def test_defaults(tmp_path: Path) -> None:
    config = conf.load({"PHOTONIX_DATA_DIR": str(tmp_path)})
    assert config.data_dir == tmp_path
    assert config.port == 8000
    assert config.redis_url is None
    assert config.embedded_broker
    assert config.broker_url == f"redis+socket://{tmp_path}/broker/valkey.sock"
    assert config.database_url == f"sqlite:///{tmp_path}/photonix.sqlite3"
    assert not config.debug and not config.production
    assert not config.json_logs
    assert config.check_production() == []


def test_default_data_dir_is_relative_to_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert conf.load({}).data_dir == tmp_path / "data"


def test_secret_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = conf.load({"PHOTONIX_DATA_DIR": str(tmp_path)})
    second = conf.load({"PHOTONIX_DATA_DIR": str(tmp_path)})
    assert first.secret_key == second.secret_key
    assert len(first.secret_key) >= 50
    assert not first.secret_key_from_env
    mode = (tmp_path / "secret_key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PHOTONIX_PORT", "eighty", "PHOTONIX_PORT='eighty' is not a whole number"),
        ("PHOTONIX_PORT", "70000", "PHOTONIX_PORT=70000 is out of range"),
        ("PHOTONIX_DEBUG", "maybe", "PHOTONIX_DEBUG='maybe' is not a boolean"),
        ("PHOTONIX_LOG_FORMAT", "xml", "PHOTONIX_LOG_FORMAT='xml' is not one of"),
        ("PHOTONIX_LOG_LEVEL", "loud", "PHOTONIX_LOG_LEVEL='loud' is not one of"),
        ("PHOTONIX_WORKER_CONCURRENCY", "0", "PHOTONIX_WORKER_CONCURRENCY=0 is out of range"),
        ("REDIS_URL", "valkey://localhost", "REDIS_URL must start with"),
        ("DATABASE_URL", "mysql://u:secret@h/db", "DATABASE_URL='h/db' is not supported"),
        ("PHOTONIX_HEALTH_RATE", "lots", "PHOTONIX_HEALTH_RATE='lots' is not a rate"),
        ("PHOTONIX_HEALTH_RATE", "0/minute", "PHOTONIX_HEALTH_RATE='0/minute' is not a rate"),
        ("PHOTONIX_HEALTH_RATE", "5/fortnight", "is not a rate"),
    ],
)
def test_bad_values_name_the_variable(tmp_path: Path, name: str, value: str, message: str) -> None:
    with pytest.raises(conf.ConfigError, match=message.replace("(", r"\(")) as info:
        conf.load({"PHOTONIX_DATA_DIR": str(tmp_path), name: value})
    assert "secret" not in str(info.value)


def test_values_are_parsed(tmp_path: Path) -> None:
    config = conf.load(
        {
            "PHOTONIX_DATA_DIR": str(tmp_path),
            "PHOTONIX_PORT": " 9000 ",
            "REDIS_URL": "redis://broker:6379/0",
            "DATABASE_URL": "postgresql://photonix@db/photonix",
            "PHOTONIX_ALLOWED_HOSTS": "photos.example.org, localhost",
            "PHOTONIX_LOG_FORMAT": "JSON",
            "PHOTONIX_LOG_LEVEL": "debug",
            "PHOTONIX_WORKER_CONCURRENCY": "3",
        }
    )
    assert config.port == 9000
    assert config.broker_url == "redis://broker:6379/0"
    assert not config.embedded_broker
    assert config.allowed_hosts == ("photos.example.org", "localhost")
    assert config.json_logs
    assert config.log_level == "DEBUG"
    assert config.worker_concurrency == 3
    assert config.health_rate == "60/minute"
    rate = {"PHOTONIX_DATA_DIR": str(tmp_path), "PHOTONIX_HEALTH_RATE": " 5 / Second "}
    assert conf.load(rate).health_rate == "5/second"


def test_production_refuses_generated_secret_and_debug(tmp_path: Path) -> None:
    config = conf.load(
        {"PHOTONIX_DATA_DIR": str(tmp_path), "PHOTONIX_PRODUCTION": "true", "PHOTONIX_DEBUG": "1"}
    )
    problems = " ".join(config.check_production())
    assert "PHOTONIX_DEBUG is on" in problems
    assert "PHOTONIX_SECRET_KEY is not set" in problems


def test_production_refuses_weak_secret(tmp_path: Path) -> None:
    config = conf.load(
        {
            "PHOTONIX_DATA_DIR": str(tmp_path),
            "PHOTONIX_PRODUCTION": "true",
            "PHOTONIX_SECRET_KEY": "django-insecure-changeme",
        }
    )
    assert any("too weak" in p for p in config.check_production())


def test_production_accepts_real_settings(tmp_path: Path) -> None:
    config = conf.load(
        {
            "PHOTONIX_DATA_DIR": str(tmp_path),
            "PHOTONIX_PRODUCTION": "true",
            "PHOTONIX_SECRET_KEY": "k" * 10 + "8Jd93kfL0qPzX1mN4vB7cR2tY6uW5sE0aH3gK9jQ" + "x" * 5,
            "PHOTONIX_ALLOWED_HOSTS": "photos.example.org",
        }
    )
    assert config.check_production() == []
    assert not config.debug
    assert config.json_logs


def test_debug_is_off_unless_asked_for(tmp_path: Path) -> None:
    assert conf.load({"PHOTONIX_DATA_DIR": str(tmp_path)}).debug is False
    assert conf.load({"PHOTONIX_DATA_DIR": str(tmp_path), "PHOTONIX_DEBUG": "true"}).debug is True


def test_django_settings_without_any_variable_have_debug_off(tmp_path: Path) -> None:
    """What ``make run`` gets: no PHOTONIX_ variable but the data directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHOTONIX_")}
    env.update({"PHOTONIX_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "photonix.settings"})
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.WHITENOISE_AUTOREFRESH, "
        "settings.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split()[:2] == ["False", "False"], result.stdout
    assert "BrowsableAPIRenderer" not in result.stdout
