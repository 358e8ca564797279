#!/usr/bin/env bash
# Installs what the test suite needs from Debian when it is missing: a PostgreSQL server (for the
# store tests on PostgreSQL) and Chromium (for the web and brief rendering tests).
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Fonts so that rendered pages (the brief) show Latin, Hangul and Cyrillic text.
fc-list 2>/dev/null | grep -qi "dejavu" || missing+=(fonts-dejavu-core)
fc-list 2>/dev/null | grep -qiE "noto.*cjk|nanum|unfonts" || missing+=(fonts-noto-cjk)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing from Debian: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
