"""``photonix serve``: the whole application on one machine.

In order: refuse a production configuration that is not safe; create the data directory; start
the embedded broker when ``REDIS_URL`` is not set (stopping a stale one first); apply the
database migrations; then run and supervise the web server, one Celery worker on every queue,
Celery beat, the folder watcher and Flower, and print where to find them. A child or an
embedded broker that dies is started again with back-off (the workers reconnect to the broker
by themselves). Ctrl-C (SIGINT), SIGTERM or SIGHUP stop the children first and the broker last.

Every child gets the launcher's environment, with ``PHOTONIX_DATA_DIR`` made absolute: each reads
the same configuration from it and finds the embedded broker through
:attr:`photonix.conf.Config.broker_url`. This module does not import Django.
"""

from __future__ import annotations

import contextlib
import logging
import logging.config
import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from types import FrameType

from photonix import conf
from photonix.broker import BrokerError, EmbeddedBroker
from photonix.logconfig import logging_dict
from photonix.supervisor import ChildSpec, Supervisor, die_with_parent

logger = logging.getLogger("photonix.serve")

LOOPBACK_OR_ANY = ("127.0.0.1", "localhost", "0.0.0.0", "::", "[::]", "::1", "[::1]")  # noqa: S104


class ServeError(RuntimeError):
    """A start-up step failed; the message says which and what to look at."""


class _Interrupted(BaseException):
    """Raised by the start-up signal handler: stop starting, clean up, exit 0."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def child_env(config: conf.Config, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment every child of ``serve`` runs with."""
    env = dict(os.environ if base is None else base)
    env[f"{conf.PREFIX}DATA_DIR"] = str(config.data_dir)
    env.setdefault("DJANGO_SETTINGS_MODULE", "photonix.settings")
    env["PYTHONUNBUFFERED"] = "1"  # log lines reach the console as they are written
    return env


def child_specs(config: conf.Config, env: Mapping[str, str]) -> list[ChildSpec]:
    """The processes ``serve`` supervises for ``config``."""
    python = [sys.executable, "-m", "photonix"]
    specs = [
        ChildSpec("web", [*python, "web"], env),
        ChildSpec("worker", [*python, "worker"], env),
        ChildSpec("beat", [*python, "beat"], env),
    ]
    if config.watcher_enabled:
        specs.append(ChildSpec("watch", [*python, "watch"], env))
    if config.flower_enabled:
        specs.append(ChildSpec("flower", [*python, "flower", "--address", "127.0.0.1"], env))
    return specs


def web_url(config: conf.Config) -> str:
    """The URL a person on this machine opens."""
    host = "127.0.0.1" if config.bind in LOOPBACK_OR_ANY else config.bind
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{config.port}/"


def banner(config: conf.Config) -> str:
    """What ``serve`` prints once everything has been started."""
    lines = ["", "Photonix is starting:", f"  web        {web_url(config)}"]
    if config.bind not in ("127.0.0.1", "localhost", "::1", "[::1]"):
        lines.append(f"             (listening on {config.bind}:{config.port})")
    if config.flower_enabled:
        lines.append(
            f"  flower     http://127.0.0.1:{config.flower_port}/ (its login: photonix status)"
        )
    lines.append(f"  data dir   {config.data_dir}")
    broker = config.broker_url if config.embedded_broker else conf.redact_url(config.broker_url)
    lines.append(f"  broker     {broker}{' (embedded)' if config.embedded_broker else ''}")
    lines.append("Press Ctrl-C to stop.")
    return "\n".join(lines) + "\n"


def migrate(env: Mapping[str, str]) -> None:
    """Apply the database migrations in a child process; raise :class:`ServeError` on failure."""
    argv = [sys.executable, "-m", "photonix", "manage", "migrate", "--noinput"]
    logger.info("applying database migrations")
    try:
        result = subprocess.run(  # noqa: S603 - fixed argv, no shell
            argv,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            check=False,
            preexec_fn=die_with_parent(signal.SIGTERM),
        )
    except OSError as exc:
        raise ServeError(f"Cannot run the database migrations: {exc}") from exc
    if result.returncode != 0:
        raise ServeError(
            f"The database migrations failed ({_describe(result.returncode)}); see the output "
            "above. Fix the cause, then start Photonix again."
        )


def _print(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _describe(returncode: int) -> str:
    if returncode < 0:
        return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """During start-up, turn SIGINT, SIGTERM and SIGHUP into :class:`_Interrupted`."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise _Interrupted(signum)

    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, handler) for sig in signals}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, signal.SIG_DFL if old is None else old)


def _configure_logging(config: conf.Config) -> None:
    logging.config.dictConfig(logging_dict(config))


def _supervise(config: conf.Config, env: Mapping[str, str], broker: EmbeddedBroker | None) -> int:
    """Run the children until a stop signal. An embedded broker that dies is started again."""
    services = {"the embedded broker": broker} if broker is not None else {}
    supervisor = Supervisor(child_specs(config, env), services=services)
    # run() replaces the start-up signal handlers with its own until every child has stopped.
    return supervisor.run(on_started=lambda: _print(banner(config)))


def serve(config: conf.Config) -> int:
    """Run Photonix on this machine until a stop signal. Returns the process exit code."""
    problems = config.check_production()
    if problems:
        sys.stderr.write("photonix serve: refusing to start in production:\n")
        sys.stderr.writelines(f"  - {problem}\n" for problem in problems)
        return 2
    config.data_dir.mkdir(parents=True, exist_ok=True)
    config.log_dir.mkdir(parents=True, exist_ok=True)
    _configure_logging(config)
    env = child_env(config)
    broker = EmbeddedBroker(config) if config.embedded_broker else None
    try:
        with _interruptible():
            if broker is not None:
                logger.info("starting the embedded broker in %s", config.broker_dir)
                broker.start()
            migrate(env)
            return _supervise(config, env, broker)
    except _Interrupted as exc:
        logger.info("received %s during start-up; stopping", signal.Signals(exc.signum).name)
        return 0
    except (BrokerError, ServeError) as exc:
        sys.stderr.write(f"photonix serve: {exc}\n")
        return 1
    finally:
        if broker is not None:
            # A signal here must not leave the broker running without its launcher.
            with _ignoring_stop_signals():
                broker.stop()
                logger.info("embedded broker stopped")


@contextlib.contextmanager
def _ignoring_stop_signals() -> Iterator[None]:
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in signals}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, signal.SIG_DFL if old is None else old)
