"""``photonix serve`` end to end: real broker, web server, worker, beat, watcher and Flower.

Starts the whole application in a fresh data directory on free ports, waits until the health
endpoint reports every component up, stops it with a signal, and checks that nothing is left
behind: no process of the installation (children, their children, the broker) and no socket.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from celery import Celery

from photonix import conf
from photonix.serve import banner, child_env, child_specs, web_url
from tests.waiting import wait_for

SRC_DIR = Path(__file__).resolve().parents[1] / "src"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- /proc helpers (psutil is not a dependency) -------------------------------------------------


def _stat_fields(pid: int) -> list[bytes] | None:
    try:
        data = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    return data.rpartition(b")")[2].split()  # state, ppid, pgrp, ...


def pid_alive(pid: int) -> bool:
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in (b"Z", b"X")


def all_pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


def descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid in all_pids():
        fields = _stat_fields(pid)
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(pid)
    found: set[int] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def processes_mentioning(text: str) -> dict[int, str]:
    """Live processes whose command line or environment contains ``text``."""
    needle = text.encode()
    found: dict[int, str] = {}
    for pid in all_pids():
        if pid == os.getpid() or not pid_alive(pid):
            continue
        for name in ("cmdline", "environ"):
            try:
                data = Path(f"/proc/{pid}/{name}").read_bytes()
            except OSError:
                continue
            if needle in data:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                found[pid] = cmdline.decode(errors="replace")
                break
    return found


def get_json(
    url: str, timeout: float = 5.0, login: str | None = None
) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(url)  # noqa: S310 - http://127.0.0.1
    if login is not None:
        request.add_header("Authorization", "Basic " + base64.b64encode(login.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


# -- fixtures -----------------------------------------------------------------------------------


@dataclass
class Running:
    proc: subprocess.Popen[bytes]
    data_dir: Path
    port: int
    flower_port: int
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def serve_env() -> Iterator[tuple[Path, dict[str, str]]]:
    data_dir = Path(tempfile.mkdtemp(prefix="pxs-", dir="/tmp"))
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(
        {
            "PYTHONPATH": str(SRC_DIR),
            "PHOTONIX_DATA_DIR": str(data_dir),
            "PHOTONIX_PORT": str(free_port()),
            "PHOTONIX_FLOWER_PORT": str(free_port()),
            "PHOTONIX_WORKER_CONCURRENCY": "2",
            "PHOTONIX_WEB_WORKERS": "2",
            "PHOTONIX_LOG_LEVEL": "INFO",
        }
    )
    for name in (
        "PHOTONIX_PRODUCTION",
        "PHOTONIX_SECRET_KEY",
        "PHOTONIX_FLOWER",
        "PHOTONIX_WATCHER",
    ):
        env.pop(name, None)
    yield data_dir, env
    leftovers = processes_mentioning(str(data_dir))
    for pid in leftovers:  # never leave a half-stopped installation on the machine
        os.kill(pid, signal.SIGKILL)
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def running(serve_env: tuple[Path, dict[str, str]]) -> Iterator[Running]:
    data_dir, env = serve_env
    log_path = data_dir.parent / f"{data_dir.name}.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "photonix", "serve"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    run = Running(
        proc, data_dir, int(env["PHOTONIX_PORT"]), int(env["PHOTONIX_FLOWER_PORT"]), log_path
    )
    try:
        yield run
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log_path.unlink(missing_ok=True)


def wait_healthy(run: Running, timeout: float = 120.0) -> dict[str, object]:
    """Wait until ``GET /api/health`` says every component is up; return the report."""
    url = f"http://127.0.0.1:{run.port}/api/health"
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        if run.proc.poll() is not None:
            pytest.fail(f"serve exited with {run.proc.returncode}:\n{run.log()[-4000:]}")
        try:
            status, report = get_json(url)
        except (OSError, ValueError) as exc:
            last = exc
        else:
            last = report
            if status == 200 and report.get("status") == "ok":
                return report
        time.sleep(0.5)
    pytest.fail(f"not healthy after {timeout:.0f}s; last answer {last!r}\n{run.log()[-4000:]}")


# -- unit checks of the launcher's plan ---------------------------------------------------------


def test_children_follow_the_configuration(tmp_path: Path) -> None:
    base = {"PHOTONIX_DATA_DIR": str(tmp_path), "PHOTONIX_SECRET_KEY": "s" * 60}
    config = conf.load(base)
    env = child_env(config, {"PATH": "/usr/bin"})
    assert env["PHOTONIX_DATA_DIR"] == str(tmp_path)
    names = [spec.name for spec in child_specs(config, env)]
    assert names == ["web", "worker", "beat", "watch", "flower"]
    flower = child_specs(config, env)[-1]
    assert list(flower.argv[-3:]) == ["flower", "--address", "127.0.0.1"]

    quiet = conf.load({**base, "PHOTONIX_FLOWER": "false", "PHOTONIX_WATCHER": "false"})
    assert [spec.name for spec in child_specs(quiet, env)] == ["web", "worker", "beat"]


def test_banner_names_every_address(tmp_path: Path) -> None:
    config = conf.load(
        {
            "PHOTONIX_DATA_DIR": str(tmp_path),
            "PHOTONIX_SECRET_KEY": "s" * 60,
            "PHOTONIX_PORT": "8123",
            "PHOTONIX_FLOWER_PORT": "5566",
        }
    )
    text = banner(config)
    assert "http://127.0.0.1:8123/" in text
    assert "http://127.0.0.1:5566/" in text
    assert str(tmp_path) in text
    assert config.broker_url in text
    remote = conf.load(
        {
            "PHOTONIX_DATA_DIR": str(tmp_path),
            "PHOTONIX_SECRET_KEY": "s" * 60,
            "REDIS_URL": "redis://:hunter2@redis.lan:6379/0",
            "PHOTONIX_BIND": "0.0.0.0",  # noqa: S104
        }
    )
    text = banner(remote)
    assert "hunter2" not in text
    assert "redis://:***@redis.lan:6379/0" in text
    assert web_url(remote) == f"http://127.0.0.1:{remote.port}/"


def test_refuses_an_unsafe_production_configuration(
    serve_env: tuple[Path, dict[str, str]],
) -> None:
    data_dir, env = serve_env
    env = {**env, "PHOTONIX_PRODUCTION": "true"}
    result = subprocess.run(
        [sys.executable, "-m", "photonix", "serve"],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "PHOTONIX_SECRET_KEY" in result.stderr
    assert not (data_dir / "broker").exists()


# -- the whole application ----------------------------------------------------------------------


@pytest.mark.integration
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serve_runs_everything_and_stops_cleanly(
    running: Running, serve_env: tuple[Path, dict[str, str]], stop_signal: signal.Signals
) -> None:
    report = wait_healthy(running)
    assert report == {"status": "ok"}  # anonymous callers get the status alone
    cli = subprocess.run(
        [sys.executable, "-m", "photonix", "status", "--json"],
        env=serve_env[1],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert cli.returncode == 0, cli.stdout + cli.stderr
    assert set(json.loads(cli.stdout)["components"]) == {"database", "broker", "workers"}

    # Flower answers on loopback, through the same broker, to the login generated for it.
    flower_url = f"http://127.0.0.1:{running.flower_port}/api/workers?refresh=1"
    login_path = running.data_dir / "flower-login"  # written by photonix flower as it starts
    deadline = time.monotonic() + 30
    while True:
        try:
            login = login_path.read_text().strip()
            status, workers = get_json(flower_url, timeout=10, login=login)
        except (OSError, ValueError):
            status, workers = 0, {}
        if status == 200 and workers:
            break
        assert time.monotonic() < deadline, f"Flower not ready: {status} {workers!r}"
        time.sleep(0.5)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(flower_url, timeout=10)
    assert refused.value.code == 401

    socket_path = running.data_dir / "broker" / "valkey.sock"
    assert socket_path.exists()
    log = running.log()
    assert f"http://127.0.0.1:{running.port}/" in log
    assert f"http://127.0.0.1:{running.flower_port}/" in log

    assert "exited unexpectedly" not in log, log[-6000:]
    family = descendants(running.proc.pid)
    roles = dict(re.findall(r"(\w+): started \(pid (\d+)\)", log))
    assert set(roles) == {"web", "worker", "beat", "watch", "flower"}
    assert {int(pid) for pid in roles.values()} <= family
    assert int((running.data_dir / "broker" / "valkey.pid").read_text()) in family
    # ... and their own children: 2 gunicorn workers, 2 Celery pool processes.
    assert len(family) >= 10, family

    running.proc.send_signal(stop_signal)
    try:
        code = running.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"serve did not stop within 30s:\n{running.log()[-4000:]}")
    assert code == 0, running.log()[-4000:]

    survivors = {pid for pid in family if pid_alive(pid)}
    assert not survivors, f"left running: {survivors}"
    mentioning = processes_mentioning(str(running.data_dir))
    assert not mentioning, f"left running: {mentioning}"
    assert not socket_path.exists()
    assert not (running.data_dir / "broker" / "valkey.pid").exists()
    # The stop was orderly, not a 15 s timeout followed by SIGKILL.
    assert "killing" not in running.log(), running.log()[-4000:]


@pytest.mark.integration
def test_a_sigkilled_serve_leaves_nothing_for_long(
    running: Running, serve_env: tuple[Path, dict[str, str]]
) -> None:
    """Even SIGKILL of the launcher stops everything (parent-death signals), and the next
    start on the same data directory works."""
    wait_healthy(running)
    family = descendants(running.proc.pid)
    running.proc.kill()
    running.proc.wait()
    deadline = time.monotonic() + 30
    while any(pid_alive(pid) for pid in family):
        assert time.monotonic() < deadline, {p for p in family if pid_alive(p)}
        time.sleep(0.2)
    assert not processes_mentioning(str(running.data_dir))


@pytest.mark.integration
def test_serve_starts_a_killed_embedded_broker_again_and_work_goes_on(running: Running) -> None:
    wait_healthy(running)
    broker_dir = running.data_dir / "broker"
    pidfile = broker_dir / "valkey.pid"
    first = int(pidfile.read_text())
    os.kill(first, signal.SIGKILL)

    def new_broker() -> int | None:
        assert running.proc.poll() is None, f"serve exited:\n{running.log()[-4000:]}"
        try:
            pid = int(pidfile.read_text())
            answers = redis.Redis(unix_socket_path=str(broker_dir / "valkey.sock")).ping()
        except (OSError, ValueError, redis.RedisError):
            return None
        return pid if pid != first and pid_alive(pid) and answers else None

    second = wait_for(new_broker, 60, "the broker to be started again")
    assert second in descendants(running.proc.pid)

    # The worker reconnects: a task sent through the new broker runs and returns its result.
    url = f"redis+socket://{broker_dir / 'valkey.sock'}"
    client = Celery("test-client", broker=url, backend=url)
    try:
        message = "after the broker came back"
        result = client.send_task("photonix.core.tasks.ping", args=[message], queue="default")
        assert result.get(timeout=120) == message
    finally:
        client.close()
    assert wait_healthy(running) == {"status": "ok"}
    log = running.log()
    assert "the embedded broker exited unexpectedly with signal SIGKILL" in log
    assert "the embedded broker: started again" in log

    # ... and everything still stops cleanly, the new broker last.
    family = descendants(running.proc.pid)
    running.proc.send_signal(signal.SIGTERM)
    assert running.proc.wait(timeout=30) == 0, running.log()[-4000:]
    assert not {p for p in family if pid_alive(p)}
    assert not processes_mentioning(str(running.data_dir))
    assert not (broker_dir / "valkey.sock").exists()
