#!/usr/bin/env bash
# Runs every test from a fresh machine: installs the system packages the tests need when they
# are missing, then runs the whole Maven build with its tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the test suite uses, by the command (or library) that shows each is present.
declare -A NEED=(
  [mvn]=maven
  [npm]=npm
  [/usr/lib/x86_64-linux-gnu/libcrypto.so.3]=libssl3
  # The browser tests (signaling, dev.palco.e2e) drive headless Chromium; ffmpeg makes their clip
  # and its ffprobe checks the CMAF output (bridge-hls).
  [/usr/bin/chromium]=chromium
  [/usr/bin/chromedriver]=chromium-driver
  [ffmpeg]=ffmpeg
  # turn-config's tests run a real coturn with the generated configuration (signaling's reuse it).
  [/usr/bin/turnserver]=coturn
  # nginx stands in for a CDN edge in front of the LL-HLS origin (bridge-hls, CdnEdgeTest); the
  # tests run it as their own child process, the system service is never used.
  [/usr/sbin/nginx]=nginx
)
missing=()
for probe in "${!NEED[@]}"; do
  if [[ "$probe" == /* ]]; then
    [[ -e "$probe" ]] || missing+=("${NEED[$probe]}")
  else
    command -v "$probe" >/dev/null 2>&1 || missing+=("${NEED[$probe]}")
  fi
done
if ((${#missing[@]})); then
  echo "Installing missing packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# The web client's build (Vite 8) needs Node 20.19 or newer; say so plainly rather than fail later.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if ((node_major < 20)); then
  echo "Node.js 20.19 or newer is needed to build the web client (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

exec mvn -B -ntp verify "$@"
