#!/usr/bin/env bash
# Installs every system package Callwarden needs to build, run and test, on Debian/Ubuntu.
# Idempotent: a package already present is skipped by apt. Runs as root (CI and dev machines) or via sudo.
set -euo pipefail

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

PACKAGES=(
  # build
  build-essential pkg-config cmake clang libssl-dev
  # desktop shell (Tauri 2 on WebKitGTK)
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libsoup-3.0-dev libxdo-dev
  # audio devices (cpal -> ALSA -> PulseAudio)
  libasound2-dev libasound2-plugins pulseaudio pulseaudio-utils
  # keyring (Secret Service) for the vault key
  dbus dbus-x11 gnome-keyring libdbus-1-dev libsecret-tools
  # FIDO2 security keys over USB (hidraw through libudev) for passkey unlock
  libudev-dev
  # real SIP/media peers for interop tests (loopback only)
  kamailio kamailio-tls-modules kamailio-websocket-modules kamailio-secsipid-modules
  kamailio-extra-modules kamailio-utils-modules secsipidx baresip-core sip-tester coturn
  # tools the harness uses
  openssl sox python3 iproute2 procps curl xvfb webkit2gtk-driver
)

# Node.js (with npm) builds the UI; this machine image ships it, otherwise take Debian's.
if ! command -v npm >/dev/null 2>&1; then PACKAGES+=(nodejs npm); fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all system packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Debian starts some daemons on install; the tests start their own instances on loopback.
for svc in kamailio coturn; do
  $SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || true
  $SUDO service "$svc" stop >/dev/null 2>&1 || true
done
