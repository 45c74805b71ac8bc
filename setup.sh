#!/usr/bin/env bash
# Installs what imtc needs into ./.venv (and LibreOffice + CJK fonts through apt where it can).
# Usage: bash setup.sh        Then: .venv/bin/imtc check samples/
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES="libreoffice-writer-nogui fonts-noto-cjk chromium chromium-l10n libgl1 libglib2.0-0"
if ! command -v soffice >/dev/null 2>&1 || [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" != "none" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing $APT_PACKAGES (apt) =="
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $APT_PACKAGES >/dev/null
  else
    echo "!! LibreOffice not installed and apt-get not usable here: .doc/.wps reading and the LibreOffice-made samples need it." >&2
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv =="
  "$PY" -m venv .venv
fi
echo "== installing imtc and its development tools into .venv =="
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e '.[dev]'
echo "== ready: .venv/bin/imtc --help =="
