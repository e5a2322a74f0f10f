"""The process supervisor, driving real child processes.

Each test runs the supervisor in a subprocess of its own (it installs signal handlers and is sent
signals), with short back-off and stop timeouts so the tests stay quick.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from photonix.supervisor import Supervisor, describe_exit

SRC_DIR = Path(__file__).resolve().parents[1] / "src"

DRIVER = textwrap.dedent(
    """
    import json, logging, subprocess, sys
    from photonix.supervisor import ChildSpec, Supervisor
    logging.basicConfig(level=logging.INFO, format="%(name)s %(message)s")
    settings = json.loads(sys.argv[1])
    specs = [ChildSpec(name, argv) for name, argv in settings.pop("children").items()]

    class Service:
        # Started here, before the supervisor, as serve starts the embedded broker.

        def __init__(self, argv):
            self.argv = argv
            self.process = subprocess.Popen(argv, start_new_session=True)

        def respawn(self):
            self.process = subprocess.Popen(self.argv, start_new_session=True)
            print(json.dumps({"respawned": self.process.pid}), flush=True)

    services = {n: Service(a) for n, a in settings.pop("services", {}).items()}
    supervisor = Supervisor(specs, services=services, **settings)

    def started():
        pids = {**supervisor.pids, **{n: s.process.pid for n, s in services.items()}}
        print(json.dumps(pids), flush=True)

    code = supervisor.run(on_started=started)
    for service in services.values():  # the owner stops its services, after the children
        service.process.terminate()
        service.process.wait()
    print("supervisor returned", code, file=sys.stderr, flush=True)
    sys.exit(code)
    """
)


def py(code: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code)]


def pid_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes().rpartition(b")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state not in (b"Z", b"X")


def wait_for(predicate: Callable[[], object], timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


class Driver:
    def __init__(self, tmp_path: Path, children: dict[str, list[str]], **settings: object) -> None:
        self.log_path = tmp_path / "supervisor.log"
        self.log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", DRIVER, json.dumps({"children": children, **settings})],
            stdout=subprocess.PIPE,
            stderr=self.log,
            env={**os.environ, "PYTHONPATH": str(SRC_DIR)},
            start_new_session=True,
        )
        assert self.proc.stdout is not None
        self.pids: dict[str, int] = json.loads(self.proc.stdout.readline() or "{}")

    def output(self) -> str:
        return self.log_path.read_text()

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[list[Driver]]:
    started: list[Driver] = []
    yield started
    for d in started:
        d.close()


def test_backoff_doubles_and_is_capped() -> None:
    supervisor = Supervisor([])
    assert [supervisor.backoff(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]
    assert supervisor.backoff(1000) == 30


def test_describe_exit() -> None:
    assert describe_exit(3) == "exit code 3"
    assert describe_exit(-signal.SIGKILL) == "signal SIGKILL"


def test_a_crashing_child_is_restarted_with_growing_delays(
    tmp_path: Path, driver: list[Driver]
) -> None:
    starts = tmp_path / "starts"
    crasher = py(
        f"""
        import sys, time
        with open({str(starts)!r}, "a") as f:
            f.write(f"{{time.monotonic()}}\\n")
        sys.exit(3)
        """
    )
    steady = py("import time; time.sleep(300)")
    d = Driver(
        tmp_path,
        {"crasher": crasher, "steady": steady},
        backoff_initial=0.25,
        backoff_max=1.0,
        stop_timeout=5,
    )
    driver.append(d)
    assert wait_for(lambda: starts.exists() and len(starts.read_text().split()) >= 6, 15)
    times = [float(t) for t in starts.read_text().split()]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # 0.25, 0.5, 1.0 (capped), 1.0, ... plus the time the interpreter takes to start.
    assert gaps[0] >= 0.25
    assert gaps[1] >= 0.5
    assert gaps[2] >= 1.0
    assert gaps[1] > gaps[0] + 0.15 and gaps[2] > gaps[1] + 0.3
    assert all(1.0 <= gap < 2.5 for gap in gaps[2:5])
    output = d.output()
    assert "crasher: exited unexpectedly with exit code 3" in output
    assert re.search(r"restarting in 0\.2s", output) or "restarting in 0.3s" in output
    assert "restarting in 1.0s" in output
    # The steady child was never touched.
    assert pid_alive(d.pids["steady"])
    assert "steady: exited" not in output
    d.proc.send_signal(signal.SIGTERM)
    assert d.proc.wait(timeout=10) == 0


def test_the_delay_resets_after_a_long_enough_run(tmp_path: Path, driver: list[Driver]) -> None:
    flaky = py("import sys, time; time.sleep(0.6); sys.exit(1)")
    d = Driver(tmp_path, {"flaky": flaky}, backoff_initial=0.2, backoff_max=5.0, stable_after=0.5)
    driver.append(d)
    assert wait_for(lambda: d.output().count("restarting in") >= 3, 15)
    delays = re.findall(r"restarting in ([0-9.]+)s", d.output())
    assert delays[:3] == ["0.2", "0.2", "0.2"]
    d.proc.send_signal(signal.SIGINT)
    assert d.proc.wait(timeout=10) == 0


def test_a_child_that_cannot_start_is_retried(tmp_path: Path, driver: list[Driver]) -> None:
    d = Driver(tmp_path, {"missing": [str(tmp_path / "no-such-program")]}, backoff_initial=0.1)
    driver.append(d)
    assert wait_for(lambda: d.output().count("missing: cannot start") >= 2, 10)
    d.proc.send_signal(signal.SIGTERM)
    assert d.proc.wait(timeout=10) == 0


FAMILY = """
import os, signal, subprocess, sys, time
{setup}
kids = [subprocess.Popen([sys.executable, "-c", {grandchild!r}]) for _ in range(2)]
with open({pids_file!r}, "w") as f:
    f.write(" ".join(str(k.pid) for k in kids))
