#!/usr/bin/env bash
# Installs what imtc needs into ./.venv (and LibreOffice + CJK fonts through apt where it can).
# Usage: bash setup.sh        Then: .venv/bin/imtc check samples/
set -euo pipefail
cd "$(dirname "$0")"

# fontconfig (fc-list), fonts-noto-cjk and fonts-dejavu-core: the fonts samples/build.py gives LibreOffice,
# and only those (samples/libreoffice.py, FONTS), whatever other fonts the machine has. python3-uno: the
# system Python's bridge to one LibreOffice kept running for a round of .doc/.wps (imtc/extract/office.py).
APT_PACKAGES="libreoffice-writer-nogui python3-uno fontconfig fonts-noto-cjk fonts-dejavu-core chromium chromium-l10n libgl1 libglib2.0-0"
sample_fonts_missing() {
  ! command -v fc-list >/dev/null 2>&1 || ! python3 -c 'import sys; sys.path.insert(0, "samples"); import libreoffice; libreoffice.find_fonts()' >/dev/null 2>&1
}
if ! command -v soffice >/dev/null 2>&1 || [ ! -x /usr/bin/chromium ] || [ ! -f /usr/lib/python3/dist-packages/uno.py ] \
   || sample_fonts_missing; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" != "none" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing $APT_PACKAGES (apt) =="
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $APT_PACKAGES >/dev/null
  else
    echo "!! not installed, and apt-get not usable here: some of $APT_PACKAGES. .doc/.wps reading and the LibreOffice-made samples need LibreOffice; samples/build.py needs fontconfig, fonts-noto-cjk and fonts-dejavu-core." >&2
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
