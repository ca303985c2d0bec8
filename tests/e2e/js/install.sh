#!/usr/bin/env bash
# Install the CloudEvents JavaScript SDK the e2e acceptance test (tests/e2e/test_cloudevents_sdks.py) drives, into
# tests/e2e/js/node_modules (git-ignored; no package.json or package-lock.json is written), once per pinned version.
#
#   bash tests/e2e/js/install.sh
set -euo pipefail

CLOUDEVENTS_VERSION="10.0.0"  # the newest; it supports Node 20 to 24

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
stamp="$here/node_modules/.flywheel-cloudevents-$CLOUDEVENTS_VERSION"

command -v npm >/dev/null || { echo "cloudevents-sdk: npm not found (needs Node.js >= 20 with npm)" >&2; exit 2; }
if [[ ! -f "$stamp" ]]; then
    echo "cloudevents-sdk: installing cloudevents@$CLOUDEVENTS_VERSION into $here/node_modules" >&2
    npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
        --prefix "$here" "cloudevents@$CLOUDEVENTS_VERSION" >&2
    rm -f "$here"/node_modules/.flywheel-cloudevents-* "$here/package.json" "$here/package-lock.json"
    touch "$stamp"
fi
