"""Hosts in network namespaces on this machine, for the multi-host test and ``bench/hosts.py``.

One namespace is the *services* host: it holds a bridge (the network "switch") with the services
address ``10.213.<n>.1/24`` and runs PostgreSQL and Redis bound to that address only. Every other
host is a namespace with one veth whose far end is plugged into that bridge, and an address
``10.213.<n>.<10+i>``. The root namespace (where the test runs) gets one veth into the bridge too,
``10.213.<n>.254``, so the test reaches the services directly. ``<n>`` is a /24 not routed here.

Worker processes start through ``ip netns exec <ns> unshare --uts``, with the host's own host
name, so Celery names each worker after its host as it would on real machines. The data directory
is a local folder every host sees: it stands for the shared storage the hosts would mount.

Everything made here — processes, interfaces, namespaces — is removed by :meth:`Hosts.cleanup`.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[2]
ALL_QUEUES = "import,media,classify,faces,default"


class Unavailable(Exception):  # noqa: N818 - a reason to skip, not an error
    """This machine cannot make the hosts (not root, no ``ip``, no netns, no PostgreSQL)."""


def _run(*argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, check=check, capture_output=True, text=True, timeout=60)


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def check_machine() -> str | None:
    """Why the hosts cannot be made here, or None when they can."""
    if not sys.platform.startswith("linux"):
        return "network namespaces need Linux"
    if os.geteuid() != 0:
        return "creating network namespaces needs root"
    packages = {
        "ip": "iproute2",
        "unshare": "util-linux",
        "hostname": "hostname",
        "runuser": "util-linux",
        "redis-server": "redis-server",
    }
    for tool, package in packages.items():
        if shutil.which(tool) is None:
            return f"the {tool!r} command is not installed (Debian package {package})"
    if postgres_bin() is None:
        return (
            "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin "
            "(Debian package postgresql)"
        )
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "no 'postgres' user to run PostgreSQL as"
    return None


def _used_subnets() -> set[int]:
    out = _run("ip", "-4", "route", "show", "table", "all", check=False).stdout
    out += _run("ip", "-4", "addr", check=False).stdout
    return {n for n in range(256) if f"10.213.{n}." in out}


@dataclass
class Host:
    name: str  # host name and namespace name
    address: str
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)


class Hosts:
    """The services host plus worker hosts, named ``<prefix><role>-<pid>``."""

    def __init__(self, base: Path, prefix: str = "px") -> None:
        self.base = base
        self.tag = str(os.getpid())
        self.prefix = prefix
        self.root_veth = f"{prefix}r{self.tag}"[:15]
        self.subnet = self._pick_subnet()
        self.services = Host(f"{prefix}db-{self.tag}", self.address(1))
        self.hosts: dict[str, Host] = {}
        self._namespaces: list[str] = []
        self._pg_data = base / "pg"
        self.logs = base / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)

    # -- addresses ---------------------------------------------------------------------------
    @staticmethod
    def _pick_subnet() -> int:
        used = _used_subnets()
        start = 20 + os.getpid() % 200
        for offset in range(200):
            n = 20 + (start - 20 + offset) % 200
            if n not in used:
                return n
        raise Unavailable("no free 10.213.x.0/24 subnet")

    def address(self, host: int) -> str:
        return f"10.213.{self.subnet}.{host}"

    @property
    def database_url(self) -> str:
        return f"postgresql://postgres@{self.services.address}:5432/photonix"

    @property
    def redis_url(self) -> str:
        return f"redis://{self.services.address}:6379/0"

    # -- the network -------------------------------------------------------------------------
    def _add_namespace(self, name: str) -> None:
        result = _run("ip", "netns", "add", name, check=False)
        if result.returncode != 0:
            raise Unavailable(f"'ip netns add' failed: {result.stderr.strip()}")
        self._namespaces.append(name)
        _run("ip", "-n", name, "link", "set", "lo", "up")

    def make_services_host(self) -> None:
        ns = self.services.name
        self._add_namespace(ns)
        result = _run("ip", "-n", ns, "link", "add", "br0", "type", "bridge", check=False)
        if result.returncode != 0:
            raise Unavailable(f"cannot create a bridge in a namespace: {result.stderr.strip()}")
        _run("ip", "-n", ns, "addr", "add", f"{self.services.address}/24", "dev", "br0")
        _run("ip", "-n", ns, "link", "set", "br0", "up")
        # The test's own way in: a veth from the root namespace into the bridge.
        _run(
            "ip",
            "link",
            "add",
            self.root_veth,
            "type",
            "veth",
            "peer",
            "name",
            "p-root",
            "netns",
            ns,
        )
        _run("ip", "-n", ns, "link", "set", "p-root", "master", "br0", "up")
        _run("ip", "addr", "add", f"{self.address(254)}/24", "dev", self.root_veth)
        _run("ip", "link", "set", self.root_veth, "up")

    def add_host(self, role: str) -> Host:
        """A new worker host plugged into the services host's bridge."""
        index = len(self.hosts) + 1
        host = Host(f"{self.prefix}{role}-{self.tag}", self.address(10 + index))
        self._add_namespace(host.name)
        port = f"p-{index}"
        _run(
            "ip",
            "link",
            "add",
            "eth0",
            "netns",
            host.name,
            "type",
            "veth",
            "peer",
            "name",
            port,
            "netns",
            self.services.name,
        )
        _run("ip", "-n", self.services.name, "link", "set", port, "master", "br0", "up")
        _run("ip", "-n", host.name, "addr", "add", f"{host.address}/24", "dev", "eth0")
        _run("ip", "-n", host.name, "link", "set", "eth0", "up")
        self.hosts[role] = host
        return host

    # -- processes ---------------------------------------------------------------------------
    def spawn(
        self, host: Host, argv: Sequence[str], env: dict[str, str], log_name: str
    ) -> subprocess.Popen[bytes]:
        """Run ``argv`` on ``host``: its namespace, its own host name, its own process group."""
        log = self.logs / f"{log_name}.log"
        with log.open("ab") as out:
            proc = subprocess.Popen(
                [
                    "ip",
                    "netns",
                    "exec",
                    host.name,
                    "unshare",
                    "--uts",
                    "sh",
                    "-c",
                    'hostname "$0" && exec "$@"',
                    host.name,
                    *argv,
                ],
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        host.procs.append(proc)
        host.logs.append(log)
        return proc

    def start_worker(
        self, host: Host, env: dict[str, str], queues: str = ALL_QUEUES, concurrency: int = 2
    ) -> subprocess.Popen[bytes]:
        argv = [sys.executable, "-m", "photonix", "worker", "--queues", queues]
        argv += ["--concurrency", str(concurrency)]
        return self.spawn(host, argv, env, f"worker-{host.name}")

    def pids(self, host: Host) -> set[int]:
        """Every process running in the host's namespace."""
        out = _run("ip", "netns", "pids", host.name, check=False).stdout
        return {int(p) for p in out.split()}

    def kill_host(self, host: Host) -> set[int]:
        """The host dies: SIGKILL to every process in its namespace, until none is left
        (a process forked while the first ones were being killed is killed too)."""
        killed: set[int] = set()
        deadline = time.monotonic() + 15
        while (alive := self.pids(host)) and time.monotonic() < deadline:
            for pid in alive:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            killed |= alive
            for proc in host.procs:
                proc.poll()  # reap our own child, so no zombie lingers in the list
            time.sleep(0.05)
        for proc in host.procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
        return killed

    # -- services ----------------------------------------------------------------------------
    def start_services(self) -> None:
        bindir = postgres_bin()
        assert bindir is not None
        os.chmod(self.base, 0o755)  # noqa: PTH101, S103 - the postgres user must reach its folder
        self._pg_data.mkdir()
        (self._pg_data / "run").mkdir()
        uid, gid = pwd.getpwnam("postgres").pw_uid, pwd.getpwnam("postgres").pw_gid
        for path in (self._pg_data, self._pg_data / "run"):
            os.chown(path, uid, gid)
        pgdata = self._pg_data / "db"
        _run(
            "runuser",
            "-u",
            "postgres",
            "--",
            str(bindir / "initdb"),
            "-D",
            str(pgdata),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
        )
        with (pgdata / "pg_hba.conf").open("a") as hba:
            hba.write(f"host all all 10.213.{self.subnet}.0/24 trust\n")
        self.spawn(
            self.services,
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(bindir / "postgres"),
                "-D",
                str(pgdata),
                "-c",
                f"listen_addresses={self.services.address}",
                "-c",
                "port=5432",
                "-c",
                f"unix_socket_directories={self._pg_data / 'run'}",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200",
            ],
            dict(os.environ),
            "postgres",
        )
        self.spawn(
            self.services,
            [
                "redis-server",
                "--bind",
                self.services.address,
                "--port",
                "6379",
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "no",
            ],
            dict(os.environ),
            "redis",
        )
        admin = f"postgresql://postgres@{self.services.address}:5432/postgres"
        deadline = time.monotonic() + 60
        while True:
            try:
                with psycopg.connect(admin, autocommit=True, connect_timeout=2) as conn:
                    conn.execute("CREATE DATABASE photonix")
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        client = redis.Redis.from_url(self.redis_url, socket_timeout=2, socket_connect_timeout=2)
        while True:
            try:
                client.ping()
                break
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        client.close()

    # -- the end -----------------------------------------------------------------------------
    def _stop_services(self) -> None:
        # SIGINT: PostgreSQL's fast shutdown, and a clean stop for Redis (runuser passes it on).
        for pid in self.pids(self.services):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGINT)
        for proc in self.services.procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=15)

    def cleanup(self) -> None:
        """Remove every process, interface and namespace this object made. Never raises."""
        for host in self.hosts.values():
            with contextlib.suppress(Exception):
                self.kill_host(host)
        with contextlib.suppress(Exception):
            self._stop_services()
        for name in self._namespaces:
            with contextlib.suppress(Exception):
                for pid in {int(p) for p in _run("ip", "netns", "pids", name).stdout.split()}:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
        for host in [*self.hosts.values(), self.services]:
            for proc in host.procs:
                with contextlib.suppress(Exception):
                    proc.wait(timeout=10)
        for name in self._namespaces:
            _run("ip", "netns", "del", name, check=False)
        _run("ip", "link", "del", self.root_veth, check=False)
        self._namespaces.clear()
