"""The embedded broker: a real valkey-server on a Unix socket in a temporary data directory."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from photonix import conf
from photonix.broker import (
    MAX_SOCKET_PATH_BYTES,
    BrokerError,
    EmbeddedBroker,
    cleanup_stale,
    is_broker_process,
    render_config,
    server_binary,
)

SRC_DIR = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A short data directory (pytest's tmp_path can exceed the Unix socket path limit)."""
    path = Path(tempfile.mkdtemp(prefix="pxb-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def make_config(data_dir: Path) -> conf.Config:
    # An explicit mapping: the test environment's REDIS_URL must not switch the broker off.
    return conf.load({"PHOTONIX_DATA_DIR": str(data_dir)})


def pid_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes().rpartition(b")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state not in (b"Z", b"X")


def wait_gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.05)
    return False


def ping(socket_path: Path) -> bool:
    client = redis.Redis(unix_socket_path=str(socket_path), socket_timeout=1)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def test_starts_on_a_private_socket_without_tcp(data_dir: Path) -> None:
    config = make_config(data_dir)
    with EmbeddedBroker(config) as broker:
        assert broker.url == config.broker_url == f"redis+socket://{config.broker_socket}"
        assert broker.is_running()
        mode = stat.S_IMODE(config.broker_socket.stat().st_mode)
        assert mode == 0o700
        client = broker.client()
        assert client.config_get("port") == {"port": "0"}
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        assert client.config_get("dir") == {"dir": str(config.broker_dir)}
        assert (config.broker_dir / "valkey.pid").read_text().strip() == str(broker.pid)
        pid = broker.pid
        client.close()
    assert pid is not None and wait_gone(pid, 1)
    assert not config.broker_socket.exists()
    assert not (config.broker_dir / "valkey.pid").exists()
    assert "Ready to accept connections" in (config.log_dir / "broker.log").read_text()


def test_data_survives_a_clean_restart(data_dir: Path) -> None:
    config = make_config(data_dir)
    with EmbeddedBroker(config) as broker:
        client = broker.client()
        client.rpush("celery", b"task-1", b"task-2")
        client.close()
    assert (config.broker_dir / "appendonlydir").is_dir()
    with EmbeddedBroker(config) as broker:
        client = broker.client()
        assert client.lrange("celery", 0, -1) == [b"task-1", b"task-2"]
        client.close()


def test_data_survives_a_killed_server(data_dir: Path) -> None:
    """A write that reached the append-only file survives SIGKILL of the server (what SIGKILL
    loses is only what the server had not written yet; fsync matters for a power cut)."""
    config = make_config(data_dir)
    broker = EmbeddedBroker(config)
    broker.start()
    try:
        client = broker.client()
        client.set("chord-counter", 7)
        client.close()
        logs = config.broker_dir / "appendonlydir"

        def written() -> bool:
            return any(b"chord-counter" in f.read_bytes() for f in logs.glob("*.incr.aof"))

        deadline = time.monotonic() + 30
        while not written():
            assert time.monotonic() < deadline, "the write never reached the append-only file"
            time.sleep(0.05)
        assert broker.pid is not None
        os.kill(broker.pid, signal.SIGKILL)
        assert wait_gone(broker.pid)
    finally:
        broker.stop()
    with EmbeddedBroker(config) as broker:
        client = broker.client()
        assert client.get("chord-counter") == b"7"
        client.close()


LAUNCHER = textwrap.dedent(
    """
    import sys, time
    from photonix import conf
    from photonix.broker import EmbeddedBroker
    broker = EmbeddedBroker(conf.load({"PHOTONIX_DATA_DIR": sys.argv[1]}))
    broker.start()
    print(broker.pid, flush=True)
    time.sleep(600)
    """
)


def test_server_dies_with_a_sigkilled_launcher(data_dir: Path) -> None:
    config = make_config(data_dir)
    launcher = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, str(data_dir)],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(SRC_DIR)},
    )
    try:
        assert launcher.stdout is not None
        server_pid = int(launcher.stdout.readline())
        assert ping(config.broker_socket)
        launcher.kill()
        launcher.wait()
        # The parent-death signal (SIGTERM) stops the server, which shuts down cleanly.
        assert wait_gone(server_pid), "the broker outlived its SIGKILLed launcher"
    finally:
        if launcher.poll() is None:
            launcher.kill()
            launcher.wait()
    # The launcher's lock went with it: the next start succeeds.
    with EmbeddedBroker(config) as broker:
        assert broker.is_running()


