#!/usr/bin/env bash
# The console's browser tests (tests/browser/) drive Debian's Chromium through Playwright; the
# screenshots (scripts/console_screenshots.py) need the CJK fonts; the reports' PDF tests need
# pdftoppm (poppler-utils). Installs them when missing: idempotent, quiet. Run as root (CI does,
# from .ci/run); as another user it only says what is missing.
set -euo pipefail
PACKAGES=(chromium fonts-noto-cjk poppler-utils)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-browser: missing ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-browser: installed ${missing[*]}"
