"""The deployment files agree with the ``photonix`` command and the documented settings.

Every command the Dockerfile, docker-compose.yml and the systemd units run is parsed by
``photonix.cli.build_parser()`` (so a role, an option or a queue name that does not exist fails
here), every environment variable they give Photonix is a documented setting, and the stop
timeouts leave a worker time for a warm shutdown. No Docker engine is needed.
"""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings

from photonix import conf
from photonix.cli import build_parser
from photonix.pipeline.queues import QUEUE_NAMES

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
ROLES = ("web", "worker", "beat", "watch", "flower")
VENV_PHOTONIX = "/opt/photonix/.venv/bin/photonix"


def documented_settings() -> set[str]:
    text = (ROOT / "docs" / "settings.md").read_text()
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", text, flags=re.MULTILINE))


def parse_photonix(argv: list[str], where: str) -> Any:
    """Parse ``photonix <argv>`` exactly as the command would; fail with where it came from."""
    try:
        return build_parser().parse_args(argv)
    except SystemExit:
        pytest.fail(f"{where}: `photonix {shlex.join(argv)}` is not a valid photonix command")


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def photonix_services() -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in compose()["services"].items()
        if service.get("image", "").startswith("photonix")
    }


def units() -> dict[str, configparser.ConfigParser]:
    found = {}
    for path in sorted(UNITS.glob("*.service")):
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read(path)
        found[path.name] = parser
    return found


def test_the_documented_settings_are_the_ones_photonix_reads() -> None:
    documented = documented_settings()
    assert {"PHOTONIX_VISIBILITY_TIMEOUT", "PHOTONIX_LOCK_TTL", "FLOWER_BASIC_AUTH"} <= documented
    source = "".join(p.read_text() for p in (ROOT / "src" / "photonix").rglob("*.py"))
    for name in documented:
        if name.startswith("PHOTONIX_"):
            assert name.removeprefix("PHOTONIX_") in source, f"{name} is documented, never read"
    example = (ROOT / ".env.example").read_text()
    for name in ("PHOTONIX_VISIBILITY_TIMEOUT", "PHOTONIX_LOCK_TTL"):
        assert f"{name}=" in example


def test_visibility_timeout_outlasts_a_task_and_its_retries() -> None:
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["visibility_timeout"] == conf.get().visibility_timeout
    default = conf.load({"PHOTONIX_DATA_DIR": "/tmp/x", "PHOTONIX_SECRET_KEY": "s" * 60})
    longest_retry = 32  # 5 retries: 1-2, 2-4, 4-8, 8-16, 16-32 s
    assert default.visibility_timeout > settings.CELERY_TASK_TIME_LIMIT + longest_retry
    with pytest.raises(conf.ConfigError, match="PHOTONIX_VISIBILITY_TIMEOUT"):
        conf.load({"PHOTONIX_DATA_DIR": "/tmp/x", "PHOTONIX_VISIBILITY_TIMEOUT": "soon"})


def test_compose_runs_every_role_with_real_commands() -> None:
    services = photonix_services()
    roles = {}
    for name, service in services.items():
        argv = service["command"]
        assert isinstance(argv, list), f"{name}: command must be a list (exec form)"
        args = parse_photonix(argv, f"docker-compose.yml service {name}")
        roles[name] = args.command
        if args.command == "worker":
            assert set(args.queues) <= set(QUEUE_NAMES)
    assert set(ROLES) <= set(roles.values()), roles
    assert "manage" in roles.values(), "a one-shot service applies the migrations"
    # Beat and the watcher exactly once.
    for role in ("beat", "watch"):
        holders = [n for n, r in roles.items() if r == role]
        assert len(holders) == 1, holders
        assert "deploy" not in services[holders[0]], "never replicate beat or the watcher"
    assert {"postgres", "redis"} <= set(compose()["services"])


def test_compose_environment_is_documented_and_complete() -> None:
    documented = documented_settings()
    for name, service in photonix_services().items():
        env = service["environment"]
        unknown = sorted(set(env) - documented)
        assert not unknown, f"{name} sets undocumented variables {unknown}"
        assert env["DATABASE_URL"].startswith("postgresql://")
        assert env["REDIS_URL"].startswith("redis://")
        assert env["PHOTONIX_DATA_DIR"] == "/data"
        assert "data:/data" in service["volumes"]
        assert any(v.endswith(":/photos") for v in service["volumes"])
    flower = photonix_services()["flower"]
    assert "FLOWER_BASIC_AUTH" in flower["environment"], "Flower off loopback needs a login"
    for port in flower.get("ports", []):
        assert port.startswith("127.0.0.1:"), "Flower is published on this machine only"