def start_orphan_server(config: conf.Config) -> subprocess.Popen[bytes]:
    """A valkey-server with our configuration but no parent-death signal, like one left behind."""
    config.broker_dir.mkdir(parents=True, exist_ok=True)
    config.log_dir.mkdir(parents=True, exist_ok=True)
    conf_path = config.broker_dir / "valkey.conf"
    conf_path.write_text(render_config(config))
    server = subprocess.Popen(
        [str(server_binary()), str(conf_path)],
        cwd=config.broker_dir,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not ping(config.broker_socket):
        assert time.monotonic() < deadline, "the orphan server did not start"
        time.sleep(0.05)
    assert (config.broker_dir / "valkey.pid").read_text().strip() == str(server.pid)
    return server


def test_a_stale_server_is_stopped_through_its_pidfile(data_dir: Path) -> None:
    config = make_config(data_dir)
    orphan = start_orphan_server(config)
    try:
        assert is_broker_process(orphan.pid, config.broker_dir, config.broker_socket)
        with EmbeddedBroker(config) as broker:
            # It was stopped with SIGTERM (clean shutdown), not left running beside the new one.
            assert orphan.wait(timeout=5) == 0
            assert broker.pid != orphan.pid
            assert broker.is_running()
            assert (config.broker_dir / "valkey.pid").read_text().strip() == str(broker.pid)
    finally:
        if orphan.poll() is None:
            orphan.kill()
            orphan.wait()


def test_a_stale_server_without_pidfile_is_found(data_dir: Path) -> None:
    config = make_config(data_dir)
    orphan = start_orphan_server(config)
    try:
        (config.broker_dir / "valkey.pid").unlink()
        assert cleanup_stale(config) == [orphan.pid]
        assert orphan.wait(timeout=5) == 0
        assert not config.broker_socket.exists()
    finally:
        if orphan.poll() is None:
            orphan.kill()
            orphan.wait()


def test_a_recycled_pid_in_the_pidfile_is_left_alone(data_dir: Path) -> None:
    config = make_config(data_dir)
    config.broker_dir.mkdir(parents=True)
    bystander = subprocess.Popen(["sleep", "60"])
    try:
        (config.broker_dir / "valkey.pid").write_text(f"{bystander.pid}\n")
        assert cleanup_stale(config) == []
        assert bystander.poll() is None
        assert not (config.broker_dir / "valkey.pid").exists()
    finally:
        bystander.kill()
        bystander.wait()


def test_a_stale_socket_file_is_removed(data_dir: Path) -> None:
    import socket

    config = make_config(data_dir)
    config.broker_dir.mkdir(parents=True)
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(config.broker_socket))  # closed without unlink: nobody listens
    assert config.broker_socket.exists()
    with EmbeddedBroker(config) as broker:
        assert broker.is_running()


def test_a_second_launcher_on_the_same_data_dir_is_refused(data_dir: Path) -> None:
    config = make_config(data_dir)
    with EmbeddedBroker(config) as first:
        with pytest.raises(BrokerError, match="Another Photonix launcher") as info:
            EmbeddedBroker(config).start()
        assert str(os.getpid()) in str(info.value)
        assert first.is_running()


def test_a_socket_path_too_long_is_refused_with_advice(tmp_path: Path) -> None:
    long_dir = tmp_path / ("x" * (MAX_SOCKET_PATH_BYTES - len(str(tmp_path))))
    config = conf.load({"PHOTONIX_DATA_DIR": str(long_dir), "PHOTONIX_SECRET_KEY": "k" * 60})
    assert len(str(config.broker_socket)) > MAX_SOCKET_PATH_BYTES
    with pytest.raises(BrokerError) as info:
        EmbeddedBroker(config).start()
    message = str(info.value)
    assert "PHOTONIX_DATA_DIR" in message
    assert "REDIS_URL" in message
    assert not long_dir.exists()


def test_a_start_up_failure_shows_the_broker_log(data_dir: Path) -> None:
    config = make_config(data_dir)
    with EmbeddedBroker(config):
        pass
    manifest = config.broker_dir / "appendonlydir" / "appendonly.aof.manifest"
    manifest.write_text("this is not a manifest\n")
    broker = EmbeddedBroker(config, startup_timeout=10)
    with pytest.raises(BrokerError, match="exited during start-up") as info:
        broker.start()
    assert "manifest" in str(info.value).lower()
    assert broker.pid is None
    # The lock was released: a fixed data directory starts again.
    manifest.unlink()
    shutil.rmtree(config.broker_dir / "appendonlydir")
    with EmbeddedBroker(config) as again:
        assert again.is_running()
