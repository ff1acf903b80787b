#!/usr/bin/env bash
# Install newstrace and its test dependencies, then run the test suite.
# Browser tests install Debian's chromium themselves when they can (see tests/conftest.py).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/_install.sh dev
.venv/bin/newstrace --help > /dev/null
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