def test_compose_healthchecks_and_stop_timeouts() -> None:
    services = photonix_services()
    for name, service in services.items():
        check = service.get("healthcheck")
        if check is None:
            continue
        test = check["test"]
        text = test[1] if test[0] == "CMD-SHELL" else shlex.join(test[1:])
        if "photonix " in text:
            argv = shlex.split(text.replace("$$", "$"))
            parse_photonix(argv[argv.index("photonix") + 1 :], f"{name} healthcheck")
        else:
            assert "/api/health" in text, f"{name}: healthcheck uses photonix or /api/health"
    assert "healthcheck" in services["web"]
    worker = services["worker"]
    assert "photonix-all@" in worker["healthcheck"]["test"][1], "the worker's own node name"
    grace = worker["stop_grace_period"]
    seconds = int(grace[:-1]) * {"s": 1, "m": 60}[grace[-1]]
    assert seconds > settings.CELERY_TASK_TIME_LIMIT, "time for a warm shutdown"
    assert worker.get("stop_signal", "SIGTERM") == "SIGTERM"


def test_dockerfile_builds_the_ui_installs_the_lock_and_runs_photonix() -> None:
    text = (ROOT / "Dockerfile").read_text()
    froms = re.findall(r"^FROM (\S+)", text, flags=re.MULTILINE)
    assert froms[0].startswith("node:20")
    assert froms[-1] == "python:3.11-slim-bookworm"
    assert "libimage-exiftool-perl" in text
    assert "requirements.lock" in text
    assert "npm run build" in text and "web/dist" in text
    user = re.findall(r"^USER (\S+)", text, flags=re.MULTILINE)
    assert user and user[-1] not in ("root", "0")
    entrypoint = re.search(r"^ENTRYPOINT (\[.*\])", text, flags=re.MULTILINE)
    assert entrypoint is not None
    assert yaml.safe_load(entrypoint.group(1))[-1] == "photonix"
    cmd = re.search(r"^CMD (\[.*\])", text, flags=re.MULTILINE)
    assert cmd is not None
    parse_photonix(yaml.safe_load(cmd.group(1)), "Dockerfile CMD")
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", "ui/node_modules", "data", ".git"} <= set(ignored)


def test_systemd_units_run_real_commands_and_stop_gently() -> None:
    found = units()
    roles = {}
    for name, unit in found.items():
        service = unit["Service"]
        assert service["EnvironmentFile"] == "/etc/photonix/photonix.env", name
        assert service["KillSignal"] == "SIGTERM", name
        assert service["User"] == "photonix", name
        assert unit["Install"]["WantedBy"] == "photonix.target", name
        for key in ("ExecStart", "ExecStartPre"):
            if key in service:
                argv = shlex.split(service[key])
                assert argv[0] == VENV_PHOTONIX, f"{name} {key}"
                args = parse_photonix(argv[1:], f"{name} {key}")
                if key == "ExecStart":
                    roles[args.command] = name
        for assignment in shlex.split(service.get("Environment", "")):
            variable = assignment.split("=", 1)[0]
            assert variable in documented_settings(), f"{name} sets {variable}"
    assert set(roles) == set(ROLES), roles
    worker = found[roles["worker"]]["Service"]
    assert int(worker["TimeoutStopSec"]) > settings.CELERY_TASK_TIME_LIMIT
    assert worker["KillMode"] == "mixed", "SIGTERM to the main process: a warm shutdown"
    target = configparser.ConfigParser(interpolation=None)
    target.read(UNITS / "photonix.target")
    assert target["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_units_pass_systemd_analyze() -> None:
    paths = [str(p) for p in sorted(UNITS.iterdir())]
    result = subprocess.run(
        ["systemd-analyze", "verify", *paths], capture_output=True, text=True, check=False
    )
    # The program itself is not installed on this machine; anything else is a real complaint.
    complaints = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and "is not executable" not in line
    ]
    assert not complaints, complaints


def test_deploy_guide_commands_are_real_and_readme_points_to_it() -> None:
    guide = (ROOT / "docs" / "deploy.md").read_text()
    shell = "\n".join(re.findall(r"^```sh\n(.*?)^```", guide, flags=re.MULTILINE | re.DOTALL))
    commands = re.findall(r"^photonix ([^#\n]+)", shell, flags=re.MULTILINE)
    # Inline commands, except the synopses with placeholders ([--option N], …).
    commands += [
        c for c in re.findall(r"`photonix ([^`]+)`", guide) if "[" not in c and "…" not in c
    ]
    assert len(commands) >= 8, commands
    for command in commands:
        parse_photonix(shlex.split(command), "docs/deploy.md")
    assert "docs/deploy.md" in (ROOT / "README.md").read_text()
