#!/usr/bin/env bash
# The project's test command (CI runs exactly this, see .ci/run). In order:
#   1. installs what the tests need and is missing: Debian's ffmpeg (the reference loudness meter the
#      audio tests compare against) and chromium (the browser tests), through apt-get, which needs root
#      (sudo is used when you are not root); then this package with its test extras (pip install -e);
#   2. lints (ruff) and type-checks (mypy);
#   3. runs the test suite under MkDocs, on all cores;
#   4. runs the site-build tests a second time under ProperDocs, in a second environment
#      (.venv-properdocs: a virtual environment on top of this Python's packages, plus ProperDocs).
#
# Usage: bash scripts/test.sh [pytest arguments]          (the arguments go to step 3)
#   bash scripts/test.sh -m "not browser"                 the fast subset: no headless Chromium
#   bash scripts/test.sh -m "not browser and not wheel"   also skip building and installing a wheel
#   SONICGUIDE_PROPERDOCS=0 bash scripts/test.sh ...      skip step 4
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'scripts/test.sh: %s\n' "$*" >&2; }

need_apt=()
command -v ffmpeg >/dev/null 2>&1 || need_apt+=(ffmpeg)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing Debian packages: ${need_apt[*]} (ffmpeg: reference loudness for the audio tests;" \
      "chromium: the browser tests). apt-get needs root."
  if [ "$(id -u)" = 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    say "not root: using sudo (or install them yourself and run again)."
    sudo=(sudo)
  else
    say "not root and no sudo: install ${need_apt[*]} as root, or run the fast subset: bash scripts/test.sh -m \"not browser and not ffmpeg\""
    exit 1
  fi
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

say "installing sonicguide and its test extras (pip install -e '.[test]')"
python -m pip install -q --disable-pip-version-check -e '.[test]'

say "ruff and mypy"
python -m ruff check plugins tests bench scripts
python -m mypy

say "the test suite under MkDocs"
HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-ci}" python -m pytest -n auto "$@"

if [ "${SONICGUIDE_PROPERDOCS:-1}" != 0 ]; then
  say "the site-build tests again under ProperDocs (in .venv-properdocs)"
  [ -x .venv-properdocs/bin/python ] || python -m venv --system-site-packages .venv-properdocs
  .venv-properdocs/bin/python -m pip install -q --disable-pip-version-check properdocs
  HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-ci}" SONICGUIDE_GENERATOR=properdocs .venv-properdocs/bin/python -m pytest -n auto \
    -m "sitebuild and not browser and not wheel"
fi