time.sleep(300)
"""
POLITE_GRANDCHILD = "import time; time.sleep(300)"
STUBBORN_GRANDCHILD = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(300)"
)


def family(pids_file: Path, *, grandchild: str, setup: str = "") -> list[str]:
    return py(FAMILY.format(setup=setup, grandchild=grandchild, pids_file=str(pids_file)))


@pytest.mark.parametrize(
    "stop_signal",
    [signal.SIGTERM, signal.SIGINT, signal.SIGHUP],
    ids=["SIGTERM", "SIGINT", "SIGHUP"],
)
def test_stop_signal_stops_children_and_grandchildren(
    tmp_path: Path, driver: list[Driver], stop_signal: signal.Signals
) -> None:
    files = {name: tmp_path / f"{name}.pids" for name in ("polite", "stubborn", "deaf")}
    children = {
        # Exits on SIGTERM; its children exit on SIGTERM too.
        "polite": family(files["polite"], grandchild=POLITE_GRANDCHILD),
        # Exits on SIGTERM, but leaves children that ignore it (killed with the group).
        "stubborn": family(files["stubborn"], grandchild=STUBBORN_GRANDCHILD),
        # Ignores SIGTERM itself: SIGKILL after the stop timeout.
        "deaf": family(
            files["deaf"],
            grandchild=POLITE_GRANDCHILD,
            setup="signal.signal(signal.SIGTERM, signal.SIG_IGN)",
        ),
    }
    d = Driver(tmp_path, children, stop_timeout=2.0)
    driver.append(d)
    assert set(d.pids) == set(children)
    assert wait_for(lambda: all(f.exists() and f.read_text() for f in files.values()), 10)
    grandchildren = [int(p) for f in files.values() for p in f.read_text().split()]
    everyone = [*d.pids.values(), *grandchildren]
    assert all(pid_alive(pid) for pid in everyone)

    started = time.monotonic()
    d.proc.send_signal(stop_signal)
    assert d.proc.wait(timeout=15) == 0
    elapsed = time.monotonic() - started
    assert elapsed >= 1.5, "SIGKILL should follow the 2 s stop timeout, not come before it"
    leftovers = [pid for pid in everyone if pid_alive(pid)]
    assert leftovers == []
    output = d.output()
    assert "killing" in output and "deaf" in output
    assert "supervisor returned 0" in output


def test_a_second_signal_kills_at_once(tmp_path: Path, driver: list[Driver]) -> None:
    ready = tmp_path / "deaf.ready"
    deaf = py(
        f"""
        import pathlib, signal, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        pathlib.Path({str(ready)!r}).touch()
        time.sleep(300)
        """
    )
    d = Driver(tmp_path, {"deaf": deaf}, stop_timeout=30.0)
    driver.append(d)
    assert wait_for(ready.exists, 30), "the child never ignored SIGTERM"
    d.proc.send_signal(signal.SIGINT)
    # The second signal once the first is handled: two sent at once may arrive as one.
    assert wait_for(lambda: "received SIGINT; stopping" in d.output(), 30), d.output()
    d.proc.send_signal(signal.SIGINT)
    # Well before the 30 s stop timeout: the second signal, not the timeout, ended the child.
    assert d.proc.wait(timeout=20) == 0
    assert not pid_alive(d.pids["deaf"])


def test_children_of_a_sigkilled_supervisor_do_not_survive(
    tmp_path: Path, driver: list[Driver]
) -> None:
    d = Driver(tmp_path, {"a": py("import time; time.sleep(300)"), "b": ["sleep", "300"]})
    driver.append(d)
    d.proc.kill()  # the supervisor alone; its children are in sessions of their own
    d.proc.wait()
    assert wait_for(lambda: not any(pid_alive(pid) for pid in d.pids.values()), 10)


def test_a_child_killed_from_outside_is_restarted_and_its_orphans_reaped(
    tmp_path: Path, driver: list[Driver]
) -> None:
    pids_file = tmp_path / "kids.pids"
    d = Driver(
        tmp_path,
        {"parent": family(pids_file, grandchild=POLITE_GRANDCHILD)},
        backoff_initial=0.2,
    )
    driver.append(d)
    assert wait_for(lambda: pids_file.exists() and pids_file.read_text(), 10)
    orphans = [int(p) for p in pids_file.read_text().split()]
    pids_file.unlink()
    os.kill(d.pids["parent"], signal.SIGKILL)
    assert wait_for(lambda: "parent: exited unexpectedly with signal SIGKILL" in d.output(), 10)
    assert wait_for(lambda: not any(pid_alive(pid) for pid in orphans), 5)
    assert wait_for(lambda: pids_file.exists() and pids_file.read_text(), 10), "not restarted"
    d.proc.send_signal(signal.SIGTERM)
    assert d.proc.wait(timeout=15) == 0


def test_a_service_that_dies_is_started_again_and_nothing_else_stops(
    tmp_path: Path, driver: list[Driver]
) -> None:
    """What happens to ``photonix serve`` when its embedded broker is SIGKILLed."""
    d = Driver(
        tmp_path,
        {"a": py("import time; time.sleep(300)")},
        services={"the broker": ["sleep", "300"]},
        backoff_initial=0.2,
    )
    driver.append(d)
    first = d.pids["the broker"]
    os.kill(first, signal.SIGKILL)
    assert d.proc.stdout is not None
    second = json.loads(d.proc.stdout.readline())["respawned"]
    assert second != first and pid_alive(second)
    assert wait_for(lambda: "the broker: started again" in d.output(), 10)
    output = d.output()
    assert "the broker exited unexpectedly with signal SIGKILL" in output
    assert "restarting it in 0.2s" in output
    assert pid_alive(d.pids["a"]), "the children go on"
    assert "a: exited unexpectedly" not in output

    os.kill(second, signal.SIGKILL)  # a quick second death waits longer
    third = json.loads(d.proc.stdout.readline())["respawned"]
    assert pid_alive(third)
    assert "restarting it in 0.4s" in d.output()

    d.proc.send_signal(signal.SIGTERM)
    assert d.proc.wait(timeout=15) == 0
    assert not pid_alive(d.pids["a"]) and not pid_alive(third)
