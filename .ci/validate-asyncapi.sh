#!/usr/bin/env bash
# Validate contracts/asyncapi.yaml with the official AsyncAPI CLI (errors fail; warnings and infos don't).
#
#   bash .ci/validate-asyncapi.sh [path/to/asyncapi.yaml]
#
# The CLI is installed from npm into .ci/node (git-ignored through node_modules/; no package.json or
# package-lock.json is written) once per pinned version and reused afterwards. The install is large
# (~1,500 packages, ~1.5 GB) and takes a minute or two.
#
# 4.1.1 is the newest @asyncapi/cli that supports Node 20 (5.x and 6.x declare engines node >= 24).
set -euo pipefail

ASYNCAPI_CLI_VERSION="4.1.1"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
prefix="${ASYNCAPI_CLI_PREFIX:-$here/node}"
doc="${1:-$repo/contracts/asyncapi.yaml}"
cli="$prefix/node_modules/.bin/asyncapi"
# Markers live inside node_modules/, which .gitignore already covers.
stamp="$prefix/node_modules/.flywheel-asyncapi-cli-$ASYNCAPI_CLI_VERSION"

command -v npm >/dev/null || { echo "validate-asyncapi: npm not found (needs Node.js >= 20 with npm)" >&2; exit 2; }

if [[ ! -x "$cli" || ! -f "$stamp" ]]; then
    echo "validate-asyncapi: installing @asyncapi/cli@$ASYNCAPI_CLI_VERSION into $prefix" >&2
    mkdir -p "$prefix"
    start=$SECONDS
    npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
        --prefix "$prefix" "@asyncapi/cli@$ASYNCAPI_CLI_VERSION" >&2
    rm -f "$prefix"/node_modules/.flywheel-asyncapi-cli-* "$prefix/package.json" "$prefix/package-lock.json"
    touch "$stamp"
    echo "validate-asyncapi: installed in $((SECONDS - start))s" >&2
fi

# No anonymous usage metrics, and nothing written to $HOME.
metrics="$prefix/node_modules/.asyncapi-analytics.json"
[[ -f "$metrics" ]] || echo '{"analyticsEnabled":"false","infoMessageShown":"true","userID":"flywheel-ci"}' >"$metrics"
export ASYNCAPI_METRICS_CONFIG_PATH="$metrics"

echo "validate-asyncapi: asyncapi $("$cli" --version 2>/dev/null | head -n1) validate ${doc#"$repo"/}" >&2
"$cli" validate "$doc" --fail-severity error
