#!/usr/bin/env bash
# Install the Debian packages Photonix needs, when they are missing.
#   scripts/system-deps.sh run    what `make run` needs (exiftool)
#   scripts/system-deps.sh test   what `make test` needs as well (Chromium for the browser tests)
# Both: pgvector for each PostgreSQL server installed here (smart search's vector index), when
# the distribution packages it (Debian 13 does, as postgresql-<version>-pgvector; Debian 12 does
# not: smart search then says it is unavailable on PostgreSQL, and everything else works).
# As root on Debian/Ubuntu it installs them with apt-get; otherwise it prints the one apt-get line
# to run and exits 1, so that `make run` stops there, before any other set-up.
set -euo pipefail

want=()
command -v exiftool >/dev/null 2>&1 || want+=(libimage-exiftool-perl)
if [ "${1:-run}" = "test" ]; then
  [ -x /usr/bin/chromium ] || want+=(chromium)
fi
for dir in /usr/lib/postgresql/*/; do
  [ -d "$dir" ] || continue
  ver=$(basename "$dir")
  [ -e "/usr/share/postgresql/$ver/extension/vector.control" ] && continue
  if command -v apt-cache >/dev/null 2>&1 && apt-cache show "postgresql-$ver-pgvector" >/dev/null 2>&1; then
    want+=("postgresql-$ver-pgvector")
  else
    echo "note: no postgresql-$ver-pgvector package here; smart search stays unavailable on" \
      "this PostgreSQL $ver until pgvector is installed" >&2
  fi
done
[ ${#want[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${want[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${want[@]}"
else
  echo "Photonix needs system packages that are missing; install them as root, then run make again:" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${want[*]}" >&2
  echo "(Other systems: the same tools from their package manager.)" >&2
  exit 1
fi
