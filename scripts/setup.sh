#!/usr/bin/env bash
# One-time setup on a fresh Debian machine with Node 20: the Debian servers and tools
# loadctl's demo, tests and benchmarks use, pnpm (pinned), the workspace packages and a build.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=9.15.9
DEBIAN_PACKAGES=(nginx-light wrk apache2-utils hey influxdb victoria-metrics chromium prometheus libxml2-utils python3-locust)

node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<18)) { console.error("loadctl needs Node >= 20.18, this is "+process.version); process.exit(1) }'

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm@$PNPM_VERSION"
  npm install -g "pnpm@$PNPM_VERSION" --loglevel=error >/dev/null
fi

pnpm install --frozen-lockfile --reporter=silent
pnpm build
