#!/usr/bin/env bash
# Install the Debian packages Photonix needs, when they are missing.
#   scripts/system-deps.sh run    what `make run` needs (exiftool)
#   scripts/system-deps.sh test   what `make test` needs as well (Chromium for the browser tests)
# Both: pgvector for each PostgreSQL server installed here (smart search's vector index): the
# distribution's package where there is one (Debian 13: postgresql-<version>-pgvector), else built
# from the copy in third_party/pgvector with postgresql-server-dev-<version> (Debian 12).
# As root on Debian/Ubuntu it installs them with apt-get; otherwise it prints the one apt-get line
# to run and exits 1, so that `make run` stops there, before any other set-up.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
want=()
build_pgvector=()
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
    build_pgvector+=("$ver")
    # The server's pg_config comes with the server; its headers only with the -dev package.
    [ -e "/usr/include/postgresql/$ver/server/postgres.h" ] || want+=("postgresql-server-dev-$ver")
    command -v make >/dev/null 2>&1 && command -v gcc >/dev/null 2>&1 || want+=(build-essential)
  fi
done

# pgvector from the source in third_party/, for a PostgreSQL the distribution has no package for.
build_pgvector_for() {
  local ver=$1 work
  work=$(mktemp -d)
  cp -a "$here/third_party/pgvector/." "$work/"
  echo "Building pgvector for PostgreSQL $ver (third_party/pgvector)"
  make -s -C "$work" OPTFLAGS="" PG_CONFIG="/usr/lib/postgresql/$ver/bin/pg_config" >/dev/null
  make -s -C "$work" OPTFLAGS="" PG_CONFIG="/usr/lib/postgresql/$ver/bin/pg_config" install >/dev/null
  rm -rf "$work"
}

finish() {
  local ver
  for ver in "${build_pgvector[@]}"; do
    if [ "$(id -u)" -eq 0 ]; then
      build_pgvector_for "$ver"
    else
      echo "note: pgvector is not installed for PostgreSQL $ver; as root, run $0 again to build" \
        "it (smart search stays unavailable on that server until then)" >&2
    fi
  done
}

if [ ${#want[@]} -eq 0 ]; then
  finish
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${want[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${want[@]}"
  finish
else
  echo "Photonix needs system packages that are missing; install them as root, then run make again:" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${want[*]}" >&2
  echo "(Other systems: the same tools from their package manager.)" >&2
  exit 1
fi
