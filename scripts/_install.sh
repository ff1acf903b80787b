#!/usr/bin/env bash
# Create .venv and install the pinned, hash-checked dependencies (sourced by the other scripts).
# Usage: source scripts/_install.sh [dev]
set -euo pipefail
PYTHON=${PYTHON:-python3}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.newstrace-installed-$1
want=$(cat requirements/main.txt requirements/dev.txt pyproject.toml | sha1sum | cut -c1-16)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "installing pinned dependencies into .venv (first run: about a minute) ..." >&2
  reqs=(-r requirements/main.txt)
  [[ $1 == dev ]] && reqs+=(-r requirements/dev.txt)
  # --no-deps: the lock files hold every package and version; a dependency's own looser requirement
  # (justext's "lxml[html_clean]>=4.4.2") must not send the resolver to a newer release
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps "${reqs[@]}"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  echo "$want" > "$stamp"
fi
