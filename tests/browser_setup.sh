#!/bin/sh
# Install Debian's headless Chromium for the browser tests (tests/test_browser.py runs this when
# /usr/bin/chromium is missing). Never `playwright install`: the tests drive the system browser.
set -eu
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "chromium is not installed and this is not root: run 'sudo apt-get install -y chromium'" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
test -x /usr/bin/chromium
