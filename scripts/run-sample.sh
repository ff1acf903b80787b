#!/usr/bin/env bash
# Install newstrace with pinned dependencies and run it on the bundled sample corpus.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/_install.sh main
mkdir -p out
.venv/bin/newstrace analyze examples/ --db out/sample.db --report out/report "$@"
.venv/bin/newstrace stats out/sample.db
echo
echo "database: $(pwd)/out/sample.db   (sqlite3 out/sample.db, or: .venv/bin/newstrace serve out/sample.db)"
echo "report:   $(pwd)/out/report/index.html"
